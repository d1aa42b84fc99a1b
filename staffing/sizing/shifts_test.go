package sizing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing/sizing"
)

// nightless is a desk whose only shift is by day, though tickets come at
// night too, with shifts offered every four hours, 8 or 12 hours long.
const nightless = `name: nightless
simulation: {horizon: 3w, warm_up: 1w, replications: 10, seed: 3}
arrivals:
  volume: 120/day
  profile:
    by_hour: [0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1, 1.4, 1.6, 1.6, 1.5,
              1.3, 1.5, 1.6, 1.5, 1.3, 1.1, 0.9, 0.7, 0.5, 0.4, 0.3, 0.3]
tiers:
  - name: all
    share: 100%
    targets: {response: 30m, resolution: 8h}
    handling: {distribution: exponential, mean: 30m}
teams:
  - name: desk
    shifts:
      - {days: all, hours: "08:00-20:00", agents: 6}
sizing:
  level: 90%
  shifts:
    - {team: desk, starts: "00:00-20:00", every: 4h, lengths: [8h, 12h]}
`

// TestSizeOfferedShifts sizes a desk with no night shift from shifts
// offered on a grid: the search must staff the night with an offered
// shift, meet the level, and write a scenario that has the shift and
// meets the level when run on a seed the search never used.
func TestSizeOfferedShifts(t *testing.T) {
	sc, err := scenarios.ParseAlone("nightless.yaml", []byte(nightless))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sc.SizingProblem()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(p.Posts), 1+6*2-1; got != want { // the day shift is offered already
		t.Fatalf("%d posts, want the day shift and %d offered", got, want-1)
	}
	res, err := sizing.Size(context.Background(), p, sizing.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Feasible || res.Offered != 11 {
		t.Fatalf("feasible %v, %d offered; want a staffing meeting 90%% chosen from 11 offered shifts", res.Feasible, res.Offered)
	}
	night := false
	for i, q := range res.Posts {
		if n := res.Best.Agents[i]; n > 0 && q.Offered && q.Unit.Mean(sim.Week+3*time.Hour, sim.Week+4*time.Hour) > 0 {
			night = true
		}
		t.Logf("%s: %d", q.Name, res.Best.Agents[i])
	}
	if !night {
		t.Errorf("no offered shift staffed at 03:00: %v", res.Best.Agents)
	}
	data, err := sc.Sized(res)
	if err != nil {
		t.Fatal(err)
	}
	sized, err := scenarios.ParseAlone("sized.yaml", data)
	if err != nil {
		t.Fatalf("the sized scenario does not parse: %v\n%s", err, data)
	}
	if n := len(sized.Teams[0].Schedule.Shifts); n < 2 || !strings.Contains(string(data), "sizing:") {
		t.Errorf("the sized scenario has %d shifts:\n%s", n, data)
	}
	run, err := sim.Run(context.Background(), sized.Model(), sim.Options{Seed: 20261203, Replications: 20})
	if err != nil {
		t.Fatal(err)
	}
	r := &run.Summary.Tiers[0].Response
	if lo, _ := r.Attainment.CI(0.95); !(lo >= 0.9) {
		t.Errorf("the sized scenario on a fresh seed answers %.2f%% in time, interval from %.2f%%: below 90%%", 100*r.Attainment.Mean(), 100*lo)
	}
}
