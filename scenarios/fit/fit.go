package fit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gonum.org/v1/gonum/stat"

	"github.com/slasim/slasim/internal/plural"
)

// HandlingFrom says which times of a ticket stand for its handling time.
type HandlingFrom int

const (
	// HandlingResolution uses opened → resolved, the whole resolution time,
	// waiting included. The written scenario then staffs amply, so that
	// simulated resolution times reproduce the observed ones.
	HandlingResolution HandlingFrom = iota
	// HandlingResponse uses first response → resolved: the time after
	// someone took the ticket up, which still includes any waiting on the
	// customer. It needs a response column.
	HandlingResponse
)

// ParseHandlingFrom reads "resolution" or "response".
func ParseHandlingFrom(s string) (HandlingFrom, error) {
	switch s {
	case "resolution":
		return HandlingResolution, nil
	case "response":
		return HandlingResponse, nil
	}
	return 0, fmt.Errorf("unknown handling source %q: use resolution (opened → resolved) or response (first response → resolved)", s)
}

func (h HandlingFrom) String() string {
	if h == HandlingResponse {
		return "response"
	}
	return "resolution"
}

// MinFit is the fewest durations fitted for a tier, a tier with fewer
// using the fit of all tiers' durations together (unless it is the only
// one), and the fewest a family with a shape is chosen from.
const MinFit = 20

// maxWindow is the longest period Fit accepts: ten years.
const maxWindow = 10 * 365 * 24 * time.Hour

// ownProfileTickets is the fewest tickets a tier needs for a weekly profile
// of its own: five per hour of the week on average.
const ownProfileTickets = 5 * HoursPerWeek

// FitOptions say what to fit.
type FitOptions struct {
	// Since and Until restrict the fit to tickets opened in [Since, Until);
	// zero values leave that end open. The window is further clipped to the
	// hours the export has tickets in.
	Since, Until time.Time
	HandlingFrom HandlingFrom
	// Empirical writes the handling times as the observed values instead
	// of the best parametric fit.
	Empirical bool
}

// A Result is everything Fit estimated from an export.
type Result struct {
	Export  *Export
	Options FitOptions
	Window  Window
	// Outside counts tickets opened outside the window.
	Outside int
	// Total is the fit of all tickets' arrivals; its Dispersion gives the
	// scenario's daily_cv.
	Total Arrivals
	Tiers []*Tier
	// Pooled is the handling-time fit of all tiers together, which tiers
	// with fewer than MinFit durations use; nil when none needs it.
	Pooled *Durations
	// Drift compares the handling times of the window's two halves.
	Drift Drift
}

// A Tier is the fit of one priority's tickets.
type Tier struct {
	Name     string
	Arrivals Arrivals
	// ProfileP is the p-value of the test that the tier's hour-of-week
	// counts have the same shape as the other tiers'; OwnProfile is set
	// when they differ (p < 0.001) and the tier has the tickets to fit a
	// profile of its own.
	ProfileP   float64
	OwnProfile bool
	// Resolution and Response are the fits of the tier's times opened →
	// resolved and opened → first response, nil when it has too few (under
	// MinFit for the times that stand for handling, under two otherwise).
	// Handling is the fit the scenario uses, of HandlingN times, or Pooled
	// when HandlingPooled.
	Resolution, Response, Handling *Durations
	HandlingN                      int
	HandlingPooled                 bool
	// Open tickets have no resolution time (still open, or closed without
	// one); Implausible ones were resolved before they were opened or more
	// than ten years after. Both are left out of the resolution times.
	Open, Implausible int
	// Reassigned tickets were passed on at least once, of ReassignKnown
	// with a count; Reassignments is the total count.
	Reassigned, ReassignKnown, Reassignments int
	Reopened, ReopenKnown                    int
	// Met of MetKnown tickets met their SLA (made_sla).
	Met, MetKnown int
	// Channels counts tickets by channel, most first.
	Channels []Count
}

// A Count is a value and how many tickets have it.
type Count struct {
	Value string
	N     int
}

// checkEvery is how many tickets a pass over them reads between looks at
// its context.
const checkEvery = 1 << 16

// Fit estimates a scenario's parameters from an export. It stops, with
// ctx's error, when ctx is cancelled.
func Fit(ctx context.Context, ex *Export, o FitOptions) (*Result, error) {
	if o.HandlingFrom == HandlingResponse && ex.Columns[Response] == "" {
		return nil, errors.New("handling from response times needs a response column (--response)")
	}
	res := &Result{Export: ex, Options: o}
	since, until := int64(math.MinInt64), int64(math.MaxInt64)
	if !o.Since.IsZero() {
		since = o.Since.UnixNano()
	}
	if !o.Until.IsZero() {
		until = o.Until.UnixNano()
	}
	inside := func(t *ticket) bool { return t.opened >= since && t.opened < until }
	n := 0
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	perPriority := make([]int, len(ex.priorities))
	for i := range ex.Len() {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		t := ex.tickets.at(i)
		if !inside(t) {
			res.Outside++
			continue
		}
		n++
		first, last = min(first, t.opened), max(last, t.opened)
		perPriority[t.priority]++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: no tickets opened%s", ex.File, describeRange(o.Since, o.Until))
	}
	firstT, lastT := ex.time(first), ex.time(last)
	start, end := localHour(firstT), localHour(lastT).Add(time.Hour)
	if end.Sub(start) > maxWindow {
		return nil, fmt.Errorf("%s: tickets opened from %s to %s, over %d years: check the dates, or choose a period with --since and --until",
			ex.File, firstT.Format(time.DateOnly), lastT.Format(time.DateOnly), int(maxWindow.Hours()/24/365))
	}
	if !o.Since.IsZero() && o.Since.After(start) {
		start = o.Since
	}
	if !o.Until.IsZero() && o.Until.Before(end) {
		end = o.Until
	}
	tl := newTimeline(start, end)
	for i := range ex.Len() {
		if t := ex.tickets.at(i); inside(t) {
			tl.counts[tl.hour(t.opened)]++
		}
	}
	res.Window = newWindow(start, end, tl.gaps())
	tl.indexDays(&res.Window)

	// The tiers, highest first; tierOf[p] is the tier of priority p.
	var names []string
	for p, k := range perPriority {
		if k > 0 {
			names = append(names, ex.priorities[p])
		}
	}
	slices.SortFunc(names, compareTiers)
	tierOf := make([]int, len(ex.priorities))
	accs := make([]*tierCount, len(names))
	for i, name := range names {
		p := slices.Index(ex.priorities, name)
		tierOf[p] = i
		accs[i] = newTierCount(&res.Window, perPriority[p], ex, o.HandlingFrom)
	}
	total := newArrivalCount(&res.Window)
	// The handling times of the window's halves, for the drift: the first
	// half's from the front of times, the second's from the back.
	mid := res.Window.Start.Add(res.Window.End.Sub(res.Window.Start) / 2).UnixNano()
	times := make([]float64, n)
	front, back := 0, n
	for i := range ex.Len() {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		t := ex.tickets.at(i)
		if !inside(t) {
			continue
		}
		k := tl.hour(t.opened)
		total.add(tl, k)
		accs[tierOf[t.priority]].add(tl, k, t, o.HandlingFrom)
		if d, ok := handlingTime(t, o.HandlingFrom); ok {
			if t.opened < mid {
				times[front] = d.Hours()
				front++
			} else {
				back--
				times[back] = d.Hours()
			}
		}
	}
	res.Total = total.fit(&res.Window)
	res.Drift = drift([2][]float64{times[:front], times[back:]})
	if o.HandlingFrom == HandlingResolution {
		for _, acc := range accs {
			acc.handling = acc.resolution
		}
	}

	nHandling := 0
	for _, acc := range accs {
		nHandling += len(acc.handling)
	}
	if nHandling < 2 {
		return nil, tooFewTimes(ex.File, n, nHandling, accs, o.HandlingFrom)
	}
	var pooled []float64
	for _, acc := range accs {
		// One tier has no others to pool with: it takes its own fit.
		if len(acc.handling) < MinFit && len(accs) > 1 {
			pooled = make([]float64, 0, nHandling)
			for _, acc := range accs {
				pooled = append(pooled, acc.handling...)
			}
			res.Pooled = fitDurations(ctx, pooled, ex.Clock)
			break
		}
	}
	for i, acc := range accs {
		res.Tiers = append(res.Tiers, acc.fit(ctx, names[i], res))
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
	}
	return res, nil
}

// A tierCount collects what is fitted of one tier's tickets.
type tierCount struct {
	arrivals                       *arrivalCount
	resolution, response, handling []float64 // hours
	tier                           Tier
	channels                       map[uint16]int
}

// newTierCount starts the count of a tier of n tickets of ex, with room
// for as many times of each kind as it can have.
func newTierCount(w *Window, n int, ex *Export, from HandlingFrom) *tierCount {
	c := &tierCount{arrivals: newArrivalCount(w), resolution: make([]float64, 0, n)}
	if ex.Columns[Response] != "" {
		c.response = make([]float64, 0, n)
	}
	if from == HandlingResponse {
		c.handling = make([]float64, 0, n)
	}
	if ex.Columns[Channel] != "" {
		c.channels = make(map[uint16]int)
	}
	return c
}

// add counts a ticket opened in hour k of the timeline.
func (c *tierCount) add(tl *timeline, k int, t *ticket, from HandlingFrom) {
	c.arrivals.add(tl, k)
	tier := &c.tier
	if t.resolved != noTime {
		if d := time.Duration(t.resolved - t.opened); plausible(d) {
			c.resolution = append(c.resolution, d.Hours())
		} else {
			tier.Implausible++
		}
	} else {
		tier.Open++
	}
	if t.response != noTime {
		if d := time.Duration(t.response - t.opened); plausible(d) {
			c.response = append(c.response, d.Hours())
		}
	}
	if from == HandlingResponse {
		if d, ok := handlingTime(t, HandlingResponse); ok {
			c.handling = append(c.handling, d.Hours())
		}
	}
	if t.reassignments >= 0 {
		tier.ReassignKnown++
		tier.Reassignments += int(t.reassignments)
		if t.reassignments > 0 {
			tier.Reassigned++
		}
	}
	if t.reopens >= 0 {
		tier.ReopenKnown++
		if t.reopens > 0 {
			tier.Reopened++
		}
	}
	if t.madeSLA >= 0 {
		tier.MetKnown++
		tier.Met += int(t.madeSLA)
	}
	if c.channels != nil {
		c.channels[t.channel]++
	}
}

// fit fits the tier counted; res holds the window, the fit of all
// tickets' arrivals and, if needed, the pooled handling times.
func (c *tierCount) fit(ctx context.Context, name string, res *Result) *Tier {
	ex := res.Export
	tier := &c.tier
	tier.Name = cmp.Or(name, "all")
	tier.Arrivals = c.arrivals.fit(&res.Window)
	tier.ProfileP = homogeneity(&tier.Arrivals.Count, &res.Total.Count)
	tier.OwnProfile = tier.ProfileP < 0.001 && tier.Arrivals.Tickets >= ownProfileTickets
	if res.Options.HandlingFrom == HandlingResponse && len(c.resolution) >= 2 {
		tier.Resolution = fitDurations(ctx, c.resolution, ex.Clock)
	}
	if len(c.response) >= 2 {
		tier.Response = fitDurations(ctx, c.response, ex.Clock)
	}
	tier.HandlingN = len(c.handling)
	if len(c.handling) >= MinFit || res.Pooled == nil {
		tier.Handling = fitDurations(ctx, c.handling, ex.Clock)
		if res.Options.HandlingFrom == HandlingResolution {
			tier.Resolution = tier.Handling
		}
	} else {
		tier.Handling, tier.HandlingPooled = res.Pooled, true
	}
	for ch, n := range c.channels {
		v := "(none)"
		if ch > 0 {
			v = ex.channels[ch-1]
		}
		tier.Channels = append(tier.Channels, Count{v, n})
	}
	slices.SortFunc(tier.Channels, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Value, b.Value)) })
	return tier
}

// tooFewTimes is the error of an export of n tickets of which only times
// have a handling time, saying what the others lacked.
func tooFewTimes(file string, n, times int, accs []*tierCount, from HandlingFrom) error {
	s := fmt.Sprintf("%s: %d of %d %s a %s time to fit; a fit needs at least 2", file, times, n, plural.Of(n, "ticket has", "tickets have"), from)
	if from == HandlingResolution {
		var open, implausible int
		for _, acc := range accs {
			open += acc.tier.Open
			implausible += acc.tier.Implausible
		}
		if open > 0 {
			s += fmt.Sprintf("; %d without a resolution time", open)
		}
		if implausible > 0 {
			s += fmt.Sprintf("; %d resolved before %s opened, or more than ten years after (is the mapping right?)", implausible, plural.Of(implausible, "it", "they"))
		}
	}
	return errors.New(s)
}

// handlingTime is the time of t that stands for its handling time, if t
// has one.
func handlingTime(t *ticket, from HandlingFrom) (time.Duration, bool) {
	start := t.opened
	if from == HandlingResponse {
		start = t.response
	}
	if start == noTime || t.resolved == noTime {
		return 0, false
	}
	d := time.Duration(t.resolved - start)
	return d, plausible(d)
}

// plausible reports whether a duration between two times of a ticket can be
// fitted: not negative, and at most maxWindow.
func plausible(d time.Duration) bool { return d >= 0 && d <= maxWindow }

// A Drift compares the handling times of tickets opened in the first and
// the second half of the window: a fit assumes they do not change.
type Drift struct {
	// N and Median (hours) of each half.
	N      [2]int
	Median [2]float64
	// KS is the two-sample Kolmogorov–Smirnov distance between the halves,
	// P its asymptotic p-value.
	KS, P float64
}

// Drifted reports whether the halves differ at the 0.1% level.
func (d *Drift) Drifted() bool { return d.P < 0.001 }

// drift compares the handling times of tickets opened in the first and the
// second half of the window (any order; sorted in place).
func drift(halves [2][]float64) Drift {
	var dr Drift
	if len(halves[0]) == 0 || len(halves[1]) == 0 {
		dr.P = 1
		return dr
	}
	for i, h := range halves {
		slices.Sort(h)
		dr.N[i] = len(h)
		dr.Median[i] = h[(len(h)-1)/2]
	}
	dr.KS = stat.KolmogorovSmirnov(halves[0], nil, halves[1], nil)
	ne := float64(dr.N[0]) * float64(dr.N[1]) / float64(dr.N[0]+dr.N[1])
	dr.P = kolmogorovQ((math.Sqrt(ne) + 0.12 + 0.11/math.Sqrt(ne)) * dr.KS)
	return dr
}

// kolmogorovQ is the Kolmogorov distribution's survival function,
// 2 Σ (−1)^(k−1) exp(−2k²λ²): the asymptotic p-value of a KS distance
// scaled by √n (with Stephens' small-sample correction applied by the
// caller).
func kolmogorovQ(lambda float64) float64 {
	if lambda < 0.2 {
		return 1
	}
	var q float64
	for k := 1; k <= 100; k++ {
		term := math.Exp(-2 * float64(k*k) * lambda * lambda)
		if k%2 == 0 {
			term = -term
		}
		q += term
		if math.Abs(term) < 1e-16 {
			break
		}
	}
	return min(1, max(0, 2*q))
}

func describeRange(since, until time.Time) string {
	var s string
	if !since.IsZero() {
		s += " from " + since.Format("2006-01-02 15:04")
	}
	if !until.IsZero() {
		s += " before " + until.Format("2006-01-02 15:04")
	}
	return s
}

// tierWords rank the priority names that carry no number, highest first.
var tierWords = [][]string{
	{"critical", "urgent", "highest", "blocker", "emergency"},
	{"high", "major"},
	{"medium", "moderate", "normal"},
	{"low", "minor"},
	{"lowest", "trivial", "planning"},
}

// compareTiers orders priority values highest first: by the first number
// in them (P0 before P1, "1 - Critical" before "2 - High"), else by the
// words priorities are named with, else alphabetically.
func compareTiers(a, b string) int {
	na, okA := firstNumber(a)
	nb, okB := firstNumber(b)
	switch {
	case okA && okB && na != nb:
		return cmp.Compare(na, nb)
	case okA != okB:
		if okA {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(wordRank(a), wordRank(b)), strings.Compare(a, b))
}

func firstNumber(s string) (int, bool) {
	i := strings.IndexFunc(s, unicode.IsDigit)
	if i < 0 {
		return 0, false
	}
	j := i
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(s[i:j])
	return n, err == nil
}

func wordRank(s string) int {
	s = strings.ToLower(s)
	for rank, words := range tierWords {
		for _, w := range words {
			if strings.Contains(s, w) {
				return rank
			}
		}
	}
	return len(tierWords)
}

// DailyCV is the scenario's daily_cv: the gamma day factor's coefficient
// of variation when the daily counts are overdispersed, else 0.
func (res *Result) DailyCV() float64 {
	if d := &res.Total.Dispersion; d.Overdispersed() {
		return d.CV
	}
	return 0
}

// PlaceholderAgents is the number of agents the written scenario gets:
// enough that tickets almost never queue, so that simulated resolution
// times reproduce the observed ones. It is the peak over the week of the
// mean number of tickets in service with unlimited agents (the M(t)/G/∞
// queue, given the fitted rates and handling distributions), M, scaled up
// by 1 + 2·DailyCV for busy days, plus four standard deviations √M.
func (res *Result) PlaceholderAgents() int {
	// busy[h] = Σ_j λ(h−j) · ∫_j^{j+1} S(u) du, the integral taken at the
	// midpoint and folded modulo the week, over a year of lags.
	const lags = 52 * HoursPerWeek
	var busy [HoursPerWeek]float64
	for _, tier := range res.Tiers {
		surv := res.handlingSurvival(tier)
		var fold [HoursPerWeek]float64
		for j := range lags {
			fold[j%HoursPerWeek] += surv(float64(j) + 0.5)
		}
		rates := tier.Arrivals.Rate
		if !tier.OwnProfile {
			rates = res.sharedRates(tier)
		}
		for h := range busy {
			for j, s := range fold {
				busy[h] += rates[((h-j)%HoursPerWeek+HoursPerWeek)%HoursPerWeek] * s
			}
		}
	}
	peak := slices.Max(busy[:])
	return max(1, int(math.Ceil(peak*(1+2*res.DailyCV())+4*math.Sqrt(peak))))
}

// sharedRates are the rates a tier without its own profile gets in the
// scenario: all tickets' shape, scaled to the tier's volume.
func (res *Result) sharedRates(tier *Tier) [HoursPerWeek]float64 {
	share := float64(tier.Arrivals.Tickets) / float64(res.Total.Tickets)
	var r [HoursPerWeek]float64
	for h := range r {
		r[h] = res.Total.Rate[h] * share
	}
	return r
}

// handlingSurvival is P(handling > h hours) for the distribution the
// scenario gives the tier.
func (res *Result) handlingSurvival(tier *Tier) func(float64) float64 {
	d := tier.Handling
	if !res.Options.Empirical {
		return d.Chosen().Survival
	}
	v := d.EmpiricalValues()
	return func(h float64) float64 {
		i, _ := slices.BinarySearch(v, math.Nextafter(h, math.Inf(1)))
		return 1 - float64(i)/float64(len(v))
	}
}
