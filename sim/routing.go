package sim

import (
	"math/bits"

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
// pcg), as a default ticket's routing reads two of its six or seven. The
// numbers it does compute, and where it leaves the stream, are those of
// drawing every number in turn (TestRoutingAsDrawn).
type routing struct {
	gen *routeGen
	// plans says which numbers to compute, by whether the ticket's first
	// number is the low half of the generator's last output.
	plans [2]routePlan
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

// routeGen is the routing stream's generator. spare says that the low
// half of its last output is the next number. Written at every ticket: it
// fills a cache line of its own (package cacheline).
type routeGen struct {
	pcg   pcg.PCG
	spare bool
	_     [cacheline.Size - 24]byte
}

// routePlan is the work of one ticket's routing from one parity of the
// stream: the numbers to compute, then the jump to the output holding
// the ticket's last number, and the parity it leaves.
type routePlan struct {
	numbers []routeNumber
	rest    pcg.Jump
	spare   bool
}

// routeNumber is one number to compute: the jump from the output before
// to the one holding it, which half it is (the shift that brings it
// down), its probability's threshold and the outcome's bit.
type routeNumber struct {
	jump      pcg.Jump
	shift     uint8
	bit       uint32
	threshold uint64
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
	for spare := range 2 {
		// Half q of the stream, from the last output's high half (0),
		// is output q/2's (0 the last), high when q is even; a ticket's
		// first number is half 1 with a spare, 2 without.
		q0 := 2 - spare
		p := &rt.plans[spare]
		at := 0 // the output the plan has reached
		for k, n := range order {
			if n.threshold == 0 || n.threshold > 1<<32-1 {
				continue
			}
			q := q0 + k
			p.numbers = append(p.numbers, routeNumber{
				jump:      pcg.Steps(q/2 - at),
				shift:     uint8(32 * (1 - q%2)),
				bit:       n.bit,
				threshold: n.threshold,
			})
			at = q / 2
		}
		last := q0 + len(order) - 1
		p.rest = pcg.Steps(last/2 - at)
		p.spare = last%2 == 0
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
	rt.gen.spare = false
}

// draw draws a ticket's routing numbers and returns the bits of the
// outcomes that came true.
func (rt *routing) draw() uint32 {
	g := rt.gen
	p := &rt.plans[0]
	if g.spare {
		p = &rt.plans[1]
	}
	outcomes, x := rt.fixed, g.pcg
	numbers := p.numbers
	for i := range numbers {
		n := &numbers[i]
		x = x.Apply(n.jump)
		// Below the threshold, both under 2^33, the difference wraps
		// and its top bit is set: without a branch, which would guess
		// wrong as often as the outcome is uncertain.
		below := (x.Output()>>(n.shift&63)&(1<<32-1) - n.threshold) >> 63
		outcomes |= n.bit & -uint32(below)
	}
	x = x.Apply(p.rest)
	g.pcg, g.spare = x, p.spare
	return outcomes
}

// path is the levels a ticket with the given outcomes needs (bit l for
// level l), and the last of them.
func (rt *routing) path(outcomes uint32) (path uint8, last int8) {
	path = rt.paths[outcomes>>escalated]
	return path, int8(bits.Len8(path) - 1)
}
