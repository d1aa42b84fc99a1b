package reports

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios/sweep"
)

// Figures returns the plots of a sweep: for each SLA clock, each tier's
// attainment against the first varied setting with its 95% band and the
// level drawn in. With two settings there is a plot per clock and tier,
// with a line per value of the second. With a contract, last, the cost
// per period against the first setting.
func (sw *Sweep) Figures() ([]*Figure, error) {
	figs, err := sw.figures()
	stamp(figs, "slasim %s · %s · seed %d · %d of %d %s · %s", sw.Version, sw.Scenario, sw.Seed, len(sw.Points), sw.Planned, plural.Of(sw.Planned, "point", "points"), completeness(sw.Partial))
	return figs, err
}

func (sw *Sweep) figures() ([]*Figure, error) {
	if len(sw.Points) == 0 || len(sw.Vary) == 0 {
		return nil, nil
	}
	ax := newSettingAxis(&sw.axes[0])
	tiers := sw.Points[0].Report.Tiers
	names := make([]string, len(tiers))
	for i, t := range tiers {
		names[i] = t.Name
	}
	slugs := slugs(names, "tier")
	var figs []*Figure
	for _, c := range sw.clocks() {
		if len(sw.Vary) == 1 {
			var series []sweepSeries
			for i, t := range tiers {
				if c.named && !sw.timed(i, c) {
					continue
				}
				series = append(series, sweepSeries{label: t.Name + sw.targetLabel(i, c), tier: i})
			}
			f, err := sw.figure("sweep-"+c.name, fmt.Sprintf("%s against %s", c.title, sw.Vary[0]), c, ax, series)
			if err != nil {
				return nil, err
			}
			if f != nil {
				figs = append(figs, f)
			}
			continue
		}
		for i, t := range tiers {
			if c.named && !sw.timed(i, c) {
				continue
			}
			var series []sweepSeries
			for _, v := range sw.values(1) {
				series = append(series, sweepSeries{label: sw.Vary[1] + " = " + v, tier: i, second: v})
			}
			title := fmt.Sprintf("%s%s: %s against %s", t.Name, sw.targetLabel(i, c), strings.ToLower(c.title), sw.Vary[0])
			f, err := sw.figure("sweep-"+c.name+"-"+slugs[i], title, c, ax, series)
			if err != nil {
				return nil, err
			}
			if f != nil {
				figs = append(figs, f)
			}
		}
	}
	f, err := sw.costFigure(ax)
	if err != nil {
		return nil, err
	}
	if f != nil {
		figs = append(figs, f)
	}
	return figs, nil
}

// A sweepClock describes one SLA clock in a sweep's tables and plots: its
// label, its name in file names, the plot's title and y axis, and where a
// tier has its figures (nil where it has no such clock). A named clock is
// shown for the tiers that have it.
type sweepClock struct {
	label, name, title, axis string
	metric                   func(*Tier) *Metric
	named                    bool
}

var sweepClocks = []sweepClock{
	{"response", "response", "Response within target", "tickets responded to within target", func(t *Tier) *Metric { return &t.Response }, false},
	{"resolution", "resolution", "Resolution within target", "tickets resolved within target", func(t *Tier) *Metric { return t.Resolution }, false},
}

// clocks lists the sweep's clocks: response, resolution, then each named
// clock of any tier at any point, by name, tier by tier (tierClocks).
func (sw *Sweep) clocks() []sweepClock {
	var names []string
	for i := range sw.Points[0].Report.Tiers {
		for _, name := range sw.namedClocks(i) {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	files := slugs(names, "clock", "response", "resolution")
	cs := sw.standardClocks()
	for i, name := range names {
		cs = append(cs, sweepClock{
			label:  name,
			name:   files[i],
			title:  "Clock “" + name + "” within target",
			axis:   "tickets within the clock's target",
			metric: namedClock(name),
			named:  true,
		})
	}
	return cs
}

// standardClocks are response and resolution, or response alone when no
// tier of any point promises a resolution (an answer-only desk: a column
// of "no target" would say nothing).
func (sw *Sweep) standardClocks() []sweepClock {
	if sw.anyResolution() {
		return slices.Clone(sweepClocks)
	}
	return slices.Clone(sweepClocks[:1])
}

// anyResolution says whether some tier of some point promises a
// resolution.
func (sw *Sweep) anyResolution() bool {
	for _, p := range sw.Points {
		for _, t := range p.Report.Tiers {
			if t.Resolution != nil {
				return true
			}
		}
	}
	return false
}

// tierClocks lists each tier's clocks: response, resolution (perhaps
// without a target; none when no tier has one), then the tier's named
// clocks (namedClocks).
func (sw *Sweep) tierClocks() [][]sweepClock {
	all := sw.clocks()
	cs := make([][]sweepClock, len(sw.Points[0].Report.Tiers))
	for i := range cs {
		cs[i] = sw.standardClocks()
		for _, name := range sw.namedClocks(i) {
			k := slices.IndexFunc(all, func(a sweepClock) bool { return a.named && a.label == name })
			cs[i] = append(cs[i], all[k])
		}
	}
	return cs
}

// namedClocks lists the names of tier i's named clocks at every point, in
// the order the points first give them: a sweep may rename a clock, and
// each point reads its own.
func (sw *Sweep) namedClocks(i int) []string {
	var names []string
	for _, p := range sw.Points {
		for _, c := range p.Report.Tiers[i].Clocks {
			if !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
	}
	return names
}

// timed says whether tier i has clock c at some point.
func (sw *Sweep) timed(i int, c sweepClock) bool {
	return slices.ContainsFunc(sw.Points, func(p Point) bool { return c.metric(&p.Report.Tiers[i]) != nil })
}

// namedClock finds a tier's named clock by name.
func namedClock(name string) func(*Tier) *Metric {
	return func(t *Tier) *Metric {
		for i := range t.Clocks {
			if t.Clocks[i].Name == name {
				return &t.Clocks[i].Metric
			}
		}
		return nil
	}
}

// A sweepSeries is one line of a sweep plot: a tier, and with two
// settings one value of the second.
type sweepSeries struct {
	label  string
	tier   int
	second string
}

// values lists the distinct values of the i-th varied setting, in the
// order the points have them.
func (sw *Sweep) values(i int) []string {
	var vs []string
	for _, p := range sw.Points {
		if !slices.Contains(vs, p.Values[i]) {
			vs = append(vs, p.Values[i])
		}
	}
	return vs
}

// targetLabel is " (15m)", the tier's target for the clock, " (no
// target)" for a clock the tier does not have, or "" when the sweep varies
// it. A named clock's target is that of the points that time it: a sweep
// that renames it times it at some points only, and at the others it is
// another clock.
func (sw *Sweep) targetLabel(tier int, c sweepClock) string {
	var first *Metric
	for j, p := range sw.Points {
		m := c.metric(&p.Report.Tiers[tier])
		switch {
		case c.named && m == nil:
		case j == 0 || c.named && first == nil:
			first = m
		case (m == nil) != (first == nil) || m != nil && m.TargetS != first.TargetS:
			return ""
		}
	}
	if first == nil {
		return " (" + noTarget + ")"
	}
	return " (" + format.Duration(seconds(first.TargetS)) + ")"
}

// figure draws the series of one clock against the first setting, or
// returns nil when no point has figures to draw.
func (sw *Sweep) figure(name, title string, c sweepClock, ax settingAxis, series []sweepSeries) (*Figure, error) {
	lines := make([][]point, len(series))
	// unstable holds the x of each series' unstable points.
	unstable := make([][]float64, len(series))
	lowest := math.Inf(1)
	for _, p := range sw.Points {
		x := ax.x[p.Values[0]]
		for i, s := range series {
			if s.second != "" && p.Values[1] != s.second {
				continue
			}
			if p.Report.Unstable != nil {
				unstable[i] = append(unstable[i], x)
				continue
			}
			m := c.metric(&p.Report.Tiers[s.tier])
			if m == nil || m.Attainment == nil {
				continue // no resolution promised, or no tickets
			}
			e := m.Attainment
			pt := point{x, e.Mean, e.Mean, e.Mean}
			if e.Lo != nil {
				pt.lo, pt.hi = *e.Lo, *e.Hi
			}
			lines[i] = append(lines[i], pt)
			lowest = min(lowest, pt.lo)
		}
	}
	if math.IsInf(lowest, 1) {
		return nil, nil
	}
	lo, step := shareRange(min(lowest, sw.Level))
	pl := newPlot(title, ax.label, c.axis)
	percentAxis(pl, lo, 1, step, sw.Level)
	pl.X.Min, pl.X.Max = ax.min, ax.max
	if ax.ticks != nil {
		pl.X.Tick.Marker = ax.ticks
	}
	leg := &legend{}
	avoid := func(x, y float64) { leg.avoid((x-ax.min)/(ax.max-ax.min), (y-lo)/(1-lo)) }
	for i, pts := range lines {
		if len(pts) == 0 {
			continue
		}
		line, err := addBand(pl, pts, 100, seriesStyle(i), avoid)
		if err != nil {
			return nil, err
		}
		leg.add(series[i].label, line)
	}
	lv, err := hline(pl, 100*sw.Level, ax.min, ax.max, draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: dotted})
	if err != nil {
		return nil, err
	}
	leg.add(format.Level(sw.Level)+" level", lv)
	if err := sw.unstableMarks(pl, leg, unstable, lo); err != nil {
		return nil, err
	}
	pl.Add(leg)
	caption := fmt.Sprintf("Each line is the mean attainment over the replications at each value of %s; the shaded band is its 95%% confidence interval. Every point uses the same seed (common random numbers), so the steps between neighbouring points are more precise than the bands suggest.", sw.Vary[0])
	if slices.ContainsFunc(unstable, func(xs []float64) bool { return len(xs) > 0 }) {
		caption += " A cross at the bottom marks a value at which the queue grows without bound."
	}
	return &Figure{Name: name, Title: title, Caption: caption + levelNote(sw.Level), plot: pl}, nil
}

// unstableMarks draws a cross at the bottom of the plot for each unstable
// point. With one setting every tier is unstable at once, and a grey cross
// says so; with two, each series has crosses in its colour, one above the
// other.
func (sw *Sweep) unstableMarks(pl *plot.Plot, leg *legend, unstable [][]float64, lo float64) error {
	drawn := false
	for i, xs := range unstable {
		if len(xs) == 0 || len(sw.Vary) == 1 && i > 0 {
			continue
		}
		drawn = true
		col, row := palette[i%len(palette)], float64(i)
		if len(sw.Vary) == 1 {
			col, row = grey, 0
		}
		pts := make(plotter.XYs, len(xs))
		for j, x := range xs {
			pts[j] = plotter.XY{X: x, Y: 100 * (lo + (0.03+0.035*row)*(1-lo))}
			leg.avoid((x-pl.X.Min)/(pl.X.Max-pl.X.Min), (pts[j].Y/100-lo)/(1-lo))
		}
		marks, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		marks.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
		pl.Add(marks)
	}
	if drawn {
		cross, err := plotter.NewScatter(plotter.XYs{{}})
		if err != nil {
			return err
		}
		cross.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
		leg.add("unstable: no figures", cross)
	}
	return nil
}

// shareRange returns the bottom of a percentage axis showing shares from
// lowest to 100%, and its tick step.
func shareRange(lowest float64) (lo, step float64) {
	for _, step = range []float64{0.01, 0.02, 0.05, 0.1, 0.2} {
		if (1-lowest)/step <= 6 {
			break
		}
	}
	lo = math.Floor(lowest/step-1e-9)*step - step/2
	return max(lo, 0), step
}

// A settingAxis places a setting's values along the horizontal axis.
type settingAxis struct {
	label    string
	x        map[string]float64
	min, max float64
	// ticks, when set, labels the values as written.
	ticks plot.Ticker
}

// maxLabelledValues is the most values labelled one by one; with more,
// the axis gets ordinary numeric ticks.
const maxLabelledValues = 12

// newSettingAxis places a numeric axis's values to scale, and a
// categorical one's at equal steps in the order given.
func newSettingAxis(a *sweep.Axis) settingAxis {
	ax := settingAxis{label: a.Path, x: make(map[string]float64)}
	var ticks plot.ConstantTicks
	if !a.Numeric {
		for i, v := range a.Values {
			ax.x[v.Text] = float64(i)
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: v.Text})
		}
		ax.ticks, ax.min, ax.max = ticks, -0.5, float64(len(a.Values))-0.5
		return ax
	}
	if a.Unit != "" {
		ax.label += " (" + a.Unit + ")"
	}
	ax.min, ax.max = math.Inf(1), math.Inf(-1)
	for _, v := range a.Values {
		ax.x[v.Text] = v.X
		ax.min, ax.max = min(ax.min, v.X), max(ax.max, v.X)
		ticks = append(ticks, plot.Tick{Value: v.X, Label: v.Text})
	}
	if len(a.Values) <= maxLabelledValues {
		ax.ticks = ticks
	}
	pad := 0.05 * (ax.max - ax.min)
	if pad == 0 {
		pad = max(math.Abs(ax.min)*0.1, 0.5)
	}
	ax.min, ax.max = ax.min-pad, ax.max+pad
	return ax
}

// slugs names files after names, such as tiers' or teams': each its slug,
// with its rank (from 1) added where two would be the same (Night Desk and
// night-desk) or one would be reserved; a name without a letter or a
// digit is fallback and its rank.
func slugs(names []string, fallback string, reserved ...string) []string {
	seen := make(map[string]bool, len(names)+len(reserved))
	for _, r := range reserved {
		seen[r] = true
	}
	out := make([]string, len(names))
	for i, name := range names {
		s := slug(name)
		if s == "" {
			s = fallback + strconv.Itoa(i+1)
		}
		for seen[s] {
			s += "-" + strconv.Itoa(i+1)
		}
		seen[s] = true
		out[i] = s
	}
	return out
}

// slug makes a name safe in a file name: lower-case letters, digits and
// dashes; empty for a name with none of them.
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// point is a sweep point's estimate at setting x.
type point struct{ x, mean, lo, hi float64 }

// addBand draws a series of points as its mean line with dots over a
// translucent band from lo to hi, values multiplied by scale, and tells
// avoid (in unscaled values) where it drew, for the legend's placement.
func addBand(pl *plot.Plot, pts []point, scale float64, sty draw.LineStyle, avoid func(x, y float64)) (*plotter.Line, error) {
	band := make(plotter.XYs, 0, 2*len(pts))
	mid := make(plotter.XYs, 0, len(pts))
	for _, pt := range pts {
		band = append(band, plotter.XY{X: pt.x, Y: scale * pt.lo})
		mid = append(mid, plotter.XY{X: pt.x, Y: scale * pt.mean})
		avoid(pt.x, pt.lo)
		avoid(pt.x, pt.mean)
		avoid(pt.x, pt.hi)
	}
	for j := len(pts) - 1; j >= 0; j-- {
		band = append(band, plotter.XY{X: pts[j].x, Y: scale * pts[j].hi})
	}
	poly, err := plotter.NewPolygon(band)
	if err != nil {
		return nil, err
	}
	poly.Color = translucent(sty.Color, 0x38)
	poly.LineStyle.Width = 0
	line, dots, err := plotter.NewLinePoints(mid)
	if err != nil {
		return nil, err
	}
	line.LineStyle = sty
	dots.GlyphStyle = draw.GlyphStyle{Color: sty.Color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	pl.Add(poly, line, dots)
	return line, nil
}
