package sim

import (
	"math"
	"math/rand/v2"

	"github.com/slasim/slasim/sim/internal/cacheline"
	"github.com/slasim/slasim/sim/internal/ziggurat"
)

// Stream names a purpose for random numbers. Each (master seed, replication,
// stream, tier) has its own generator, so changing how one purpose draws
// does not shift the numbers any other purpose sees: two scenarios run with
// the same seed share their arrivals and handling times ticket by ticket.
type Stream uint32

const (
	StreamArrivals  Stream = iota + 1 // arrival times, per tier
	StreamHandling                    // work per level, per tier
	StreamRouting                     // deflection, misclassification, escalation, pending, automation outcome, per tier
	StreamLifecycle                   // pending and automation durations, per tier
	StreamVolume                      // daily volume factors
	StreamStaffing                    // agents present under shrinkage, per team
	StreamBursts                      // major incidents, per burst
	StreamPatience                    // customers' patience, per tier
	StreamTravel                      // the travel time to site, per tier
	StreamPaging                      // on-call agents' paging delays, per team
	StreamDuties                      // the handling of updates, per tier
)

// Streams of the services the desk supports, numbered apart from the
// ones above so that either list grows without renumbering the other.
const (
	StreamServices Stream = 64 + iota // failures, restores, failovers and outage tickets, per service
)

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// streamSeed derives the two PCG seed words of one stream.
func streamSeed(master uint64, rep int, s Stream, tier int) (uint64, uint64) {
	h := splitmix(splitmix(master) ^ uint64(rep))
	h = splitmix(h ^ uint64(s)<<32 ^ uint64(tier))
	return h, splitmix(h)
}

// source is a reseedable generator, so that a worker reuses it across
// replications without allocating.
type source struct {
	pcg rand.PCG
	*rand.Rand
	// low is the second half of the generator's last output, not yet used
	// by atLeast when spare is set.
	low   uint32
	spare bool
	// A source is written at every draw: the fields above take 32 bytes,
	// and this pads them to a cache line of its own (package cacheline).
	_ [cacheline.Size - 32]byte
}

func newSource() *source {
	s := &source{}
	s.Rand = rand.New(&s.pcg)
	return s
}

func (s *source) seed(master uint64, rep int, st Stream, tier int) {
	s.pcg.Seed(streamSeed(master, rep, st, tier))
	s.spare = false
}

// exp is an exponential number of mean 1, the one ExpFloat64 gives,
// drawn on the generator directly: ExpFloat64 reaches it through the
// rand.Source interface, a call that cannot be inlined, for every number.
func (s *source) exp() float64 { return ziggurat.Exp(&s.pcg) }

// normal is a standard normal number, the one NormFloat64 gives, drawn on
// the generator directly as exp is.
func (s *source) normal() float64 { return ziggurat.Normal(&s.pcg) }

// threshold is the least half v of an output with v·2^-32 >= p, for p in
// [0, 1]: v·2^-32 >= p is v >= p·2^32, both sides exact in float64.
func threshold(p float64) uint64 { return uint64(math.Ceil(p * 0x1p32)) }

// atLeast draws n numbers uniform in [0, 1) on a grid of 2^-32 and counts
// those at least the probability whose threshold is given, for the
// presence of a team's agents under shrinkage. Each output of the
// generator gives two numbers, its high half first: a probability is
// drawn within 2^-32, and exactly at 0 and 1, with half the generator's
// work of a 53-bit Float64. The half v stands for v·2^-32, compared as an
// integer: v·2^-32 < p exactly when v < threshold(p). (A ticket's routing
// draws its numbers so too, routing.go.)
func (s *source) atLeast(n int, threshold uint64) int {
	c := 0
	if n > 0 && s.spare {
		s.spare = false
		c += bit(uint64(s.low) >= threshold)
		n--
	}
	for ; n >= 2; n -= 2 {
		x := s.pcg.Uint64()
		c += bit(x>>32 >= threshold) + bit(uint64(uint32(x)) >= threshold)
	}
	if n == 1 {
		x := s.pcg.Uint64()
		s.low, s.spare = uint32(x), true
		c += bit(x>>32 >= threshold)
	}
	return c
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}
