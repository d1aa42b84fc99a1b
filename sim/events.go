package sim

import (
	"math"
	"math/bits"
	"time"

	"github.com/slasim/slasim/sim/internal/cacheline"
)

// eventKind orders simultaneous events: work that ends frees agents, then
// shifts change, then waiting tickets return, then tickets waiting too long
// move up or leave (so that an agent freed at the instant a customer's
// patience ends answers the call), and arrivals come last, so that an
// arrival sees every agent free at its instant.
type eventKind uint8

const (
	evCompletion eventKind = iota // an agent finishes a piece of work
	evAutomation                  // an automated attempt ends
	evRoster                      // a team's head count changes
	evPendingEnd                  // a ticket back from waiting on the customer
	evAging                       // a waiting ticket's priority may rise
	evAbandon                     // a waiting customer's patience runs out
	evService                     // a service fails or is restored
	evBurst                       // a major incident starts
	evUpdate                      // a ticket's update falls due
	evArrival                     // a ticket arrives
)

type event struct {
	at time.Duration
	// key orders events at the same time: the kind in the top four bits,
	// so that completions come before arrivals (room for more kinds), then
	// the sequence number of the push (below 2^60), so that ties resolve in
	// the order events were scheduled.
	key uint64
	// For an arrival, a is the tier and b 1 for a ticket of a burst. For a
	// completion, a is the ticket and b the ticket's service stamp, which
	// tells a stale completion (of a service that was preempted) from a
	// live one. For an automated attempt's end or a pending ticket's
	// return, a is the ticket; for a roster change the team; for a burst
	// the burst; for a service's failure or restore, the service, and b 1
	// for a restore. For aging and abandonment, a is the ticket, and the
	// event is stale unless the ticket in that slot still waits, at the
	// time the event is due, for its promotion or the end of its patience.
	a int32
	b uint32
}

const kindShift = 60

// agenda is a replication's future events, in three heaps: each tier's
// next arrival, of which there is one at most, the automated channel's
// attempts in progress, and every other event. Their tops are compared by
// the same (time, key) as within a heap, so events come out in the one
// order of every event; but an arrival's successor, scheduled as the
// arrival is handled, is sifted down the small heap of arrivals only, not
// past the completions, and an attempt's end, which most often schedules
// nothing, is taken out of the few attempts in progress. The count of
// events scheduled so far numbers them, every heap alike, which breaks
// ties in the order they were scheduled.
type agenda struct {
	heap     eventHeap // every event but the tiers' own arrivals and the attempts
	arrivals eventHeap // each tier's next arrival
	attempts eventHeap // the ends of the automated attempts in progress
	seq      uint64
}

// newAgenda makes an empty agenda whose heaps have cache lines of their
// own (package cacheline).
func newAgenda() agenda {
	return agenda{
		heap:     eventHeap{ev: cacheline.Make[event](0)},
		arrivals: eventHeap{ev: cacheline.Make[event](0)},
		attempts: eventHeap{ev: cacheline.Make[event](0)},
	}
}

// schedule adds an event of the given kind at time at, with its arguments
// a and b (see event).
func (g *agenda) schedule(at time.Duration, kind eventKind, a int32, b uint32) {
	g.heap.push(event{at: at, key: uint64(kind)<<kindShift | g.seq, a: a, b: b})
	g.seq++
}

// scheduleArrival adds the next arrival of tier, at time at: an arrival
// that schedules its successor, which takes its place when it is in hand.
// A burst's tickets are scheduled as any other event.
func (g *agenda) scheduleArrival(at time.Duration, tier int32) {
	g.arrivals.push(event{at: at, key: uint64(evArrival)<<kindShift | g.seq, a: tier})
	g.seq++
}

// scheduleAttempt adds the end of the automated attempt on ticket i, at
// time at.
func (g *agenda) scheduleAttempt(at time.Duration, i int32) {
	g.attempts.push(event{at: at, key: uint64(evAutomation)<<kindShift | g.seq, a: i})
	g.seq++
}

// noArrival says that the tier's arrivals have ended: the arrival in
// hand, if there is one, has no successor.
func (g *agenda) noArrival() {
	if g.arrivals.held {
		g.arrivals.removeTop()
	}
}

// The event loops take the earliest event in two steps, each small enough
// to be inlined: settle, then pick (pickLean in the lean loop, whose
// models have no automated channel).

// settle removes the event in hand, if no push has replaced it. (The
// arrival in hand, if any, was replaced by its successor, scheduleArrival,
// or removed, noArrival.) The agenda keeps no pointer to the heap in hand:
// a pointer written at every event goes through the collector's write
// barrier, which costs more than looking at both heaps.
func (g *agenda) settle() {
	h := &g.heap
	if !h.held {
		h = &g.attempts
	}
	if h.held {
		h.removeTop()
	}
}

// pick hands out the earliest event, which the agenda no longer holds
// once settled: once every scheduled one is out, noEvent.
func (g *agenda) pick() event {
	h := &g.heap
	if g.attempts.top.before(h.top) {
		h = &g.attempts
	}
	if g.arrivals.top.before(h.top) {
		h = &g.arrivals
	}
	h.held = true
	return *h.top
}

// pickLean is pick where no attempt is scheduled.
func (g *agenda) pickLean() event {
	h := &g.heap
	if g.arrivals.top.before(h.top) {
		h = &g.arrivals
	}
	h.held = true
	return *h.top
}

// endOfTime is the time of noEvent, the top of an empty heap.
const endOfTime = time.Duration(math.MaxInt64)

// noEvent comes after every event (whose keys stay below 2^64 − 1), so
// that the event loop needs no test for an empty agenda.
var noEvent = event{at: endOfTime, key: math.MaxUint64}

func (g *agenda) reset() {
	g.heap.reset()
	g.arrivals.reset()
	g.attempts.reset()
	g.seq = 0
}

func (e *event) kind() eventKind { return eventKind(e.key >> kindShift) }

// before orders events by time, then kind, then sequence number.
func (e *event) before(f *event) bool {
	return e.at < f.at || e.at == f.at && e.key < f.key
}

// precedes is before as 1 or 0, without a branch: the borrow of the
// 128-bit subtraction (e.at, e.key) − (f.at, f.key), the times made
// unsigned with their order kept. Which of two children comes first is a
// coin toss that a branch would guess wrong half the time.
func (e *event) precedes(f *event) int {
	const sign = 1 << 63
	_, b := bits.Sub64(e.key, f.key, 0)
	_, b = bits.Sub64(uint64(e.at)^sign, uint64(f.at)^sign, b)
	return int(b)
}

// eventHeap is a binary min-heap of events by value: no interface boxing,
// no allocation once its slice has grown to the model's size. Sifting moves
// a hole rather than swapping, which halves the writes.
//
// An event taken (agenda.pick) stays in place, held, until the next push,
// which overwrites it and sifts down once, instead of a pop and a push
// each paying a sift: most events schedule another.
type eventHeap struct {
	ev []event
	// top is &ev[0], set as ev grows, which pick reads without a test of
	// bounds: when the heap is empty, noEvent, past its length.
	top  *event
	held bool // ev[0] was taken and awaits replacement or removal
}

func (h *eventHeap) reset() {
	h.ev = append(h.ev[:0], noEvent)[:0]
	h.top, h.held = &h.ev[:1][0], false
}

// push adds e: in place of the top, taken, sifting it down, or at the
// bottom, sifting it up. Both in one function: the common case, an event
// scheduling another, costs one call.
func (h *eventHeap) push(e event) {
	// e is compared by its fields: a pointer to it, as before takes,
	// would keep it in memory and reload it at every level.
	at, key := e.at, e.key
	ev := h.ev
	i := 0
	if h.held {
		h.held = false
		n := len(ev)
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if r := c + 1; r < n {
				c += ev[r].precedes(&ev[c])
			}
			if f := &ev[c]; !(f.at < at || f.at == at && f.key < key) { // f before e
				break
			}
			ev[i] = ev[c]
			i = c
		}
		ev[i] = e
		return
	}
	h.ev = append(h.ev, e)
	ev = h.ev
	if t := &ev[0]; t != h.top { // the array grew: a pointer written only then (see settle)
		h.top = t
	}
	i = len(ev) - 1
	for i > 0 {
		p := (i - 1) / 2
		if f := &ev[p]; !(at < f.at || at == f.at && key < f.key) { // e before f
			break
		}
		ev[i] = ev[p]
		i = p
	}
	ev[i] = e
}

// removeTop drops ev[0], taken: the last event takes its place, or
// noEvent.
func (h *eventHeap) removeTop() {
	n := len(h.ev) - 1
	last := h.ev[n]
	h.ev = h.ev[:n]
	if n > 0 {
		h.push(last)
	} else {
		*h.top, h.held = noEvent, false
	}
}
