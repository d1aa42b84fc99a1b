package sizing_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing/sizing"
)

// sizeDefault sizes the embedded default scenario with its sizing section
// and seed.
func sizeDefault(tb testing.TB, workers int) (*sizing.Problem, *sizing.Result) {
	tb.Helper()
	sc, err := scenarios.Open("default")
	if err != nil {
		tb.Fatal(err)
	}
	return sizeScenario(tb, sc, workers)
}

// sizeScenario sizes a scenario with its sizing section and seed.
func sizeScenario(tb testing.TB, sc *scenarios.Scenario, workers int) (*sizing.Problem, *sizing.Result) {
	tb.Helper()
	p, err := sc.SizingProblem()
	if err != nil {
		tb.Fatal(err)
	}
	res, err := sizing.Size(context.Background(), p, sizing.Options{Seed: sc.Simulation.Seed, Workers: workers})
	if err != nil {
		tb.Fatal(err)
	}
	return p, res
}

// contractWith is the contract example (seed 1) with the settings made.
func contractWith(tb testing.TB, settings ...scenarios.Setting) *scenarios.Scenario {
	tb.Helper()
	src, ok := scenarios.Source("contract")
	if !ok {
		tb.Skip("no contract example")
	}
	sc, err := scenarios.Vary("contract.yaml", src, settings...)
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// holdsWithAFreshSeed simulates the staffing a sizing found with a seed
// the search never used, 20 replications, and checks every level with the
// requirement's own rule: the lower end of the interval at or above it.
func holdsWithAFreshSeed(t *testing.T, p *sizing.Problem, res *sizing.Result, seed uint64) {
	t.Helper()
	if !res.Feasible {
		t.Fatalf("no staffing meets the requirement; best attainable %v", res.Best.Agents)
	}
	run, err := sim.Run(context.Background(), res.Staffed(res.Best.Agents), sim.Options{Seed: seed, Replications: 20})
	if err != nil {
		t.Fatal(err)
	}
	if run.Unstable != nil {
		t.Fatalf("the sized staffing %v is unstable", res.Best.Agents)
	}
	req := p.Requirement
	for i, l := range req.Levels {
		ts := &run.Summary.Tiers[i]
		for _, c := range []struct {
			name  string
			level float64
			stats *sim.MetricStats
		}{{"response", l.Response, &ts.Response}, {"resolution", l.Resolution, &ts.Resolution}} {
			if c.level == 0 {
				continue
			}
			lo, hi := c.stats.Attainment.CI(req.Confidence)
			t.Logf("fresh seed: %s %s %.2f%% [%.2f%%, %.2f%%], level %v", ts.Name, c.name, 100*c.stats.Attainment.Mean(), 100*lo, 100*hi, c.level)
			if !(lo >= c.level) {
				t.Errorf("%s %s with %v, fresh seed: [%.4f, %.4f], below the level %v", ts.Name, c.name, res.Best.Agents, lo, hi, c.level)
			}
		}
	}
	t.Logf("sized to %v (analytic %v, given %v): %d staffings simulated, %d replications", res.Best.Agents, res.Analytic, res.Given.Agents, res.Candidates, res.Replications)
}

// TestSizeDefaultHoldsWithAFreshSeed sizes the default scenario and checks
// the result on a seed the search never used.
func TestSizeDefaultHoldsWithAFreshSeed(t *testing.T) {
	p, res := sizeDefault(t, 0)
	holdsWithAFreshSeed(t, p, res, 20261124)
}

// BenchmarkSizeDefault sizes the embedded default scenario from scratch,
// on every CPU (2 on the reference machine): the analytic start, the
// search, the confirmation, the frontier and the given sizing. Issue 7
// asks for under a minute; see docs/sizing.md for the figure.
//
//	go test -run '^$' -bench SizeDefault -benchtime 5x ./staffing/sizing
func BenchmarkSizeDefault(b *testing.B) {
	var res *sizing.Result
	for b.Loop() {
		_, res = sizeDefault(b, 0)
	}
	b.ReportMetric(float64(res.Candidates), "staffings")
	b.ReportMetric(float64(res.Replications), "replications")
}

// sizeSkills sizes the three-team skills desk of testdata.
func sizeSkills(tb testing.TB, workers int) (*sizing.Problem, *sizing.Result) {
	tb.Helper()
	data, err := os.ReadFile("testdata/skills-desk.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	sc, err := scenarios.Parse("testdata/skills-desk.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	return sizeScenario(tb, sc, workers)
}

// BenchmarkSizeSkills sizes a desk of three teams with skills (an L1
// desk, L2 specialists for two tiers, a night desk taking all), four
// shifts, on every CPU.
//
//	go test -run '^$' -bench SizeSkills -benchtime 3x ./staffing/sizing
func BenchmarkSizeSkills(b *testing.B) {
	var res *sizing.Result
	for b.Loop() {
		_, res = sizeSkills(b, 0)
	}
	b.ReportMetric(float64(res.Candidates), "staffings")
	b.ReportMetric(float64(res.Replications), "replications")
}

// TestSizeSkillsDesk sizes the skills desk and simulates the staffing
// found with a seed the search never used: every level must hold. About
// 8 s of CPU: run by .ci/run's long step (SLASIM_LONG_TESTS=1).
func TestSizeSkillsDesk(t *testing.T) {
	if os.Getenv("SLASIM_LONG_TESTS") == "" {
		t.Skip("about 8 s of CPU; SLASIM_LONG_TESTS=1 runs it (.ci/run does)")
	}
	p, res := sizeSkills(t, 0)
	holdsWithAFreshSeed(t, p, res, 20261203)
}

// TestSizeContract sizes the contract example by its contract alone: no
// mean-attainment level, each contractual level met in at least 80% of
// months, the expected credits in the cost. The result must meet that in
// its own figures, carry the credits, and the staffing one agent below it
// must miss or cost more in total.
func TestSizeContract(t *testing.T) {
	_, res := sizeScenario(t, contractWith(t,
		scenarios.Setting{Path: "simulation.horizon", Value: "9w"},
		scenarios.Setting{Path: "sizing.level", Value: "0"},
		scenarios.Setting{Path: "sizing.periods_met", Value: "80%"},
		scenarios.Setting{Path: "sizing.cost", Value: "60"}), 0)
	if !res.Feasible || len(res.Best.Checks) == 0 || res.Best.Penalty <= 0 {
		t.Fatalf("sized %v: feasible %v, checks %v, penalty %v; want the contract's checks met and its credits counted", res.Best.Agents, res.Feasible, res.Best.Checks, res.Best.Penalty)
	}
	for _, c := range res.Best.Checks {
		if !strings.Contains(c.Name, "periods at") || c.Level != 0.8 {
			t.Errorf("check %+v is not a contract period check at 80%%", c)
		}
	}
	for _, ev := range res.Frontier {
		if ev.Agents[0] == res.Best.Agents[0]-1 && ev.Feasible() && ev.Cost() < res.Best.Cost() {
			t.Errorf("%v meets the contract at %.0f a week, less than the result's %.0f", ev.Agents, ev.Cost(), res.Best.Cost())
		}
	}
}

// TestSizeContractRisk sizes the contract example over its whole year by
// its periods (80% of months meeting each level) and a bound on the chance
// of a termination right within the term, 10%: the result must meet the
// bound, the staffing one agent fewer must not be able to vouch for it,
// and a seed the search never used must agree. A year per replication:
// run by .ci/run's long step (SLASIM_LONG_TESTS=1), about 7 s of CPU.
func TestSizeContractRisk(t *testing.T) {
	if os.Getenv("SLASIM_LONG_TESTS") == "" {
		t.Skip("a year per replication; SLASIM_LONG_TESTS=1 runs it (.ci/run does)")
	}
	sc := contractWith(t,
		scenarios.Setting{Path: "sizing.level", Value: "0"},
		scenarios.Setting{Path: "sizing.periods_met", Value: "80%"},
		scenarios.Setting{Path: "sizing.cost", Value: "60"},
		scenarios.Setting{Path: "sizing.risk.termination", Value: "10%"})
	p, res := sizeScenario(t, sc, 0)
	termination := func(e *sizing.Evaluation) *sizing.Check {
		for i := range e.Checks {
			if strings.HasPrefix(e.Checks[i].Name, "no termination right") {
				return &e.Checks[i]
			}
		}
		t.Fatalf("%v: no termination check among %v", e.Agents, e.Checks)
		return nil
	}
	if c := termination(res.Best); !res.Feasible || !c.Met() || c.Level != 0.9 {
		t.Fatalf("sized %v: feasible %v, %+v", res.Best.Agents, res.Feasible, c)
	}
	for _, e := range res.Frontier {
		if e.Agents[0] == res.Best.Agents[0]-1 && termination(e).Met() {
			t.Errorf("%v, one agent fewer, vouches for the bound too: %+v", e.Agents, termination(e))
		}
	}
	// A seed the search never used.
	plan, err := sc.ContractPlan(p.Model)
	if err != nil {
		t.Fatal(err)
	}
	run, err := sim.Run(context.Background(), res.Staffed(res.Best.Agents), sim.Options{Seed: 20261203, Replications: 40, Collector: plan.NewCollector})
	if err != nil {
		t.Fatal(err)
	}
	r := run.Collected.(*contract.Collector).Results()
	if _, hi := r.Terminated.Interval(0.95); !(hi <= 0.1) {
		t.Errorf("sized %v on a fresh seed: a termination right in %d of %d replications, interval up to %.1f%%, above 10%%", res.Best.Agents, r.Terminated.Hits, r.Terminated.Trials, 100*hi)
	}
	t.Logf("sized %v; fresh seed: a termination right in %d of %d replications", res.Best.Agents, r.Terminated.Hits, r.Terminated.Trials)
}

// TestPeriodMissedAnyLevel: sizing.risk.period_missed bounds the chance
// that a month misses any contractual level, as the letters count a missed
// period, one check beside periods_met's per tier and clock. On the
// contract example as given, the share of months meeting every level can
// be no more than that of any one level (each is a subset), and no less
// than one minus the sum of the shares missing each (the union bound).
func TestPeriodMissedAnyLevel(t *testing.T) {
	sc := contractWith(t,
		scenarios.Setting{Path: "simulation.horizon", Value: "26w"},
		scenarios.Setting{Path: "sizing.periods_met", Value: "80%"},
		scenarios.Setting{Path: "sizing.risk.period_missed", Value: "30%"})
	p, err := sc.SizingProblem()
	if err != nil {
		t.Fatal(err)
	}
	// One agent fewer than given: most months miss a level.
	fewer := []int{p.Posts[0].Agents - 1}
	res, err := sim.Run(context.Background(), p.Staffed(fewer), sim.Options{Seed: 3, Replications: 10, Collector: p.Assessor.Collector})
	if err != nil {
		t.Fatal(err)
	}
	checks, _, err := p.Assessor.Assess(res, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	var all *sizing.Check
	lowest, missed, per := 1.0, 0.0, 0
	for i := range checks {
		c := &checks[i]
		switch {
		case c.Name == "periods meeting every level":
			all = c
		case strings.Contains(c.Name, "periods at"):
			lowest, missed, per = min(lowest, c.Mean), missed+(1-c.Mean), per+1
		}
	}
	if all == nil || per < 2 || all.Level != 0.7 {
		t.Fatalf("checks %+v: want one for every level at 70%% beside at least two per tier and clock", checks)
	}
	t.Logf("months meeting every level %.3f [%.3f, %.3f]; each level at least %.3f; union bound %.3f", all.Mean, all.Lo, all.Hi, lowest, 1-missed)
	if all.Mean > lowest+1e-12 || all.Mean < 1-missed-1e-12 {
		t.Errorf("months meeting every level %.4f, outside [%.4f, %.4f]", all.Mean, 1-missed, lowest)
	}
}
