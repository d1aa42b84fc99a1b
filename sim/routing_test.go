package sim

import (
	"math/rand/v2"
	"testing"
)

// uniform is the routing stream's next number, as source.uniform gives
// it: the low half of the last output when spare, else the next output's
// high half.
func (g *routeGen) uniform() float64 {
	if g.spare {
		g.spare = false
		return float64(uint32(g.pcg.Output())) * 0x1p-32
	}
	x := g.pcg.Uint64()
	g.spare = true
	return float64(x>>32) * 0x1p-32
}

// TestRoutingAsDrawn checks that a ticket's routing comes out as drawing
// each of its numbers in turn (source.uniform) and comparing it with its
// probability does, and leaves the stream where that leaves it: for
// random tiers of up to seven escalations, some independent, with
// probabilities at 0 and 1, on the grid of 2^-32 and beside it, at random,
// and at the very number drawn or the next on the grid (the edge of each
// decision), from either half of an output.
func TestRoutingAsDrawn(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	ref := newSource()
	ref.seed(9, 1, StreamRouting, 3)
	var g routeGen
	g.pcg.Seed(streamSeed(9, 1, StreamRouting, 3))
	fixed := []float64{0, 1, 0.15, 0.5, 0.999, 1 - 0x1p-32, 0x1p-32, 0x1p-33, 3 * 0x1p-32, 0.25 + 0x1p-40}
	for trial := range 100_000 {
		levels := r.IntN(maxLevels)
		n := 6 + levels // the ticket's numbers
		// The kth of them, drawn ahead on a copy of the reference.
		peek, ahead := *ref, make([]float64, n)
		for k := range ahead {
			ahead[k] = peek.uniform()
		}
		at := 0
		prob := func() float64 {
			k := at
			at++
			switch r.IntN(5) {
			case 0:
				return fixed[r.IntN(len(fixed))]
			case 1:
				return r.Float64()
			case 2:
				return float64(r.Uint32()) * 0x1p-32
			case 3:
				return ahead[k] + float64(r.IntN(2))*0x1p-32
			}
			return 0
		}
		tier := &Tier{Deflected: prob(), Misclassified: prob()}
		at++ // the neighbour's number: always 0.5
		for range levels {
			tier.Escalation = append(tier.Escalation, Escalation{Probability: prob(), Independent: r.IntN(3) == 0})
		}
		tier.Pending.Probability = prob()
		tier.Automation.Eligible = prob()
		tier.Automation.Success = prob()

		u := ref.uniform
		deflected, mis, up := u() < tier.Deflected, u() < tier.Misclassified, u() < 0.5
		path, last, reached := uint8(1), int8(0), true
		for j, e := range tier.Escalation {
			if e.Independent {
				reached = true
			}
			reached = u() < e.Probability && reached
			if reached {
				path |= 1 << (j + 1)
				last = int8(j + 1)
			}
		}
		pending, eligible, success := u() < tier.Pending.Probability, u() < tier.Automation.Eligible, u() < tier.Automation.Success

		rt := newRouting(tier)
		rt.gen = &g
		o := rt.draw()
		gotPath, gotLast := rt.path(o)
		switch {
		case o&routeDeflected != 0 != deflected, o&routeMisclassified != 0 != mis,
			mis && o&routeUp != 0 != up, gotPath != path,
			o&routePending != 0 != pending, o&routeEligible != 0 != eligible, o&routeSuccess != 0 != success:
			t.Fatalf("trial %d, tier %+v: outcomes %#b, path %#b; drawn in turn: deflected %v, misclassified %v (up %v), path %#b, pending %v, eligible %v, success %v",
				trial, tier, o, gotPath, deflected, mis, up, path, pending, eligible, success)
		case gotLast != last:
			t.Fatalf("trial %d: last level %d of path %#b", trial, gotLast, path)
		}
		if trial%1000 == 0 {
			// The streams stay together, whatever the tickets read.
			if x, y := g.uniform(), ref.uniform(); x != y {
				t.Fatalf("trial %d: the streams part: %v, want %v", trial, x, y)
			}
		}
	}
	for range 3 {
		if x, y := g.uniform(), ref.uniform(); x != y {
			t.Fatalf("the streams part: %v, want %v", x, y)
		}
	}
}
