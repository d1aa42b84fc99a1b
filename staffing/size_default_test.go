package staffing_test

import (
	"context"
	"testing"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// sizeDefault sizes the embedded default scenario with its sizing section
// and seed.
func sizeDefault(tb testing.TB, workers int) (*staffing.Problem, *staffing.Result) {
	tb.Helper()
	sc, err := scenarios.Open("default")
	if err != nil {
		tb.Fatal(err)
	}
	p := sc.SizingProblem()
	res, err := staffing.Size(context.Background(), p, staffing.Options{Seed: sc.Simulation.Seed, Workers: workers})
	if err != nil {
		tb.Fatal(err)
	}
	return p, res
}

// TestSizeDefaultHoldsWithAFreshSeed sizes the default scenario, then
// simulates the staffing found with a seed the search never used and twice
// the replications of a first batch, and checks every level with the
// requirement's own rule: the lower end of the interval at or above it.
func TestSizeDefaultHoldsWithAFreshSeed(t *testing.T) {
	p, res := sizeDefault(t, 0)
	if !res.Feasible {
		t.Fatalf("no staffing of the default scenario meets its requirement; best attainable %v", res.Best.Agents)
	}
	run, err := sim.Run(context.Background(), p.Staffed(res.Best.Agents), sim.Options{Seed: 20261124, Replications: 20})
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
			if !(lo >= c.level) {
				t.Errorf("%s %s with %v, fresh seed: [%.4f, %.4f], below the level %v", ts.Name, c.name, res.Best.Agents, lo, hi, c.level)
			}
		}
	}
	t.Logf("default sized to %v (given %v): %d staffings simulated, %d replications", res.Best.Agents, res.Given.Agents, res.Candidates, res.Replications)
}

// BenchmarkSizeDefault sizes the embedded default scenario from scratch,
// on every CPU (2 on the reference machine): the analytic start, the
// search, the confirmation, the frontier and the given staffing. Issue 7
// asks for under a minute; see docs/sizing.md for the figure.
//
//	go test -run '^$' -bench SizeDefault -benchtime 5x ./staffing/
func BenchmarkSizeDefault(b *testing.B) {
	var res *staffing.Result
	for b.Loop() {
		_, res = sizeDefault(b, 0)
	}
	b.ReportMetric(float64(res.Candidates), "staffings")
	b.ReportMetric(float64(res.Replications), "replications")
}
