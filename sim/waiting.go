package sim

// Waiting in a line, and what it may bring: a customer who gives up
// (abandonment, Erlang A), a full line that turns a new ticket away
// (loss, Erlang B and M/M/c/K), and a wait long enough to move a ticket
// up (priority aging). A ticket joins a line in dispatch or
// queueForAutomation and leaves it when a server takes it (pull,
// attemptDone) or when it gives up (abandon).
//
// An abandonment is an event at the end of the customer's patience, which
// is scheduled whenever an unanswered ticket joins a line, and does
// nothing unless the ticket in that slot is, at that instant, unanswered,
// waiting, and out of patience: such a ticket should leave, whichever
// event finds it so. Stale events (the ticket was taken, or its slot went
// to another ticket) need no cancelling.

// joinLine and leaveLine say that ticket i, t, joined the line of pool l
// and left its line, for the trace to time its waits.
func (r *replication) joinLine(i int32, t *ticket, l line) {
	t.line = l
	if r.measure.trace.on {
		r.measure.trace.queued(i, r.now)
	}
}

func (r *replication) leaveLine(i int32, t *ticket) {
	t.line = notWaiting
	if r.measure.trace.on {
		r.measure.trace.dequeued(i, r.now)
	}
}

// queueForAutomation puts ticket i in the automated engine's line.
func (r *replication) queueForAutomation(i int32) {
	t := r.tickets.at(i)
	r.auto.enqueue(0, 0, i, false)
	r.joinLine(i, t, automationLine)
	if r.impatient(t) {
		r.expectAbandon(i, t)
	}
}

// impatient reports whether ticket t's customer, still unanswered, may
// give up.
func (r *replication) impatient(t *ticket) bool {
	return r.intake.tiers[t.trueTier].patience != nil && !t.responded
}

// expectAbandon schedules the end of the patience of ticket i, t, an
// impatient one in a line: at once if it has run out (a ticket back in
// line after a paged agent was called off).
func (r *replication) expectAbandon(i int32, t *ticket) {
	r.events.schedule(max(t.arrival+t.patience, r.now), evAbandon, i, 0)
}

// abandon makes ticket i leave unanswered if it is still waiting with no
// answer and its patience has run out.
func (r *replication) abandon(i int32) {
	t := r.tickets.at(i)
	if !t.alive || t.line == notWaiting || !r.impatient(t) || t.arrival+t.patience > r.now {
		return
	}
	if t.line == peopleLine {
		r.people.remove(int(t.class)*r.people.levels+int(t.level), int(t.class), i)
	} else {
		r.auto.remove(0, 0, i)
	}
	r.leaveLine(i, t)
	r.measure.left(i, t, r.now, abandoned)
	if r.duties.of(int(t.trueTier)) {
		r.endDuties(i)
	}
	r.tickets.retire(i)
}

// age moves ticket i, waiting for people as class from, to the class its
// aging says, if it still waits unanswered and has waited long enough:
// it goes to whoever may take it now, or to the back of its new line.
func (r *replication) age(i int32, from int8) {
	t := r.tickets.at(i)
	rule := r.people.rules[from].aging
	if !t.alive || t.line != peopleLine || t.class != from || t.responded || t.aged || t.arrival+rule.After > r.now {
		return
	}
	r.people.remove(int(t.class)*r.people.levels+int(t.level), int(t.class), i)
	r.leaveLine(i, t)
	t.class, t.aged = int8(rule.To), true
	r.measure.aged(t)
	r.dispatch(i, t, returning)
}

// block turns away ticket i, which found people's line of its class full.
func (r *replication) block(i int32) {
	r.measure.left(i, r.tickets.at(i), r.now, blocked)
	r.tickets.retire(i)
}
