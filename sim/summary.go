package sim

import (
	"fmt"
	"time"
)

// Summary is the mergeable statistics of a set of replications. Merging two
// summaries of disjoint replication sets gives, bit for bit, the summary of
// their union, whatever the order.
type Summary struct {
	Replications int64       `json:"replications"`
	Tiers        []TierStats `json:"tiers"`
	// Per replication, over the measured window: the share of agent time
	// spent working, and the time-average numbers of tickets in the system
	// and waiting.
	Utilisation Tally `json:"utilisation"`
	InSystem    Tally `json:"in_system"`
	Waiting     Tally `json:"waiting"`
	// ArrivalRate is measured tickets per hour of the measured window.
	ArrivalRate Tally       `json:"arrival_rate"`
	Teams       []TeamStats `json:"teams"`
	// WindowMs is the measured time in each hour of the week, pooled over
	// replications (hour 0 starts Monday 00:00): the denominator of the
	// by-hour averages.
	WindowMs HourOfWeek `json:"window_ms"`
	// Dates are the tiers' clocks by date and period, when the model has
	// Dates; nil otherwise.
	Dates *DateStats `json:"dates,omitempty"`
	// Services are the availability of the model's services.
	Services []ServiceStats `json:"services,omitempty"`
	// Overall are the clocks of every tier's tickets together.
	Overall OverallStats `json:"overall"`
}

// HoursPerWeek is the number of bins of statistics by hour of the week.
const HoursPerWeek = 168

// HourOfWeek holds a pooled integer count or integral per hour of the week;
// integers keep merging exact. A replication's integrals are summed exactly
// in 128 bits and added here in milliseconds: 3.7·10^14 agent-ms per hour
// of the week for 100,000 agents over twenty years, so that some 24,000
// such replications pool within 64 bits (7.5·10^15 ticket-ms for the
// 2,000,000 tickets a replication may hold waiting for twenty years: 1,200
// replications); Summary.Merge refuses to pass the range (see fits).
type HourOfWeek [HoursPerWeek]int64

func (h *HourOfWeek) merge(o *HourOfWeek) {
	for i, v := range o {
		h[i] += v
	}
}

// add adds v to hour i of a replication's summary; a sum that passed the
// int64 range stays below 0, for Summary.Merge to refuse it.
func (h *HourOfWeek) add(i int, v int64) {
	if h[i] >= 0 {
		h[i] += v
	}
}

// fits reports whether o adds to h within int64: the values are never
// negative, so a sum that passed the range shows as one below 0 (a fold
// into a replication's summary may have left one in either).
func (h *HourOfWeek) fits(o *HourOfWeek) bool {
	for i, v := range o {
		if v < 0 || h[i] < 0 || h[i]+v < 0 {
			return false
		}
	}
	return true
}

// byHourFits reports whether the agent and ticket time by hour of the
// week of o add to s's within int64.
func (s *Summary) byHourFits(o *Summary) bool {
	ok := s.WindowMs.fits(&o.WindowMs)
	for i := range s.Tiers {
		ok = ok && s.Tiers[i].WaitingMs.fits(&o.Tiers[i].WaitingMs)
	}
	for i := range s.Teams {
		a, b := &s.Teams[i], &o.Teams[i]
		ok = ok && a.BusyMs.fits(&b.BusyMs) && a.AvailableMs.fits(&b.AvailableMs) && a.OvertimeMs.fits(&b.OvertimeMs)
	}
	return ok
}

// TeamStats is one team's statistics.
type TeamStats struct {
	Name string `json:"name"`
	// Concurrency is how many tickets an agent holds at once.
	Concurrency int `json:"concurrency"`
	// Utilisation is each replication's busy share of the agent time
	// available (on site, on call, or finishing a ticket after the shift),
	// slot by slot: for agents of several slots, the slots in use over
	// the slots available.
	Utilisation Tally `json:"utilisation"`
	// AgentUtilisation is, for agents of several slots, each replication's
	// share of the agent time available in which an agent held at least
	// one ticket; nil for agents of one slot (it is Utilisation).
	AgentUtilisation *Tally `json:"agent_utilisation,omitempty"`
	// OvertimeHours is each replication's agent-hours worked past the end
	// of shifts.
	OvertimeHours Tally `json:"overtime_hours"`
	// OnCallWorkHours is each replication's agent-hours of work by agents
	// on call, from the page to the end of the work (the on-call delay
	// included); CallOuts, its number of pages to an idle agent on call.
	// Both over the measured window.
	OnCallWorkHours Tally `json:"on_call_work_hours"`
	CallOuts        Tally `json:"call_outs"`
	// BusyMs are slot-milliseconds in use, AvailableMs agent-milliseconds
	// available (each agent brings Concurrency slots), by hour of the
	// week; OvertimeMs is the part of AvailableMs worked past a shift's
	// end.
	BusyMs      HourOfWeek `json:"busy_ms"`
	AvailableMs HourOfWeek `json:"available_ms"`
	OvertimeMs  HourOfWeek `json:"overtime_ms"`
}

// Flow counts what became of the tickets arriving in the measured window,
// pooled over replications: Arrived = ByAutomation + ByPeople + Abandoned
// + Blocked + OpenAtHorizon, where the first four count tickets resolved,
// or gone unanswered, before the window ended.
type Flow struct {
	Arrived       int64 `json:"arrived"`
	ByAutomation  int64 `json:"by_automation"`
	ByPeople      int64 `json:"by_people"`
	Abandoned     int64 `json:"abandoned,omitempty"`
	Blocked       int64 `json:"blocked,omitempty"`
	OpenAtHorizon int64 `json:"open_at_horizon"`
	// Deflected issues were resolved by self-service and never became
	// tickets; they are not in Arrived.
	Deflected int64 `json:"deflected"`
	// Tickets that were escalated at least once, went pending, or entered
	// at a wrong tier.
	Escalated     int64 `json:"escalated"`
	Pending       int64 `json:"pending"`
	Misclassified int64 `json:"misclassified"`
	// Aged tickets moved up to a higher priority while waiting.
	Aged int64 `json:"aged,omitempty"`
	// Unresolved tickets were still open when the drain after the horizon
	// ended; their clocks stopped there and count as breached.
	Unresolved int64 `json:"unresolved"`
}

func (f *Flow) merge(o *Flow) {
	f.Arrived += o.Arrived
	f.ByAutomation += o.ByAutomation
	f.ByPeople += o.ByPeople
	f.Abandoned += o.Abandoned
	f.Blocked += o.Blocked
	f.OpenAtHorizon += o.OpenAtHorizon
	f.Deflected += o.Deflected
	f.Escalated += o.Escalated
	f.Pending += o.Pending
	f.Misclassified += o.Misclassified
	f.Aged += o.Aged
	f.Unresolved += o.Unresolved
}

// TierStats is one tier's statistics.
type TierStats struct {
	Name string `json:"name"`
	// Tickets is the number of measured tickets per replication.
	Tickets    Tally       `json:"tickets"`
	Response   MetricStats `json:"response"`
	Resolution MetricStats `json:"resolution"`
	// Clocks are the tier's named clocks (Tier.Clocks), in order.
	Clocks []ClockStats `json:"clocks,omitempty"`
	Flow   Flow         `json:"flow"`
	// Abandoned and Blocked count the measured tickets whose customer gave
	// up waiting, and those a full line turned away, however late (the
	// drain included); nil when the tier's tickets cannot leave so.
	Abandoned *Outcome `json:"abandoned,omitempty"`
	Blocked   *Outcome `json:"blocked,omitempty"`
	// WaitingMs is the number of this tier's tickets waiting for an agent,
	// integrated over time (ticket-milliseconds), by hour of the week.
	WaitingMs HourOfWeek `json:"waiting_ms"`
}

// MetricStats is one SLA clock's statistics for one tier.
type MetricStats struct {
	Target time.Duration `json:"target_ns"`
	// Tickets and Met count measured tickets and those within the target,
	// pooled over all replications. The response clock counts every
	// measured ticket: Unanswered of them left before an answer
	// (abandoned or blocked), with no clock time, and count as missed.
	// The resolution clock counts the tickets that did not leave so: they
	// are never resolved.
	Tickets    int64 `json:"tickets"`
	Met        int64 `json:"met"`
	Unanswered int64 `json:"unanswered,omitempty"`
	// Censored counts the tickets among them whose clock was still running
	// when the drain after the horizon ended (or the events ran out): they
	// count as breached, and their time, to the drain's end, is a lower
	// bound of what it would have been.
	Censored int64 `json:"censored"`
	// Attainment is each replication's share of tickets within the target;
	// replications without tickets of the tier are left out.
	Attainment Tally `json:"attainment"`
	// AnsweredAttainment is, for the response clock of a tier whose
	// tickets may leave unanswered, each replication's share of its
	// answered tickets answered within the target; nil otherwise.
	AnsweredAttainment *Tally `json:"answered_attainment,omitempty"`
	// PooledAnswered is, per replication and alongside it, the tickets
	// within the target and the answered tickets: the pooled share of
	// answered tickets answered in time, Erlang A's service level of the
	// answered calls.
	PooledAnswered *Ratio `json:"pooled_answered,omitempty"`
	// MeanHours is each replication's mean clock time in hours, over the
	// tickets with a time.
	MeanHours Tally `json:"mean_hours"`
	// Pooled is, per replication (with tickets or not), the tickets
	// within the target and the tickets: the pooled share Met/Tickets and
	// its interval. PooledHours is the clock time in hours summed over
	// the tickets with a time, and their number: the mean over all
	// tickets.
	Pooled      Ratio `json:"pooled"`
	PooledHours Ratio `json:"pooled_hours"`
	// LateHours sums, over breached tickets with a time, the time beyond
	// the target.
	LateHours ExactSum `json:"late_hours"`
	// Times is the pooled distribution of clock times.
	Times Histogram `json:"times"`
	// ByHour counts tickets and those within the target by the hour of the
	// week they arrived in.
	ByHour struct {
		Tickets HourOfWeek `json:"tickets"`
		Met     HourOfWeek `json:"met"`
	} `json:"by_hour"`
}

// metrics are the tier's clocks: response, resolution, then the named
// ones.
func (t *TierStats) metrics() []*MetricStats {
	ms := []*MetricStats{&t.Response, &t.Resolution}
	for c := range t.Clocks {
		ms = append(ms, &t.Clocks[c].MetricStats)
	}
	return ms
}

// ClockStats is a named clock's statistics for one tier: the tickets
// whose journey reaches both its marks.
type ClockStats struct {
	Name string `json:"name"`
	MetricStats
}

// Outcome counts the measured tickets of a tier that ended one way: pooled
// over replications, and each replication's share of its measured tickets
// (replications without tickets of the tier are left out).
type Outcome struct {
	Tickets int64 `json:"tickets"`
	Share   Tally `json:"share"`
	// Pooled is, per replication, the tickets that ended so and the
	// tickets: the pooled share.
	Pooled Ratio `json:"pooled"`
}

// add counts a replication's n of its tickets; a nil Outcome counts
// nothing.
func (o *Outcome) add(n, tickets int64) {
	if o == nil {
		return
	}
	o.Tickets += n
	o.Pooled.Add(float64(n), float64(tickets))
	if tickets > 0 {
		o.Share.Add(float64(n) / float64(tickets))
	}
}

func (o *Outcome) merge(p *Outcome) {
	if o != nil {
		o.Tickets += p.Tickets
		o.Share.Merge(&p.Share)
		o.Pooled.Merge(&p.Pooled)
	}
}

// NewSummary returns an empty summary shaped for the model.
func NewSummary(m *Model) *Summary {
	s := &Summary{Tiers: make([]TierStats, len(m.Tiers))}
	for i, t := range m.Tiers {
		ts := &s.Tiers[i]
		ts.Name = t.Name
		ts.Response.Target = t.Response
		ts.Resolution.Target = t.Resolution
		for _, c := range t.Clocks {
			ts.Clocks = append(ts.Clocks, ClockStats{Name: c.Name, MetricStats: MetricStats{Target: c.Target}})
		}
		if t.Updates.Every > 0 {
			ts.Clocks = append(ts.Clocks, ClockStats{Name: UpdatesClock, MetricStats: MetricStats{Target: t.Updates.Target}})
		}
		abandons, blocked := m.loses(i)
		if abandons {
			ts.Abandoned = &Outcome{}
		}
		if blocked {
			ts.Blocked = &Outcome{}
		}
		if abandons || blocked {
			ts.Response.AnsweredAttainment = &Tally{}
			ts.Response.PooledAnswered = &Ratio{}
		}
	}
	for _, t := range m.teams() {
		ts := TeamStats{Name: t.Name, Concurrency: t.slots()}
		if t.slots() > 1 {
			ts.AgentUtilisation = &Tally{}
		}
		s.Teams = append(s.Teams, ts)
	}
	s.Dates = newDateStats(m)
	s.Services = newServiceStats(m)
	return s
}

// Merge adds the replications of o to s. Both must come from the same
// model; if they do not, s is left as it was.
func (s *Summary) Merge(o *Summary) error {
	if err := s.matches(o); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	for i := range s.Tiers {
		a, b := &s.Tiers[i], &o.Tiers[i]
		a.Tickets.Merge(&b.Tickets)
		a.Response.merge(&b.Response)
		a.Resolution.merge(&b.Resolution)
		for c := range a.Clocks {
			a.Clocks[c].merge(&b.Clocks[c].MetricStats)
		}
		a.Abandoned.merge(b.Abandoned)
		a.Blocked.merge(b.Blocked)
		a.Flow.merge(&b.Flow)
		a.WaitingMs.merge(&b.WaitingMs)
	}
	for i := range s.Teams {
		a, b := &s.Teams[i], &o.Teams[i]
		a.Utilisation.Merge(&b.Utilisation)
		if a.AgentUtilisation != nil {
			a.AgentUtilisation.Merge(b.AgentUtilisation)
		}
		a.OvertimeHours.Merge(&b.OvertimeHours)
		a.OnCallWorkHours.Merge(&b.OnCallWorkHours)
		a.CallOuts.Merge(&b.CallOuts)
		a.BusyMs.merge(&b.BusyMs)
		a.AvailableMs.merge(&b.AvailableMs)
		a.OvertimeMs.merge(&b.OvertimeMs)
	}
	s.WindowMs.merge(&o.WindowMs)
	s.Dates.merge(o.Dates)
	s.Overall.merge(&o.Overall)
	for i := range s.Services {
		s.Services[i].merge(&o.Services[i])
	}
	s.Replications += o.Replications
	s.Utilisation.Merge(&o.Utilisation)
	s.InSystem.Merge(&o.InSystem)
	s.Waiting.Merge(&o.Waiting)
	s.ArrivalRate.Merge(&o.ArrivalRate)
	return nil
}

// matches reports how o is not shaped like s, as summaries of one model
// are: the same tiers, targets and teams, and the same figures kept.
func (s *Summary) matches(o *Summary) error {
	if len(s.Tiers) != len(o.Tiers) {
		return fmt.Errorf("%d tiers against %d", len(s.Tiers), len(o.Tiers))
	}
	for i := range s.Tiers {
		a, b := &s.Tiers[i], &o.Tiers[i]
		if a.Name != b.Name || a.Response.Target != b.Response.Target || a.Resolution.Target != b.Resolution.Target {
			return fmt.Errorf("tier %d differs (%q against %q)", i, a.Name, b.Name)
		}
		if len(a.Clocks) != len(b.Clocks) {
			return fmt.Errorf("tier %d (%q): %d clocks against %d", i, a.Name, len(a.Clocks), len(b.Clocks))
		}
		for c := range a.Clocks {
			if a.Clocks[c].Name != b.Clocks[c].Name || a.Clocks[c].Target != b.Clocks[c].Target {
				return fmt.Errorf("tier %d (%q): clock %d differs (%q against %q)", i, a.Name, c, a.Clocks[c].Name, b.Clocks[c].Name)
			}
		}
		if (a.Abandoned == nil) != (b.Abandoned == nil) || (a.Blocked == nil) != (b.Blocked == nil) ||
			(a.Response.AnsweredAttainment == nil) != (b.Response.AnsweredAttainment == nil) ||
			(a.Response.PooledAnswered == nil) != (b.Response.PooledAnswered == nil) {
			return fmt.Errorf("tier %d (%q): one summary counts tickets that leave unanswered, the other not", i, a.Name)
		}
	}
	if len(s.Teams) != len(o.Teams) {
		return fmt.Errorf("%d teams against %d", len(s.Teams), len(o.Teams))
	}
	for i := range s.Teams {
		if a, b := &s.Teams[i], &o.Teams[i]; a.Name != b.Name || a.Concurrency != b.Concurrency {
			return fmt.Errorf("team %d differs (%q against %q)", i, a.Name, b.Name)
		}
	}
	if err := servicesMatch(s.Services, o.Services); err != nil {
		return err
	}
	if !s.byHourFits(o) {
		return fmt.Errorf("%d and %d replications: the agent and ticket time by hour of the week would pass 64 bits of milliseconds; run fewer replications (docs/limits.md)", s.Replications, o.Replications)
	}
	return s.Dates.matches(o.Dates)
}

func (m *MetricStats) merge(o *MetricStats) {
	m.Tickets += o.Tickets
	m.Met += o.Met
	m.Censored += o.Censored
	m.Unanswered += o.Unanswered
	m.Attainment.Merge(&o.Attainment)
	if m.AnsweredAttainment != nil {
		m.AnsweredAttainment.Merge(o.AnsweredAttainment)
	}
	if m.PooledAnswered != nil {
		m.PooledAnswered.Merge(o.PooledAnswered)
	}
	m.MeanHours.Merge(&o.MeanHours)
	m.Pooled.Merge(&o.Pooled)
	m.PooledHours.Merge(&o.PooledHours)
	m.LateHours.Merge(o.LateHours)
	m.Times.Merge(&o.Times)
	m.ByHour.Tickets.merge(&o.ByHour.Tickets)
	m.ByHour.Met.merge(&o.ByHour.Met)
}

// MeanLateness is the mean time beyond the target of breached tickets with
// a time (unanswered ones have none).
func (m *MetricStats) MeanLateness() time.Duration {
	breached := m.Tickets - m.Met - m.Unanswered
	if breached == 0 {
		return 0
	}
	return time.Duration(m.LateHours.Float64() / float64(breached) * float64(time.Hour))
}
