package sim

// What becomes of a ticket after a piece of work by people: it waits on
// the customer (pending, its clocks paused), goes on to the next level, or
// is resolved.

// complete ends the piece of work on ticket i: the ticket takes its
// next step, and the agent the next ticket.
func (r *replication) complete(i int32) {
	t := r.tickets.at(i)
	a := t.agent
	sv := &r.people.servers[a]
	sv.ticket = -1
	r.people.drop(sv)
	if !t.responded {
		r.measure.respond(t, r.answered(t)) // paged or travelling: work started later
	}
	t.arrived()
	switch {
	case t.pendingPlanned:
		t.pendingPlanned = false
		t.pendingSince = r.now
		t.remaining = t.followUp
		r.events.schedule(r.now+t.wait, evPendingEnd, i, 0)
	case t.level+1 < t.levels:
		t.level++
		t.remaining = t.work[t.level]
		r.dispatch(i, returning)
	default:
		r.measure.resolvedBy(t, r.now, false)
		r.resolve(i)
	}
	r.release(a)
}

// pendingEnd brings ticket i back from waiting on the customer.
func (r *replication) pendingEnd(i int32) {
	t := r.tickets.at(i)
	t.paused += elapsed(r.m.Tiers[t.trueTier].ResolutionCalendar, t.pendingSince, r.now)
	r.dispatch(i, returning)
}

// resolve stops ticket i's clocks now and frees its slot.
func (r *replication) resolve(i int32) {
	t := r.tickets.at(i)
	if !t.responded {
		r.measure.respond(t, r.now)
	}
	r.measure.resolved(i, t, r.now)
	r.tickets.retire(i)
}
