package reports

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim/contract"
)

// creditsFigureName is the file name of the histogram of a period's cost.
const creditsFigureName = "credits-per-period"

// creditsBars is the most bars the histogram of the cost has; with round
// widths it has from 20 to that many.
const creditsBars = 50

// The styles of the histogram's bars and of the lines marking its mean
// and percentiles.
var (
	barFill   = translucent(palette[5], 0xc0)
	barEdge   = draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}
	meanStyle = draw.LineStyle{Color: palette[6], Width: vg.Points(1.75)}
	p95Style  = draw.LineStyle{Color: palette[1], Width: vg.Points(1.75), Dashes: dashed}
	p99Style  = draw.LineStyle{Color: palette[3], Width: vg.Points(1.75), Dashes: dotted}
)

// creditsFigures draws the distribution of a period's cost (credits after
// the cap plus the escalation ladder's costs) over every period of every
// replication, with its mean, 95th and 99th percentile marked: none when
// the run has no contract, or no period to count.
func creditsFigures(r *Report) ([]*Figure, error) {
	c := r.Contract
	if c == nil || c.results == nil || r.Unstable != nil || len(c.Periods) == 0 {
		return nil, nil
	}
	cents := &c.results.Cost.Cents
	n := cents.Count()
	if n == 0 {
		return nil, nil
	}
	hist := moneyHistogram(cents.Bins(), n)
	avg := meanOf(c.Cost.Mean)
	// Each mark is labelled with its value at the top of its line.
	marks := []moneyMark{
		{"mean " + format.Money(avg), avg, meanStyle},
		{"p95 " + format.Money(c.Cost.P95), c.Cost.P95, p95Style},
		{"p99 " + format.Money(c.Cost.P99), c.Cost.P99, p99Style},
	}
	title := fmt.Sprintf("Credits and costs per %s", c.Period)
	if c.Escalation == nil {
		title = fmt.Sprintf("Credits per %s", c.Period)
	}
	xLabel := fmt.Sprintf("cost of a %s: %s%s", c.Period, costWhat(c), currencySuffix(c.Currency))
	pl := newPlot(title, xLabel, fmt.Sprintf("share of %ss (%%)", c.Period))
	h := &plotter.Histogram{Bins: hist.bins, Width: hist.width, FillColor: barFill, LineStyle: barEdge}
	pl.Add(h)
	tallest := 0.0
	for _, b := range hist.bins {
		tallest = max(tallest, b.Weight)
	}
	// Room above the bars for the marks' labels.
	pl.X.Min, pl.X.Max = 0, hist.top
	pl.Y.Min, pl.Y.Max = 0, tallest*1.3
	pl.X.Tick.Marker = roundTicks(hist.top, format.Money)
	pl.Y.Tick.Marker = roundTicks(pl.Y.Max, func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) })
	if e := c.Cost.Mean; e != nil && e.Lo != nil {
		band, err := plotter.NewPolygon(plotter.XYs{{X: *e.Lo, Y: 0}, {X: *e.Hi, Y: 0}, {X: *e.Hi, Y: pl.Y.Max}, {X: *e.Lo, Y: pl.Y.Max}})
		if err != nil {
			return nil, err
		}
		band.Color = translucent(meanStyle.Color, 0x22)
		band.LineStyle.Width = 0
		pl.Add(band)
		// The label says what the band is.
		marks[0].name = fmt.Sprintf("mean %s [%s, %s]", format.Money(avg), format.Money(*e.Lo), format.Money(*e.Hi))
	}
	labels := &markLabels{}
	for _, m := range marks {
		line, err := plotter.NewLine(plotter.XYs{{X: m.x, Y: 0}, {X: m.x, Y: pl.Y.Max}})
		if err != nil {
			return nil, err
		}
		line.LineStyle = m.style
		pl.Add(line)
		labels.add(m.name, m.x, m.style.Color)
	}
	pl.Add(labels)
	return []*Figure{{Name: creditsFigureName, Title: title, Caption: creditsCaption(c, hist, n), plot: pl}}, nil
}

// A moneyMark is a value marked on the histogram with a vertical line.
type moneyMark struct {
	name  string
	x     float64
	style draw.LineStyle
}

// costWhat says what a period's cost is made of.
func costWhat(c *Contract) string {
	s := "credits"
	if c.Cap > 0 {
		s += " after the cap"
	}
	if c.Escalation != nil {
		s += " plus escalation costs"
	}
	return s
}

func currencySuffix(cur string) string {
	if cur == "" {
		return ""
	}
	return " (" + cur + ")"
}

// creditsCaption says what the histogram shows and how to read it.
func creditsCaption(c *Contract, hist moneyHist, n int64) string {
	var b strings.Builder
	cur := c.Currency
	if cur == "" {
		cur = "the contract's currency"
	}
	fmt.Fprintf(&b, "Each bar is the share of %ss whose cost (credits", c.Period)
	if c.Cap > 0 {
		fmt.Fprintf(&b, " after the %s cap", format.Level(c.Cap))
	}
	if c.Escalation != nil {
		b.WriteString(", plus the escalation ladder's costs")
	}
	fmt.Fprintf(&b, ") fell in a range %s wide, in %s, over all %s of %s (%d per replication).",
		format.Money(hist.width), cur, c.periods(int64(n)), replicationCount(c.Replications), len(c.Periods))
	fmt.Fprintf(&b, " The lines mark the mean (%s, its 95%% interval shaded) and the 95th and 99th percentiles (%s and %s): one %s in 20 costs more than the first, one in 100 more than the second.",
		moneyCI(c.Cost.Mean), format.Money(c.Cost.P95), format.Money(c.Cost.P99), c.Period)
	switch {
	case hist.zero == n:
		fmt.Fprintf(&b, " Every %s cost nothing.", c.Period)
	case hist.zero > 0:
		fmt.Fprintf(&b, " %s of %ss cost nothing (in the first bar).", format.Level(float64(hist.zero)/float64(n)), c.Period)
	}
	fmt.Fprintf(&b, " The costliest %s came to %s.", c.Period, format.Money(hist.max))
	if !c.Cost.Exact {
		fmt.Fprintf(&b, " Amounts are counted within %s, which is far narrower than a bar.", format.Level(contract.CentsRelativeError))
	}
	return b.String()
}

// moneyHist is a histogram of amounts of money in bars of equal width
// from 0.
type moneyHist struct {
	bins []plotter.HistogramBin
	// width is the bars', top the right end of the last, max the largest
	// amount; zero counts the amounts of exactly 0.
	width, top, max float64
	zero            int64
}

// moneyHistogram gathers the distribution's bins, in cents, into about
// creditsBars bars of a round width in currency units, each weighing its
// share of the n amounts in percent. A bucket of a distribution no longer
// exact goes to the bar holding its midpoint: buckets are far narrower
// than bars.
func moneyHistogram(bins []contract.CentsBin, n int64) moneyHist {
	h := moneyHist{max: float64(bins[len(bins)-1].Hi) / 100}
	h.width = niceWidth(h.max / creditsBars)
	if h.max == 0 {
		h.width = 1
	}
	bars := int(math.Floor(h.max/h.width)) + 1
	h.top = float64(bars) * h.width
	h.bins = make([]plotter.HistogramBin, bars)
	for i := range h.bins {
		h.bins[i] = plotter.HistogramBin{Min: float64(i) * h.width, Max: float64(i+1) * h.width}
	}
	for _, b := range bins {
		if b.Hi == 0 {
			h.zero += b.Count
		}
		mid := float64(b.Lo+b.Hi) / 2 / 100
		i := min(int(math.Floor(mid/h.width)), bars-1)
		h.bins[i].Weight += 100 * float64(b.Count) / float64(n)
	}
	return h
}

// niceWidth is the smallest of 1, 2, 2.5 and 5 times a power of ten that
// is at least x (x > 0), and at least a cent.
func niceWidth(x float64) float64 {
	if x <= 0.01 {
		return 0.01
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// roundTicks labels round values from 0 to top, about five of them, with
// a minor tick between each two.
func roundTicks(top float64, label func(float64) string) plot.ConstantTicks {
	var ticks plot.ConstantTicks
	vs := niceSteps(top)
	for i, v := range vs {
		ticks = append(ticks, plot.Tick{Value: v, Label: label(v)})
		if i > 0 {
			ticks = append(ticks, plot.Tick{Value: (v + vs[i-1]) / 2})
		}
	}
	return ticks
}

// markLabels labels vertical lines at the top of the data area, one row
// below the other so that close lines' labels do not overlap; a label
// goes to the right of its line, or to the left where it would run off
// the plot. Each sits on a white ground, readable over the bars.
type markLabels struct {
	marks []markLabel
}

type markLabel struct {
	text  string
	x     float64
	color color.Color
}

func (l *markLabels) add(text string, x float64, c color.Color) {
	l.marks = append(l.marks, markLabel{text, x, c})
}

// Plot draws the labels.
func (l *markLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	const (
		gap  = 4 // between the line and the label
		pad  = 2 // around the text, its white ground
		rows = 2 // between the labels
	)
	for i, m := range l.marks {
		sty := text.Style{Color: darker(m.color), Font: font.From(sans, 9.5), YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
		sty.Font.Weight = xfont.WeightBold
		w, h := sty.Width(m.text), sty.FontExtents().Height
		x := trX(m.x)
		y := c.Max.Y - gap - vg.Length(i)*(h+rows+2*pad)
		left := x + gap
		if left+w+pad > c.Max.X {
			left = x - gap - w
		}
		box := vg.Rectangle{Min: vg.Point{X: left - pad, Y: y - h - pad}, Max: vg.Point{X: left + w + pad, Y: y + pad}}
		c.SetColor(color.NRGBA{0xff, 0xff, 0xff, 0xe0})
		c.Fill(box.Path())
		c.FillText(sty, vg.Point{X: left, Y: y}, m.text)
	}
}

// darker is c at three quarters of its brightness: text in a line's colour
// that reads as well as the line.
func darker(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return color.NRGBA{n.R / 4 * 3, n.G / 4 * 3, n.B / 4 * 3, n.A}
}
