package sim

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/sim/steady"
)

// WarmUpDetection is where pilot replications found the start-up
// transient to end.
//
// A replication starts empty, so its queues are short at first; measuring
// them then makes a busy desk look better than it is (with a 1-day warm-up
// at 90% load, one-week replications of M/M/10 put P(wait ≤ 1 h) at 76.5%
// against Erlang C's 75.4%). The detection simulates Pilots replications
// of their own (streams of replication indices -1, -2, …, so the run's
// replications are not reused) from the start of the model's timeline,
// records each hour the tickets in the system, the tickets waiting and the
// mean wait of the tickets arriving, averages each hour over the pilots,
// and applies MSER-5 (package steady) to each of the three series: the
// warm-up is the latest of the three truncation points, and at least five
// relaxation times of the desk's queue (see relaxation), below which MSER
// stops early on a slowly mixing queue, unless the pilots had no ticket
// at all; a truncation beyond those is kept only where what it drops
// differs from what it keeps, by a t test over as many pilots more
// (measured.differs). A desk whose arrivals or staffing follow the week
// is read week by week (weekly means, so the weekly cycle is not taken
// for a transient) and gets a warm-up in whole weeks; a desk without
// weekly pattern is read in batches of 5 hours. The pilots run ten
// relaxation times (at least 50 hours, or 8 weeks), and twice as long each
// time MSER finds the series too short, up to the model's warm-up and
// horizon.
type WarmUpDetection struct {
	// WarmUp is the detected end of the transient, from the start of the
	// pilots; when Found is false, the transient may go on beyond what the
	// pilots' Span could show (more than half of it), and a run uses all
	// the warm-up the model allows.
	WarmUp time.Duration `json:"warm_up_ns"`
	Found  bool          `json:"found"`
	Pilots int           `json:"pilots"`
	Span   time.Duration `json:"span_ns"`
	// Least is the least warm-up, five relaxation times of the desk's
	// queue in whole hours or weeks: WarmUp equals it when the pilots
	// showed no longer transient. Both are 0 when the pilots had no
	// ticket: no queue fills, so there is nothing to warm up.
	Least time.Duration `json:"least_ns"`
}

// pilots is the number of pilot replications: enough for the averaged
// hours to show a transient, few enough to cost less than a run.
const pilots = 8

// series is one pilot's record, hour by hour from time 0: the time
// integrals of tickets in the system and waiting (ticket-hours), and the
// number and total wait (hours) of the tickets arriving in the hour, by
// the time their response clock stops. It leaves out the tickets of the
// classes nobody serves (Model.unserved): their backlog grows by design,
// and would read as a transient that never ends.
type series struct {
	inSystem, waiting []float64
	arrived, waits    []float64
	last              time.Duration // integrated up to
	ignore            []bool        // by class, left out
}

func newSeries(span time.Duration, ignore []bool) *series {
	n := int((span + time.Hour - 1) / time.Hour)
	return &series{inSystem: make([]float64, n), waiting: make([]float64, n), arrived: make([]float64, n), waits: make([]float64, n), ignore: ignore}
}

// advance integrates the counts, which held since the last event, up to
// the event at t, hour by hour; byClass are the tickets waiting by class.
func (s *series) advance(t time.Duration, inSystem, waiting int, byClass []int) {
	for c, left := range s.ignore {
		if left {
			inSystem -= byClass[c]
			waiting -= byClass[c]
		}
	}
	for s.last < t {
		h := int(s.last / time.Hour)
		if h >= len(s.inSystem) {
			s.last = t
			return
		}
		end := min(t, time.Duration(h+1)*time.Hour)
		d := (end - s.last).Hours()
		s.inSystem[h] += float64(inSystem) * d
		s.waiting[h] += float64(waiting) * d
		s.last = end
	}
}

// wait adds the wait of a ticket of class that arrived at arrival.
func (s *series) wait(class int8, arrival, wait time.Duration) {
	if s.ignore[class] {
		return
	}
	if h := int(arrival / time.Hour); h < len(s.arrived) {
		s.arrived[h]++
		s.waits[h] += wait.Hours()
	}
}

// periodic reports whether the model's arrivals or staffing change within
// the week, so that its steady state is a weekly cycle.
func (m *Model) periodic() bool {
	for _, t := range m.Tiers {
		for _, r := range t.Arrivals.Rates {
			if r != t.Arrivals.Rates[0] {
				return true
			}
		}
	}
	for _, t := range m.teams() {
		if len(t.OnSite.At) > 1 || len(t.OnCall.At) > 1 {
			return true
		}
	}
	return false
}

// relaxation estimates how long the desk's queue takes to forget its
// start: S/(c(1 − √ρ)²), the relaxation time of M/M/c in heavy traffic,
// with S the mean work of a ticket, c the agents and ρ their utilisation
// over the measured window. When every ticket that arrives may hang up,
// the queue cannot grow without end: a line of q drains by hanging up at
// q/θ an hour (θ the mean patience) on top of the agents' work, so it
// forgets its start within the longer of the mean patience and the mean
// work, however close to (or past) full load the desk runs. The tiers
// marked unserved, whose backlog never relaxes, are left out.
func (m *Model) relaxation(unserved []bool) time.Duration {
	var load, rate float64
	var patient time.Duration // the longest mean patience and work
	for i, t := range m.Tiers {
		r := t.rate()
		if r == 0 || unserved[i] {
			continue
		}
		rate += r
		load += r * t.HumanWork().Hours()
		if patient >= 0 && t.Patience != nil {
			patient = max(patient, t.Patience.Mean(), t.HumanWork())
		} else {
			patient = -1 // some tickets wait for ever
		}
	}
	agents := m.Capacity()
	if rate == 0 || agents == 0 {
		return 0
	}
	rho := min(load/agents, 0.999)
	hours := load / rate / (agents * (1 - math.Sqrt(rho)) * (1 - math.Sqrt(rho)))
	if patient > 0 {
		hours = min(hours, patient.Hours())
	}
	return time.Duration(min(hours, maxRelaxation.Hours()) * float64(time.Hour))
}

// maxRelaxation caps relaxation, far beyond any timeline, so that ten of
// it, the pilots' first span, are a Duration still: near full load the
// formula gives centuries, and five or ten of maxSample overflowed into a
// negative floor (an index out of range) and a first span of 50 hours.
const maxRelaxation = maxSample / 10

// DetectWarmUp finds where the start-up transient of m ends (see
// WarmUpDetection), simulating pilots from time 0 for at most m's warm-up
// and horizon, workers at once (0: one per CPU). It is deterministic given
// the seed, whatever the number of workers.
func DetectWarmUp(ctx context.Context, m *Model, seed uint64, workers int) (*WarmUpDetection, error) {
	unit, batch, units := time.Hour, 5, 50
	if m.periodic() {
		unit, batch, units = Week, 1, 8
	}
	// MSER needs the series to go on well past the transient; its length
	// is unknown, but a queue relaxes in about S/(c(1 − √ρ)²) (S the mean
	// work, c the agents, ρ their utilisation): start at ten of those.
	// MSER balances the bias left against the data dropped, and on a
	// slowly mixing queue averaged over few pilots it stops early (5 to
	// 105 hours at load 0.9 on M/M/10, which relaxes in 38): five
	// relaxation times are the least warm-up.
	relax := m.relaxation(m.unserved(m.expose()))
	limit := m.WarmUp + m.Horizon
	span := min(limit, max(time.Duration(units)*unit, 10*relax))
	for {
		runs, err := runPilots(ctx, m, seed, span, workers, 0)
		if err != nil {
			return nil, err
		}
		var confirm []*series // pilots of their own, for measured.differs
		d := &WarmUpDetection{Pilots: pilots, Span: span, Found: true}
		n, hours := int(span/unit), int(unit/time.Hour)
		least := 0
		if ticketed(runs) {
			least = int((5*relax + unit - 1) / unit)
		}
		d.Least = time.Duration(least) * unit
		d.WarmUp = d.Least
		for _, x := range []measured{
			{func(s *series) []float64 { return s.inSystem }, nil},
			{func(s *series) []float64 { return s.waiting }, nil},
			{func(s *series) []float64 { return s.waits }, func(s *series) []float64 { return s.arrived }},
		} {
			means := make([]float64, n)
			for u := range means {
				means[u] = x.mean(runs, u*hours, (u+1)*hours)
			}
			drop, ok := steady.Truncation(means, batch)
			if drop > least && confirm == nil {
				if confirm, err = runPilots(ctx, m, seed, span, workers, pilots); err != nil {
					return nil, err
				}
			}
			if drop > least && !x.differs(confirm, least*hours, drop*hours, n*hours) {
				drop, ok = least, true // noise, not a transient
			}
			d.WarmUp = max(d.WarmUp, time.Duration(drop)*unit)
			d.Found = d.Found && ok
		}
		// MSER's own rule: the steady part must be at least half the
		// series.
		d.Found = d.Found && d.WarmUp <= span/2
		if d.Found || span == limit {
			return d, nil
		}
		span = min(limit, 2*span)
	}
}

// ticketed reports whether any pilot had a ticket of a tier served in
// the system. A desk that gets none (a few tickets a year) has no queue to
// fill: the least warm-up, its queue's time scale, would be a transient
// nobody saw.
func ticketed(runs []*series) bool {
	for _, s := range runs {
		for _, v := range s.inSystem {
			if v > 0 {
				return true
			}
		}
	}
	return false
}

// measured is one of the series the detection reads from the pilots'
// records: of over a span of hours divided by per over it (nil: by the
// hours), as the tickets arriving's mean wait is their total wait over
// their number.
type measured struct{ of, per func(*series) []float64 }

// mean is the series' mean over hours [from, to) of the runs, pooled.
func (x measured) mean(runs []*series, from, to int) float64 {
	var num, den float64
	for _, s := range runs {
		for h := from; h < to; h++ {
			num += x.of(s)[h]
			if x.per == nil {
				den++
			} else {
				den += x.per(s)[h]
			}
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// differs reports whether the hours [from, to) that MSER would drop
// beyond the least warm-up differ in mean from the hours [to, end) it
// keeps, by a t test at 99% of each run's difference over runs, pilots of
// their own. MSER keeps the rest whose mean has the least standard error,
// and on a short, noisy series it drops a few units of noise too: with 8
// pilots averaged, 16 weekly means of the contract example's desk, which
// forgets its empty start within hours (its weeks' means over 200 pilots
// all agree within two standard errors), had a "transient" of 2 to 6
// weeks for 6 seeds of 30. Tested on the pilots MSER read, the split it
// chose, where they differ most, passed too often: 14 or 16 agents on
// weekdays 08:00-20:00 for 4 tickets an hour, whose weekly means over 50
// replications from empty agree from the second week on, had 5 or 6
// weeks for 6 seeds of 80; tested on 8 pilots more, none.
func (x measured) differs(runs []*series, from, to, end int) bool {
	diffs := make([]float64, len(runs))
	var mean float64
	for i, s := range runs {
		one := []*series{s}
		diffs[i] = x.mean(one, from, to) - x.mean(one, to, end)
		mean += diffs[i] / float64(len(runs))
	}
	var sq float64
	for _, v := range diffs {
		sq += (v - mean) * (v - mean)
	}
	se := math.Sqrt(sq / float64(len(runs)-1) / float64(len(runs)))
	return math.Abs(mean) > distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(runs) - 1)}.Quantile(0.995)*se
}

// runPilots simulates pilot replications of m over [0, span), each
// recording its series, at once: pilots of them from the first (streams
// of replication index -1-first, -2-first, …).
func runPilots(ctx context.Context, m *Model, seed uint64, span time.Duration, workers, first int) ([]*series, error) {
	// The same timeline from its start, measured throughout: the warm-up
	// becomes part of the window, whose week offset moves back with it.
	//
	// No drain: a ticket still waiting at span enters the wait series
	// with its wait so far, a lower bound, which pulls the last hours'
	// mean wait down. Followed to its answer instead (an 8-week drain),
	// the detection was the same for 160 of 160 M/M/c cases (M/M/1 and
	// M/M/10 at 0.9, M/M/2 at 0.8, M/M/50 at 0.97, seeds 1-40) and 280
	// of 280 of desks staffed on weekdays 08:00-20:00, whose weekend
	// tickets wait up to 60 hours (12 to 16 agents for 4 tickets an
	// hour): the least warm-up and the weekly means set the warm-up, not
	// the last hours.
	p := *m
	p.WarmUp, p.Horizon, p.Drain = 0, span, 1
	p.WeekOffset = ((m.WeekOffset-m.WarmUp)%Week + Week) % Week
	runs := make([]*series, pilots)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	unserved := p.unserved(p.expose())
	for range min(workers, pilots) {
		// An engine per worker, reused pilot after pilot.
		r := newReplication(&p, unserved)
		r.ctx = gctx
		s := NewSummary(&p)
		g.Go(func() error {
			for j := int(next.Add(1) - 1); j < pilots; j = int(next.Add(1) - 1) {
				r.measure.series = newSeries(span, unserved)
				err := r.run(seed, -1-first-j, s)
				var u *Instability
				if errors.As(err, &u) {
					// The run will find it too, and say so; the hours
					// recorded until the stop still show a rising queue.
					err = nil
				}
				if err != nil {
					return err
				}
				runs[j] = r.measure.series
			}
			return nil
		})
	}
	return runs, g.Wait()
}
