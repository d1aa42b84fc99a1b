package sim

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Week is the period of an arrival profile given by hour or quarter-hour of
// the week.
const Week = 7 * 24 * time.Hour

// DefaultDrain is how long after the horizon a replication follows the
// measured tickets still open, when Model.Drain is zero.
const DefaultDrain = 8 * Week

// DefaultMaxInSystem bounds the number of tickets a replication may hold at
// once, which bounds its memory (about 400 MB): a bound on what can be
// simulated, not a test of stability, which is the backlog's trend (a
// stable desk may hold a million tickets over a weekend).
const DefaultMaxInSystem = 2_000_000

// Model is everything a replication needs: the tiers in priority order, who
// serves them and when, and the simulated period.
type Model struct {
	// Tiers in priority order: tier 0 is served first.
	Tiers []Tier
	// Agents is a single team of identical agents on duty around the clock,
	// each able to work on any tier and level. It is used when Teams is
	// empty.
	Agents int
	// Teams, when given, replace Agents: each team has its own skills and
	// schedule. A ticket goes to the first team, in this order, with a free
	// agent skilled for its tier and level.
	Teams []Team
	// Automation is the automated repair engine that tiers with an
	// Automation share send their eligible tickets to first.
	Automation Automation
	// DailyCV, when > 0, makes each day's volume vary more than Poisson:
	// all arrival rates of a day are multiplied by a gamma-distributed
	// factor with mean 1 and this coefficient of variation.
	DailyCV float64
	// Bursts are major incidents, each bringing a cluster of related tickets.
	Bursts []Burst
	// WarmUp is simulated before the measured window; tickets that arrive
	// during it are served but not counted. With AutoWarmUp it is the
	// longest warm-up: the run detects where the start-up transient ends
	// (DetectWarmUp) and starts each replication that long before the
	// window, within WarmUp; shifts and calendars must cover it all.
	WarmUp     time.Duration
	AutoWarmUp bool
	// Horizon is the length of the measured window. Tickets arriving in it
	// are followed until they are resolved, even past its end, for at most
	// Drain more (0: DefaultDrain); any still open then count as breached.
	Horizon time.Duration
	Drain   time.Duration
	// WeekOffset is where in the week the measured window begins, as the
	// time since Monday 00:00 (0: it begins on a Monday at midnight);
	// statistics by hour of week count from it.
	WeekOffset time.Duration
	// MaxInSystem bounds the tickets in the system at once; a replication
	// exceeding it stops and reports it. Zero means DefaultMaxInSystem.
	MaxInSystem int
	// Dates, when they have days, keep results by date and period.
	Dates Dates
	// Services are the systems the desk supports, which fail and are
	// restored (services.go).
	Services []Service
	// Mean holds targets on the mean clock times over every tier's
	// tickets (means.go).
	Mean MeanTargets
}

// Team is a group of agents with the same skills and schedule.
type Team struct {
	Name string
	// Tiers and Levels the team works on (tier indexes, levels from 0 for
	// L1); nil means all. Skills, when set, replace them: the pairs of
	// tier and level the team works on (a journey whose stages name their
	// teams).
	Tiers, Levels []int
	Skills        []Skill
	// OnSite is the number of agents scheduled at work over simulation time,
	// OnCall the number on call: paged when no one on site can take a
	// ticket, they start work OnCallDelay later, drawn for each call-out
	// (nil: at once).
	OnSite, OnCall Steps
	OnCallDelay    Distribution
	// Shrinkage is the share of scheduled time an agent is away (breaks,
	// meetings, absence): each half hour, each scheduled agent is away with
	// this probability, finishing the ticket in hand first (as at a shift's
	// end, if the shift ends meanwhile).
	Shrinkage float64
	// HandBack makes agents whose shift ends hand the ticket in hand back to
	// the queue (it resumes where it stopped); otherwise they finish it,
	// and the time past the shift's end is recorded as overtime.
	HandBack bool
	// Concurrency is how many tickets an agent holds at once (chats), each
	// in a slot of its own and served at its own handling time; 0 or 1:
	// one. A team of several slots serves only Concurrent tiers, finishes
	// its tickets at the end of a shift (no HandBack), and its tickets are
	// never preempted.
	Concurrency int
}

// Skill is a tier and level a team works on.
type Skill struct{ Tier, Level int }

// MaxConcurrency bounds Team.Concurrency.
const MaxConcurrency = 100

// slots is how many tickets each of the team's agents holds at once.
func (t *Team) slots() int { return max(t.Concurrency, 1) }

// Automation is the automated channel's shared capacity.
type Automation struct {
	// Capacity is the number of attempts the engine runs at once; tickets
	// beyond it wait in first-come order.
	Capacity int
	// CountsAsResponse makes an attempt's automated reply, when the attempt
	// ends, stop the response clock, whether or not it resolved the ticket.
	CountsAsResponse bool
}

// Burst is a stream of major incidents: PerWeek incidents a week (Poisson),
// each bringing a Poisson number of tickets of the tier (MeanSize on
// average, at least one), which arrive over the following period at
// exponentially distributed delays with mean Spread.
type Burst struct {
	Tier     int
	PerWeek  float64
	MeanSize float64
	Spread   time.Duration
}

// Tier is one priority class of tickets.
type Tier struct {
	Name     string
	Arrivals ArrivalProfile
	// Handling is the first level's (L1) handling time.
	Handling Distribution
	// Escalation lists the levels beyond L1: Escalation[0] gives the
	// probability that a ticket finished at L1 goes on to L2 and L2's
	// handling time, Escalation[1] the same from L2 to L3. A journey of
	// named stages is the same list, its steps Independent.
	Escalation []Escalation
	// Stages names the levels, the first (Handling) and then each of
	// Escalation, when the tier's work is a journey of named stages; nil
	// names them L1, L2, ...
	Stages []string
	// Clocks are the tier's named clocks beside response and resolution
	// (journey.go).
	Clocks []Clock
	// Targets for the response clock (arrival until an agent starts work)
	// and the resolution clock (arrival until done). Resolution 0: the
	// tier promises no resolution (a hotline promising only an answer);
	// its tickets are still worked until done, and their resolution times
	// kept, but no clock judges them (HasResolution).
	Response, Resolution time.Duration
	// Clocks that run only in business hours: nil runs around the clock.
	ResponseCalendar, ResolutionCalendar *Calendar
	// Mean holds targets on the tier's mean clock times (means.go).
	Mean MeanTargets
	// OffHours, when its calendar is set, holds the targets of tickets that
	// arrive while that calendar is closed.
	OffHours OffHours
	// Preempts lets tickets of this tier interrupt the service of a ticket
	// of a lower-priority tier when no agent is free (preemptive-resume: the
	// interrupted ticket later continues where it stopped).
	Preempts bool
	// Pending is the share of tickets that wait on the customer after their
	// first piece of work, with both clocks paused.
	Pending Pending
	// Misclassified is the share of tickets that enter at an adjacent tier
	// (up or down with equal chance): they are served as the tier they
	// carry and judged by the targets of the tier they are; their updates
	// stay the tier's own (duties.go).
	Misclassified float64
	// Deflected is the share of this tier's issues that self-service
	// resolves before they become tickets.
	Deflected  float64
	Automation TierAutomation
	// Patience, when set, is how long a customer waits for an answer
	// before giving up (drawn for each ticket as it arrives): a ticket
	// still waiting in a line with its response clock running when its
	// patience runs out leaves unanswered, abandoned (Erlang A). A ticket
	// in the hands of an agent, a paged one on the way included, or of
	// the automated engine, stays. nil: nobody gives up.
	Patience Distribution
	// Blocking limits the tier's line: at most QueueCapacity tickets
	// carrying the tier wait for people at once, and a ticket coming to
	// people for the first time that finds no agent free and the line
	// full is blocked: turned away and lost. QueueCapacity 0 makes a loss
	// system (Erlang B); otherwise M/M/c/K with K = agents + QueueCapacity.
	Blocking      bool
	QueueCapacity int
	// Concurrent tickets may be held by an agent beside others of
	// concurrent tiers (chats), by teams of Concurrency above 1.
	Concurrent bool
	// Travel, when set, is the time an agent takes to reach the site
	// before a ticket's work can start (drawn for each ticket as it
	// arrives): the agent is held from taking the ticket. The response
	// clock stops on arrival on site, or, with RemoteResponse, when the
	// agent takes the ticket and starts remote work. A ticket travels
	// once: the first time people take it.
	Travel         Distribution
	RemoteResponse bool
	// Updates is a recurring duty while a ticket is open (duties.go).
	Updates Updates
	// Aging moves a ticket waiting for people as this tier, still with no
	// answer, to a higher priority once it has waited long enough since
	// it arrived; zero: never.
	Aging Aging
}

// HasResolution reports whether the tier promises a resolution time: the
// resolution clock judges its tickets.
func (t *Tier) HasResolution() bool { return t.Resolution > 0 }

// Aging is a rule of priority aging: a ticket still waiting After its
// arrival is handled from then on as tier To, which must be of a higher
// priority (listed before); it keeps the targets and statistics of the
// tier it is. A ticket moves up once.
type Aging struct {
	After time.Duration
	To    int
}

// Escalation is one step up the levels, or a stage of a journey: a
// ticket needs it with Probability, once it has needed the step before
// or, when Independent, whatever became of the stages before it.
type Escalation struct {
	Probability float64
	Handling    Distribution
	Independent bool
}

// Reach is the probability that a ticket of the tier needs level l (0 is
// the first level, which every ticket needs).
func (t *Tier) Reach(l int) float64 {
	p := 1.0
	for _, e := range t.Escalation[:l] {
		if e.Independent {
			p = 1
		}
		p *= e.Probability
	}
	return p
}

// OffHours are the targets outside business hours.
type OffHours struct {
	Calendar             *Calendar
	Response, Resolution time.Duration
}

// Pending makes a share of tickets wait on the customer: after the first
// piece of work, with probability Probability, the ticket leaves the queue
// for a time drawn from Wait (its SLA clocks paused), then returns needing
// FollowUp more work.
type Pending struct {
	Probability    float64
	Wait, FollowUp Distribution
}

// TierAutomation sends a share of the tier's tickets to the automated
// channel first.
type TierAutomation struct {
	// Eligible is the share of tickets the engine attempts; Success the
	// probability an attempt resolves the ticket. A failed attempt passes
	// the ticket to people with its clocks still running.
	Eligible, Success float64
	Processing        Distribution
}

// ArrivalProfile is a Poisson process whose rate is piecewise constant:
// Rates[i] tickets per hour during the i-th interval of length Interval,
// repeating with period len(Rates)*Interval (a week for 168 hourly rates).
type ArrivalProfile struct {
	Interval time.Duration
	Rates    []float64
}

// ConstantRate returns the profile of a homogeneous Poisson process with
// the given number of arrivals per hour.
func ConstantRate(perHour float64) ArrivalProfile {
	return ArrivalProfile{Interval: time.Hour, Rates: []float64{perHour}}
}

// Period is the length after which the profile repeats.
func (p ArrivalProfile) Period() time.Duration {
	return p.Interval * time.Duration(len(p.Rates))
}

// MeanRate is the average number of arrivals per hour over the period.
func (p ArrivalProfile) MeanRate() float64 {
	if len(p.Rates) == 0 {
		return 0
	}
	var s float64
	for _, r := range p.Rates {
		s += r
	}
	return s / float64(len(p.Rates))
}

// Scaled returns a copy of the profile with every rate multiplied by f.
func (p ArrivalProfile) Scaled(f float64) ArrivalProfile {
	rates := make([]float64, len(p.Rates))
	for i, r := range p.Rates {
		rates[i] = r * f
	}
	return ArrivalProfile{Interval: p.Interval, Rates: rates}
}

// teams returns the model's teams: Teams, or one team of Agents on duty
// around the clock, skilled for everything.
func (m *Model) teams() []Team {
	if len(m.Teams) > 0 {
		return m.Teams
	}
	return []Team{{Name: "agents", OnSite: Steps{At: []time.Duration{0}, Value: []int{m.Agents}}}}
}

// preempts reports whether any tier preempts.
func (m *Model) preempts() bool {
	for i := range m.Tiers {
		if m.Tiers[i].Preempts {
			return true
		}
	}
	return false
}

// DrainLength is how long past the horizon open tickets are followed:
// Drain, or DefaultDrain when it is zero.
func (m *Model) DrainLength() time.Duration {
	if m.Drain > 0 {
		return m.Drain
	}
	return DefaultDrain
}

// HumanWork is the mean agent time a ticket of the tier needs over its
// life: its levels, weighted by the chance of reaching them, the journey to
// its site and a follow-up after pending, all for the share automation
// does not resolve.
func (t *Tier) HumanWork() time.Duration {
	work := float64(t.Handling.Mean())
	if t.Travel != nil {
		work += float64(t.Travel.Mean()) // the agent is held on the way
	}
	for j, e := range t.Escalation {
		work += t.Reach(j+1) * float64(e.Handling.Mean())
	}
	if t.Pending.Probability > 0 {
		work += t.Pending.Probability * float64(t.Pending.FollowUp.Mean())
	}
	return time.Duration(work * (1 - t.Automation.Eligible*t.Automation.Success))
}

// rate is the tier's mean arrival rate per hour after deflection.
func (t *Tier) rate() float64 { return t.Arrivals.MeanRate() * (1 - t.Deflected) }

// OfferedLoad is the mean work arriving per hour for people, in agent-hours
// per hour (Erlangs), averaged over the arrival profiles' periods: the
// tickets' work and their updates' (UpdatesPerTicket). Bursts and the
// tickets of services' outages are included; the daily variation has mean
// 1 and adds nothing.
func (m *Model) OfferedLoad() float64 {
	var load float64
	for _, t := range m.Tiers {
		load += t.rate() * (t.HumanWork().Hours() + t.updatesWork())
	}
	for _, b := range m.incidents() {
		t := &m.Tiers[b.Tier]
		load += b.PerWeek / Week.Hours() * max(b.MeanSize, 1) * (1 - t.Deflected) * (t.HumanWork().Hours() + t.updatesWork())
	}
	return load
}

// Capacity is the mean number of tickets the agents available over the
// measured window (on site less shrinkage, or on call) can serve at once:
// agents, each counted for its team's concurrency. It is what the offered
// load is compared with.
func (m *Model) Capacity() float64 { return m.available(true) }

// Staff is the mean number of agents available over the measured window.
func (m *Model) Staff() float64 { return m.available(false) }

func (m *Model) available(slots bool) float64 {
	from, to := m.WarmUp, m.WarmUp+m.Horizon
	var c float64
	for _, t := range m.teams() {
		n := t.OnSite.Mean(from, to)*(1-t.Shrinkage) + t.OnCall.Mean(from, to)
		if slots {
			n *= float64(t.slots())
		}
		c += n
	}
	return c
}

// AutomationLoad is the mean number of automated attempts under way.
func (m *Model) AutomationLoad() float64 {
	var load float64
	for _, t := range m.Tiers {
		if t.Automation.Eligible > 0 {
			load += t.rate() * t.Automation.Eligible * t.Automation.Processing.Mean().Hours()
		}
	}
	return load
}

// Validate reports the first reason the model cannot be simulated. Scenario
// files get friendlier, positioned messages from package scenarios; this is
// the engine's own guard.
func (m *Model) Validate() error {
	if len(m.Tiers) == 0 {
		return errors.New("model has no tiers")
	}
	if len(m.Tiers) > maxTiers {
		return fmt.Errorf("at most %d tiers, got %d", maxTiers, len(m.Tiers))
	}
	if len(m.Teams) == 0 && m.Agents <= 0 {
		return fmt.Errorf("agents must be > 0, got %d", m.Agents)
	}
	if m.Horizon <= 0 {
		return fmt.Errorf("horizon must be > 0, got %v", m.Horizon)
	}
	if m.WarmUp < 0 || m.Drain < 0 {
		return fmt.Errorf("warm-up and drain must be >= 0, got %v and %v", m.WarmUp, m.Drain)
	}
	if m.MaxInSystem < 0 {
		return fmt.Errorf("max in system must be >= 0, got %d", m.MaxInSystem)
	}
	if !(m.DailyCV >= 0 && m.DailyCV <= 10) {
		return fmt.Errorf("daily CV must be in [0, 10], got %v", m.DailyCV)
	}
	for i, t := range m.Tiers {
		if err := t.validateClocks(); err != nil {
			return fmt.Errorf("tier %d (%q): %w", i, t.Name, err)
		}
		if err := t.Updates.validate(len(m.teams())); err != nil {
			return fmt.Errorf("tier %d (%q): %w", i, t.Name, err)
		}
		if err := t.validate(); err != nil {
			return fmt.Errorf("tier %d (%q): %w", i, t.Name, err)
		}
		if a := t.Aging; a.After < 0 || a.After > 0 && (a.To < 0 || a.To >= i) {
			return fmt.Errorf("tier %d (%q): aging must wait > 0 and move to a tier listed before it, got %v to %d", i, t.Name, a.After, a.To)
		}
		if t.Automation.Eligible > 0 && m.Automation.Capacity <= 0 {
			return fmt.Errorf("tier %d (%q): automation needs a capacity > 0", i, t.Name)
		}
	}
	for i, t := range m.Teams {
		if err := t.validate(len(m.Tiers)); err != nil {
			return fmt.Errorf("team %d (%q): %w", i, t.Name, err)
		}
		if t.slots() == 1 {
			continue
		}
		for c := range m.Tiers {
			if (t.Tiers == nil || slices.Contains(t.Tiers, c)) && !m.Tiers[c].Concurrent {
				return fmt.Errorf("team %d (%q) holds %d tickets at once but serves tier %q, which is not concurrent (teams mixing concurrent work with other work are not simulated)", i, t.Name, t.Concurrency, m.Tiers[c].Name)
			}
		}
	}
	if m.levels() > maxLevels {
		return fmt.Errorf("with updates, tiers have at most %d levels (stages), one being the updates'", maxLevels-1)
	}
	if err := m.Dates.validate(m.WarmUp, m.WarmUp+m.Horizon); err != nil {
		return err
	}
	if err := m.Mean.validate(); err != nil {
		return err
	}
	if len(m.Services) > MaxServices {
		return fmt.Errorf("at most %d services, got %d", MaxServices, len(m.Services))
	}
	for i := range m.Services {
		if err := m.Services[i].validate(len(m.Tiers), m.WarmUp, m.WarmUp+m.Horizon); err != nil {
			return fmt.Errorf("service %d (%q): %w", i, m.Services[i].Name, err)
		}
	}
	for i, b := range m.Bursts {
		if b.Tier < 0 || b.Tier >= len(m.Tiers) || !(b.PerWeek >= 0) || !(b.MeanSize >= 0) || b.Spread < 0 {
			return fmt.Errorf("burst %d: tier must exist and rate, size and spread be >= 0", i)
		}
	}
	return nil
}

// maxTiers and maxLevels bound the skill masks.
const (
	maxTiers  = 64
	maxLevels = 8
)

func (t *Team) validate(tiers int) error {
	for _, i := range t.Tiers {
		if i < 0 || i >= tiers {
			return fmt.Errorf("no tier %d", i)
		}
	}
	for _, l := range t.Levels {
		if l < 0 || l >= maxLevels {
			return fmt.Errorf("no level %d", l)
		}
	}
	for _, s := range t.Skills {
		if s.Tier < 0 || s.Tier >= tiers || s.Level < 0 || s.Level >= maxLevels {
			return fmt.Errorf("no tier %d at level %d", s.Tier, s.Level)
		}
	}
	if err := t.OnSite.validate(); err != nil {
		return fmt.Errorf("on site: %w", err)
	}
	if err := t.OnCall.validate(); err != nil {
		return fmt.Errorf("on call: %w", err)
	}
	if !(t.Shrinkage >= 0 && t.Shrinkage < 1) {
		return fmt.Errorf("shrinkage must be in [0, 1)")
	}
	if t.OnCallDelay != nil {
		if err := t.OnCallDelay.Validate(); err != nil {
			return fmt.Errorf("on-call delay: %w", err)
		}
	}
	if t.Concurrency < 0 || t.Concurrency > MaxConcurrency {
		return fmt.Errorf("concurrency must be from 1 to %d, got %d", MaxConcurrency, t.Concurrency)
	}
	if t.slots() > 1 && t.HandBack {
		return errors.New("agents holding several tickets at once finish them at the end of a shift: hand-back is not simulated for them")
	}
	return nil
}

func (t *Tier) validate() error {
	if err := validDistribution(t.Handling); err != nil {
		return fmt.Errorf("handling: %w", err)
	}
	if t.Response <= 0 || t.Resolution < 0 {
		return fmt.Errorf("targets must be > 0 (resolution 0 for none), got response %v, resolution %v", t.Response, t.Resolution)
	}
	if !t.HasResolution() && (t.ResolutionCalendar != nil || t.OffHours.Resolution != 0) {
		return errors.New("a tier with no resolution target has no resolution calendar or off-hours resolution target")
	}
	if err := t.Mean.validate(); err != nil {
		return err
	}
	p := t.Arrivals
	if p.Interval <= 0 || len(p.Rates) == 0 {
		return errors.New("arrival profile needs an interval > 0 and at least one rate")
	}
	for i, r := range p.Rates {
		if !(r >= 0 && r <= 1e12) {
			return fmt.Errorf("arrival rate %d must be a number from 0 to 1e12, got %v", i, r)
		}
	}
	if len(t.Escalation) >= maxLevels {
		return fmt.Errorf("at most %d escalation steps, got %d", maxLevels-1, len(t.Escalation))
	}
	for i, e := range t.Escalation {
		if err := probability(e.Probability); err != nil {
			return fmt.Errorf("escalation %d: %w", i, err)
		}
		if err := validDistribution(e.Handling); err != nil {
			return fmt.Errorf("escalation %d handling: %w", i, err)
		}
	}
	if t.OffHours.Calendar != nil && (t.OffHours.Response < 0 || t.OffHours.Resolution < 0) {
		return errors.New("off-hours targets must be >= 0")
	}
	for _, p := range []float64{t.Pending.Probability, t.Misclassified, t.Deflected, t.Automation.Eligible, t.Automation.Success} {
		if err := probability(p); err != nil {
			return err
		}
	}
	if t.Deflected == 1 {
		return errors.New("deflecting every issue leaves no tickets")
	}
	if t.Pending.Probability > 0 {
		if err := validDistribution(t.Pending.Wait); err != nil {
			return fmt.Errorf("pending wait: %w", err)
		}
		if err := validDistribution(t.Pending.FollowUp); err != nil {
			return fmt.Errorf("pending follow-up: %w", err)
		}
	}
	if t.Automation.Eligible > 0 {
		if err := validDistribution(t.Automation.Processing); err != nil {
			return fmt.Errorf("automation processing: %w", err)
		}
	}
	if t.Patience != nil {
		if err := t.Patience.Validate(); err != nil {
			return fmt.Errorf("patience: %w", err)
		}
	}
	if t.Travel != nil {
		if err := t.Travel.Validate(); err != nil {
			return fmt.Errorf("travel: %w", err)
		}
	} else if t.RemoteResponse {
		return errors.New("a remote response needs travel")
	}
	if t.QueueCapacity < 0 || t.QueueCapacity > MaxQueueCapacity || t.QueueCapacity > 0 && !t.Blocking {
		return fmt.Errorf("queue capacity must be from 0 to %d, and needs Blocking; got %d", MaxQueueCapacity, t.QueueCapacity)
	}
	return nil
}

// MaxQueueCapacity bounds a tier's line when it is limited: beyond it the
// line is as good as unlimited, since the engine holds at most
// DefaultMaxInSystem tickets unless told otherwise.
const MaxQueueCapacity = 10_000_000

// loses reports whether the tier's tickets can leave unanswered: their
// customers may give up, or a limited line, theirs or that of a tier they
// may be carried as, may turn them away.
func (m *Model) loses(tier int) (abandons, blocked bool) {
	for _, c := range m.carried(tier) {
		blocked = blocked || m.Tiers[c.tier].Blocking
	}
	return m.Tiers[tier].Patience != nil, blocked
}

func probability(p float64) error {
	if !(p >= 0 && p <= 1) {
		return fmt.Errorf("probabilities must be in [0, 1], got %v", p)
	}
	return nil
}
