package sim

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/slasim/slasim/sim/internal/waitlist"
)

type tierState struct {
	handling, routing, lifecycle *source
	routes                       bool  // draws routing numbers per ticket
	waiting                      int   // tickets of this tier in the queues
	open                         int64 // measured tickets of this tier not yet resolved
	waitingNs                    HourOfWeek
	flow                         Flow
}

type agentStatus uint8

const (
	offDuty agentStatus = iota
	onSite
	onCall
)

type agentState struct {
	team    int32
	ticket  int32 // in hand, -1 if none
	status  agentStatus
	leaving bool          // finishing a ticket after the shift ended
	onBreak bool          // leaving for a break (shrinkage), not the shift's end: no overtime
	leftAt  time.Duration // when the shift ended for a leaving agent
}

type teamState struct {
	team *Team
	// skills[tier] has bit l set when the team works on level l of tier.
	skills                  [maxTiers]uint8
	agents                  []int32
	off, idleSite, idleCall []int32 // stacks of agents
	site, call, leaving     int     // agents on site, on call (not leaving), and leaving
	busy                    int
	siteIdx, callIdx        int // next step of the schedules
	staffing                *source
	overtime                time.Duration
	busyNs, availNs         HourOfWeek
}

func (ts *teamState) skilled(tier, level int8) bool { return ts.skills[tier]&(1<<level) != 0 }

func (ts *teamState) available() int { return ts.site + ts.call + ts.leaving }

// repMetric accumulates one clock over one replication.
type repMetric struct {
	n, met         int64
	sumNs          float64
	lateNs         float64
	times          Histogram
	hourN, hourMet HourOfWeek
}

func (r *repMetric) add(d, target time.Duration, hour uint8) {
	r.n++
	r.hourN[hour]++
	r.sumNs += float64(d)
	if d <= target {
		r.met++
		r.hourMet[hour]++
	} else {
		r.lateNs += float64(d - target)
	}
	r.times.Add(d)
}

func (r *repMetric) fold(into *MetricStats) {
	into.Tickets += r.n
	into.Met += r.met
	if r.n > 0 {
		into.Attainment.Add(float64(r.met) / float64(r.n))
		into.MeanHours.Add(r.sumNs / float64(r.n) / float64(time.Hour))
	}
	into.LateHours.Add(r.lateNs / float64(time.Hour))
	into.Times.Merge(&r.times)
	into.ByHour.Tickets.merge(&r.hourN)
	into.ByHour.Met.merge(&r.hourMet)
	times := r.times
	times.Reset()
	*r = repMetric{times: times}
}

// replication is one worker's engine state, reused from one replication to
// the next so that steady-state simulation allocates nothing.
type replication struct {
	m   *Model
	ctx context.Context
	// lastNeeded is the lowest unstable replication found so far: one
	// numbered above it is not needed and stops early.
	lastNeeded *atomic.Int64
	collector  Collector
	record     TicketRecord
	tiers      []tierState
	teams      []teamState
	agents     []agentState
	events     agenda
	tickets    ticketStore
	arrivals   arrivals
	watch      watchdog
	// Line tier*levels+level holds the tickets waiting for people.
	lines    waitlist.Lines
	levels   int
	autoLine waitlist.Lines
	autoBusy int

	now          time.Duration
	w0, w1, end  time.Duration // measured window, and the end of the drain
	inSystem     int
	waiting      int
	measuredOpen int
	pastW1       bool

	lastT             time.Duration
	bin               int
	binEnd            time.Duration
	sysArea, waitArea float64
	windowNs          HourOfWeek
	resp, resol       []repMetric
}

func newReplication(m *Model) *replication {
	r := &replication{
		m:      m,
		tiers:  make([]tierState, len(m.Tiers)),
		resp:   make([]repMetric, len(m.Tiers)),
		resol:  make([]repMetric, len(m.Tiers)),
		w0:     m.WarmUp,
		w1:     m.WarmUp + m.Horizon,
		watch:  newWatchdog(m),
		levels: 1,
	}
	r.end = r.w1 + m.drain()
	r.arrivals = newArrivals(m, r.w1, r.end)
	for i, t := range m.Tiers {
		ts := &r.tiers[i]
		ts.handling, ts.routing, ts.lifecycle = newSource(), newSource(), newSource()
		ts.routes = t.Deflected > 0 || t.Misclassified > 0 || len(t.Escalation) > 0 || t.Pending.Probability > 0 || t.Automation.Eligible > 0
		r.levels = max(r.levels, 1+len(t.Escalation))
	}
	r.lines.Init(len(m.Tiers) * r.levels)
	r.autoLine.Init(1)
	for i, t := range m.teams() {
		ts := teamState{team: &m.teams()[i], staffing: newSource()}
		for tier := range m.Tiers {
			if t.Tiers != nil && !slices.Contains(t.Tiers, tier) {
				continue
			}
			for l := range r.levels {
				if t.Levels == nil || slices.Contains(t.Levels, l) {
					ts.skills[tier] |= 1 << l
				}
			}
		}
		// Agents finishing a ticket after their shift may overlap the next
		// shift's, hence twice the largest head count.
		n := 2 * (maxValue(t.OnSite) + maxValue(t.OnCall))
		for range n {
			ts.agents = append(ts.agents, int32(len(r.agents)))
			r.agents = append(r.agents, agentState{team: int32(i)})
		}
		ts.off = make([]int32, 0, n)
		ts.idleSite = make([]int32, 0, n)
		ts.idleCall = make([]int32, 0, n)
		r.teams = append(r.teams, ts)
	}
	return r
}

func maxValue(s Steps) int {
	m := 0
	for _, v := range s.Value {
		m = max(m, v)
	}
	return m
}

func (r *replication) reset(seed uint64, rep int) {
	r.events.reset()
	r.tickets.reset()
	r.watch.reset()
	r.lines.Reset()
	r.autoLine.Reset()
	r.autoBusy = 0
	r.now, r.lastT = 0, 0
	r.inSystem, r.waiting, r.measuredOpen = 0, 0, 0
	r.pastW1 = false
	r.sysArea, r.waitArea = 0, 0
	r.windowNs = HourOfWeek{}
	r.bin = int((r.m.WeekOffset/time.Hour)%HoursPerWeek+HoursPerWeek) % HoursPerWeek
	r.binEnd = r.w0 + time.Hour - (r.m.WeekOffset%time.Hour+time.Hour)%time.Hour
	r.arrivals.reset(r.m, seed, rep)
	for i := range r.agents {
		r.agents[i] = agentState{team: r.agents[i].team, ticket: -1}
	}
	for i := range r.teams {
		ts := &r.teams[i]
		ts.off, ts.idleSite, ts.idleCall = ts.off[:0], ts.idleSite[:0], ts.idleCall[:0]
		for j := len(ts.agents) - 1; j >= 0; j-- {
			ts.off = append(ts.off, ts.agents[j])
		}
		ts.site, ts.call, ts.leaving, ts.busy = 0, 0, 0, 0
		ts.siteIdx, ts.callIdx = 0, 0
		ts.overtime = 0
		ts.busyNs, ts.availNs = HourOfWeek{}, HourOfWeek{}
		ts.staffing.seed(seed, rep, StreamStaffing, i)
		r.events.schedule(0, evRoster, int32(i), 0)
	}
	for i := range r.tiers {
		ts := &r.tiers[i]
		ts.handling.seed(seed, rep, StreamHandling, i)
		ts.routing.seed(seed, rep, StreamRouting, i)
		ts.lifecycle.seed(seed, rep, StreamLifecycle, i)
		ts.waiting, ts.open, ts.waitingNs, ts.flow = 0, 0, HourOfWeek{}, Flow{}
	}
	r.arrivals.start(&r.events)
}

// advance accumulates the time integrals over the measured window up to t,
// hour of the week by hour of the week.
func (r *replication) advance(t time.Duration) {
	lo, hi := max(r.lastT, r.w0), min(t, r.w1)
	r.lastT = t
	for lo < hi {
		end := min(hi, r.binEnd)
		d := end - lo
		fd := float64(d)
		r.sysArea += float64(r.inSystem) * fd
		r.waitArea += float64(r.waiting) * fd
		r.windowNs[r.bin] += int64(d)
		for i := range r.teams {
			ts := &r.teams[i]
			busy, avail := int64(ts.busy)*int64(d), int64(ts.available())*int64(d)
			ts.busyNs[r.bin] += busy
			ts.availNs[r.bin] += avail
		}
		if r.waiting > 0 {
			for i := range r.tiers {
				r.tiers[i].waitingNs[r.bin] += int64(r.tiers[i].waiting) * int64(d)
			}
		}
		if end == r.binEnd {
			r.bin++
			if r.bin == HoursPerWeek {
				r.bin = 0
			}
			r.binEnd += time.Hour
		}
		lo = end
	}
}

// run simulates one replication and folds its statistics into s.
func (r *replication) run(seed uint64, rep int, s *Summary) error {
	r.reset(seed, rep)
	if r.collector != nil {
		r.collector.Begin(seed, rep)
	}
	for n := 0; r.events.len() > 0; n++ {
		if n&(1<<14-1) == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			if r.lastNeeded != nil && int64(rep) > r.lastNeeded.Load() {
				return errNotNeeded
			}
		}
		e := r.events.next()
		if e.at > r.end {
			r.closeUnresolved()
			break
		}
		r.advance(e.at)
		r.now = e.at
		if !r.pastW1 && r.now >= r.w1 {
			r.horizonReached()
		}
		r.watch.observe(r.now, r.inSystem)
		switch e.kind() {
		case evArrival:
			r.arrive(int(e.a))
			if e.b == 0 {
				r.arrivals.schedule(int(e.a), &r.events)
			}
			if r.watch.overflows(r.inSystem) {
				return r.watch.instability(r.m, rep, r.now, r.inSystem)
			}
		case evCompletion:
			if r.tickets.at(e.a).stamp == e.b {
				r.complete(e.a)
			}
		case evAutomation:
			r.automationDone(e.a)
		case evRoster:
			r.roster(int(e.a))
		case evPendingEnd:
			r.pendingEnd(e.a)
		case evBurst:
			r.arrivals.burst(int(e.a), r.now, &r.events)
		}
		if r.measuredOpen == 0 && r.now >= r.w1 {
			break
		}
	}
	if !r.pastW1 {
		r.horizonReached()
	}
	r.advance(r.w1)
	// The events can run out before the drain ends with tickets still
	// waiting (a tier nobody is on duty for): they are open at the end.
	if r.measuredOpen > 0 {
		r.closeUnresolved()
	}
	r.fold(s)
	if r.collector != nil {
		r.collector.End()
	}
	return nil
}

// errNotNeeded stops a replication whose result is not needed.
var errNotNeeded = errors.New("replication not needed")

// horizonReached counts, per tier, the measured tickets still open when the
// measured window ends.
func (r *replication) horizonReached() {
	r.pastW1 = true
	for i := range r.tiers {
		r.tiers[i].flow.OpenAtHorizon = r.tiers[i].open
	}
}

// closeUnresolved stops the clocks of measured tickets still open when the
// drain ends: they count as breached, with the time they had waited so far.
func (r *replication) closeUnresolved() {
	r.now = r.end
	for i := range r.tickets.all {
		t := &r.tickets.all[i]
		if !t.alive || !t.measured {
			continue
		}
		r.tiers[t.trueTier].flow.Unresolved++
		if !t.responded {
			r.respond(t, r.now)
		}
		r.resolved(t)
	}
}

// arrive creates a ticket of the given tier. Every random number the ticket
// needs is drawn here, the same count whatever becomes of it.
func (r *replication) arrive(tier int) {
	spec := &r.m.Tiers[tier]
	ts := &r.tiers[tier]
	i := r.tickets.add()
	t := r.tickets.at(i)
	t.work[0] = spec.Handling.Sample(ts.handling.Rand)
	for j, e := range spec.Escalation {
		t.work[j+1] = e.Handling.Sample(ts.handling.Rand)
	}
	measured := r.now >= r.w0
	carried, levels := tier, 1
	var pending, autoEligible, autoSuccess bool
	if ts.routes {
		rg := ts.routing
		deflected := rg.Float64() < spec.Deflected
		misclassified, up := rg.Float64() < spec.Misclassified, rg.Float64() < 0.5
		reached := true
		for _, e := range spec.Escalation {
			reached = rg.Float64() < e.Probability && reached
			if reached {
				levels++
			}
		}
		pending = rg.Float64() < spec.Pending.Probability
		autoEligible = rg.Float64() < spec.Automation.Eligible
		autoSuccess = rg.Float64() < spec.Automation.Success
		if deflected {
			if measured {
				ts.flow.Deflected++
			}
			r.tickets.retire(i)
			return
		}
		if misclassified && len(r.tiers) > 1 {
			if up && tier > 0 || tier == len(r.tiers)-1 {
				carried = tier - 1
			} else {
				carried = tier + 1
			}
			if measured {
				ts.flow.Misclassified++
			}
		}
	}
	// Field by field rather than a composite literal: the work drawn above
	// stays, and the ticket's stamp keeps counting across reuses.
	t.arrival = r.now
	t.remaining = t.work[0]
	t.paused, t.response = 0, 0
	t.respTarget, t.resolTarget = spec.Response, spec.Resolution
	t.class, t.trueTier = int8(carried), int8(tier)
	t.level, t.levels = 0, int8(levels)
	t.alive, t.measured, t.responded, t.automated = true, measured, false, false
	t.pendingPlanned, t.autoEligible, t.autoSuccess = pending, autoEligible, autoSuccess
	if oh := &spec.OffHours; oh.Calendar != nil && !oh.Calendar.IsOpen(r.now) {
		if oh.Response > 0 {
			t.respTarget = oh.Response
		}
		if oh.Resolution > 0 {
			t.resolTarget = oh.Resolution
		}
	}
	if pending {
		t.wait = spec.Pending.Wait.Sample(ts.lifecycle.Rand)
		t.followUp = spec.Pending.FollowUp.Sample(ts.lifecycle.Rand)
	}
	r.inSystem++
	if measured {
		r.measuredOpen++
		ts.open++
		ts.flow.Arrived++
		t.hour = uint8(r.bin)
		// A ticket the automated channel resolves never reaches people, so
		// it neither escalates nor goes pending.
		if !(autoEligible && autoSuccess) {
			if levels > 1 {
				ts.flow.Escalated++
			}
			if pending {
				ts.flow.Pending++
			}
		}
	}
	if autoEligible {
		r.toAutomation(i)
		return
	}
	r.dispatch(i, false)
}

// toAutomation starts an automated attempt, or queues for the engine.
func (r *replication) toAutomation(i int32) {
	if r.autoBusy >= r.m.Automation.Capacity {
		r.autoLine.PushBack(0, i)
		return
	}
	r.autoBusy++
	t := r.tickets.at(i)
	d := r.m.Tiers[t.trueTier].Automation.Processing.Sample(r.tiers[t.trueTier].lifecycle.Rand)
	r.events.schedule(r.now+d, evAutomation, i, 0)
}

func (r *replication) automationDone(i int32) {
	r.autoBusy--
	t := r.tickets.at(i)
	if r.m.Automation.CountsAsResponse && !t.responded {
		r.respond(t, r.now)
	}
	if t.autoSuccess {
		t.automated = true
		if t.measured && r.now < r.w1 {
			r.tiers[t.trueTier].flow.ByAutomation++
		}
		r.resolve(i)
	} else {
		r.dispatch(i, false)
	}
	if r.autoLine.Len(0) > 0 {
		r.toAutomation(r.autoLine.PopFront(0))
	}
}

// dispatch gives a ticket ready for people to a free agent skilled for its
// tier and level: on site first, in team order; then, for a tier that
// preempts, an agent at work on a lower tier, who can start at once; then
// an agent on call (after the call-out delay); failing all, it waits.
func (r *replication) dispatch(i int32, front bool) {
	t := r.tickets.at(i)
	for k := range r.teams {
		ts := &r.teams[k]
		if n := len(ts.idleSite); n > 0 && ts.skilled(t.class, t.level) {
			a := ts.idleSite[n-1]
			ts.idleSite = ts.idleSite[:n-1]
			r.start(a, i, 0)
			return
		}
	}
	if r.m.Tiers[t.class].Preempts {
		if a := r.victim(t.class, t.level); a >= 0 {
			r.interrupt(a)
			r.start(a, i, 0)
			return
		}
	}
	for k := range r.teams {
		ts := &r.teams[k]
		if n := len(ts.idleCall); n > 0 && ts.skilled(t.class, t.level) {
			a := ts.idleCall[n-1]
			ts.idleCall = ts.idleCall[:n-1]
			r.start(a, i, ts.team.OnCallDelay)
			return
		}
	}
	r.enqueue(i, front)
}

func (r *replication) enqueue(i int32, front bool) {
	t := r.tickets.at(i)
	q := int(t.class)*r.levels + int(t.level)
	if front {
		r.lines.PushFront(q, i)
	} else {
		r.lines.PushBack(q, i)
	}
	r.waiting++
	r.tiers[t.class].waiting++
}

// victim picks the agent to interrupt for a ticket of the given tier and
// level: among agents skilled for it and at work on a lower tier, the one
// with the lowest tier, the most recently started among equals; -1 if none.
func (r *replication) victim(tier, level int8) int32 {
	best := int32(-1)
	for a := range r.agents {
		ag := &r.agents[a]
		// An agent past the end of the shift only finishes the ticket in
		// hand: it takes no new one.
		if ag.ticket < 0 || ag.leaving || !r.teams[ag.team].skilled(tier, level) {
			continue
		}
		t := r.tickets.at(ag.ticket)
		if t.class <= tier || t.serviceStart > r.now {
			continue
		}
		if best < 0 {
			best = int32(a)
			continue
		}
		b := r.tickets.at(r.agents[best].ticket)
		if t.class > b.class || t.class == b.class && t.serviceStart >= b.serviceStart {
			best = int32(a)
		}
	}
	return best
}

// interrupt takes agent a's ticket away, with the work left, and hands it
// to another agent or back to the front of its queue; agent a is then free
// but not idle.
func (r *replication) interrupt(a int32) {
	ag := &r.agents[a]
	i := ag.ticket
	t := r.tickets.at(i)
	if !t.responded && t.serviceStart <= r.now {
		r.respond(t, t.serviceStart) // a paged agent had arrived and started
	}
	t.remaining -= max(r.now-t.serviceStart, 0)
	t.stamp++ // its completion event is now stale
	ag.ticket = -1
	r.teams[ag.team].busy--
	r.dispatch(i, true)
}

// start gives ticket i to agent a, who starts work after delay (a paged
// agent's call-out). The response clock stops when work starts: at once,
// or for a paged agent when the work is done or interrupted after the
// agent arrived, since the page may be handed back before then.
func (r *replication) start(a, i int32, delay time.Duration) {
	t := r.tickets.at(i)
	at := r.now + delay
	if !t.responded && delay == 0 {
		r.respond(t, at)
	}
	t.agent = a
	t.serviceStart = at
	t.stamp++
	ag := &r.agents[a]
	ag.ticket = i
	r.teams[ag.team].busy++
	r.events.schedule(at+t.remaining, evCompletion, i, t.stamp)
}

// elapsed is the clock time between a and b, counting only the calendar's
// open time when there is one.
func elapsed(c *Calendar, a, b time.Duration) time.Duration {
	if c == nil {
		return b - a
	}
	return c.Elapsed(a, b)
}

func (r *replication) respond(t *ticket, at time.Duration) {
	t.responded = true
	if t.measured {
		t.response = elapsed(r.m.Tiers[t.trueTier].ResponseCalendar, t.arrival, at)
		r.resp[t.trueTier].add(t.response, t.respTarget, t.hour)
	}
}

// complete ends a piece of work: the ticket goes pending, escalates or is
// resolved, and the agent takes the next ticket.
func (r *replication) complete(i int32) {
	t := r.tickets.at(i)
	a := t.agent
	ag := &r.agents[a]
	ag.ticket = -1
	r.teams[ag.team].busy--
	if !t.responded {
		r.respond(t, t.serviceStart) // paged: work started when the agent arrived
	}
	switch {
	case t.pendingPlanned:
		t.pendingPlanned = false
		t.pendingSince = r.now
		t.remaining = t.followUp
		r.events.schedule(r.now+t.wait, evPendingEnd, i, 0)
	case t.level+1 < t.levels:
		t.level++
		t.remaining = t.work[t.level]
		r.dispatch(i, false)
	default:
		if t.measured && r.now < r.w1 {
			r.tiers[t.trueTier].flow.ByPeople++
		}
		r.resolve(i)
	}
	r.release(a)
}

func (r *replication) pendingEnd(i int32) {
	t := r.tickets.at(i)
	t.paused += elapsed(r.m.Tiers[t.trueTier].ResolutionCalendar, t.pendingSince, r.now)
	r.dispatch(i, false)
}

func (r *replication) resolve(i int32) {
	t := r.tickets.at(i)
	if !t.responded {
		r.respond(t, r.now)
	}
	r.resolved(t)
	r.tickets.retire(i)
}

// resolved records a ticket's resolution clock and retires it.
func (r *replication) resolved(t *ticket) {
	if t.measured {
		d := elapsed(r.m.Tiers[t.trueTier].ResolutionCalendar, t.arrival, r.now) - t.paused
		r.resol[t.trueTier].add(d, t.resolTarget, t.hour)
		r.measuredOpen--
		r.tiers[t.trueTier].open--
		if r.collector != nil {
			r.record = TicketRecord{
				Tier:             int(t.trueTier),
				Arrival:          t.arrival,
				Response:         t.response,
				Resolution:       d,
				ResponseTarget:   t.respTarget,
				ResolutionTarget: t.resolTarget,
				Automated:        t.automated,
				Unresolved:       r.now >= r.end,
			}
			r.collector.Ticket(&r.record)
		}
	}
	t.alive = false
	r.inSystem--
}

// release frees agent a after a piece of work: an agent past the end of the
// shift goes home, any other takes the next ticket or waits.
func (r *replication) release(a int32) {
	ag := &r.agents[a]
	ts := &r.teams[ag.team]
	if ag.leaving {
		ag.leaving = false
		ts.leaving--
		if !ag.onBreak {
			ts.overtime += r.now - ag.leftAt
		}
		ag.status = offDuty
		ts.off = append(ts.off, a)
		return
	}
	if r.pull(a, 0) {
		return
	}
	r.idle(a)
}

func (r *replication) idle(a int32) {
	ag := &r.agents[a]
	ts := &r.teams[ag.team]
	if ag.status == onCall {
		ts.idleCall = append(ts.idleCall, a)
	} else {
		ts.idleSite = append(ts.idleSite, a)
	}
}

// pull gives agent a the waiting ticket it should take next: the highest
// tier it is skilled for, and within the tier the ticket that arrived first
// among its levels' queues. It reports whether there was one.
func (r *replication) pull(a int32, delay time.Duration) bool {
	ts := &r.teams[r.agents[a].team]
	for tier := range r.tiers {
		if r.tiers[tier].waiting == 0 {
			continue
		}
		best := -1
		for l := range r.levels {
			q := tier*r.levels + l
			if r.lines.Len(q) == 0 || !ts.skilled(int8(tier), int8(l)) {
				continue
			}
			if best < 0 || r.tickets.at(r.lines.Front(q)).arrival < r.tickets.at(r.lines.Front(best)).arrival {
				best = q
			}
		}
		if best >= 0 {
			r.waiting--
			r.tiers[tier].waiting--
			r.start(a, r.lines.PopFront(best), delay)
			return true
		}
	}
	return false
}

// roster brings a team's head count to its schedule at this instant, and
// schedules the next change.
func (r *replication) roster(k int) {
	ts := &r.teams[k]
	team := ts.team
	scheduled := team.OnSite.at(r.now)
	site := scheduled
	if team.Shrinkage > 0 {
		present := 0
		for range site {
			if ts.staffing.Float64() >= team.Shrinkage {
				present++
			}
		}
		site = present
	}
	r.adjust(ts, onSite, site, scheduled)
	call := team.OnCall.at(r.now)
	r.adjust(ts, onCall, call, call)

	next := time.Duration(math.MaxInt64)
	for ts.siteIdx < len(team.OnSite.At) && team.OnSite.At[ts.siteIdx] <= r.now {
		ts.siteIdx++
	}
	if ts.siteIdx < len(team.OnSite.At) {
		next = team.OnSite.At[ts.siteIdx]
	}
	for ts.callIdx < len(team.OnCall.At) && team.OnCall.At[ts.callIdx] <= r.now {
		ts.callIdx++
	}
	if ts.callIdx < len(team.OnCall.At) {
		next = min(next, team.OnCall.At[ts.callIdx])
	}
	if team.Shrinkage > 0 {
		next = min(next, (r.now/shrinkageTick+1)*shrinkageTick)
	}
	if next <= r.end {
		r.events.schedule(next, evRoster, int32(k), 0)
	}
}

// shrinkageTick is how often agents' presence is redrawn under shrinkage.
const shrinkageTick = 30 * time.Minute

// adjust brings the team's agents of one status to want: agents come on
// duty and take waiting work, or go off duty, idle ones first; a busy agent
// hands the ticket back or finishes it first, as the team's policy says.
func (r *replication) adjust(ts *teamState, status agentStatus, want, scheduled int) {
	n := &ts.site
	idle := &ts.idleSite
	var delay time.Duration
	if status == onCall {
		n, idle, delay = &ts.call, &ts.idleCall, ts.team.OnCallDelay
	}
	// Agents still finishing a ticket after their shift come back first.
	// Once none of the status is left, none turn up in this loop: looking
	// no further keeps rostering thousands of agents linear.
	leaving := ts.leaving > 0
	for *n < want {
		a := int32(-1)
		if leaving {
			a = r.leavingAgent(ts, status)
			leaving = a >= 0
		}
		if a >= 0 {
			ag := &r.agents[a]
			ag.leaving = false
			ts.leaving--
			if !ag.onBreak {
				ts.overtime += r.now - ag.leftAt
			}
		} else if k := len(ts.off); k > 0 {
			a := ts.off[k-1]
			ts.off = ts.off[:k-1]
			r.agents[a].status = status
			if !r.pull(a, delay) {
				*idle = append(*idle, a)
			}
		} else {
			return
		}
		*n++
	}
	for *n > want {
		// The first departures below the schedule end shifts; the rest,
		// down to want, are breaks under shrinkage.
		shiftEnd := *n > scheduled
		if k := len(*idle); k > 0 {
			a := (*idle)[k-1]
			*idle = (*idle)[:k-1]
			r.agents[a].status = offDuty
			ts.off = append(ts.off, a)
		} else {
			a := r.busyAgent(ts, status)
			if a < 0 {
				return // cannot happen: the count includes a busy agent
			}
			ag := &r.agents[a]
			if ts.team.HandBack && shiftEnd {
				r.interrupt(a)
				ag.status = offDuty
				ts.off = append(ts.off, a)
			} else {
				ag.leaving = true
				ag.leftAt = r.now
				ag.onBreak = !shiftEnd
				ts.leaving++
			}
		}
		*n--
	}
}

// leavingAgent is an agent of the team with the status finishing a ticket
// after the shift, or -1.
func (r *replication) leavingAgent(ts *teamState, status agentStatus) int32 {
	for _, a := range ts.agents {
		if ag := &r.agents[a]; ag.leaving && ag.status == status {
			return a
		}
	}
	return -1
}

// busyAgent is the team's agent of the status, at work and not leaving,
// that started its ticket last: the one whose interruption wastes least.
func (r *replication) busyAgent(ts *teamState, status agentStatus) int32 {
	best := int32(-1)
	for _, a := range ts.agents {
		ag := &r.agents[a]
		if ag.status != status || ag.leaving || ag.ticket < 0 {
			continue
		}
		if best < 0 || r.tickets.at(ag.ticket).serviceStart >= r.tickets.at(r.agents[best].ticket).serviceStart {
			best = a
		}
	}
	return best
}

func (r *replication) fold(s *Summary) {
	window := float64(r.w1 - r.w0)
	s.Replications++
	var busy, avail float64
	for i := range r.teams {
		ts := &r.teams[i]
		st := &s.Teams[i]
		var b, a int64
		for h := range HoursPerWeek {
			b += ts.busyNs[h]
			a += ts.availNs[h]
			st.BusyMs[h] += ts.busyNs[h] / int64(time.Millisecond)
			st.AvailableMs[h] += ts.availNs[h] / int64(time.Millisecond)
		}
		if a > 0 {
			st.Utilisation.Add(float64(b) / float64(a))
		}
		st.OvertimeHours.Add(ts.overtime.Hours())
		busy += float64(b)
		avail += float64(a)
	}
	if avail > 0 {
		s.Utilisation.Add(busy / avail)
	}
	s.InSystem.Add(r.sysArea / window)
	s.Waiting.Add(r.waitArea / window)
	for h, v := range r.windowNs {
		s.WindowMs[h] += v / int64(time.Millisecond)
	}
	var n int64
	for i := range r.tiers {
		ts := &s.Tiers[i]
		rt := &r.tiers[i]
		ts.Tickets.Add(float64(r.resol[i].n))
		n += r.resol[i].n
		r.resp[i].fold(&ts.Response)
		r.resol[i].fold(&ts.Resolution)
		ts.Flow.merge(&rt.flow)
		for h, v := range rt.waitingNs {
			ts.WaitingMs[h] += v / int64(time.Millisecond)
		}
	}
	s.ArrivalRate.Add(float64(n) / r.m.Horizon.Hours())
}
