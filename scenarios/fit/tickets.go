package fit

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"time"
)

// MaxTickets is the most tickets an export may hold: with what reading
// and fitting keep beside it, a ticket takes about 90 bytes at the peak (10
// million took 906 MB), so 20 million take under 2 GB.
const MaxTickets = 20_000_000

// MaxValueBytes is the longest ticket id, priority or channel a row may
// have.
const MaxValueBytes = 128

// noTime marks an unknown time of a ticket.
const noTime = math.MinInt64

// A ticket is what an export says of one ticket, from its last row, as
// stored: times in Unix nanoseconds (noTime when unknown), its priority and
// channel as indexes into the export's lists of them.
type ticket struct {
	opened, response, resolved int64
	// reassignments and reopens are counts, -1 when unknown.
	reassignments, reopens int32
	// id is where the ticket's id is in the export's idIndex.
	id uint32
	// channel indexes Export.channels; 0 is none.
	channel  uint16
	priority uint8
	// madeSLA is 1 if the ticket met its SLA, 0 if not, -1 if unknown.
	madeSLA int8
}

// blockBits sets the size of the blocks tickets are stored in: growing
// the store adds a block, never copies the tickets already read (but those
// of the first block, which grows from firstBlock, so that a small export
// takes little).
const (
	blockBits  = 14
	firstBlock = 64
)

// blocks is a slice of T that grows by whole blocks.
type blocks[T any] struct {
	b [][]T
	n int
}

func (s *blocks[T]) len() int { return s.n }

func (s *blocks[T]) at(i int) *T { return &s.b[i>>blockBits][i&(1<<blockBits-1)] }

func (s *blocks[T]) add(v T) {
	if s.n&(1<<blockBits-1) == 0 {
		size := 1 << blockBits
		if s.n == 0 {
			size = firstBlock
		}
		s.b = append(s.b, make([]T, 0, size))
	}
	last := len(s.b) - 1
	s.b[last] = append(s.b[last], v)
	s.n++
}

// An idIndex finds the ticket of an id. The ids are kept back to back in
// blocks of text, each after its length, a ticket's id field saying where
// (block << idBlockBits | offset: MaxTickets ids of MaxValueBytes fit in
// the 4 GiB that addresses). The table holds in each used slot a ticket's
// number plus one, in its low idTicketBits, and the top of its id's hash
// above, found by linear probing.
type idIndex struct {
	seed  maphash.Seed
	text  [][]byte
	table []uint32
	used  int
	// ref(i) is where ticket i's id is.
	ref func(i int) uint32
}

const (
	idBlockBits  = 20
	idTicketBits = 25 // room for MaxTickets
)

func newIDIndex(ref func(i int) uint32) *idIndex {
	return &idIndex{seed: maphash.MakeSeed(), table: make([]uint32, 1<<10), ref: ref}
}

// store keeps an id, returning where it is. The first block of text grows
// from 4 KiB, the others are made whole.
func (x *idIndex) store(id []byte) uint32 {
	last := len(x.text) - 1
	if last < 0 || len(x.text[last])+binary.MaxVarintLen16+len(id) > 1<<idBlockBits {
		size := 1 << idBlockBits
		if last < 0 {
			size = 4 << 10
		}
		x.text = append(x.text, make([]byte, 0, size))
		last++
	}
	ref := uint32(last)<<idBlockBits | uint32(len(x.text[last]))
	x.text[last] = binary.AppendUvarint(x.text[last], uint64(len(id)))
	x.text[last] = append(x.text[last], id...)
	return ref
}

// id returns the id stored at ref.
func (x *idIndex) id(ref uint32) []byte {
	b := x.text[ref>>idBlockBits][ref&(1<<idBlockBits-1):]
	n, k := binary.Uvarint(b)
	return b[k : k+int(n)]
}

// hash is an id's hash, its top bits as the table keeps them.
func (x *idIndex) hash(id []byte) (h uint64, top uint32) {
	h = maphash.Bytes(x.seed, id)
	return h, uint32(h>>(64-(32-idTicketBits))) << idTicketBits
}

// find returns the number of the ticket of the given id, or -1, and the
// slot where the id is or would go.
func (x *idIndex) find(id []byte) (ticket, slot int) {
	h, top := x.hash(id)
	mask := len(x.table) - 1
	for s := int(h) & mask; ; s = (s + 1) & mask {
		e := x.table[s]
		if e == 0 {
			return -1, s
		}
		i := int(e&(1<<idTicketBits-1)) - 1
		if e&^(1<<idTicketBits-1) == top && bytes.Equal(x.id(x.ref(i)), id) {
			return i, s
		}
	}
}

// add records that ticket i has the given id, not yet in the index, in
// slot (from find).
func (x *idIndex) add(id []byte, i, slot int) {
	_, top := x.hash(id)
	x.table[slot] = top | uint32(i+1)
	x.used++
	if x.used*4 > len(x.table)*3 {
		x.grow()
	}
}

// grow doubles the table. The table keeps only the top of each hash, so
// each entry is placed again from its id's.
func (x *idIndex) grow() {
	old := x.table
	x.table = make([]uint32, 2*len(old))
	mask := len(x.table) - 1
	for _, e := range old {
		if e == 0 {
			continue
		}
		h, _ := x.hash(x.id(x.ref(int(e&(1<<idTicketBits-1)) - 1)))
		s := int(h) & mask
		for x.table[s] != 0 {
			s = (s + 1) & mask
		}
		x.table[s] = e
	}
}

// A Ticket is what an export says of one ticket, from its last row.
type Ticket struct {
	ID, Priority, Channel string
	// Times in the export's location; zero when unknown.
	Opened, Response, Resolved time.Time
	// MadeSLA is 1 if the ticket met its SLA, 0 if not, -1 if unknown.
	MadeSLA int8
	// Reassignments and Reopens are counts, -1 when unknown.
	Reassignments, Reopens int
}

// Len is the number of tickets.
func (ex *Export) Len() int { return ex.tickets.len() }

// Ticket returns ticket i, counting in the order tickets first appear.
func (ex *Export) Ticket(i int) Ticket {
	t := ex.tickets.at(i)
	tk := Ticket{
		Priority: ex.priorities[t.priority],
		Opened:   ex.time(t.opened), Response: ex.time(t.response), Resolved: ex.time(t.resolved),
		MadeSLA: t.madeSLA, Reassignments: int(t.reassignments), Reopens: int(t.reopens),
	}
	if t.channel > 0 {
		tk.Channel = ex.channels[t.channel-1]
	}
	if ex.ids != nil {
		tk.ID = string(ex.ids.id(t.id))
	}
	return tk
}

// time is a stored time in the export's location.
func (ex *Export) time(ns int64) time.Time {
	if ns == noTime {
		return time.Time{}
	}
	return time.Unix(0, ns).In(ex.Location)
}
