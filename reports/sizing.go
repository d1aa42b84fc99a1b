package reports

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/slasim/slasim/staffing/sizing"
)

// SizingFigure plots a sizing's frontier, cost against risk: for each
// staffing one agent away from the result on some shift, and the result,
// its cost a week and the attainment of the checks closest to failing,
// with their intervals and levels. Filled points meet the requirement.
// Without checks (a contract's credits alone) there is no figure: nil.
func SizingFigure(res *sizing.Result) (*Figure, error) {
	if len(res.Frontier) == 0 {
		return nil, fmt.Errorf("figure frontier: the sizing has no frontier")
	}
	// The checks that bind somewhere on the frontier, in the order of the
	// requirement.
	var names []string
	for _, ev := range res.Frontier {
		if c := ev.Binding(); c != nil && !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	order := res.Frontier[0].Checks
	slices.SortStableFunc(names, func(a, b string) int {
		return slices.IndexFunc(order, func(c sizing.Check) bool { return c.Name == a }) -
			slices.IndexFunc(order, func(c sizing.Check) bool { return c.Name == b })
	})
	p := newPlot(fmt.Sprintf("Cost against risk around the sized staffing (seed %d)", res.Frontier[0].Seed),
		"cost a week", "mean attainment, with its interval")
	xlo, xhi := math.Inf(1), math.Inf(-1)
	ylo, yhi := 1.0, 0.0
	for _, ev := range res.Frontier {
		xlo, xhi = min(xlo, ev.Cost()), max(xhi, ev.Cost())
		for _, c := range ev.Checks {
			if slices.Contains(names, c.Name) && !ev.Unstable && !math.IsNaN(c.Lo) {
				ylo, yhi = min(ylo, c.Lo, c.Level), max(yhi, min(c.Hi, 1), c.Level)
			}
		}
	}
	pad := max((xhi-xlo)*0.08, 1)
	p.X.Min, p.X.Max = xlo-pad, xhi+pad
	step := 0.01
	for (yhi-ylo)/step > 8 {
		step *= 2
	}
	ylo, yhi = max(0, math.Floor(ylo/step)*step), min(1, math.Ceil(yhi/step)*step)
	if yhi <= ylo {
		ylo, yhi = max(0, ylo-step), min(1, yhi+step)
	}
	percentAxis(p, ylo, yhi, step, math.NaN())

	leg := &legend{}
	avoid := func(x, y float64) {
		leg.avoid((x-p.X.Min)/(p.X.Max-p.X.Min), (y/100-ylo)/(yhi-ylo))
	}
	for i, name := range names {
		var pts plotter.XYs
		var errs plotter.YErrors
		var met plotter.XYs
		var level float64
		for _, ev := range res.Frontier {
			k := slices.IndexFunc(ev.Checks, func(c sizing.Check) bool { return c.Name == name })
			if k < 0 || ev.Unstable || math.IsNaN(ev.Checks[k].Lo) {
				continue
			}
			c := ev.Checks[k]
			level = c.Level
			x, y := ev.Cost(), 100*c.Mean
			pts = append(pts, plotter.XY{X: x, Y: y})
			errs = append(errs, struct{ Low, High float64 }{100 * (c.Mean - c.Lo), 100 * (min(c.Hi, 1) - c.Mean)})
			if ev.Feasible() {
				met = append(met, plotter.XY{X: x, Y: y})
			}
			avoid(x, y)
			avoid(x, 100*c.Lo)
		}
		if len(pts) == 0 {
			continue
		}
		style := seriesStyle(i)
		bars, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs})
		if err != nil {
			return nil, fmt.Errorf("figure frontier: %w", err)
		}
		bars.LineStyle = style
		bars.LineStyle.Width = vg.Points(1.25)
		open, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("figure frontier: %w", err)
		}
		open.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}
		p.Add(bars, open)
		if len(met) > 0 {
			filled, err := plotter.NewScatter(met)
			if err != nil {
				return nil, fmt.Errorf("figure frontier: %w", err)
			}
			filled.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
			p.Add(filled)
		}
		lv, err := hline(p, 100*level, p.X.Min, p.X.Max, draw.LineStyle{Color: style.Color, Width: vg.Points(1), Dashes: dashed})
		if err != nil {
			return nil, fmt.Errorf("figure frontier: %w", err)
		}
		leg.add(fmt.Sprintf("%s (level %s)", name, pct(level)), lv)
	}
	x := res.Best.Cost()
	chosen, err := plotter.NewLine(plotter.XYs{{X: x, Y: 100 * ylo}, {X: x, Y: 100 * yhi}})
	if err != nil {
		return nil, fmt.Errorf("figure frontier: %w", err)
	}
	chosen.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: dotted}
	p.Add(chosen)
	what := "sized staffing"
	if !res.Feasible {
		what = "best attainable"
	}
	leg.add(what, chosen)
	p.Add(leg)
	caption := "Each point is a staffing one agent away from the result on one shift, or the result itself, at its cost a week (horizontal) " +
		"and the mean attainment of the checks closest to failing (vertical), with the interval whose lower end is judged against the dashed level. " +
		"Filled points meet every check; open points miss at least one. All points share the search seed, so they differ only by their staffing."
	return &Figure{Name: "frontier", Title: "Cost against risk", Caption: caption, plot: p}, nil
}
