package sim

import (
	"context"
	"fmt"
	"time"
)

// Instability describes a system whose queue grows without bound.
type Instability struct {
	// Load is the offered load in Erlangs (mean agent-hours of work arriving
	// per hour) and Capacity the agents available to serve it.
	Load     float64 `json:"load"`
	Capacity float64 `json:"capacity"`
	// When a replication had to be stopped: which one, at what simulated
	// time, with how many tickets in the system, and how fast the backlog
	// grew (tickets per hour since the start).
	Replication   int           `json:"replication,omitempty"`
	At            time.Duration `json:"at_ns,omitempty"`
	InSystem      int           `json:"in_system,omitempty"`
	GrowthPerHour float64       `json:"growth_per_hour,omitempty"`
}

func (u *Instability) Error() string {
	if u.InSystem == 0 {
		return fmt.Sprintf("unstable: offered load %.3g Erlangs >= capacity of %.3g agents", u.Load, u.Capacity)
	}
	return fmt.Sprintf("unstable: replication %d held %d tickets at %v (backlog growing %.3g tickets/h; offered load %.3g Erlangs, capacity %.3g agents)",
		u.Replication, u.InSystem, u.At, u.GrowthPerHour, u.Load, u.Capacity)
}

type ticket struct {
	arrival      time.Duration
	remaining    time.Duration // work left
	serviceStart time.Duration
	tier         int32
	agent        int32
	stamp        uint32 // bumped on every start, to retire stale completions
	started      bool
	measured     bool
}

type tierState struct {
	arrivals, handling *source
	ratePerNs          []float64
	interval           time.Duration
	idx                int           // current interval of the profile
	bound              time.Duration // end of the current interval
	last               time.Duration // last arrival
	active             bool          // false once arrivals have ended
}

// repMetric accumulates one clock over one replication.
type repMetric struct {
	n, met int64
	sumNs  float64
	lateNs float64
	times  Histogram
}

func (r *repMetric) add(d, target time.Duration) {
	r.n++
	r.sumNs += float64(d)
	if d <= target {
		r.met++
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
	*r = repMetric{times: r.times}
	r.times.Reset()
}

// replication is one worker's engine state, reused from one replication to
// the next so that steady-state simulation allocates nothing.
type replication struct {
	m       *Model
	ctx     context.Context
	tiers   []tierState
	events  eventHeap
	seq     uint64
	tickets []ticket
	free    []int32
	queues  []deque
	agent   []int32 // ticket in service per agent, -1 when idle
	idle    []int32

	now          time.Duration
	w0, w1       time.Duration // measured window
	maxInSystem  int
	inSystem     int
	waiting      int
	busy         int
	measuredOpen int

	lastT                       time.Duration
	busyArea, sysArea, waitArea float64
	resp, resol                 []repMetric
}

func newReplication(m *Model) *replication {
	r := &replication{
		m:           m,
		tiers:       make([]tierState, len(m.Tiers)),
		queues:      make([]deque, len(m.Tiers)),
		agent:       make([]int32, m.Agents),
		idle:        make([]int32, 0, m.Agents),
		resp:        make([]repMetric, len(m.Tiers)),
		resol:       make([]repMetric, len(m.Tiers)),
		w0:          m.WarmUp,
		w1:          m.WarmUp + m.Horizon,
		maxInSystem: m.MaxInSystem,
	}
	if r.maxInSystem == 0 {
		r.maxInSystem = DefaultMaxInSystem
	}
	for i, t := range m.Tiers {
		ts := &r.tiers[i]
		ts.arrivals, ts.handling = newSource(), newSource()
		ts.interval = t.Arrivals.Interval
		ts.ratePerNs = make([]float64, len(t.Arrivals.Rates))
		for j, rate := range t.Arrivals.Rates {
			ts.ratePerNs[j] = rate / float64(time.Hour)
		}
	}
	return r
}

func (r *replication) reset(seed uint64, rep int) {
	r.events.reset()
	r.seq = 0
	r.tickets = r.tickets[:0]
	r.free = r.free[:0]
	for i := range r.queues {
		r.queues[i].reset()
	}
	r.idle = r.idle[:0]
	for a := len(r.agent) - 1; a >= 0; a-- {
		r.agent[a] = -1
		r.idle = append(r.idle, int32(a))
	}
	r.now, r.lastT = 0, 0
	r.inSystem, r.waiting, r.busy, r.measuredOpen = 0, 0, 0, 0
	r.busyArea, r.sysArea, r.waitArea = 0, 0, 0
	for i := range r.tiers {
		ts := &r.tiers[i]
		ts.arrivals.seed(seed, rep, StreamArrivals, i)
		ts.handling.seed(seed, rep, StreamHandling, i)
		// Simulation time 0 is the start of the warm-up; place it in the
		// profile so that the measured window begins at Model.Start.
		period := ts.interval * time.Duration(len(ts.ratePerNs))
		phase := ((r.m.Start-r.m.WarmUp)%period + period) % period
		ts.idx = int(phase / ts.interval)
		ts.bound = time.Duration(ts.idx+1)*ts.interval - phase
		ts.last = 0
		ts.active = r.m.Tiers[i].Arrivals.MeanRate() > 0
		r.scheduleArrival(i)
	}
}

// scheduleArrival draws the tier's next arrival exactly, by inverting the
// cumulative rate: an Exp(1) amount of "rate × time" is spent interval by
// interval, so that short peaks get their full share of arrivals.
func (r *replication) scheduleArrival(tier int) {
	ts := &r.tiers[tier]
	if !ts.active {
		return
	}
	e := ts.arrivals.ExpFloat64()
	t := ts.last
	for {
		if rate := ts.ratePerNs[ts.idx]; rate > 0 {
			room := float64(ts.bound-t) * rate
			if e < room {
				t += time.Duration(e / rate)
				break
			}
			e -= room
		}
		t = ts.bound
		if t >= r.w1 {
			ts.active = false
			return
		}
		ts.idx++
		if ts.idx == len(ts.ratePerNs) {
			ts.idx = 0
		}
		ts.bound += ts.interval
	}
	if t >= r.w1 {
		ts.active = false
		return
	}
	ts.last = t
	r.push(event{at: t, key: uint64(evArrival) << kindShift, a: int32(tier)})
}

func (r *replication) push(e event) {
	e.key |= r.seq
	r.seq++
	r.events.push(e)
}

// advance accumulates the time integrals over the measured window up to t.
func (r *replication) advance(t time.Duration) {
	lo, hi := max(r.lastT, r.w0), min(t, r.w1)
	if hi > lo {
		d := float64(hi - lo)
		r.busyArea += float64(r.busy) * d
		r.sysArea += float64(r.inSystem) * d
		r.waitArea += float64(r.waiting) * d
	}
	r.lastT = t
}

// run simulates one replication and folds its statistics into s.
func (r *replication) run(seed uint64, rep int, s *Summary) error {
	r.reset(seed, rep)
	for n := 0; r.events.len() > 0; n++ {
		if n&(1<<14-1) == 0 && r.ctx.Err() != nil {
			return r.ctx.Err()
		}
		e := r.events.take()
		r.advance(e.at)
		r.now = e.at
		switch e.kind() {
		case evArrival:
			r.arrive(int(e.a))
			r.scheduleArrival(int(e.a))
			if r.inSystem > r.maxInSystem {
				return r.unstable(rep)
			}
		case evCompletion:
			if t := &r.tickets[e.a]; t.stamp == e.b {
				r.complete(e.a)
			}
		}
		if r.measuredOpen == 0 && r.now >= r.w1 {
			break
		}
	}
	r.advance(r.w1)
	r.fold(s)
	return nil
}

func (r *replication) unstable(rep int) error {
	return &Instability{
		Load:          r.m.OfferedLoad(),
		Capacity:      float64(r.m.Agents),
		Replication:   rep,
		At:            r.now,
		InSystem:      r.inSystem,
		GrowthPerHour: float64(r.inSystem) / r.now.Hours(),
	}
}

func (r *replication) newTicket() int32 {
	if n := len(r.free); n > 0 {
		i := r.free[n-1]
		r.free = r.free[:n-1]
		return i
	}
	r.tickets = append(r.tickets, ticket{})
	return int32(len(r.tickets) - 1)
}

func (r *replication) arrive(tier int) {
	i := r.newTicket()
	t := &r.tickets[i]
	t.arrival = r.now
	t.remaining = r.m.Tiers[tier].Handling.Sample(r.tiers[tier].handling.Rand)
	t.tier = int32(tier)
	t.started = false
	t.measured = r.now >= r.w0
	r.inSystem++
	if t.measured {
		r.measuredOpen++
	}
	if n := len(r.idle); n > 0 {
		a := r.idle[n-1]
		r.idle = r.idle[:n-1]
		r.start(a, i)
		return
	}
	if r.m.Tiers[tier].Preempts {
		if a := r.victim(tier); a >= 0 {
			r.preempt(a)
			r.start(a, i)
			return
		}
	}
	r.queues[tier].pushBack(i)
	r.waiting++
}

// victim picks the agent to interrupt for a ticket of the given tier: the
// one serving the lowest-priority ticket below that tier, the most recently
// started among equals; -1 if none.
func (r *replication) victim(tier int) int32 {
	best := int32(-1)
	for a, ti := range r.agent {
		t := &r.tickets[ti]
		if int(t.tier) <= tier {
			continue
		}
		if best < 0 {
			best = int32(a)
			continue
		}
		b := &r.tickets[r.agent[best]]
		if t.tier > b.tier || t.tier == b.tier && t.serviceStart >= b.serviceStart {
			best = int32(a)
		}
	}
	return best
}

func (r *replication) preempt(a int32) {
	i := r.agent[a]
	t := &r.tickets[i]
	t.remaining -= r.now - t.serviceStart
	t.stamp++ // its completion event is now stale
	r.busy--
	r.queues[t.tier].pushFront(i)
	r.waiting++
}

func (r *replication) start(a, i int32) {
	t := &r.tickets[i]
	if !t.started {
		t.started = true
		if t.measured {
			r.resp[t.tier].add(r.now-t.arrival, r.m.Tiers[t.tier].Response)
		}
	}
	t.agent = a
	t.serviceStart = r.now
	t.stamp++
	r.agent[a] = i
	r.busy++
	r.push(event{at: r.now + t.remaining, key: uint64(evCompletion) << kindShift, a: i, b: t.stamp})
}

func (r *replication) complete(i int32) {
	t := &r.tickets[i]
	if t.measured {
		r.resol[t.tier].add(r.now-t.arrival, r.m.Tiers[t.tier].Resolution)
		r.measuredOpen--
	}
	a := t.agent
	r.inSystem--
	r.busy--
	r.free = append(r.free, i)
	for q := range r.queues {
		if r.queues[q].size > 0 {
			r.waiting--
			r.start(a, r.queues[q].popFront())
			return
		}
	}
	r.agent[a] = -1
	r.idle = append(r.idle, a)
}

func (r *replication) fold(s *Summary) {
	window := float64(r.w1 - r.w0)
	s.Replications++
	s.Utilisation.Add(r.busyArea / (window * float64(r.m.Agents)))
	s.InSystem.Add(r.sysArea / window)
	s.Waiting.Add(r.waitArea / window)
	var n int64
	for i := range r.tiers {
		ts := &s.Tiers[i]
		ts.Tickets.Add(float64(r.resol[i].n))
		n += r.resol[i].n
		r.resp[i].fold(&ts.Response)
		r.resol[i].fold(&ts.Resolution)
	}
	s.ArrivalRate.Add(float64(n) / r.m.Horizon.Hours())
}
