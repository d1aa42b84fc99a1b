package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/sim"
)

const sweepExamples = `  slasim sweep default --vary agents=9..13                 # one setting: 9, 10, 11, 12, 13 agents
  slasim sweep default --vary arrivals.scale=0.8..1.2:0.1  # volume from -20% to +20%
  slasim sweep desk.yaml --vary 'tiers[0].targets.response=15m,30m,1h'
  slasim sweep desk.yaml --vary agents=8..12 --vary arrivals.scale=1,1.2   # two settings: every combination
  slasim sweep erlang-c --vary agents=10..14 --report sweep.html --csv results/
`

func sweepCommand(e *env, fs *pflag.FlagSet) func([]string) error {
	vary := fs.StringArray("vary", nil, "a field and its values, `PATH=VALUES`: a list (8,9,10; 15m,30m) or a range (8..12; 0.8..1.2:0.1; 15m..1h:15m); PATH as in messages (agents, arrivals.scale, tiers[0].share); give it once or twice")
	flags := addRunFlags(fs, "sweep", "sweep.csv and replications.csv")
	fs.Lookup("json").Usage = "print the result as JSON (schema " + reports.SweepSchemaVersion + ", see docs/reports.md)"
	return func(args []string) error {
		if len(args) > 1 {
			return usagef("sweep takes one scenario, got %d: %s", len(args), strings.Join(args, " "))
		}
		arg := "default"
		if len(args) == 1 {
			arg = args[0]
		}
		if len(*vary) == 0 || len(*vary) > 2 {
			return usagef("sweep needs one or two --vary PATH=VALUES, such as --vary agents=8..12; got %d", len(*vary))
		}
		var axes []sweep.Axis
		for _, v := range *vary {
			a, err := sweep.ParseAxis(v)
			if err != nil {
				return usagef("--vary %s: %v", v, err)
			}
			if len(axes) > 0 && axes[0].Path == a.Path {
				return usagef("--vary %s: %s is already varied; give each field once, with all its values", v, a.Path)
			}
			axes = append(axes, a)
		}
		sc, err := scenarios.Open(arg)
		if err != nil {
			return usageError{err}
		}
		e.warn(sc)
		file, data, err := scenarioText(sc, arg)
		if err != nil {
			return err
		}
		grid, err := sweep.Grid(axes)
		if err != nil {
			return usageError{err}
		}
		// Check every point before simulating any.
		points := make([]*scenarios.Scenario, len(grid))
		for i, settings := range grid {
			if points[i], err = scenarios.Vary(file, data, settings...); err != nil {
				return usagef("--vary %s: %v", sweep.Label(settings), err)
			}
		}
		_, base, err := flags.apply(sc)
		if err != nil {
			return err
		}
		if err := flags.makeDirs(); err != nil {
			return err
		}
		var done []reports.Point
		for i, p := range points {
			opts, m, err := flags.apply(p)
			if err != nil {
				return err
			}
			var bar *progressBar
			if e.interactive {
				bar = &progressBar{w: e.stderr, start: time.Now(), label: fmt.Sprintf("point %d/%d (%s) ", i+1, len(points), sweep.Label(grid[i]))}
				opts.Progress = bar.update
			}
			res, err := sim.Run(e.ctx, m, opts)
			if bar != nil {
				bar.clear()
			}
			if err != nil {
				return fmt.Errorf("%s: %w", sweep.Label(grid[i]), err)
			}
			done = append(done, reports.Point{Values: pointValues(grid[i]), Report: reports.New(res, reports.Meta{
				Version:     slasimVersion(),
				Scenario:    p.Name,
				Description: p.Description,
				File:        source(sc, arg),
				Model:       m,
				Level:       0.95,
			})})
			if res.Partial {
				break
			}
		}
		sw := reports.NewSweep(reports.SweepMeta{
			Version:     slasimVersion(),
			Scenario:    sc.Name,
			Description: sc.Description,
			File:        source(sc, arg),
			Level:       0.95,
			Axes:        axes,
			Planned:     len(grid),
			Model:       base,
		}, done)
		write := sw.WriteText
		if *flags.asJSON {
			write = sw.WriteJSON
		}
		if err := write(e.stdout); err != nil {
			return err
		}
		if err := flags.writeSweep(sw); err != nil {
			return err
		}
		unstable := 0
		for _, p := range done {
			if p.Report.Unstable != nil {
				unstable++
			}
		}
		switch {
		case sw.Partial:
			return fmt.Errorf("interrupted: %d of %d points run, the last perhaps partly", len(done), len(grid))
		case unstable == len(grid):
			return errors.New("every point is unstable: no figures")
		}
		return nil
	}
}

// scenarioText returns the text of the scenario arg names, and the file
// name to give the varied scenarios: empty for an embedded example, as
// scenarios.Open does.
func scenarioText(sc *scenarios.Scenario, arg string) (string, []byte, error) {
	if sc.File == "" {
		data, _ := scenarios.Source(strings.TrimSuffix(arg, ".yaml"))
		return "", data, nil
	}
	data, err := os.ReadFile(sc.File)
	return sc.File, data, err
}

func pointValues(settings []scenarios.Setting) []string {
	vs := make([]string, len(settings))
	for i, s := range settings {
		vs[i] = s.Value
	}
	return vs
}
