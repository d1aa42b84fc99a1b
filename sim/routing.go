package sim

import (
	"math/bits"
	"slices"

	"github.com/slasim/slasim/sim/internal/cacheline"
	"github.com/slasim/slasim/sim/internal/pcg"
)

// routing draws a tier's routing numbers, the same count for every ticket
// whatever its path (common random numbers): whether self-service
// deflects it, whether it is misclassified and towards which neighbour,
// whether each escalation happens, whether it goes pending, whether
// automation may try it and succeed. Each is a number uniform on a grid
// of 2^-32, two to an output of the generator, its high half first, and
// is compared with its probability as an integer (threshold).
//
// A number whose outcome is known, a probability of 0 or 1 or the
// neighbour of a ticket that is never misclassified, is not computed: the
// stream jumps over the outputs that hold only such numbers (package
// pcg), as a default ticket's routing reads one output of its three or
// four. The jump past a ticket's last output is taken with the next
// ticket's first. The numbers it does compute, and where it leaves the
// stream, are those of drawing every number in turn
// (TestRoutingAsDrawn).
type routing struct {
	gen *routeGen
	// plans says which outputs to compute: for a ticket whose first
	// number is the high half of the next output (0), the low half of
	// the last (1), and the stream's first ticket (2).
	plans [3]routePlan
	// fixed has the bits of the outcomes known to be true.
	fixed uint32
	// paths is the ticket's path (bit l for each level it needs) by the
	// escalations' outcomes, bit j for the jth.
	paths []uint8
}

// The bits of routing.draw's outcomes; the escalations' from escalated up.
const (
	routeDeflected uint32 = 1 << iota
	routeMisclassified
	routeUp // a misclassified ticket enters at the tier before its own, not after
	routePending
	routeEligible
	routeSuccess
	escalated = iota
)

// half is the threshold of 0.5: which neighbour a misclassified ticket
// enters at.
const half = 1 << 31 // threshold(0.5)

// routeGen is the routing stream's generator, at the last output a ticket
// read, and the plan of the next ticket. Written at every ticket: it fills
// a cache line of its own (package cacheline).
type routeGen struct {
	pcg  pcg.PCG
	plan uint8
	_    [cacheline.Size - 24]byte
}

// routePlan is the work of one ticket's routing: the outputs to compute,
// and the plan of the next ticket. (A tier without an output to compute
// reads nothing from its stream, which need not move.)
type routePlan struct {
	outputs []routeOutput
	next    uint8
}

// routeOutput is one output to compute: the jump to it from the output
// before, and, for its high half and its low one, the threshold of the
// number's probability and its outcome's bit (0 and 0 for a number not
// read).
type routeOutput struct {
	jump      pcg.Jump
	threshold [2]uint64
	bit       [2]uint32
}

// newRouting makes the routing of tier t.
func newRouting(t *Tier) *routing {
	// The numbers in the order they are drawn, each with its outcome's
	// bit and threshold; the neighbour's outcome counts only when the
	// ticket can be misclassified.
	type number struct {
		bit       uint32
		threshold uint64
	}
	mis := threshold(t.Misclassified)
	order := []number{
		{routeDeflected, threshold(t.Deflected)},
		{routeMisclassified, mis},
		{routeUp, 0},
	}
	if mis > 0 {
		order[2].threshold = half
	}
	for j, e := range t.Escalation {
		order = append(order, number{1 << (escalated + j), threshold(e.Probability)})
	}
	order = append(order,
		number{routePending, threshold(t.Pending.Probability)},
		number{routeEligible, threshold(t.Automation.Eligible)},
		number{routeSuccess, threshold(t.Automation.Success)})
	rt := &routing{gen: &routeGen{}}
	for _, n := range order {
		if n.threshold > 1<<32-1 { // a probability of 1
			rt.fixed |= n.bit
		}
	}
	// Half q of the stream, counted from the high half of the last
	// output read (0), is output q/2's (0 the last), high when q is even:
	// a ticket's first number is half 2 (plan 0) or 1 (plan 1); the
	// stream's first ticket starts as plan 0.
	var rest [2]pcg.Jump
	for plan := range 2 {
		q0 := 2 - plan
		p := &rt.plans[plan]
		at := 0 // the output the plan has reached
		for k, n := range order {
			if n.threshold == 0 || n.threshold > 1<<32-1 {
				continue
			}
			q := q0 + k
			if len(p.outputs) == 0 || q/2 != at {
				p.outputs = append(p.outputs, routeOutput{jump: pcg.Steps(q/2 - at)})
				at = q / 2
			}
			o := &p.outputs[len(p.outputs)-1]
			o.threshold[q%2], o.bit[q%2] = n.threshold, n.bit
		}
		last := q0 + len(order) - 1
		rest[plan] = pcg.Steps(last/2 - at)
		p.next = uint8(1 - last%2)
	}
	// The first ticket's plan is plan 0 without the jump left by a
	// ticket before; every other ticket takes its predecessor's.
	rt.plans[2] = routePlan{outputs: slices.Clone(rt.plans[0].outputs), next: rt.plans[0].next}
	for plan := range 2 {
		p := &rt.plans[plan]
		pred := 0 // the plan whose next is this one
		if rt.plans[1].next == uint8(plan) {
			pred = 1
		}
		if len(p.outputs) > 0 {
			p.outputs[0].jump = rest[pred].Then(p.outputs[0].jump)
		}
	}
	rt.paths = make([]uint8, 1<<len(t.Escalation))
	for b := range rt.paths {
		path, reached := uint8(1), true
		for j := range t.Escalation {
			if t.Escalation[j].Independent {
				reached = true
			}
			reached = b&(1<<j) != 0 && reached
			if reached {
				path |= 1 << (j + 1)
			}
		}
		rt.paths[b] = path
	}
	return rt
}

// seed starts the stream of replication rep's tickets of the tier.
func (rt *routing) seed(master uint64, rep, tier int) {
	rt.gen.pcg.Seed(streamSeed(master, rep, StreamRouting, tier))
	rt.gen.plan = 2
}

// draw draws a ticket's routing numbers and returns the bits of the
// outcomes that came true.
func (rt *routing) draw() uint32 {
	g := rt.gen
	p := &rt.plans[g.plan]
	outcomes, x := rt.fixed, g.pcg
	for i := range p.outputs {
		o := &p.outputs[i]
		x = x.Apply(o.jump)
		// Below the threshold, both under 2^33, a difference wraps and
		// its top bit is set: without a branch, which would guess wrong
		// as often as the outcome is uncertain.
		v := x.Output()
		hi, lo := (v>>32-o.threshold[0])>>63, (v&(1<<32-1)-o.threshold[1])>>63
		outcomes |= o.bit[0]&-uint32(hi) | o.bit[1]&-uint32(lo)
	}
	g.pcg, g.plan = x, p.next
	return outcomes
}

// path is the levels a ticket with the given outcomes needs (bit l for
// level l), and the last of them.
func (rt *routing) path(outcomes uint32) (path uint8, last int8) {
	path = rt.paths[outcomes>>escalated]
	return path, int8(bits.Len8(path) - 1)
}
