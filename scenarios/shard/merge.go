package shard

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replications"
)

// A Merged run is the run, or the sweep, the partial results are shards of,
// as a single run would have made it: the same statistics, bit for bit.
type Merged struct {
	Scenario *scenarios.Scenario
	// Axes are a sweep's varied settings; none for a run.
	Axes []sweep.Axis
	Seed uint64
	// Model is the scenario's, before a sweep's changes.
	Model *sim.Model
	// Points holds each point's run; a run has one, without settings.
	Points []sweep.Result
}

// Merge reads the partial results at paths, one at a time, and joins
// them. It refuses partials of different runs, of a slasim other than
// version (and than this build, when known), a shard given twice or
// missing, and a file damaged or cut short, naming the files.
func Merge(version string, paths []string) (*Merged, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no partial results to merge")
	}
	var (
		m     *merger
		first string
		from  map[int]string // shard index → file
	)
	for _, path := range paths {
		p, err := ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if m == nil {
			if err := sameSlasim(&p.Header, version); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			if m, err = newMerger(&p.Header); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			first, from = path, make(map[int]string)
		} else if d := differ(&m.h, &p.Header); d != "" {
			return nil, fmt.Errorf("%s and %s are shards of different runs: %s", first, path, d)
		}
		if other, dup := from[p.Shard.Index]; dup {
			return nil, fmt.Errorf("shard %s is given twice: %s and %s", p.Shard, other, path)
		}
		from[p.Shard.Index] = path
		if err := m.add(p); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if missing := m.h.Shard.Count - len(from); missing > 0 {
		return nil, fmt.Errorf("%s missing: the run has %d shards; %s", missingShards(from, m.h.Shard.Count), m.h.Shard.Count, given(from, m.h.Shard.Count))
	}
	return m.merged(), nil
}

// sameSlasim checks that the partial was written by this slasim.
func sameSlasim(h *Header, version string) error {
	b := build()
	switch {
	case h.Version != version:
		return fmt.Errorf("written by slasim %s; this is slasim %s, which may not report alike: merge with the slasim that ran the shards", h.Version, version)
	case h.Build != "" && b != "" && h.Build != b:
		return fmt.Errorf("written by slasim %s built from %s; this one is built from %s, which may not report alike: merge with the slasim that ran the shards", h.Version, h.Build, b)
	}
	return nil
}

// differ says how two headers' runs differ, or "" if they are of the same
// run.
func differ(a, b *Header) string {
	switch {
	case a.Version != b.Version || a.Build != b.Build:
		return fmt.Sprintf("written by slasim %s against %s", describeBuild(a), describeBuild(b))
	case a.Kind != b.Kind:
		return fmt.Sprintf("a %s against a %s", a.Kind, b.Kind)
	case a.File != b.File || a.Example != b.Example || a.Digest != b.Digest || a.Text != b.Text:
		return fmt.Sprintf("scenario %s (%s) against %s (%s)", describeScenario(a), short(a.Digest), describeScenario(b), short(b.Digest))
	case a.Seed != b.Seed:
		return fmt.Sprintf("seed %d against %d", a.Seed, b.Seed)
	case a.Replications != b.Replications:
		return fmt.Sprintf("%d replications against %d", a.Replications, b.Replications)
	case a.Horizon != b.Horizon:
		return fmt.Sprintf("horizon %s against %s", describeHorizon(a), describeHorizon(b))
	case !slices.Equal(a.Vary, b.Vary):
		return fmt.Sprintf("--vary %s against --vary %s", strings.Join(a.Vary, " --vary "), strings.Join(b.Vary, " --vary "))
	case a.Shard.Count != b.Shard.Count:
		return fmt.Sprintf("split into %d shards against %d", a.Shard.Count, b.Shard.Count)
	}
	return ""
}

func describeBuild(h *Header) string {
	if h.Build == "" {
		return h.Version
	}
	return h.Version + " (" + h.Build + ")"
}

func describeScenario(h *Header) string {
	if h.Example != "" {
		return "embedded " + h.Example
	}
	return h.File
}

func describeHorizon(h *Header) string {
	if h.Horizon == 0 {
		return "the scenario's"
	}
	return scenarios.FormatDuration(h.Horizon)
}

// short is the start of a digest, enough to tell two apart.
func short(digest string) string { return digest[:min(len(digest), len("sha256:")+12)] }

// missingShards lists the shards not in from, the first few of them.
func missingShards(from map[int]string, count int) string {
	var missing []string
	n := 0
	for k := range count {
		if _, ok := from[k]; ok {
			continue
		}
		if n++; n <= 10 {
			missing = append(missing, Shard{k, count}.String())
		}
	}
	switch {
	case n == 1:
		return "shard " + missing[0] + " is"
	case n > 10:
		return fmt.Sprintf("shards %s and %d more are", strings.Join(missing, ", "), n-10)
	}
	return "shards " + strings.Join(missing[:n-1], ", ") + " and " + missing[n-1] + " are"
}

// given lists the shards in from, with their files, the first few of them.
func given(from map[int]string, count int) string {
	var have []string
	for k := range count {
		if path, ok := from[k]; ok && len(have) < 10 {
			have = append(have, fmt.Sprintf("%s from %s", Shard{k, count}, path))
		}
	}
	if len(from) > len(have) {
		have = append(have, fmt.Sprintf("%d more", len(from)-len(have)))
	}
	return "given: " + strings.Join(have, ", ")
}

// merger accumulates the shards of one run.
type merger struct {
	h      Header
	sc     *scenarios.Scenario
	model  *sim.Model
	axes   []sweep.Axis
	points []point
}

// point is one point's statistics so far.
type point struct {
	sweep.Point
	model     *sim.Model
	summary   *sim.Summary
	collector func() sim.Collector
	collected sim.Collector
	unstable  *sim.Instability
	// The warm-up of the point's replications and its detection, from
	// its first part; every other part must say the same.
	parts     int
	warmUp    time.Duration
	detection *sim.WarmUpDetection
}

// newMerger rebuilds the run the header describes: its scenario from the
// text the header holds, checked against the digest, and each point's
// model.
func newMerger(h *Header) (*merger, error) {
	sc, err := scenarios.Restore(h.File, h.Example, []byte(h.Text))
	if err != nil {
		return nil, fmt.Errorf("its scenario: %w", err)
	}
	if d := sc.Digest(); d != h.Digest {
		return nil, fmt.Errorf("the scenario it holds reads as %s, the shards ran %s: a staffing file it names (intervals.file) has changed since they ran, or the partial was altered", short(d), short(h.Digest))
	}
	rs := scenarios.RunSettings{Replications: h.Replications, Seed: &h.Seed, Horizon: h.Horizon, ByReplication: true}
	if h.Horizon > 0 {
		if err := sc.SetHorizon(h.Horizon); err != nil {
			return nil, err
		}
	}
	m := &merger{h: *h, sc: sc}
	if m.axes, err = h.check(); err != nil {
		return nil, err
	}
	if m.model, _, err = sc.Prepare(rs); err != nil {
		return nil, err
	}
	pts := []sweep.Point{{Scenario: sc}}
	if len(m.axes) > 0 {
		if pts, err = sweep.Points(sc, m.axes); err != nil {
			return nil, err
		}
	}
	for _, p := range pts {
		model, opts, err := p.Scenario.Prepare(rs)
		if err != nil {
			return nil, err
		}
		m.points = append(m.points, point{Point: p, model: model, collector: opts.Collector})
	}
	return m.empty(), nil
}

// empty returns a merger of the same run with nothing merged yet.
func (m *merger) empty() *merger {
	e := *m
	e.points = slices.Clone(m.points)
	for i := range e.points {
		pt := &e.points[i]
		pt.summary, pt.collected, pt.unstable = sim.NewSummary(pt.model), nil, nil
		if pt.collector != nil {
			pt.collected = pt.collector()
		}
	}
	return &e
}

// add merges the partial's parts.
func (m *merger) add(p *Partial) error {
	for i := range p.Parts {
		part := &p.Parts[i]
		if err := m.points[part.Point].add(part); err != nil {
			return fmt.Errorf("damaged part %d (%s): %w", i, part.Span, err)
		}
	}
	return nil
}

func (pt *point) add(part *Part) error {
	s, err := sim.DecodeSummary(part.Summary, pt.model)
	if err != nil {
		return err
	}
	if d := part.Detection; part.WarmUp < 0 || d != nil && (d.WarmUp < 0 || d.Least < 0 || d.Span < 0 || d.Pilots < 0) {
		return fmt.Errorf("a negative warm-up")
	}
	if pt.parts == 0 {
		pt.warmUp, pt.detection = part.WarmUp, part.Detection
	} else if part.WarmUp != pt.warmUp || (part.Detection == nil) != (pt.detection == nil) || part.Detection != nil && *part.Detection != *pt.detection {
		return fmt.Errorf("a warm-up of %s where another part of the point has %s", scenarios.FormatDuration(part.WarmUp), scenarios.FormatDuration(pt.warmUp))
	}
	pt.parts++
	if u := part.Unstable; u != nil {
		if pt.unstable == nil || u.Replication < pt.unstable.Replication {
			pt.unstable = u
		}
		return nil // an unstable run keeps no statistics
	}
	if s.Replications != int64(part.Replications) {
		return fmt.Errorf("a summary of %d replications", s.Replications)
	}
	if err := pt.summary.Merge(s); err != nil {
		return err
	}
	if pt.collector == nil {
		if string(part.Collected) != "null" {
			return fmt.Errorf("collected statistics the scenario does not collect")
		}
		return nil
	}
	c := pt.collector()
	if err := restore(c, part.Collected); err != nil {
		return err
	}
	if rows, ok := sim.FindCollector[*replications.Collector](c); ok {
		if n, lo, hi := rows.Ended(); n != part.Replications || lo != part.First || hi != part.First+part.Replications-1 {
			return fmt.Errorf("the counts of %d replications, %d to %d", n, lo, hi)
		}
	}
	return pt.collected.Merge(c)
}

// merged returns the run as a single run would have returned it.
func (m *merger) merged() *Merged {
	out := &Merged{Scenario: m.sc, Axes: m.axes, Seed: m.h.Seed, Model: m.model}
	for _, pt := range m.points {
		res := &sim.Result{Summary: pt.summary, Seed: m.h.Seed, Planned: m.h.Replications, Collected: pt.collected,
			WarmUp: pt.warmUp, Detection: pt.detection}
		if pt.unstable != nil {
			res.Summary, res.Collected, res.Unstable = sim.NewSummary(pt.model), nil, pt.unstable
		}
		out.Points = append(out.Points, sweep.Result{Point: pt.Point, Run: &scenarios.Run{Model: pt.model, Result: res}})
	}
	return out
}
