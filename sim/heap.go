package sim

import "time"

// eventKind orders simultaneous events: a completion frees an agent before
// an arrival at the same instant looks for one.
type eventKind uint8

const (
	evCompletion eventKind = iota
	evArrival
)

type event struct {
	at   time.Duration
	seq  uint64
	kind eventKind
	// For an arrival, a is the tier. For a completion, a is the ticket and
	// b the ticket's service stamp, which tells a stale completion (of a
	// service that was preempted) from a live one.
	a int32
	b uint32
}

func (e *event) before(f *event) bool {
	if e.at != f.at {
		return e.at < f.at
	}
	if e.kind != f.kind {
		return e.kind < f.kind
	}
	return e.seq < f.seq
}

// eventHeap is a binary min-heap of events by value: no interface boxing,
// no allocation once its slice has grown to the model's size.
type eventHeap struct{ ev []event }

func (h *eventHeap) len() int { return len(h.ev) }

func (h *eventHeap) push(e event) {
	h.ev = append(h.ev, e)
	i := len(h.ev) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.ev[i].before(&h.ev[p]) {
			break
		}
		h.ev[i], h.ev[p] = h.ev[p], h.ev[i]
		i = p
	}
}

func (h *eventHeap) pop() event {
	top := h.ev[0]
	n := len(h.ev) - 1
	h.ev[0] = h.ev[n]
	h.ev = h.ev[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h.ev[r].before(&h.ev[l]) {
			c = r
		}
		if !h.ev[c].before(&h.ev[i]) {
			break
		}
		h.ev[i], h.ev[c] = h.ev[c], h.ev[i]
		i = c
	}
	return top
}

// deque is a ring buffer of ticket indices: FIFO within a tier, with
// pushFront for a preempted ticket that resumes before the others.
type deque struct {
	buf        []int32
	head, size int
}

func (q *deque) pushBack(x int32) {
	if q.size == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.size)&(len(q.buf)-1)] = x
	q.size++
}

func (q *deque) pushFront(x int32) {
	if q.size == len(q.buf) {
		q.grow()
	}
	q.head = (q.head - 1) & (len(q.buf) - 1)
	q.buf[q.head] = x
	q.size++
}

func (q *deque) popFront() int32 {
	x := q.buf[q.head]
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.size--
	return x
}

func (q *deque) grow() {
	b := make([]int32, max(16, 2*len(q.buf)))
	for i := range q.size {
		b[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = b, 0
}

func (q *deque) reset() { q.head, q.size = 0, 0 }
