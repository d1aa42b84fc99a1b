package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
)

const runExamples = `  # The embedded default scenario; an embedded example by name
  slasim run
  slasim run erlang-c --replications 50
  # Replicate until every interval is within ±0.5 points
  slasim run desk.yaml --precision 0.5%
  slasim run desk.yaml --seed 7 --horizon 13w --json > result.json
  # Also write results/report.txt and results/report.json
  slasim run desk.yaml --out results/
  # A self-contained HTML report with plots
  slasim run desk.yaml --report desk.html
  # CSV for spreadsheets, and each plot as PNG and SVG
  slasim run desk.yaml --csv results/ --plots results/
  # A row per ticket of replications 0 and 1 (docs/trace.md)
  slasim run front-door --trace tickets.csv --trace-replications 0-1
  # Shard 0 of 4 (0 to 3) of a run; merge joins the parts
  slasim run desk.yaml -r 40 --shard 0/4 --partial parts/0.part
`

// replicationFlags are the flags run and sweep share: how to replicate,
// and where to write what.
type replicationFlags struct {
	fs        *pflag.FlagSet
	reps      int
	precision string
	maxReps   int
	seed      uint64
	workers   int
	horizon   string
	outputs   outputs
	shard     shardFlags
}

// addReplicationFlags defines the shared flags; base names the text and
// JSON files --out writes, csvFiles those --csv writes.
func addReplicationFlags(fs *pflag.FlagSet, base, csvFiles string) *replicationFlags {
	f := &replicationFlags{fs: fs}
	fs.IntVarP(&f.reps, "replications", "r", 0, "number of replications, or the first batch with --precision (default: the scenario's)")
	fs.StringVar(&f.precision, "precision", "", "replicate until every attainment interval's half-width is at most this, e.g. 0.5% or 0.005 (default: the scenario's)")
	fs.IntVar(&f.maxReps, "max-replications", 0, "cap on replications with --precision (default: the scenario's max_replications, which --replications may not exceed; without one, 1000 or --replications if more)")
	fs.Uint64Var(&f.seed, "seed", 0, "master seed; the same seed gives the same output (default: the scenario's)")
	fs.IntVarP(&f.workers, "workers", "w", 0, "replications simulated at once (default: one per CPU); never changes the output")
	fs.StringVar(&f.horizon, "horizon", "", "length of the measured window, e.g. 4w, 30d (default: the scenario's)")
	addOutputFlags(fs, &f.outputs, base+".txt and "+base+".json", csvFiles)
	addShardFlags(fs, &f.shard)
	return f
}

// addOutputFlags defines the flags that say where a run's results go;
// texts names the text and JSON files --out writes, csvFiles those --csv
// writes.
func addOutputFlags(fs *pflag.FlagSet, o *outputs, texts, csvFiles string) {
	fs.BoolVar(&o.json, "json", false, "print the result as JSON (schema "+reports.SchemaVersion+", see docs/json.md)")
	fs.StringVar(&o.out, "out", "", "also write "+texts+" into `DIR` (created if needed)")
	fs.StringVar(&o.report, "report", "", "write a self-contained HTML report with plots to `FILE` (opens offline, prints well; - for standard output)")
	fs.StringVar(&o.csv, "csv", "", "write "+csvFiles+" into `DIR` (created if needed; columns in docs/reports.md)")
	fs.StringVar(&o.plots, "plots", "", "write each plot as PNG and SVG into `DIR` (created if needed)")
}

// outputs are where a run or a sweep writes besides standard output.
type outputs struct {
	json                    bool
	out, report, csv, plots string
}

// parse checks the flags and returns the run settings and outputs they
// ask for; a setting not given keeps the scenario's.
func (f *replicationFlags) parse() (scenarios.RunSettings, outputs, error) {
	var rs scenarios.RunSettings
	o := f.outputs
	fs := f.fs
	if fs.Changed("replications") {
		if f.reps <= 0 || f.reps > math.MaxInt32 {
			return rs, o, usagef("--replications must be from 1 to %d, as in a scenario file, got %d", math.MaxInt32, f.reps)
		}
		rs.Replications = f.reps
	}
	if fs.Changed("precision") {
		p, err := parseShare(f.precision)
		if err != nil || p <= 0 || p >= 1 {
			return rs, o, usagef("--precision must be a share between 0 and 100%%, got %q", f.precision)
		}
		rs.Precision = p
	}
	if fs.Changed("max-replications") {
		if f.maxReps <= 0 || f.maxReps > math.MaxInt32 {
			return rs, o, usagef("--max-replications must be from 1 to %d, as in a scenario file, got %d", math.MaxInt32, f.maxReps)
		}
		rs.MaxReplications = f.maxReps
	}
	if fs.Changed("seed") {
		rs.Seed = &f.seed
	}
	if fs.Changed("workers") {
		if f.workers <= 0 {
			return rs, o, usagef("--workers must be > 0, got %d", f.workers)
		}
		rs.Workers = f.workers
	}
	if fs.Changed("horizon") {
		h, err := scenarios.ParseDuration(f.horizon)
		if err != nil || h <= 0 {
			return rs, o, usagef("--horizon must be a duration > 0 such as 4w or 30d, got %q", f.horizon)
		}
		rs.Horizon = h
	}
	rs.ByReplication = o.csv != ""
	return rs, o, nil
}

// workers clamps a --workers count to the CPUs slasim may use: each
// worker holds a simulation's state, so more add memory (10,000,000 ran
// out of it) and no speed; a note says so. The output does not depend on
// it.
func (e *env) workers(n int) int {
	if cpus := runtime.GOMAXPROCS(0); n > cpus {
		e.say("note: --workers %d: slasim can use %d %s here, so %d %s; more would add memory and no speed\n", n, cpus, plural.Of(cpus, "CPU", "CPUs"), cpus, plural.Of(cpus, "worker", "workers"))
		return cpus
	}
	return n
}

// openScenario opens the scenario arg names, with the settings applied:
// a scenario that cannot be opened or is invalid is bad usage. Reading a
// named pipe may wait for ever: a signal stops it.
func openScenario(e *env, arg string, settings ...scenarios.Setting) (*scenarios.Scenario, error) {
	return interruptible(e.ctx, func() (*scenarios.Scenario, error) {
		sc, err := scenarios.Open(arg)
		if err == nil && len(settings) > 0 {
			sc, err = sc.With(settings...)
		}
		if err != nil {
			return nil, usageError{err}
		}
		return sc, nil
	})
}

// openForRun opens the scenario arg names and checks that the run
// settings suit it: a horizon within the limits its file has, and a cap
// on replications, the flag's or the file's, no lower than the first
// batch, as a file must give it.
func openForRun(e *env, arg string, rs scenarios.RunSettings) (*scenarios.Scenario, error) {
	sc, err := openScenario(e, arg)
	if err != nil {
		return nil, err
	}
	if rs.Precision > 0 {
		// The file's max_replications has the effect its warning says it
		// has not.
		sc.Warnings = slices.DeleteFunc(slices.Clone(sc.Warnings), func(w scenarios.Diagnostic) bool { return w.Path == "simulation.max_replications" })
	}
	e.warn(sc)
	if n := sc.StartReplications(rs); rs.MaxReplications > 0 && rs.MaxReplications < n {
		return nil, usagef("--max-replications must be at least the replications the run starts with (%d), got %d", n, rs.MaxReplications)
	}
	if err := sc.CheckSettings(rs); err != nil {
		return nil, usageError{err}
	}
	if rs.Horizon > 0 {
		if err := sc.SetHorizon(rs.Horizon); err != nil {
			return nil, usagef("--horizon %s: %v", scenarios.FormatDuration(rs.Horizon), err)
		}
	}
	return sc, nil
}

// runTask is slasim run: simulate a scenario and report on it.
type runTask struct {
	scenario string
	settings scenarios.RunSettings
	outputs
	// shard, when set, runs one shard of the run into a partial result.
	shard *shardJob
	// trace, when set, writes a row per ticket of some replications.
	trace *traceJob
}

func runFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	flags := addReplicationFlags(fs, "report", "tiers.csv and replications.csv")
	trace := addTraceFlags(fs)
	return func(args []string) (task, error) {
		arg, err := scenarioArg("run", args)
		if err != nil {
			return nil, err
		}
		rs, o, err := flags.parse()
		if err != nil {
			return nil, err
		}
		t := &runTask{scenario: arg, settings: rs, outputs: o}
		if t.trace, err = trace.parse(); err != nil {
			return nil, err
		}
		t.shard, err = flags.shard.parse(rs, o)
		return t, err
	}
}

func (t *runTask) stopping() string {
	switch {
	case t.shard != nil:
		return shardStopping
	case t.trace != nil:
		return runStopping + "; the trace is not written"
	}
	return runStopping
}

// runStopping is what a run does on a first signal.
const runStopping = "stopping, then writing what is done, marked partial"

// writingWhole is what a run, a sweep or a merge whose work is all done
// does on a first signal; the exit status still says it came (130 or
// 143), as a script running slasim must stop too. A run with a trace
// still has the trace to simulate, and stops it (traceStopped).
var (
	writingWhole = "the work is done: writing it whole"
	traceStopped = "the run is done: writing its report whole; the trace is not written"
)

func (t *runTask) run(e *env) error {
	t.settings.Workers = e.workers(t.settings.Workers)
	sc, err := openForRun(e, t.scenario, t.settings)
	if err != nil {
		return err
	}
	if t.shard != nil {
		return t.shard.run(e, sc, nil, t.settings)
	}
	if err := t.check("report", runCSV...); err != nil {
		return err
	}
	if t.trace != nil {
		if err := t.trace.check(sc, t.settings); err != nil {
			return err
		}
	}
	rs := t.settings
	bar := e.progressBar("")
	if bar != nil {
		rs.Progress = bar.update
	}
	run, err := sc.Run(e.ctx, rs)
	bar.clear()
	if err != nil {
		return err
	}
	if !run.Result.Partial {
		if t.trace != nil {
			e.stopping.Store(&traceStopped)
		} else {
			e.stopping.Store(&writingWhole)
		}
	}
	if err := t.reportRun(e, sc, run); err != nil || t.trace == nil {
		return err
	}
	return t.trace.write(e, sc, run)
}

// reportRun prints and writes the reports of a run of sc, and says how it
// ended.
func (o *outputs) reportRun(e *env, sc *scenarios.Scenario, run *scenarios.Run) error {
	res := run.Result
	ctx := e.ctx
	if !res.Partial {
		// The work is done: a first signal from now on changes nothing
		// written, and the closed form (a second at most) is not dropped
		// from a complete report. A second signal still stops at once.
		ctx = context.WithoutCancel(ctx)
	}
	rep := runReport(ctx, sc, run)
	if err := o.printed(e, rep.WriteText, rep.WriteJSON); err != nil {
		return err
	}
	if err := o.writeRun(e, rep); err != nil {
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

// runReport is the report of a run of sc, as every output of slasim run
// and of the desk shows it; ctx stops its closed-form part.
func runReport(ctx context.Context, sc *scenarios.Scenario, run *scenarios.Run) *reports.Report {
	return reports.New(ctx, run.Result, reports.Meta{
		Version:     slasimVersion(),
		Scenario:    sc.Name,
		Description: sc.Description,
		File:        sc.Source(),
		Model:       run.Model,
		Level:       reports.DefaultLevel,
	})
}

// progressBar draws replications done, planned and the time left on a
// terminal, at most ten times a second, on one line of the terminal's
// width; nil draws nothing.
type progressBar struct {
	w     io.Writer
	width int    // the terminal's columns
	label string // what is being run, before the bar
	start time.Time
	drawn time.Time
}

// progressBar returns a bar on standard error when it is a terminal, else
// nil.
func (e *env) progressBar(label string) *progressBar {
	if !e.interactive {
		return nil
	}
	return &progressBar{w: e.stderr, width: e.columns(), label: label, start: time.Now()}
}

func (p *progressBar) update(done, planned int) {
	now := time.Now()
	if now.Sub(p.drawn) < 100*time.Millisecond && done < planned {
		return
	}
	p.drawn = now
	elapsed := now.Sub(p.start)
	fmt.Fprintf(p.w, "\r%s\033[K", p.line(done, planned, format.Duration(elapsed), eta(elapsed, done, planned)))
}

// eta is the time left, if the rest of the planned replications take as
// long as those done; … before the first. Reckoned in seconds: the
// product in nanoseconds passed 64 bits once elapsed times the
// replications left reached 9.2e18 (1,000 s into 10^7 replications).
func eta(elapsed time.Duration, done, planned int) string {
	if done == 0 {
		return "…"
	}
	return format.Seconds(elapsed.Seconds() * float64(planned-done) / float64(done))
}

// line is the bar's text, within the width: the bar shrinks from 30
// characters to 10, then the label is cut, then the words go.
func (p *progressBar) line(done, planned int, elapsed, eta string) string {
	rest := fmt.Sprintf(" %d/%d replications · %s elapsed · ETA %s", done, planned, elapsed, eta)
	room := p.width - 1 // the cursor's column
	bar := min(30, max(10, room-len([]rune(p.label))-len([]rune(rest))-2))
	label := []rune(p.label)
	if over := len(label) + bar + 2 + len([]rune(rest)) - room; over > 0 {
		label = append(label[:max(0, len(label)-over-2)], '…', ' ')
	}
	if len(label) <= 2 && len(label) > 0 {
		label = nil
	}
	filled := bar * done / max(planned, 1)
	s := string(label) + "[" + strings.Repeat("#", filled) + strings.Repeat(".", bar-filled) + "]" + rest
	if r := []rune(s); len(r) > room {
		s = string(r[:room])
	}
	return s
}

// clear removes the bar, before the results are written.
func (p *progressBar) clear() {
	if p != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
