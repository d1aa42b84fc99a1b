package sim

import (
	"math/rand/v2"
	"testing"
)

// TestRoutingAsDrawn checks that tickets' routing comes out as drawing
// each of their numbers in turn (source.uniform) and comparing it with
// its probability does, ticket after ticket of a tier: for random tiers
// of up to seven escalations, some independent, with probabilities at 0
// and 1, on the grid of 2^-32 and beside it, at random, and at the very
// number the first ticket draws or the next on the grid (the edge of each
// decision). A stream left anywhere but where drawing in turn leaves it
// shows in the outcomes of the tickets after.
func TestRoutingAsDrawn(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	ref := newSource()
	fixed := []float64{0, 1, 0.15, 0.5, 0.999, 1 - 0x1p-32, 0x1p-32, 0x1p-33, 3 * 0x1p-32, 0.25 + 0x1p-40}
	for trial := range 3000 {
		ref.seed(9, trial, StreamRouting, 3)
		levels := r.IntN(maxLevels)
		n := 6 + levels // a ticket's numbers
		// The first ticket's, drawn ahead on a copy of the reference.
		peek, ahead := *ref, make([]float64, n)
		for k := range ahead {
			ahead[k] = peek.uniform()
		}
		at := 0
		prob := func() float64 {
			k := at
			at++
			switch r.IntN(6) {
			case 0:
				return fixed[r.IntN(len(fixed))]
			case 1:
				return r.Float64()
			case 2:
				return float64(r.Uint32()) * 0x1p-32
			case 3:
				return ahead[k] + float64(r.IntN(2))*0x1p-32
			case 4:
				return 1
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
		rt := newRouting(tier)
		rt.seed(9, trial, 3)

		for ticket := range 40 {
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

			o := rt.draw()
			gotPath, gotLast := rt.path(o)
			if o&routeDeflected != 0 != deflected || o&routeMisclassified != 0 != mis ||
				mis && o&routeUp != 0 != up || gotPath != path || gotLast != last ||
				o&routePending != 0 != pending || o&routeEligible != 0 != eligible || o&routeSuccess != 0 != success {
				t.Fatalf("trial %d, tier %+v, ticket %d: outcomes %#b, path %#b, last level %d; drawn in turn: deflected %v, misclassified %v (up %v), path %#b, last level %d, pending %v, eligible %v, success %v",
					trial, tier, ticket, o, gotPath, gotLast, deflected, mis, up, path, last, pending, eligible, success)
			}
		}
	}
}
