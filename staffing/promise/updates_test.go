package promise_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing/promise"
)

// updated is a desk whose updates are known: a fault is open for its
// handling, Exp(1h), and nobody waits (40 agents for about 6 Erlangs), so
// it is given floor(open/30m) updates, 1/(e^(1/2) − 1) = 1.5415 a fault
// on average (standard deviation 1.979), each taken at once as it falls
// due and done 5 minutes later.
const updated = `name: updated
simulation: {horizon: 8w, warm_up: 1d, replications: 3, seed: 5}
tiers:
  - name: faults
    rate: 4/h
    targets: {response: 1h, resolution: 1d}
    handling: {distribution: exponential, mean: 1h}
    updates: {every: 30m, handling: {distribution: deterministic, mean: 5m}, target: 10m}
agents: 40
`

// TestUpdatesByHand: the updates clock's row counts every update of the
// period's faults, 1.5415 a fault within 4 SE, none within 4 minutes and
// every one within 5, so that at any level the promise is 5 minutes.
func TestUpdatesByHand(t *testing.T) {
	sc, err := scenarios.Parse("updated.yaml", []byte(updated))
	if err != nil {
		t.Fatal(err)
	}
	q := promise.Question{Ladder: []time.Duration{4 * time.Minute, 5 * time.Minute, 10 * time.Minute}, Levels: []contract.Levels{{Response: 0.9}},
		Updates: []float64{0.99}, Share: 0.8, Confidence: 0.95, Period: "week"}
	a, _ := answerRun(t, sc, q, scenarios.RunSettings{})
	if len(a.Rows) != 2 || a.Rows[1].Clock != sim.UpdatesClock {
		t.Fatalf("rows %+v, want the faults' response and updates", a.Rows)
	}
	row := a.Rows[1]
	if row.Target != 10*time.Minute || row.Level != 0.99 || row.Periods != a.Replications*int64(a.Periods) {
		t.Errorf("target %v, level %g, %d weeks with updates; want 10m, 99%% and all %d", row.Target, row.Level, row.Periods, a.Replications*int64(a.Periods))
	}
	faults, updates := a.Rows[0].Rungs[0].Tickets, row.Rungs[0].Tickets
	const mean, sd = 1.5415, 1.979
	if got, se := float64(updates)/float64(faults), sd/math.Sqrt(float64(faults)); math.Abs(got-mean) > 4*se {
		t.Errorf("%d updates for %d faults: %.4f a fault, want %.4f (SE %.4f)", updates, faults, got, mean, se)
	}
	if g := row.Rungs; g[0].Within != 0 || g[1].Within != updates || g[2].Within != updates || g[1].Met.Hits != row.Periods {
		t.Errorf("within 4m, 5m, 10m: %d, %d, %d of %d updates, %d of %d weeks met within 5m", g[0].Within, g[1].Within, g[2].Within, updates, g[1].Met.Hits, row.Periods)
	}
	if row.Promise != 1 {
		t.Errorf("promise rung %d, want 5m", row.Promise)
	}
}

// TestUpdatesAreTheRunsFigure: the updates row's pooled attainment within
// the tier's own target is the run's updates clock's, exactly: the same
// updates, judged alike, on the front-door desk (whose hotline desk gives
// fault-1's updates) at several levels of load, by day (every measured
// ticket arrives on a whole day). With a drain of an hour, some updates
// are still not done as it ends: counted, within no rung, as the run
// counts them.
func TestUpdatesAreTheRunsFigure(t *testing.T) {
	sc, err := scenarios.Embedded("front-door")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ scale, drain string }{{"1", "8w"}, {"1.3", "8w"}, {"1", "1m"}} {
		scale := tt.scale
		p, err := sc.With(scenarios.Setting{Path: "arrivals.scale", Value: scale}, scenarios.Setting{Path: "simulation.drain", Value: tt.drain})
		if err != nil {
			t.Fatal(err)
		}
		rs := scenarios.RunSettings{Replications: 3, Horizon: 2 * 7 * 24 * time.Hour}
		m, _, err := p.Prepare(rs)
		if err != nil {
			t.Fatal(err)
		}
		q := promise.Question{Ladder: []time.Duration{5 * time.Minute, 10 * time.Minute, time.Hour}, Share: 0.6, Confidence: 0.9, Period: "day"}
		for range m.Tiers {
			q.Levels = append(q.Levels, contract.Levels{Response: 0.9})
			q.Updates = append(q.Updates, 0.9)
		}
		a, res := answerRun(t, p, q, rs)
		i := slices.IndexFunc(a.Rows, func(r promise.Row) bool { return r.Clock == sim.UpdatesClock })
		if i < 0 || a.Rows[i].Tier != "fault-1" || slices.ContainsFunc(a.Rows[i+1:], func(r promise.Row) bool { return r.Clock == sim.UpdatesClock }) {
			t.Fatalf("scale %s: the updates rows %+v, want fault-1's", scale, a.Rows)
		}
		ts := &res.Summary.Tiers[0]
		run := ts.Clocks[slices.IndexFunc(ts.Clocks, func(c sim.ClockStats) bool { return c.Name == sim.UpdatesClock })]
		g := a.Rows[i].Rungs[1] // 10m, the tier's target
		if cut := tt.drain == "1m"; cut != (run.Censored > 0) || run.Tickets == 0 || g.Tickets != run.Tickets || g.Within != run.Met {
			t.Errorf("scale %s, drain %s: the promise's %d of %d updates within 10m, the run's %d of %d (%d censored)", scale, tt.drain, g.Within, g.Tickets, run.Met, run.Tickets, run.Censored)
		}
	}
}

// TestCutShortMissed: tickets still open as the hour's drain ends miss
// every rung of the clocks still running, though their times so far are
// within them all (targets of 4 weeks): the week's tickets of a tier served
// on Monday morning only. Within 5 weeks, the rows count the others alone,
// as the run counts its clocks.
func TestCutShortMissed(t *testing.T) {
	const cut = `name: cut
simulation: {horizon: 1w, warm_up: 0s, drain: 1h, replications: 2, seed: 5}
tiers:
  - name: served
    rate: 1/h
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 10m}
  - name: mondays
    rate: 1/h
    targets: {response: 4w, resolution: 4w}
    handling: {mean: 10m}
teams:
  - name: desk
    tiers: [served]
    shifts: [{days: all, hours: "00:00-24:00", agents: 2}]
  - name: monday
    tiers: [mondays]
    shifts: [{days: all, hours: "00:00-06:00", agents: 1}]
`
	sc, err := scenarios.Parse("cut.yaml", []byte(cut))
	if err != nil {
		t.Fatal(err)
	}
	q := promise.Question{Ladder: []time.Duration{time.Hour, 5 * sim.Week}, Levels: []contract.Levels{{}, {Response: 0.5, Resolution: 0.5}},
		Share: 0.5, Confidence: 0.9, Period: "week"}
	a, res := answerRun(t, sc, q, scenarios.RunSettings{})
	if len(a.Rows) != 2 {
		t.Fatalf("rows %+v, want the mondays tier's response and resolution", a.Rows)
	}
	ts := &res.Summary.Tiers[1]
	for i, run := range []*sim.MetricStats{&ts.Response, &ts.Resolution} {
		row := a.Rows[i]
		if g := row.Rungs[1]; run.Censored == 0 || g.Tickets != run.Tickets || g.Within != run.Tickets-run.Censored || g.Within != run.Met {
			t.Errorf("%s: %d of %d tickets within 5 weeks; the run: %d met, %d censored", row.Clock, g.Within, g.Tickets, run.Met, run.Censored)
		}
	}
}
