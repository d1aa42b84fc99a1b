package sim_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestLimits runs a desk at the documented limits of a scenario: 100,000
// agents over twenty years of simulated time (warm-up, horizon and drain).
// Its agent time, 2^76 agent-nanoseconds, wrapped an int64 (600 agents
// over a year already did: utilisation -346.9%); every integral must come
// out exact: the available agent-milliseconds by hour of the week add up
// to 100,000 agents times the window, to the millisecond, and the
// utilisation is the load over the capacity. A billion tickets per
// replication are checked on the sums directly (TestIntegral): simulating
// them takes minutes.
func TestLimits(t *testing.T) {
	t.Parallel()
	const agents = 100_000
	m := &sim.Model{Agents: agents, WarmUp: 0, Horizon: 1032 * sim.Week, Drain: 8 * sim.Week,
		Tiers: []sim.Tier{exponentialTier("all", 1, time.Hour)}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 1})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	s := res.Summary
	var avail, busy, window int64
	for h := range sim.HoursPerWeek {
		avail += s.Teams[0].AvailableMs[h]
		busy += s.Teams[0].BusyMs[h]
		window += s.WindowMs[h]
	}
	if want := agents * int64(m.Horizon/time.Millisecond); avail != want || window != int64(m.Horizon/time.Millisecond) {
		t.Errorf("available %d agent-ms over a %d ms window, want %d", avail, window, want)
	}
	// About 180,000 hours of work, each exponential: within 1% (4 SE).
	u := s.Utilisation.Mean()
	if want := 1.0 / agents; !(math.Abs(u-want) < 0.01*want) || math.Abs(u-float64(busy)/float64(avail)) > 1e-9*u {
		t.Errorf("utilisation %v (busy %d of %d agent-ms), want about %v", u, busy, avail, want)
	}
	if n := s.Tiers[0].Flow.Arrived; n < 170_000 || s.Tiers[0].Resolution.Tickets != n {
		t.Errorf("%d tickets arrived, %d resolved", n, s.Tiers[0].Resolution.Tickets)
	}
	t.Logf("100,000 agents over %v: utilisation %.6g, %d tickets", m.Horizon+m.Drain, u, s.Tiers[0].Flow.Arrived)
}
