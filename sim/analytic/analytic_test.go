package analytic_test

import (
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
	a, err := analytic.For(model(t, "erlang-c"), 0.95)
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
		_, err := analytic.For(model(t, name), 0.95)
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
	if _, err := analytic.For(sc.Model(), 0.95); err == nil || !strings.Contains(err.Error(), "not exponential") {
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
	a, err := analytic.For(sc.Model(), 0.95)
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
	a, err := analytic.For(sc.Model(), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if a.Stable || a.Response != 0 || a.Resolution != 0 || a.Occupancy != 1 || a.AgentsForResponse <= 12 {
		t.Errorf("12 E on 10 agents: %+v", a)
	}
}

// Callers who hang up, a line that turns tickets away and travel to site
// have no Erlang C answer; chats, three at once for each of 3 agents with
// unchanged handling, are M/M/9 (the same P(W <= 1h) as 9 agents).
func TestFrontDoor(t *testing.T) {
	const base = `name: x
arrivals: {volume: 7/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: exponential, mean: 1h}FIELD}
agents: 9
`
	for field, why := range map[string]string{
		", patience: {mean: 10m}":                          "callers hang up",
		", queue_capacity: 3":                              "turns tickets away",
		", travel: {distribution: exponential, mean: 10m}": "travel to site",
	} {
		sc, err := scenarios.Parse("x.yaml", []byte(strings.Replace(base, "FIELD", field, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := analytic.For(sc.Model(), 0.95); !errors.Is(err, analytic.ErrNoClosedForm) || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v, want no closed form because %s", field, err, why)
		}
	}
	chat := strings.Replace(strings.Replace(base, "FIELD", ", concurrent: true", 1), "agents: 9\n",
		"teams:\n  - {name: chat, concurrency: 3, shifts: [{hours: \"00:00-24:00\", agents: 3}]}\n", 1)
	sc, err := scenarios.Parse("x.yaml", []byte(chat))
	if err != nil {
		t.Fatal(err)
	}
	a, err := analytic.For(sc.Model(), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want := queueing.MMc{Servers: 9, ArrivalRate: 7, ServiceRate: 1}.WaitAtMost(1)
	if a.Agents != 9 || math.Abs(a.Response-want) > 1e-12 {
		t.Errorf("3 chat agents x 3: %d servers, response %v, want 9 and %v", a.Agents, a.Response, want)
	}
}
