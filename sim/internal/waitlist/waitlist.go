package waitlist

import "github.com/slasim/slasim/sim/internal/cacheline"

// Lines is a set of waiting lines numbered from 0. The zero value has no
// lines; Init makes them.
type Lines struct {
	link []link // by item
	line []ends // by line
}

type link struct{ prev, next int32 }

type ends struct{ head, tail, n int32 }

// none marks the end of a line.
const none = -1

// Init makes n empty lines, keeping the storage of earlier ones.
func (l *Lines) Init(n int) {
	if l.line == nil {
		// Cache lines of their own, as append grows them (package
		// cacheline): the engine writes them at every ticket.
		l.line, l.link = cacheline.Make[ends](0), cacheline.Make[link](0)
	}
	l.line = append(l.line[:0], make([]ends, n)...)
	l.Reset()
}

// Reset empties every line. Items need no clearing: pushing one overwrites
// its links.
func (l *Lines) Reset() {
	for i := range l.line {
		l.line[i] = ends{head: none, tail: none}
	}
}

// Len is the number of items in line q.
func (l *Lines) Len(q int) int { return int(l.line[q].n) }

// Front is the first item of line q, which must not be empty.
func (l *Lines) Front(q int) int32 { return l.line[q].head }

// PushBack puts x at the end of line q.
func (l *Lines) PushBack(q int, x int32) {
	l.room(x)
	e := &l.line[q]
	l.link[x] = link{prev: e.tail, next: none}
	if e.tail == none {
		e.head = x
	} else {
		l.link[e.tail].next = x
	}
	e.tail = x
	e.n++
}

// PushFront puts x at the front of line q, before the items already there.
func (l *Lines) PushFront(q int, x int32) {
	l.room(x)
	e := &l.line[q]
	l.link[x] = link{prev: none, next: e.head}
	if e.head == none {
		e.tail = x
	} else {
		l.link[e.head].prev = x
	}
	e.head = x
	e.n++
}

// PopFront removes and returns the first item of line q, which must not be
// empty.
func (l *Lines) PopFront(q int) int32 {
	e := &l.line[q]
	x := e.head
	next := l.link[x].next
	e.head = next
	if next == none {
		e.tail = none
	} else {
		l.link[next].prev = none
	}
	e.n--
	return x
}

// Remove takes x out of line q, which must hold it.
func (l *Lines) Remove(q int, x int32) {
	e := &l.line[q]
	lk := l.link[x]
	if lk.prev == none {
		e.head = lk.next
	} else {
		l.link[lk.prev].next = lk.next
	}
	if lk.next == none {
		e.tail = lk.prev
	} else {
		l.link[lk.next].prev = lk.prev
	}
	e.n--
}

// room grows the links to hold item x.
func (l *Lines) room(x int32) {
	if int(x) < len(l.link) {
		return
	}
	n := max(16, 2*len(l.link), int(x)+1)
	l.link = append(l.link, make([]link, n-len(l.link))...)
}
