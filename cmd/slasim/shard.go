package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/shard"
	"github.com/slasim/slasim/scenarios/sweep"
)

// shardFlags are the flags that make run or sweep run one shard.
type shardFlags struct {
	fs             *pflag.FlagSet
	shard, partial string
}

func addShardFlags(fs *pflag.FlagSet, f *shardFlags) {
	f.fs = fs
	fs.StringVar(&f.shard, "shard", "", "run only shard `K/N` of the replications, K from 0 to N-1, into --partial; slasim merge joins the N partial results (see docs/scale-out.md)")
	fs.StringVar(&f.partial, "partial", "", "write the shard's partial result to `FILE` (its directory created if needed)")
}

// A shardJob is one shard to run, and where its partial result goes.
type shardJob struct {
	shard   shard.Shard
	partial string
}

// parse returns the shard the flags ask for, nil if none: a shard writes
// its partial result only, and cannot have a precision target.
func (f *shardFlags) parse(rs scenarios.RunSettings, o outputs) (*shardJob, error) {
	given, partial := f.fs.Changed("shard"), f.fs.Changed("partial")
	switch {
	case !given && !partial:
		return nil, nil
	case !given:
		return nil, usagef("--partial is where a shard's result goes: give --shard K/N too")
	case !partial || f.partial == "":
		return nil, usagef("--shard %s needs --partial FILE, where the shard's result goes", f.shard)
	case rs.Precision > 0:
		return nil, usageError{shard.ErrPrecision}
	}
	for _, flag := range []string{"json", "out", "report", "csv", "plots"} {
		if f.fs.Changed(flag) {
			return nil, usagef("--%s: a shard writes only its partial result; give --%s to slasim merge, which reports on the whole run", flag, flag)
		}
	}
	sh, err := shard.Parse(f.shard)
	if err != nil {
		return nil, usagef("--shard: %v", err)
	}
	return &shardJob{shard: sh, partial: f.partial}, nil
}

// shardStopping is what a shard does on a first signal.
const shardStopping = "stopping: a shard that does not finish writes no partial result"

// run runs the shard of a run of sc, or of a sweep along axes, and writes
// its partial result: whole, or not at all.
func (j *shardJob) run(e *env, sc *scenarios.Scenario, axes []sweep.Axis, rs scenarios.RunSettings) error {
	// The partial's directory is created if needed, as --out's is: each
	// shard of a job array may be the first to write there.
	out := outPath{flag: "partial", path: j.partial}
	if j.partial != stdoutPath {
		out = outPath{flag: "partial", path: filepath.Dir(j.partial), dir: true, files: []string{filepath.Base(j.partial)}}
	}
	if err := checkOutputs(out); err != nil {
		return err
	}
	bar := e.progressBar("shard " + j.shard.String() + " ")
	if bar != nil {
		rs.Progress = bar.update
	}
	p, err := shard.Run(e.ctx, shard.Job{Scenario: sc, Axes: axes, Settings: rs, Shard: j.shard, Version: slasimVersion()})
	bar.clear()
	switch {
	case errors.Is(err, shard.ErrPrecision):
		return usageError{err}
	case err != nil:
		return err
	}
	if j.partial != stdoutPath {
		if err := makeDirs(filepath.Dir(j.partial)); err != nil {
			return err
		}
	}
	if err := e.writeFiles(outFile{j.partial, p.Write}); err != nil {
		return err
	}
	n := 0
	for _, part := range p.Parts {
		n += part.Replications
	}
	total := p.Replications
	for _, a := range axes {
		total *= len(a.Values)
	}
	e.say("shard %s: %d of %d %s, written to %s\n", j.shard, n, total, plural.Of(total, "replication", "replications"), j.partial)
	return nil
}

const mergeExamples = `  # Print what the single run prints
  slasim merge parts/*.part
  # Every .part file in parts/
  slasim merge parts/ --json > result.json
  slasim merge parts/*.part --report desk.html --csv results/
`

// partialFiles lists the files the arguments name: a directory stands for
// the .part files in it.
func partialFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		if st, err := os.Stat(a); err != nil || !st.IsDir() {
			files = append(files, a)
			continue
		}
		parts, err := filepath.Glob(filepath.Join(a, "*.part"))
		if err != nil {
			return nil, err
		}
		if len(parts) == 0 {
			return nil, fmt.Errorf("%s: a directory without partial results (*.part)", a)
		}
		files = append(files, parts...)
	}
	return files, nil
}

// mergeTask is slasim merge: join the partial results of every shard of a
// run or a sweep, and report on the whole as the single run would.
type mergeTask struct {
	files []string
	outputs
}

func mergeFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	t := &mergeTask{}
	addOutputFlags(fs, &t.outputs, "report.txt and report.json (sweep.txt and sweep.json for a sweep)", "tiers.csv (sweep.csv for a sweep) and replications.csv")
	fs.Lookup("json").Usage = "print the result as JSON, as run or sweep would (see docs/json.md and docs/reports.md)"
	return func(args []string) (task, error) {
		if len(args) == 0 {
			return nil, usagef("merge needs the partial result of every shard, such as slasim merge parts/*.part or slasim merge parts/")
		}
		t.files = args
		return t, nil
	}
}

func (t *mergeTask) stopping() string { return "stopping: no merged report is written" }

func (t *mergeTask) run(e *env) error {
	files, err := partialFiles(t.files)
	if err != nil {
		return usageError{err}
	}
	// Reading many partials takes a while, a named pipe for ever: a
	// signal abandons it.
	m, err := interruptible(e.ctx, func() (*shard.Merged, error) {
		m, err := shard.Merge(slasimVersion(), files)
		if err != nil {
			return nil, usageError{err}
		}
		return m, nil
	})
	if err != nil {
		return err
	}
	e.warn(m.Scenario)
	e.stopping.Store(&writingWhole)
	if len(m.Axes) == 0 {
		if err := t.check("report", runCSV...); err != nil {
			return err
		}
		return t.reportRun(e, m.Scenario, m.Points[0].Run)
	}
	if err := t.check("sweep", sweepCSV...); err != nil {
		return err
	}
	return t.reportSweep(e, m.Scenario, m.Axes, m.Model, m.Seed, len(m.Points), m.Points)
}
