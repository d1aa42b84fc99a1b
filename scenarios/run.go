package scenarios

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replications"
	"github.com/slasim/slasim/staffing/sizing"
)

// RunSettings are what a run takes besides the scenario: given by flags, a
// web form or a merge of shards. A zero field keeps the scenario's own.
type RunSettings struct {
	Replications int
	// FirstReplication is the index of the first replication: a shard of a
	// run split across machines runs its own range of indexes.
	FirstReplication int
	Precision        float64
	MaxReplications  int
	// Seed, when not nil, replaces the scenario's master seed.
	Seed *uint64
	// Workers is how many replications run at once (0: one per CPU); it
	// never changes the result.
	Workers int
	// Horizon, when > 0, replaces the length of the measured window, within
	// the limits a file has (see SetHorizon).
	Horizon time.Duration
	// ByReplication keeps each replication's own counts (package
	// sim/replications), for replications.csv.
	ByReplication bool
	// Progress, when set, is told the replications done and planned as the
	// run goes.
	Progress func(done, planned int)
}

// Prepare returns the engine's model and run options for the scenario with
// the settings applied, with the collectors its contract needs. A horizon
// is set on the scenario itself, so that its shifts and calendars cover
// the whole window.
func (s *Scenario) Prepare(rs RunSettings) (*sim.Model, sim.Options, error) {
	opts := s.Options()
	if err := s.CheckSettings(rs); err != nil {
		return nil, opts, err
	}
	if rs.Horizon > 0 {
		if err := s.SetHorizon(rs.Horizon); err != nil {
			return nil, opts, err
		}
	}
	if rs.Replications > 0 {
		opts.Replications = rs.Replications
	}
	opts.FirstReplication = rs.FirstReplication
	if rs.Precision > 0 {
		opts.Precision = rs.Precision
	}
	if rs.MaxReplications > 0 {
		opts.MaxReplications = rs.MaxReplications
	}
	if rs.Seed != nil {
		opts.Seed = *rs.Seed
	}
	opts.Workers = rs.Workers
	opts.Progress = rs.Progress
	m := s.Model()
	if rs.ByReplication {
		opts.Collector = replications.Collect(len(m.Tiers))
	}
	plan, err := s.ContractPlan(m)
	if err != nil {
		return nil, opts, err
	}
	if plan != nil {
		opts.Collector = sim.CombineCollectors(opts.Collector, plan.NewCollector)
	}
	return m, opts, nil
}

// CheckSettings refuses settings under which a run with precision would
// start with more replications than the file's max_replications allows:
// the cap would be passed without a word. The settings' own cap replaces
// the file's, and the default cap (no max_replications) rises to the
// replications the run starts with.
func (s *Scenario) CheckSettings(rs RunSettings) error {
	at := s.maxReplicationsAt
	if at == nil || rs.MaxReplications > 0 || cmp.Or(rs.Precision, s.Simulation.Precision) == 0 {
		return nil
	}
	start, limit := s.StartReplications(rs), s.Simulation.MaxReplications
	if start <= limit {
		return nil
	}
	p := *at
	p.Reason = fmt.Sprintf("must be at least the replications a run with precision starts with (%d), got %d: raise it, or start with fewer", start, limit)
	return &ValidationError{Problems: []Diagnostic{p}}
}

// StartReplications is the number of replications a run with the
// settings starts with: theirs, else the scenario's; with precision two
// at least, since an interval needs two (sim.Run).
func (s *Scenario) StartReplications(rs RunSettings) int {
	n := cmp.Or(rs.Replications, s.Simulation.Replications)
	if cmp.Or(rs.Precision, s.Simulation.Precision) > 0 {
		n = max(n, 2)
	}
	return n
}

// A Run is a scenario's simulation: the model as simulated, with the run
// settings applied, and its result.
type Run struct {
	Model  *sim.Model
	Result *sim.Result
}

// Run simulates the scenario with the settings applied.
func (s *Scenario) Run(ctx context.Context, rs RunSettings) (*Run, error) {
	m, opts, err := s.Prepare(rs)
	if err != nil {
		return nil, err
	}
	res, err := sim.Run(ctx, m, opts)
	if err != nil {
		return nil, err
	}
	return &Run{Model: m, Result: res}, nil
}

// Trace simulates replications reps of the run again, one after the
// other, and hands their measured tickets' records to emit (sim.Trace):
// the same tickets the run's statistics counted.
func (r *Run) Trace(ctx context.Context, reps []int, emit func([]sim.TraceRecord) error) error {
	_, err := sim.Trace(ctx, r.Model, r.Result.Seed, r.Result.WarmUp, reps, emit)
	return err
}

// Source says where the scenario came from, as reports name it: its file,
// or "embedded NAME" for an embedded example.
func (s *Scenario) Source() string {
	if s.File != "" {
		return s.File
	}
	return "embedded " + s.example
}

// With returns the scenario with each setting applied to its text and the
// whole validated afresh (see Vary).
func (s *Scenario) With(settings ...Setting) (*Scenario, error) {
	v, err := vary(s.File, s.text, s.alone, settings)
	if err != nil {
		return nil, err
	}
	v.example = s.example
	return v, nil
}

// Sized returns the scenario's text with the head counts sizing found
// written in (comments kept, layout perhaps changed), each offered shift
// it staffed added to its team's shifts and each interval staffing it
// sized written as head counts (agents, in place of a file), checked to
// parse: a file ready for a run.
func (s *Scenario) Sized(res *sizing.Result) ([]byte, error) {
	data := s.text
	for i, q := range res.Posts {
		var err error
		switch n := res.Best.Agents[i]; {
		case q.Block != nil:
			// Written below, interval by interval.
		case !q.Offered:
			data, err = Set(data, q.Path, strconv.Itoa(n))
		case n > 0:
			data, err = s.addShift(data, q, n)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, iv := range res.Intervals {
		var err error
		if data, err = setIntervals(data, iv.Path, iv.Sized); err != nil {
			return nil, err
		}
	}
	if _, err := parse(s.File, data, s.alone); err != nil {
		return nil, fmt.Errorf("the sized scenario does not parse: %w", err)
	}
	return data, nil
}
