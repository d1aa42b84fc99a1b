package sim_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// randomModel draws a desk from everything a model can say: one to four
// tiers with escalation, pending, misclassification, deflection,
// automation, preemption, business-hours clocks and bursts; one to four
// teams with random skills, weekly shifts (or nobody at all for some
// tiers), on-call agents, shrinkage and hand-back; random warm-ups,
// horizons, drains and start days. Loads are modest but nothing keeps a
// tier from being starved or a team from being swamped.
func randomModel(t *testing.T, rng *rand.Rand) *sim.Model {
	hours := func(lo, hi float64) time.Duration {
		return time.Duration((lo + rng.Float64()*(hi-lo)) * float64(time.Hour))
	}
	handling := func() sim.Distribution {
		mean := hours(0.1, 2)
		switch rng.IntN(4) {
		case 0:
			return sim.Deterministic{Value: mean}
		case 1:
			return sim.NewLogNormal(mean, 0.5+rng.Float64())
		case 2:
			return sim.NewGamma(mean, 0.5+rng.Float64())
		}
		return sim.Exponential{Mu: mean}
	}
	m := &sim.Model{
		WarmUp:     []time.Duration{0, 0, 6 * time.Hour, 24 * time.Hour, sim.Week}[rng.IntN(5)],
		Horizon:    hours(12, 3*168),
		Drain:      []time.Duration{0, time.Hour, 6 * time.Hour, 2 * 24 * time.Hour, sim.Week}[rng.IntN(5)],
		WeekOffset: time.Duration(rng.IntN(7)) * 24 * time.Hour,
	}
	if rng.IntN(3) == 0 {
		m.DailyCV = rng.Float64()
	}
	tiers := 1 + rng.IntN(4)
	for i := range tiers {
		tier := sim.Tier{Name: fmt.Sprint("T", i), Handling: handling(), Response: hours(0, 4) + time.Minute, Resolution: hours(1, 48),
			Arrivals: sim.ConstantRate(rng.Float64())}
		if rng.IntN(2) == 0 {
			// Only inside random weekly windows.
			var spans []span
			for range 1 + rng.IntN(3) {
				from := time.Duration(rng.IntN(7*24)) * time.Hour
				spans = append(spans, span{from, from + hours(1, 30)})
			}
			tier.Arrivals = windows(rng.Float64()*3, spans...)
		}
		for range rng.IntN(3) {
			tier.Escalation = append(tier.Escalation, sim.Escalation{Probability: rng.Float64(), Handling: handling()})
		}
		if rng.IntN(3) == 0 {
			tier.Pending = sim.Pending{Probability: rng.Float64(), Wait: handling(), FollowUp: handling()}
		}
		if tiers > 1 && rng.IntN(3) == 0 {
			tier.Misclassified = rng.Float64() / 2
		}
		if rng.IntN(4) == 0 {
			tier.Deflected = rng.Float64() / 2
		}
		if rng.IntN(4) == 0 {
			tier.Automation = sim.TierAutomation{Eligible: rng.Float64(), Success: rng.Float64(), Processing: handling()}
			m.Automation.Capacity = 1 + rng.IntN(3)
			m.Automation.CountsAsResponse = rng.IntN(2) == 0
		}
		tier.Preempts = rng.IntN(4) == 0
		if rng.IntN(4) == 0 {
			cal := calendar(t, m, daily(9*time.Hour, 18*time.Hour, monFri...))
			tier.ResponseCalendar, tier.ResolutionCalendar = cal, cal
		}
		if rng.IntN(5) == 0 {
			tier.OffHours = sim.OffHours{Calendar: calendar(t, m, daily(8*time.Hour, 20*time.Hour, monFri...)), Response: hours(1, 8)}
		}
		m.Tiers = append(m.Tiers, tier)
	}
	if rng.IntN(4) == 0 {
		m.Bursts = []sim.Burst{{Tier: rng.IntN(tiers), PerWeek: rng.Float64() * 3, MeanSize: rng.Float64() * 10, Spread: hours(0, 3)}}
	}
	if rng.IntN(5) == 0 {
		m.Agents = 1 + rng.IntN(4)
		return m
	}
	for j := range 1 + rng.IntN(4) {
		team := sim.Team{Name: fmt.Sprint("team", j)}
		if rng.IntN(2) == 0 {
			for i := range tiers {
				if rng.IntN(2) == 0 {
					team.Tiers = append(team.Tiers, i)
				}
			}
		}
		if rng.IntN(3) == 0 {
			team.Levels = []int{rng.IntN(3)}
		}
		switch rng.IntN(3) {
		case 0:
			team.OnSite = sim.Steps{At: []time.Duration{0}, Value: []int{1 + rng.IntN(3)}}
		case 1:
			from := time.Duration(rng.IntN(24)) * time.Hour
			team.OnSite = staffed(m, 1+rng.IntN(4), daily(from, from+hours(1, 12), monFri...))
		default:
			from := time.Duration(rng.IntN(24)) * time.Hour
			team.OnSite = staffed(m, 1+rng.IntN(3), daily(from, from+hours(1, 20), everyDay...))
		}
		if rng.IntN(4) == 0 {
			team.OnCall = staffed(m, 1, daily(20*time.Hour, 32*time.Hour, everyDay...))
			team.OnCallDelay = sim.Deterministic{Value: hours(0, 1)}
		}
		if rng.IntN(4) == 0 {
			team.Shrinkage = rng.Float64() / 2
		}
		team.HandBack = rng.IntN(2) == 0
		m.Teams = append(m.Teams, team)
	}
	return m
}

// TestConservationRandom is a property test over random desks (see randomModel):
// every ticket arriving in the measured window is counted exactly once on
// each clock of its tier, met or breached, whether it is resolved in the
// window, during the drain or not at all; the flow adds up; and a
// collector sees each of them once.
func TestConservationRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 11))
	const models = 300
	var tickets, unresolved, starved, skipped int64
	for k := range models {
		m := randomModel(t, rng)
		res := runCounted(t, k, m)
		if res.Unstable != nil {
			skipped++
			continue
		}
		seen := res.Collected.(*ticketCounter)
		var arrived int64
		for _, ts := range res.Summary.Tiers {
			f := ts.Flow
			arrived += f.Arrived
			tickets += f.Arrived
			unresolved += f.Unresolved
			for _, ms := range []*sim.MetricStats{&ts.Response, &ts.Resolution} {
				if ms.Tickets != f.Arrived || int64(ms.Times.Count()) != f.Arrived || ms.Met > ms.Tickets-ms.Censored ||
					sum(ms.ByHour.Tickets[:]) != f.Arrived {
					t.Errorf("model %d, %s: %d arrived, a clock counted %d (histogram %d, by hour %d, met %d)",
						k, ts.Name, f.Arrived, ms.Tickets, ms.Times.Count(), sum(ms.ByHour.Tickets[:]), ms.Met)
				}
			}
			if f.Arrived != f.ByAutomation+f.ByPeople+f.OpenAtHorizon || f.Unresolved > f.OpenAtHorizon ||
				ts.Resolution.Censored != f.Unresolved || ts.Response.Censored > f.Unresolved {
				t.Errorf("model %d, %s: flow does not add up: %+v", k, ts.Name, f)
			}
			if f.Arrived > 0 && f.Unresolved == f.Arrived {
				starved++
			}
		}
		if seen.tickets != arrived || seen.reps != 2 {
			t.Errorf("model %d: the collector saw %d tickets in %d replications, %d arrived", k, seen.tickets, seen.reps, arrived)
		}
	}
	t.Logf("%d random models (%d refused as overloaded), %d tickets, %d unresolved at the drain's end, %d starved tiers",
		models, skipped, tickets, unresolved, starved)
	if skipped > models/3 || unresolved == 0 || starved == 0 {
		t.Errorf("the random models do not cover the edges: %d overloaded, %d unresolved, %d starved tiers", skipped, unresolved, starved)
	}
}

// TestConservationRandomFrontDoor is TestConservationRandom's property
// over random desks of the front door's features too: customers who give
// up, lines that turn tickets away, priority aging, travel to the site,
// progress updates and named clocks. Every ticket arriving in the
// measured window is counted once on each clock of its tier: on the
// response clock, answered or not; on the resolution clock unless it left
// unresolved; the flow at the horizon adds up, and every ticket that gave
// up or was turned away, before the horizon or in the drain, is counted
// so, once.
func TestConservationRandomFrontDoor(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(77, 5))
	hours := func(lo, hi float64) time.Duration {
		return time.Duration((lo + rng.Float64()*(hi-lo)) * float64(time.Hour))
	}
	const models = 300
	var tickets, left, inDrain, skipped int64
	for k := range models {
		m := randomModel(t, rng)
		for i := range m.Tiers {
			tier := &m.Tiers[i]
			if rng.IntN(3) == 0 {
				tier.Patience = sim.Exponential{Mu: hours(0.05, 3)}
			}
			if rng.IntN(4) == 0 {
				tier.Blocking, tier.QueueCapacity = true, rng.IntN(5)
			}
			if i > 0 && rng.IntN(4) == 0 {
				tier.Aging = sim.Aging{After: hours(0.1, 5), To: rng.IntN(i)}
			}
			if rng.IntN(4) == 0 {
				tier.Travel = sim.Exponential{Mu: hours(0.1, 1)}
				tier.RemoteResponse = rng.IntN(2) == 0
			}
			if rng.IntN(4) == 0 {
				tier.Updates = sim.Updates{Every: hours(0.2, 4), Target: hours(0.05, 1), Handling: sim.Deterministic{Value: 2 * time.Minute}}
			}
			if len(tier.Escalation) > 0 && rng.IntN(3) == 0 {
				tier.Clocks = append(tier.Clocks, sim.Clock{Name: "to L2", From: sim.Mark{Stage: sim.Arrival}, To: sim.Mark{Stage: 1}, Target: hours(0.5, 10)})
			}
		}
		res := runCounted(t, k, m)
		if res.Unstable != nil {
			skipped++
			continue
		}
		var arrived int64
		for i, ts := range res.Summary.Tiers {
			f := ts.Flow
			arrived += f.Arrived
			tickets += f.Arrived
			var gaveUp, turned int64
			if ts.Abandoned != nil {
				gaveUp = ts.Abandoned.Tickets
			}
			if ts.Blocked != nil {
				turned = ts.Blocked.Tickets
			}
			left += gaveUp + turned
			inDrain += gaveUp + turned - f.Abandoned - f.Blocked
			if f.Arrived != f.ByAutomation+f.ByPeople+f.Abandoned+f.Blocked+f.OpenAtHorizon || f.Unresolved > f.OpenAtHorizon ||
				gaveUp < f.Abandoned || turned < f.Blocked || gaveUp+turned-f.Abandoned-f.Blocked > f.OpenAtHorizon-f.Unresolved {
				t.Errorf("model %d, %s: %d gave up and %d were turned away; the flow does not add up: %+v", k, ts.Name, gaveUp, turned, f)
			}
			r := &ts.Response
			if r.Tickets != f.Arrived || int64(r.Times.Count()) != r.Tickets-r.Unanswered || r.Unanswered > gaveUp+turned ||
				r.Met > r.Tickets-r.Censored-r.Unanswered || sum(r.ByHour.Tickets[:]) != r.Tickets || sum(r.ByHour.Met[:]) != r.Met {
				t.Errorf("model %d, %s: %d arrived, %d left; response: %d tickets (%d unanswered, %d timed, %d by hour), %d met (%d by hour), %d censored",
					k, ts.Name, f.Arrived, gaveUp+turned, r.Tickets, r.Unanswered, r.Times.Count(), sum(r.ByHour.Tickets[:]), r.Met, sum(r.ByHour.Met[:]), r.Censored)
			}
			if s := &ts.Resolution; m.Tiers[i].HasResolution() && (s.Tickets != f.Arrived-gaveUp-turned || int64(s.Times.Count()) != s.Tickets ||
				s.Censored != f.Unresolved || s.Met > s.Tickets-s.Censored || sum(s.ByHour.Tickets[:]) != s.Tickets || sum(s.ByHour.Met[:]) != s.Met) {
				t.Errorf("model %d, %s: %d arrived, %d left; resolution: %d tickets (%d timed, %d by hour), %d met (%d by hour), %d censored, %d unresolved",
					k, ts.Name, f.Arrived, gaveUp+turned, s.Tickets, s.Times.Count(), sum(s.ByHour.Tickets[:]), s.Met, sum(s.ByHour.Met[:]), s.Censored, f.Unresolved)
			}
			for _, c := range ts.Clocks {
				if c.Name != sim.UpdatesClock && c.Tickets > f.Arrived || int64(c.Times.Count()) != c.Tickets-c.Unanswered ||
					c.Met > c.Tickets-c.Censored || sum(c.ByHour.Tickets[:]) != c.Tickets || sum(c.ByHour.Met[:]) != c.Met {
					t.Errorf("model %d, %s, clock %s: %d arrived; %d timed (%d unanswered, %d in the histogram, %d by hour), %d met (%d by hour), %d censored",
						k, ts.Name, c.Name, f.Arrived, c.Tickets, c.Unanswered, c.Times.Count(), sum(c.ByHour.Tickets[:]), c.Met, sum(c.ByHour.Met[:]), c.Censored)
				}
			}
		}
		if seen := res.Collected.(*ticketCounter); seen.tickets != arrived {
			t.Errorf("model %d: the collector saw %d tickets, %d arrived", k, seen.tickets, arrived)
		}
	}
	t.Logf("%d random models (%d refused as overloaded), %d tickets, %d gave up or were turned away (%d during the drain)", models, skipped, tickets, left, inDrain)
	if skipped > models/3 || left == 0 || inDrain == 0 {
		t.Errorf("the random models do not cover the edges: %d overloaded, %d left, %d during the drain", skipped, left, inDrain)
	}
}

// runCounted runs random model k for two replications on one worker,
// with a ticketCounter as its collector.
func runCounted(t *testing.T, k int, m *sim.Model) *sim.Result {
	t.Helper()
	if err := m.Validate(); err != nil {
		t.Fatalf("model %d: %v", k, err)
	}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: uint64(k), Replications: 2, Workers: 1,
		Collector: func() sim.Collector { return &ticketCounter{} }})
	if err != nil {
		t.Fatalf("model %d: %v", k, err)
	}
	return res
}

func sum(x []int64) int64 {
	var s int64
	for _, v := range x {
		s += v
	}
	return s
}

// ticketCounter counts the tickets of ended replications.
type ticketCounter struct{ reps, tickets, current int64 }

func (c *ticketCounter) Begin(uint64, int)        { c.current = 0 }
func (c *ticketCounter) Ticket(*sim.TicketRecord) { c.current++ }
func (c *ticketCounter) End()                     { c.reps++; c.tickets += c.current }
func (c *ticketCounter) Merge(o sim.Collector) error {
	oc := o.(*ticketCounter)
	c.reps += oc.reps
	c.tickets += oc.tickets
	return nil
}
