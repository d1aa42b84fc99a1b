package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Confidence is the level of every interval slasim reports.
const Confidence = 0.95

// Options controls a Monte Carlo run.
type Options struct {
	// Seed is the master seed; replication i draws from streams derived
	// from (Seed, i).
	Seed uint64
	// Replications is the number of replications, or with Precision the
	// number to start with. Zero means 10.
	Replications int
	// FirstReplication is the index of the first replication: a run split
	// across machines gives each part its own range of indexes, and the
	// parts' summaries merge into the summary of the whole.
	FirstReplication int
	// Precision, when > 0, adds replications until the 95% interval of every
	// tier's response and resolution attainment has a half-width at most
	// this (a share: 0.005 is half a percentage point), or MaxReplications
	// is reached.
	Precision       float64
	MaxReplications int
	// Workers is the number of replications simulated at once; zero means
	// one per CPU. It does not change the result.
	Workers int
	// Collector, if set, makes a collector for each worker; the run merges
	// them into Result.Collected.
	Collector func() Collector
	// Progress, if set, is called after each replication with the number
	// done and the number planned so far (the plan can grow with
	// Precision). Calls are serialised.
	Progress func(done, planned int)
	// CheckWarmUp detects, for a model whose warm-up is fixed, where its
	// start-up transient ends (DetectWarmUp), for Result.Detection to show
	// whether the warm-up is long enough. A model with AutoWarmUp always
	// detects its warm-up, unless Detection gives it: what an earlier run
	// of the same model and seed found (Result.Detection), for a run that
	// extends it with more replications.
	CheckWarmUp bool
	Detection   *WarmUpDetection
}

// Result is the outcome of a run.
type Result struct {
	Summary *Summary
	Seed    uint64
	// Planned is the number of replications the run intended; fewer were
	// done when it was interrupted (Partial).
	Planned int
	Partial bool
	// Precision is the requested half-width, and PrecisionMet whether every
	// attainment interval reached it.
	Precision    float64
	PrecisionMet bool
	// Unstable is set, and Summary holds no replications, when the offered
	// load reaches capacity or a replication's backlog grew without bound.
	Unstable *Instability
	// Collected holds the merged collectors, when Options.Collector is set.
	Collected Collector
	// WarmUp is what each replication simulated before the measured
	// window: the model's warm-up, or with Model.AutoWarmUp the one
	// detected; Detection is what the pilot replications found, when the
	// warm-up is automatic or Options.CheckWarmUp asked.
	WarmUp    time.Duration
	Detection *WarmUpDetection
}

// Run simulates replications of m in parallel. Cancelling ctx stops the run
// after the replications under way; the result then holds those completed
// and is marked Partial. The result depends only on m and the options'
// seed, replication count and precision, never on Workers.
func Run(ctx context.Context, m *Model, o Options) (*Result, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if o.Replications == 0 {
		o.Replications = 10
	}
	if o.Replications < 0 || o.Precision < 0 || o.Workers < 0 || o.FirstReplication < 0 {
		return nil, fmt.Errorf("replications, first replication, precision and workers must be >= 0")
	}
	if o.Precision > 0 {
		if o.MaxReplications == 0 {
			o.MaxReplications = 10_000
		}
		// Two replications at least: an interval needs a variance. The
		// cap is no lower than the start, two included.
		o.Replications = max(o.Replications, 2)
		o.MaxReplications = max(o.MaxReplications, o.Replications)
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	res := &Result{Summary: NewSummary(m), Seed: o.Seed, Planned: o.Replications, Precision: o.Precision}
	if !m.AutoWarmUp {
		res.WarmUp = m.WarmUp
	}
	// The window's exposure walks the whole horizon: once for the check
	// and every engine.
	ex := m.expose()
	if u := m.overload(ex); u != nil {
		res.Unstable = u
		return res, nil
	}
	if u := (&Instability{Load: m.OfferedLoad(), Capacity: m.Capacity(), AutomationLoad: m.AutomationLoad(),
		AutomationCapacity: float64(m.Automation.Capacity)}); u.AutomationLoad > 0 && u.AutomationLoad >= u.AutomationCapacity {
		res.Unstable = u
		return res, nil
	}
	if m.AutoWarmUp || o.CheckWarmUp {
		d := o.Detection
		if d == nil {
			var err error
			if d, err = DetectWarmUp(ctx, m, o.Seed, o.Workers); err != nil {
				if ctx.Err() != nil {
					res.Partial = true
					return res, nil
				}
				return nil, err
			}
		}
		res.Detection = d
		switch {
		case m.AutoWarmUp && d.Found:
			res.WarmUp = min(d.WarmUp, m.WarmUp)
		case m.AutoWarmUp:
			// Where the pilots stopped is no end of the transient, which
			// may go on past them: all the warm-up the model allows.
			res.WarmUp = m.WarmUp
		}
	}
	var (
		mu       sync.Mutex
		done     int
		progress = func() {
			if o.Progress == nil {
				return
			}
			mu.Lock()
			done++
			o.Progress(done, res.Planned)
			mu.Unlock()
		}
	)
	engines := make([]*replication, o.Workers)
	unserved := m.unserved(ex)
	for w := range engines {
		e := newReplication(m, unserved)
		e.begin = m.WarmUp - res.WarmUp
		if o.Collector != nil {
			e.measure.collector = o.Collector()
			e.outages, _ = e.measure.collector.(OutageCollector)
		}
		engines[w] = e
	}
	for next := 0; next < res.Planned; {
		batch, err := runBatch(ctx, m, o, engines, o.FirstReplication+next, o.FirstReplication+res.Planned, progress)
		if batch == nil {
			return nil, err
		}
		if mergeErr := res.add(batch); mergeErr != nil {
			return nil, mergeErr
		}
		if u := (*Instability)(nil); errors.As(err, &u) {
			res.Summary = NewSummary(m)
			res.Unstable = u
			return res, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				res.Partial = true
				return res, collect(res, engines)
			}
			return nil, err
		}
		next = res.Planned
		if o.Precision > 0 {
			hw := maxAttainmentHalfWidth(res.Summary)
			if res.PrecisionMet = hw <= o.Precision; !res.PrecisionMet {
				res.Planned = replicationsFor(res.Planned, hw, o.Precision, o.MaxReplications)
			}
		}
	}
	return res, collect(res, engines)
}

// add merges a batch's summary into the result's. The first batch's
// becomes it, checked as Merge checks it: merged into the empty summary,
// it would only be copied, every histogram allocated again.
func (res *Result) add(batch *Summary) error {
	if res.Summary.Replications > 0 {
		return res.Summary.Merge(batch)
	}
	if err := res.Summary.matches(batch); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	res.Summary = batch
	return nil
}

// collect merges the workers' collectors into the result.
func collect(res *Result, engines []*replication) error {
	for _, e := range engines {
		if e == nil || e.measure.collector == nil {
			continue
		}
		if res.Collected == nil {
			res.Collected = e.measure.collector
			continue
		}
		if err := res.Collected.Merge(e.measure.collector); err != nil {
			return err
		}
	}
	return nil
}

// runBatch simulates replications [from, to) and returns their merged
// summary, which holds every replication that completed even on error. When
// replications are unstable, the error is the lowest-numbered one's: every
// replication below it is completed first, so the report does not depend on
// which worker got there first.
func runBatch(ctx context.Context, m *Model, o Options, engines []*replication, from, to int, progress func()) (*Summary, error) {
	g, gctx := errgroup.WithContext(ctx)
	partials := make([]*Summary, len(engines))
	var (
		next     atomic.Int64
		mu       sync.Mutex
		unstable *Instability
		lowest   atomic.Int64 // replications above it need not finish
	)
	next.Store(int64(from))
	lowest.Store(math.MaxInt64)
	for w, e := range engines {
		e.ctx, e.lastNeeded = gctx, &lowest
		partials[w] = NewSummary(m)
		g.Go(func() error {
			for {
				rep := int(next.Add(1) - 1)
				if rep >= to || int64(rep) > lowest.Load() {
					return nil
				}
				err := e.run(o.Seed, rep, partials[w])
				var u *Instability
				switch {
				case errors.As(err, &u):
					mu.Lock()
					if unstable == nil || rep < unstable.Replication {
						unstable = u
						lowest.Store(int64(rep))
					}
					mu.Unlock()
				case errors.Is(err, errNotNeeded):
				case err != nil:
					return err
				default:
					progress()
				}
			}
		})
	}
	err := g.Wait()
	// The workers' summaries are the batch's own: the first takes the
	// others' replications.
	total := partials[0]
	for _, p := range partials[1:] {
		if mergeErr := total.Merge(p); mergeErr != nil {
			return nil, mergeErr
		}
	}
	if unstable != nil {
		return total, unstable
	}
	return total, err
}

// maxAttainmentHalfWidth is the widest attainment interval of the summary;
// +Inf while a tier has fewer than two replications with tickets.
func maxAttainmentHalfWidth(s *Summary) float64 {
	w := 0.0
	for i := range s.Tiers {
		for _, ms := range s.Tiers[i].metrics() {
			lo, hi := ShareCI(&ms.Attainment, ms.Met, ms.Tickets, Confidence)
			h := (hi - lo) / 2
			if math.IsNaN(h) {
				return math.Inf(1)
			}
			w = max(w, h)
		}
	}
	return w
}

// replicationsFor plans the next total: the half-width shrinks as 1/√n, so
// n·(hw/target)² replications should reach the target; ask for 10% more, at
// least a quarter more than now, and never beyond the cap.
func replicationsFor(n int, hw, target float64, cap int) int {
	want := float64(n) * 1.25
	if !math.IsInf(hw, 1) {
		want = max(want, 1.1*float64(n)*(hw/target)*(hw/target))
	}
	return int(min(math.Ceil(want), float64(cap)))
}
