package sim

import (
	"math"
	"slices"
	"time"

	"github.com/slasim/slasim/sim/internal/cacheline"
)

// Staffing brings each team's agents on and off duty as its schedule
// says: the head counts on site and on call, shrinkage (agents away for
// breaks, redrawn every half hour), and what an agent busy at the end of a
// shift does (hands the ticket back, or finishes it in overtime).

// roster is one team's place in its schedule.
type roster struct {
	spec             *Team
	siteIdx, callIdx int     // next step of the schedules (Steps.walk)
	rng              *source // presence under shrinkage
	paging           *source // on-call delays; nil when they are fixed
	// present is the threshold of an agent's presence under shrinkage:
	// a draw of rng at least the shrinkage (source.atLeast).
	present uint64
	// quiet is set when the team's redraws that change nothing may be
	// left out (roster): no other team is under shrinkage. others are the
	// times of the other teams' steps, sorted.
	quiet  bool
	others []time.Duration
}

// newPeople makes people's pool: a team of agents per model team, with
// lines for every (tier, level), and the rosters that staff it.
func newPeople(m *Model, levels int, meter *poolMeter) (pool, []roster) {
	p := newPool(len(m.Tiers), levels, meter)
	for c, t := range m.Tiers {
		if t.Blocking {
			p.rules[c].room = t.QueueCapacity
		}
		p.rules[c].preempts = t.Preempts
		p.rules[c].aging = t.Aging
	}
	teams := m.teams()
	rosters := cacheline.Make[roster](len(teams))
	for i := range teams {
		t := &teams[i]
		var skills [maxTiers]uint8
		work := levels
		if m.hasDuties() {
			work-- // the last level is the updates'
		}
		for tier := range m.Tiers {
			for l := range work {
				if t.Takes(tier, l) {
					skills[tier] |= 1 << l
				}
			}
			if m.Tiers[tier].Updates.DoneBy(t, i, tier) {
				skills[tier] |= 1 << work
			}
		}
		// Agents finishing a ticket after their shift may overlap the next
		// shift's, hence twice the largest head count.
		p.addTeam(skills, 2*(maxValue(t.OnSite)+maxValue(t.OnCall)), t.slots(), t.OnCallDelay)
		rosters[i] = roster{spec: t, rng: newSource(), present: threshold(t.Shrinkage)}
		if t.OnCallDelay != nil && t.OnCallDelay.CV() > 0 {
			rosters[i].paging = newSource()
		}
	}
	shrinking := 0
	for i := range teams {
		if teams[i].Shrinkage > 0 {
			shrinking++
		}
	}
	for i := range rosters {
		ro := &rosters[i]
		if ro.quiet = shrinking == 1 && teams[i].Shrinkage > 0; !ro.quiet {
			continue
		}
		for j := range teams {
			if j != i {
				ro.others = append(ro.others, teams[j].OnSite.At...)
				ro.others = append(ro.others, teams[j].OnCall.At...)
			}
		}
		slices.Sort(ro.others)
	}
	return p, rosters
}

func maxValue(s Steps) int {
	m := 0
	for _, v := range s.Value {
		m = max(m, v)
	}
	return m
}

// resetRosters restarts every team's schedule and schedules its first
// change at time 0.
func (r *replication) resetRosters(seed uint64, rep int) {
	for i := range r.rosters {
		ro := &r.rosters[i]
		ro.siteIdx, ro.callIdx = 0, 0
		ro.rng.seed(seed, rep, StreamStaffing, i)
		if ro.paging != nil {
			ro.paging.seed(seed, rep, StreamPaging, i)
		}
		r.events.schedule(r.begin, evRoster, int32(i), 0)
	}
}

// roster brings team k's head count to its schedule at this instant, and
// schedules the next change.
func (r *replication) roster(k int) {
	ro := &r.rosters[k]
	spec := ro.spec
	scheduled := spec.OnSite.walk(&ro.siteIdx, r.now)
	site := scheduled
	if spec.Shrinkage > 0 {
		site = ro.rng.atLeast(site, ro.present)
	}
	// adjust changes nothing when the count is already what is wanted:
	// the on-call count of a team without on-call agents at every change,
	// the on-site count at night at every shrinkage redraw.
	tm := &r.people.teams[k]
	if site != tm.site {
		r.adjust(k, onSite, site, scheduled)
	}
	if call := spec.OnCall.walk(&ro.callIdx, r.now); call != tm.call {
		r.adjust(k, onCall, call, call)
	}
	if spec.Shrinkage > 0 {
		r.outlastShifts(k, scheduled)
	}

	next := time.Duration(math.MaxInt64)
	if ro.siteIdx < len(spec.OnSite.At) {
		next = spec.OnSite.At[ro.siteIdx]
	}
	if ro.callIdx < len(spec.OnCall.At) {
		next = min(next, spec.OnCall.At[ro.callIdx])
	}
	if spec.Shrinkage > 0 {
		tick := (r.now/shrinkageTick + 1) * shrinkageTick
		if scheduled == 0 && ro.quiet && r.measure.series == nil {
			tick = r.skipRedraws(ro, tick, next)
		}
		next = min(next, tick)
	}
	if next <= r.end {
		r.events.schedule(next, evRoster, int32(k), 0)
	}
}

// shrinkageTick is how often agents' presence is redrawn under shrinkage.
const shrinkageTick = 30 * time.Minute

// skipRedraws is the time of the next redraw of a team under shrinkage
// with nobody scheduled on site, and so nobody there, whose next redraw
// is due at tick and next step at step: at night, half the team's roster
// events, which draw nothing and change nothing. They are left out, save
// the first at or after the watchdog's next weekly look, which must find
// the system at the same event; the time integrals are exact, so the
// events at which the loop crosses an hour or the window's ends do not
// matter. The roster event that is left then is scheduled earlier than
// it would have been, which would move it before another at the same
// instant whose order hangs on when each was scheduled: another team's
// step (there is then no skipping to it), or redraw (the team's roster
// is not quiet). A warm-up series (in floats) sees every event: it keeps
// them all.
func (r *replication) skipRedraws(ro *roster, tick, step time.Duration) time.Duration {
	at := min(step, (r.watch.nextWeek+shrinkageTick-1)/shrinkageTick*shrinkageTick)
	if at <= tick {
		return tick
	}
	if _, found := slices.BinarySearch(ro.others, at); found {
		return tick
	}
	return at
}

// adjust brings team k's agents of one status to want: agents come on
// duty and take waiting work, or go off duty, idle ones first; a busy agent
// hands the ticket back or finishes it first, as the team's policy says.
func (r *replication) adjust(k int, status serverStatus, want, scheduled int) {
	p := &r.people
	tm := &p.teams[k]
	n := &tm.site
	idle := &tm.idleSite
	if status == onCall {
		n, idle = &tm.call, &tm.idleCall
	}
	// Agents still finishing a ticket after their shift come back first,
	// in the team's order. None becomes leaving in this loop, so each
	// search goes on from where the last stopped, and once none of the
	// status is left, none turn up: one pass over the team at most keeps
	// rostering thousands of agents linear.
	leaving := tm.leaving > 0
	from := 0
	for *n < want {
		a := int32(-1)
		if leaving {
			a, from = r.leavingAgent(tm, status, from)
			leaving = a >= 0
		}
		if a >= 0 {
			r.stopLeaving(a)
			r.takeWork(a, 0, idle) // a several-slot agent's free slots
		} else if j := len(tm.off); j > 0 {
			a := tm.off[j-1]
			tm.off = tm.off[:j-1]
			p.servers[a].status = status
			if status == onCall && p.waitingFor(tm) {
				// Waiting work pages the agent as it comes on call. Work
				// it cannot take pages nobody: another team's line must
				// not move the team's paging stream (common random
				// numbers).
				r.takeWork(a, r.page(k, a), idle)
			} else {
				r.takeWork(a, 0, idle)
			}
		} else {
			return
		}
		p.staff(int32(k), n, 1)
	}
	// Busy agents leave once no idle one is left, the last started first,
	// taken from a heap built once for the loop (leaverHeap): choosing each
	// by a pass over the team would make a large team's shift end
	// quadratic. For the same reason the free slots of agents of several
	// slots that leave stay on the idle stack until the loop ends, then go
	// in one pass (nothing takes a slot meanwhile: such agents never hand
	// work back), and the search for the next agent with every slot free
	// goes on down the stack from where the last stopped.
	built := false
	var seq uint64
	down, was := len(*idle)-1, *n
	for *n > want {
		// The first departures below the schedule end shifts; the rest,
		// down to want, are breaks under shrinkage.
		shiftEnd := *n > scheduled
		var a int32
		if a, down = r.idleAgent(tm, idle, status, down); a >= 0 {
			p.servers[a].status = offDuty
			tm.off = append(tm.off, a)
		} else {
			if !built {
				r.busyAgents(tm, status)
				built, seq = true, r.events.seq
			}
			a := r.leavers.pop()
			if a < 0 {
				break // cannot happen: the count includes a busy agent
			}
			sv := &p.servers[a]
			if r.rosters[k].spec.HandBack && shiftEnd {
				r.interrupt(a)
				sv.status = offDuty
				tm.off = append(tm.off, a)
				// The ticket handed back may have preempted a busy agent
				// of the team, which now holds a ticket started now, or
				// gone to a free slot of one holding several, which now
				// holds one more: a start schedules an event, so the heap
				// is built again after any.
				if r.events.seq != seq && (r.m.preempts() || tm.slots > 1) {
					built = false
				}
			} else {
				sv.leaving = true
				if r.victims.on {
					r.victims.remove(a)
				}
				sv.onBreak = !shiftEnd
				p.staff(int32(k), &tm.leaving, 1)
				if shiftEnd {
					p.overtime(int32(k), 1)
				}
			}
		}
		p.staff(int32(k), n, -1)
	}
	if tm.slots > 1 && *n < was {
		r.dropStale(idle, status)
	}
}

// outlastShifts ends the breaks that outlast the shifts of team k, of
// which scheduled agents are now on site or away: agents finishing a
// ticket before a break, beyond the scheduled agents away, are past their
// shift's end (the schedule fell while they were finishing). They hand the
// ticket back, or finish it in overtime, as the team's policy says. Agents
// are counted, not followed: the first in the team's order are taken.
func (r *replication) outlastShifts(k, scheduled int) {
	p := &r.people
	tm := &p.teams[k]
	past := tm.leaving - tm.pastShift - (scheduled - tm.site) // on-call agents take no breaks
	for j := 0; past > 0; j++ {
		a := tm.members[j]
		sv := &p.servers[a]
		if !sv.leaving || !sv.onBreak {
			continue
		}
		past--
		if r.rosters[k].spec.HandBack {
			sv.leaving = false
			p.staff(int32(k), &tm.leaving, -1)
			r.interrupt(a)
			sv.status = offDuty
			tm.off = append(tm.off, a)
		} else {
			sv.onBreak = false
			p.overtime(int32(k), 1)
		}
	}
}

// pagingDelay draws the time from a page of team k's agent on call to
// the start of work.
func (r *replication) pagingDelay(k int) time.Duration {
	d := r.people.teams[k].onCallDelay
	if d == nil {
		return 0
	}
	if src := r.rosters[k].paging; src != nil {
		return d.Sample(src.Rand)
	}
	return d.Mean()
}

// takeWork gives agent a, just on duty or back from leaving, waiting
// tickets for its free slots, starting after delay, and puts the slots
// left free on the idle stack.
func (r *replication) takeWork(a int32, delay time.Duration, idle *[]int32) {
	p := &r.people
	sv := &p.servers[a]
	for free := p.teams[sv.team].slots - int(sv.held); free > 0; free-- {
		if !r.pull(a, delay) {
			*idle = append(*idle, a)
		}
	}
}

// idleAgent takes off the idle stack of agents of the status an agent
// with every slot free, the latest to become idle, and returns it; -1 if
// there is none. An agent of several slots is searched for from position
// from of the stack down, and its slots are left on the stack for
// dropStale; the next search goes on from the position returned.
func (r *replication) idleAgent(tm *team, idle *[]int32, status serverStatus, from int) (int32, int) {
	n := len(*idle)
	if n > 0 && tm.slots == 1 {
		a := (*idle)[n-1]
		*idle = (*idle)[:n-1]
		return a, from
	}
	for j := min(from, n-1); j >= 0; j-- {
		if a := (*idle)[j]; r.idleHere(a, status) && r.people.servers[a].held == 0 {
			return a, j - 1
		}
	}
	return -1, -1
}

// idleHere reports whether agent a's slots on the idle stack of agents of
// the status are free slots still: the agent has not gone off duty or
// begun to leave since.
func (r *replication) idleHere(a int32, status serverStatus) bool {
	sv := &r.people.servers[a]
	return sv.status == status && !sv.leaving
}

// dropStale takes off the idle stack of agents of the status, in one pass
// and keeping the order of the rest, the slots of agents no longer idle
// there.
func (r *replication) dropStale(idle *[]int32, status serverStatus) {
	kept := (*idle)[:0]
	for _, a := range *idle {
		if r.idleHere(a, status) {
			kept = append(kept, a)
		}
	}
	*idle = kept
}

// stopLeaving ends agent a's time past the end of its shift (or its
// break), which counts as overtime after a shift.
func (r *replication) stopLeaving(a int32) {
	sv := &r.people.servers[a]
	sv.leaving = false
	if r.victims.on && sv.ticket >= 0 {
		t := r.tickets.at(sv.ticket)
		r.victims.add(a, sv.team, t.class, t.serviceStart, r.now)
	}
	r.people.staff(sv.team, &r.people.teams[sv.team].leaving, -1)
	if !sv.onBreak {
		r.people.overtime(sv.team, -1)
	}
}

// goHome takes agent a off duty once the ticket it finished after its
// shift (or before its break) is done.
func (r *replication) goHome(a int32) {
	r.stopLeaving(a)
	sv := &r.people.servers[a]
	sv.status = offDuty
	tm := &r.people.teams[sv.team]
	tm.off = append(tm.off, a)
}

// leavingAgent is the first agent of the team, from its member from on,
// with the status and finishing a ticket after the shift, or -1; and where
// to search from for the next.
func (r *replication) leavingAgent(tm *team, status serverStatus, from int) (int32, int) {
	for j := from; j < len(tm.members); j++ {
		a := tm.members[j]
		if sv := &r.people.servers[a]; sv.leaving && sv.status == status {
			return a, j + 1
		}
	}
	return -1, len(tm.members)
}

// busyAgents puts in r.leavers the team's agents of the status at work
// and not leaving.
func (r *replication) busyAgents(tm *team, status serverStatus) {
	h := r.leavers.agents[:0]
	for _, a := range tm.members {
		if sv := &r.people.servers[a]; sv.status == status && !sv.leaving && sv.held > 0 {
			// Of agents of several slots, the one holding fewest tickets
			// first; of agents of one, the one that started it last.
			key := -int64(sv.held)
			if !sv.multi {
				key = int64(r.tickets.at(sv.ticket).serviceStart)
			}
			h = append(h, leaver{key: key, agent: a})
		}
	}
	r.leavers.agents = h
	r.leavers.init()
}

// leaverHeap holds busy agents, the one to send off duty first on top: the
// one that started its ticket last, whose interruption wastes least, and
// of two that started at once the later in the team; of agents of several
// slots, the one holding fewest tickets, which has least to finish. Its
// keys are read, as it is built, from the tickets in hand, which do not
// change while it is in use.
type leaverHeap struct {
	agents []leaver
}

// leaver is an agent in the heap, and its key: the higher leaves first.
type leaver struct {
	key   int64
	agent int32
}

// first reports whether a leaves before b: the higher key, and of equal
// keys the later agent in the team.
func (a leaver) first(b leaver) bool {
	return a.key > b.key || a.key == b.key && a.agent > b.agent
}

func (h *leaverHeap) init() {
	for i := len(h.agents)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

// pop removes and returns the agent on top, or -1 if there is none.
func (h *leaverHeap) pop() int32 {
	n := len(h.agents) - 1
	if n < 0 {
		return -1
	}
	a := h.agents[0].agent
	h.agents[0] = h.agents[n]
	h.agents = h.agents[:n]
	h.down(0)
	return a
}

func (h *leaverHeap) down(i int) {
	ag := h.agents
	for {
		c := 2*i + 1
		if c >= len(ag) {
			return
		}
		if d := c + 1; d < len(ag) && ag[d].first(ag[c]) {
			c = d
		}
		if !ag[c].first(ag[i]) {
			return
		}
		ag[i], ag[c] = ag[c], ag[i]
		i = c
	}
}
