package sim

import "slices"

// The lean loop runs a model that uses none of the engine's optional
// parts: tickets of one level each, handled by agents who are always on
// site once they come (the head count never falls: nobody leaves, takes a
// break or is on call, one ticket each), with no preemption, routing
// (deflection, misclassification, pending, automation), patience, limited
// lines, aging, travel, updates, named clocks, calendars, outages or
// results by date; the M/M/c desk with priorities of the textbook and of
// BenchmarkReferenceModel. Such a ticket arrives, is taken by an idle
// agent or waits, is worked once and resolved: the lean loop does just
// that for arrivals and completions, and hands every other event (rosters,
// bursts) to the general parts. It draws the same numbers in the same
// order, schedules the same events in the same order and keeps the same
// statistics as the general loop (simulate), so a run gives the same
// Summary either way, bit for bit (TestLeanAgrees). A replication with a
// collector, a trace or a warm-up series takes the general loop.

// leanModel reports whether m uses none of the parts the lean loop leaves
// out.
func leanModel(m *Model) bool {
	if len(m.Services) > 0 || m.Dates.on() {
		return false
	}
	for i := range m.Tiers {
		t := &m.Tiers[i]
		if len(t.Escalation) > 0 || len(t.Clocks) > 0 || t.Updates.Every > 0 || t.Preempts ||
			t.Pending.Probability > 0 || t.Misclassified > 0 || t.Deflected > 0 || t.Automation.Eligible > 0 ||
			t.Patience != nil || t.Travel != nil || t.Blocking || t.Concurrent || t.Aging.After > 0 ||
			t.ResponseCalendar != nil || t.ResolutionCalendar != nil || t.OffHours.Calendar != nil {
			return false
		}
	}
	for _, tm := range m.teams() {
		if tm.slots() > 1 || tm.Shrinkage > 0 || maxValue(tm.OnCall) > 0 || !slices.IsSorted(tm.OnSite.Value) {
			return false
		}
	}
	return true
}

// leanRun reports whether the replication about to run may take the lean
// loop: its model may, and nothing observes its tickets or events.
func (r *replication) leanRun() bool {
	return r.lean && r.measure.collector == nil && !r.measure.trace.on && r.measure.series == nil
}

// simulateLean is simulate for a lean model (leanRun). Its frame is
// simulate's, written again so that each loop calls its own handlers with
// no test or call more per event.
func (r *replication) simulateLean(seed uint64, rep int, s *Summary) error {
	r.measure.begin(seed, rep)
	r.until = 0
	for n := 0; ; n++ {
		if n&(1<<14-1) == 0 {
			if err := r.interrupted(rep); err != nil {
				return err
			}
		}
		r.events.settle()
		e := r.events.pickLean()
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
			if e.b == 0 { // as in simulate
				r.arrivals.schedule(int(e.a), &r.events)
			}
			r.leanArrive(int(e.a))
			if r.watch.overflows(r.measure.inSystem) {
				return r.watch.instability(r.m, rep, r.now, r.measure.inSystem, -1, 0)
			}
		case evCompletion:
			// A lean ticket is never taken from its agent: no completion
			// is stale.
			r.leanComplete(e.a)
		default:
			r.handle(e)
		}
	}
	r.finish(s)
	return nil
}

// leanArrive brings a ticket of the given tier into the system: arrive,
// intake.draw, measure.opened and dispatch for a lean ticket. Of a
// ticket's fields it sets those its path reads and those the general
// parts a lean run reaches read (start and measure.respond, when a
// roster's new agents take waiting tickets; closeUnresolved); the others
// (travel, level, pending, paused, duty...) keep the zero values of a
// new slot, which nothing in a lean run changes.
func (r *replication) leanArrive(tier int) {
	i := r.tickets.add()
	t := r.tickets.at(i)
	in := &r.intake.tiers[tier]
	if w := &in.work[0]; w.expMu > 0 { // sampler.draw's first case, without its call
		t.work[0] = duration(in.handling.exp() * w.expMu)
	} else {
		t.work[0] = w.draw(in.handling)
	}
	t.remaining = t.work[0]
	t.class, t.trueTier = int8(tier), int8(tier)
	t.alive, t.responded = true, false
	t.arrival = r.now

	ms := &r.measure
	ts := &ms.tiers[tier]
	t.respTarget, t.resolTarget = ts.spec.Response, ts.spec.Resolution
	ms.inSystem++
	ms.sysArea.plus(ms.people.rest)
	t.measured = r.now >= ms.w0
	if t.measured {
		ms.measuredOpen++
		ts.open++
		ts.flow.Arrived++
		t.hour = uint8(ms.bin)
	}

	p := &r.people
	for k := range p.teams {
		if tm := &p.teams[k]; len(tm.idleSite) > 0 && tm.skilled(t.class, 0) {
			// Answered at once (measure.respond), within the target.
			t.responded = true
			if t.measured {
				ts.resp.addZero(t.hour)
			}
			r.leanStart(p.claim(&tm.idleSite), i, t)
			return
		}
	}
	p.enqueue(t.class, 0, i, false)
}

// leanStart gives ticket i, t, answered, to agent a, who starts at once
// (start).
func (r *replication) leanStart(a, i int32, t *ticket) {
	t.agent = a
	p := &r.people
	sv := &p.servers[a]
	sv.ticket = i
	// pool.hold for an agent on site with one slot.
	sv.held++
	p.teams[sv.team].busy++
	p.meter.add(&p.meter.busyNs[sv.team], 1)
	r.events.schedule(r.now+t.remaining, evCompletion, i, 0) // no stamp: never stale
}

// leanComplete resolves ticket i, done, and gives its agent the next
// waiting ticket it may take (complete, resolve, measure.resolved and
// release).
func (r *replication) leanComplete(i int32) {
	t := r.tickets.at(i)
	p := &r.people
	a := t.agent
	sv := &p.servers[a]
	sv.ticket = -1
	// pool.drop for an agent on site with one slot.
	sv.held--
	p.teams[sv.team].busy--
	p.meter.add(&p.meter.busyNs[sv.team], -1)

	ms := &r.measure
	if t.measured {
		tm := &ms.tiers[t.trueTier]
		if r.now < ms.w1 {
			tm.flow.ByPeople++
		}
		tm.resol.add(r.now-t.arrival, t.resolTarget, t.hour)
		ms.measuredOpen--
		tm.open--
	}
	t.alive = false
	ms.inSystem--
	ms.sysArea.plus(-ms.people.rest)
	r.tickets.retire(i)

	if p.waiting > 0 {
		tm := &p.teams[sv.team]
		for class, n := range p.classWaiting { // classes in priority order
			if n > 0 && tm.skilled(int8(class), 0) {
				j := p.dequeue(class, class) // one level: line class
				u := r.tickets.at(j)
				u.responded = true // measure.respond
				if u.measured {
					ms.tiers[u.trueTier].resp.add(r.now-u.arrival, u.respTarget, u.hour)
				}
				r.leanStart(a, j, u)
				return
			}
		}
	}
	tm := &p.teams[sv.team]
	tm.idleSite = append(tm.idleSite, a) // pool.idle for an agent on site
}
