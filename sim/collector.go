package sim

import (
	"math/rand/v2"
	"time"
)

// TicketRecord is what a Collector sees of a measured ticket once both its
// clocks have stopped. The engine reuses one record: copy what you keep.
type TicketRecord struct {
	// Tier is the tier the ticket truly is, whose targets judge it.
	Tier int
	// Arrival is the simulation time the ticket arrived at.
	Arrival time.Duration
	// Response and Resolution are the clocks' times (business time where
	// the tier's clock follows a calendar, pending time excluded), and the
	// targets that applied to this ticket; ResolutionTarget is 0 when the
	// tier promises no resolution (Tier.HasResolution).
	Response, Resolution             time.Duration
	ResponseTarget, ResolutionTarget time.Duration
	// Automated is true when the automated channel resolved the ticket;
	// Unresolved when it was still open as the simulation stopped, and
	// ResponseCensored when nobody had answered it then either: the clocks
	// still running then are missed, whatever their times so far.
	Automated, Unresolved, ResponseCensored bool
	// Abandoned is true when the customer gave up waiting, Blocked when a
	// full line turned the ticket away: it left, never resolved, and
	// Resolution is the clock's time until then. Unanswered is true when
	// it left before any answer, as it does unless an automated reply had
	// stopped the response clock: Response is then the time it waited,
	// and the clock counts it missed whatever that time.
	Abandoned, Blocked, Unanswered bool
	// Aged is true when priority aging moved the ticket up while it
	// waited.
	Aged bool
	// Clocks are what the model's named clocks read, indexed like
	// Model.ClockNames (a clock of another tier reads nothing: not
	// Timed); the engine reuses the slice too.
	Clocks []ClockTime
}

// Left reports whether the ticket left unresolved: abandoned or blocked.
// The resolution clock leaves such a ticket out.
func (t *TicketRecord) Left() bool { return t.Abandoned || t.Blocked }

// ResponseMet reports whether the response clock stopped within its
// target; never for an unanswered ticket, nor one the simulation stopped.
func (t *TicketRecord) ResponseMet() bool {
	return !t.Unanswered && !t.ResponseCensored && t.Response <= t.ResponseTarget
}

// ResolutionMissed reports whether the ticket missed its resolution
// target: resolved past it, left unresolved, or still open as the
// simulation stopped. A ticket of a tier that promises no resolution
// never misses it.
func (t *TicketRecord) ResolutionMissed() bool {
	return t.ResolutionTarget > 0 && (t.Left() || t.Unresolved || t.Resolution > t.ResolutionTarget)
}

// Collector gathers statistics of its own from every measured ticket, for
// analyses beyond the Summary such as contract credits per period. A run
// makes one collector per worker with Options.Collector; each sees whole
// replications, and the run merges them into Result.Collected. To keep
// results independent of the number of workers, a collector's statistics
// must merge exactly and in any order (counts, ExactSum, Histogram).
type Collector interface {
	// Begin starts replication rep of a run with the given master seed,
	// discarding any replication begun and not ended (an interrupted one).
	Begin(seed uint64, rep int)
	// Ticket receives one ticket.
	Ticket(t *TicketRecord)
	// End closes the replication, which then counts.
	End()
	// Merge adds the ended replications of another collector made by the
	// same factory.
	Merge(o Collector) error
}

// StreamCollector is the stream collectors draw from: NewStream(seed, rep,
// StreamCollector, i) for a collector's i-th purpose.
const StreamCollector Stream = 100

// NewStream returns the generator of one stream of replication rep, for a
// collector that needs random numbers of its own.
func NewStream(seed uint64, rep int, s Stream, index int) *rand.Rand {
	return rand.New(rand.NewPCG(streamSeed(seed, rep, s, index)))
}
