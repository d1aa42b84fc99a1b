package sim_test

import (
	"context"
	"slices"
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
		if d.WarmUp != 190*time.Hour || d.Least != 190*time.Hour || !d.Found || d.Pilots != 8 {
			t.Errorf("detected %+v, want 190 hours, the least", *d)
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
	t.Run("a desk without tickets", func(t *testing.T) {
		t.Parallel()
		// A ticket every thousand days: the pilots have none, so no queue
		// fills and there is nothing to warm up, though two agents' queue
		// relaxes in half an hour (the least was 3 hours, which a fixed
		// 1-hour warm-up was warned of as a transient). One a day is a
		// desk with tickets, whose least warm-up stays: 5 × 0.68 hours;
		// so is one every ten days, whose tickets fall in some of the
		// 50-hour pilots only (not the first, nor the last).
		for _, c := range []struct {
			perDay float64
			want   time.Duration
		}{{0.001, 0}, {0.1, 3 * time.Hour}, {1, 4 * time.Hour}} {
			m := &sim.Model{Agents: 2, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: 4 * sim.Week,
				Tiers: []sim.Tier{exponentialTier("all", c.perDay/24, time.Hour)}}
			d := detect(t, m, 1, 0)
			if d.WarmUp != c.want || d.Least != c.want || !d.Found {
				t.Errorf("%v a day: detected %+v, want %v", c.perDay, *d, c.want)
			}
		}
	})
	t.Run("a tier nobody serves", func(t *testing.T) {
		t.Parallel()
		// Its backlog grows for ever by design (the run reads it as 0%):
		// the detection judges the tier the desk serves, whose transient
		// is the erlang-c example's, found where it is found without the
		// starved tier. The starved tier's tickets draw from streams of
		// their own, and nobody takes them.
		served := &sim.Model{WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: sim.Week,
			Tiers: []sim.Tier{exponentialTier("served", 9, time.Hour)},
			Teams: []sim.Team{{Name: "desk", Tiers: []int{0}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{10}}}}}
		starved := *served
		starved.Tiers = append(slices.Clone(served.Tiers), exponentialTier("starved", 2, time.Hour))
		starved.Teams = append(slices.Clone(served.Teams), sim.Team{Name: "nobody", Tiers: []int{1}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{0}}})
		for _, seed := range []uint64{1, 2} {
			want := detect(t, served, seed, 0)
			if got := detect(t, &starved, seed, 0); *got != *want || !got.Found {
				t.Errorf("seed %d: detected %+v with a starved tier, %+v without", seed, *got, *want)
			}
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
	t.Run("weekly desk without a transient of weeks", func(t *testing.T) {
		t.Parallel()
		// The contract example's desk: 11 agents at 61%, relaxing in an
		// hour and a half; its weekly means over 200 pilots agree within
		// two standard errors from the first week on. MSER on 16 weekly
		// means of 8 pilots dropped weeks of noise: 3, 5 and 6 weeks for
		// these seeds, 5 weeks for the desk without outages.
		for _, c := range []struct {
			seed     uint64
			services bool
		}{{1, true}, {9, true}, {30, true}, {9, false}} {
			if d := detect(t, contractDesk(c.services, false), c.seed, 0); d.WarmUp != sim.Week || !d.Found {
				t.Errorf("seed %d, outages %v: detected %+v, want the least, a week", c.seed, c.services, *d)
			}
		}
		// Half the routine tickets waiting two weeks on the customer: a
		// transient of weeks, weekly too.
		if d := detect(t, contractDesk(true, true), 1, 0); d.WarmUp < 6*sim.Week || !d.Found {
			t.Errorf("with weeks of pending: detected %+v, want weeks", *d)
		}
	})
	t.Run("a desk staffed on weekdays", func(t *testing.T) {
		t.Parallel()
		// 14 agents on weekdays 08:00-20:00 for 4 tickets an hour around
		// the clock: the desk clears its weekend backlog every week, and
		// its weekly means over 50 replications from empty agree from the
		// second week on. These seeds had 6 weeks: MSER's split, tested on
		// the pilots it read, where they differ most.
		for _, seed := range []uint64{11, 17, 30} {
			if d := detect(t, weekdayDesk(14), seed, 0); d.WarmUp != sim.Week || !d.Found {
				t.Errorf("seed %d: detected %+v, want the least, a week", seed, *d)
			}
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
	t.Run("pilots too short, stopped within the warm-up allowed", func(t *testing.T) {
		t.Parallel()
		// Half the tickets wait 20 weeks on the customer: the tickets in
		// the system build up for a year and more, and the 56 weeks of
		// pilots end still rising, MSER's truncation at their half. A run
		// took those 28 weeks as its warm-up, though the model allows 52
		// and the transient may outlast them all.
		tier := exponentialTier("all", 4, time.Hour)
		tier.Pending = sim.Pending{Probability: 0.5, Wait: sim.Exponential{Mu: 20 * sim.Week}, FollowUp: sim.Exponential{Mu: 10 * time.Minute}}
		m := &sim.Model{Agents: 10, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: 4 * sim.Week, Tiers: []sim.Tier{tier}}
		d := detect(t, m, 1, 0)
		if d.Found || d.WarmUp >= m.WarmUp {
			t.Fatalf("detected %+v, want not found within the 52 weeks", *d)
		}
		res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2, Detection: d})
		if err != nil || res.WarmUp != m.WarmUp {
			t.Errorf("run: %v, warm-up %v, want all the 52 weeks the model allows", err, res.WarmUp)
		}
	})
	t.Run("a queue that relaxes in centuries", func(t *testing.T) {
		t.Parallel()
		// One agent at load 0.9995 relaxes in 456 years, capped: five or
		// ten relaxation times must not overflow (the floor read as
		// negative, a panic).
		m := &sim.Model{Agents: 1, WarmUp: sim.Week, AutoWarmUp: true, Horizon: sim.Week,
			Tiers: []sim.Tier{exponentialTier("all", 0.9995, time.Hour)}}
		d := detect(t, m, 4, 0)
		if d.Found || d.WarmUp < 2*sim.Week || d.Span != 2*sim.Week {
			t.Errorf("detected %+v, want not found within the two weeks", *d)
		}
	})
}

// weekdayDesk is a desk of agents on weekdays 08:00-20:00 for 4 tickets
// an hour of an hour's work around the clock, over a year's warm-up, four
// weeks and the drain.
func weekdayDesk(agents int) *sim.Model {
	var onSite sim.Steps
	for day := range 64 * 7 {
		if day%7 < 5 {
			at := time.Duration(day) * 24 * time.Hour
			onSite.Set(at+8*time.Hour, agents)
			onSite.Set(at+20*time.Hour, 0)
		}
	}
	return &sim.Model{WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: 4 * sim.Week,
		Tiers: []sim.Tier{exponentialTier("all", 4, time.Hour)},
		Teams: []sim.Team{{Name: "desk", Tiers: []int{0}, OnSite: onSite}}}
}

// contractDesk is the contract example's desk: 200 tickets a day over the
// week's profile in three tiers of lognormal work, 11 agents, progress
// updates on urgent tickets; with services, the outages of two systems
// bringing tickets; with pending, half the routine tickets wait two weeks
// on the customer on average.
func contractDesk(services, pending bool) *sim.Model {
	byDay := []float64{1.1, 1.1, 1.05, 1.05, 1.0, 0.75, 0.7}
	byHour := []float64{0.6, 0.55, 0.5, 0.5, 0.5, 0.55, 0.7, 0.9, 1.2, 1.35, 1.4, 1.35, 1.2, 1.3, 1.4, 1.35, 1.3, 1.2, 1.05, 0.95, 0.85, 0.8, 0.7, 0.65}
	var w [sim.HoursPerWeek]float64
	var sum float64
	for i := range w {
		w[i] = byDay[i/24] * byHour[i%24]
		sum += w[i]
	}
	rates := func(share float64) sim.ArrivalProfile {
		r := make([]float64, len(w))
		for i := range r {
			r[i] = 200.0 / 24 * share * w[i] / (sum / float64(len(w)))
		}
		return sim.ArrivalProfile{Interval: time.Hour, Rates: r}
	}
	m := &sim.Model{Agents: 11, WarmUp: 4 * sim.Week, AutoWarmUp: true, Horizon: 53 * sim.Week, Tiers: []sim.Tier{
		{Name: "urgent", Arrivals: rates(0.05), Handling: sim.NewLogNormal(time.Hour, 1), Response: 15 * time.Minute, Resolution: 4 * time.Hour, Preempts: true,
			Updates: sim.Updates{Every: 30 * time.Minute, Target: 10 * time.Minute, Handling: sim.NewLogNormal(3*time.Minute, 0.5)}},
		{Name: "high", Arrivals: rates(0.15), Handling: sim.NewLogNormal(time.Hour, 1), Response: 30 * time.Minute, Resolution: 8 * time.Hour},
		{Name: "routine", Arrivals: rates(0.8), Handling: sim.NewLogNormal(45*time.Minute, 1.2), Response: time.Hour, Resolution: 24 * time.Hour},
	}}
	if pending {
		m.Tiers[2].Pending = sim.Pending{Probability: 0.5, Wait: sim.Exponential{Mu: 2 * sim.Week}, FollowUp: sim.Exponential{Mu: 10 * time.Minute}}
	}
	if services {
		m.Services = []sim.Service{
			{Name: "payment channel", Tier: 0, Up: sim.Exponential{Mu: 30 * 24 * time.Hour}, Restore: sim.NewLogNormal(time.Hour, 1),
				Tickets: sim.OutageTickets{MeanSize: 5, Spread: 15 * time.Minute}},
			{Name: "order processing", Tier: 1, Up: sim.Exponential{Mu: 20 * 24 * time.Hour}, Restore: sim.NewLogNormal(2*time.Hour, 1),
				Tickets: sim.OutageTickets{MeanSize: 8, Spread: 30 * time.Minute}},
		}
	}
	return m
}
