package sim

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// replication is one worker's engine: an event loop over parts that each
// keep one job's state, reused from one replication to the next so that
// steady-state simulation allocates nothing. The loop takes the earliest
// event, brings the time integrals up to it, and hands it to the part
// whose event it is. The parts are plain values called directly: on the
// way of a ticket there is no closure, and no interface but the model's
// distributions.
type replication struct {
	m   *Model
	ctx context.Context
	// lastNeeded is the lowest unstable replication found so far: one
	// numbered above it is not needed and stops early.
	lastNeeded *atomic.Int64

	now         time.Duration
	w0, w1, end time.Duration // the measured window, and the end of the drain
	// begin is when the replication starts: 0, or with a warm-up detected
	// shorter than the model's, that much before w0.
	begin time.Duration
	// until is when the event loop must next look past the event in hand
	// (simulate).
	until time.Duration

	events   agenda      // future events (events.go)
	tickets  ticketStore // tickets in the system (tickets.go)
	arrivals arrivals    // when tickets arrive (arrivals.go)
	intake   intake      // what each ticket's path is (intake.go)
	people   pool        // agents and the lines waiting for them (pool.go, dispatch.go)
	rosters  []roster    // when agents come and go (staffing.go)
	leavers  leaverHeap  // busy agents to send off duty (staffing.go)
	victims  victims     // busy agents a preempting ticket may interrupt (victims.go)
	auto     pool        // the automated channel (automation.go)
	measure  measure     // clocks and statistics (measure.go)
	watch    watchdog    // unbounded backlogs (watchdog.go)
	services services    // the systems the desk supports (services.go)
	duties   duties      // the updates of open tickets (duties.go)
	// outages receives the services' outages, when the collector does.
	outages OutageCollector
	// lean is set when the model may take the lean loop (lean.go).
	lean bool
}

// newReplication makes an engine for model m; unserved marks the tiers
// nobody may take (Model.unserved), which a run works out once for all its
// engines.
func newReplication(m *Model, unserved []bool) *replication {
	w0, w1 := m.WarmUp, m.WarmUp+m.Horizon
	end := w1 + m.DrainLength()
	levels := m.levels()
	r := &replication{
		m:  m,
		w0: w0, w1: w1, end: end,
		events:   newAgenda(),
		tickets:  newTicketStore(),
		arrivals: newArrivals(m, w1, end),
		intake:   newIntake(m),
		measure:  newMeasure(m, w0, w1, end),
		watch:    newWatchdog(m, unserved),
		services: newServices(m),
		duties:   newDuties(m, levels-1),
		lean:     leanModel(m),
	}
	r.people, r.rosters = newPeople(m, levels, &r.measure.people)
	r.victims = newVictims(m, len(r.people.teams), len(r.people.servers))
	r.measure.pool = &r.people
	r.auto = newAutomation(m.Automation, &r.measure.auto)
	return r
}

// reset prepares replication rep of a run with the given master seed and
// schedules its first events: the teams' rosters, then major incidents,
// then each tier's first arrival (the order breaks ties among them).
func (r *replication) reset(seed uint64, rep int) {
	r.now = r.begin
	r.events.reset()
	r.tickets.reset()
	r.watch.reset(r.begin)
	r.measure.reset()
	r.people.reset()
	r.victims.reset()
	r.resetAutomation()
	r.arrivals.reset(r.m, seed, rep, r.begin)
	r.intake.reset(seed, rep)
	r.duties.reset(seed, rep)
	r.resetRosters(seed, rep)
	r.resetServices(seed, rep)
	r.arrivals.start(&r.events)
}

// run simulates one replication and folds its statistics into s.
func (r *replication) run(seed uint64, rep int, s *Summary) error {
	r.reset(seed, rep)
	if r.leanRun() {
		return r.simulateLean(seed, rep, s)
	}
	return r.simulate(seed, rep, s)
}

// simulate runs replication rep, reset, to its end and folds its
// statistics into s.
//
// Most events fall before r.until, the next instant at which something
// other than the event itself is due: the hour of the week ends, the
// measured window opens or closes, the watchdog looks at the backlog. Such
// an event costs the loop one comparison; the others go through cross.
func (r *replication) simulate(seed uint64, rep int, s *Summary) error {
	r.measure.begin(seed, rep)
	r.until = 0
	for n := 0; ; n++ {
		if n&(1<<14-1) == 0 {
			if err := r.interrupted(rep); err != nil {
				return err
			}
		}
		r.events.settle()
		e := r.events.pick()
		if e.at < r.until {
			r.measure.within(e.at)
			r.now = e.at
		} else if stop, err := r.cross(e.at, rep); stop || err != nil {
			if err != nil {
				return err
			}
			break
		}
		switch e.kind() {
		case evArrival:
			// The next arrival first: it takes the place of this one at the
			// top of the agenda's arrivals (events.go). Of the events an
			// arrival schedules, only this one is an arrival: their order
			// among ties is the same either way.
			if e.b == 0 {
				r.arrivals.schedule(int(e.a), &r.events)
			}
			r.arrive(int(e.a))
			if r.watch.overflows(r.measure.inSystem) {
				return r.watch.instability(r.m, rep, r.now, r.measure.inSystem, -1, 0)
			}
		case evCompletion:
			if t := r.tickets.at(e.a); t.stamp == e.b {
				r.complete(e.a, t)
			}
		case evAutomation:
			r.attemptDone(e.a)
		default:
			r.handle(e)
		}
	}
	r.finish(s)
	return nil
}

// interrupted reports why replication rep must stop before its end, if it
// must: the run was cancelled, the trace failed, or the replication is
// not needed. The event loops ask every 2^14 events.
func (r *replication) interrupted(rep int) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if err := r.measure.trace.err; err != nil {
		return err
	}
	if r.lastNeeded != nil && int64(rep) > r.lastNeeded.Load() {
		return errNotNeeded
	}
	return nil
}

// handle hands event e, neither an arrival, a completion nor an automated
// attempt's end (the lean loop's models have no automated channel), to
// its part.
func (r *replication) handle(e event) {
	switch e.kind() {
	case evRoster:
		r.roster(int(e.a))
	case evPendingEnd:
		r.pendingEnd(e.a)
	case evAging:
		r.age(e.a, int8(e.b))
	case evAbandon:
		r.abandon(e.a)
	case evService:
		r.service(int(e.a), e.b == 1)
	case evBurst:
		r.arrivals.burst(int(e.a), r.now, &r.events)
	case evUpdate:
		r.updateDue(e.a, e.b)
	}
}

// finish closes a replication whose event loop has ended and folds its
// statistics into s. The tickets still open when the measured window
// ended are counted before any is closed; then the drain's end, or the
// events running out before it with tickets still waiting (a tier nobody
// is on duty for), closes those still open.
func (r *replication) finish(s *Summary) {
	if !r.measure.pastW1 {
		r.measure.horizonReached()
	}
	r.measure.advance(r.w1)
	if r.measure.measuredOpen > 0 {
		r.measure.closeUnresolved(&r.tickets)
	}
	r.measure.fold(s)
	r.foldServices(s)
	r.measure.end()
}

// cross brings the replication to t, the time of the next event, when t is
// at or past r.until: it stops the loop (stop) when the drain has ended or
// every measured ticket was resolved after the measured window, counts the
// tickets open as the window ends, reports an unbounded backlog (err),
// and sets r.until anew.
func (r *replication) cross(t time.Duration, rep int) (stop bool, err error) {
	if t > r.end || r.measure.measuredOpen == 0 && r.now >= r.w1 {
		return true, nil
	}
	r.measure.advance(t)
	r.now = t
	if !r.measure.pastW1 && r.now >= r.w1 {
		r.measure.horizonReached()
	}
	if c := r.watch.observe(r.now, r.measure.inSystem, r.people.classWaiting); c >= 0 {
		return false, r.watch.instability(r.m, rep, r.now, r.measure.inSystem, c, r.people.classWaiting[c])
	}
	// hourEnd is 0 outside the window and when a series sees every event.
	r.until = min(r.measure.hourEnd, r.watch.nextWeek)
	return false, nil
}

// errNotNeeded stops a replication whose result is not needed.
var errNotNeeded = errors.New("replication not needed")
