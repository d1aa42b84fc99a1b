package scenarios

import (
	"fmt"
	"slices"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing"
)

// A Scenario is a parsed and validated scenario file: the tiers of tickets
// and their targets, who serves them and when, and how to simulate them.
type Scenario struct {
	// File is the file the scenario was read from, as given to Parse; empty
	// for an embedded example.
	File        string
	Name        string
	Description string
	Simulation  Simulation
	Arrivals    Arrivals
	// Calendars are the business calendars that targets and teams name.
	Calendars []Calendar
	// Tiers in priority order: the first is served first.
	Tiers []Tier
	// Agents is the number of identical agents, each able to work on any
	// tier, on duty around the clock; 0 when Teams are given instead.
	Agents int
	Teams  []Team
	// Automation is the automated channel that tiers with an automation
	// share use.
	Automation sim.Automation
	// Services are the systems the desk supports, which fail and are
	// restored.
	Services []Service
	// MeanTargets are targets on the mean clock times over every tier's
	// tickets; 0 sets none.
	MeanTargets sim.MeanTargets
	// Sizing is what `slasim size` asks of a staffing and what it costs.
	Sizing Sizing
	// Roster is how `slasim roster` turns the teams' shifts into people.
	Roster Roster
	// Contract is the money side of the commitment, turning breaches into
	// credits; nil when the scenario has none.
	Contract *contract.Contract
	// Warnings are doubts that do not stop a run, such as an offered load
	// the agents cannot carry.
	Warnings []Diagnostic

	// text is the scenario file as parsed, for With and Sized; example is
	// the name of the embedded example it is, if it is one.
	text    []byte
	example string
	// maxReplicationsAt is where the file gives simulation.max_replications;
	// nil when it gives none, and the cap is the default, which rises to
	// the replications a run starts with (see CheckSettings).
	maxReplicationsAt *Diagnostic
	// alone is set for a scenario without its directory (see ParseAlone).
	alone bool
}

// Simulation says when, how long and how often to simulate.
type Simulation struct {
	// Start is the first day of the measured window, which begins at its
	// 00:00 in Location, the scenario's time zone. Weekly profiles,
	// shifts and calendars are in local time there.
	Start    staffing.Date
	Location *time.Location
	// Horizon is the measured window; WarmUp is simulated before it and
	// not measured; tickets still open at its end are followed for up to
	// Drain more. With AutoWarmUp (warm_up: auto) the run finds the warm-up
	// from pilot replications (sim.DetectWarmUp), within timelineWarmUp.
	Horizon, WarmUp, Drain time.Duration
	AutoWarmUp             bool
	// Replications is the number of independent replications, or with
	// Precision the number to start with.
	Replications int
	// Precision, when > 0, adds replications until every attainment's 95%
	// confidence interval has a half-width at most this (0.005 is half a
	// percentage point), or MaxReplications is reached: the file's
	// max_replications, else 1000 or Replications if more.
	Precision       float64
	MaxReplications int
	Seed            uint64
	// Periods are the kinds of period (day, week, month) results are also
	// given for, by date; none keeps no results by date.
	Periods []string
}

// Arrivals is the total ticket volume that tiers with a share divide.
type Arrivals struct {
	// Volume is the mean number of tickets per hour over the week, before
	// Scale; 0 when every tier has its own rate.
	Volume float64
	// Scale multiplies every tier's volume, shares and rates alike, and
	// bursts.
	Scale   float64
	Profile Profile
	// Calendar names the calendar (one of Scenario.Calendars) whose dates
	// move the volume: on its holidays it follows OnHolidays, on its extra
	// working days the profile of the weekday each stands for. "" leaves
	// every date to the profile of its own weekday.
	Calendar   string
	OnHolidays HolidayVolume
	// DailyCV is the coefficient of variation of a random factor on each
	// day's volume; 0 leaves arrivals Poisson.
	DailyCV float64
	// Bursts are major incidents, each bringing a cluster of tickets.
	Bursts []sim.Burst
}

// HolidayVolume is the volume on a holiday: Factor times the mean of the
// profiles of the days Like at the same time of day, or of the holiday's
// own weekday when Like is empty.
type HolidayVolume struct {
	Like   []time.Weekday
	Factor float64
}

// weight is the profile's weight at local time lt on a holiday.
func (h HolidayVolume) weight(p *Profile, lt staffing.LocalTime) float64 {
	if len(h.Like) == 0 {
		return h.Factor * p.weight(lt.Weekday, lt.TimeOfDay)
	}
	var w float64
	for _, d := range h.Like {
		w += p.weight(d, lt.TimeOfDay)
	}
	return h.Factor * w / float64(len(h.Like))
}

// A Calendar is a named business calendar.
type Calendar struct {
	Name string
	staffing.Calendar
}

// A Tier is one priority class of tickets.
type Tier struct {
	Name string
	// Share is the tier's share of Arrivals.Volume, or 0 if the tier has its
	// own Rate in tickets per hour instead.
	Share, Rate float64
	// Profile is the tier's weekly shape: its own, else the arrivals
	// profile.
	Profile  Profile
	Targets  Targets
	OffHours OffHours
	// Handling is the first level's (L1) handling time; Escalation the
	// steps to L2 and L3.
	Handling   sim.Distribution
	Escalation []sim.Escalation
	// Stages names the levels when the tier's work is a journey (the
	// first stage's handling is Handling, the others' are Escalation's
	// steps); nil names them L1, L2, L3. Clocks are the tier's named
	// clocks.
	Stages []string
	Clocks []Clock
	// Updates is a recurring duty while a ticket is open.
	Updates Updates
	// Preempt lets the tier's tickets interrupt work on lower tiers when no
	// agent is free; the interrupted ticket resumes later where it stopped.
	Preempt bool
	// Concurrent tickets may be held several at once by an agent of a
	// team whose concurrency is above 1 (chats).
	Concurrent bool
	// Travel is the time to reach the site before work starts (nil: the
	// work is remote); RemoteResponse stops the response clock when an
	// agent takes the ticket rather than on arrival on site.
	Travel         sim.Distribution
	RemoteResponse bool
	// Aging moves a waiting ticket up to a higher-priority tier.
	Aging   sim.Aging
	Pending sim.Pending
	// Misclassified is the share of tickets that enter at an adjacent tier;
	// Deflected the share of issues self-service resolves before they
	// become tickets.
	Misclassified, Deflected float64
	Automation               sim.TierAutomation
	// Patience is how long customers wait for an answer before giving up;
	// nil when they wait for ever.
	Patience sim.Distribution
	// Blocking limits the tier's line to QueueCapacity tickets waiting for
	// people (0: none wait); a new ticket finding it full is turned away.
	Blocking      bool
	QueueCapacity int
}

// Targets are a tier's SLA clocks: from arrival until an agent starts work
// (response), and until the ticket is done (resolution). A clock with a
// calendar, named by ResponseCalendar or ResolutionCalendar (one of
// Scenario.Calendars), counts only that calendar's business hours; ""
// runs around the clock. Resolution is 0 when the tier promises no
// resolution (a hotline promising only an answer): it has no resolution
// clock, nor a calendar for one.
type Targets struct {
	Response, Resolution                 time.Duration
	ResponseCalendar, ResolutionCalendar string
	// Mean holds targets on the mean clock times (MTTR ≤ 4 h); 0 sets
	// none.
	Mean sim.MeanTargets
}

// OffHours are the targets of tickets that arrive while the calendar of
// that name is closed; a zero target keeps the tier's own. Calendar is ""
// when a tier has none.
type OffHours struct {
	Calendar             string
	Response, Resolution time.Duration
}

// A Team is a group of agents with the same skills and schedule.
type Team struct {
	Name string
	// Tiers (indexes into Scenario.Tiers) and Levels (0 for L1) the team
	// works on; nil means all.
	Tiers, Levels []int
	// Skills, when set, replace Tiers and Levels: the (tier, level) pairs
	// the team works on, when some journey's stage names its teams.
	Skills []sim.Skill
	// Schedule holds the team's shifts and interval staffing, with their
	// time zones and holidays.
	Schedule  staffing.Schedule
	Shrinkage float64
	// OnCallDelay is the time from a page to the start of work, drawn for
	// each call-out; nil: none.
	OnCallDelay sim.Distribution
	// HandBack makes agents hand the ticket in hand back to the queue at
	// the end of their shift; otherwise they finish it.
	HandBack bool
	// Concurrency is how many tickets of concurrent tiers an agent holds
	// at once.
	Concurrency int
	// week holds the team's time zone and holidays, which the shifts
	// sizing offers it follow.
	week staffing.Week
}

// Epoch places the scenario's simulation time on the calendar: time 0 is
// the start of the warm-up (the longest one with warm_up: auto), that long
// before 00:00 of the start date in the scenario's time zone.
func (s *Scenario) Epoch() staffing.Epoch {
	d := s.Simulation.Start
	start := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, location(s.Simulation.Location))
	return staffing.Epoch{Origin: start.Add(-s.timelineWarmUp())}
}

// End is the simulated period's end: the warm-up, the horizon and the
// drain.
func (s *Scenario) End() time.Duration {
	return s.timelineWarmUp() + s.Simulation.Horizon + s.Simulation.Drain
}

// MaxAutoWarmUp is the longest warm-up warm_up: auto may find: a year is
// beyond any desk's start-up (a fitted desk whose tickets take a week to
// handle needs months), and its shifts and calendars cost little.
const MaxAutoWarmUp = 52 * week

// timelineWarmUp is how long before the measured window the timelines
// begin: the warm-up, or with AutoWarmUp the longest it may be, a year or
// what the limits leave (20 years in all, and a billion tickets before
// the horizon ends), in whole weeks.
func (s *Scenario) timelineWarmUp() time.Duration {
	return s.Simulation.timelineWarmUp(s.ticketsPerHour())
}

// timelineWarmUp is Scenario.timelineWarmUp with perHour tickets an hour.
func (s Simulation) timelineWarmUp(perHour float64) time.Duration {
	if !s.AutoWarmUp {
		return s.WarmUp
	}
	return max(0, min(MaxAutoWarmUp, maxSimulated-s.Horizon-s.Drain, ticketsSpan(perHour)-s.Horizon)) / week * week
}

// ticketsSpan is how long arrivals of perHour tickets an hour may run,
// warm-up and horizon together, before a replication simulates
// maxTickets; beyond 20 years when that limit binds first.
func ticketsSpan(perHour float64) time.Duration {
	hours := maxTickets / perHour
	if !(hours < (2 * maxSimulated).Hours()) {
		return 2 * maxSimulated
	}
	return time.Duration(hours * float64(time.Hour))
}

// checkTickets checks that a replication's arrivals, perHour tickets an
// hour over the fixed warm-up and the horizon, stay within maxTickets.
func (s Simulation) checkTickets(perHour float64) error {
	if span := s.fixedWarmUp() + s.Horizon; span > ticketsSpan(perHour) {
		return fmt.Errorf("about %s arrive in a replication (%s an hour over warm-up and horizon), more than the 1,000,000,000 a replication may simulate; shorten the horizon or the warm-up: for more confidence, add replications",
			plural.Count(perHour*span.Hours(), "ticket", "tickets"), plural.Figure(perHour, 4))
	}
	return nil
}

// TicketsPerReplication is the mean number of tickets arriving in a
// replication's measured window, bursts included, before deflection.
func (s *Scenario) TicketsPerReplication() float64 {
	return s.ticketsPerHour() * s.Simulation.Horizon.Hours()
}

// ticketsPerHour is the mean arrivals an hour of every tier, bursts
// included, before deflection.
func (s *Scenario) ticketsPerHour() float64 {
	var n float64
	for _, t := range s.Tiers {
		if t.Share > 0 {
			n += s.Arrivals.Volume * t.Share
		} else {
			n += t.Rate
		}
	}
	for _, b := range s.Arrivals.Bursts {
		n += b.PerWeek / week.Hours() * max(b.MeanSize, 1)
	}
	return n * s.Arrivals.Scale
}

func location(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// Model returns the engine's model of the scenario. It reads the fields
// afresh, so that a caller may change, say, Agents or Arrivals.Scale first.
// Shifts, calendars and the weekly profiles, all in local time, become
// timelines over simulation time (see Clock), with holidays and daylight
// saving changes where they fall.
func (s *Scenario) Model() *sim.Model {
	clock, end := s.Epoch(), s.End()
	sc := s.Simulation
	warmUp := s.timelineWarmUp()
	start := clock.Origin.Add(warmUp)
	m := &sim.Model{
		Agents:     s.Agents,
		Automation: s.Automation,
		DailyCV:    s.Arrivals.DailyCV,
		WarmUp:     warmUp,
		AutoWarmUp: sc.AutoWarmUp,
		Horizon:    sc.Horizon,
		Drain:      sc.Drain,
		// Monday is 0.
		WeekOffset: time.Duration((int(start.Weekday())+6)%7) * 24 * time.Hour,
		Tiers:      make([]sim.Tier, len(s.Tiers)),
		Dates:      s.dates(),
	}
	calendars := make(map[string]*sim.Calendar)
	calendar := func(name string) *sim.Calendar {
		if name == "" {
			return nil
		}
		if c, ok := calendars[name]; ok {
			return c
		}
		cal := s.calendarNamed(name)
		if cal == nil {
			panic(fmt.Sprintf("scenarios: Model: no calendar named %q in Calendars", name))
		}
		c, err := cal.Timeline(clock, end)
		if err != nil {
			// Timeline merges its spans into sorted, disjoint intervals,
			// which the engine always accepts.
			panic(fmt.Sprintf("scenarios: calendar %s: %v", name, err))
		}
		calendars[name] = c
		return c
	}
	for i, t := range s.Tiers {
		m.Tiers[i] = sim.Tier{
			Name:               t.Name,
			Arrivals:           s.arrivals(&t, m),
			Handling:           t.Handling,
			Escalation:         t.Escalation,
			Stages:             t.Stages,
			Clocks:             modelClocks(t.Clocks, calendar),
			Updates:            modelUpdates(t.Updates, s.Teams),
			Response:           t.Targets.Response,
			Resolution:         t.Targets.Resolution,
			ResponseCalendar:   calendar(t.Targets.ResponseCalendar),
			ResolutionCalendar: calendar(t.Targets.ResolutionCalendar),
			Mean:               t.Targets.Mean,
			OffHours: sim.OffHours{
				Calendar:   calendar(t.OffHours.Calendar),
				Response:   t.OffHours.Response,
				Resolution: t.OffHours.Resolution,
			},
			Preempts:       t.Preempt,
			Concurrent:     t.Concurrent,
			Travel:         t.Travel,
			RemoteResponse: t.RemoteResponse,
			Aging:          t.Aging,
			Pending:        t.Pending,
			Misclassified:  t.Misclassified,
			Deflected:      t.Deflected,
			Automation:     t.Automation,
			Patience:       t.Patience,
			Blocking:       t.Blocking,
			QueueCapacity:  t.QueueCapacity,
		}
	}
	for _, b := range s.Arrivals.Bursts {
		b.PerWeek *= s.Arrivals.Scale
		m.Bursts = append(m.Bursts, b)
	}
	m.Services = s.modelServices(calendar)
	m.Mean = s.MeanTargets
	for _, t := range s.Teams {
		onSite, onCall := t.Schedule.Timelines(clock, end)
		m.Teams = append(m.Teams, sim.Team{
			Name:        t.Name,
			Tiers:       t.Tiers,
			Levels:      t.Levels,
			Skills:      t.Skills,
			OnSite:      onSite,
			OnCall:      onCall,
			OnCallDelay: t.OnCallDelay,
			Shrinkage:   t.Shrinkage,
			HandBack:    t.HandBack,
			Concurrency: t.Concurrency,
		})
	}
	return m
}

// arrivals is tier t's arrival process: its mean rate in tickets per hour,
// shaped by its profile in local time. The engine repeats a profile from
// m.WeekOffset; a weekly profile does that exactly unless the time zone
// changes to or from daylight saving time while tickets arrive, or the
// arrivals' calendar has holidays or extra working days then. Then the
// profile is written out over the whole warm-up and horizon, interval by
// interval, each at the rate of its local time and date.
func (s *Scenario) arrivals(t *Tier, m *sim.Model) sim.ArrivalProfile {
	rate := t.Rate
	if t.Share > 0 {
		rate = s.Arrivals.Volume * t.Share
	}
	rate *= s.Arrivals.Scale
	clock, loc := s.Epoch(), location(s.Simulation.Location)
	arrivalsEnd := m.WarmUp + m.Horizon
	dates := s.arrivalDates(clock, arrivalsEnd)
	if t.Profile.Flat() && dates == nil {
		return sim.ConstantRate(rate)
	}
	profile := t.Profile
	if profile.Flat() {
		profile = Profile{Interval: time.Hour, Weights: slices.Repeat([]float64{1}, hoursPerWeek)}
	}
	weights, step := profile.Weights, profile.Interval
	if dates == nil && !changesOffset(loc, clock.Origin, clock.Origin.Add(arrivalsEnd)) {
		rates := make([]float64, len(weights))
		for i, w := range weights {
			rates[i] = rate * w
		}
		return sim.ArrivalProfile{Interval: step, Rates: rates}
	}
	// The engine reads the profile at offset (t + WeekOffset - WarmUp) mod its
	// period at simulation time t; the profile's intervals start where that
	// offset is a multiple of step, from first in [-step, 0). A period one
	// step longer than the arrivals gives each interval its own entry,
	// rated by its local start time. Since the start is a local midnight
	// and Start whole days, the intervals fall on the local grid of step
	// (unless clocks change by less than step, as Lord Howe's half hour).
	n := int((arrivalsEnd+step-1)/step) + 1
	period := time.Duration(n) * step
	first := ((m.WarmUp-m.WeekOffset)%step+step)%step - step
	rates := make([]float64, n)
	for k, lt := range staffing.LocalTimes(loc, clock.Origin.Add(first), step, n) {
		t := first + time.Duration(k)*step
		w := weights[lt.WeekOffset()/step]
		if dates != nil {
			switch as, holiday := dates.Weekday(lt.Date, lt.Weekday); {
			case holiday:
				w = s.Arrivals.OnHolidays.weight(&profile, lt)
			case as != lt.Weekday:
				w = profile.weight(as, lt.TimeOfDay)
			}
		}
		rates[((t+m.WeekOffset-m.WarmUp)%period+period)%period/step] = rate * w
	}
	return sim.ArrivalProfile{Interval: step, Rates: rates}
}

// arrivalDates returns the dates of the arrivals' calendar, if it has any
// in [0, end) of simulation time; nil otherwise. They are dates in the
// scenario's time zone, where the profile is.
func (s *Scenario) arrivalDates(clock staffing.Epoch, end time.Duration) *staffing.DateLookup {
	if s.Arrivals.Calendar == "" {
		return nil
	}
	c := s.calendarNamed(s.Arrivals.Calendar)
	loc := location(s.Simulation.Location)
	first, last := clock.Origin.In(loc), clock.Origin.Add(end).In(loc)
	in := func(d staffing.Date) bool {
		t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
		return t.AddDate(0, 0, 1).After(first) && t.Before(last)
	}
	if !slices.ContainsFunc(c.Holidays, in) && !slices.ContainsFunc(c.Workdays, func(w staffing.Workday) bool { return in(w.Date) }) {
		return nil
	}
	l := c.Lookup()
	return &l
}

// changesOffset reports whether loc's offset from UTC changes in [from, to).
func changesOffset(loc *time.Location, from, to time.Time) bool {
	_, offset := from.In(loc).Zone()
	for t := from; t.Before(to); {
		_, next := t.In(loc).ZoneBounds()
		if next.IsZero() || !next.Before(to) {
			return false
		}
		if _, o := next.In(loc).Zone(); o != offset {
			return true
		}
		t = next
	}
	return false
}

// Options returns the engine's run options: seed, replications and
// precision; a fixed warm-up is checked against the one pilot replications
// detect, so that a report can say when it is too short.
func (s *Scenario) Options() sim.Options {
	return sim.Options{
		Seed:            s.Simulation.Seed,
		Replications:    s.Simulation.Replications,
		Precision:       s.Simulation.Precision,
		MaxReplications: s.Simulation.MaxReplications,
		CheckWarmUp:     !s.Simulation.AutoWarmUp,
	}
}
