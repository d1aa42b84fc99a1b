package fit

import (
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// HoursPerWeek is the number of hours of the week, Monday 00:00 first.
const HoursPerWeek = 168

// hourOfWeek is the hour of the week of t on its own clock, from Monday
// 00:00.
func hourOfWeek(t time.Time) int {
	return (int(t.Weekday())+6)%7*24 + t.Hour()
}

// localHour is the start of t's hour on its own clock: t less the
// minutes, seconds and nanoseconds its clock shows. (time.Date of the hour
// gives, for the second 01:00 of a night New York's clocks go back, the
// first, and a loop stepping an hour at a time from it never left it.)
func localHour(t time.Time) time.Time {
	return t.Add(-time.Duration(t.Minute())*time.Minute - time.Duration(t.Second())*time.Second - time.Duration(t.Nanosecond()))
}

// localDay is the start of t's day on its own clock.
func localDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// dateKey identifies t's day on its own clock.
func dateKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// A Window is the period tickets are counted over, [Start, End), less its
// gaps.
type Window struct {
	Start, End time.Time
	// Gaps are the periods in the window without a single ticket where the
	// rates expect many (weeks missing from the export, an outage of the
	// ticketing tool), in order; they are left out of the rates and of the
	// days compared.
	Gaps []Gap
	// Exposure[h] is the number of hours of hour-of-week h in the window
	// outside gaps: the denominator of that hour's rate.
	Exposure [HoursPerWeek]float64
	// Days are the starts of the whole days in the window that do not
	// overlap a gap, the days whose volumes are compared.
	Days []time.Time
}

// A Gap is a period of whole hours without a ticket.
type Gap struct {
	Start, End time.Time
	// Expected is the number of tickets the rates fitted outside gaps
	// expect in it.
	Expected float64
}

// A period without a ticket is a gap when it lasts at least minGapHours
// and the rates expect at least minGapTickets in it: the chance of no
// ticket in a Poisson period expecting 20 is 2·10⁻⁹, and still under 10⁻⁶
// with a day factor of cv 0.22, the ServiceNow log's. Shorter silences are
// a quiet spell, not missing data: that log's busiest hour of a holiday
// (Thursday 21 April 2016, 09:00) has no ticket where 46 are expected.
const (
	minGapHours   = 24
	minGapTickets = 20
)

func newWindow(start, end time.Time, gaps []Gap) Window {
	w := Window{Start: start, End: end, Gaps: gaps}
	g := 0
	for t := start; t.Before(end); {
		next := localHour(t).Add(time.Hour)
		if next.After(end) {
			next = end
		}
		for g < len(gaps) && !t.Before(gaps[g].End) {
			g++
		}
		if g == len(gaps) || t.Before(gaps[g].Start) {
			w.Exposure[hourOfWeek(t)] += next.Sub(t).Hours()
		}
		t = next
	}
	d := localDay(start)
	if d.Before(start) {
		d = d.AddDate(0, 0, 1)
	}
	g = 0
	for ; !d.AddDate(0, 0, 1).After(end); d = d.AddDate(0, 0, 1) {
		next := d.AddDate(0, 0, 1)
		for g < len(gaps) && !d.Before(gaps[g].End) {
			g++
		}
		if g < len(gaps) && gaps[g].Start.Before(next) {
			continue
		}
		w.Days = append(w.Days, d)
	}
	return w
}

// Hours is the window's length in hours, less its gaps.
func (w *Window) Hours() float64 {
	var h float64
	for _, e := range w.Exposure {
		h += e
	}
	return h
}

// unobserved names the hours of the week the window never holds outside
// its gaps, as spans such as "Fri 00:00 to Tue 00:00"; "" when it holds
// them all.
func (w *Window) unobserved() string {
	seen := func(h int) bool { return w.Exposure[h%HoursPerWeek] > 0 }
	o := slices.IndexFunc(w.Exposure[:], func(e float64) bool { return e > 0 })
	if o < 0 {
		return ""
	}
	var spans []string
	for h := o + 1; h <= o+HoursPerWeek; h++ {
		if seen(h) || !seen(h-1) {
			continue
		}
		end := h
		for !seen(end) {
			end++
		}
		spans = append(spans, hourName(h%HoursPerWeek)+" to "+hourName(end%HoursPerWeek))
	}
	return strings.Join(spans, ", ")
}

// Weeks is the window's length in weeks, less its gaps.
func (w *Window) Weeks() float64 { return w.Hours() / HoursPerWeek }

// A timeline counts tickets by the hour over [start, end): hour k starts
// at anchor + k hours, the first hour on the window's clock at or before
// start.
type timeline struct {
	start, end time.Time
	anchor     int64 // Unix nanoseconds
	counts     []int
	// how[k] is the hour of the week of hour k; day[k] its day's index in
	// the window's Days, -1 when its day is not one of them.
	how []uint8
	day []int32
}

func newTimeline(start, end time.Time) *timeline {
	anchor := localHour(start)
	n := int((end.Sub(anchor) + time.Hour - 1) / time.Hour)
	tl := &timeline{start: start, end: end, anchor: anchor.UnixNano(), counts: make([]int, n), how: make([]uint8, n)}
	for k := range n {
		tl.how[k] = uint8(hourOfWeek(anchor.Add(time.Duration(k) * time.Hour)))
	}
	return tl
}

// hour is the index of the hour of a time (in Unix nanoseconds) in the
// timeline.
func (tl *timeline) hour(ns int64) int { return int((ns - tl.anchor) / int64(time.Hour)) }

// maxGapRounds bounds the rounds of the search for gaps, each of which
// reads the whole timeline: real exports settle in two or three.
const maxGapRounds = 20

// gaps finds the gaps in the timeline: the runs of at least minGapHours
// without a ticket where the rates fitted outside gaps expect at least
// minGapTickets.
// Leaving a gap out raises the rates, which can make another run a gap, so
// the search repeats until no run is added.
func (tl *timeline) gaps() []Gap {
	n := len(tl.counts)
	// span[k] is the part of hour k inside [start, end), in hours.
	span := make([]float64, n)
	start, end := tl.start.UnixNano(), tl.end.UnixNano()
	for k := range n {
		from := tl.anchor + int64(k)*int64(time.Hour)
		span[k] = float64(min(from+int64(time.Hour), end)-max(from, start)) / float64(time.Hour)
	}
	type run struct {
		from, to int
		gap      bool
	}
	var runs []run
	for k := 0; k < n; k++ {
		if tl.counts[k] > 0 {
			continue
		}
		j := k
		for j < n && tl.counts[j] == 0 {
			j++
		}
		if j-k >= minGapHours {
			runs = append(runs, run{from: k, to: j})
		}
		k = j
	}
	var rate [HoursPerWeek]float64
	expected := func(r run) float64 {
		var e float64
		for k := r.from; k < r.to; k++ {
			e += rate[tl.how[k]] * span[k]
		}
		return e
	}
	inGap := make([]bool, n)
	for range maxGapRounds {
		var count, exposure [HoursPerWeek]float64
		for k, c := range tl.counts {
			if !inGap[k] {
				count[tl.how[k]] += float64(c)
				exposure[tl.how[k]] += span[k]
			}
		}
		for h := range rate {
			rate[h] = 0
			if exposure[h] > 0 {
				rate[h] = count[h] / exposure[h]
			}
		}
		added := false
		for i := range runs {
			if r := &runs[i]; !r.gap && expected(*r) >= minGapTickets {
				r.gap, added = true, true
				for k := r.from; k < r.to; k++ {
					inGap[k] = true
				}
			}
		}
		if !added {
			break
		}
	}
	var gaps []Gap
	loc := tl.start.Location()
	for _, r := range runs {
		if r.gap {
			from := max(tl.anchor+int64(r.from)*int64(time.Hour), start)
			to := min(tl.anchor+int64(r.to)*int64(time.Hour), end)
			gaps = append(gaps, Gap{Start: time.Unix(0, from).In(loc), End: time.Unix(0, to).In(loc), Expected: expected(r)})
		}
	}
	return gaps
}

// indexDays sets the timeline's day indexes from the window's days.
func (tl *timeline) indexDays(w *Window) {
	days := make(map[int]int32, len(w.Days))
	for i, d := range w.Days {
		days[dateKey(d)] = int32(i)
	}
	tl.day = make([]int32, len(tl.counts))
	loc := tl.start.Location()
	for k := range tl.day {
		i, ok := days[dateKey(time.Unix(0, tl.anchor+int64(k)*int64(time.Hour)).In(loc))]
		if !ok {
			i = -1
		}
		tl.day[k] = i
	}
}

// Arrivals is the fit of one tier's (or all tickets') arrivals over a
// window.
type Arrivals struct {
	Tickets int
	// Count[h] tickets arrived in hour-of-week h; Rate[h] is Count[h] over
	// the window's exposure of that hour, in tickets per hour, with Poisson
	// standard error √Count[h] / exposure.
	Count [HoursPerWeek]int
	Rate  [HoursPerWeek]float64
	// Daily counts the tickets of each whole day of the window, Expected
	// what the rates predict for it.
	Daily    []int
	Expected []float64
	Trend    Trend
	Dispersion
}

// PerDay is the mean number of tickets a day over the average week.
func (a *Arrivals) PerDay() float64 {
	var s float64
	for _, r := range a.Rate {
		s += r
	}
	return s / HoursPerWeek * 24
}

// A Trend is the least-squares slope of daily volume over time, with one
// level per day of the week (so the weekly shape is not mistaken for a
// trend).
type Trend struct {
	// OK is false with fewer than two weeks of whole days.
	OK bool
	// Slope is in tickets a day per day, with its standard error.
	Slope, SE float64
}

// Dispersion compares the day-to-day variation of volume with Poisson's.
type Dispersion struct {
	// Days is the number of whole days compared, DF the degrees of freedom
	// of the Pearson statistic (days less the seven day-of-week levels the
	// rates fit).
	Days, DF int
	// Index is Pearson's χ²/DF: about 1 for Poisson counts, above for
	// overdispersed ones; P is the probability of an index at least this
	// large if the counts were Poisson.
	Index, P float64
	// C2 estimates the squared coefficient of variation of a gamma day
	// factor that multiplies every rate of a day (so that a day's count is
	// negative binomial with size 1/C2), by moments, with its standard
	// error; by chance it may come out negative.
	C2, C2SE float64
	// CV is √C2, 0 when C2 ≤ 0, with its standard error by the delta
	// method (√C2SE when C2 ≤ 0).
	CV, CVSE float64
}

// Overdispersed reports whether the daily counts vary more than Poisson
// counts would, at the 0.1% level.
func (d *Dispersion) Overdispersed() bool { return d.DF > 0 && d.P < 0.001 }

// An arrivalCount counts a tier's (or all) tickets by the hour of the
// week and by day.
type arrivalCount struct {
	tickets int
	count   [HoursPerWeek]int
	daily   []int
}

func newArrivalCount(w *Window) *arrivalCount {
	return &arrivalCount{daily: make([]int, len(w.Days))}
}

// add counts a ticket opened in hour k of the timeline.
func (c *arrivalCount) add(tl *timeline, k int) {
	c.tickets++
	c.count[tl.how[k]]++
	if d := tl.day[k]; d >= 0 {
		c.daily[d]++
	}
}

// fit fits the arrivals counted over the window.
func (c *arrivalCount) fit(w *Window) Arrivals {
	a := Arrivals{Tickets: c.tickets, Count: c.count, Daily: c.daily}
	// An hour of the week the window never holds (an export of a few
	// days, gaps) has no rate of its own: it takes that of its hour of the
	// day over the days observed, else of every hour observed; a rate of
	// 0 there cut a three-day export's volume to 3/7 of what it was.
	var dayCount, dayExposure [24]float64
	var count, exposure float64
	for h, e := range w.Exposure {
		dayCount[h%24] += float64(a.Count[h])
		dayExposure[h%24] += e
		count, exposure = count+float64(a.Count[h]), exposure+e
	}
	for h := range a.Rate {
		switch d := h % 24; {
		case w.Exposure[h] > 0:
			a.Rate[h] = float64(a.Count[h]) / w.Exposure[h]
		case dayExposure[d] > 0:
			a.Rate[h] = dayCount[d] / dayExposure[d]
		case exposure > 0:
			a.Rate[h] = count / exposure
		}
	}
	a.Expected = make([]float64, len(w.Days))
	for i, d := range w.Days {
		end := d.AddDate(0, 0, 1)
		for t := d; t.Before(end); t = t.Add(time.Hour) {
			a.Expected[i] += a.Rate[hourOfWeek(t)] * min(end.Sub(t), time.Hour).Hours()
		}
	}
	a.Trend = fitTrend(w.Days, a.Daily)
	a.Dispersion = dispersion(a.Daily, a.Expected)
	return a
}

// fitTrend fits daily = level(day of week) + slope·day by least squares:
// by Frisch–Waugh, the slope of the counts on the day numbers after each
// has its day-of-week mean taken out.
func fitTrend(days []time.Time, daily []int) Trend {
	n := len(days)
	if n < 14 {
		return Trend{}
	}
	var sumT, sumY [7]float64
	var cnt [7]int
	ts := make([]float64, n)
	for i, d := range days {
		ts[i] = d.Sub(days[0]).Hours() / 24
		dow := int(d.Weekday())
		sumT[dow] += ts[i]
		sumY[dow] += float64(daily[i])
		cnt[dow]++
	}
	levels := 0
	for _, c := range cnt {
		if c > 0 {
			levels++
		}
	}
	tt := make([]float64, n)
	yy := make([]float64, n)
	var stt, sty float64
	for i, d := range days {
		dow := int(d.Weekday())
		tt[i] = ts[i] - sumT[dow]/float64(cnt[dow])
		yy[i] = float64(daily[i]) - sumY[dow]/float64(cnt[dow])
		stt += tt[i] * tt[i]
		sty += tt[i] * yy[i]
	}
	if stt == 0 || n-levels-1 <= 0 {
		return Trend{}
	}
	slope := sty / stt
	var rss float64
	for i := range tt {
		r := yy[i] - slope*tt[i]
		rss += r * r
	}
	sigma2 := rss / float64(n-levels-1)
	return Trend{OK: true, Slope: slope, SE: math.Sqrt(sigma2 / stt)}
}

// dispersion compares the daily counts with their expected values.
//
// If a day's count is Poisson given a gamma day factor with mean 1 and
// coefficient of variation c, its variance is Λ + c²Λ², so c² is estimated
// by Σ[(N−Λ)²·D/DF − N] / ΣΛ² (the factor D/DF undoes the variance the
// fitted day-of-week levels absorb), with a sandwich standard error.
func dispersion(daily []int, expected []float64) Dispersion {
	var d Dispersion
	var chi2, sq, sumN, sumL2 float64
	for i, n := range daily {
		l := expected[i]
		if l <= 0 {
			continue
		}
		d.Days++
		r := float64(n) - l
		chi2 += r * r / l
		sq += r * r
		sumN += float64(n)
		sumL2 += l * l
	}
	d.DF = d.Days - 7
	if d.DF <= 0 || sumL2 == 0 {
		d.DF = 0
		return d
	}
	d.Index = chi2 / float64(d.DF)
	d.P = distuv.ChiSquared{K: float64(d.DF)}.Survival(chi2)
	inflate := float64(d.Days) / float64(d.DF)
	c2 := (sq*inflate - sumN) / sumL2
	var v float64
	for i, n := range daily {
		l := expected[i]
		if l <= 0 {
			continue
		}
		r := float64(n) - l
		// Each day's term, weighted by Λ², minus its share of the estimate.
		u := r*r*inflate - float64(n) - c2*l*l
		v += u * u
	}
	d.C2, d.C2SE = c2, math.Sqrt(v)/sumL2
	if c2 > 0 {
		d.CV = math.Sqrt(c2)
		d.CVSE = d.C2SE / (2 * d.CV)
	} else {
		d.CVSE = math.Sqrt(d.C2SE)
	}
	return d
}

// homogeneity tests whether a tier's hour-of-week counts have the same
// shape as the other tiers' (the rest of all), returning the p-value of
// Pearson's χ² test of the 2×168 table.
func homogeneity(tier, all *[HoursPerWeek]int) float64 {
	var n, total float64
	for h := range tier {
		n += float64(tier[h])
		total += float64(all[h])
	}
	if n == 0 || n == total {
		return 1
	}
	share := n / total
	var chi2 float64
	cells := 0
	for h := range tier {
		col := float64(all[h])
		if col == 0 {
			continue
		}
		cells++
		in, out := float64(tier[h]), col-float64(tier[h])
		eIn, eOut := col*share, col*(1-share)
		chi2 += (in-eIn)*(in-eIn)/eIn + (out-eOut)*(out-eOut)/eOut
	}
	if cells < 2 {
		return 1
	}
	return distuv.ChiSquared{K: float64(cells - 1)}.Survival(chi2)
}
