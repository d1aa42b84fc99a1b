package sim

import "time"

// What becomes of a ticket after a piece of work by people: it waits on
// the customer (pending, its clocks paused), goes on to the next level, or
// is resolved.

// complete ends the piece of work on ticket i, t: the ticket takes its
// next step, and the agent the next ticket.
func (r *replication) complete(i int32, t *ticket) {
	a := t.agent
	sv := &r.people.servers[a]
	sv.ticket = -1
	if r.victims.on {
		r.victims.remove(a)
	}
	r.people.drop(sv)
	if t.duty != notDuty {
		r.dutyDone(i)
		r.release(a)
		return
	}
	if !t.responded {
		r.measure.respond(t, r.answered(t)) // paged or travelling: work started later
	}
	r.began(i, t, t.serviceStart)
	t.arrived()
	if t.pendingPlanned {
		t.pendingPlanned, t.wentPending = false, true
		t.pendingSince = r.now
		t.remaining = t.followUp
		r.events.schedule(r.now+t.wait, evPendingEnd, i, 0)
		r.release(a)
		return
	}
	if r.measure.clocks.per > 0 {
		r.measure.ended(i, t, r.now)
	}
	if t.level < t.last {
		t.level = t.nextLevel()
		t.remaining = t.work[t.level]
		r.dispatch(i, t, returning)
	} else {
		r.measure.resolvedBy(t, r.now, false)
		r.resolve(i, t)
	}
	r.release(a)
}

// began marks the start of ticket i's current stage at at, the first time
// work on it starts, for its named clocks: inlined, a model without any
// costs one test.
func (r *replication) began(i int32, t *ticket, at time.Duration) {
	if r.measure.clocks.per > 0 {
		r.measure.began(i, t, at)
	}
}

// pendingEnd brings ticket i back from waiting on the customer.
func (r *replication) pendingEnd(i int32) {
	t := r.tickets.at(i)
	t.paused += elapsed(r.m.Tiers[t.trueTier].ResolutionCalendar, t.pendingSince, r.now)
	r.dispatch(i, t, returning)
}

// resolve stops ticket i's (t's) clocks now and frees its slot.
func (r *replication) resolve(i int32, t *ticket) {
	if !t.responded {
		r.measure.respond(t, r.now)
	}
	r.measure.resolved(i, t, r.now)
	if r.duties.of(int(t.trueTier)) {
		r.endDuties(i)
	}
	r.tickets.retire(i)
}
