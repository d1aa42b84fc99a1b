package promise_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing/promise"
)

// clocked is a desk whose named clock's times are known: a fault's first
// stage takes Exp(30m) and 40% of faults need a second, which starts as
// the first ends (30 agents for 3.6 Erlangs: nobody waits), so the clock
// to the second's start reads Exp(30m) on the faults that need it and
// times no other; questions have no named clock.
const clocked = `name: clocked
simulation: {horizon: 26w, warm_up: 1d, replications: 4, seed: 3}
arrivals: {volume: 12/h}
tiers:
  - name: faults
    share: 50%
    targets: {response: 1h, resolution: 1d}
    journey:
      - stage: first
        handling: {distribution: exponential, mean: 30m}
        teams: [desk]
      - stage: second
        probability: 40%
        handling: {distribution: deterministic, mean: 10m}
        teams: [desk]
    clocks:
      - {name: second start, from: arrival, to: second start, target: 30m}
  - name: questions
    share: 50%
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 10m}
teams:
  - name: desk
    shifts:
      - {days: all, hours: "00:00-24:00", agents: 30}
`

// TestNamedClock checks a named clock's rows by hand: each rung's pooled
// attainment is P(Exp(30m) <= t) within 4 SE, the clock judges only the
// faults it timed (40% of them, within 4 SE), every week has some, and at
// a level of 50% the promise is 30 minutes (63.2% within, about 5.5
// standard deviations of a week's share above the level; 15 minutes'
// 39.3% is 4.4 below it).
func TestNamedClock(t *testing.T) {
	sc, err := scenarios.Parse("clocked.yaml", []byte(clocked))
	if err != nil {
		t.Fatal(err)
	}
	ladder := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour}
	// Levels on every clock of the faults, none on the questions': the
	// named clock's is the model's first (and only).
	q := promise.Question{Ladder: ladder, Levels: []contract.Levels{{Response: 0.5, Clocks: []float64{0.5}}, {Clocks: []float64{0.9}}}, Share: 0.95, Confidence: 0.95, Period: "week"}
	a := answer(t, sc, q, scenarios.RunSettings{})
	var clocks []string
	for _, r := range a.Rows {
		clocks = append(clocks, r.Tier+" "+r.Clock)
	}
	if want := []string{"faults response", "faults second start"}; !slices.Equal(clocks, want) {
		t.Fatalf("rows %q, want %q (questions have no named clock, and no level on the others)", clocks, want)
	}
	faults, row := a.Rows[0].Rungs[0].Tickets, a.Rows[1]
	if row.Target != 30*time.Minute || row.Level != 0.5 {
		t.Errorf("target %v level %g, want the clock's 30m and the level asked", row.Target, row.Level)
	}
	timed := row.Rungs[0].Tickets
	if se := math.Sqrt(0.4 * 0.6 / float64(faults)); math.Abs(float64(timed)/float64(faults)-0.4) > 4*se {
		t.Errorf("the clock timed %d of %d faults, want 40%% (SE %.4f)", timed, faults, se)
	}
	if weeks := a.Replications * int64(a.Periods); row.Periods != weeks {
		t.Errorf("%d weeks with timed tickets, want all %d", row.Periods, weeks)
	}
	for _, g := range row.Rungs {
		exact := 1 - math.Exp(-g.Target.Minutes()/30)
		got := float64(g.Within) / float64(g.Tickets)
		if se := math.Sqrt(exact * (1 - exact) / float64(g.Tickets)); math.Abs(got-exact) > 4*se {
			t.Errorf("within %v: %.4f, want %.4f (SE %.4f)", g.Target, got, exact, se)
		}
	}
	if row.Promise != 1 || row.Rungs[0].Met.Hits != 0 || row.Rungs[1].Met.Hits != row.Periods {
		t.Errorf("promise rung %d, weeks met %d and %d of %d; want 30m, met by none within 15m and every one within 30m",
			row.Promise, row.Rungs[0].Met.Hits, row.Rungs[1].Met.Hits, row.Periods)
	}
}

// TestLadderProperties: on the letters' examples, whose named clocks time
// part of a tier's tickets (and front-door's fault-1 has updates), every
// row's looser rung meets the level in no
// fewer periods and counts no fewer tickets within it, and the promise is
// the tightest rung whose interval's lower end reaches the share, every
// looser one reaching it too.
func TestLadderProperties(t *testing.T) {
	for _, tc := range []struct {
		example string
		rs      scenarios.RunSettings
	}{
		{"fault-levels", scenarios.RunSettings{Replications: 12}},
		{"front-door", scenarios.RunSettings{Replications: 3, Horizon: 4 * 7 * 24 * time.Hour}},
	} {
		sc, err := scenarios.Embedded(tc.example)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := sc.Prepare(tc.rs)
		if err != nil {
			t.Fatal(err)
		}
		for _, level := range []float64{0.8, 0.95} {
			q := promise.Question{Ladder: promise.DefaultLadder, Share: 0.6, Confidence: 0.9, Period: "week"}
			for range m.Tiers {
				q.Levels = append(q.Levels, contract.Levels{Response: level, Resolution: level, Clocks: slices.Repeat([]float64{level}, len(m.ClockNames()))})
				q.Updates = append(q.Updates, level)
			}
			a := answer(t, sc, q, tc.rs)
			named := 0
			for _, r := range a.Rows {
				if r.Clock != "response" && r.Clock != "resolution" {
					named++
				}
				first := -1
				for j, g := range r.Rungs {
					if j > 0 {
						p := r.Rungs[j-1]
						if g.Met.Hits < p.Met.Hits || g.Within < p.Within || g.Low < p.Low {
							t.Errorf("%s %s %s at %g: within %v %d periods met, %d tickets within, lower end %.3f; within %v %d, %d, %.3f",
								tc.example, r.Tier, r.Clock, level, g.Target, g.Met.Hits, g.Within, g.Low, p.Target, p.Met.Hits, p.Within, p.Low)
						}
					}
					if g.Low >= q.Share && first < 0 {
						first = j
					}
					if first >= 0 && g.Low < q.Share {
						t.Errorf("%s %s %s at %g: within %v the lower end %.3f is below the share, after the promise", tc.example, r.Tier, r.Clock, level, g.Target, g.Low)
					}
				}
				if r.Promise != first {
					t.Errorf("%s %s %s at %g: promise rung %d, want %d", tc.example, r.Tier, r.Clock, level, r.Promise, first)
				}
			}
			// fault-levels: on site, remote fix, on site, solution;
			// front-door: on site, remote fix, on site, updates.
			if named != 4 {
				t.Errorf("%s: %d named clocks' rows", tc.example, named)
			}
		}
	}
}
