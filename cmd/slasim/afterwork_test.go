package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
)

// TestSignalAfterTheWork: a signal that comes once every replication is
// done, before the reports are written, leaves them whole: not partial,
// with the closed form, which the signal dropped from the run's report
// and from each sweep point's. The banner says so; the exit status still
// says a signal came (docs/limits.md).
func TestSignalAfterTheWork(t *testing.T) {
	rs := scenarios.RunSettings{Replications: 2, Horizon: 7 * 24 * time.Hour, Workers: 1}
	for _, c := range []struct {
		name   string
		report func(e *env, sc *scenarios.Scenario, o *outputs, interrupt func()) error
		whole  string // in a whole report
	}{
		{"run", func(e *env, sc *scenarios.Scenario, o *outputs, interrupt func()) error {
			run, err := sc.Run(context.Background(), rs)
			if err != nil {
				t.Fatal(err)
			}
			interrupt()
			return o.reportRun(e, sc, run)
		}, "Erlang C, exact for this model"},
		{"sweep", func(e *env, sc *scenarios.Scenario, o *outputs, interrupt func()) error {
			axis, err := sweep.ParseAxis("agents=10,11")
			if err != nil {
				t.Fatal(err)
			}
			axes := []sweep.Axis{axis}
			points, err := sweep.Points(sc, axes)
			if err != nil {
				t.Fatal(err)
			}
			base, opts, err := sc.Prepare(rs)
			if err != nil {
				t.Fatal(err)
			}
			results, err := sweep.Run(context.Background(), points, rs, nil)
			if err != nil {
				t.Fatal(err)
			}
			interrupt()
			o.json = true
			return o.reportSweep(e, sc, axes, base, opts.Seed, len(points), results)
		}, `"formula": "Erlang C"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			var out bytes.Buffer
			e := &env{ctx: ctx, stdout: &out, stderr: &bytes.Buffer{}}
			sc, err := openForRun(e, "erlang-c", rs)
			if err != nil {
				t.Fatal(err)
			}
			err = c.report(e, sc, &outputs{}, func() { cancel(interruption{syscall.SIGINT}) })
			got := out.String()
			if code := e.exit(c.name, err); code != 130 || strings.Contains(got, "PARTIAL") || strings.Contains(got, `"partial": true`) || strings.Count(got, c.whole) == 0 {
				t.Errorf("exit %d, %v:\n%s", code, err, got)
			}
		})
	}
	// Once the work is done, a signal's banner says what comes: the
	// report written whole, the trace of a run with one stopped.
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "erlang-c", "-r", "2", "--horizon", "1w"}, writingWhole},
		{[]string{"run", "erlang-c", "-r", "2", "--horizon", "1w", "--trace", filepath.Join(dir, "trace.csv")}, traceStopped},
		{[]string{"sweep", "erlang-c", "-r", "2", "--horizon", "1w", "--vary", "agents=10,11"}, writingWhole},
	} {
		e := &env{ctx: context.Background(), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
		if code := e.main(c.args); code != exitOK {
			t.Fatalf("%v: exit %d", c.args, code)
		}
		if s := e.stopping.Load(); s == nil || *s != c.want {
			t.Errorf("%v: done, a signal's banner would say %v, want %q", c.args, s, c.want)
		}
	}
}
