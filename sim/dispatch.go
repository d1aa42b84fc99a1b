package sim

import (
	"math/bits"
	"time"
)

// The dispatch discipline of people's pool: which agent takes a ticket
// ready for people, and which waiting ticket a free agent takes. Three
// properties of a ticket are kept apart: its priority (its class's place
// in the tier order, compared only through outranks), the skills it needs
// (its class and level, matched against a team's skills), and the tier
// that judges it (trueTier, which the discipline never reads).
//
//   - A ready ticket goes to an idle agent on site skilled for it, in team
//     order; failing that, a ticket whose class preempts interrupts the
//     lowest-priority work it may take; failing that, an idle agent on call
//     is paged; otherwise it waits in its line, unless it comes to people
//     for the first time and the line of its class is full: it is then
//     turned away (blocked).
//   - A free agent takes the waiting ticket of the highest priority it is
//     skilled for, and within it the one that arrived first among its
//     levels' lines.

// outranks reports whether class a is served before class b: tiers are
// listed in priority order.
func outranks(a, b int8) bool { return a < b }

// entry says how a ticket comes to people's pool.
type entry uint8

const (
	arriving  entry = iota // for the first time: a full line turns it away
	returning              // for its next level, or back from pending
	resuming               // interrupted: it goes before the others waiting
)

// dispatch gives ticket i, t, ready for people, to an agent, or queues it.
func (r *replication) dispatch(i int32, t *ticket, how entry) {
	p := &r.people
	for k := range p.teams {
		tm := &p.teams[k]
		if len(tm.idleSite) > 0 && tm.skilled(t.class, t.level) {
			r.start(p.claim(&tm.idleSite), i, t, 0)
			return
		}
	}
	if p.rules[t.class].preempts {
		if a := r.victim(t.class, t.level); a >= 0 {
			r.interrupt(a)
			r.start(a, i, t, 0)
			return
		}
	}
	for k := range p.teams {
		tm := &p.teams[k]
		if len(tm.idleCall) > 0 && tm.skilled(t.class, t.level) {
			a := p.claim(&tm.idleCall)
			r.start(a, i, t, r.page(k, a))
			return
		}
	}
	if how == arriving && p.full(t.class) {
		r.block(i)
		return
	}
	// It waits: at the back of its line, or at the front for a ticket
	// that resumes before the others.
	p.enqueue(t.class, t.level, i, how == resuming)
	r.joinLine(i, t, peopleLine)
	if r.impatient(t) {
		r.expectAbandon(i, t)
	}
	if a := p.rules[t.class].aging.After; a > 0 && !t.responded && !t.aged {
		r.events.schedule(max(t.arrival+a, r.now), evAging, i, uint32(t.class))
	}
}

// victim picks the agent to interrupt for a ticket of the given class and
// level: among agents skilled for it and at work on a ticket it outranks,
// the one with the lowest-priority ticket, the most recently started among
// equals, the last in the pool among those; -1 if none. A large pool finds
// it in its index (victims.go), a small one by a pass over its agents.
func (r *replication) victim(class, level int8) int32 {
	if r.victims.on {
		return r.victims.find(r.people.teams, class, level, r.now)
	}
	p := &r.people
	best, bestClass, bestStart := int32(-1), int8(0), time.Duration(0)
	// A team's agents are consecutive in the pool, teams in order: the
	// pass over the skilled teams' agents is in the pool's order. Agents
	// of several slots hold no ticket of their own (they are never
	// interrupted); in a team of one slot, busy counts the agents holding
	// one, and the pass stops at the last.
	for k := range p.teams {
		tm := &p.teams[k]
		if !tm.skilled(class, level) || tm.slots > 1 {
			continue
		}
		for j, left := 0, tm.busy; left > 0; j++ {
			a := tm.members[j]
			sv := &p.servers[a]
			if sv.ticket < 0 {
				continue
			}
			// An agent past the end of the shift only finishes the ticket
			// in hand: it takes no new one.
			if left--; sv.leaving {
				continue
			}
			t := r.tickets.at(sv.ticket)
			if !outranks(class, t.class) || t.serviceStart > r.now {
				continue
			}
			if best < 0 || outranks(bestClass, t.class) || t.class == bestClass && t.serviceStart >= bestStart {
				best, bestClass, bestStart = a, t.class, t.serviceStart
			}
		}
	}
	return best
}

// interrupt takes agent a's ticket away, with the work left, and hands it
// to another agent or back to the front of its line; agent a is then free
// but not idle.
func (r *replication) interrupt(a int32) {
	sv := &r.people.servers[a]
	i := sv.ticket
	t := r.tickets.at(i)
	if r.measure.trace.on {
		r.measure.trace.stopped(i, r.now)
	}
	if !t.responded && r.answered(t) <= r.now {
		r.measure.respond(t, r.answered(t)) // a paged agent had arrived, or a travelling one set off
	}
	if t.serviceStart <= r.now {
		r.began(i, t, t.serviceStart)
		t.arrived()
	}
	t.travelling = false
	t.remaining -= max(r.now-t.serviceStart, 0)
	t.stamp++ // its completion event is now stale
	sv.ticket = -1
	if r.victims.on {
		r.victims.remove(a)
	}
	r.people.drop(sv)
	r.dispatch(i, t, resuming)
}

// start gives ticket i, t, to agent a, who starts work after delay (a paged
// agent's call-out) and, the first time a ticket of a tier with travel is
// taken, the journey to its site. The response clock stops when work
// starts (on arrival on site, or as the journey begins for a tier whose
// response is remote): at once, or for a paged or travelling agent when
// the work is done or interrupted after that instant, since the ticket
// may be handed back before then.
func (r *replication) start(a, i int32, t *ticket, delay time.Duration) {
	at := r.now + delay
	if t.travel > 0 && !t.onSite {
		t.travelling = true
		at += t.travel
	}
	if r.measure.trace.on {
		r.measure.trace.started(i, a, at, delay, at-r.now-delay, t.remaining)
	}
	if at == r.now {
		if !t.responded {
			r.measure.respond(t, at)
		}
		r.began(i, t, at)
	}
	t.agent = a
	t.serviceStart = at
	t.stamp++
	sv := &r.people.servers[a]
	if !sv.multi {
		sv.ticket = i
		if r.victims.on && !sv.leaving {
			r.victims.add(a, sv.team, t.class, at, r.now)
		}
	}
	r.people.hold(sv)
	r.events.schedule(at+t.remaining, evCompletion, i, t.stamp)
}

// page calls out agent a of team k, on call, for a ticket, and returns
// when the agent will start on it: after the on-call delay, or, for an
// agent of several slots already called out, when it arrives.
func (r *replication) page(k int, a int32) time.Duration {
	sv := &r.people.servers[a]
	if sv.held > 0 {
		return max(sv.readyAt-r.now, 0)
	}
	r.people.meter.callOut(k)
	delay := r.pagingDelay(k)
	sv.readyAt = r.now + delay
	return delay
}

// answered is when the response clock of ticket t, taken by an agent,
// stops if the work goes ahead: when the work starts, or, for a tier whose
// response is remote, when the agent set off.
func (r *replication) answered(t *ticket) time.Duration {
	if t.travelling && r.m.Tiers[t.trueTier].RemoteResponse {
		return t.serviceStart - t.travel
	}
	return t.serviceStart
}

// arrived marks a travelling ticket's agent on site: the ticket travels no
// more.
func (t *ticket) arrived() {
	if t.travelling {
		t.onSite, t.travelling = true, false
	}
}

// release frees a slot of agent a after a piece of work: an agent past the
// end of the shift goes home once its last ticket is done, any other takes
// the next ticket or waits.
func (r *replication) release(a int32) {
	if sv := &r.people.servers[a]; sv.leaving {
		if sv.held == 0 {
			r.goHome(a)
		}
		return
	}
	if r.people.waiting > 0 && r.pull(a, 0) { // no call when nobody waits
		return
	}
	r.people.idle(a)
}

// pull gives agent a the waiting ticket it should take next, starting
// after delay, and reports whether there was one.
func (r *replication) pull(a int32, delay time.Duration) bool {
	p := &r.people
	if p.waiting == 0 {
		return false
	}
	tm := &p.teams[p.servers[a].team]
	for class, n := range p.classWaiting { // classes in priority order
		if n == 0 {
			continue
		}
		// The levels the team is skilled for, lowest first, which wins
		// among equal arrivals.
		best, first := -1, time.Duration(0)
		for skills := tm.skills[class]; skills != 0; skills &= skills - 1 {
			q := class*p.levels + bits.TrailingZeros8(skills)
			if p.lines.Len(q) == 0 {
				continue
			}
			if at := r.tickets.at(p.lines.Front(q)).arrival; best < 0 || at < first {
				best, first = q, at
			}
		}
		if best >= 0 {
			i := p.dequeue(best, class)
			t := r.tickets.at(i)
			r.leaveLine(i, t)
			r.start(a, i, t, delay)
			return true
		}
	}
	return false
}
