package sim

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// TraceRecord is one measured ticket's record in a trace: what its clocks
// measured (the TicketRecord a collector sees, its named clocks included)
// and its path through the system. Times are simulation times: the measured window opens at
// Model.WarmUp.
type TraceRecord struct {
	TicketRecord
	Replication int
	// Ticket numbers the measured tickets of a replication from 1, in the
	// order they arrived.
	Ticket int64
	// ArrivedAs is the tier whose priority the ticket arrived with (for a
	// misclassified ticket a neighbour of Tier), ServedAs the one it had
	// when it left (another if priority aging moved it up).
	ArrivedAs, ServedAs int
	// Level is the last escalation level it reached, from 0.
	Level int
	// Team names the team of the agent who worked on it last, and Agent
	// numbers that agent in the team from 0; "" and -1 if nobody did.
	Team  string
	Agent int
	// Start is when people first started work on it, after any paging
	// delay and travel, and -1 if they never did; End is when it left the
	// system (resolved, gone unanswered, or still open when the drain
	// ended).
	Start, End time.Duration
	// Waiting is its time in lines, people's and the automated channel's;
	// Paging the delays of agents paged on call for it; Travel the
	// journeys to its site; Handling the time worked on it, by people and
	// by the automated channel; Pending the time it waited on the
	// customer, which its resolution clock left out (in that clock's
	// calendar). Between arrival and End a ticket is always doing one of
	// these (End - Arrival is their sum when the resolution clock has no
	// calendar), but for an unresolved ticket, whose pending wait in
	// progress at the end is not counted.
	Waiting, Paging, Travel, Handling, Pending time.Duration
	// AutomationTried is true when the automated channel tried it.
	AutomationTried bool
}

// MaxTraceReplications bounds the replications one trace records.
const MaxTraceReplications = 1000

// traceBatch is how many records a trace hands over at once.
const traceBatch = 1024

// Trace simulates replications reps (indexes of a run with this seed, each
// at most once) of m, one after the other on one engine, and hands their
// measured tickets' records to emit, in batches of at most a thousand or
// so, in the order of reps and, within a replication, in the order the
// tickets left the system. warmUp is what the run simulated before the
// measured window (its Result.WarmUp): the same replications then give
// the same tickets, so the records agree with the run's statistics
// exactly; Trace returns those of the traced replications. The records,
// and their Clocks, are reused after emit returns: copy what you keep. An error from emit,
// or ctx cancelled, stops the trace.
func Trace(ctx context.Context, m *Model, seed uint64, warmUp time.Duration, reps []int, emit func([]TraceRecord) error) (*Summary, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(reps) > MaxTraceReplications {
		return nil, fmt.Errorf("trace: %d replications, at most %d", len(reps), MaxTraceReplications)
	}
	for i, rep := range reps {
		if rep < 0 || slices.Contains(reps[:i], rep) {
			return nil, fmt.Errorf("trace: replication %d: replications must be >= 0, each listed once", rep)
		}
	}
	if warmUp < 0 || warmUp > m.WarmUp {
		return nil, fmt.Errorf("trace: a warm-up of %s, the model's is %s", warmUp, m.WarmUp)
	}
	ex := m.expose()
	if u := m.overload(ex); u != nil {
		return nil, u
	}
	e := newReplication(m, m.unserved(ex))
	e.ctx, e.begin = ctx, m.WarmUp-warmUp
	e.measure.trace = newTracer(m, emit)
	s := NewSummary(m)
	for _, rep := range reps {
		e.measure.trace.start(rep)
		err := e.run(seed, rep, s)
		if err == nil {
			err = e.measure.trace.flush()
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// tracer records the measured tickets of a replication for Trace: the
// path of each ticket in the system, by its slot in the ticket store, and
// a batch of records for emit. The engine calls it only when on, so that a
// replication without a trace pays a test per call at most; the calls on
// a ticket's way are not inlined, which would cost the engine's paths
// registers even with the trace off (the reference model 1,646
// instructions a ticket instead of 1,635; 1,623 without a trace).
type tracer struct {
	on    bool
	rep   int
	count int64 // measured tickets arrived
	teams []string
	path  []ticketPath // by ticket slot
	rows  []TraceRecord
	// clocks holds the named clocks of the batch's records.
	clocks []ClockTime
	emit   func([]TraceRecord) error
	// err is emit's error, which stops the replication.
	err error
}

// ticketPath is what a trace follows of a ticket in the system.
type ticketPath struct {
	id        int64
	arrivedAs int8
	agent     int32         // the agent who worked on it last, -1 if none
	since     time.Duration // when it joined the line it is in
	start     time.Duration // when people first started work, -1 if not yet
	// The last piece of work: when it starts, after the paging delay and
	// the travel that began it, and when it ends unless cut short. Its
	// time is counted as it starts: a piece cut short (handed back, or
	// under way as the drain ends) has what it did not do taken back.
	at, delay, travel, end time.Duration
	waiting, paging        time.Duration
	trips, handling        time.Duration
}

func newTracer(m *Model, emit func([]TraceRecord) error) tracer {
	tr := tracer{on: true, emit: emit, rows: make([]TraceRecord, 0, traceBatch)}
	for _, t := range m.teams() {
		tr.teams = append(tr.teams, t.Name)
	}
	return tr
}

// start begins replication rep.
func (tr *tracer) start(rep int) {
	tr.rep, tr.count, tr.err = rep, 0, nil
}

// opened starts following ticket i, t, which arrived now.
//
//go:noinline
func (tr *tracer) opened(i int32, t *ticket) {
	if int(i) >= len(tr.path) {
		tr.path = append(tr.path, make([]ticketPath, int(i)+1-len(tr.path))...)
	}
	p := &tr.path[i]
	*p = ticketPath{arrivedAs: t.class, agent: -1, start: -1}
	if t.measured {
		tr.count++
		p.id = tr.count
	}
}

// queued and dequeued count ticket i's time in a line.
//
//go:noinline
func (tr *tracer) queued(i int32, now time.Duration) { tr.path[i].since = now }

//go:noinline
func (tr *tracer) dequeued(i int32, now time.Duration) {
	p := &tr.path[i]
	p.waiting += now - p.since
}

// started records agent a taking ticket i, to start work at at, after a
// paging delay and travel, on work that takes that long.
//
//go:noinline
func (tr *tracer) started(i, a int32, at, delay, travel, work time.Duration) {
	p := &tr.path[i]
	p.agent = a
	if p.start < 0 {
		p.start = at
	}
	tr.piece(p, at, delay, travel, work)
}

// attempted records the automated channel starting work on ticket i now,
// for that long.
//
//go:noinline
func (tr *tracer) attempted(i int32, now, work time.Duration) {
	tr.piece(&tr.path[i], now, 0, 0, work)
}

func (tr *tracer) piece(p *ticketPath, at, delay, travel, work time.Duration) {
	p.paging += delay
	p.trips += travel
	p.handling += work
	p.at, p.delay, p.travel, p.end = at, delay, travel, at+work
}

// stopped cuts the last piece of work on ticket i short now, if it was
// still under way: the time it did not take is taken back, the paged
// agent's delay and the journey included if it stops before they end.
//
//go:noinline
func (tr *tracer) stopped(i int32, now time.Duration) {
	p := &tr.path[i]
	if now >= p.end {
		return
	}
	p.handling -= p.end - max(now, p.at)
	if from := p.at - p.delay - p.travel; now < p.at {
		p.paging -= p.delay - min(p.delay, now-from)
		p.trips -= p.travel - max(0, now-from-p.delay)
	}
	p.end = now
}

// record adds the record of ticket i, t, leaving at now with the clocks'
// record rec, to the batch, and hands a full batch to emit.
func (tr *tracer) record(i int32, t *ticket, rec *TicketRecord, now time.Duration, people *pool) {
	if tr.err != nil {
		return // emit failed: the replication is stopping
	}
	tr.stopped(i, now) // still at work as the drain ends
	p := &tr.path[i]
	row := TraceRecord{
		TicketRecord: *rec, Replication: tr.rep, Ticket: p.id,
		ArrivedAs: int(p.arrivedAs), ServedAs: int(t.class), Level: int(t.level),
		Agent: -1, Start: p.start, End: now,
		Waiting: p.waiting, Paging: p.paging, Travel: p.trips, Handling: p.handling, Pending: t.paused,
		AutomationTried: t.autoEligible,
	}
	// The named clocks' slice is the engine's, reused for the next
	// ticket: the batch keeps its own copies.
	n := len(tr.clocks)
	tr.clocks = append(tr.clocks, rec.Clocks...)
	row.Clocks = tr.clocks[n:len(tr.clocks):len(tr.clocks)]
	if t.line != notWaiting { // still waiting as the drain ends
		row.Waiting += now - p.since
	}
	if a := p.agent; a >= 0 {
		k := people.servers[a].team
		row.Team, row.Agent = tr.teams[k], int(a-people.teams[k].members[0])
	}
	tr.rows = append(tr.rows, row)
	if len(tr.rows) == cap(tr.rows) {
		tr.err = tr.flush()
	}
}

// flush hands the batch to emit.
func (tr *tracer) flush() error {
	if tr.err != nil || len(tr.rows) == 0 {
		tr.rows, tr.clocks = tr.rows[:0], tr.clocks[:0]
		return tr.err
	}
	err := tr.emit(tr.rows)
	tr.rows, tr.clocks = tr.rows[:0], tr.clocks[:0]
	if err != nil {
		return fmt.Errorf("trace: %w", err)
	}
	return nil
}
