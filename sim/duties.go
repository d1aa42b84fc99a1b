package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Recurring duties: while a ticket of a tier with Updates is open, an
// update falls due every Every after its arrival, until it is resolved
// or leaves. Each update is a task for the tier's update teams, taking
// Handling of an agent's time: it waits in a line of its own (the tier's
// priority, the last level) like a ticket's piece of work, and is on time
// when done within Target of falling due. Updates take agent time from
// warm-up on; those of measured tickets are timed, as the tier's clock
// named "updates". Tasks are tickets of the store marked as duties: never
// counted as tickets, in the flow or in the tickets in the system.
//
// A ticket's updates are those of the tier it truly is, whatever tier it
// carries: misclassification moves its work to another line, but the
// updates are owed to its customer under its own tier's promise, and the
// scenario names who gives that tier's updates. In the carried tier's
// line they would wait for teams that may do no updates at all.
//
// An update still waiting for an agent when its ticket is resolved or
// leaves is withdrawn, not done: the resolution tells the customer more
// than a progress update would, and a customer who left is told nothing.
// Its clock stops then, on time if that is within Target of its falling
// due: every update that fell due is timed once, whether done or
// withdrawn. One already in an agent's hands is finished.

// Updates is a tier's recurring duty.
type Updates struct {
	Every, Target time.Duration
	Handling      Distribution
	// Teams are the teams that do the updates (indexes); nil: the teams
	// taking the tier's first level.
	Teams []int
}

// DoneBy reports whether team t, the k-th, does the updates of tier.
func (u *Updates) DoneBy(t *Team, k, tier int) bool {
	if u.Every == 0 {
		return false
	}
	if u.Teams != nil {
		return slices.Contains(u.Teams, k)
	}
	return t.Takes(tier, 0)
}

// UpdatesPerTicket is the expected number of updates a ticket of the tier
// is given, for the offered load, the check before a run and sizing's
// analytic start: the count of a ticket open for an exponential time of
// the tier's mean time open without waiting (its people's work, travel,
// pending wait and automated processing), 1/(e^(every/T) − 1). That is
// exact for exponential handling when tickets do not wait (M/M/c with
// agents to spare); waiting keeps tickets open longer and brings more.
func (t *Tier) UpdatesPerTicket() float64 {
	if t.Updates.Every <= 0 {
		return 0
	}
	open := t.HumanWork().Hours()
	if a := t.Automation; a.Eligible > 0 {
		open += a.Eligible * a.Processing.Mean().Hours()
	}
	if p := t.Pending; p.Probability > 0 {
		open += (1 - t.Automation.Eligible*t.Automation.Success) * p.Probability * p.Wait.Mean().Hours()
	}
	if open <= 0 {
		return 0
	}
	return 1 / math.Expm1(t.Updates.Every.Hours()/open)
}

// updatesWork is the expected agent-hours of a ticket's updates.
func (t *Tier) updatesWork() float64 {
	if t.Updates.Every <= 0 {
		return 0
	}
	return t.UpdatesPerTicket() * t.Updates.Handling.Mean().Hours()
}

// UpdatesLevel is the level of the updates' tasks in people's lines and
// in Workload's classes: after every level of work; -1 without updates.
func (m *Model) UpdatesLevel() int {
	if !m.hasDuties() {
		return -1
	}
	return m.levels() - 1
}

// UpdateRecord is what an UpdateCollector sees of an update of a measured
// ticket, once done or withdrawn, or still not done when the drain ends.
type UpdateRecord struct {
	// Tier is the ticket's tier (the one it truly is); Day the day of
	// Model.Dates the ticket arrived on (an index of Dates.Starts), 0
	// without dates.
	Tier, Day int
	// Time is the update's clock, from its falling due to its being done
	// or withdrawn, or to the drain's end; Target the tier's.
	Time, Target time.Duration
	// Censored is set when it was still not done as the drain ended.
	Censored bool
}

// An UpdateCollector is a Collector that also receives the updates of the
// measured tickets, such as a promise on the updates clock.
type UpdateCollector interface {
	Collector
	// Update receives an update of the replication under way.
	Update(u *UpdateRecord)
}

// UpdatesClock is the name of the clock of a tier's updates.
const UpdatesClock = "updates"

func (u *Updates) validate(teams int) error {
	if u.Every == 0 {
		return nil
	}
	if u.Every < 0 || u.Target <= 0 {
		return errors.New("updates: every and target must be > 0")
	}
	if err := validDistribution(u.Handling); err != nil {
		return fmt.Errorf("updates handling: %w", err)
	}
	for _, k := range u.Teams {
		if k < 0 || k >= teams {
			return fmt.Errorf("updates: no team %d", k)
		}
	}
	return nil
}

// duty says whether a ticket of the store is a duty's task, and whether
// its parent is measured.
type duty uint8

const (
	notDuty duty = iota
	dutyTask
	dutyMeasured
)

// duties are the replication's recurring duties: each tier's period (0:
// none), the level their tasks are at, and the stream of their handling
// times.
type duties struct {
	on       bool // some tier has updates
	every    []time.Duration
	level    int8
	handling []*source
	work     []sampler // the handling of a tier's updates, from handling
	nextID   uint32
	// The tasks of each open ticket not yet done, as lists through the
	// store's slots: first by ticket (-1: none), next and prev by task;
	// owner is a task's ticket, -1 once it is off the list. They grow
	// with the store.
	first, next, prev, owner []int32
}

func newDuties(m *Model, levels int) duties {
	d := duties{every: make([]time.Duration, len(m.Tiers)), level: int8(levels), handling: make([]*source, len(m.Tiers)), work: make([]sampler, len(m.Tiers))}
	for i, t := range m.Tiers {
		if t.Updates.Every > 0 {
			d.on = true
			d.every[i] = t.Updates.Every
			d.handling[i] = newSource()
			d.work[i] = newSampler(t.Updates.Handling)
		}
	}
	return d
}

func (d *duties) reset(seed uint64, rep int) {
	d.nextID = 0
	d.first, d.next, d.prev, d.owner = d.first[:0], d.next[:0], d.prev[:0], d.owner[:0]
	for i, s := range d.handling {
		if s != nil {
			s.seed(seed, rep, StreamDuties, i)
		}
	}
}

// hasDuties reports whether any tier of m has updates.
func (m *Model) hasDuties() bool {
	for i := range m.Tiers {
		if m.Tiers[i].Updates.Every > 0 {
			return true
		}
	}
	return false
}

// of reports whether the tickets of a tier have updates: only theirs are
// followed, so that the others' arrivals and ends cost one test or two.
func (d *duties) of(tier int) bool { return d.on && d.every[tier] > 0 }

// expectUpdates schedules the first update of ticket i, of the given tier
// (one with updates), arriving now.
func (r *replication) expectUpdates(i int32, t *ticket, tier int) {
	r.duties.grow(len(r.tickets.all))
	r.duties.first[i] = -1
	r.duties.nextID++
	t.id = r.duties.nextID
	r.events.schedule(r.now+r.duties.every[tier], evUpdate, i, t.id)
}

// updateDue makes the task of an update of ticket i, falling due now, if
// it is still the ticket id and open, and schedules the next. A ticket of
// a tier without updates keeps the id its slot's last ticket left: its
// tier tells it apart.
func (r *replication) updateDue(i int32, id uint32) {
	t := r.tickets.at(i)
	if !t.alive || t.id != id || t.duty != notDuty || r.duties.every[t.trueTier] == 0 {
		return
	}
	tier := t.trueTier
	kind := dutyTask
	if t.measured {
		kind = dutyMeasured
	}
	hour, day := t.hour, t.day
	r.events.schedule(r.now+r.duties.every[tier], evUpdate, i, id)
	j := r.tickets.add() // may move the store: t is not used past here
	u := r.tickets.at(j)
	u.arrival, u.class, u.trueTier, u.level = r.now, tier, tier, r.duties.level
	u.remaining = r.duties.work[tier].draw(r.duties.handling[tier])
	u.duty, u.alive, u.measured, u.responded = kind, true, false, true
	u.travel, u.travelling, u.onSite, u.aged, u.pendingPlanned = 0, false, false, false, false
	u.path, u.last, u.begun, u.hour, u.day = 1<<uint(r.duties.level), r.duties.level, 0, hour, day
	if kind == dutyMeasured {
		r.measure.measuredOpen++ // the replication runs until it is done
	}
	if r.measure.trace.on { // followed as a ticket is, though never recorded
		r.measure.trace.opened(j, u)
	}
	r.duties.grow(len(r.tickets.all))
	r.duties.link(j, i)
	r.dispatch(j, u, returning)
}

// grow makes the lists hold n slots of the store.
func (d *duties) grow(n int) {
	for len(d.first) < n {
		d.first, d.next, d.prev, d.owner = append(d.first, -1), append(d.next, -1), append(d.prev, -1), append(d.owner, -1)
	}
}

// link puts task j first on the list of ticket i's tasks.
func (d *duties) link(j, i int32) {
	d.owner[j], d.prev[j], d.next[j] = i, -1, d.first[i]
	if n := d.first[i]; n >= 0 {
		d.prev[n] = j
	}
	d.first[i] = j
}

// unlink takes task j off its ticket's list, if it is on one.
func (d *duties) unlink(j int32) {
	i := d.owner[j]
	if i < 0 {
		return
	}
	p, n := d.prev[j], d.next[j]
	if p >= 0 {
		d.next[p] = n
	} else {
		d.first[i] = n
	}
	if n >= 0 {
		d.prev[n] = p
	}
	d.owner[j] = -1
}

// dutyDone ends update task i, done now.
func (r *replication) dutyDone(i int32) {
	r.duties.unlink(i)
	r.dutyEnded(i)
}

// dutyEnded times update task i, done or withdrawn now, from its falling
// due, and frees its slot.
func (r *replication) dutyEnded(i int32) {
	u := r.tickets.at(i)
	if u.duty == dutyMeasured {
		r.measure.measuredOpen--
		tm := &r.measure.tiers[u.trueTier]
		tm.clocks[len(tm.clocks)-1].add(r.now-u.arrival, tm.spec.Updates.Target, u.hour)
		if r.measure.updates != nil {
			r.measure.updated(u, r.now, false)
		}
	}
	u.alive, u.duty = false, notDuty
	r.tickets.retire(i)
}

// endDuties withdraws the updates of ticket i, of a tier with updates,
// resolved or gone now, that still wait for an agent (see the top of this
// file); those in an agent's hands are finished, off the ticket's list.
func (r *replication) endDuties(i int32) {
	d := &r.duties
	for j := d.first[i]; j >= 0; {
		next := d.next[j]
		d.owner[j] = -1
		if u := r.tickets.at(j); u.line == peopleLine {
			r.people.remove(int(u.class)*r.people.levels+int(u.level), int(u.class), j)
			r.leaveLine(j, u)
			r.dutyEnded(j)
		}
		j = next
	}
	d.first[i] = -1
}

// closeDuties counts the updates of measured tickets still not done when
// the drain ends as missed, censored with their time so far.
func (ms *measure) closeDuties(tickets *ticketStore) {
	for i := range tickets.all {
		u := &tickets.all[i]
		if !u.alive || u.duty != dutyMeasured {
			continue
		}
		tm := &ms.tiers[u.trueTier]
		c := &tm.clocks[len(tm.clocks)-1]
		c.censor(ms.drainEnd-u.arrival, tm.spec.Updates.Target, u.hour)
		if ms.updates != nil {
			ms.updated(u, ms.drainEnd, true)
		}
	}
}

// updated hands the collector update task u, ended (or cut off by the
// drain's end, censored) at the time given.
func (ms *measure) updated(u *ticket, at time.Duration, censored bool) {
	ms.update = UpdateRecord{Tier: int(u.trueTier), Day: int(u.day), Time: at - u.arrival, Target: ms.tiers[u.trueTier].spec.Updates.Target, Censored: censored}
	ms.updates.Update(&ms.update)
}

// levels is the number of levels of people's lines: the most any tier's
// journey has, and one more, the last, for the updates' tasks when a tier
// has updates.
func (m *Model) levels() int {
	levels := 1
	for _, t := range m.Tiers {
		levels = max(levels, 1+len(t.Escalation))
	}
	if m.hasDuties() {
		levels++
	}
	return levels
}
