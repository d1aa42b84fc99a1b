package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

const sweepExamples = `  slasim sweep default --vary agents=9..13                 # one setting: 9, 10, 11, 12, 13 agents
  slasim sweep default --vary arrivals.scale=0.8..1.2:0.1  # volume from -20% to +20%
  slasim sweep desk.yaml --vary 'tiers[0].targets.response=15m,30m,1h'
  slasim sweep desk.yaml --vary agents=8..12 --vary arrivals.scale=1,1.2   # two settings: every combination
  slasim sweep erlang-c --vary agents=10..14 --report sweep.html --csv results/
`

// Limits that keep a mistyped range from starting a week-long sweep.
const (
	maxValues = 100 // values of one setting
	maxPoints = 400 // points of a sweep
)

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
		var paths []string
		var values [][]string
		for _, v := range *vary {
			path, vs, err := parseVary(v)
			if err != nil {
				return usagef("--vary %s: %v", v, err)
			}
			if len(paths) > 0 && paths[0] == path {
				return usagef("--vary %s: %s is already varied; give each field once, with all its values", v, path)
			}
			paths, values = append(paths, path), append(values, vs)
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
		grid := combinations(paths, values)
		if len(grid) > maxPoints {
			return usagef("the sweep has %d points; at most %d", len(grid), maxPoints)
		}
		// Check every point before simulating any.
		points := make([]*scenarios.Scenario, len(grid))
		for i, settings := range grid {
			if points[i], err = scenarios.Vary(file, data, settings...); err != nil {
				return usagef("--vary %s: %v", label(settings), err)
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
				bar = &progressBar{w: e.stderr, start: time.Now(), label: fmt.Sprintf("point %d/%d (%s) ", i+1, len(points), label(grid[i]))}
				opts.Progress = bar.update
			}
			res, err := sim.Run(e.ctx, m, opts)
			if bar != nil {
				bar.clear()
			}
			if err != nil {
				return fmt.Errorf("%s: %w", label(grid[i]), err)
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
			Vary:        paths,
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

// combinations lists every combination of the values, the last setting
// varying fastest.
func combinations(paths []string, values [][]string) [][]scenarios.Setting {
	grid := [][]scenarios.Setting{nil}
	for i, path := range paths {
		var next [][]scenarios.Setting
		for _, g := range grid {
			for _, v := range values[i] {
				next = append(next, append(append([]scenarios.Setting(nil), g...), scenarios.Setting{Path: path, Value: v}))
			}
		}
		grid = next
	}
	return grid
}

func label(settings []scenarios.Setting) string {
	parts := make([]string, len(settings))
	for i, s := range settings {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

func pointValues(settings []scenarios.Setting) []string {
	vs := make([]string, len(settings))
	for i, s := range settings {
		vs[i] = s.Value
	}
	return vs
}

// parseVary splits PATH=VALUES and expands the values: a comma-separated
// list whose items may be ranges.
func parseVary(s string) (string, []string, error) {
	path, list, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" || strings.TrimSpace(list) == "" {
		return "", nil, errors.New("give a field and its values as PATH=VALUES, such as agents=8..12 or arrivals.scale=0.9,1,1.1")
	}
	var values []string
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return "", nil, errors.New("an empty value; separate values with single commas")
		}
		vs := []string{item}
		if strings.Contains(item, "..") {
			var err error
			if vs, err = expandRange(item); err != nil {
				return "", nil, err
			}
		}
		for _, v := range vs {
			for _, seen := range values {
				if seen == v {
					return "", nil, fmt.Errorf("%s is given twice", v)
				}
			}
			values = append(values, v)
			if len(values) > maxValues {
				return "", nil, fmt.Errorf("more than %d values", maxValues)
			}
		}
	}
	return path, values, nil
}

// rangeNumber is a number and what follows it: nothing, %, or a period
// such as /day.
var rangeNumber = regexp.MustCompile(`^([0-9]*\.?[0-9]+)\s*(%|/\s*[a-z]+)?$`)

// expandRange expands FROM..TO[:STEP]: numbers, percentages and volumes
// (step 1 unless given, as many decimals as the widest bound) or durations
// (a step is needed).
func expandRange(item string) ([]string, error) {
	from, rest, _ := strings.Cut(item, "..")
	to, step, hasStep := strings.Cut(rest, ":")
	from, to, step = strings.TrimSpace(from), strings.TrimSpace(to), strings.TrimSpace(step)
	bad := fmt.Errorf("%q is not a range; write FROM..TO or FROM..TO:STEP, such as 8..12, 0.8..1.2:0.1, 90%%..99%%:1%% or 15m..1h:15m", item)
	if mf, mt := rangeNumber.FindStringSubmatch(from), rangeNumber.FindStringSubmatch(to); mf != nil && mt != nil {
		unit := mf[2]
		if mt[2] != unit {
			return nil, fmt.Errorf("%q: both ends need the same unit", item)
		}
		stepText := "1"
		if hasStep {
			ms := rangeNumber.FindStringSubmatch(step)
			if ms == nil || ms[2] != "" && ms[2] != unit {
				return nil, bad
			}
			stepText = ms[1]
		}
		lo, _ := strconv.ParseFloat(mf[1], 64)
		hi, _ := strconv.ParseFloat(mt[1], 64)
		inc, _ := strconv.ParseFloat(stepText, 64)
		decimals := max(decimalPlaces(mf[1]), decimalPlaces(mt[1]), decimalPlaces(stepText))
		return steps(item, lo, hi, inc, func(x float64) string { return strconv.FormatFloat(x, 'f', decimals, 64) + unit })
	}
	lo, err1 := scenarios.ParseDuration(from)
	hi, err2 := scenarios.ParseDuration(to)
	if err1 != nil || err2 != nil {
		return nil, bad
	}
	if !hasStep {
		return nil, fmt.Errorf("%q: a range of durations needs a step, such as %s..%s:15m", item, from, to)
	}
	inc, err := scenarios.ParseDuration(step)
	if err != nil {
		return nil, bad
	}
	return steps(item, float64(lo), float64(hi), float64(inc), func(x float64) string {
		return scenarios.FormatDuration(time.Duration(math.Round(x)))
	})
}

// steps lists lo, lo+inc, … up to hi, formatted.
func steps(item string, lo, hi, inc float64, format func(float64) string) ([]string, error) {
	switch n := (hi - lo) / inc; {
	case !(inc > 0):
		return nil, fmt.Errorf("%q: the step must be > 0", item)
	case hi < lo:
		return nil, fmt.Errorf("%q: the range goes down; write the smaller value first", item)
	case n+1 > maxValues:
		return nil, fmt.Errorf("%q gives %.0f values; at most %d", item, math.Floor(n+1e-9)+1, maxValues)
	}
	var vs []string
	// Count steps rather than add them up, so that rounding does not drift.
	for i := 0; lo+float64(i)*inc <= hi+inc*1e-9; i++ {
		vs = append(vs, format(lo+float64(i)*inc))
	}
	return vs, nil
}

func decimalPlaces(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}
