package contract

import (
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// TestOutageOfServices prices a service's downtime: with a fixed
// coefficient, exactly downtime hours × the month's revenue per hour × c;
// with exponential up and repair times, the mean cost a month against the
// exact mean downtime; and the same outages at the same price whatever the
// staffing, the coefficients being drawn per outage from the service's
// own stream.
func TestOutageOfServices(t *testing.T) {
	h := time.Hour
	m := &sim.Model{
		Tiers: []sim.Tier{{Name: "urgent", Arrivals: sim.ConstantRate(1), Handling: sim.Exponential{Mu: 30 * time.Minute},
			Response: 15 * time.Minute, Resolution: 4 * h}},
		Agents: 2, WarmUp: 2 * day, Horizon: 91 * day,
	}
	origin := jan2024.Add(-m.WarmUp)
	periods := CalendarPeriods(origin, 1, m.WarmUp, m.WarmUp+m.Horizon)
	windows := make([]sim.Window, len(periods))
	for i, p := range periods {
		windows[i] = sim.Window{Start: p.Start, End: p.End}
	}
	const fee = 73000.0 // a month
	plan := func(c Range) *Plan {
		k := &Contract{Fee: Fee{Monthly: fee}, PeriodMonths: 1, Term: 3,
			Credits: []Credit{&Outage{Outages: true, Coefficient: []Range{c}}}}
		p, err := NewPlan(k, []string{"urgent"}, periods)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	// Down 2 hours of every 12: 4 hours a day.
	m.Services = []sim.Service{{Name: "gateway", Up: sim.Deterministic{Value: 10 * h}, Restore: sim.Deterministic{Value: 2 * h}, Periods: windows}}
	r := runPlan(t, m, plan(Range{1.5, 1.5}), sim.Options{Seed: 1, Replications: 2})
	var want float64
	for _, p := range periods {
		// The outages beginning in the month, at 10 h + 12 h·k from time
		// 0, each costing 2 h × the month's rate × 1.5.
		for at := 10 * h; at < p.End; at += 12 * h {
			if at >= p.Start {
				want += 2 * fee / p.Hours() * 1.5
			}
		}
	}
	want /= float64(len(periods))
	if got := r.Cost.Mean.Mean(); math.Abs(got-want) > 1e-9*want {
		t.Errorf("deterministic outages: %.6f a month, want %.6f", got, want)
	}

	// Exponential times: the cost a month is E[downtime] × rate × E[c],
	// the exact mean downtime of a month of the two-state process in its
	// long-run state (two days of warm-up leave e^{-25} of the start).
	// Downtime past the month's end counts in the month the outage began
	// in, which moves the mean by E[repair]²/MTBF-sized terms at both ends
	// alike: nothing on average.
	m.Services[0].Up, m.Services[0].Restore = sim.Exponential{Mu: 40 * h}, sim.Exponential{Mu: 2 * h}
	r = runPlan(t, m, plan(Range{1.5, 2}), sim.Options{Seed: 3, Replications: 400})
	f := queueing.FailureRepair{MTBF: 40, MTTR: 2}
	want = 0
	for _, p := range periods {
		want += f.DowntimeMean(p.Hours(), queueing.StartStationary) * fee / p.Hours() * 1.75
	}
	want /= float64(len(periods))
	got, se := r.Cost.Mean.Mean(), math.Sqrt(r.Cost.Mean.Variance()/float64(r.Cost.Mean.N))
	t.Logf("downtime credits a month %.1f ± %.1f (SE); exact %.1f", got, se, want)
	if math.Abs(got-want) > 4*se {
		t.Errorf("downtime credits %.1f a month, exact %.1f: %.1f standard errors apart", got, want, math.Abs(got-want)/se)
	}

	// Common random numbers: more agents, the same outage credits.
	more := *m
	more.Agents = 9
	r2 := runPlan(t, &more, plan(Range{1.5, 2}), sim.Options{Seed: 3, Replications: 400})
	if r2.Cost.Mean.Mean() != got || r2.Cost.Mean.Variance() != r.Cost.Mean.Variance() {
		t.Errorf("the staffing changed the outage credits: %.4f against %.4f", r2.Cost.Mean.Mean(), got)
	}
}
