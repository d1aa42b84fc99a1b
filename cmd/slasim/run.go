package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

const runExamples = `  slasim run                                  # the embedded default scenario
  slasim run erlang-c --replications 50       # an embedded example by name
  slasim run desk.yaml --precision 0.5%       # replicate until every interval is within ±0.5 points
  slasim run desk.yaml --seed 7 --horizon 13w --json > result.json
  slasim run desk.yaml --out results/         # also write results/report.txt and results/report.json
`

func runCommand(e *env, fs *pflag.FlagSet) func([]string) error {
	reps := fs.IntP("replications", "r", 0, "number of replications, or the first batch with --precision (default: the scenario's)")
	precision := fs.String("precision", "", "replicate until every attainment interval's half-width is at most this, e.g. 0.5% or 0.005 (default: the scenario's)")
	maxReps := fs.Int("max-replications", 0, "cap on replications with --precision (default: the scenario's)")
	seed := fs.Uint64("seed", 0, "master seed; the same seed gives the same output (default: the scenario's)")
	workers := fs.IntP("workers", "w", 0, "replications simulated at once (default: one per CPU); never changes the output")
	horizon := fs.String("horizon", "", "length of the measured window, e.g. 4w, 30d (default: the scenario's)")
	asJSON := fs.Bool("json", false, "print the result as JSON (schema "+reports.SchemaVersion+", see docs/json.md)")
	out := fs.String("out", "", "also write report.txt and report.json into `DIR` (created if needed)")
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
		opts := sc.Options()
		if fs.Changed("replications") {
			if *reps <= 0 {
				return usagef("--replications must be > 0, got %d", *reps)
			}
			opts.Replications = *reps
		}
		if fs.Changed("precision") {
			p, err := parseShare(*precision)
			if err != nil || p <= 0 || p >= 1 {
				return usagef("--precision must be a share between 0 and 100%%, got %q", *precision)
			}
			opts.Precision = p
		}
		if fs.Changed("max-replications") {
			if *maxReps <= 0 {
				return usagef("--max-replications must be > 0, got %d", *maxReps)
			}
			opts.MaxReplications = *maxReps
		}
		if fs.Changed("seed") {
			opts.Seed = *seed
		}
		if fs.Changed("workers") {
			if *workers <= 0 {
				return usagef("--workers must be > 0, got %d", *workers)
			}
			opts.Workers = *workers
		}
		m := sc.Model()
		if fs.Changed("horizon") {
			h, err := scenarios.ParseDuration(*horizon)
			if err != nil || h <= 0 {
				return usagef("--horizon must be a duration > 0 such as 4w or 30d, got %q", *horizon)
			}
			m.Horizon = h
		}
		if *out != "" {
			if err := os.MkdirAll(*out, 0o755); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
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
			Version:  slasimVersion(),
			Scenario: sc.Name,
			File:     source(sc, arg),
			Model:    m,
			Level:    0.95,
		})
		write := rep.WriteText
		if *asJSON {
			write = rep.WriteJSON
		}
		if err := write(e.stdout); err != nil {
			return err
		}
		if *out != "" {
			if err := reports.WriteFile(filepath.Join(*out, "report.txt"), rep.WriteText); err != nil {
				return err
			}
			if err := reports.WriteFile(filepath.Join(*out, "report.json"), rep.WriteJSON); err != nil {
				return err
			}
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
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d replications · %s elapsed · ETA %s\033[K",
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, planned, elapsed.Round(time.Second), eta)
}

func (p *progressBar) clear() { fmt.Fprint(p.w, "\r\033[K") }
