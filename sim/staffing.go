package sim

import (
	"math"
	"slices"
	"time"
)

// Staffing brings each team's agents on and off duty as its schedule
// says: the head counts on site and on call, shrinkage (agents away for
// breaks, redrawn every half hour), and what an agent busy at the end of a
// shift does (hands the ticket back, or finishes it in overtime).

// roster is one team's place in its schedule.
type roster struct {
	spec             *Team
	siteIdx, callIdx int // next step of the schedules
	rng              *source
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
	}
	teams := m.teams()
	rosters := make([]roster, len(teams))
	for i := range teams {
		t := &teams[i]
		var skills [maxTiers]uint8
		for tier := range m.Tiers {
			if t.Tiers != nil && !slices.Contains(t.Tiers, tier) {
				continue
			}
			for l := range levels {
				if t.Levels == nil || slices.Contains(t.Levels, l) {
					skills[tier] |= 1 << l
				}
			}
		}
		// Agents finishing a ticket after their shift may overlap the next
		// shift's, hence twice the largest head count.
		p.addTeam(skills, 2*(maxValue(t.OnSite)+maxValue(t.OnCall)), 1, t.OnCallDelay)
		rosters[i] = roster{spec: t, rng: newSource()}
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
		r.events.schedule(r.begin, evRoster, int32(i), 0)
	}
}

// roster brings team k's head count to its schedule at this instant, and
// schedules the next change.
func (r *replication) roster(k int) {
	ro := &r.rosters[k]
	spec := ro.spec
	scheduled := spec.OnSite.at(r.now)
	site := scheduled
	if spec.Shrinkage > 0 {
		present := 0
		for range site {
			if ro.rng.Float64() >= spec.Shrinkage {
				present++
			}
		}
		site = present
	}
	r.adjust(k, onSite, site, scheduled)
	call := spec.OnCall.at(r.now)
	r.adjust(k, onCall, call, call)

	next := time.Duration(math.MaxInt64)
	for ro.siteIdx < len(spec.OnSite.At) && spec.OnSite.At[ro.siteIdx] <= r.now {
		ro.siteIdx++
	}
	if ro.siteIdx < len(spec.OnSite.At) {
		next = spec.OnSite.At[ro.siteIdx]
	}
	for ro.callIdx < len(spec.OnCall.At) && spec.OnCall.At[ro.callIdx] <= r.now {
		ro.callIdx++
	}
	if ro.callIdx < len(spec.OnCall.At) {
		next = min(next, spec.OnCall.At[ro.callIdx])
	}
	if spec.Shrinkage > 0 {
		next = min(next, (r.now/shrinkageTick+1)*shrinkageTick)
	}
	if next <= r.end {
		r.events.schedule(next, evRoster, int32(k), 0)
	}
}

// shrinkageTick is how often agents' presence is redrawn under shrinkage.
const shrinkageTick = 30 * time.Minute

// adjust brings team k's agents of one status to want: agents come on
// duty and take waiting work, or go off duty, idle ones first; a busy agent
// hands the ticket back or finishes it first, as the team's policy says.
func (r *replication) adjust(k int, status serverStatus, want, scheduled int) {
	p := &r.people
	tm := &p.teams[k]
	n := &tm.site
	idle := &tm.idleSite
	var delay time.Duration
	if status == onCall {
		n, idle, delay = &tm.call, &tm.idleCall, tm.onCallDelay
	}
	// Agents still finishing a ticket after their shift come back first.
	// Once none of the status is left, none turn up in this loop: looking
	// no further keeps rostering thousands of agents linear.
	leaving := tm.leaving > 0
	for *n < want {
		a := int32(-1)
		if leaving {
			a = r.leavingAgent(tm, status)
			leaving = a >= 0
		}
		if a >= 0 {
			r.stopLeaving(a)
		} else if j := len(tm.off); j > 0 {
			a := tm.off[j-1]
			tm.off = tm.off[:j-1]
			p.servers[a].status = status
			if r.pull(a, delay) {
				if status == onCall {
					p.meter.callOut(k)
				}
			} else {
				*idle = append(*idle, a)
			}
		} else {
			return
		}
		p.staff(int32(k), n, 1)
	}
	for *n > want {
		// The first departures below the schedule end shifts; the rest,
		// down to want, are breaks under shrinkage.
		shiftEnd := *n > scheduled
		if j := len(*idle); j > 0 {
			a := (*idle)[j-1]
			*idle = (*idle)[:j-1]
			p.servers[a].status = offDuty
			tm.off = append(tm.off, a)
		} else {
			a := r.busyAgent(tm, status)
			if a < 0 {
				return // cannot happen: the count includes a busy agent
			}
			sv := &p.servers[a]
			if r.rosters[k].spec.HandBack && shiftEnd {
				r.interrupt(a)
				sv.status = offDuty
				tm.off = append(tm.off, a)
			} else {
				sv.leaving = true
				sv.leftAt = r.now
				sv.onBreak = !shiftEnd
				p.staff(int32(k), &tm.leaving, 1)
			}
		}
		p.staff(int32(k), n, -1)
	}
}

// stopLeaving ends agent a's time past the end of its shift (or its
// break), which counts as overtime after a shift.
func (r *replication) stopLeaving(a int32) {
	sv := &r.people.servers[a]
	sv.leaving = false
	r.people.staff(sv.team, &r.people.teams[sv.team].leaving, -1)
	if !sv.onBreak {
		r.measure.overtime[sv.team].add(1, r.now-sv.leftAt)
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

// leavingAgent is an agent of the team with the status finishing a ticket
// after the shift, or -1.
func (r *replication) leavingAgent(tm *team, status serverStatus) int32 {
	for _, a := range tm.members {
		if sv := &r.people.servers[a]; sv.leaving && sv.status == status {
			return a
		}
	}
	return -1
}

// busyAgent is the team's agent of the status, at work and not leaving,
// that started its ticket last: the one whose interruption wastes least.
func (r *replication) busyAgent(tm *team, status serverStatus) int32 {
	servers := r.people.servers
	best := int32(-1)
	for _, a := range tm.members {
		sv := &servers[a]
		if sv.status != status || sv.leaving || sv.ticket < 0 {
			continue
		}
		if best < 0 || r.tickets.at(sv.ticket).serviceStart >= r.tickets.at(servers[best].ticket).serviceStart {
			best = a
		}
	}
	return best
}
