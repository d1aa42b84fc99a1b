package reports

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/slasim/slasim/reports/format"
)

// sweepMoney says which contract figures a sweep's table, CSV and plots
// have: the cost per period when any point has a contract, the
// probability of termination when any point's contract gives the client a
// termination right.
type sweepMoney struct {
	cost, termination bool
	currency, period  string
	term              int
}

func (sw *Sweep) money() sweepMoney {
	var m sweepMoney
	for _, p := range sw.Points {
		c := p.Report.Contract
		if c == nil {
			continue
		}
		if !m.cost {
			m.cost, m.currency, m.period, m.term = true, c.Currency, c.Period, c.Term
		}
		if c.Escalation != nil && c.Escalation.Termination != nil {
			m.termination = true
		}
	}
	return m
}

// costOf is a point's mean cost per period, nil without one (no contract,
// an unstable point, no full period measured).
func costOf(r *Report) *Estimate {
	if r.Contract == nil || r.Unstable != nil {
		return nil
	}
	return r.Contract.Cost.Mean
}

// terminationOf is a point's probability of termination, nil without one.
func terminationOf(r *Report) *Probability {
	if r.Contract == nil || r.Unstable != nil || r.Contract.Escalation == nil {
		return nil
	}
	return r.Contract.Escalation.Termination
}

// textHeads are the heads of the contract columns of the text table,
// each followed by a tab.
func (m sweepMoney) textHeads() string {
	s := ""
	if m.cost {
		s += fmt.Sprintf("cost/%s%s\t95%% interval\t", m.period, currencySuffix(m.currency))
	}
	if m.termination {
		s += "P(termination)\t95% interval\t"
	}
	return s
}

// textCells are a point's contract columns of the text table, each
// followed by a tab: dashes where the point has no figure.
func (m sweepMoney) textCells(r *Report) string {
	s := ""
	if m.cost {
		e := costOf(r)
		s += fmt.Sprintf("%s\t%s\t", format.Money(meanOf(e)), moneyInterval(e))
	}
	if m.termination {
		p := terminationOf(r)
		s += fmt.Sprintf("%s\t%s\t", probShare(p), probInterval(p))
	}
	return s
}

// textNote explains the contract columns below the table.
func (m sweepMoney) textNote() string {
	s := ""
	if m.cost {
		cur := m.currency
		if cur == "" {
			cur = "the contract's currency"
		}
		s += fmt.Sprintf("cost/%s: the mean over replications of a %s's credits (after any cap) plus the escalation ladder's costs, in %s, with its 95%% interval.\n", m.period, m.period, cur)
	}
	if m.termination {
		s += fmt.Sprintf("P(termination): the probability that the client gains the right to terminate within the %d-%s term, with its 95%% (Wilson) interval.\n", m.term, m.period)
	}
	return s
}

// csvHeads are the names of the contract columns of sweep.csv.
func (m sweepMoney) csvHeads() []string {
	var h []string
	if m.cost {
		h = append(h, "cost_per_period", "cost_per_period_lo", "cost_per_period_hi")
	}
	if m.termination {
		h = append(h, "termination", "termination_lo", "termination_hi")
	}
	return h
}

// csvCells are a point's contract columns of sweep.csv, empty where it has
// no figure.
func (m sweepMoney) csvCells(r *Report) []string {
	var c []string
	if m.cost {
		e := costOf(r)
		c = append(c, csvMean(e), csvLo(e), csvHi(e))
	}
	if m.termination {
		if p := terminationOf(r); p != nil {
			c = append(c, num(p.P), num(p.Lo), num(p.Hi))
		} else {
			c = append(c, "", "", "")
		}
	}
	return c
}

// htmlHeads are the heads of the contract columns of the HTML table.
func (m sweepMoney) htmlHeads() []string {
	var h []string
	if m.cost {
		h = append(h, fmt.Sprintf("cost per %s%s", m.period, currencySuffix(m.currency)))
	}
	if m.termination {
		h = append(h, "P(termination)")
	}
	return h
}

// htmlCells are a point's contract cells of the HTML table.
func (m sweepMoney) htmlCells(r *Report) []htmlCell {
	var c []htmlCell
	if m.cost {
		e := costOf(r)
		c = append(c, htmlCell{Attainment: format.Money(meanOf(e)), Interval: moneyInterval(e)})
	}
	if m.termination {
		p := terminationOf(r)
		c = append(c, htmlCell{Attainment: probShare(p), Interval: probInterval(p)})
	}
	return c
}

// moneyInterval is an amount's interval; a dash without one.
func moneyInterval(e *Estimate) string {
	if e == nil || e.Lo == nil {
		return format.Unknown
	}
	return fmt.Sprintf("[%s, %s]", format.Money(*e.Lo), format.Money(*e.Hi))
}

// costFigure plots the mean cost per period against the first setting
// with its 95% band, a line per value of the second setting if there is
// one; nil when no point has a cost.
func (sw *Sweep) costFigure(ax settingAxis) (*Figure, error) {
	m := sw.money()
	if !m.cost {
		return nil, nil
	}
	seconds := []string{""}
	if len(sw.Vary) > 1 {
		seconds = sw.values(1)
	}
	lines := make([][]point, len(seconds))
	unstable := make([][]float64, len(seconds))
	top := 0.0
	for _, p := range sw.Points {
		i := 0
		if len(sw.Vary) > 1 {
			i = slices.Index(seconds, p.Values[1])
		}
		x := ax.x[p.Values[0]]
		if p.Report.Unstable != nil {
			unstable[i] = append(unstable[i], x)
			continue
		}
		e := costOf(p.Report)
		if e == nil {
			continue
		}
		pt := point{x, e.Mean, e.Mean, e.Mean}
		if e.Lo != nil {
			pt.lo, pt.hi = *e.Lo, *e.Hi
		}
		lines[i] = append(lines[i], pt)
		top = max(top, pt.hi)
	}
	if !slices.ContainsFunc(lines, func(l []point) bool { return len(l) > 0 }) {
		return nil, nil
	}
	if top == 0 {
		top = 1
	}
	top *= 1.1
	title := fmt.Sprintf("Credits and costs per %s against %s", m.period, sw.Vary[0])
	pl := newPlot(title, ax.label, fmt.Sprintf("mean cost per %s%s", m.period, currencySuffix(m.currency)))
	pl.X.Min, pl.X.Max = ax.min, ax.max
	if ax.ticks != nil {
		pl.X.Tick.Marker = ax.ticks
	}
	pl.Y.Min, pl.Y.Max = 0, top
	pl.Y.Tick.Marker = roundTicks(top, format.Money)
	leg := &legend{}
	avoid := func(x, y float64) { leg.avoid((x-ax.min)/(ax.max-ax.min), y/top) }
	for i, pts := range lines {
		if len(pts) == 0 {
			continue
		}
		line, err := addBand(pl, pts, 1, seriesStyle(i), avoid)
		if err != nil {
			return nil, err
		}
		label := "mean (band: its 95% interval)"
		if len(sw.Vary) > 1 {
			label = sw.Vary[1] + " = " + seconds[i]
		}
		leg.add(label, line)
	}
	crosses := false
	for i, xs := range unstable {
		if len(xs) == 0 {
			continue
		}
		crosses = true
		col := grey
		if len(sw.Vary) > 1 {
			col = palette[i%len(palette)]
		}
		pts := make(plotter.XYs, len(xs))
		for j, x := range xs {
			pts[j] = plotter.XY{X: x, Y: top * (0.03 + 0.035*float64(i))}
			// A lone cross counts as much as a stretch of line: the
			// legend must not hide it.
			for range 6 {
				avoid(x, pts[j].Y)
			}
		}
		marks, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		marks.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
		pl.Add(marks)
	}
	if crosses {
		cross, err := plotter.NewScatter(plotter.XYs{{}})
		if err != nil {
			return nil, err
		}
		cross.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
		leg.add("unstable: no figures", cross)
	}
	pl.Add(leg)
	cur := m.currency
	if cur == "" {
		cur = "the contract's currency"
	}
	caption := fmt.Sprintf("Each line is the mean over the replications of what a %s costs, its credits (after any cap) plus the escalation ladder's costs, in %s, at each value of %s; the shaded band is its 95%% confidence interval. Every point uses the same seed (common random numbers), so the steps between neighbouring points are more precise than the bands suggest.",
		m.period, cur, sw.Vary[0])
	if crosses {
		caption += " A cross at the bottom marks a value at which the queue grows without bound."
	}
	return &Figure{Name: "sweep-cost", Title: title, Caption: caption, plot: pl}, nil
}
