package promise_test

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/sim/queueing"
	"github.com/slasim/slasim/staffing/promise"
)

// answer runs the scenario once with the question's collectors.
func answer(t *testing.T, sc *scenarios.Scenario, q promise.Question, rs scenarios.RunSettings) *promise.Answer {
	t.Helper()
	sc.Simulation.Periods = []string{q.Period}
	m, opts, err := sc.Prepare(rs)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := sc.ContractPlan(m)
	if err != nil {
		t.Fatal(err)
	}
	p, err := promise.NewPlan(m, q, cp)
	if err != nil {
		t.Fatal(err)
	}
	opts.Collector = p.NewCollector
	res, err := sim.Run(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.Answer(res.Collected)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestErlangC checks the promise on an M/M/c desk (the erlang-c example
// with 12 agents: load 9 Erlangs, 75% busy) against Erlang C's
// waiting-time distribution a(t) = P(W <= t) = 1 - C·e^{-(cμ-λ)t}. A week
// holds about 1,500 tickets, whose share answered within t is a(t) give or
// take σ(t), its standard deviation across weeks (measured). Each rung's
// mean attainment over weeks must agree with a(t) within 4 standard
// errors (or of the pooled tickets, if larger). By Erlang C, a week meets level L within t with a chance of
// about Φ(z), z = (a(t) - L)/σ(t): a rung with z >= 4 is met by every week
// and must be promisable (a rung at or before it promised), and a rung
// with Φ(z) well below the share asked (z < Φ⁻¹(share) - 1) must not be.
func TestErlangC(t *testing.T) {
	sc, err := scenarios.Embedded("erlang-c")
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.With(scenarios.Setting{Path: "agents", Value: "12"}); err != nil {
		t.Fatal(err)
	}
	mmc := queueing.MMc{Servers: 12, ArrivalRate: 9, ServiceRate: 1} // per hour
	// Five-minute rungs, so that the closed form separates them finely,
	// then quarter hours to 4 hours.
	var ladder []time.Duration
	for d := 5 * time.Minute; d <= 4*time.Hour; d += 5 * time.Minute {
		if d <= 2*time.Hour || d%(15*time.Minute) == 0 {
			ladder = append(ladder, d)
		}
	}
	for _, tc := range []struct{ level, share float64 }{
		{0.80, 0.95}, {0.90, 0.95}, {0.95, 0.80}, {0.99, 0.5}, {0.95, 0.95},
	} {
		q := promise.Question{Ladder: ladder, Levels: []contract.Levels{{Response: tc.level}}, Share: tc.share, Confidence: 0.95, Period: "week"}
		a := answer(t, sc, q, scenarios.RunSettings{Replications: 10, Horizon: 26 * 7 * 24 * time.Hour})
		if len(a.Rows) != 1 || a.Rows[0].Clock != "response" {
			t.Fatalf("rows %+v, want the response clock only (resolution has no level)", a.Rows)
		}
		row := a.Rows[0]
		if row.Periods != a.Replications*int64(a.Periods) || a.Periods < 25 {
			t.Errorf("%d weeks with tickets, want %d replications × %d weeks", row.Periods, a.Replications, a.Periods)
		}
		zShare := distuv.UnitNormal.Quantile(tc.share)
		sure, never := -1, -1 // the first rung surely met, the last surely not
		for j, g := range row.Rungs {
			exact := mmc.WaitAtMost(g.Target.Hours())
			mean, sd := g.Attainment.Mean(), math.Sqrt(g.Attainment.Variance())
			// The SE across weeks, or when every week is alike (all within
			// the target) the binomial SE of the pooled tickets.
			se := max(sd/math.Sqrt(float64(g.Attainment.N)), math.Sqrt(exact*(1-exact)/float64(g.Tickets)))
			if math.Abs(mean-exact) > 4*se {
				t.Errorf("attainment within %v %.4f, Erlang C %.4f (SE %.4f)", g.Target, mean, exact, se)
			}
			switch z := (exact - tc.level) / sd; {
			case z >= 4 && sure < 0:
				sure = j
			case z < zShare-1:
				never = j
			}
		}
		if sure < 0 || never < 0 {
			t.Fatalf("level %g: the ladder does not bracket the promise (surely met from %d, surely not to %d)", tc.level, sure, never)
		}
		if row.Promise < 0 || row.Promise > sure || row.Promise <= never {
			t.Errorf("level %g share %g: promised rung %d, want one after %v (Erlang C: too few weeks meet it) and at most %v (every week meets it)",
				tc.level, tc.share, row.Promise, ladder[never], ladder[sure])
		}
	}
}
