package reports

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/sim"
)

// SweepSchemaVersion names the layout of a sweep's JSON document; it
// changes as SchemaVersion does. Each point holds a whole run report.
const SweepSchemaVersion = "slasim.sweep/v1"

// A Sweep is a what-if study: the same scenario run at each combination of
// values of one or two settings, every point with the same seed, so that
// the differences between points come from the change rather than from
// noise (common random numbers).
type Sweep struct {
	Envelope
	Confidence float64 `json:"confidence"`
	Level      float64 `json:"level"`
	// Vary lists the varied fields by path, such as agents or
	// tiers[0].targets.response; Units says what each point's X measures
	// for each of them: "" (plain numbers), "%", "minutes", "hours",
	// "days", "tickets per day", or null for values that are not numbers
	// (a distribution's name).
	Vary  []string  `json:"vary"`
	Units []*string `json:"units"`
	// Partial is set when the sweep was interrupted: Points then holds the
	// points run, the last perhaps partly.
	Partial bool    `json:"partial"`
	Planned int     `json:"points_planned"`
	Points  []Point `json:"points"`

	description string
	model       *sim.Model
	axes        []sweep.Axis
}

// A Point is one run of a sweep: the values of the varied fields, in the
// order of Sweep.Vary, as written in the file (15m, 5%, 150/day) and as
// numbers in the axis's unit (Sweep.Units; null for a value that is not a
// number), and the run's report.
type Point struct {
	Values []string   `json:"values"`
	X      []*float64 `json:"x"`
	Report *Report    `json:"report"`
}

// SweepMeta is what a sweep report says besides its points.
type SweepMeta struct {
	Version, Scenario, Description, File string
	// Seed is every point's master seed.
	Seed  uint64
	Level float64
	Axes  []sweep.Axis
	// Planned is the number of points the sweep was to run.
	Planned int
	// Model is the scenario before any change, as the report describes it.
	Model *sim.Model
}

// NewSweep builds the report of a sweep from its points' reports; fewer
// points than planned make it partial, as does a partial run.
func NewSweep(meta SweepMeta, points []Point) *Sweep {
	sw := &Sweep{
		Envelope:    Envelope{Schema: SweepSchemaVersion, Version: meta.Version, Scenario: meta.Scenario, File: meta.File, Seed: meta.Seed},
		Confidence:  sim.Confidence,
		Level:       meta.Level,
		Vary:        make([]string, len(meta.Axes)),
		Planned:     meta.Planned,
		Points:      points,
		description: meta.Description,
		model:       meta.Model,
		axes:        meta.Axes,
	}
	for i, a := range meta.Axes {
		sw.Vary[i] = a.Path
		if a.Numeric {
			sw.Units = append(sw.Units, &a.Unit)
		} else {
			sw.Units = append(sw.Units, nil)
		}
	}
	for i := range sw.Points {
		p := &sw.Points[i]
		p.X = make([]*float64, len(p.Values))
		for j, text := range p.Values {
			if j >= len(meta.Axes) || !meta.Axes[j].Numeric {
				continue
			}
			for _, v := range meta.Axes[j].Values {
				if v.Text == text {
					p.X[j] = &v.X
				}
			}
		}
	}
	sw.Partial = len(points) < meta.Planned
	for _, p := range points {
		sw.Partial = sw.Partial || p.Report.Partial
	}
	return sw
}

// label names a point by its settings, as in agents=10, arrivals.scale=1.1.
func (sw *Sweep) label(p *Point) string {
	parts := make([]string, len(p.Values))
	for i, v := range p.Values {
		parts[i] = sw.Vary[i] + "=" + v
	}
	return strings.Join(parts, ", ")
}

// WriteJSON writes the sweep as indented JSON.
func (sw *Sweep) WriteJSON(w io.Writer) error {
	return writeJSON(w, sw)
}

// warmUpText says what warm-up the points simulated: the same for all, or
// detected point by point.
func (sw *Sweep) warmUpText() string {
	lo, hi, auto, lost := math.Inf(1), math.Inf(-1), false, true
	for _, pt := range sw.Points {
		r := pt.Report
		auto = auto || r.WarmUpAuto
		if !r.WarmUpAuto || r.WarmUpCheck != nil {
			lo, hi = min(lo, r.WarmUpS), max(hi, r.WarmUpS)
		}
		if r.WarmUpAuto && r.WarmUpCheck != nil {
			lost = lost && !r.WarmUpCheck.Found
		}
	}
	switch {
	case math.IsInf(lo, 1):
		return sw.Points[0].Report.warmUpText()
	case lo == hi && !auto:
		return fmt.Sprintf("a %s warm-up", format.Duration(seconds(lo)))
	case hi == 0:
		return noWarmUp
	case lo == hi && lost:
		return fmt.Sprintf("a %s warm-up%s", format.Duration(seconds(lo)), notFound)
	case lo == hi:
		return fmt.Sprintf("a %s warm-up (detected)", format.Duration(seconds(lo)))
	}
	return fmt.Sprintf("a warm-up detected point by point, %s to %s", format.Duration(seconds(lo)), format.Duration(seconds(hi)))
}

// WriteText writes the sweep as a table for people: a row per point and
// tier, with the point's offered load and utilisation, and each clock's
// attainment, interval and verdict; with a contract, the point's cost per
// period and probability of termination too. Unstable points say so on
// their row.
func (sw *Sweep) WriteText(w io.Writer) error { return format.Text(w, sw.writeText) }

func (sw *Sweep) writeText(w io.Writer) error {
	p := &printer{w: w}
	p.f("slasim %s · sweep of scenario %s (%s)\n", sw.Version, sw.Scenario, sw.File)
	if len(sw.Points) == 0 {
		p.f("No points were run.\n")
		return p.err
	}
	first := sw.Points[0].Report
	p.f("varying %s · %d %s · seed %d for every point (common random numbers) · %s · %s measured after %s\n",
		strings.Join(sw.Vary, " and "), sw.Planned, plural.Of(sw.Planned, "point", "points"), first.Seed, sw.replications(),
		format.Duration(seconds(first.HorizonS)), sw.warmUpText())
	p.f("%s\n", sw.targets())
	if sw.Partial {
		p.f("PARTIAL: interrupted; %d of %d %s run, figures cover the replications done.\n", len(sw.Points), sw.Planned, plural.Of(sw.Planned, "point", "points"))
	}
	p.f("\n")
	if p.err != nil {
		return p.err
	}
	money := sw.money()
	tw := newTextTable(w)
	fmt.Fprintf(tw, "%s\t", strings.Join(sw.Vary, ", "))
	// Without a resolution promised anywhere, the table has no
	// resolution columns.
	resolutions := sw.anyResolution()
	fmt.Fprintf(tw, "offered load\tutilisation\t%stier\tresponse\t95%% interval\tmeets %s?", money.textHeads(), format.Level(sw.Level))
	if resolutions {
		fmt.Fprintf(tw, "\tresolution\t95%% interval\tmeets %s?", format.Level(sw.Level))
	}
	fmt.Fprintf(tw, "\n")
	var unstable []string
	for _, pt := range sw.Points {
		r := pt.Report
		lead := []string{pointCell(&pt), fmt.Sprintf("%.2f", r.OfferedLoad)}
		if r.Unstable != nil {
			dashes := "-\t-\t-\t-"
			if resolutions {
				dashes += "\t-\t-\t-"
			}
			fmt.Fprintf(tw, "%s\tunstable\t%s%s\n", strings.Join(lead, "\t"), money.textCells(r), dashes)
			unstable = append(unstable, fmt.Sprintf("  %s: %s\n", sw.label(&pt), r.Unstable.Reason()))
			continue
		}
		lead = append(lead, utilisation(r.Utilisation))
		cells := money.textCells(r)
		for i, t := range r.Tiers {
			if i == 1 {
				lead = make([]string, len(lead))
				cells = strings.Repeat("\t", strings.Count(cells, "\t"))
			}
			resolution := ""
			switch m := t.Resolution; {
			case m != nil:
				resolution = "\t" + mean(m.Attainment) + "\t" + judgedInterval(m.Attainment, sw.Level) + "\t" + verdictText[m.Verdict]
			case resolutions:
				resolution = "\t" + noTarget + "\t\t" // every cell (see textTable)
			}
			fmt.Fprintf(tw, "%s\t%s%s\t%s\t%s\t%s%s\n", strings.Join(lead, "\t"), cells, t.Name,
				mean(t.Response.Attainment), judgedInterval(t.Response.Attainment, sw.Level), verdictText[t.Response.Verdict], resolution)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := sw.writeNamedClocks(w); err != nil {
		return err
	}
	if len(unstable) > 0 {
		p.f("\nUnstable, the backlog growing without bound (no figures):\n%s", strings.Join(unstable, ""))
	}
	p.f("\nmeets %s?: yes = the whole 95%% interval of attainment is at or above %s; no = it is below;\n", format.Level(sw.Level), format.Level(sw.Level))
	p.f("not determined = the interval straddles the level.\n")
	p.f("Every point uses the same seed, so the differences between neighbouring points are measured more precisely than the intervals of each point suggest.\n")
	p.f("%s", money.textNote())
	return p.err
}

// writeNamedClocks writes, when a tier has named clocks (a journey's
// stages, the letter's own clocks), a table of them by point: a promise on
// them is as much a target as response and resolution.
func (sw *Sweep) writeNamedClocks(w io.Writer) error {
	if !sw.hasNamedClocks() {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\nnamed clocks\n"); err != nil {
		return err
	}
	tw := newTextTable(w)
	fmt.Fprintf(tw, "%s\t", strings.Join(sw.Vary, ", "))
	// Tier and clock in one column, which a table folded to fit a
	// terminal keeps beside each of its parts.
	fmt.Fprintf(tw, "tier: clock\ttarget\tattainment\t95%% interval\tmeets %s?\n", format.Level(sw.Level))
	for _, pt := range sw.Points {
		if pt.Report.Unstable != nil {
			continue // its row above says so
		}
		lead := pointCell(&pt)
		for _, t := range pt.Report.Tiers {
			for _, c := range t.Clocks {
				fmt.Fprintf(tw, "%s\t%s: %s\t%s\t%s\t%s\t%s\n", lead, t.Name, c.Name, format.Duration(seconds(c.TargetS)),
					mean(c.Attainment), judgedInterval(c.Attainment, sw.Level), verdictText[c.Verdict])
				lead = ""
			}
		}
	}
	return tw.Flush()
}

// pointCell is a point's values in the text tables' first column: one
// column however many settings vary, so that a table folded to fit a
// terminal repeats the whole point in each of its blocks (with a column
// per setting, only the first was repeated, and rows of different points
// read alike).
func pointCell(p *Point) string { return strings.Join(p.Values, ", ") }

// hasNamedClocks says whether some tier of the sweep has a named clock.
func (sw *Sweep) hasNamedClocks() bool {
	for _, p := range sw.Points {
		for _, t := range p.Report.Tiers {
			if len(t.Clocks) > 0 {
				return true
			}
		}
	}
	return false
}

func utilisation(e *Estimate) string {
	if e == nil {
		return format.Unknown
	}
	return pctCI(e)
}

// replications says how many replications each point ran.
func (sw *Sweep) replications() string {
	lo, hi := int64(math.MaxInt64), int64(0)
	for _, p := range sw.Points {
		if p.Report.Unstable != nil {
			continue
		}
		lo, hi = min(lo, p.Report.Replications), max(hi, p.Report.Replications)
	}
	if hi == 0 {
		return "no replications: every point is unstable"
	}
	if lo == hi {
		return replicationCount(int64(lo)) + " per point"
	}
	return fmt.Sprintf("%d to %d replications per point", lo, hi)
}

// targets lists each tier's targets, or "varied" where the points differ;
// response alone when no tier promises a resolution.
func (sw *Sweep) targets() string {
	resolutions := sw.anyResolution()
	first := sw.Points[0].Report
	parts := make([]string, len(first.Tiers))
	for i, t := range first.Tiers {
		resp := format.Duration(seconds(t.Response.TargetS))
		res := sw.targetLabel(i, sweepClocks[1])
		if res == "" {
			res = "varied"
		} else {
			res = strings.Trim(res, " ()")
		}
		for _, p := range sw.Points[1:] {
			if i < len(p.Report.Tiers) && p.Report.Tiers[i].Response.TargetS != t.Response.TargetS {
				resp = "varied"
			}
		}
		parts[i] = fmt.Sprintf("%s %s", t.Name, resp)
		if resolutions {
			parts[i] += " / " + res
		}
	}
	if !resolutions {
		return "targets (response): " + strings.Join(parts, ", ")
	}
	return "targets (response / resolution): " + strings.Join(parts, ", ")
}
