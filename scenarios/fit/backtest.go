package fit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// BacktestOptions control the simulation of a back-test.
type BacktestOptions struct {
	// Replications of the held-out period (0: 40), Seed their master seed,
	// Workers how many run at once (0: one per CPU).
	Replications int
	Seed         uint64
	Workers      int
}

// A Backtest compares a scenario fitted on the first weeks of an export
// with the weeks held out: the scenario is simulated over the held-out
// days, starting on the same day of the week, and its daily volumes, tier
// volumes and resolution times are set against those observed.
type Backtest struct {
	// Window is the held-out period, from the end of the fit's window to
	// the last hour with tickets; its whole days outside its gaps are
	// compared.
	Window       Window
	Replications int
	// Days compares each whole held-out day's volume with the simulated
	// ones; Covered counts the days whose observed volume lies inside the
	// simulated central 95% range.
	Days    []DayCheck
	Covered int
	// Observed and simulated daily volume: mean and standard deviation over
	// the days (and, simulated, the replications).
	ObsMean, ObsSD, SimMean, SimSD float64
	Tiers                          []TierCheck
	Resolution                     ResolutionCheck
}

// DayCheck is one held-out day.
type DayCheck struct {
	Day      time.Time
	Observed int
	// Simulated volumes over the replications: mean, and 2.5% and 97.5%
	// quantiles.
	Mean, Lo, Hi float64
}

// TierCheck is one tier's held-out volume against the simulated.
type TierCheck struct {
	Name         string
	Observed     int
	Mean, Lo, Hi float64
}

// ResolutionCheck compares the resolution times of held-out tickets with
// the simulated ones and with those of the fit's own period.
type ResolutionCheck struct {
	// N held-out tickets with a resolution time. The rest is empty when
	// none has one, or no ticket of the fit's period or of the simulation.
	N int
	// Quantile levels, and the hours at each: held-out, simulated, and in
	// the fit's period.
	Levels                        []float64
	Observed, Simulated, Training []float64
	// KS is the Kolmogorov–Smirnov distance of the simulated distribution
	// from the held-out one; KSTraining that of the fit period's own
	// times, the gap any fit of that period inherits.
	KS, KSTraining float64
}

// RunBacktest simulates sc, fitted as res on the export before res's
// window end, over the export's later whole days and compares them.
func RunBacktest(ctx context.Context, sc *scenarios.Scenario, res *Result, o BacktestOptions) (*Backtest, error) {
	ex := res.Export
	from := res.Window.End
	last := int64(math.MinInt64)
	var held, before []*ticket
	for i := range ex.Len() {
		t := ex.tickets.at(i)
		switch {
		case t.opened >= from.UnixNano():
			held = append(held, t)
			last = max(last, t.opened)
		case t.opened >= res.Window.Start.UnixNano():
			before = append(before, t)
		}
	}
	if len(held) == 0 {
		return nil, fmt.Errorf("back-test: the export has no tickets opened after %s to compare with", from.Format("2006-01-02 15:04"))
	}
	end := localHour(ex.time(last)).Add(time.Hour)
	if end.Sub(from) > maxWindow {
		return nil, fmt.Errorf("back-test: the held-out period runs from %s to %s, over %d years: check the dates",
			from.Format("2006-01-02 15:04"), ex.time(last).Format("2006-01-02 15:04"), int(maxWindow.Hours()/24/365))
	}
	// Gaps in the held-out period (a stray date a year on) are left out
	// of the days compared, as the fit leaves them out of its own.
	tl := newTimeline(from, end)
	for _, t := range held {
		tl.counts[tl.hour(t.opened)]++
	}
	bt := &Backtest{Window: newWindow(from, end, tl.gaps())}
	days := bt.Window.Days
	if len(days) == 0 {
		return nil, fmt.Errorf("back-test: no whole day of tickets after %s", from.Format("2006-01-02 15:04"))
	}
	bt.Replications = cmp.Or(o.Replications, 40)

	// The scenario simulated over the held-out days, from the same date in
	// the same time zone.
	test := *sc
	y, mo, d := days[0].Date()
	test.Simulation.Start = staffing.Date{Year: y, Month: mo, Day: d}
	test.Simulation.Location = days[0].Location()
	test.Simulation.Horizon = days[len(days)-1].AddDate(0, 0, 1).Sub(days[0])
	m := test.Model()
	tierIndex := make(map[string]int, len(res.Tiers))
	for i, t := range res.Tiers {
		tierIndex[t.Name] = i
	}
	dayIndex := make(map[int]int, len(days))
	for i, d := range days {
		dayIndex[dateKey(d)] = i
	}
	origin, loc := test.Epoch().Origin, days[0].Location()
	dayOf := func(at time.Duration) int {
		if i, ok := dayIndex[dateKey(origin.Add(at).In(loc))]; ok {
			return i
		}
		return -1
	}
	counter := func() sim.Collector {
		return &dayCounter{dayOf: dayOf, days: len(days), tiers: len(m.Tiers), reps: map[int]dayCounts{}}
	}
	run, err := sim.Run(ctx, m, sim.Options{Seed: o.Seed, Replications: bt.Replications, Workers: o.Workers, Collector: counter})
	if err != nil {
		return nil, fmt.Errorf("back-test: %w", err)
	}
	if run.Unstable != nil {
		return nil, fmt.Errorf("back-test: the fitted scenario is unstable: %s", run.Unstable.Reason())
	}
	if run.Partial {
		return nil, errors.New("back-test: interrupted")
	}
	reps := run.Collected.(*dayCounter).ordered()

	// Daily volumes.
	obs := make([]int, len(days))
	obsTier := make([]int, len(m.Tiers))
	for _, t := range held {
		if i, ok := dayIndex[dateKey(ex.time(t.opened))]; ok {
			obs[i]++
			name := cmp.Or(ex.priorities[t.priority], "all")
			if j, ok := tierIndex[name]; ok {
				obsTier[j]++
			}
		}
	}
	var simAll, obsAll []float64
	for i, d := range days {
		v := make([]float64, len(reps))
		for r, c := range reps {
			v[r] = float64(c.daily[i])
		}
		simAll = append(simAll, v...)
		obsAll = append(obsAll, float64(obs[i]))
		check := DayCheck{Day: d, Observed: obs[i], Mean: stat.Mean(v, nil), Lo: quantile(v, 0.025), Hi: quantile(v, 0.975)}
		if float64(obs[i]) >= check.Lo && float64(obs[i]) <= check.Hi {
			bt.Covered++
		}
		bt.Days = append(bt.Days, check)
	}
	bt.ObsMean, bt.ObsSD = stat.MeanStdDev(obsAll, nil)
	bt.SimMean, bt.SimSD = stat.MeanStdDev(simAll, nil)
	for j, t := range res.Tiers {
		v := make([]float64, len(reps))
		for r, c := range reps {
			v[r] = float64(c.tiers[j])
		}
		bt.Tiers = append(bt.Tiers, TierCheck{Name: t.Name, Observed: obsTier[j], Mean: stat.Mean(v, nil), Lo: quantile(v, 0.025), Hi: quantile(v, 0.975)})
	}

	// Resolution times.
	var hist sim.Histogram
	for i := range run.Summary.Tiers {
		hist.Merge(&run.Summary.Tiers[i].Resolution.Times)
	}
	heldHours := resolutionHours(held, days[0], days[len(days)-1].AddDate(0, 0, 1))
	trainHours := resolutionHours(before, res.Window.Start, res.Window.End)
	rc := &bt.Resolution
	rc.N = len(heldHours)
	if len(heldHours) == 0 || len(trainHours) == 0 || hist.Count() == 0 {
		// The latest tickets of an export are often still open: the
		// volumes are compared all the same.
		return bt, nil
	}
	rc.Levels = []float64{0.1, 0.25, 0.5, 0.75, 0.9, 0.95}
	for _, q := range rc.Levels {
		rc.Observed = append(rc.Observed, quantile(heldHours, q))
		rc.Training = append(rc.Training, quantile(trainHours, q))
		rc.Simulated = append(rc.Simulated, hist.Quantile(q).Hours())
	}
	rc.KS = ksDistance(heldHours, func(h float64) float64 {
		return hist.AtMost(time.Duration(h * float64(time.Hour)))
	})
	rc.KSTraining = stat.KolmogorovSmirnov(trainHours, nil, heldHours, nil)
	return bt, nil
}

// ksDistance is the Kolmogorov–Smirnov distance between the sorted sample
// x and the continuous distribution function F: sup |F_n − F|, reached
// just before or at a sample point (at a value held several times, F_n
// jumps over all of them).
func ksDistance(x []float64, F func(float64) float64) float64 {
	n := float64(len(x))
	d := 0.0
	for i, v := range x {
		p := F(v)
		d = max(d, float64(i+1)/n-p, p-float64(i)/n)
	}
	return d
}

// resolutionHours are the sorted resolution times, in hours, of the
// tickets opened in [from, to) that have a plausible one, as the fit's.
func resolutionHours(ts []*ticket, from, to time.Time) []float64 {
	var h []float64
	for _, t := range ts {
		if t.resolved == noTime || t.opened < from.UnixNano() || t.opened >= to.UnixNano() {
			continue
		}
		if d := time.Duration(t.resolved - t.opened); plausible(d) {
			h = append(h, d.Hours())
		}
	}
	slices.Sort(h)
	return h
}

// quantile is the p-quantile of v (any order; not modified) by the
// order statistic at rank ⌈p·n⌉.
func quantile(v []float64, p float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// dayCounts are one replication's measured tickets by day and by tier.
type dayCounts struct {
	daily, tiers []int
}

// dayCounter is the sim.Collector of a back-test: it counts each
// replication's measured tickets on the days compared, by day and by
// tier.
type dayCounter struct {
	// dayOf is the index of the held-out day of a simulation time, or -1.
	dayOf       func(time.Duration) int
	days, tiers int
	rep         int
	cur         dayCounts
	reps        map[int]dayCounts
}

func (c *dayCounter) Begin(seed uint64, rep int) {
	c.rep = rep
	c.cur = dayCounts{daily: make([]int, c.days), tiers: make([]int, c.tiers)}
}

func (c *dayCounter) Ticket(t *sim.TicketRecord) {
	if d := c.dayOf(t.Arrival); d >= 0 {
		c.cur.daily[d]++
		c.cur.tiers[t.Tier]++
	}
}

func (c *dayCounter) End() { c.reps[c.rep] = c.cur }

func (c *dayCounter) Merge(o sim.Collector) error {
	oc, ok := o.(*dayCounter)
	if !ok {
		return fmt.Errorf("back-test: cannot merge a %T", o)
	}
	for rep, v := range oc.reps {
		c.reps[rep] = v
	}
	return nil
}

// ordered lists the replications' counts by replication number.
func (c *dayCounter) ordered() []dayCounts {
	keys := make([]int, 0, len(c.reps))
	for k := range c.reps {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]dayCounts, len(keys))
	for i, k := range keys {
		out[i] = c.reps[k]
	}
	return out
}
