package sim

import "time"

// measure keeps a replication's statistics: the SLA clocks of each
// measured ticket, the ticket flow by tier, and the time integrals over the
// measured window by hour of the week (tickets in the system and waiting,
// agent time busy and available), which it folds into the Summary when the
// replication ends. It hands each measured ticket, once both clocks have
// stopped, to the collector if there is one: the only observer, called off
// the hot path.
type measure struct {
	m        *Model
	w0, w1   time.Duration // the measured window
	drainEnd time.Duration

	inSystem     int  // tickets in the system, measured or not
	measuredOpen int  // measured tickets not yet resolved
	pastW1       bool // the measured window has ended
	// stopped: the simulation has stopped, and closeUnresolved cuts off
	// the clocks still running. A flag, not the time (at the drain's end):
	// a shift starting at that very instant answers tickets in time.
	stopped bool

	// The time integrals change only when a count does, by the change
	// times what is left of the window after the current event (the
	// people's meter's rest), and are credited with the counts when the
	// window opens; by hour of the week, the pools' meters do the same
	// within each hour. bin is the hour of the week in progress, which
	// ends at binEnd.
	binEnd       time.Duration
	bin          int
	inWindow     bool          // the measured window has opened
	closed       bool          // and has closed, its last hour credited
	hourEnd      time.Duration // min(binEnd, w1) in the window, else 0: advance's shortcut
	sysArea      integral      // tickets in the system
	windowNs     HourOfWeek
	people, auto poolMeter
	pool         *pool // people's, whose counts people integrates
	tiers        []tierMeasure
	dates        *dateMeasure // nil without Model.Dates

	clocks    journeyClocks // the named clocks running
	collector Collector
	updates   UpdateCollector // the collector, when it collects updates
	update    UpdateRecord
	record    TicketRecord
	// trace, when on, records each measured ticket's path (trace.go).
	trace tracer
	// observed is set when there is a collector or a trace: each
	// measured ticket's record is made.
	observed bool
	// series, when set, records the replication hour by hour, for finding
	// where its start-up transient ends (warmup.go).
	series *series
}

// tierMeasure is one tier's statistics over a replication.
type tierMeasure struct {
	spec        *Tier
	resp, resol repMetric
	clocks      []repMetric // the tier's named clocks
	flow        Flow
	open        int64 // measured tickets of the tier not yet resolved
	// Measured tickets that left unanswered, however late.
	abandoned, blocked int64
}

// poolMeter integrates a pool's counts over the measured window, at no
// cost per event: a count changing by delta at an event adds delta times
// what is left of the event's hour in the window (left) to the hour's
// integral, and delta times what is left of the window (rest) to the
// whole window's, both kept up to date by measure.advance; each hour is
// credited, as it begins, with the counts times its time in the window.
// Being integers, the sums are those of count × duration between events,
// exactly.
type poolMeter struct {
	bin             int
	left, rest      time.Duration
	busyNs, availNs []hours  // by team: slots in use, servers on duty
	overNs          []hours  // by team: servers on duty past their shift's end
	waitingNs       []hours  // by class: tickets in the lines
	waiting         integral // tickets in the lines, over the window
	// By team, over the window: slots in use by agents on call, and the
	// times an agent on call was paged from idle (a call-out).
	callBusy []integral
	callOuts []int64
	// engaged integrates, by team, the servers of several slots with a
	// slot in use.
	engaged []integral
}

// callOut counts a page of an idle agent on call of team k, when it falls
// in the measured window.
func (pm *poolMeter) callOut(k int) {
	if pm.rest > 0 {
		pm.callOuts[k]++
	}
}

// add counts a change of delta (a few units) in the count of acc.
func (pm *poolMeter) add(acc *hours, delta int) { acc[pm.bin].plus(time.Duration(delta) * pm.left) }

func (pm *poolMeter) reset() {
	pm.bin, pm.left, pm.rest = 0, 0, 0
	clear(pm.busyNs)
	clear(pm.availNs)
	clear(pm.overNs)
	clear(pm.waitingNs)
	clear(pm.callBusy)
	clear(pm.callOuts)
	clear(pm.engaged)
	pm.waiting = integral{}
}

func newMeasure(m *Model, w0, w1, drainEnd time.Duration) measure {
	ms := measure{
		m: m, w0: w0, w1: w1, drainEnd: drainEnd,
		tiers:  make([]tierMeasure, len(m.Tiers)),
		dates:  newDateMeasure(m),
		clocks: newJourneyClocks(m),
	}
	for i := range ms.tiers {
		ms.tiers[i].spec = &m.Tiers[i]
		ms.tiers[i].clocks = make([]repMetric, len(m.Tiers[i].Clocks), len(m.Tiers[i].Clocks)+1)
		if m.Tiers[i].Updates.Every > 0 {
			ms.tiers[i].clocks = append(ms.tiers[i].clocks, repMetric{})
		}
	}
	return ms
}

// reset empties the statistics; the histograms keep their storage.
func (ms *measure) reset() {
	ms.inSystem, ms.measuredOpen = 0, 0
	ms.pastW1, ms.inWindow, ms.closed, ms.stopped = false, false, false, false
	ms.hourEnd = 0
	ms.sysArea = integral{}
	ms.windowNs = HourOfWeek{}
	offset := ms.m.WeekOffset
	ms.bin = int((offset/time.Hour)%HoursPerWeek+HoursPerWeek) % HoursPerWeek
	ms.binEnd = ms.w0 + time.Hour - (offset%time.Hour+time.Hour)%time.Hour
	for i := range ms.tiers {
		ts := &ms.tiers[i]
		ts.open, ts.flow = 0, Flow{}
		ts.abandoned, ts.blocked = 0, 0
	}
	ms.clocks.reset()
	if ms.dates != nil {
		ms.dates.reset()
	}
	ms.people.reset()
	ms.auto.reset()
}

// begin and end frame a replication for the collector.
func (ms *measure) begin(seed uint64, rep int) {
	ms.observed = ms.collector != nil || ms.trace.on
	if ms.collector != nil {
		ms.updates, _ = ms.collector.(UpdateCollector)
		ms.collector.Begin(seed, rep)
	}
}

func (ms *measure) end() {
	if ms.collector != nil {
		ms.collector.End()
	}
}

// advance moves the time integrals to t, the time of the next event: it
// credits the window as it opens and each hour of the week as it begins,
// and sets what is left of the hour and of the window after t, for the
// changes the event makes to the counts (of people's pool, and of the
// tickets in the system). Most events fall in the hour in progress, which
// needs nothing more. Its cost is at the inliner's budget (80): the event
// loop gets the common case inlined, the rest calls move.
func (ms *measure) advance(t time.Duration) {
	if t < ms.hourEnd {
		ms.people.left, ms.people.rest = ms.hourEnd-t, ms.w1-t
	} else {
		ms.move(t)
	}
}

// within is advance for t before hourEnd, which the caller knows.
func (ms *measure) within(t time.Duration) {
	ms.people.left, ms.people.rest = ms.hourEnd-t, ms.w1-t
}

// move is advance in every other case.
func (ms *measure) move(t time.Duration) {
	p := ms.pool
	if ms.series != nil {
		ms.series.advance(t, ms.inSystem, p.waiting, p.classWaiting)
	}
	if ms.closed {
		return
	}
	if !ms.inWindow && t >= ms.w0 {
		ms.inWindow = true
		// What the warm-up's events added is forgotten (see below).
		ms.sysArea = integral{}
		p.meter.reset()
		window := ms.w1 - ms.w0
		ms.sysArea.add(int64(ms.inSystem), window)
		p.meter.waiting.add(int64(p.waiting), window)
		for k := range p.teams {
			p.meter.callBusy[k].add(int64(p.teams[k].callBusy), window)
			p.meter.engaged[k].add(int64(p.teams[k].engaged), window)
		}
		ms.openHour(ms.w0, p)
	}
	for ms.binEnd <= min(t, ms.w1) {
		ms.bin++
		if ms.bin == HoursPerWeek {
			ms.bin = 0
		}
		ms.binEnd += time.Hour
		ms.openHour(ms.binEnd-time.Hour, p)
	}
	m := p.meter
	m.bin, m.left, m.rest = ms.bin, 0, 0
	switch {
	case t >= ms.w1:
		ms.closed = true
		ms.hourEnd = 0
	case t >= ms.w0:
		end := min(ms.binEnd, ms.w1)
		m.left, m.rest = end-t, ms.w1-t
		if ms.series == nil { // a series sees every event
			ms.hourEnd = end
		}
	case ms.series == nil:
		// Before the window, the event loop need not come here until it
		// opens: within gives the meter what is left of a window that
		// has not begun, so that the warm-up's events add to its sums
		// and to the tickets in the system's, which the window's opening
		// clears. Exact, being integers; a warm-up event costs the loop
		// one comparison, as one in the window does.
		ms.hourEnd = ms.w0
		m.left, m.rest = ms.w0-t, ms.w1-t
	}
}

// openHour credits the hour of the week beginning at from (or the measured
// window's part of it, from its opening) with its time in the window.
func (ms *measure) openHour(from time.Duration, p *pool) {
	if from >= ms.w1 {
		return
	}
	length := min(ms.binEnd, ms.w1) - from
	ms.windowNs[ms.bin] += int64(length)
	p.meter.bin = ms.bin
	p.credit(ms.bin, length)
}

// horizonReached counts, per tier, the measured tickets still open when the
// measured window ends.
func (ms *measure) horizonReached() {
	ms.pastW1 = true
	for i := range ms.tiers {
		ms.tiers[i].flow.OpenAtHorizon = ms.tiers[i].open
	}
}

// deflected counts an issue of the tier that self-service resolved at now.
func (ms *measure) deflected(tier int, now time.Duration) {
	if now >= ms.w0 {
		ms.tiers[tier].flow.Deflected++
	}
}

// opened starts the clocks of ticket t, of the given tier, arriving now:
// its targets (off-hours ones if it arrives while their calendar is
// closed), and whether it is measured; it counts the ticket in the flow.
func (ms *measure) opened(t *ticket, i int32, tier int, now time.Duration, misclassified bool) {
	ts := &ms.tiers[tier]
	spec := ts.spec
	measured := now >= ms.w0
	t.arrival = now
	t.paused, t.response = 0, 0
	t.respTarget, t.resolTarget = spec.Response, spec.Resolution
	t.measured, t.responded, t.automated = measured, false, false
	if oh := &spec.OffHours; oh.Calendar != nil && !oh.Calendar.IsOpen(now) {
		if oh.Response > 0 {
			t.respTarget = oh.Response
		}
		if oh.Resolution > 0 {
			t.resolTarget = oh.Resolution
		}
	}
	ms.inSystem++
	ms.sysArea.plus(ms.people.rest)
	if !measured {
		return
	}
	ms.measuredOpen++
	ts.open++
	ts.flow.Arrived++
	t.hour = uint8(ms.bin)
	if ms.dates != nil {
		t.day = ms.dates.dayOf(now)
	}
	if misclassified {
		ts.flow.Misclassified++
	}
	// A ticket the automated channel resolves never reaches people, so it
	// neither escalates nor goes pending.
	if !(t.autoEligible && t.autoSuccess) {
		if t.last > 0 {
			ts.flow.Escalated++
		}
		if t.pendingPlanned {
			ts.flow.Pending++
		}
		if ms.clocks.per > 0 {
			ms.mark(t, i, Mark{Stage: Arrival}, now)
		}
	}
}

// elapsed is the clock time between a and b, counting only the calendar's
// open time when there is one.
func elapsed(c *Calendar, a, b time.Duration) time.Duration {
	if c == nil {
		return b - a
	}
	return c.Elapsed(a, b)
}

// respond stops ticket t's response clock at at.
func (ms *measure) respond(t *ticket, at time.Duration) {
	t.responded = true
	if t.measured {
		tm := &ms.tiers[t.trueTier]
		t.response = elapsed(tm.spec.ResponseCalendar, t.arrival, at)
		censored := ms.stopped
		switch {
		case censored:
			tm.resp.censor(t.response, t.respTarget, t.hour)
		case t.response == 0:
			// Answered as it arrived, as most are on a desk with room:
			// a few increments, not add's histogram and sums.
			tm.resp.addZero(t.hour)
		default:
			tm.resp.add(t.response, t.respTarget, t.hour)
		}
		if ms.dates != nil {
			ms.dates.count(t.trueTier, 0, t.day, !censored && t.response <= t.respTarget)
		}
		if ms.series != nil {
			ms.series.wait(t.class, t.arrival, at-t.arrival)
		}
	}
}

// resolvedBy counts a measured ticket resolved within the window by
// automation or by people.
func (ms *measure) resolvedBy(t *ticket, now time.Duration, automated bool) {
	if !t.measured || now >= ms.w1 {
		return
	}
	if automated {
		ms.tiers[t.trueTier].flow.ByAutomation++
	} else {
		ms.tiers[t.trueTier].flow.ByPeople++
	}
}

// resolved stops ticket i's resolution clock at now, records it, and
// takes the ticket, t, out of the system. At the drain's end
// (closeUnresolved) it stops a response clock still running too.
func (ms *measure) resolved(i int32, t *ticket, now time.Duration) {
	if t.measured {
		tm := &ms.tiers[t.trueTier]
		d := elapsed(tm.spec.ResolutionCalendar, t.arrival, now) - t.paused
		censored := ms.stopped
		unanswered := censored && !t.responded
		if unanswered {
			ms.respond(t, now)
		}
		if censored {
			tm.resol.censor(d, t.resolTarget, t.hour)
		} else {
			tm.resol.add(d, t.resolTarget, t.hour)
		}
		if ms.dates != nil {
			ms.dates.count(t.trueTier, 1, t.day, !censored && d <= t.resolTarget)
		}
		ms.measuredOpen--
		tm.open--
		if ms.observed {
			ms.record = TicketRecord{
				Tier:             int(t.trueTier),
				Arrival:          t.arrival,
				Response:         t.response,
				Resolution:       d,
				ResponseTarget:   t.respTarget,
				ResolutionTarget: t.resolTarget,
				Aged:             t.aged,
				Automated:        t.automated,
				Unresolved:       censored,
				ResponseCensored: unanswered,
				Clocks:           ms.record.Clocks[:0],
			}
			ms.recorded(t, i)
			ms.observe(i, t, now)
		}
	}
	ms.exit(t)
}

// observe hands the record of ticket i, t, leaving at now, to the
// collector and the trace, whichever there are.
func (ms *measure) observe(i int32, t *ticket, now time.Duration) {
	if ms.collector != nil {
		ms.collector.Ticket(&ms.record)
	}
	if ms.trace.on {
		ms.trace.record(i, t, &ms.record, now, ms.pool)
	}
}

// exit takes ticket t out of the system.
func (ms *measure) exit(t *ticket) {
	t.alive = false
	ms.inSystem--
	ms.sysArea.plus(-ms.people.rest)
}

// fate is how a ticket left unanswered.
type fate uint8

const (
	abandoned fate = iota + 1 // its customer gave up waiting
	blocked                   // a full line turned it away
)

// left takes ticket i, t, out of the system at now, unanswered and not
// resolved: the response clock counts it missed, with no time (unless an
// automated reply had stopped it), and the resolution clock leaves it out.
func (ms *measure) left(i int32, t *ticket, now time.Duration, why fate) {
	if t.measured {
		tm := &ms.tiers[t.trueTier]
		if ms.clocks.per > 0 {
			ms.unstopped(t, i, now, false)
		}
		if !t.responded {
			tm.resp.lose(t.hour)
		}
		if why == abandoned {
			tm.abandoned++
		} else {
			tm.blocked++
		}
		if now < ms.w1 {
			if why == abandoned {
				tm.flow.Abandoned++
			} else {
				tm.flow.Blocked++
			}
		}
		ms.measuredOpen--
		tm.open--
		if ms.observed {
			response := t.response
			if !t.responded {
				response = elapsed(tm.spec.ResponseCalendar, t.arrival, now)
			}
			ms.record = TicketRecord{
				Tier:             int(t.trueTier),
				Arrival:          t.arrival,
				Response:         response,
				Resolution:       elapsed(tm.spec.ResolutionCalendar, t.arrival, now) - t.paused,
				ResponseTarget:   t.respTarget,
				ResolutionTarget: t.resolTarget,
				Aged:             t.aged,
				Unanswered:       !t.responded,
				Abandoned:        why == abandoned,
				Blocked:          why == blocked,
				Clocks:           ms.record.Clocks[:0],
			}
			ms.recorded(t, i)
			ms.observe(i, t, now)
		}
	}
	ms.exit(t)
}

// aged counts a measured ticket moved up by priority aging.
func (ms *measure) aged(t *ticket) {
	if t.measured {
		ms.tiers[t.trueTier].flow.Aged++
	}
}

// closeUnresolved stops the clocks of measured tickets still open when the
// drain ends: they count as breached, with the time they had waited so far.
func (ms *measure) closeUnresolved(tickets *ticketStore) {
	ms.stopped = true
	for i := range tickets.all {
		t := &tickets.all[i]
		if !t.alive || !t.measured {
			continue
		}
		tm := &ms.tiers[t.trueTier]
		tm.flow.Unresolved++
		if ms.clocks.per > 0 {
			ms.unstopped(t, int32(i), ms.drainEnd, true)
		}
		ms.resolved(int32(i), t, ms.drainEnd)
	}
	ms.closeDuties(tickets)
}

// fold adds the replication's statistics to s.
func (ms *measure) fold(s *Summary) {
	window := int64(ms.w1 - ms.w0)
	s.Replications++
	var busy, avail integral
	m := &ms.people
	for i := range s.Teams {
		st := &s.Teams[i]
		slots := int64(st.Concurrency)
		var b, agents, a, over integral
		for h := range HoursPerWeek {
			b.merge(m.busyNs[i][h])
			agents.merge(m.availNs[i][h])
			over.merge(m.overNs[i][h])
			st.BusyMs.add(h, milliseconds(m.busyNs[i][h]))
			st.AvailableMs.add(h, milliseconds(m.availNs[i][h]))
			st.OvertimeMs.add(h, milliseconds(m.overNs[i][h]))
		}
		for range slots { // the slots available, exactly
			a.merge(agents)
		}
		if a.positive() {
			st.Utilisation.Add(b.over(a))
			if st.AgentUtilisation != nil {
				st.AgentUtilisation.Add(m.engaged[i].over(agents))
			}
		}
		st.OvertimeHours.Add(over.per(int64(time.Hour)))
		st.OnCallWorkHours.Add(m.callBusy[i].per(int64(time.Hour)))
		st.CallOuts.Add(float64(m.callOuts[i]))
		busy.merge(b)
		avail.merge(a)
	}
	if avail.positive() {
		s.Utilisation.Add(busy.over(avail))
	}
	s.InSystem.Add(ms.sysArea.per(window))
	s.Waiting.Add(ms.people.waiting.per(window))
	for h, v := range ms.windowNs {
		s.WindowMs.add(h, v/int64(time.Millisecond))
	}
	ms.foldOverall(&s.Overall)
	var n int64
	for i := range ms.tiers {
		st := &s.Tiers[i]
		tm := &ms.tiers[i]
		// Every measured ticket stops the response clock or leaves
		// unanswered: the response clock counts them all.
		st.Tickets.Add(float64(tm.resp.n))
		n += tm.resp.n
		st.Abandoned.add(tm.abandoned, tm.resp.n)
		st.Blocked.add(tm.blocked, tm.resp.n)
		tm.resp.fold(&st.Response)
		tm.resol.fold(&st.Resolution)
		for c := range tm.clocks {
			tm.clocks[c].fold(&st.Clocks[c].MetricStats)
		}
		st.Flow.merge(&tm.flow)
		for h, v := range m.waitingNs[i] {
			st.WaitingMs.add(h, milliseconds(v))
		}
	}
	s.ArrivalRate.Add(float64(n) / ms.m.Horizon.Hours())
	if ms.dates != nil {
		ms.dates.fold(s.Dates)
	}
}

// repMetric accumulates one clock over one replication: n tickets, met of
// them within the target, and (the response clock only) unanswered of
// them that left before an answer, which have no time.
type repMetric struct {
	n, met, unanswered int64
	censored           int64 // clocks still running when the drain ended
	// atOnce counts the times of 0 that addZero counted, which go in the
	// histogram's first bucket when the replication is folded.
	atOnce         int64
	sum, late      integral
	times          Histogram
	hourN, hourMet HourOfWeek
}

func (r *repMetric) add(d, target time.Duration, hour uint8) {
	r.n++
	r.hourN[hour]++
	r.sum.plus(d)
	if d <= target {
		r.met++
		r.hourMet[hour]++
	} else {
		r.late.plus(d - target)
	}
	r.times.count(bucket(d))
}

// censor counts a clock still running as the drain ended, d so far:
// breached, as the contract judges it, even when d is within the target
// (a target longer than the drain); d, a lower bound, counts in the mean
// and the lateness as add counts it.
func (r *repMetric) censor(d, target time.Duration, hour uint8) {
	r.n++
	r.censored++
	r.hourN[hour]++
	r.sum.plus(d)
	r.late.plus(max(d-target, 0))
	r.times.count(bucket(d))
}

// addZero is add(0, target, hour), 0 being within any target: a ticket
// answered the instant it arrives, the commonest response of a desk with
// room, costs a few increments.
func (r *repMetric) addZero(hour uint8) {
	r.n++
	r.met++
	r.atOnce++
	r.hourN[hour]++
	r.hourMet[hour]++
}

// lose counts a ticket that left before the clock stopped: missed.
func (r *repMetric) lose(hour uint8) {
	r.n++
	r.unanswered++
	r.hourN[hour]++
}

// fold adds the replication's clock statistics to into and empties r,
// keeping its histogram's storage.
func (r *repMetric) fold(into *MetricStats) {
	into.Tickets += r.n
	into.Met += r.met
	into.Censored += r.censored
	into.Unanswered += r.unanswered
	if r.n > 0 {
		into.Attainment.Add(float64(r.met) / float64(r.n))
	}
	into.Pooled.Add(float64(r.met), float64(r.n))
	answered := r.n - r.unanswered
	into.PooledHours.Add(r.sum.per(int64(time.Hour)), float64(answered))
	if into.PooledAnswered != nil {
		into.PooledAnswered.Add(float64(r.met), float64(answered))
	}
	if answered > 0 {
		into.MeanHours.Add(r.sum.per(answered, int64(time.Hour)))
		if into.AnsweredAttainment != nil {
			into.AnsweredAttainment.Add(float64(r.met) / float64(answered))
		}
	}
	into.LateHours.Add(r.late.per(int64(time.Hour)))
	into.Times.drain(&r.times)
	into.Times.addZeros(uint64(r.atOnce))
	into.ByHour.Tickets.merge(&r.hourN)
	into.ByHour.Met.merge(&r.hourMet)
	*r = repMetric{times: r.times}
}
