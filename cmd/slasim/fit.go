package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // --timezone works without the system's zone database

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios/fit"
)

const fitExamples = `  slasim fit tickets.csv --out desk.yaml         # a generic export (id,opened_at,priority,first_response_at,resolved_at,channel)
  slasim fit incidents.csv.gz --preset servicenow --timezone America/Sao_Paulo --out desk.yaml
  slasim fit export.csv --opened Created --resolved Resolved --priority Priority --date-format "m/d/yyyy h:MM AM"
  slasim fit export.csv --mapping jira.yaml --empirical   # columns from a mapping file; empirical handling times
  slasim fit incidents.csv.gz --until 2016-04-15 --backtest --out train.yaml   # fit the first weeks, test on the rest
  slasim fit incidents.csv.gz --out desk.yaml --plots fit-plots/   # and plot observed against fitted, PNG and SVG
`

// fitCommand is slasim fit: calibrate a scenario from a ticket export.
func fitCommand(e *env, fs *pflag.FlagSet) func([]string) error {
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
	return func(args []string) error {
		if len(args) != 1 {
			return usagef("fit takes one export file, got %d arguments", len(args))
		}
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			return usagef("--timezone: %v", err)
		}
		var o fit.Overrides
		if *mapping != "" {
			data, err := os.ReadFile(*mapping)
			if err != nil {
				return usagef("--mapping: %v", err)
			}
			if o, err = fit.ParseMappingFile(*mapping, data); err != nil {
				return usageError{err}
			}
		}
		flags := fit.Overrides{Columns: map[fit.Field]string{}}
		if fs.Changed("preset") {
			flags.Preset = *preset
		}
		for f := range fit.NumFields {
			if fs.Changed(f.String()) {
				flags.Columns[f] = *columns[f]
			}
		}
		if fs.Changed("missing") {
			flags.Missing = strings.Split(*missing, ",")
		}
		if *dateFormat != "" {
			if flags.DateLayout, err = fit.ParseDateFormat(*dateFormat); err != nil {
				return usagef("--date-format: %v", err)
			}
		}
		o = o.Merge(flags)
		var fo fit.FitOptions
		if fo.HandlingFrom, err = fit.ParseHandlingFrom(*handlingFrom); err != nil {
			return usagef("--handling-from: %v", err)
		}
		fo.Empirical = *empirical
		for _, t := range []struct {
			flag, value string
			into        *time.Time
		}{{"since", *since, &fo.Since}, {"until", *until, &fo.Until}} {
			if t.value == "" {
				continue
			}
			if *t.into, err = fit.ParseTime(t.value, loc); err != nil {
				return usagef("--%s: %v", t.flag, err)
			}
		}
		if *backtest && fo.Until.IsZero() {
			return usagef("--backtest needs --until: the fit covers the tickets before it, the test those after")
		}
		if *reps <= 0 {
			return usagef("--replications must be > 0, got %d", *reps)
		}

		ex, err := fit.ReadFile(args[0], fit.Options{Overrides: o, Location: loc})
		if err != nil {
			return err
		}
		res, err := fit.Fit(ex, fo)
		if err != nil {
			return err
		}
		scName := *name
		if scName == "" {
			scName = fit.DefaultName(args[0])
		}
		yaml, sc, err := fit.Scenario(res, scName)
		if err != nil {
			return err
		}
		var bt *fit.Backtest
		if *backtest {
			if bt, err = fit.RunBacktest(e.ctx, sc, res, fit.BacktestOptions{Replications: *reps, Seed: *seed}); err != nil {
				return err
			}
		}
		var figs []*reports.Figure
		if *plots != "" {
			if figs, err = (&reports.Fit{Result: res}).Figures(); err != nil {
				return err
			}
			if err := os.MkdirAll(*plots, 0o755); err != nil {
				return fmt.Errorf("--plots: %w", err)
			}
		}
		write := func(w io.Writer) error { _, err := w.Write(yaml); return err }
		if *out != "" {
			err = reports.WriteFile(*out, write)
		} else {
			err = write(e.stdout)
		}
		if err != nil {
			return err
		}
		for _, f := range figs {
			base := filepath.Join(*plots, f.Name)
			for _, o := range []outFile{{base + ".png", f.WritePNG}, {base + ".svg", f.WriteSVG}} {
				if err := reports.WriteFile(o.path, o.write); err != nil {
					return err
				}
			}
		}
		return (&reports.Fit{Result: res, Backtest: bt}).WriteText(e.stderr)
	}
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
