package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/sim"
)

const sweepExamples = `  # One setting: 2, 3 and 4 duty experts; volume from -20% to +20%
  slasim sweep default --vary 'teams[1].shifts[0].agents=2..4'
  slasim sweep default --vary arrivals.scale=0.8..1.2:0.1
  # A scenario with agents rather than teams
  slasim sweep contract --vary agents=10..13
  slasim sweep desk.yaml --vary 'tiers[0].targets.response=15m,30m,1h'
  # Two settings: every combination
  slasim sweep desk.yaml --vary 'teams[0].shifts[0].agents=8..10' \
      --vary arrivals.scale=1,1.2
  slasim sweep erlang-c --vary agents=10..14 --report sweep.html --csv results/
  # Shard 0 of 2 of a sweep; merge joins the parts
  slasim sweep desk.yaml --vary agents=10,11 --shard 0/2 --partial sweep/0.part
`

// sweepTask is slasim sweep: run a scenario at every combination of the
// values of one or two settings.
type sweepTask struct {
	scenario string
	axes     []sweep.Axis
	settings scenarios.RunSettings
	outputs
	// shard, when set, runs one shard of the sweep into a partial result.
	shard *shardJob
}

func sweepFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	vary := fs.StringArray("vary", nil, "a field and its values, `PATH=VALUES`: a list (8,9,10; 15m,30m) or a range (8..12; 0.8..1.2:0.1; 15m..1h:15m); PATH as in messages (agents, arrivals.scale, tiers[0].share); give it once or twice")
	flags := addReplicationFlags(fs, "sweep", "sweep.csv and replications.csv")
	fs.Lookup("json").Usage = "print the result as JSON (schema " + reports.SweepSchemaVersion + ", see docs/reports.md)"
	return func(args []string) (task, error) {
		arg, err := scenarioArg("sweep", args)
		if err != nil {
			return nil, err
		}
		if len(*vary) == 0 || len(*vary) > 2 {
			return nil, usagef("sweep needs one or two --vary PATH=VALUES, such as --vary arrivals.scale=0.8..1.2:0.1 or --vary agents=8..12; got %d", len(*vary))
		}
		t := &sweepTask{scenario: arg}
		for _, v := range *vary {
			a, err := sweep.ParseAxis(v)
			if err != nil {
				return nil, usagef("--vary %s: %v", v, err)
			}
			if len(t.axes) > 0 && t.axes[0].Path == a.Path {
				return nil, usagef("--vary %s: %s is already varied; give each field once, with all its values", v, a.Path)
			}
			t.axes = append(t.axes, a)
		}
		if _, err := sweep.Grid(t.axes); err != nil {
			return nil, usageError{err}
		}
		if t.settings, t.outputs, err = flags.parse(); err != nil {
			return nil, err
		}
		t.shard, err = flags.shard.parse(t.settings, t.outputs)
		return t, err
	}
}

func (t *sweepTask) stopping() string {
	if t.shard != nil {
		return shardStopping
	}
	return "stopping, then writing the points done, the last perhaps partly, marked partial"
}

func (t *sweepTask) run(e *env) error {
	t.settings.Workers = e.workers(t.settings.Workers)
	sc, err := openForRun(e, t.scenario, t.settings)
	if err != nil {
		return err
	}
	if t.shard != nil {
		return t.shard.run(e, sc, t.axes, t.settings)
	}
	// Each point is a scenario read afresh: the points of a large file
	// take a while.
	points, err := interruptible(e.ctx, func() ([]sweep.Point, error) {
		points, err := sweep.Points(sc, t.axes)
		if err != nil {
			return nil, usagef("--vary %v", err)
		}
		return points, nil
	})
	if err != nil {
		return err
	}
	base, opts, err := sc.Prepare(t.settings)
	if err != nil {
		return err
	}
	if err := t.check("sweep", sweepCSV...); err != nil {
		return err
	}
	var progress func(point, done, planned int)
	bar := e.progressBar("")
	if bar != nil {
		current := -1
		progress = func(point, done, planned int) {
			if point != current {
				current, bar.start = point, time.Now()
				bar.label = fmt.Sprintf("point %d/%d (%s) ", point+1, len(points), format.Printable(sweep.Label(points[point].Settings)))
			}
			bar.update(done, planned)
		}
	}
	results, err := sweep.Run(e.ctx, points, t.settings, progress)
	bar.clear()
	if err != nil {
		return err
	}
	if complete(results, len(points)) {
		e.stopping.Store(&writingWhole)
	}
	return t.reportSweep(e, sc, t.axes, base, opts.Seed, len(points), results)
}

// reportSweep prints and writes the reports of a sweep of sc along axes,
// planned points of which were run, and says how it ended; base is the
// model of the scenario as given.
func (o *outputs) reportSweep(e *env, sc *scenarios.Scenario, axes []sweep.Axis, base *sim.Model, seed uint64, planned int, results []sweep.Result) error {
	ctx := e.ctx
	if complete(results, planned) {
		ctx = context.WithoutCancel(ctx) // as reportRun
	}
	sw := sweepReport(ctx, sc, axes, base, seed, planned, results)
	unstable := 0
	for _, r := range results {
		if r.Result.Unstable != nil {
			unstable++
		}
	}
	if err := o.printed(e, sw.WriteText, sw.WriteJSON); err != nil {
		return err
	}
	if err := o.writeSweep(e, sw); err != nil {
		return err
	}
	switch {
	case sw.Partial:
		return fmt.Errorf("interrupted: %d of %d %s run, the last perhaps partly", len(results), planned, plural.Of(planned, "point", "points"))
	case unstable == planned:
		return errors.New("every point is unstable: no figures")
	}
	return nil
}

// complete reports whether results hold every one of planned points, none
// cut short.
func complete(results []sweep.Result, planned int) bool {
	return len(results) == planned && !slices.ContainsFunc(results, func(r sweep.Result) bool { return r.Result.Partial })
}

// sweepReport is the report of a sweep of sc along axes, as every output of
// slasim sweep and of the desk shows it: planned points, of which results
// were run; base is the model of the scenario as given; ctx stops the
// points' closed-form parts.
func sweepReport(ctx context.Context, sc *scenarios.Scenario, axes []sweep.Axis, base *sim.Model, seed uint64, planned int, results []sweep.Result) *reports.Sweep {
	meta := reports.Meta{Version: slasimVersion(), File: sc.Source(), Level: reports.DefaultLevel}
	var done []reports.Point
	for _, r := range results {
		meta.Scenario, meta.Description, meta.Model = r.Scenario.Name, r.Scenario.Description, r.Model
		done = append(done, reports.Point{Values: r.Values(), Report: reports.New(ctx, r.Result, meta)})
	}
	return reports.NewSweep(reports.SweepMeta{
		Version:     slasimVersion(),
		Scenario:    sc.Name,
		Description: sc.Description,
		File:        sc.Source(),
		Seed:        seed,
		Level:       reports.DefaultLevel,
		Axes:        axes,
		Planned:     planned,
		Model:       base,
	}, done)
}
