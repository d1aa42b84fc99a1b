package sim_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// opaque hides a distribution's type from the engine, which then draws
// from it through the Distribution interface: the general path of every
// draw the engine makes in line for a distribution it recognises.
type opaque struct{ sim.Distribution }

// generalPath is a copy of m whose distributions the engine takes no fast
// path for.
func generalPath(m *sim.Model) *sim.Model {
	g := *m
	g.Tiers = append([]sim.Tier(nil), m.Tiers...)
	hide := func(d *sim.Distribution) {
		if *d != nil {
			*d = opaque{*d}
		}
	}
	for i := range g.Tiers {
		t := &g.Tiers[i]
		hide(&t.Handling)
		t.Escalation = append([]sim.Escalation(nil), t.Escalation...)
		for j := range t.Escalation {
			hide(&t.Escalation[j].Handling)
		}
		hide(&t.Pending.Wait)
		hide(&t.Pending.FollowUp)
		hide(&t.Automation.Processing)
		hide(&t.Patience)
		hide(&t.Travel)
	}
	return &g
}

// benchReference is the reference model (sim's benchReferenceModel) over
// horizon.
func benchReference(horizon time.Duration) *sim.Model {
	exp := sim.Exponential{Mu: time.Hour}
	return &sim.Model{Agents: 12, Horizon: horizon, Tiers: []sim.Tier{
		{Name: "P1", Arrivals: sim.ConstantRate(0.45), Handling: exp, Response: 15 * time.Minute, Resolution: 4 * time.Hour},
		{Name: "P2", Arrivals: sim.ConstantRate(1.35), Handling: exp, Response: 30 * time.Minute, Resolution: 8 * time.Hour},
		{Name: "P3", Arrivals: sim.ConstantRate(7.2), Handling: exp, Response: time.Hour, Resolution: 24 * time.Hour},
	}}
}

// TestFastPathsAgree runs random desks (randomModel) and the reference
// model through the engine's fast paths and its general ones, with the
// same seed: the summaries must be identical, field by field.
func TestFastPathsAgree(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 12))
	models := []*sim.Model{benchReference(2000 * time.Hour)}
	for range 120 {
		models = append(models, randomModel(t, rng))
	}
	var exponential, tickets int64
	for k, m := range models {
		if err := m.Validate(); err != nil {
			t.Fatalf("model %d: %v", k, err)
		}
		for _, tier := range m.Tiers {
			if _, ok := tier.Handling.(sim.Exponential); ok {
				exponential++
			}
		}
		o := sim.Options{Seed: uint64(k), Replications: 2, Workers: 1}
		fast, err := sim.Run(context.Background(), m, o)
		if err != nil {
			t.Fatalf("model %d: %v", k, err)
		}
		general, err := sim.Run(context.Background(), generalPath(m), o)
		if err != nil {
			t.Fatalf("model %d, general path: %v", k, err)
		}
		if !reflect.DeepEqual(fast.Summary, general.Summary) || !reflect.DeepEqual(fast.Unstable, general.Unstable) {
			t.Errorf("model %d: the fast and the general paths differ", k)
		}
		for _, ts := range fast.Summary.Tiers {
			tickets += ts.Flow.Arrived
		}
	}
	t.Logf("%d models, %d tiers with exponential handling, %d tickets", len(models), exponential, tickets)
	if exponential < 20 || tickets < 50_000 {
		t.Errorf("too few fast draws to compare: %d exponential tiers, %d tickets", exponential, tickets)
	}
}
