package sim

import (
	"time"

	"github.com/slasim/slasim/sim/internal/cacheline"
)

// ticket is one ticket's state, a value in a slice reused across
// replications. Its fields fall in three groups: the path drawn at arrival
// (intake.go), where it is being served (dispatch.go, automation.go), and
// its SLA clocks (measure.go).
type ticket struct {
	arrival      time.Duration
	remaining    time.Duration // work left at the current level
	serviceStart time.Duration
	pendingSince time.Duration
	paused       time.Duration // resolution-clock time spent pending
	response     time.Duration // the response clock, once stopped
	respTarget   time.Duration
	resolTarget  time.Duration
	// Drawn at arrival, so that two scenarios sharing a seed give each
	// ticket the same work whatever happens to it: work per level, the
	// pending wait and follow-up, the automated attempt's processing.
	work           [maxLevels]time.Duration
	wait, followUp time.Duration
	processing     time.Duration
	// patience is how long the customer waits for an answer, when the
	// tier's customers give up at all; travel, how long an agent takes to
	// reach its site (0 for remote work).
	patience time.Duration
	travel   time.Duration
	agent    int32  // the server holding it, in the pool it is in
	day      int32  // the day of the measured window it (an update's task: its ticket) arrived on, with Model.Dates
	stamp    uint32 // bumped on every start, to retire stale completions
	// class is the tier the ticket is handled as, its priority class: the
	// lines it waits in, the teams that may take it and what it may
	// preempt. Misclassification makes it a neighbouring tier.
	class    int8
	trueTier int8 // the tier it is: its targets and statistics
	level    int8 // current level (stage of its journey)
	last     int8 // the last level it needs
	// path has bit l set for each level the ticket needs, begun for each
	// it has started.
	path, begun uint8
	hour        uint8 // hour of the week it arrived in
	// line is the pool whose line it waits in, if any: a ticket leaves
	// the system out of every line.
	line           line
	alive          bool
	measured       bool
	responded      bool
	automated      bool
	pendingPlanned bool
	autoEligible   bool
	autoSuccess    bool
	// travelling is set while the piece of work in hand began with the
	// journey to the site; onSite once an agent has reached it (a ticket
	// travels once).
	travelling bool
	onSite     bool
	aged       bool // moved up by aging
	// wentPending is set once the ticket has waited on the customer.
	wentPending bool
	// duty marks the task of an update (duties.go); id tells the ticket
	// its updates are for from a later one in the same slot.
	duty duty
	id   uint32
}

// line says which pool's line a ticket waits in.
type line uint8

const (
	notWaiting line = iota
	peopleLine
	automationLine
)

// ticketStore holds a replication's tickets, reusing the slots of resolved
// ones so that the slice grows only to the most tickets in the system at
// once.
type ticketStore struct {
	all  []ticket
	free []int32
}

// newTicketStore makes an empty store whose slices have cache lines of
// their own (package cacheline).
func newTicketStore() ticketStore {
	return ticketStore{all: cacheline.Make[ticket](0), free: cacheline.Make[int32](0)}
}

func (s *ticketStore) at(i int32) *ticket { return &s.all[i] }

// add returns the index of a slot for a new ticket; the slot keeps what
// its last ticket left (the stamp keeps counting across reuses).
func (s *ticketStore) add() int32 {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		return i
	}
	s.all = append(s.all, ticket{})
	return int32(len(s.all) - 1)
}

// retire frees ticket i's slot.
func (s *ticketStore) retire(i int32) { s.free = append(s.free, i) }

func (s *ticketStore) reset() {
	s.all = s.all[:0]
	s.free = s.free[:0]
}
