package sim_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestStarvedTiers: tickets that nobody serves before the drain ends are
// still counted, once per clock, as breached and unresolved, however the
// replication ends: by an event past the drain, or by the events running
// out (no roster change, no arrival left) with tickets still waiting.
func TestStarvedTiers(t *testing.T) {
	t.Parallel()
	handling := sim.Exponential{Mu: 6 * time.Minute}
	tiers := func() []sim.Tier {
		return []sim.Tier{
			{Name: "A", Arrivals: sim.ConstantRate(5), Handling: handling, Response: 15 * time.Minute, Resolution: time.Hour},
			{Name: "B", Arrivals: sim.ConstantRate(5), Handling: handling, Response: 15 * time.Minute, Resolution: time.Hour},
		}
	}
	around := sim.Steps{At: []time.Duration{0}, Value: []int{3}}
	for _, c := range []struct {
		name string
		// model builds the scenario; unserved is the tier nobody can serve
		// (-1 if every tier is served at times).
		model    func() *sim.Model
		unserved int
	}{
		// B's few tickets fit in b-team's hour (a third of it busy), but
		// those arriving after Friday's hour are still waiting when the
		// one-hour drain ends on Monday at 01:00.
		{"tier B one hour a weekday", func() *sim.Model {
			m := &sim.Model{Tiers: tiers(), Horizon: 2 * sim.Week, WarmUp: 0, Drain: time.Hour}
			m.Tiers[1].Arrivals = sim.ConstantRate(0.1)
			m.Teams = []sim.Team{
				{Name: "a-team", Tiers: []int{0}, OnSite: around},
				{Name: "b-team", Tiers: []int{1}, OnSite: staffed(m, 1, daily(9*time.Hour, 10*time.Hour, monFri...))},
			}
			return m
		}, -1},
		{"one team weekdays 09-17, drain 1h", func() *sim.Model {
			m := &sim.Model{Tiers: tiers(), Horizon: 2 * sim.Week, Drain: time.Hour}
			m.Teams = []sim.Team{{Name: "day", OnSite: staffed(m, 8, daily(9*time.Hour, 17*time.Hour, monFri...))}}
			return m
		}, -1},
		{"tier B served by nobody", func() *sim.Model {
			m := &sim.Model{Tiers: tiers(), Horizon: sim.Week}
			m.Teams = []sim.Team{{Name: "a-team", Tiers: []int{0}, OnSite: around}}
			return m
		}, 1},
		// Its clocks, cut short by the drain, are within their targets:
		// breached still, as every clock the simulation stopped.
		{"tier B served by nobody, targets beyond the drain", func() *sim.Model {
			m := &sim.Model{Tiers: tiers(), Horizon: sim.Week, Drain: time.Hour}
			m.Tiers[1].Response, m.Tiers[1].Resolution = 4*sim.Week, 4*sim.Week
			m.Teams = []sim.Team{{Name: "a-team", Tiers: []int{0}, OnSite: around}}
			return m
		}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res, err := sim.Run(context.Background(), c.model(), sim.Options{Seed: 3, Replications: 4, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if res.Unstable != nil {
				t.Fatalf("unexpected instability: %v", res.Unstable)
			}
			var unresolved int64
			for k, ts := range res.Summary.Tiers {
				f := ts.Flow
				if f.Arrived == 0 {
					t.Fatalf("%s: no tickets arrived", ts.Name)
				}
				for _, ms := range []*sim.MetricStats{&ts.Response, &ts.Resolution} {
					if ms.Tickets != f.Arrived || int64(ms.Times.Count()) != f.Arrived {
						t.Errorf("%s: %d tickets arrived, a clock counted %d (histogram %d)", ts.Name, f.Arrived, ms.Tickets, ms.Times.Count())
					}
					// A clock cut off is breached, by hour too.
					if ms.Tickets-ms.Met < ms.Censored || sum(ms.ByHour.Met[:]) != ms.Met {
						t.Errorf("%s: %d of %d met, %d censored (by hour, %d met)", ts.Name, ms.Met, ms.Tickets, ms.Censored, sum(ms.ByHour.Met[:]))
					}
				}
				if f.Arrived != f.ByAutomation+f.ByPeople+f.OpenAtHorizon {
					t.Errorf("%s: flow does not add up: %+v", ts.Name, f)
				}
				// Still open at the end: censored on the resolution clock,
				// and on the response clock if nobody had started.
				if ts.Resolution.Censored != f.Unresolved || ts.Response.Censored > f.Unresolved {
					t.Errorf("%s: %d unresolved, censored %d (response) and %d (resolution)", ts.Name, f.Unresolved, ts.Response.Censored, ts.Resolution.Censored)
				}
				unresolved += f.Unresolved
				if k == c.unserved {
					if f.Unresolved != f.Arrived || ts.Response.Met != 0 || ts.Resolution.Met != 0 || ts.Response.Attainment.Mean() != 0 || ts.Response.Censored != f.Arrived {
						t.Errorf("%s is served by nobody: want every ticket unresolved and 0%% attainment, got %+v, response met %d, attainment %v",
							ts.Name, f, ts.Response.Met, ts.Response.Attainment.Mean())
					}
				}
			}
			if unresolved == 0 {
				t.Errorf("no ticket left unresolved: the scenario does not starve a tier")
			}
		})
	}
}

// TestOverloadedTeamRefused: the desk, where b-team's hour a
// weekday cannot carry the 0.5 Erlangs of tier B (1,680% of its time) while
// a-team is only half busy, is refused before any simulation with the
// numbers of the overloaded team, as a desk overloaded as a whole is.
func TestOverloadedTeamRefused(t *testing.T) {
	t.Parallel()
	handling := sim.Exponential{Mu: 6 * time.Minute}
	m := &sim.Model{Horizon: 2 * sim.Week, Tiers: []sim.Tier{
		{Name: "A", Arrivals: sim.ConstantRate(5), Handling: handling, Response: 15 * time.Minute, Resolution: time.Hour},
		{Name: "B", Arrivals: sim.ConstantRate(5), Handling: handling, Response: 15 * time.Minute, Resolution: time.Hour},
	}}
	m.Teams = []sim.Team{
		{Name: "a-team", Tiers: []int{0}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{1}}},
		{Name: "b-team", Tiers: []int{1}, OnSite: staffed(m, 1, daily(9*time.Hour, 10*time.Hour, monFri...))},
	}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 3, Replications: 4})
	if err != nil {
		t.Fatal(err)
	}
	u := res.Unstable
	if u == nil || res.Summary.Replications != 0 || !slices.Equal(u.Work, []string{"B"}) || !slices.Equal(u.Teams, []string{"b-team"}) ||
		math.Abs(u.Load-0.5) > 1e-9 || math.Abs(u.Capacity-10.0/336) > 1e-9 {
		t.Fatalf("want b-team refused for B's 0.5 Erlangs on 10/336 agents, got %+v", u)
	}
	t.Log(u)
}

// TestAnsweredAsTheDrainEnds: a shift starting at the very instant the
// drain ends answers the tickets waiting for it, in time for their
// targets; only the clocks still running after it, their resolutions, are
// cut off and breached.
func TestAnsweredAsTheDrainEnds(t *testing.T) {
	m := &sim.Model{Horizon: sim.Week, Drain: 24 * time.Hour, Tiers: []sim.Tier{{Name: "T", Arrivals: sim.ConstantRate(2),
		Handling: sim.Exponential{Mu: time.Hour}, Response: 10 * 24 * time.Hour, Resolution: 20 * 24 * time.Hour}}}
	// Tuesdays 00:00-01:00: the drain ends on the second Tuesday at 00:00.
	m.Teams = []sim.Team{{Name: "tuesdays", OnSite: staffed(m, 400, daily(0, time.Hour, 1))}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 3, Replications: 2, Workers: 1})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	ts := res.Summary.Tiers[0]
	if r := ts.Response; r.Censored != 0 || r.Met != r.Tickets {
		t.Errorf("response: %d of %d met, %d censored; want every ticket answered in time at the latest as the drain ends", r.Met, r.Tickets, r.Censored)
	}
	if r := ts.Resolution; r.Censored == 0 || r.Censored != ts.Flow.Unresolved || r.Tickets-r.Met < r.Censored {
		t.Errorf("resolution: %d of %d met, %d censored, %d unresolved", r.Met, r.Tickets, r.Censored, ts.Flow.Unresolved)
	}
}
