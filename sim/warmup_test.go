package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestDetectWarmUp: the warm-up found from pilot replications.
func TestDetectWarmUp(t *testing.T) {
	t.Parallel()
	detect := func(t *testing.T, m *sim.Model, seed uint64, workers int) *sim.WarmUpDetection {
		t.Helper()
		d, err := sim.DetectWarmUp(context.Background(), m, seed, workers)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Run("M/M/10 at load 0.9", func(t *testing.T) {
		t.Parallel()
		// The erlang-c example: it relaxes in 1/(√10 − 3)² = 38 hours;
		// MSER alone stops at 5 to 105 hours, the floor is five of those.
		m := &sim.Model{Agents: 10, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: sim.Week,
			Tiers: []sim.Tier{exponentialTier("all", 9, time.Hour)}}
		d := detect(t, m, 1, 1)
		if d.WarmUp != 190*time.Hour || !d.Found || d.Pilots != 8 {
			t.Errorf("detected %+v, want 190 hours", *d)
		}
		// Deterministic given the seed, whatever the number of workers.
		for _, workers := range []int{2, 8} {
			if again := detect(t, m, 1, workers); *again != *d {
				t.Errorf("%d workers: %+v, one worker %+v", workers, *again, *d)
			}
		}
		// A run uses it, and starts each replication that long before the
		// window.
		res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2})
		if err != nil || res.WarmUp != 190*time.Hour || res.Detection == nil || *res.Detection != *d {
			t.Errorf("run: %v, warm-up %v, detection %v", err, res.WarmUp, res.Detection)
		}
		// A fixed warm-up is kept, and checked when asked.
		m.AutoWarmUp, m.WarmUp = false, 24*time.Hour
		res, err = sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2, CheckWarmUp: true})
		if err != nil || res.WarmUp != 24*time.Hour || res.Detection == nil || res.Detection.WarmUp != 190*time.Hour {
			t.Errorf("fixed 1d warm-up checked: %v, warm-up %v, detection %+v", err, res.WarmUp, res.Detection)
		}
	})
	t.Run("customers who take weeks to answer", func(t *testing.T) {
		t.Parallel()
		// Half the tickets wait on the customer for two weeks on average:
		// the tickets in the system take weeks to build up, which the
		// queue's relaxation (an hour) knows nothing of; MSER sees it.
		tier := exponentialTier("all", 4, time.Hour)
		tier.Pending = sim.Pending{Probability: 0.5, Wait: sim.Exponential{Mu: 2 * sim.Week}, FollowUp: sim.Exponential{Mu: 10 * time.Minute}}
		m := &sim.Model{Agents: 10, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: 4 * sim.Week, Tiers: []sim.Tier{tier}}
		if d := detect(t, m, 2, 0); d.WarmUp < 2*sim.Week || !d.Found {
			t.Errorf("detected %+v, want weeks", *d)
		}
	})
	t.Run("weekly desk", func(t *testing.T) {
		t.Parallel()
		m := referenceModel(4 * sim.Week)
		m.WarmUp, m.AutoWarmUp = 52*sim.Week, true
		if d := detect(t, m, 3, 0); d.WarmUp%sim.Week != 0 || d.WarmUp == 0 || !d.Found {
			t.Errorf("detected %+v, want whole weeks", *d)
		}
	})
	t.Run("callers who hang up, past full load", func(t *testing.T) {
		t.Parallel()
		// Erlang A at load 1.2 with a mean patience of 30 minutes: the line
		// drains by hanging up and forgets its start within hours, though
		// M/M/c's relaxation (ρ capped below 1) would be 45 years.
		tier := exponentialTier("all", 12, time.Hour)
		tier.Patience = sim.Exponential{Mu: 30 * time.Minute}
		m := &sim.Model{Agents: 10, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: 8 * sim.Week, Tiers: []sim.Tier{tier}}
		if d := detect(t, m, 5, 0); !d.Found || d.WarmUp > 24*time.Hour || d.Span > sim.Week {
			t.Errorf("detected %+v, want found within a day from pilots shorter than a week", *d)
		}
	})
	t.Run("pilots too short", func(t *testing.T) {
		t.Parallel()
		// At load 0.99 the queue relaxes in 1,600 hours; a one-week window
		// after at most a week cannot show its steady state.
		m := &sim.Model{Agents: 10, WarmUp: sim.Week, AutoWarmUp: true, Horizon: sim.Week,
			Tiers: []sim.Tier{exponentialTier("all", 9.9, time.Hour)}}
		d := detect(t, m, 4, 0)
		if d.Found || d.WarmUp < 1000*time.Hour || d.Span != 2*sim.Week {
			t.Errorf("detected %+v, want not found", *d)
		}
		res, err := sim.Run(context.Background(), m, sim.Options{Seed: 4, Replications: 2})
		if err != nil || res.WarmUp != sim.Week {
			t.Errorf("run: %v, warm-up %v, want all the week the model allows", err, res.WarmUp)
		}
	})
}
