package sim

import "time"

// The automated channel is a pool of one server, always on duty, whose
// slots are the attempts it runs at once (Automation.Capacity), with a
// single first-come line, without limit. An attempt takes the processing
// time drawn as its ticket arrived (intake.go); it resolves the ticket or
// passes it to people with its clocks still running, and its reply may
// count as the response. A free slot is on the pool's idle stack; the
// slots in use are not counted (pool.hold and drop), as nothing reads the
// channel's counts: its meter's window is never opened (measure.move
// opens people's).

// newAutomation makes the automated channel's pool, its line counted by
// meter; without capacity it has no server and takes no ticket.
func newAutomation(a Automation, meter *poolMeter) pool {
	p := newPool(1, 1, meter)
	if a.Capacity > 0 {
		// The engine takes any ticket in its one line: it checks no skills.
		p.addTeam([maxTiers]uint8{}, 1, a.Capacity, nil)
	}
	return p
}

// resetAutomation puts the engine on duty with every slot free.
func (r *replication) resetAutomation() {
	r.auto.reset()
	if len(r.auto.servers) == 0 {
		return
	}
	r.auto.servers[0].status = onSite
	tm := &r.auto.teams[0]
	tm.off = tm.off[:0]
	// Every slot is free, and the engine's: server 0.
	tm.idleSite = tm.idleSite[:tm.slots]
	clear(tm.idleSite)
	r.auto.staff(0, &tm.site, 1)
}

// toAutomation starts an automated attempt on ticket i, or puts it in the
// engine's line.
func (r *replication) toAutomation(i int32) {
	p := &r.auto
	if idle := &p.teams[0].idleSite; len(*idle) > 0 {
		r.attempt(p.claim(idle), i)
		return
	}
	r.queueForAutomation(i)
}

// attempt starts server a's attempt on ticket i.
func (r *replication) attempt(a, i int32) {
	t := r.tickets.at(i)
	t.agent = a
	d := t.processing
	if f := r.services.slowdown; f != 1 {
		d = time.Duration(float64(d) * f) // a service the channel needs is down
	}
	if r.measure.trace.on {
		r.measure.trace.attempted(i, r.now, d)
	}
	r.events.scheduleAttempt(r.now+d, i)
}

// attemptDone ends the attempt on ticket i: the ticket is resolved or
// goes to people, and the freed slot takes the next ticket in line.
func (r *replication) attemptDone(i int32) {
	t := r.tickets.at(i)
	a := t.agent
	if r.m.Automation.CountsAsResponse && !t.responded {
		r.measure.respond(t, r.now)
	}
	if t.autoSuccess {
		t.automated = true
		r.measure.resolvedBy(t, r.now, true)
		r.resolve(i, t)
	} else {
		r.dispatch(i, t, arriving)
	}
	if r.auto.waiting > 0 {
		next := r.auto.dequeue(0, 0)
		r.leaveLine(next, r.tickets.at(next))
		r.attempt(a, next)
	} else {
		r.auto.idle(a)
	}
}
