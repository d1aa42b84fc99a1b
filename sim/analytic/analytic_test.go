package analytic_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/analytic"
	"github.com/slasim/slasim/sim/queueing"
)

func model(t *testing.T, name string) *sim.Model {
	t.Helper()
	sc, err := scenarios.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc.Model()
}

// The erlang-c example's comment gives its exact answers; For finds them
// from the scenario as the engine sees it.
func TestErlangCExample(t *testing.T) {
	a, err := analytic.For(t.Context(), model(t, "erlang-c"), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name           string
		got, want, tol float64
	}{
		{"P(W <= 1h)", a.Response, 0.7540, 0.5e-4},
		{"P(W + S <= 4h)", a.Resolution, 0.9327, 0.5e-4},
		{"P(wait)", a.ProbWait, 0.6687, 0.5e-4},
		{"occupancy", a.Occupancy, 0.9, 1e-12},
		{"mean wait (min)", a.MeanWait.Minutes(), 40.1, 0.05},
		{"load", a.Load, 9, 1e-12},
	} {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %.5f, want %.4f", c.name, c.got, c.want)
		}
	}
	// The fewest agents for 95% on each clock, checked from both sides.
	q := queueing.MMc{ArrivalRate: 9, ServiceRate: 1}
	for _, c := range []struct {
		name string
		n    int
		sl   func(queueing.MMc) float64
	}{
		{"response", a.AgentsForResponse, func(q queueing.MMc) float64 { return q.WaitAtMost(1) }},
		{"resolution", a.AgentsForResolved, func(q queueing.MMc) float64 { return q.SojournAtMost(4) }},
	} {
		q.Servers = c.n
		below := q
		below.Servers--
		if c.sl(q) < 0.95 || c.sl(below) >= 0.95 {
			t.Errorf("%s: %d agents give %.4f, %d give %.4f: not the fewest for 95%%", c.name, c.n, c.sl(q), c.n-1, c.sl(below))
		}
	}
	if a.Formula != "Erlang C" || a.Agents != 10 || !a.Stable || a.HandlingTime != time.Hour {
		t.Errorf("answer %+v", a)
	}
}

func TestNoClosedForm(t *testing.T) {
	for _, name := range []string{"default", "contract", "follow-the-sun", "business-hours", "p0-p4"} {
		_, err := analytic.For(t.Context(), model(t, name), 0.95)
		if !errors.Is(err, analytic.ErrNoClosedForm) {
			t.Errorf("%s: %v, want ErrNoClosedForm", name, err)
		}
	}
	sc, err := scenarios.Parse("x.yaml", []byte(`name: lognormal
arrivals: {volume: 5/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: lognormal, mean: 1h, cv: 1}}
agents: 8
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := analytic.For(t.Context(), sc.Model(), 0.95); err == nil || !strings.Contains(err.Error(), "not exponential") {
		t.Errorf("lognormal handling: %v, want a reason naming the handling", err)
	}
}

// A team on duty around the clock at full strength is the same single pool
// as agents; a resolution target shorter than most handling times cannot be
// met by any number of agents.
func TestTeamsAndUnreachable(t *testing.T) {
	sc, err := scenarios.Parse("x.yaml", []byte(`name: team
arrivals: {volume: 9/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 30m}, handling: {distribution: exponential, mean: 1h}}
teams:
  - name: a
    shifts: [{days: all, hours: "00:00-24:00", agents: 6}]
  - name: b
    shifts: [{days: all, hours: "00:00-24:00", agents: 4}]
`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := analytic.For(t.Context(), sc.Model(), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if a.Agents != 10 || a.AgentsForResolved != 0 || math.Abs(a.Response-0.7540) > 5e-5 {
		t.Errorf("two teams of 6 and 4: %+v", a)
	}
}

func TestUnstable(t *testing.T) {
	sc, err := scenarios.Parse("x.yaml", []byte(`name: over
arrivals: {volume: 12/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: exponential, mean: 1h}}
agents: 10
`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := analytic.For(t.Context(), sc.Model(), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if a.Stable || a.Response != 0 || a.Resolution != 0 || a.Occupancy != 1 || a.AgentsForResponse <= 12 {
		t.Errorf("12 E on 10 agents: %+v", a)
	}
}

// Travel to site, patience that is not exponential, and callers who hang
// up from a line that turns tickets away have no closed form; chats, three
// at once for each of 3 agents with unchanged handling, are M/M/9 (the
// same P(W <= 1h) as 9 agents).
func TestFrontDoor(t *testing.T) {
	const base = `name: x
arrivals: {volume: 7/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: exponential, mean: 1h}FIELD}
agents: 9
`
	for field, why := range map[string]string{
		", travel: {distribution: exponential, mean: 10m}":        "travel to site",
		", patience: {distribution: lognormal, mean: 10m, cv: 1}": "patience is lognormal",
		", patience: {mean: 10m}, queue_capacity: 3":              "M/M/c/K+M",
		", patience: {distribution: deterministic, mean: 10m}":    "not exponential",
	} {
		sc, err := scenarios.Parse("x.yaml", []byte(strings.Replace(base, "FIELD", field, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := analytic.For(t.Context(), sc.Model(), 0.95); !errors.Is(err, analytic.ErrNoClosedForm) || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v, want no closed form because %s", field, err, why)
		}
	}
	chat := strings.Replace(strings.Replace(base, "FIELD", ", concurrent: true", 1), "agents: 9\n",
		"teams:\n  - {name: chat, concurrency: 3, shifts: [{hours: \"00:00-24:00\", agents: 3}]}\n", 1)
	sc, err := scenarios.Parse("x.yaml", []byte(chat))
	if err != nil {
		t.Fatal(err)
	}
	a, err := analytic.For(t.Context(), sc.Model(), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want := queueing.MMc{Servers: 9, ArrivalRate: 7, ServiceRate: 1}.WaitAtMost(1)
	if a.Agents != 9 || math.Abs(a.Response-want) > 1e-12 {
		t.Errorf("3 chat agents x 3: %d servers, response %v, want 9 and %v", a.Agents, a.Response, want)
	}
}

// parse reads a one-tier scenario's text.
func parse(t *testing.T, text string) *sim.Model {
	t.Helper()
	sc, err := scenarios.Parse("x.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return sc.Model()
}

// Published figures, from scenarios as a planner writes them: Mandelbaum
// and Zeltyn's Erlang A example (50 agents, 48 calls a minute, 1 minute's
// handling, 2 minutes' patience: 3.1% abandon, average wait 3.7 s,
// occupancy 93%; "The Palm/Erlang-A queue, with applications to call
// centers", 2007); Jensen's M/M/2/5 (5 arrivals and 3 services an hour:
// blocking 0.115, mean time in queue 0.178 h, throughput 4.424 an hour;
// "Operations Research Models and Methods", queueing unit); and the
// Erlang B table's 10 Erlangs on 15 lines, which block 3.65%.
func TestPublished(t *testing.T) {
	for _, c := range []struct {
		name, text, formula string
		figures             func(a *analytic.Answer) []float64
		want, tol           []float64
	}{
		{"Mandelbaum and Zeltyn", `name: x
arrivals: {volume: 2880/h}
tiers:
  - {name: calls, share: 100%, targets: {response: 20s, resolution: 10m}, handling: {distribution: exponential, mean: 1m}, patience: {mean: 2m}}
agents: 50
`, "Erlang A", func(a *analytic.Answer) []float64 {
			// The average wait of all callers, E[W] = P(Ab)·mean patience.
			return []float64{100 * a.ProbAbandon, a.ProbAbandon * a.Patience.Seconds(), 100 * a.Occupancy}
		}, []float64{3.1, 3.7, 93}, []float64{0.05, 0.05, 0.5}},
		{"Jensen's M/M/2/5", `name: x
arrivals: {volume: 5/h}
tiers:
  - {name: calls, share: 100%, targets: {response: 15m, resolution: 1h}, handling: {distribution: exponential, mean: 20m}, queue_capacity: 3}
agents: 2
`, "M/M/c/K", func(a *analytic.Answer) []float64 {
			return []float64{a.ProbBlocked, a.MeanWait.Hours(), a.ArrivalRate * (1 - a.ProbBlocked)}
		}, []float64{0.115, 0.178, 4.424}, []float64{0.0005, 0.0005, 0.0005}},
		{"Erlang B table", `name: x
arrivals: {volume: 10/h}
tiers:
  - {name: calls, share: 100%, targets: {response: 1m, resolution: 2h}, handling: {distribution: exponential, mean: 1h}, queue_capacity: 0}
agents: 15
`, "Erlang B", func(a *analytic.Answer) []float64 {
			return []float64{100 * a.ProbBlocked, 100 * a.Response}
		}, []float64{3.65, 96.35}, []float64{0.005, 0.005}},
	} {
		a, err := analytic.For(t.Context(), parse(t, c.text), 0.95)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if a.Formula != c.formula || !a.Leaves {
			t.Errorf("%s: formula %q, leaves %v; want %s", c.name, a.Formula, a.Leaves, c.formula)
		}
		for i, got := range c.figures(a) {
			if math.Abs(got-c.want[i]) > c.tol[i] {
				t.Errorf("%s: figure %d is %.5f, published %g", c.name, i, got, c.want[i])
			}
		}
	}
}

// The simulation agrees with the closed form shown beside it, within 4 of
// its own standard errors, on stationary cases of each formula with
// tickets that leave: Erlang A (10 agents at 90%, 30 minutes' patience),
// M/M/5/10 at full load and Erlang B at 80%; each 20 replications of 2,000
// hours after 50 hours' warm-up (abandonment and a full line keep these
// queues close to their steady state within hours). The agents shown for
// the response clock are the fewest reaching the level, checked from both
// sides against the closed form.
func TestSimulationAgrees(t *testing.T) {
	t.Parallel()
	const zMax = 4
	for _, c := range []struct{ formula, tier string }{
		{"Erlang A", "{name: calls, share: 100%, targets: {response: 15m, resolution: 2h}, handling: {distribution: exponential, mean: 1h}, patience: {mean: 30m}}\nagents: 10\narrivals: {volume: 9/h}"},
		{"M/M/c/K", "{name: calls, share: 100%, targets: {response: 15m, resolution: 3h}, handling: {distribution: exponential, mean: 1h}, queue_capacity: 5}\nagents: 5\narrivals: {volume: 5/h}"},
		{"Erlang B", "{name: calls, share: 100%, targets: {response: 1m, resolution: 1h}, handling: {distribution: exponential, mean: 1h}, queue_capacity: 0}\nagents: 10\narrivals: {volume: 8/h}"},
	} {
		t.Run(c.formula, func(t *testing.T) {
			t.Parallel()
			m := parse(t, "name: x\ntiers:\n  - "+c.tier+"\n")
			m.AutoWarmUp, m.WarmUp, m.Horizon = false, 50*time.Hour, 2000*time.Hour
			a, err := analytic.For(t.Context(), m, 0.8)
			if err != nil {
				t.Fatal(err)
			}
			if a.Formula != c.formula {
				t.Fatalf("formula %s, want %s", a.Formula, c.formula)
			}
			res, err := sim.Run(t.Context(), m, sim.Options{Seed: 1, Replications: 20})
			if err != nil {
				t.Fatal(err)
			}
			s, ts := res.Summary, &res.Summary.Tiers[0]
			left := ts.Abandoned
			exactLeft := a.ProbAbandon
			if c.formula != "Erlang A" {
				left, exactLeft = ts.Blocked, a.ProbBlocked
			}
			for _, f := range []struct {
				what  string
				x     *sim.Tally
				exact float64
			}{
				{"response within target, of all tickets", &ts.Response.Attainment, a.Response},
				{"response within target, of answered tickets", ts.Response.AnsweredAttainment, a.AnsweredResponse},
				{"resolution within target, of those resolved", &ts.Resolution.Attainment, a.Resolution},
				{"share leaving unanswered", &left.Share, exactLeft},
				{"mean wait of answered tickets (h)", &ts.Response.MeanHours, a.MeanWait.Hours()},
				{"occupancy", &s.Utilisation, a.Occupancy},
			} {
				mean, se := f.x.Mean(), math.Sqrt(f.x.Variance()/float64(f.x.N))
				z := (mean - f.exact) / se
				t.Logf("%-44s %9.6f ± %.6f  %s %9.6f  z=%+.2f", f.what, mean, se, c.formula, f.exact, z)
				if !(math.Abs(z) <= zMax) && !(se == 0 && math.Abs(mean-f.exact) < 1e-9) {
					t.Errorf("%s: simulated %.6f, %s %.6f: %.1f standard errors apart", f.what, mean, c.formula, f.exact, math.Abs(z))
				}
			}
			// The fewest agents for 80% answered within the target.
			below := *m
			below.Agents = a.AgentsForResponse - 1
			at := *m
			at.Agents = a.AgentsForResponse
			lo, err1 := analytic.For(t.Context(), &below, 0.8)
			hi, err2 := analytic.For(t.Context(), &at, 0.8)
			if err1 != nil || err2 != nil || hi.Response < 0.8 || lo.Response >= 0.8 {
				t.Errorf("%d agents: response %v (%v); %d: %v (%v)", a.AgentsForResponse-1, lo, err1, a.AgentsForResponse, hi, err2)
			}
		})
	}
}

// For stops once its context is done, with the context's cause: before
// any figure when it is done already, and between figures otherwise (the
// searches for the fewest agents count as many figures, one per number of
// agents tried: see TestSearchesStop).
func TestForStops(t *testing.T) {
	why := errors.New("stopped by the test")
	for _, tier := range []string{
		"{name: a, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: exponential, mean: 1h}}",
		"{name: a, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: exponential, mean: 1h}, patience: {mean: 1h}}",
		"{name: a, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: exponential, mean: 1h}, queue_capacity: 10000000}",
	} {
		m := parse(t, "name: x\ntiers:\n  - "+tier+"\nagents: 10\narrivals: {volume: 10.01/h}\n")
		if _, err := analytic.For(t.Context(), m, 0.95); err != nil && !errors.Is(err, analytic.ErrNoClosedForm) {
			t.Fatalf("%s: %v", tier, err)
		}
		ctx, cancel := context.WithCancelCause(t.Context())
		cancel(why)
		if a, err := analytic.For(ctx, m, 0.95); !errors.Is(err, why) || errors.Is(err, analytic.ErrNoClosedForm) || a != nil {
			t.Errorf("%s, context done: %+v, %v; want no answer and the context's cause", tier, a, err)
		}
	}
}
