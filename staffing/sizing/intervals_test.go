package sizing_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
	"github.com/slasim/slasim/staffing/sizing"
)

// halfHourly is a desk staffed per half hour, the call centre's way: six
// agents by day and two at night, every day, for tickets arriving by a
// daily profile.
func halfHourly() string {
	counts := make([]string, 336)
	for k := range counts {
		counts[k] = "2"
		if h := k % 48 / 2; h >= 8 && h < 20 {
			counts[k] = "6"
		}
	}
	return `name: half-hourly
simulation: {horizon: 2w, warm_up: 1w, replications: 10, seed: 5, start: 2026-11-30}
arrivals:
  volume: 160/day
  profile:
    by_hour: [0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1, 1.4, 1.6, 1.6, 1.5,
              1.3, 1.5, 1.6, 1.5, 1.3, 1.1, 0.9, 0.7, 0.5, 0.4, 0.3, 0.3]
tiers:
  - name: all
    share: 100%
    targets: {response: 20m, resolution: 8h}
    handling: {distribution: exponential, mean: 30m}
teams:
  - name: desk
    intervals: {agents: [` + strings.Join(counts, ", ") + `]}
sizing:
  level: 85%
  tiers: [{tier: all, resolution: 0}]
  teams: [{team: desk, intervals: {block: 8h}}]
`
}

// halfHourlyProblem is the sizing problem of the half-hourly desk.
func halfHourlyProblem(t *testing.T) (*scenarios.Scenario, *sizing.Problem) {
	t.Helper()
	sc, err := scenarios.ParseAlone("half-hourly.yaml", []byte(halfHourly()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sc.SizingProblem()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Posts) != 0 || len(p.Intervals) != 1 || len(p.Intervals[0].Units) != 336 {
		t.Fatalf("%d posts and %d interval staffings, want the desk's 336 half hours alone", len(p.Posts), len(p.Intervals))
	}
	return sc, p
}

// TestAnalyticIntervals: the analytic start gives every half hour of a
// desk staffed per half hour Erlang C's head count for the rate of its
// hour, computed here from the engine's arrival profile with
// queueing.ServersFor.
func TestAnalyticIntervals(t *testing.T) {
	_, p := halfHourlyProblem(t)
	_, x, err := p.Analytic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	m := p.Model
	a := m.Tiers[0].Arrivals
	for k, got := range x {
		// The engine reads the profile at (t + WeekOffset − WarmUp) modulo
		// its period at time t.
		at := m.WarmUp + time.Duration(k)*30*time.Minute
		off := ((at+m.WeekOffset-m.WarmUp)%a.Period() + a.Period()) % a.Period()
		rate := a.Rates[off/a.Interval]
		want, err := queueing.ServersFor(rate, 2, 1.0/3, 0.85)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("half hour %d: analytic %d agents, Erlang C for %.2f tickets an hour %d", k, got, rate, want)
		}
	}
}

// TestSizeIntervals sizes the half-hourly desk: the search moves
// eight-hour blocks from the analytic start, each held to the level for
// the tickets arriving in it, and the head counts --write puts in the
// scenario meet the level on a seed the search never used. About 3 s of
// CPU: .ci/run runs it (SLASIM_LONG_TESTS=1).
func TestSizeIntervals(t *testing.T) {
	if os.Getenv("SLASIM_LONG_TESTS") == "" {
		t.Skip("about 3 s of CPU; SLASIM_LONG_TESTS=1 runs it (.ci/run does)")
	}
	sc, p := halfHourlyProblem(t)
	res, err := sizing.Size(context.Background(), p, sizing.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Feasible || len(res.Intervals) != 1 {
		t.Fatalf("feasible %v with %d interval staffings sized", res.Feasible, len(res.Intervals))
	}
	iv := res.Intervals[0]
	m := p.Model
	for i, q := range res.Posts {
		b := q.Block
		if peak := slices.Max(iv.Analytic[b.First : b.First+b.Count]); res.Analytic[i] != peak {
			t.Errorf("%s starts at %d agents, its intervals' analytic peak is %d", q.Name, res.Analytic[i], peak)
		}
	}
	if n := len(res.Posts); n != 21 {
		t.Errorf("%d posts searched, want 21 blocks of eight hours", n)
	}
	for i, q := range res.Posts {
		t.Logf("%s: analytic %d, sized %d (given %d)", q.Name, res.Analytic[i], res.Best.Agents[i], q.Agents)
	}
	t.Logf("sized %v", iv.Sized)
	t.Logf("%d staffings, %d replications; %.0f agent-hours a week sized, %.0f given", res.Candidates, res.Replications, iv.Hours, res.Given.AgentHours)
	for k, n := range iv.Sized {
		if n < 0 {
			t.Errorf("interval %d sized to %d agents", k, n)
		}
	}
	data, err := sc.Sized(res)
	if err != nil {
		t.Fatal(err)
	}
	sized, err := scenarios.ParseAlone("sized.yaml", data)
	if err != nil {
		t.Fatalf("the sized scenario does not parse: %v", err)
	}
	if got := sized.Teams[0].Schedule.Intervals[0].Agents; fmt.Sprint(got) != fmt.Sprint(iv.Sized) {
		t.Errorf("written head counts %v, sized %v", got, iv.Sized)
	}
	// The result's staffing is the written scenario's.
	ours, theirs := res.Staffed(res.Best.Agents).Teams[0].OnSite, sized.Model().Teams[0].OnSite
	if a, b := sizing.WeeklyHours(ours, m), sizing.WeeklyHours(theirs, m); math.Abs(a-b) > 1e-9 || math.Abs(a-iv.Hours) > 1e-9 {
		t.Errorf("the result staffs %v agent-hours a week, the written scenario %v, the intervals sized %v", a, b, iv.Hours)
	}
	run, err := sim.Run(context.Background(), sized.Model(), sim.Options{Seed: 20261203, Replications: 20})
	if err != nil {
		t.Fatal(err)
	}
	r := &run.Summary.Tiers[0].Response
	lo, _ := r.Attainment.CI(0.95)
	t.Logf("fresh seed: %.2f%%, interval from %.2f%%", 100*r.Attainment.Mean(), 100*lo)
	if !(lo >= 0.85) {
		t.Errorf("the sized scenario on a fresh seed answers %.2f%% in time, interval from %.2f%%: below 85%%", 100*r.Attainment.Mean(), 100*lo)
	}
}

// BenchmarkSizeIntervals sizes the half-hourly desk of TestSizeIntervals:
// 336 half hours, moved by eight-hour blocks.
func BenchmarkSizeIntervals(b *testing.B) {
	sc, err := scenarios.ParseAlone("half-hourly.yaml", []byte(halfHourly()))
	if err != nil {
		b.Fatal(err)
	}
	p, err := sc.SizingProblem()
	if err != nil {
		b.Fatal(err)
	}
	var res *sizing.Result
	for b.Loop() {
		if res, err = sizing.Size(context.Background(), p, sizing.Options{Seed: 5}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Replications), "replications")
	b.ReportMetric(float64(res.Candidates), "staffings")
}
