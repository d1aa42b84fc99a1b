package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

// maxTraceTickets bounds the tickets a trace may hold, as the scenario's
// mean volume over the horizon times the replications traced: a row is
// about 270 bytes, so about 3 GB of CSV (docs/limits.md).
const maxTraceTickets = 10_000_000

// traceFlags are run's --trace and --trace-replications.
type traceFlags struct {
	fs         *pflag.FlagSet
	file, reps string
}

func addTraceFlags(fs *pflag.FlagSet) *traceFlags {
	f := &traceFlags{fs: fs}
	fs.StringVar(&f.file, "trace", "", "write a row per ticket of the traced replications to `FILE` (CSV; columns in docs/trace.md)")
	fs.StringVar(&f.reps, "trace-replications", "0", "the replications --trace records: indexes from 0 and ranges, e.g. 0,3,5-9 (at most 1000)")
	return f
}

// A traceJob writes the trace of replications reps of a run to file.
type traceJob struct {
	file string
	reps []int
}

// parse returns the trace the flags ask for, nil if none.
func (f *traceFlags) parse() (*traceJob, error) {
	if !f.fs.Changed("trace") {
		if f.fs.Changed("trace-replications") {
			return nil, usagef("--trace-replications says which replications --trace records: give --trace FILE too")
		}
		return nil, nil
	}
	if f.file == "" || f.file == stdoutPath {
		return nil, usagef("--trace needs a file to write the trace to, got %q", f.file)
	}
	for _, flag := range []string{"shard", "partial"} {
		if f.fs.Changed(flag) {
			return nil, usagef("--trace: a shard writes only its partial result; a replication depends only on the scenario, the seed and its index, so slasim run with the same scenario and --seed traces the job's replications exactly (docs/trace.md)")
		}
	}
	reps, err := parseReplicationList(f.reps)
	if err != nil {
		return nil, usagef("--trace-replications: %v", err)
	}
	return &traceJob{file: f.file, reps: reps}, nil
}

// parseReplicationList reads a list of replication indexes and ranges,
// such as 0,3,5-9, into the indexes in increasing order, each once; at
// most sim.MaxTraceReplications, counted before they are made.
func parseReplicationList(s string) ([]int, error) {
	type span struct{ from, to int }
	var spans []span
	n := 0
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := strings.Cut(item, "-")
		from, err := strconv.Atoi(lo)
		to := from
		if err == nil && isRange {
			to, err = strconv.Atoi(hi)
		}
		if err != nil || from < 0 || to < from {
			return nil, fmt.Errorf("%q is not a replication (0, 1, ...) or a range of them (5-9)", item)
		}
		if n += to - from + 1; to-from >= sim.MaxTraceReplications || n > sim.MaxTraceReplications {
			return nil, fmt.Errorf("more than %d replications", sim.MaxTraceReplications)
		}
		spans = append(spans, span{from, to})
	}
	var reps []int
	for _, sp := range spans {
		for r := sp.from; ; r++ { // r <= sp.to would never fail for the largest int
			reps = append(reps, r)
			if r == sp.to {
				break
			}
		}
	}
	slices.Sort(reps)
	return slices.Compact(reps), nil
}

// check checks, before anything is simulated, that the trace's file can be
// written, that the replications traced are among those the run of sc
// with settings rs will simulate when their number is fixed, and that the
// trace stays within maxTraceTickets.
func (j *traceJob) check(sc *scenarios.Scenario, rs scenarios.RunSettings) error {
	if err := checkOutputs(outPath{flag: "trace", path: j.file}); err != nil {
		return err
	}
	opts := sc.Options()
	if rs.Replications > 0 {
		opts.Replications = rs.Replications
	}
	if n := cmp.Or(opts.Replications, 10); rs.Precision == 0 && opts.Precision == 0 && j.reps[len(j.reps)-1] >= n { // 10: sim.Run's default
		return usagef("--trace-replications: replication %d, but the run has %d (0 to %d)", j.reps[len(j.reps)-1], n, n-1)
	}
	if tickets := sc.TicketsPerReplication() * float64(len(j.reps)); tickets > maxTraceTickets {
		return usagef("--trace: about %s in %d %s, more than the %d a trace may hold (see docs/limits.md); trace fewer replications or a shorter --horizon",
			plural.Count(tickets, "ticket", "tickets"), len(j.reps), plural.Of(len(j.reps), "replication", "replications"), maxTraceTickets)
	}
	return nil
}

// write simulates the traced replications of run, a run of sc, again and
// writes their tickets to the trace's file: whole, or not at all (Ctrl-C
// or an error leaves no file, and an earlier one as it was).
func (j *traceJob) write(e *env, sc *scenarios.Scenario, run *scenarios.Run) error {
	res := run.Result
	if last := j.reps[len(j.reps)-1]; int64(last) >= res.Summary.Replications {
		return fmt.Errorf("--trace-replications: replication %d, but the run did %d: the trace was not written", last, res.Summary.Replications)
	}
	return e.writeFiles(outFile{j.file, func(w io.Writer) error {
		tc := reports.NewTraceCSV(w, run.Model, sc.Epoch().Origin, res.Seed, slasimVersion())
		if err := run.Trace(e.ctx, j.reps, tc.Write); err != nil {
			return err
		}
		return tc.Close()
	}})
}
