package sim

// Tests of the event heap against simple reference models: events come
// out by time, then completions before arrivals at the same instant, then
// in the order they were scheduled.

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// heapEvent builds an event as the engine schedules it: the kind and the
// sequence number of the push make up its key.
func heapEvent(at time.Duration, kind eventKind, seq uint64) event {
	return event{at: at, key: uint64(kind)<<kindShift | seq, a: int32(seq)}
}

// heapOrder is the order the engine relies on, spelled out.
func heapOrder(x, y event) int {
	return cmp.Or(cmp.Compare(x.at, y.at), cmp.Compare(x.kind(), y.kind()), cmp.Compare(x.key&(1<<kindShift-1), y.key&(1<<kindShift-1)))
}

func TestEventKeyOrder(t *testing.T) {
	// At the same instant a completion scheduled late (large sequence
	// number) still comes before an arrival scheduled early.
	c := heapEvent(time.Hour, evCompletion, 1<<kindShift-1)
	a := heapEvent(time.Hour, evArrival, 0)
	if !c.before(&a) || a.before(&c) {
		t.Error("a completion must come before an arrival at the same time, whatever their sequence numbers")
	}
	if c.kind() != evCompletion || a.kind() != evArrival {
		t.Errorf("kinds read back as %v and %v", c.kind(), a.kind())
	}
	early := heapEvent(time.Hour-1, evArrival, 1<<kindShift-1)
	if !early.before(&c) {
		t.Error("an earlier arrival must come before a later completion")
	}
	x, y := heapEvent(0, evArrival, 5), heapEvent(0, evArrival, 6)
	if !x.before(&y) || y.before(&x) || x.before(&x) {
		t.Error("same time and kind: the lower sequence number first, and an event is not before itself")
	}
}

// TestEventHeapAgainstSort pushes events with many ties in random order and
// takes them all: they must come out in heapOrder.
func TestEventHeapAgainstSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := r.IntN(300)
		evs := make([]event, n)
		for i := range evs {
			// Few distinct times, so that ties are the rule.
			evs[i] = heapEvent(time.Duration(r.IntN(1+trial%20)), eventKind(r.IntN(2)), uint64(i))
		}
		var h eventHeap
		for _, i := range r.Perm(n) {
			h.push(evs[i])
		}
		if h.len() != n {
			t.Fatalf("len %d after %d pushes", h.len(), n)
		}
		slices.SortFunc(evs, heapOrder)
		for i, want := range evs {
			got := h.take()
			if got != want {
				t.Fatalf("trial %d: event %d out is %+v, want %+v", trial, i, got, want)
			}
		}
		if h.len() != 0 {
			t.Fatalf("len %d after taking everything", h.len())
		}
	}
}

// TestEventHeapInterleaved mimics the simulation: take the earliest event,
// then push zero, one or two events no earlier than it, against a sorted
// slice as the reference queue.
func TestEventHeapInterleaved(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var (
		h   eventHeap
		ref []event
		seq uint64
	)
	push := func(e event) {
		h.push(e)
		i, _ := slices.BinarySearchFunc(ref, e, heapOrder)
		ref = slices.Insert(ref, i, e)
	}
	for range 20 {
		push(heapEvent(time.Duration(r.IntN(100)), eventKind(r.IntN(2)), seq))
		seq++
	}
	take := func(step int) event {
		if h.len() != len(ref) {
			t.Fatalf("step %d: len %d, reference %d", step, h.len(), len(ref))
		}
		got, want := h.take(), ref[0]
		ref = ref[1:]
		if got != want {
			t.Fatalf("step %d: took %+v, want %+v", step, got, want)
		}
		return got
	}
	for step := range 100_000 {
		got := take(step)
		// Schedule follow-ups, often at the same instant (ties), never in
		// the past, keeping 30 to 60 events pending.
		k := r.IntN(2)
		if len(ref) < 30 {
			k++
		}
		for range k {
			at := got.at
			if r.IntN(3) > 0 {
				at += time.Duration(r.IntN(50))
			}
			push(heapEvent(at, eventKind(r.IntN(2)), seq))
			seq++
		}
	}
	for step := 0; len(ref) > 0; step++ {
		take(step)
	}
	if h.len() != 0 {
		t.Fatalf("len %d when drained", h.len())
	}
	// reset empties the heap, even with an event taken and not replaced.
	push(heapEvent(1, evArrival, seq))
	h.take()
	h.reset()
	if h.len() != 0 {
		t.Fatalf("len %d after reset", h.len())
	}
	h.push(heapEvent(5, evArrival, 0))
	if h.len() != 1 || h.take().at != 5 {
		t.Fatal("heap unusable after reset")
	}
}

// TestEventPrecedes checks the heap's branch-free comparison against
// before, with ties in time and in kind, negative and extreme times.
func TestEventPrecedes(t *testing.T) {
	times := []time.Duration{math.MinInt64, -time.Hour, -1, 0, 1, time.Hour, time.Hour + 1, endOfTime - 1, endOfTime}
	keys := []uint64{0, 1, 1<<kindShift - 1, uint64(evArrival) << kindShift, uint64(evArrival)<<kindShift | 7, math.MaxUint64}
	var events []event
	for _, at := range times {
		for _, k := range keys {
			events = append(events, event{at: at, key: k})
		}
	}
	rng := rand.New(rand.NewPCG(5, 8))
	for range 1000 {
		events = append(events, event{at: time.Duration(rng.Int64N(8) - 4), key: rng.Uint64N(4) << 62})
	}
	for i := range events {
		for j := range events {
			e, f := &events[i], &events[j]
			if want := e.before(f); (e.precedes(f) == 1) != want || e.precedes(f) > 1 {
				t.Fatalf("(%v, %#x) against (%v, %#x): precedes %d, before %v", e.at, e.key, f.at, f.key, e.precedes(f), want)
			}
		}
	}
}

// take returns the earliest event, which the heap no longer holds: the
// agenda's next with one heap.
func (h *eventHeap) take() event {
	if h.held {
		h.removeTop()
	}
	h.held = true
	return h.ev[0]
}

// len is the number of events h holds (the engine needs no count: an
// empty heap's top is none).
func (h *eventHeap) len() int {
	if h.held {
		return len(h.ev) - 1
	}
	return len(h.ev)
}

// TestAgendaInterleaved runs the agenda as the event loops do, against a
// sorted slice as the reference queue: each tier has one pending arrival,
// whose successor (or, once the tier's arrivals end, none) is scheduled
// when it is taken, first of the follow-ups; other events are scheduled
// at random, with many ties in time across the three heaps. Events must
// come out in heapOrder, whichever heap holds them.
func TestAgendaInterleaved(t *testing.T) {
	for _, tiers := range []int{1, 3, 50} {
		r := rand.New(rand.NewPCG(uint64(tiers), 9))
		var (
			g   agenda
			ref []event
		)
		g.reset()
		add := func(at time.Duration, kind eventKind, a int32) {
			e := heapEvent(at, kind, g.seq)
			e.a = a
			switch {
			case kind == evArrival && a >= 0:
				g.scheduleArrival(at, a)
			case kind == evAutomation:
				g.scheduleAttempt(at, a)
			default:
				g.schedule(at, kind, a, 0)
			}
			i, _ := slices.BinarySearchFunc(ref, e, heapOrder)
			ref = slices.Insert(ref, i, e)
		}
		left := make([]int, tiers) // arrivals each tier has still to come
		for k := range tiers {
			left[k] = r.IntN(2000)
			if left[k] > 0 {
				add(time.Duration(r.IntN(20)), evArrival, int32(k))
			}
		}
		for step := 0; ; step++ {
			g.settle()
			got := g.pick()
			if len(ref) == 0 {
				if got.at != endOfTime {
					t.Fatalf("%d tiers, step %d: took %+v from an empty agenda", tiers, step, got)
				}
				break
			}
			if want := ref[0]; got != want {
				t.Fatalf("%d tiers, step %d: took %+v, want %+v", tiers, step, got, want)
			}
			ref = ref[1:]
			if got.kind() == evArrival && got.a >= 0 { // a tier's own arrival
				if left[got.a]--; left[got.a] > 0 {
					add(got.at+time.Duration(r.IntN(4)), evArrival, got.a)
				} else {
					g.noArrival()
				}
			}
			// Other events, while the tiers' arrivals last: completions,
			// attempts' ends, rosters and a burst's arrivals (a < 0 here),
			// some at the same instant as what is in hand.
			if step < 20_000 {
				for range r.IntN(3) {
					kinds := []eventKind{evCompletion, evAutomation, evRoster, evArrival}
					add(got.at+time.Duration(r.IntN(4)), kinds[r.IntN(4)], -1)
				}
			}
		}
	}
}
