package shard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
)

// A Job is a shard to run: of a run of Scenario, or of a sweep of it along
// Axes, with the settings given.
type Job struct {
	Scenario *scenarios.Scenario
	Axes     []sweep.Axis
	Settings scenarios.RunSettings
	Shard    Shard
	// Version is the slasim running it, as its reports print it.
	Version string
}

// bytesPerReplicationTier bounds what each replication's counts of a tier
// take in a partial result (about 160 bytes).
const bytesPerReplicationTier = 200

// ErrPrecision is the error of a shard of a run with a precision target.
var ErrPrecision = errors.New("a run with a precision target cannot be split into shards: " +
	"the number of replications it needs is decided from all of them together, as they finish, " +
	"which no shard sees; give a fixed number with --replications (and remove precision from the scenario's simulation section, if it is there)")

// ErrInterrupted is the error of a shard stopped before it finished: it
// has no result to write.
var ErrInterrupted = errors.New("interrupted: the shard did not finish, and writes no partial result")

// Run runs the shard's replications of each point they fall in, and
// returns its partial result. A shard stopped by ctx has none.
func Run(ctx context.Context, j Job) (*Partial, error) {
	if err := j.Shard.check(); err != nil {
		return nil, err
	}
	_, opts, err := j.Scenario.Prepare(j.Settings)
	if err != nil {
		return nil, err
	}
	if opts.Precision > 0 {
		return nil, ErrPrecision
	}
	points := []sweep.Point{{Scenario: j.Scenario}}
	kind := kindRun
	if len(j.Axes) > 0 {
		if points, err = sweep.Points(j.Scenario, j.Axes); err != nil {
			return nil, err
		}
		kind = kindSweep
	}
	p := &Partial{Header: Header{
		Version:      j.Version,
		Build:        build(),
		Kind:         kind,
		File:         j.Scenario.File,
		Example:      j.Scenario.Example(),
		Digest:       j.Scenario.Digest(),
		Text:         string(j.Scenario.Text()),
		Seed:         opts.Seed,
		Replications: opts.Replications,
		Horizon:      j.Settings.Horizon,
		Shard:        j.Shard,
	}}
	for _, a := range j.Axes {
		p.Vary = append(p.Vary, spec(a))
	}
	spans := j.Shard.Spans(len(points), opts.Replications)
	done, planned := 0, 0
	for _, s := range spans {
		planned += s.Replications
	}
	// Each replication's own counts go into the partial result: refuse,
	// before simulating, a shard whose file merge would refuse.
	tiers := len(j.Scenario.Tiers)
	if most := (MaxFileSize - maxHeader) / (bytesPerReplicationTier * tiers); planned > most {
		return nil, fmt.Errorf("shard %s would run %d replications of %d tiers, and its partial result would pass %d MiB; "+
			"a shard holds %d at most: split the run into %d shards or more",
			j.Shard, planned, tiers, MaxFileSize>>20, most, (int64(opts.Replications)*int64(len(points))+int64(most)-1)/int64(most))
	}
	for _, s := range spans {
		rs := j.Settings
		rs.Seed, rs.Replications, rs.FirstReplication, rs.ByReplication = &opts.Seed, s.Replications, s.First, true
		if progress := j.Settings.Progress; progress != nil {
			rs.Progress = func(d, _ int) { progress(done+d, planned) }
		}
		run, err := points[s.Point].Scenario.Run(ctx, rs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		if run.Result.Partial {
			return nil, ErrInterrupted
		}
		part := Part{Span: s, Unstable: run.Result.Unstable, WarmUp: run.Result.WarmUp, Detection: run.Result.Detection}
		if part.Summary, err = json.Marshal(run.Result.Summary); err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		if part.Collected, err = save(run.Result.Collected); err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		p.Parts = append(p.Parts, part)
		done += s.Replications
	}
	return p, nil
}

// build is the source revision slasim was built from, when the build
// recorded it: "devel" versions of different sources must not merge.
func build() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, modified := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" && modified {
		rev += "+modified"
	}
	return rev
}
