package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replications"
)

const runExamples = `  slasim run                                  # the embedded default scenario
  slasim run erlang-c --replications 50       # an embedded example by name
  slasim run desk.yaml --precision 0.5%       # replicate until every interval is within ±0.5 points
  slasim run desk.yaml --seed 7 --horizon 13w --json > result.json
  slasim run desk.yaml --out results/         # also write results/report.txt and results/report.json
  slasim run desk.yaml --report desk.html     # a self-contained HTML report with plots
  slasim run desk.yaml --csv results/ --plots results/   # CSV for spreadsheets, PNG and SVG plots
`

// runFlags are the flags run and sweep share: how to replicate, and where
// to write what.
type runFlags struct {
	fs        *pflag.FlagSet
	reps      *int
	precision *string
	maxReps   *int
	seed      *uint64
	workers   *int
	horizon   *string
	asJSON    *bool
	out       *string
	report    *string
	csv       *string
	plots     *string
}

// addRunFlags defines the shared flags; base names the text and JSON files
// --out writes, csvFiles those --csv writes.
func addRunFlags(fs *pflag.FlagSet, base, csvFiles string) *runFlags {
	return &runFlags{
		fs:        fs,
		reps:      fs.IntP("replications", "r", 0, "number of replications, or the first batch with --precision (default: the scenario's)"),
		precision: fs.String("precision", "", "replicate until every attainment interval's half-width is at most this, e.g. 0.5% or 0.005 (default: the scenario's)"),
		maxReps:   fs.Int("max-replications", 0, "cap on replications with --precision (default: the scenario's)"),
		seed:      fs.Uint64("seed", 0, "master seed; the same seed gives the same output (default: the scenario's)"),
		workers:   fs.IntP("workers", "w", 0, "replications simulated at once (default: one per CPU); never changes the output"),
		horizon:   fs.String("horizon", "", "length of the measured window, e.g. 4w, 30d (default: the scenario's)"),
		asJSON:    fs.Bool("json", false, "print the result as JSON (schema "+reports.SchemaVersion+", see docs/json.md)"),
		out:       fs.String("out", "", "also write "+base+".txt and "+base+".json into `DIR` (created if needed)"),
		report:    fs.String("report", "", "write a self-contained HTML report with plots to `FILE` (opens offline, prints well)"),
		csv:       fs.String("csv", "", "write "+csvFiles+" into `DIR` (created if needed; columns in docs/reports.md)"),
		plots:     fs.String("plots", "", "write each plot as PNG and SVG into `DIR` (created if needed)"),
	}
}

// apply returns the scenario's run options and model with the flags
// applied.
func (f *runFlags) apply(sc *scenarios.Scenario) (sim.Options, *sim.Model, error) {
	opts := sc.Options()
	fs := f.fs
	if fs.Changed("replications") {
		if *f.reps <= 0 || *f.reps > math.MaxInt32 {
			return opts, nil, usagef("--replications must be from 1 to %d, as in a scenario file, got %d", math.MaxInt32, *f.reps)
		}
		opts.Replications = *f.reps
	}
	if fs.Changed("precision") {
		p, err := parseShare(*f.precision)
		if err != nil || p <= 0 || p >= 1 {
			return opts, nil, usagef("--precision must be a share between 0 and 100%%, got %q", *f.precision)
		}
		opts.Precision = p
	}
	if fs.Changed("max-replications") {
		if *f.maxReps <= 0 || *f.maxReps > math.MaxInt32 {
			return opts, nil, usagef("--max-replications must be from 1 to %d, as in a scenario file, got %d", math.MaxInt32, *f.maxReps)
		}
		opts.MaxReplications = *f.maxReps
	}
	if fs.Changed("seed") {
		opts.Seed = *f.seed
	}
	if fs.Changed("workers") {
		if *f.workers <= 0 {
			return opts, nil, usagef("--workers must be > 0, got %d", *f.workers)
		}
		opts.Workers = *f.workers
	}
	if fs.Changed("horizon") {
		h, err := scenarios.ParseDuration(*f.horizon)
		if err != nil || h <= 0 {
			return opts, nil, usagef("--horizon must be a duration > 0 such as 4w or 30d, got %q", *f.horizon)
		}
		if err := sc.SetHorizon(h); err != nil {
			return opts, nil, usagef("--horizon %s: %v", *f.horizon, err)
		}
	}
	m := sc.Model()
	if *f.csv != "" {
		opts.Collector = replications.Collect(len(m.Tiers))
	}
	plan, err := sc.ContractPlan(m)
	if err != nil {
		return opts, nil, err
	}
	if plan != nil {
		opts.Collector = sim.CombineCollectors(opts.Collector, plan.NewCollector)
	}
	return opts, m, nil
}

// makeDirs creates the directories the output flags name, before any
// simulating, so that a typo does not cost a run.
func (f *runFlags) makeDirs() error {
	for _, d := range []struct{ flag, dir string }{{"out", *f.out}, {"csv", *f.csv}, {"plots", *f.plots}} {
		if d.dir == "" {
			continue
		}
		if err := os.MkdirAll(d.dir, 0o755); err != nil {
			return fmt.Errorf("--%s: %w", d.flag, err)
		}
	}
	if *f.report != "" {
		if st, err := os.Stat(filepath.Dir(*f.report)); err != nil || !st.IsDir() {
			return usagef("--report %s: no directory %s to write it in", *f.report, filepath.Dir(*f.report))
		}
	}
	return nil
}

func runCommand(e *env, fs *pflag.FlagSet) func([]string) error {
	flags := addRunFlags(fs, "report", "tiers.csv and replications.csv")
	return func(args []string) error {
		if len(args) > 1 {
			return usagef("run takes one scenario, got %d: %s", len(args), strings.Join(args, " "))
		}
		arg := "default"
		if len(args) == 1 {
			arg = args[0]
		}
		sc, err := scenarios.Open(arg)
		if err != nil {
			return usageError{err}
		}
		e.warn(sc)
		opts, m, err := flags.apply(sc)
		if err != nil {
			return err
		}
		if err := flags.makeDirs(); err != nil {
			return err
		}
		if e.interactive {
			bar := &progressBar{w: e.stderr, start: time.Now()}
			opts.Progress = bar.update
			defer bar.clear()
		}
		res, err := sim.Run(e.ctx, m, opts)
		if err != nil {
			return err
		}
		rep := reports.New(res, reports.Meta{
			Version:     slasimVersion(),
			Scenario:    sc.Name,
			Description: sc.Description,
			File:        source(sc, arg),
			Model:       m,
			Level:       0.95,
		})
		write := rep.WriteText
		if *flags.asJSON {
			write = rep.WriteJSON
		}
		if err := write(e.stdout); err != nil {
			return err
		}
		if err := flags.writeRun(rep); err != nil {
			return err
		}
		switch {
		case res.Unstable != nil:
			return errors.New("the system is unstable: no figures")
		case res.Partial:
			return fmt.Errorf("interrupted: the figures cover %d of %d planned replications", res.Summary.Replications, res.Planned)
		}
		return nil
	}
}

// source says where a scenario came from: its file, or "embedded".
func source(sc *scenarios.Scenario, arg string) string {
	if sc.File != "" && sc.File != arg+".yaml" {
		return sc.File
	}
	return "embedded " + arg
}

// progressBar draws replications done, planned and the time left on a
// terminal, at most ten times a second.
type progressBar struct {
	w     io.Writer
	label string // what is being run, before the bar
	start time.Time
	drawn time.Time
}

func (p *progressBar) update(done, planned int) {
	now := time.Now()
	if now.Sub(p.drawn) < 100*time.Millisecond && done < planned {
		return
	}
	p.drawn = now
	const width = 30
	filled := width * done / max(planned, 1)
	elapsed := now.Sub(p.start)
	eta := "…"
	if done > 0 {
		eta = (elapsed * time.Duration(planned-done) / time.Duration(done)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r%s[%s%s] %d/%d replications · %s elapsed · ETA %s\033[K",
		p.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, planned, elapsed.Round(time.Second), eta)
}

func (p *progressBar) clear() { fmt.Fprint(p.w, "\r\033[K") }
