package main

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/fit"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/staffing/sizing"
)

// parse reads a command line into its task as main does, without running
// it.
func parse(t *testing.T, args ...string) (task, error) {
	t.Helper()
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
		read := c.flags(fs)
		if err := fs.Parse(args[1:]); err != nil {
			return nil, err
		}
		return read(fs.Args())
	}
	t.Fatalf("no command %s", args[0])
	return nil, nil
}

func seed(s uint64) *uint64 { return &s }

func axis(t *testing.T, s string) sweep.Axis {
	t.Helper()
	a, err := sweep.ParseAxis(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestParse(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		args []string
		want task
	}{
		{[]string{"run"}, &runTask{scenario: "default"}},
		{[]string{"run", "desk.yaml", "-r", "5", "--seed", "0", "--precision", "0.5%", "--max-replications", "90", "-w", "3", "--horizon", "2w", "--json"},
			&runTask{scenario: "desk.yaml", settings: scenarios.RunSettings{Replications: 5, Seed: seed(0), Precision: 0.005, MaxReplications: 90, Workers: 3, Horizon: 2 * 7 * 24 * time.Hour}, outputs: outputs{json: true}}},
		{[]string{"run", "erlang-c", "--csv", "c", "--out", "o", "--plots", "p", "--report", "r.html"},
			&runTask{scenario: "erlang-c", settings: scenarios.RunSettings{ByReplication: true}, outputs: outputs{csv: "c", out: "o", plots: "p", report: "r.html"}}},
		{[]string{"sweep", "--vary", "agents=8..10", "--vary", "arrivals.scale=1,1.2", "-r", "4"},
			&sweepTask{scenario: "default", axes: []sweep.Axis{axis(t, "agents=8..10"), axis(t, "arrivals.scale=1,1.2")}, settings: scenarios.RunSettings{Replications: 4}}},
		{[]string{"size", "desk.yaml", "--level", "90%", "--cost", "42", "--set", "sizing.teams[0].cost = 80", "--seed", "7", "-r", "4", "--max-replications", "16", "--json", "--write", "sized.yaml"},
			&sizeTask{scenario: "desk.yaml", settings: []scenarios.Setting{{Path: "sizing.level", Value: "90%"}, {Path: "sizing.cost", Value: "42"}, {Path: "sizing.teams[0].cost", Value: "80"}},
				search: sizing.Options{Replications: 4, MaxReplications: 16}, seed: seed(7), json: true, write: "sized.yaml"}},
		{[]string{"size"}, &sizeTask{scenario: "default", search: sizing.Options{Replications: 10, MaxReplications: 80}}},
		{[]string{"fit", "x.csv", "--timezone", "Europe/Paris", "--until", "2016-04-15", "--backtest", "-r", "5", "--priority", "", "--mapping", "m.yaml", "--empirical", "-o", "desk.yaml"},
			&fitTask{export: "x.csv", mapping: "m.yaml", columns: fit.Overrides{Columns: map[fit.Field]string{fit.Priority: ""}}, location: paris,
				fit: fit.FitOptions{Until: time.Date(2016, 4, 15, 0, 0, 0, 0, paris), Empirical: true}, out: "desk.yaml", backtest: &fit.BacktestOptions{Replications: 5, Seed: 1}}},
		{[]string{"validate", "a.yaml", "b.yaml"}, &validateTask{files: []string{"a.yaml", "b.yaml"}}},
		{[]string{"scenarios"}, &scenariosTask{}},
		{[]string{"scenarios", "show", "default"}, &scenariosTask{show: "default"}},
		{[]string{"version"}, versionTask{}},
	}
	for _, tt := range tests {
		got, err := parse(t, tt.args...)
		if err != nil {
			t.Errorf("%v: %v", tt.args, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v:\n got %+v\nwant %+v", tt.args, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "a", "b"}, "run takes one scenario, got 2"},
		{[]string{"run", "-r", "0"}, "--replications must be from 1 to 2147483647"},
		{[]string{"run", "-r", "3000000000"}, "--replications must be from 1 to 2147483647"},
		{[]string{"run", "--precision", "lots"}, "--precision must be a share"},
		{[]string{"run", "--precision", "100%"}, "--precision must be a share"},
		{[]string{"run", "--max-replications", "-1"}, "--max-replications must be from 1"},
		{[]string{"run", "--workers", "0"}, "--workers must be > 0"},
		{[]string{"run", "--horizon", "-2w"}, "--horizon must be a duration > 0"},
		{[]string{"sweep"}, "one or two --vary"},
		{[]string{"sweep", "--vary", "a=1", "--vary", "b=1", "--vary", "c=1"}, "one or two --vary"},
		{[]string{"sweep", "--vary", "agents=1,2", "--vary", "agents=3"}, "agents is already varied"},
		{[]string{"sweep", "--vary", "agents=12..8"}, "goes down"},
		{[]string{"sweep", "--vary", "agents=1..100", "--vary", "arrivals.scale=1..10"}, "1000 points; at most 400"},
		{[]string{"size", "--set", "sizing.cost"}, "--set takes PATH=VALUE"},
		{[]string{"size", "-r", "1"}, "--replications must be at least 2"},
		{[]string{"size", "-r", "8", "--max-replications", "4"}, "--max-replications must be at least --replications (8)"},
		{[]string{"size", "-w", "0"}, "--workers must be > 0"},
		{[]string{"size", "--seed", "18446744073709551615"}, "--seed must be below"},
		{[]string{"fit"}, "fit takes one export file"},
		{[]string{"fit", "x.csv", "--timezone", "Mars/Olympus"}, "--timezone"},
		{[]string{"fit", "x.csv", "--backtest"}, "--backtest needs --until"},
		{[]string{"fit", "x.csv", "--since", "yesterday"}, "--since"},
		{[]string{"fit", "x.csv", "--handling-from", "magic"}, "--handling-from"},
		{[]string{"fit", "x.csv", "-r", "0"}, "--replications must be > 0"},
		{[]string{"validate"}, "at least one scenario file"},
		{[]string{"scenarios", "show"}, "usage: slasim scenarios show NAME"},
		{[]string{"scenarios", "list"}, "usage: slasim scenarios [show NAME]"},
		{[]string{"version", "now"}, "version takes no arguments"},
	}
	for _, tt := range tests {
		_, err := parse(t, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.want)
		}
	}
}
