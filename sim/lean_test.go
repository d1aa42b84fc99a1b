package sim_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// leanOf is m without the parts the lean loop leaves out: one level per
// ticket, no routing, preemption or calendars, teams on site whose head
// count only grows. What it keeps of a team's policy for agents who leave
// or are paged (HandBack, OnCallDelay) the lean loop never reaches.
func leanOf(m *sim.Model, rng *rand.Rand) *sim.Model {
	m.Automation = sim.Automation{}
	for i := range m.Tiers {
		t := &m.Tiers[i]
		t.Escalation, t.Pending, t.Misclassified, t.Deflected = nil, sim.Pending{}, 0, 0
		t.Automation, t.Preempts = sim.TierAutomation{}, false
		t.ResponseCalendar, t.ResolutionCalendar, t.OffHours = nil, nil, sim.OffHours{}
	}
	for j := range m.Teams {
		tm := &m.Teams[j]
		tm.OnCall, tm.Shrinkage = sim.Steps{}, 0
		// Some agents from the start, more later, or all later.
		first := rng.IntN(3)
		tm.OnSite = sim.Steps{At: []time.Duration{0, time.Duration(1+rng.IntN(100)) * time.Hour}, Value: []int{first, first + 1 + rng.IntN(3)}}
	}
	return m
}

// TestLeanAgrees runs random lean models (leanOf randomModel, with
// limits on the tickets in the system, major incidents whose tickets all
// arrive at once and deterministic handling, for ties, or a detected
// warm-up) and the reference model through the lean loop and the general
// one, with the same seed: the summaries, instabilities and warm-ups must
// be identical, field by field. A collector sends a run through the
// general loop.
func TestLeanAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 15))
	models := []*sim.Model{benchReference(2000 * time.Hour)}
	for range 150 {
		m := leanOf(randomModel(t, rng), rng)
		switch rng.IntN(4) {
		case 0:
			m.MaxInSystem = 5 + rng.IntN(30)
		case 1:
			m.Bursts = []sim.Burst{{Tier: rng.IntN(len(m.Tiers)), PerWeek: 5, MeanSize: 4}}
			m.Tiers[0].Handling = sim.Deterministic{Value: time.Duration(1+rng.IntN(30)) * time.Minute}
		case 2:
			// The pilots record a series (the general loop); the
			// replications then start the detected warm-up before the
			// window, after the model's time 0.
			m.AutoWarmUp, m.WarmUp = true, max(m.WarmUp, 2*24*time.Hour)
		}
		models = append(models, m)
	}
	collector := func() sim.Collector { return &ticketCounter{} }
	var tickets, unstable int64
	for k, m := range models {
		if err := m.Validate(); err != nil {
			t.Fatalf("model %d: %v", k, err)
		}
		if !sim.TakesLeanPath(m) {
			t.Fatalf("model %d does not take the lean path", k)
		}
		o := sim.Options{Seed: uint64(k), Replications: 3, Workers: 1}
		lean, err := sim.Run(context.Background(), m, o)
		if err != nil {
			t.Fatalf("model %d: %v", k, err)
		}
		o.Collector = collector
		general, err := sim.Run(context.Background(), m, o)
		if err != nil {
			t.Fatalf("model %d, general loop: %v", k, err)
		}
		if !reflect.DeepEqual(lean.Summary, general.Summary) || !reflect.DeepEqual(lean.Unstable, general.Unstable) || lean.WarmUp != general.WarmUp {
			t.Errorf("model %d: the lean and the general loops differ", k)
		}
		if lean.Unstable != nil {
			unstable++
		}
		for _, ts := range lean.Summary.Tiers {
			tickets += ts.Flow.Arrived
		}
	}
	t.Logf("%d models (%d unstable), %d tickets", len(models), unstable, tickets)
	if unstable < 10 || tickets < 100_000 {
		t.Errorf("too little compared: %d unstable models, %d tickets", unstable, tickets)
	}
}

// TestLeanModel: each optional part of the engine sends a model to the
// general loop.
func TestLeanModel(t *testing.T) {
	base := func() *sim.Model {
		return &sim.Model{Agents: 2, Horizon: sim.Week, Tiers: []sim.Tier{
			{Name: "a", Arrivals: sim.ConstantRate(1), Handling: sim.Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 8 * time.Hour},
			{Name: "b", Arrivals: sim.ConstantRate(1), Handling: sim.Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 8 * time.Hour},
		}}
	}
	exp := sim.Exponential{Mu: time.Hour}
	cal := &sim.Calendar{}
	site := func(at []time.Duration, n ...int) sim.Team {
		return sim.Team{Name: "t", OnSite: sim.Steps{At: at, Value: n}}
	}
	cases := []struct {
		name string
		lean bool
		set  func(m *sim.Model)
	}{
		{"agents", true, func(*sim.Model) {}},
		{"growing team", true, func(m *sim.Model) { m.Teams = []sim.Team{site([]time.Duration{0, time.Hour}, 1, 3)} }},
		{"bursts", true, func(m *sim.Model) { m.Bursts = []sim.Burst{{PerWeek: 1, MeanSize: 3}} }},
		{"daily volume", true, func(m *sim.Model) { m.DailyCV = 0.2 }},
		{"shrinking team", false, func(m *sim.Model) { m.Teams = []sim.Team{site([]time.Duration{0, time.Hour}, 3, 1)} }},
		{"on call", false, func(m *sim.Model) {
			tm := site([]time.Duration{0}, 1)
			tm.OnCall = sim.Steps{At: []time.Duration{0}, Value: []int{1}}
			m.Teams = []sim.Team{tm}
		}},
		{"shrinkage", false, func(m *sim.Model) { tm := site([]time.Duration{0}, 2); tm.Shrinkage = 0.1; m.Teams = []sim.Team{tm} }},
		{"chats", false, func(m *sim.Model) { tm := site([]time.Duration{0}, 2); tm.Concurrency = 2; m.Teams = []sim.Team{tm} }},
		{"escalation", false, func(m *sim.Model) { m.Tiers[1].Escalation = []sim.Escalation{{Probability: 0.5, Handling: exp}} }},
		{"named clocks", false, func(m *sim.Model) { m.Tiers[1].Clocks = []sim.Clock{{Name: "c"}} }},
		{"updates", false, func(m *sim.Model) { m.Tiers[1].Updates = sim.Updates{Every: time.Hour} }},
		{"preemption", false, func(m *sim.Model) { m.Tiers[0].Preempts = true }},
		{"pending", false, func(m *sim.Model) { m.Tiers[1].Pending = sim.Pending{Probability: 0.1, Wait: exp, FollowUp: exp} }},
		{"misclassified", false, func(m *sim.Model) { m.Tiers[1].Misclassified = 0.1 }},
		{"deflected", false, func(m *sim.Model) { m.Tiers[1].Deflected = 0.1 }},
		{"automation", false, func(m *sim.Model) { m.Tiers[1].Automation = sim.TierAutomation{Eligible: 0.5, Processing: exp} }},
		{"patience", false, func(m *sim.Model) { m.Tiers[1].Patience = exp }},
		{"travel", false, func(m *sim.Model) { m.Tiers[1].Travel = exp }},
		{"blocking", false, func(m *sim.Model) { m.Tiers[1].Blocking = true }},
		{"concurrent", false, func(m *sim.Model) { m.Tiers[1].Concurrent = true }},
		{"aging", false, func(m *sim.Model) { m.Tiers[1].Aging = sim.Aging{After: time.Hour} }},
		{"response calendar", false, func(m *sim.Model) { m.Tiers[1].ResponseCalendar = cal }},
		{"resolution calendar", false, func(m *sim.Model) { m.Tiers[1].ResolutionCalendar = cal }},
		{"off hours", false, func(m *sim.Model) { m.Tiers[1].OffHours.Calendar = cal }},
		{"services", false, func(m *sim.Model) { m.Services = []sim.Service{{Name: "s"}} }},
		{"dates", false, func(m *sim.Model) {
			m.Dates = sim.Dates{Starts: []time.Duration{0}, Labels: []string{""}, Periods: []sim.Period{{Kind: "day", End: 1}}}
		}},
	}
	for _, c := range cases {
		m := base()
		c.set(m)
		if got := sim.LeanModel(m); got != c.lean {
			t.Errorf("%s: lean %v, want %v", c.name, got, c.lean)
		}
	}
}
