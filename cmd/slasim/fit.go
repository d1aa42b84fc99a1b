package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // --timezone works without the system's zone database

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios/fit"
)

const fitExamples = `  # A generic export, with columns id, opened_at, priority, first_response_at,
  # resolved_at and channel
  slasim fit tickets.csv --out desk.yaml
  slasim fit incidents.csv.gz --preset servicenow --timezone America/Sao_Paulo \
      --out desk.yaml
  slasim fit export.csv --opened Created --resolved Resolved \
      --priority Priority --date-format "m/d/yyyy h:MM AM"
  # Columns from a mapping file; empirical handling times
  slasim fit export.csv --mapping jira.yaml --empirical
  # Fit the first weeks, test on the rest
  slasim fit incidents.csv.gz --until 2016-04-15 --backtest --out train.yaml
  # And plot observed against fitted, as PNG and SVG
  slasim fit incidents.csv.gz --out desk.yaml --plots fit-plots/
`

// fitTask is slasim fit: calibrate a scenario from a ticket export.
type fitTask struct {
	export string
	// mapping is the mapping file to read, if any; columns, the overrides
	// the flags give, which win over it.
	mapping  string
	columns  fit.Overrides
	location *time.Location
	fit      fit.FitOptions
	name     string
	out      string
	plots    string
	// backtest is nil without --backtest.
	backtest *fit.BacktestOptions
}

func fitFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	preset := fs.String("preset", "auto", "column mapping to start from: "+strings.Join(fit.PresetNames(), ", ")+" (auto: servicenow if the header has its columns, else generic)")
	mapping := fs.String("mapping", "", "read the column mapping from a YAML `FILE` (see docs/fit.md); flags override it")
	var columns [fit.NumFields]*string
	for f := range fit.NumFields {
		help := "`COLUMN` holding " + fieldHelp[f]
		if f != fit.Opened && f != fit.Resolved {
			help += " (\"\" to leave it out)"
		}
		columns[f] = fs.String(f.String(), "", help)
	}
	missing := fs.String("missing", "", "comma-separated values meaning unknown, besides the empty one (default: the preset's, ? for servicenow)")
	dateFormat := fs.String("date-format", "", "format of the dates, e.g. \"d/m/yyyy HH:MM\" or Go's \"2/1/2006 15:04\" (default: the preset's, else detected)")
	zone := fs.String("timezone", "UTC", "time `ZONE` of dates written without one, and of the hours of the week (e.g. Europe/Paris)")
	since := fs.String("since", "", "fit only tickets opened at or after this `TIME` (2016-03-01 or 2016-03-01 08:00)")
	until := fs.String("until", "", "fit only tickets opened before this `TIME`")
	handlingFrom := fs.String("handling-from", "resolution", "times that stand for handling: resolution (opened -> resolved) or response (first response -> resolved)")
	empirical := fs.Bool("empirical", false, "write handling times as the observed values instead of the best-fitting distribution")
	name := fs.String("name", "", "the scenario's name (default: the export's file name)")
	out := fs.StringP("out", "o", "", "write the scenario to `FILE` (atomically) instead of standard output")
	plots := fs.String("plots", "", "write plots of the observed against the fitted arrivals and handling times into `DIR` as PNG and SVG (created if needed)")
	backtest := fs.Bool("backtest", false, "with --until: simulate the fitted scenario over the later days of the export and compare")
	reps := fs.IntP("replications", "r", 40, "replications of the back-test")
	seed := fs.Uint64("seed", 1, "master seed of the back-test")
	return func(args []string) (task, error) {
		if len(args) != 1 {
			return nil, usagef("fit takes one export file, got %d arguments", len(args))
		}
		t := &fitTask{export: args[0], mapping: *mapping, name: *name, out: *out, plots: *plots}
		var err error
		if t.location, err = time.LoadLocation(*zone); err != nil {
			return nil, usagef("--timezone: %v", err)
		}
		t.columns = fit.Overrides{Columns: map[fit.Field]string{}}
		if fs.Changed("preset") {
			t.columns.Preset = *preset
		}
		for f := range fit.NumFields {
			if fs.Changed(f.String()) {
				t.columns.Columns[f] = *columns[f]
			}
		}
		if fs.Changed("missing") {
			t.columns.Missing = strings.Split(*missing, ",")
		}
		if *dateFormat != "" {
			if t.columns.DateLayout, err = fit.ParseDateFormat(*dateFormat); err != nil {
				return nil, usagef("--date-format: %v", err)
			}
		}
		if t.fit.HandlingFrom, err = fit.ParseHandlingFrom(*handlingFrom); err != nil {
			return nil, usagef("--handling-from: %v", err)
		}
		t.fit.Empirical = *empirical
		for _, at := range []struct {
			flag, value string
			into        *time.Time
		}{{"since", *since, &t.fit.Since}, {"until", *until, &t.fit.Until}} {
			if at.value == "" {
				continue
			}
			if *at.into, err = fit.ParseTime(at.value, t.location); err != nil {
				return nil, usagef("--%s: %v", at.flag, err)
			}
		}
		if *backtest && t.fit.Until.IsZero() {
			return nil, usagef("--backtest needs --until: the fit covers the tickets before it, the test those after")
		}
		if *reps <= 0 {
			return nil, usagef("--replications must be > 0, got %d", *reps)
		}
		if *backtest {
			t.backtest = &fit.BacktestOptions{Replications: *reps, Seed: *seed}
		}
		return t, nil
	}
}

func (t *fitTask) stopping() string { return "stopping: no scenario is written" }

func (t *fitTask) run(e *env) error {
	if err := checkOutputs(outPath{flag: "out", path: t.out}, outPath{flag: "plots", path: t.plots, dir: true}); err != nil {
		return err
	}
	var o fit.Overrides
	if t.mapping != "" {
		// A mapping is a few lines of YAML; the path may name a pipe or a
		// device that never ends.
		data, err := interruptible(e.ctx, func() ([]byte, error) { return readAtMost(t.mapping, maxMappingFile) })
		if err != nil {
			return usagef("--mapping: %v", err)
		}
		if o, err = fit.ParseMappingFile(t.mapping, data); err != nil {
			return usageError{err}
		}
	}
	// Reading a large export takes a while, a named pipe for ever; both
	// stop soon after e.ctx is cancelled, and are abandoned at once.
	res, err := interruptible(e.ctx, func() (*fit.Result, error) {
		ex, err := fit.ReadFile(e.ctx, t.export, fit.Options{Overrides: o.Merge(t.columns), Location: t.location})
		if err != nil {
			return nil, err
		}
		return fit.Fit(e.ctx, ex, t.fit)
	})
	if err != nil {
		return err
	}
	name := t.name
	if name == "" {
		name = fit.DefaultName(t.export)
	}
	yaml, sc, err := fit.Scenario(res, name)
	if err != nil {
		return err
	}
	rep := &reports.Fit{Result: res}
	if t.backtest != nil {
		if rep.Backtest, err = fit.RunBacktest(e.ctx, sc, res, *t.backtest); err != nil {
			return err
		}
	}
	var figs []*reports.Figure
	if t.plots != "" {
		if figs, err = rep.Figures(); err != nil {
			return err
		}
	}
	out := t.out
	if out == "" {
		out = stdoutPath
	}
	files := append([]outFile{{out, func(w io.Writer) error { _, err := w.Write(yaml); return err }}}, plotFiles(t.plots, figs)...)
	if err := makeDirs(t.plots); err != nil {
		return err
	}
	if err := e.writeFiles(files...); err != nil {
		return err
	}
	return rep.WriteText(e.stderr)
}

// maxMappingFile bounds a mapping file: a mapping of every column of an
// export is a few kilobytes.
const maxMappingFile = 1 << 20

// readAtMost reads the file at path, refusing more than limit bytes.
func readAtMost(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("%s is larger than %d bytes, more than a mapping can be (see docs/limits.md)", path, limit)
	}
	return data, err
}

// fieldHelp describes each field in its flag's help.
var fieldHelp = [fit.NumFields]string{
	fit.ID:            "the ticket id (rows with the same id are updates; the latest wins)",
	fit.Opened:        "the time the ticket was opened (required)",
	fit.Priority:      "the priority, one tier per value",
	fit.Response:      "the time of the first response",
	fit.Resolved:      "the time the ticket was resolved (required)",
	fit.Updated:       "the time the row was written, to pick a ticket's latest row",
	fit.Channel:       "the channel (phone, email, ...)",
	fit.MadeSLA:       "the SLA outcome (true/false)",
	fit.Reassignments: "the number of reassignments",
	fit.Reopens:       "the number of reopenings",
}
