package reports

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// cdfPoints is the number of times at which a distribution curve is drawn,
// evenly spread on the logarithmic axis.
const cdfPoints = 241

// clockFigures describes the two SLA clocks' distribution plots.
var clockFigures = []struct {
	name, title, axis, caption string
	stats                      func(*sim.TierStats) *sim.MetricStats
}{
	{
		"response-times", "Time to first response, by tier", "time from arrival until an agent starts work (log scale)",
		"Each curve is the share of a tier's tickets that an agent started on within the time on the horizontal axis, pooled over all replications. The dashed line drops from where the curve crosses the tier's target: the share of tickets responded to in time.",
		func(t *sim.TierStats) *sim.MetricStats { return &t.Response },
	},
	{
		"resolution-times", "Time to resolution, by tier", "time from arrival until resolved (log scale)",
		"Each curve is the share of a tier's tickets resolved within the time on the horizontal axis, pooled over all replications. The dashed line drops from where the curve crosses the tier's target: the share of tickets resolved in time.",
		func(t *sim.TierStats) *sim.MetricStats { return &t.Resolution },
	},
}

// waitingTimeFigures plots, for each clock, the distribution of its times
// per tier with the targets marked: none for a run without figures.
func waitingTimeFigures(r *Report) ([]*Figure, error) {
	s := r.summary
	if s == nil || r.Unstable != nil || s.Replications == 0 {
		return nil, nil
	}
	var figs []*Figure
	for _, c := range clockFigures {
		stats := make([]*sim.MetricStats, len(s.Tiers))
		for i := range s.Tiers {
			stats[i] = c.stats(&s.Tiers[i])
		}
		p, err := cdfPlot(c.title, c.axis, s, stats, r.Level)
		if err != nil {
			return nil, fmt.Errorf("figure %s: %w", c.name, err)
		}
		if p == nil {
			continue
		}
		figs = append(figs, &Figure{Name: c.name, Title: c.title, Caption: c.caption + levelNote(r.Level), plot: p})
	}
	return figs, nil
}

func levelNote(level float64) string {
	return fmt.Sprintf(" The grey dotted line is the %s level a target's attainment must reach.", format.Level(level))
}

// cdfPlot draws one clock's distribution curve per tier on a logarithmic
// time axis in seconds, or returns nil if no tier has tickets. A tier
// without the clock (target 0: no resolution promised) has no curve.
func cdfPlot(title, xLabel string, s *sim.Summary, stats []*sim.MetricStats, level float64) (*plot.Plot, error) {
	lo, hi := math.Inf(1), 0.0
	for _, ms := range stats {
		if ms.Times.Count() == 0 || ms.Target == 0 {
			continue
		}
		target := ms.Target.Seconds()
		lo = min(lo, target/100)
		tail := ms.Times.Quantile(0.995).Seconds()
		hi = max(hi, 2*target, min(1.2*tail, 100*target))
	}
	if hi == 0 {
		return nil, nil
	}
	lo = max(lo, 1)
	p := newPlot(fmt.Sprintf("%s (%d %s pooled)", title, s.Replications, plural.Of(int(s.Replications), "replication", "replications")), xLabel, "share of tickets")
	// The axis is linear in log10 of the time: gonum/plot's LogScale places
	// a centred axis label by the linear midpoint, wasting width.
	p.X.Min, p.X.Max = math.Log10(lo), math.Log10(hi)
	p.X.Tick.Marker = durationTicks{}
	percentAxis(p, 0, 1, 0.2, level)

	leg := &legend{}
	avoid := func(x, y float64) { leg.avoid(math.Log(x/lo)/math.Log(hi/lo), y/100) }
	for i, ms := range stats {
		if ms.Times.Count() == 0 || ms.Target == 0 {
			continue
		}
		curve := make(plotter.XYs, cdfPoints)
		for j := range curve {
			x := lo * math.Pow(hi/lo, float64(j)/float64(cdfPoints-1))
			y := 100 * ms.Times.AtMost(time.Duration(x*float64(time.Second)))
			curve[j] = plotter.XY{X: math.Log10(x), Y: y}
			avoid(x, y)
		}
		line, err := plotter.NewLine(curve)
		if err != nil {
			return nil, err
		}
		line.LineStyle = seriesStyle(i)
		p.Add(line)

		target := ms.Target.Seconds()
		within := 100 * ms.Times.AtMost(ms.Target)
		tx := math.Log10(target)
		drop, err := plotter.NewLine(plotter.XYs{{X: tx, Y: 0}, {X: tx, Y: within}})
		if err != nil {
			return nil, err
		}
		drop.LineStyle = seriesStyle(i)
		drop.LineStyle.Width = vg.Points(1)
		drop.LineStyle.Dashes = dashed
		dot, err := plotter.NewScatter(plotter.XYs{{X: tx, Y: within}})
		if err != nil {
			return nil, err
		}
		dot.GlyphStyle = draw.GlyphStyle{Color: palette[i%len(palette)], Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		p.Add(drop, dot)
		label := fmt.Sprintf("%s: %.1f%% within %s", s.Tiers[i].Name, within, format.Duration(ms.Target))
		leg.add(label, line)
		for y := 0.0; y <= within; y += 10 {
			avoid(target, y)
		}
	}
	lv, err := hline(p, 100*level, p.X.Min, p.X.Max, draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: dotted})
	if err != nil {
		return nil, err
	}
	leg.add(format.Level(level)+" level", lv)
	p.Add(leg)
	return p, nil
}

// durationTicks labels an axis of log10 seconds with the durations a
// planner uses: 1m, 15m, 1h, 4h, 1d, 1w.
type durationTicks struct{}

// tickSteps are the candidate tick values; major ones are labelled.
var tickSteps = []struct {
	d     time.Duration
	major bool
}{
	{time.Second, true}, {2 * time.Second, false}, {5 * time.Second, true}, {10 * time.Second, false},
	{15 * time.Second, true}, {30 * time.Second, false},
	{time.Minute, true}, {2 * time.Minute, false}, {5 * time.Minute, true}, {10 * time.Minute, false},
	{15 * time.Minute, true}, {30 * time.Minute, false},
	{time.Hour, true}, {2 * time.Hour, false}, {4 * time.Hour, true}, {8 * time.Hour, false}, {12 * time.Hour, false},
	{24 * time.Hour, true}, {2 * 24 * time.Hour, false}, {3 * 24 * time.Hour, false},
	{sim.Week, true}, {2 * sim.Week, false}, {4 * sim.Week, true}, {8 * sim.Week, false},
	{13 * sim.Week, true}, {26 * sim.Week, false}, {52 * sim.Week, true},
}

func (durationTicks) Ticks(lo, hi float64) []plot.Tick {
	lo, hi = math.Pow(10, lo)*(1-1e-9), math.Pow(10, hi)*(1+1e-9)
	var ticks []plot.Tick
	labelled := 0
	for _, t := range tickSteps {
		if v := t.d.Seconds(); v >= lo && v <= hi && t.major {
			labelled++
		}
	}
	for _, t := range tickSteps {
		v := t.d.Seconds()
		if v < lo || v > hi {
			continue
		}
		tick := plot.Tick{Value: math.Log10(v)}
		// A short axis with few major steps labels every step.
		if t.major || labelled < 4 {
			tick.Label = format.Duration(t.d)
		}
		ticks = append(ticks, tick)
	}
	return ticks
}
