package promise_test

import (
	"context"
	"math"
	"slices"
	"strings"
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
	a, _ := answerRun(t, sc, q, rs)
	return a
}

// answerRun is answer, with the run's result.
func answerRun(t *testing.T, sc *scenarios.Scenario, q promise.Question, rs scenarios.RunSettings) (*promise.Answer, *sim.Result) {
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
	return a, res
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

// allTickets is the reference a rung's credits are checked against: a
// whole contract collector fed every ticket, with the target of one tier
// on one clock replaced, and every outage.
type allTickets struct {
	c      *contract.Collector
	tier   int
	clock  contract.Clock
	named  int // the index of a named clock in a record's Clocks
	target time.Duration
}

func (a *allTickets) Begin(seed uint64, rep int)  { a.c.Begin(seed, rep) }
func (a *allTickets) End()                        { a.c.End() }
func (a *allTickets) Outage(o *sim.OutageRecord)  { a.c.Outage(o) }
func (a *allTickets) Merge(o sim.Collector) error { return a.c.Merge(o.(*allTickets).c) }
func (a *allTickets) Ticket(t *sim.TicketRecord) {
	rec := *t
	switch {
	case t.Tier != a.tier:
	case a.clock == contract.Response:
		rec.ResponseTarget = a.target
	case a.clock == contract.Resolution:
		rec.ResolutionTarget = a.target
	default:
		rec.Clocks = slices.Clone(t.Clocks)
		rec.Clocks[a.named].Target = a.target
	}
	a.c.Ticket(&rec)
}

// TestCreditsShared: each rung's expected credits, computed from its own
// tier's tickets and the other tiers' figures of one shared collector, are
// exactly those of a whole contract collector fed every ticket with that
// target replaced, on the contract example with a fixed outage coefficient
// (a drawn one takes its draws from a stream of the rung's own tickets).
func TestCreditsShared(t *testing.T) {
	src, _ := scenarios.Source("contract")
	fixed := strings.Replace(string(src), "outage: [1.5, 2.0]", "outage: 1.75", 1)
	if fixed == string(src) {
		t.Fatal("the contract example's drawn coefficient moved")
	}
	sc, err := scenarios.Vary("contract.yaml", []byte(fixed), scenarios.Setting{Path: "simulation.horizon", Value: "9w"})
	if err != nil {
		t.Fatal(err)
	}
	levels := make([]contract.Levels, 3)
	levels[0] = contract.Levels{Response: 0.9, Resolution: 0.9}
	levels[2].Response = 0.8
	creditsAgree(t, sc, levels, []allTickets{{tier: 0, clock: contract.Response}, {tier: 0, clock: contract.Resolution}, {tier: 2, clock: contract.Response}})
}

// TestCreditsNamed: a named clock's rungs cost what the contract costs
// with the rung written in as the clock's target: the fault-levels
// example under a contract with levels on its named clocks, a per-breach
// credit and an escalation ladder on on site, and attainment credits on
// every level; a whole contract collector fed every ticket with the
// clock's target replaced gives exactly each rung's costs.
func TestCreditsNamed(t *testing.T) {
	src, _ := scenarios.Source("fault-levels")
	sc, err := scenarios.Vary("fault-levels.yaml", append(src, `
contract:
  fee: {monthly: 100000}
  tiers:
    - tier: level 1
      response: 95%
      clocks: {on site: 90%}
      per_breach: 100%
      attainment: 1%
    - tier: level 2
      clocks: {remote fix: 90%, on site: 85%}
      per_breach: 50%
      attainment: 2%
  per_breach: {clock: on site}
  attainment: {step: 1%}
  escalation: {counts: missed_level, steps: [{credit: 10%}, {cost: 5000}, {cost: 20000}]}
`...), scenarios.Setting{Path: "simulation.horizon", Value: "13w"})
	if err != nil {
		t.Fatal(err)
	}
	// The model's named clocks: on site, remote fix, solution.
	levels := []contract.Levels{{Clocks: []float64{0.9}}, {Clocks: []float64{0.85, 0.9}}, {Response: 0.9, Clocks: []float64{0, 0, 0.9}}}
	creditsAgree(t, sc, levels, []allTickets{{tier: 0, clock: contract.Named(0), named: 0}, {tier: 1, clock: contract.Named(1), named: 1},
		{tier: 1, clock: contract.Named(0), named: 0}, {tier: 2, clock: contract.Response}, {tier: 2, clock: contract.Named(2), named: 2}})
}

// creditsAgree runs sc with a promise's collectors at the levels, and a
// whole contract collector per row (rows, in the answer's order) and
// rung, and checks that each rung costs what that collector says.
func creditsAgree(t *testing.T, sc *scenarios.Scenario, levels []contract.Levels, rows []allTickets) {
	t.Helper()
	sc.Simulation.Periods = []string{"month"}
	m, opts, err := sc.Prepare(scenarios.RunSettings{})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := sc.ContractPlan(m)
	if err != nil {
		t.Fatal(err)
	}
	q := promise.Question{Ladder: []time.Duration{30 * time.Minute, 4 * time.Hour}, Levels: levels, Share: 0.8, Confidence: 0.95, Period: "month"}
	p, err := promise.NewPlan(m, q, cp)
	if err != nil {
		t.Fatal(err)
	}
	reference := func() sim.Collector {
		var cs sim.Collectors
		for _, r := range rows {
			for _, target := range q.Ladder {
				cs = append(cs, &allTickets{c: cp.NewCollector().(*contract.Collector), tier: r.tier, clock: r.clock, named: r.named, target: target})
			}
		}
		return cs
	}
	opts.Replications = 4
	opts.Collector = sim.CombineCollectors(p.NewCollector, reference)
	res, err := sim.Run(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	both := res.Collected.(sim.Collectors)
	a, err := p.Answer(both[0])
	if err != nil {
		t.Fatal(err)
	}
	want := both[1].(sim.Collectors)
	i := 0
	for _, row := range a.Rows {
		for _, g := range row.Rungs {
			ref := want[i].(*allTickets).c.Results().Cost.Mean
			if got := g.Cost.Mean; got.N != ref.N || got.Mean() != ref.Mean() || got.Variance() != ref.Variance() {
				t.Errorf("%s %s within %v: a period costs %v (n %d), the whole collector says %v (n %d)", row.Tier, row.Clock, g.Target, got.Mean(), got.N, ref.Mean(), ref.N)
			}
			t.Logf("%s %s within %v: a period costs %.2f", row.Tier, row.Clock, g.Target, g.Cost.Mean.Mean())
			i++
		}
	}
	if i != len(want) || len(a.Rows) != len(rows) {
		t.Fatalf("%d rungs in %d rows, %d references", i, len(a.Rows), len(want))
	}
}

// TestLeftTickets: a ticket that leaves is judged as the contract judges
// it, missed on both clocks whatever it waited. A loss system, one agent
// and no line (Erlang B), a ticket every 2 hours on average and a
// deterministic hour's work: a ticket is answered at once or turned away,
// with chance B = A/(1+A) = 1/3 at A = 0.5 Erlangs. The answered are
// answered within every rung and resolved within 2 hours, not 1 minute,
// so the pooled attainment is 1 - B on every response rung and on the
// resolution's 2 hours; counting a blocked ticket by its clocks' times
// (nought) put them at 100%.
func TestLeftTickets(t *testing.T) {
	sc, err := scenarios.Parse("loss.yaml", []byte(`name: loss
simulation: {horizon: 26w, warm_up: 0s, replications: 4, seed: 7}
arrivals: {volume: 0.5/h}
tiers:
  - {name: calls, share: 100%, targets: {response: 1m, resolution: 1h}, handling: {distribution: deterministic, mean: 1h}, queue_capacity: 0}
agents: 1
`))
	if err != nil {
		t.Fatal(err)
	}
	q := promise.Question{Ladder: []time.Duration{time.Minute, 2 * time.Hour}, Levels: []contract.Levels{{Response: 0.5, Resolution: 0.5}}, Share: 0.9, Confidence: 0.95, Period: "week"}
	a := answer(t, sc, q, scenarios.RunSettings{})
	if len(a.Rows) != 2 {
		t.Fatalf("%d rows, want response and resolution", len(a.Rows))
	}
	const blocked = 1.0 / 3
	for _, row := range a.Rows {
		for _, g := range row.Rungs {
			want := 1 - blocked
			if row.Clock == "resolution" && g.Target < time.Hour {
				want = 0
			}
			got := float64(g.Within) / float64(g.Tickets)
			if se := math.Sqrt(blocked * (1 - blocked) / float64(g.Tickets)); math.Abs(got-want) > 4*se {
				t.Errorf("%s within %v: %.4f of %d tickets, want %.4f (SE %.4f)", row.Clock, g.Target, got, g.Tickets, want, se)
			}
		}
	}
}
