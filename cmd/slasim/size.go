package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/staffing/sizing"
)

const sizeExamples = `  # The cheapest agents for the default scenario
  slasim size
  # 90% on every clock instead of the file's sizing.level
  slasim size desk.yaml --level 90%
  # Every team at 42 an agent-hour, at least 2 on each shift
  slasim size desk.yaml --cost 42 --min 2
  # For a tighter target, as JSON
  slasim size desk.yaml --set 'tiers[0].targets.response=10m' --json
  # Also write sizing.txt, sizing.json and the frontier plot
  slasim size desk.yaml --out sizing/
  # Then: slasim run sized.yaml
  slasim size desk.yaml --write sized.yaml
`

// sizeTask is slasim size: the cheapest staffing that meets every level.
type sizeTask struct {
	scenario string
	// settings are applied to the scenario before sizing: --level and the
	// like, then each --set.
	settings []scenarios.Setting
	// search holds the flags' replications and workers; its seed is the
	// scenario's unless seed is set.
	search sizing.Options
	seed   *uint64
	json   bool
	out    string
	write  string
}

func sizeFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	fs.String("level", "", "the `SHARE` of tickets every clock must meet in time, e.g. 95% (sets sizing.level; levels the file gives per tier still apply)")
	fs.String("confidence", "", "the confidence `SHARE` of the interval whose lower end must reach the level, e.g. 95% (sets sizing.confidence)")
	fs.String("cost", "", "the `COST` of an agent-hour, for agents and every team without its own (sets sizing.cost)")
	fs.String("min", "", "the fewest agents, `N`, of agents or on each shift without its own bounds (sets sizing.min)")
	fs.String("max", "", "the most agents, `N`, likewise (sets sizing.max)")
	var sets []string
	fs.StringArrayVar(&sets, "set", nil, "set the field at PATH to VALUE before sizing (`PATH=VALUE`, repeatable), e.g. 'sizing.teams[1].shifts[0].min=2'")
	t := &sizeTask{}
	var seed uint64
	fs.Uint64Var(&seed, "seed", 0, "master seed of the search; the confirmation uses seed+1 (default: the scenario's)")
	fs.IntVarP(&t.search.Replications, "replications", "r", 10, "replications of a candidate's first batch; doubled while an interval straddles its level")
	fs.IntVar(&t.search.MaxReplications, "max-replications", 80, "the most replications a candidate gets")
	fs.IntVarP(&t.search.Workers, "workers", "w", 0, "replications simulated at once (default: one per CPU); never changes the output")
	fs.BoolVar(&t.json, "json", false, "print the result as JSON (schema "+reports.SizingSchemaVersion+", see docs/sizing.md)")
	fs.StringVar(&t.out, "out", "", "also write sizing.txt, sizing.json and frontier.png/.svg (when something is checked) into `DIR` (created if needed)")
	fs.StringVar(&t.write, "write", "", "write the scenario with the sized head counts to `FILE`, ready for slasim run (comments kept, layout may change; - for standard output, instead of the report)")
	return func(args []string) (task, error) {
		var err error
		if t.scenario, err = scenarioArg("size", args); err != nil {
			return nil, err
		}
		for _, f := range []struct{ name, path string }{{"level", "sizing.level"}, {"confidence", "sizing.confidence"}, {"cost", "sizing.cost"}, {"min", "sizing.min"}, {"max", "sizing.max"}} {
			if fs.Changed(f.name) {
				t.settings = append(t.settings, scenarios.Setting{Path: f.path, Value: fs.Lookup(f.name).Value.String()})
			}
		}
		for _, s := range sets {
			path, v, ok := strings.Cut(s, "=")
			if !ok || path == "" {
				return nil, usagef("--set takes PATH=VALUE, such as sizing.cost=42, got %q", s)
			}
			t.settings = append(t.settings, scenarios.Setting{Path: strings.TrimSpace(path), Value: strings.TrimSpace(v)})
		}
		if fs.Changed("seed") {
			if seed == math.MaxUint64 {
				return nil, usagef("--seed must be below %d: the confirmation uses seed+1", uint64(math.MaxUint64))
			}
			t.seed = &seed
		}
		switch o := &t.search; {
		case o.Replications < 2:
			return nil, usagef("--replications must be at least 2 (an interval needs two), got %d", o.Replications)
		case o.MaxReplications < o.Replications:
			return nil, usagef("--max-replications must be at least --replications (%d), got %d", o.Replications, o.MaxReplications)
		case fs.Changed("workers") && o.Workers <= 0:
			return nil, usagef("--workers must be > 0, got %d", o.Workers)
		}
		return t, nil
	}
}

func (t *sizeTask) stopping() string { return "stopping: a sizing cut short writes nothing" }

func (t *sizeTask) run(e *env) error {
	sc, err := openScenario(e, t.scenario, t.settings...)
	if err != nil {
		return err
	}
	o := t.search
	o.Workers = e.workers(o.Workers)
	o.Seed = sc.Simulation.Seed
	if t.seed != nil {
		o.Seed = *t.seed
	}
	if o.Seed == math.MaxUint64 {
		return usagef("the scenario's seed must be below %d: the confirmation uses seed+1", uint64(math.MaxUint64))
	}
	if err := checkOutputs(
		outPath{flag: "out", path: t.out, dir: true, files: []string{"sizing.txt", "sizing.json"}},
		outPath{flag: "write", path: t.write}); err != nil {
		return err
	}
	if e.interactive {
		o.Progress = reports.SizingProgress(e.stderr, e.columns())
	}
	doc, res, err := sizeScenario(e.ctx, sc, o)
	if e.interactive {
		fmt.Fprint(e.stderr, "\r\033[K") // before the results are written
	}
	if err != nil {
		return err
	}
	if t.write != stdoutPath {
		write := e.fitted(doc.WriteText)
		if t.json {
			write = doc.WriteJSON
		}
		if err := write(e.stdout); err != nil {
			return err
		}
	}
	if t.out != "" {
		files := []outFile{{filepath.Join(t.out, "sizing.txt"), fitted(doc.WriteText, 0)}, {filepath.Join(t.out, "sizing.json"), doc.WriteJSON}}
		if err := (&outputs{plots: t.out}).write(e, files, doc.Figures); err != nil {
			return err
		}
	}
	if t.write != "" {
		data, err := sc.Sized(res)
		if err != nil {
			return fmt.Errorf("--write: %w", err)
		}
		if err := e.writeFiles(outFile{t.write, func(w io.Writer) error { _, err := w.Write(data); return err }}); err != nil {
			return err
		}
		what := "sized"
		if !res.Feasible {
			what = "best attainable"
		}
		e.say("slasim size: wrote the %s scenario to %s; slasim run %s reports on it in full\n", what, t.write, t.write)
	}
	if !res.Feasible {
		return errors.New("no staffing within the bounds meets the requirement; the best attainable is shown")
	}
	return nil
}

// sizeScenario sizes sc's staffing with the search options o, and returns
// the sizing's report, as slasim size and the desk show it.
func sizeScenario(ctx context.Context, sc *scenarios.Scenario, o sizing.Options) (*reports.Sizing, *sizing.Result, error) {
	p, err := sc.SizingProblem()
	if err != nil {
		return nil, nil, usageError{err}
	}
	res, err := sizing.Size(ctx, p, o)
	if err != nil {
		if ctx.Err() != nil {
			// err names the staffing under simulation, every shift of it,
			// and restates the stop: the user asked for neither.
			return nil, nil, errors.New("interrupted before the search ended: nothing is written")
		}
		return nil, nil, usageError{err}
	}
	meta := reports.SizingMeta{Version: slasimVersion(), Scenario: sc.Name, File: sc.Source(), Seed: o.Seed}
	if sc.Contract != nil {
		meta.Contract, meta.Currency, meta.PeriodsMet, meta.Risk = true, sc.Contract.Currency, sc.Sizing.PeriodsMet, sc.Sizing.Risk
	}
	return reports.NewSizing(meta, p, res), res, nil
}
