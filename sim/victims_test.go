package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"
)

// TestVictimsAgainstScan drives the index of busy agents with random
// starts (some paged or travelling, starting later), ends, departures
// past the shift and returns from them, with many equal times, and checks
// every choice against a pass over all agents with the rule victim states.
func TestVictimsAgainstScan(t *testing.T) {
	defer func(from int) { victimIndexFrom = from }(victimIndexFrom)
	victimIndexFrom = 0
	rng := rand.New(rand.NewPCG(15, 1))
	type agent struct {
		team          int32
		busy, leaving bool
		class         int8
		start         time.Duration
	}
	for trial := range 300 {
		nTeams, classes, levels := 1+rng.IntN(3), 2+rng.IntN(4), 1+rng.IntN(2)
		teams := make([]team, nTeams)
		for k := range teams {
			for c := range classes {
				teams[k].skills[c] = uint8(rng.IntN(1 << levels))
			}
		}
		agents := make([]agent, 1+rng.IntN(40))
		for a := range agents {
			agents[a].team = int32(rng.IntN(nTeams))
		}
		// Classes from the first that preempts may interrupt others.
		m := &Model{Tiers: make([]Tier, classes)}
		preempting := rng.IntN(classes - 1)
		m.Tiers[preempting].Preempts = true
		v := newVictims(m, nTeams, len(agents))
		scan := func(class, level int8, now time.Duration) int32 {
			best := int32(-1)
			for a, ag := range agents {
				if !ag.busy || ag.leaving || !teams[ag.team].skilled(class, level) || !outranks(class, ag.class) || ag.start > now {
					continue
				}
				if b := agents[max(best, 0)]; best < 0 || outranks(b.class, ag.class) || ag.class == b.class && ag.start >= b.start {
					best = int32(a)
				}
			}
			return best
		}
		now := time.Duration(0)
		for step := range 2000 {
			a := int32(rng.IntN(len(agents)))
			ag := &agents[a]
			switch op := rng.IntN(6); {
			case op == 0 && !ag.busy:
				ag.busy, ag.class, ag.start = true, int8(rng.IntN(classes)), now
				if rng.IntN(4) == 0 {
					ag.start += time.Duration(rng.IntN(3)) // paged or travelling
				}
				if !ag.leaving {
					v.add(a, ag.team, ag.class, ag.start, now)
				}
			case op == 1 && ag.busy:
				ag.busy = false
				v.remove(a)
			case op == 2 && ag.busy && !ag.leaving:
				ag.leaving = true
				v.remove(a)
			case op == 3 && ag.leaving:
				ag.leaving = false
				if ag.busy {
					v.add(a, ag.team, ag.class, ag.start, now)
				}
			case op == 4:
				now += time.Duration(rng.IntN(2))
			default:
				class, level := int8(preempting+rng.IntN(classes-preempting)), int8(rng.IntN(levels))
				if got, want := v.find(teams, class, level, now), scan(class, level, now); got != want {
					t.Fatalf("trial %d, step %d: victim for class %d level %d at %v is %d, a pass over the agents gives %d", trial, step, class, level, now, got, want)
				}
			}
		}
		v.reset()
		for a := range agents {
			agents[a].busy = false
		}
		if got := v.find(teams, int8(preempting), 0, now); got != -1 {
			t.Fatalf("trial %d: agent %d chosen after reset", trial, got)
		}
	}
}

// TestVictimIndexSameResults runs preempting models with the pass over
// the agents and with the index: the results must be the same, byte for
// byte (paged and travelling agents, shifts ending under busy agents who
// hand their tickets back or finish them, a chat team, 12 and 1,200
// agents).
func TestVictimIndexSameResults(t *testing.T) {
	models := map[string]*Model{
		"every part":    featuresModel(500 * time.Hour),
		"front door":    frontDoorModel(500 * time.Hour),
		"1,200 agents":  shiftsModel(1200, 25*time.Hour),
		"hand-back, 12": shiftsModel(12, 500*time.Hour),
	}
	for _, name := range []string{"1,200 agents", "hand-back, 12"} {
		m := models[name]
		m.Tiers[0].Preempts, m.Tiers[1].Preempts = true, true
		m.Teams[0].HandBack = name == "hand-back, 12"
	}
	defer func(from int) { victimIndexFrom = from }(victimIndexFrom)
	for name, m := range models {
		var out [2][]byte
		for i, from := range []int{1 << 30, 0} {
			victimIndexFrom = from
			res, err := Run(context.Background(), m, Options{Seed: 3, Replications: 4, Workers: 2})
			if err != nil {
				t.Fatal(name, err)
			}
			if out[i], err = json.Marshal(res); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Errorf("%s: the index chose other agents to interrupt than the pass over them", name)
		}
	}
}
