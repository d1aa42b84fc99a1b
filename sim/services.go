package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/slasim/slasim/sim/internal/cacheline"
)

// Service is a system the desk supports, which fails and is restored:
// an alternating process of up times and outages, each outage bringing its
// tickets and perhaps slowing or stopping the automated channel. Its
// availability is judged over the measured window and over each of its
// periods, planned maintenance left out of the agreed service time.
type Service struct {
	Name string
	// Tier is the tier the service's outages count as: the tier of the
	// tickets they bring, and whose outage coefficient a contract applies.
	Tier int
	// Up is the time from a restore to the next failure (its mean the
	// MTBF), Restore the time an outage lasts unless a failover ends it
	// sooner (its mean the MTTR).
	Up, Restore Distribution
	Failover    Failover
	// Maintenance holds the planned maintenance windows as its open
	// intervals: agreed downtime, left out of the service time availability
	// is judged on (an outage's time inside them is not downtime); nil for
	// none.
	Maintenance *Calendar
	Tickets     OutageTickets
	Automation  OutageAutomation
	// Periods are the spans of the measured window availability is judged
	// over, such as calendar months: in time order, not overlapping.
	// Period names one for reports (month, week, day); "" when the one
	// period is the measured window.
	Periods []Window
	Period  string
	// Levels are the availability levels each period is judged against,
	// such as 0.999.
	Levels []float64
}

// Failover ends an outage after Time, drawn for each outage, with
// probability Probability, if restoring has not ended it sooner.
type Failover struct {
	Probability float64
	Time        Distribution
}

// OutageTickets are the tickets an outage brings, of the service's tier:
// a Poisson number of mean MeanSize (at least one; none when MeanSize is
// 0), arriving at exponential delays of mean Spread after it begins.
type OutageTickets struct {
	MeanSize float64
	Spread   time.Duration
}

// OutageAutomation is what an outage does to the automated channel while
// the service is down: with Stop it takes no attempt, the tickets it would
// try going to people (those waiting for it too; attempts under way
// finish); otherwise its attempts take Slowdown times as long (0 or 1:
// unchanged).
type OutageAutomation struct {
	Slowdown float64
	Stop     bool
}

// Window is a span [Start, End) of simulation time.
type Window struct {
	Start, End time.Duration
}

// MaxServices bounds the services of a model.
const MaxServices = 1000

// OutageRecord is what an OutageCollector sees of an outage that begins in
// the measured window, when it begins: the engine reuses one record.
type OutageRecord struct {
	// Service is the service's index, Tier the tier its outages count as.
	Service, Tier int
	// Start is when the outage begins, Duration how long it lasts, and
	// Downtime its part outside planned maintenance.
	Start, Duration, Downtime time.Duration
}

// An OutageCollector is a Collector that also receives the outages of the
// model's services, such as a contract's downtime compensation.
type OutageCollector interface {
	Collector
	// Outage receives an outage of the replication under way.
	Outage(o *OutageRecord)
}

func (s *Service) validate(tiers int, w0, w1 time.Duration) error {
	if s.Tier < 0 || s.Tier >= tiers {
		return fmt.Errorf("no tier %d", s.Tier)
	}
	for _, d := range []struct {
		name string
		d    Distribution
	}{{"up", s.Up}, {"restore", s.Restore}} {
		if err := validDistribution(d.d); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
	}
	if s.Up.Mean() <= 0 {
		return errors.New("up times must have a mean > 0")
	}
	if err := probability(s.Failover.Probability); err != nil {
		return fmt.Errorf("failover: %w", err)
	}
	if s.Failover.Probability > 0 {
		if err := validDistribution(s.Failover.Time); err != nil {
			return fmt.Errorf("failover time: %w", err)
		}
	}
	if !(s.Tickets.MeanSize >= 0 && s.Tickets.MeanSize <= 1e5) || s.Tickets.Spread < 0 {
		return fmt.Errorf("tickets: mean size must be from 0 to 100000 and spread >= 0")
	}
	if a := s.Automation.Slowdown; !(a == 0 || a >= 1 && a <= 1000) {
		return fmt.Errorf("automation slowdown must be from 1 to 1000, got %v", a)
	}
	for i, p := range s.Periods {
		if p.End <= p.Start || p.Start < w0 || p.End > w1 || i > 0 && p.Start < s.Periods[i-1].End {
			return fmt.Errorf("period %d [%v, %v) is empty, out of order or outside the window", i, p.Start, p.End)
		}
	}
	for _, l := range s.Levels {
		if !(l > 0 && l <= 1) {
			return fmt.Errorf("availability levels must be in (0, 1], got %v", l)
		}
	}
	return nil
}

// ServiceStats are one service's statistics.
type ServiceStats struct {
	Name string `json:"name"`
	// Availability is each replication's share of the agreed service time
	// of the measured window (the window less planned maintenance) the
	// service was up; Outages each replication's number of outages
	// beginning in the window.
	Availability Tally `json:"availability"`
	Outages      Tally `json:"outages"`
	// Over the service's periods: each replication's mean unplanned
	// downtime per period in hours and mean number of outages per period
	// (an outage counts in the period it begins in), and the distribution
	// of every period's downtime, pooled.
	PeriodDowntime Tally     `json:"period_downtime_hours"`
	PeriodOutages  Tally     `json:"period_outages"`
	Downtime       Histogram `json:"downtime"`
	// Meets holds, for each of the service's levels, each replication's
	// share of its periods whose availability reached the level, among
	// those with agreed service time (not all planned maintenance); a
	// replication without any adds nothing.
	Meets []Tally `json:"meets"`
}

func newServiceStats(m *Model) []ServiceStats {
	var ss []ServiceStats
	for _, s := range m.Services {
		ss = append(ss, ServiceStats{Name: s.Name, Meets: make([]Tally, len(s.Levels))})
	}
	return ss
}

// servicesMatch reports how o is not shaped like s.
func servicesMatch(s, o []ServiceStats) error {
	if len(s) != len(o) {
		return fmt.Errorf("%d services against %d", len(s), len(o))
	}
	for i := range s {
		if s[i].Name != o[i].Name || len(s[i].Meets) != len(o[i].Meets) {
			return fmt.Errorf("service %d differs (%q against %q)", i, s[i].Name, o[i].Name)
		}
	}
	return nil
}

func (s *ServiceStats) merge(o *ServiceStats) {
	s.Availability.Merge(&o.Availability)
	s.Outages.Merge(&o.Outages)
	s.PeriodDowntime.Merge(&o.PeriodDowntime)
	s.PeriodOutages.Merge(&o.PeriodOutages)
	s.Downtime.Merge(&o.Downtime)
	for i := range s.Meets {
		s.Meets[i].Merge(&o.Meets[i])
	}
}

// services runs the model's services through a replication: their
// failures and restores, the tickets their outages bring, what they do to
// the automated channel, and their downtime.
type services struct {
	specs []Service
	state []serviceState
	// stopped counts the services down that stop the automated channel;
	// slowdown is the factor on its processing times (1 when nothing
	// slows it).
	stopped  int
	slowdown float64
	record   OutageRecord
}

type serviceState struct {
	rng  *source
	down bool
	// By period, and over the window: the replication's unplanned
	// downtime and outages.
	periodDown []time.Duration
	periodN    []int64
	windowDown time.Duration
	windowN    int64
	met        []int64 // periods meeting each level, when folding
}

func newServices(m *Model) services {
	s := services{specs: m.Services, state: cacheline.Make[serviceState](len(m.Services)), slowdown: 1}
	for i, spec := range m.Services {
		s.state[i] = serviceState{rng: newSource(), periodDown: cacheline.Make[time.Duration](len(spec.Periods)), periodN: cacheline.Make[int64](len(spec.Periods)),
			met: cacheline.Make[int64](len(spec.Levels))}
	}
	return s
}

// resetServices puts every service up at the replication's start and
// schedules its first failure.
func (r *replication) resetServices(seed uint64, rep int) {
	sv := &r.services
	sv.stopped, sv.slowdown = 0, 1
	for i := range sv.state {
		st := &sv.state[i]
		st.rng.seed(seed, rep, StreamServices, i)
		st.down = false
		clear(st.periodDown)
		clear(st.periodN)
		st.windowDown, st.windowN = 0, 0
		r.scheduleFailure(i)
	}
}

// scheduleFailure draws service i's next up time from now; failures from
// the end of the measured window on do not matter.
func (r *replication) scheduleFailure(i int) {
	st := &r.services.state[i]
	at := r.now + r.services.specs[i].Up.Sample(st.rng.Rand)
	if at < r.w1 {
		r.events.schedule(at, evService, int32(i), 0)
	}
}

// service handles service i's failure (restore false) or restore.
func (r *replication) service(i int, restore bool) {
	sv := &r.services
	spec, st := &sv.specs[i], &sv.state[i]
	if restore {
		st.down = false
		r.automationChanged()
		r.scheduleFailure(i)
		return
	}
	// Everything an outage needs is drawn as it begins, the same count
	// whatever comes of it: its restore, the failover's chance and time,
	// and its tickets.
	rng := st.rng.Rand
	d := spec.Restore.Sample(rng)
	if f := &spec.Failover; f.Probability > 0 {
		failover := rng.Float64() < f.Probability
		if t := f.Time.Sample(rng); failover {
			d = min(d, t)
		}
	}
	if spec.Tickets.MeanSize > 0 {
		r.arrivals.incident(spec.Tier, spec.Tickets.MeanSize, spec.Tickets.Spread, r.now, st.rng, &r.events)
	}
	r.outage(i, r.now, d)
	st.down = true
	r.automationChanged()
	if r.now+d <= r.end {
		r.events.schedule(r.now+d, evService, int32(i), 1)
	}
}

// outage counts service i's outage of length d beginning at start: its
// downtime in the window and in each period, and the outage itself in the
// window and in the period it begins in, and hands it to the collector.
func (r *replication) outage(i int, start, d time.Duration) {
	sv := &r.services
	spec, st := &sv.specs[i], &sv.state[i]
	end := start + d
	st.windowDown += downtime(spec.Maintenance, max(start, r.w0), min(end, r.w1))
	if start >= r.w0 && start < r.w1 {
		st.windowN++
	}
	for k, p := range spec.Periods {
		if p.End <= start {
			continue
		}
		if p.Start >= end {
			break
		}
		st.periodDown[k] += downtime(spec.Maintenance, max(start, p.Start), min(end, p.End))
		if start >= p.Start {
			st.periodN[k]++
		}
	}
	if start >= r.w0 && start < r.w1 && r.outages != nil {
		sv.record = OutageRecord{Service: i, Tier: spec.Tier, Start: start, Duration: d, Downtime: downtime(spec.Maintenance, start, end)}
		r.outages.Outage(&sv.record)
	}
}

// downtime is the time in [a, b) outside planned maintenance.
func downtime(maintenance *Calendar, a, b time.Duration) time.Duration {
	if b <= a {
		return 0
	}
	if maintenance == nil {
		return b - a
	}
	return b - a - maintenance.Elapsed(a, b)
}

// automationChanged brings the automated channel's state in line with the
// services down: stopped while one that stops it is down (the tickets
// waiting for it then go to people), slowed by the largest slowdown of
// those down.
func (r *replication) automationChanged() {
	sv := &r.services
	stopped, slowdown := 0, 1.0
	for i := range sv.specs {
		if !sv.state[i].down {
			continue
		}
		a := &sv.specs[i].Automation
		if a.Stop {
			stopped++
		}
		slowdown = max(slowdown, a.Slowdown)
	}
	sv.slowdown = slowdown
	if sv.stopped = stopped; stopped == 0 {
		return
	}
	for r.auto.waiting > 0 {
		i := r.auto.dequeue(0, 0)
		t := r.tickets.at(i)
		r.leaveLine(i, t)
		r.measure.bypassed(t, i)
		t.autoEligible = false
		r.dispatch(i, t, arriving)
	}
}

// bypassed counts in the flow a ticket the automated channel was to
// resolve that goes to people instead, the channel being stopped: it may
// now escalate and go pending.
func (ms *measure) bypassed(t *ticket, i int32) {
	if !t.measured || !(t.autoEligible && t.autoSuccess) {
		return
	}
	ts := &ms.tiers[t.trueTier]
	if ms.clocks.per > 0 {
		ms.mark(t, i, Mark{Stage: Arrival}, t.arrival)
	}
	if t.last > 0 {
		ts.flow.Escalated++
	}
	if t.pendingPlanned {
		ts.flow.Pending++
	}
}

// foldServices adds the replication's service statistics to s.
func (r *replication) foldServices(s *Summary) {
	for i := range r.services.state {
		spec, st, ss := &r.services.specs[i], &r.services.state[i], &s.Services[i]
		if agreed := downtime(spec.Maintenance, r.w0, r.w1); agreed > 0 {
			ss.Availability.Add(1 - float64(st.windowDown)/float64(agreed))
		}
		ss.Outages.Add(float64(st.windowN))
		if len(spec.Periods) == 0 {
			continue
		}
		var down time.Duration
		var n, judged int64
		met := st.met
		clear(met)
		for k, p := range spec.Periods {
			down += st.periodDown[k]
			n += st.periodN[k]
			ss.Downtime.Add(st.periodDown[k])
			// A period that is all planned maintenance has no agreed
			// service time, so no availability: it counts neither way,
			// as a contract's period without tickets of a tier.
			pAgreed := downtime(spec.Maintenance, p.Start, p.End)
			if pAgreed == 0 {
				continue
			}
			judged++
			for j, l := range spec.Levels {
				if 1-float64(st.periodDown[k])/float64(pAgreed) >= l-1e-12 {
					met[j]++
				}
			}
		}
		np := float64(len(spec.Periods))
		ss.PeriodDowntime.Add(down.Hours() / np)
		ss.PeriodOutages.Add(float64(n) / np)
		if judged > 0 {
			for j := range met {
				ss.Meets[j].Add(float64(met[j]) / float64(judged))
			}
		}
	}
}

// incidents returns the model's major incidents: its bursts, and for each
// service whose outages bring tickets, a burst of them at its rate of
// outages, one per mean up time and restore (a failover makes outages a
// little more frequent than that), for the checks of load before and
// during a run.
func (m *Model) incidents() []Burst {
	if len(m.Services) == 0 {
		return m.Bursts
	}
	bs := append([]Burst(nil), m.Bursts...)
	for _, s := range m.Services {
		if s.Tickets.MeanSize > 0 {
			cycle := s.Up.Mean() + s.Restore.Mean()
			bs = append(bs, Burst{Tier: s.Tier, PerWeek: float64(Week) / float64(cycle), MeanSize: s.Tickets.MeanSize, Spread: s.Tickets.Spread})
		}
	}
	return bs
}
