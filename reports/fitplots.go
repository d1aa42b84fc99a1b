package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/scenarios/fit"
)

// Figures returns the plots of a fit (slasim fit --plots): the arrivals
// by hour of the week against the rates the scenario was given, for all
// tickets (with more than one tier) and each tier; then, for each tier's
// handling times (once for the tiers that share the pooled fit), their
// distribution against every fitted family's.
func (f *Fit) Figures() ([]*Figure, error) {
	res := f.Result
	var figs []*Figure
	names := tierSlugs(res.Tiers)
	if len(res.Tiers) > 1 {
		f, err := arrivalFigure(res, nil, "all")
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	for i, t := range res.Tiers {
		f, err := arrivalFigure(res, t, names[i])
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	var pooled []string
	for i, t := range res.Tiers {
		if t.HandlingPooled {
			pooled = append(pooled, t.Name)
			continue
		}
		f, err := handlingFigure(res, t.Handling, t.Name, "the tier's", names[i])
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	if len(pooled) > 0 && res.Pooled != nil {
		who := fmt.Sprintf("all tiers pooled, used by %s", strings.Join(pooled, ", "))
		f, err := handlingFigure(res, res.Pooled, who, "all tiers'", "pooled")
		if err != nil {
			return nil, err
		}
		f.Caption += fmt.Sprintf(" %s %s fewer than %d times of %s own, so %s the fit of all tiers' times together, shown here.",
			strings.Join(pooled, ", "), plural.Of(len(pooled), "has", "have"), fit.MinFit, plural.Of(len(pooled), "its", "their"), plural.Of(len(pooled), "it uses", "they use"))
		figs = append(figs, f)
	}
	return figs, nil
}

// replicationCount writes a count of replications: "1 replication", "20
// replications".
func replicationCount(n int64) string {
	return fmt.Sprintf("%d %s", n, plural.Of(int(n), "replication", "replications"))
}

// tierSlugs names the tiers' figures, apart from the all-tickets figure's
// and the pooled one's.
func tierSlugs(tiers []*fit.Tier) []string {
	names := make([]string, len(tiers))
	for i, t := range tiers {
		names[i] = t.Name
	}
	return slugs(names, "tier", "all", "pooled")
}

// weekdayTicks labels an axis of hours of the week, 0 being Monday 00:00:
// each day's name at its noon, with unlabelled ticks every six hours.
type weekdayTicks struct{}

func (weekdayTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for h := 0; h <= fit.HoursPerWeek; h += 6 {
		v := float64(h)
		if v < lo || v > hi {
			continue
		}
		t := plot.Tick{Value: v}
		if h%24 == 12 {
			t.Label = weekDays[h/24]
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// dayLines draws a line at each midnight between days of the week.
type dayLines struct{ style draw.LineStyle }

func (d dayLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for day := 1; day < 7; day++ {
		x := trX(float64(24 * day))
		c.StrokeLine2(d.style, x, c.Min.Y, x, c.Max.Y)
	}
}

// blockBars draws one bar per block of hours of the week, [i·width,
// (i+1)·width), up to its value, and the whisker of an interval around it;
// NaN values are not drawn. Bars touch, as the hours do: 168 outlined bars
// would be a blur.
type blockBars struct {
	width          int
	values, lo, hi []float64
	fill           color.Color
	whisker        draw.LineStyle
}

func (b *blockBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	c.SetColor(b.fill)
	w := float64(b.width)
	// Each run of bars is one filled outline, so that no seams show
	// between neighbours.
	for i := 0; i < len(b.values); {
		if math.IsNaN(b.values[i]) {
			i++
			continue
		}
		var path vg.Path
		path.Move(vg.Point{X: trX(float64(i) * w), Y: trY(0)})
		for ; i < len(b.values) && !math.IsNaN(b.values[i]); i++ {
			y := min(trY(b.values[i]), c.Max.Y)
			path.Line(vg.Point{X: trX(float64(i) * w), Y: y})
			path.Line(vg.Point{X: trX(float64(i+1) * w), Y: y})
		}
		path.Line(vg.Point{X: trX(float64(i) * w), Y: trY(0)})
		path.Close()
		c.Fill(path)
	}
	for i, v := range b.values {
		if math.IsNaN(v) {
			continue
		}
		x := trX((float64(i) + 0.5) * w)
		lo, hi := trY(b.lo[i]), min(trY(b.hi[i]), c.Max.Y)
		if hi > lo {
			c.StrokeLine2(b.whisker, x, lo, x, hi)
		}
	}
}

// Thumbnail draws a bar for the legend.
func (b *blockBars) Thumbnail(c *draw.Canvas) {
	w := c.Max.X - c.Min.X
	r := vg.Rectangle{Min: vg.Point{X: c.Min.X + w*0.25, Y: c.Min.Y}, Max: vg.Point{X: c.Max.X - w*0.25, Y: c.Max.Y - (c.Max.Y-c.Min.Y)*0.15}}
	c.SetColor(b.fill)
	c.Fill(r.Path())
}

// poissonInterval is the exact (Garwood) central 95% interval of the mean
// of a Poisson count k.
func poissonInterval(k int) (lo, hi float64) {
	if k > 0 {
		lo = distuv.Gamma{Alpha: float64(k), Beta: 1}.Quantile(0.025)
	}
	hi = distuv.Gamma{Alpha: float64(k + 1), Beta: 1}.Quantile(0.975)
	return lo, hi
}

// minBlockTickets is the fewest tickets a block of hours of the week gets
// on average: a sparse tier's bars are drawn over blocks of several hours,
// since hours of one or two tickets each are noise.
const minBlockTickets = 5

// blockHours is the width of the bars of a tier with n tickets: the
// fewest hours, dividing the day, that give a block minBlockTickets.
func blockHours(n int) int {
	for _, w := range []int{1, 2, 3, 4, 6, 8, 12} {
		if float64(n)*float64(w)/fit.HoursPerWeek >= minBlockTickets {
			return w
		}
	}
	return 24
}

// arrivalFigure plots a tier's arrivals (all tickets' for a nil tier) by
// hour of the week: the observed mean per hour as bars, each hour or block
// of hours with its 95% interval, and the rate the scenario gives as a
// line.
func arrivalFigure(res *fit.Result, tier *fit.Tier, name string) (*Figure, error) {
	win := &res.Window
	a := &res.Total
	who := "all tiers"
	if tier != nil {
		a, who = &tier.Arrivals, tier.Name
	}
	// The rates the scenario gives: the tier's own profile, or all
	// tickets' shape scaled to the tier's share.
	fitted := a.Rate
	fitLabel := "fitted rate: the observed hourly mean"
	switch {
	case tier == nil:
		fitLabel += " (the scenario's profile)"
	case len(res.Tiers) == 1:
	case tier.OwnProfile:
		fitLabel += " (its own profile)"
	default:
		share := float64(tier.Arrivals.Tickets) / float64(res.Total.Tickets)
		for h := range fitted {
			fitted[h] = res.Total.Rate[h] * share
		}
		fitLabel = fmt.Sprintf("fitted rate: all tiers' profile × %.3g%% share", 100*share)
	}

	width := blockHours(a.Tickets)
	blocks := fit.HoursPerWeek / width
	bars := &blockBars{width: width, values: make([]float64, blocks), lo: make([]float64, blocks), hi: make([]float64, blocks),
		fill:    translucent(palette[5], 0x90),
		whisker: draw.LineStyle{Color: translucent(palette[0], 0xc0), Width: vg.Points(0.6)}}
	if width > 1 {
		bars.whisker.Width = vg.Points(1)
	}
	top := 0.0
	for i := range blocks {
		k, e := 0, 0.0
		for h := i * width; h < (i+1)*width; h++ {
			k += a.Count[h]
			e += win.Exposure[h]
			top = max(top, fitted[h])
		}
		if e == 0 {
			bars.values[i] = math.NaN()
			continue
		}
		l, u := poissonInterval(k)
		bars.values[i], bars.lo[i], bars.hi[i] = float64(k)/e, l/e, u/e
		top = max(top, bars.values[i])
	}
	if top == 0 {
		top = 1
	}

	title := fmt.Sprintf("Arrivals by hour of the week: %s", who)
	p := newPlot(title, fmt.Sprintf("hour of the week (%s time)", res.Export.Location), "tickets an hour")
	p.X.Min, p.X.Max = 0, fit.HoursPerWeek
	p.X.Tick.Marker = weekdayTicks{}
	// Room above the tallest bar for the legend; whiskers beyond it are
	// cut (hours of a handful of tickets, whose intervals are wider than
	// the data).
	p.Y.Min, p.Y.Max = 0, 1.3*top
	var yt plot.ConstantTicks
	for _, v := range niceSteps(p.Y.Max) {
		yt = append(yt, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	p.Y.Tick.Marker = yt
	p.Add(dayLines{draw.LineStyle{Color: color.NRGBA{0xb0, 0xb0, 0xb0, 0xff}, Width: vg.Points(0.75)}})
	p.Add(bars)

	var line plotter.XYs
	for h, r := range fitted {
		if win.Exposure[h] > 0 {
			line = append(line, plotter.XY{X: float64(h) + 0.5, Y: r})
		}
	}
	l, err := plotter.NewLine(line)
	if err != nil {
		return nil, fmt.Errorf("figure arrivals-by-hour-%s: %w", name, err)
	}
	l.LineStyle = draw.LineStyle{Color: palette[1], Width: vg.Points(1.5)}
	p.Add(l)

	leg := &legend{}
	for h := range fitted {
		v := max(bars.values[h/width], fitted[h])
		if math.IsNaN(v) {
			continue
		}
		for y := 0.0; y <= v; y += p.Y.Max / 10 {
			leg.avoid((float64(h)+0.5)/fit.HoursPerWeek, y/p.Y.Max)
		}
		leg.avoid((float64(h)+0.5)/fit.HoursPerWeek, v/p.Y.Max)
	}
	weeks := exposureText(win)
	per := "each hour"
	if width > 1 {
		per = fmt.Sprintf("%d-hour blocks", width)
	}
	leg.add(fmt.Sprintf("observed: mean of %s, %s (%d %s)", weeks, per, a.Tickets, plural.Of(a.Tickets, "ticket", "tickets")), bars)
	leg.add("its 95% interval (Poisson)", whiskerThumb{style: bars.whisker})
	leg.add(fitLabel, l)
	p.Add(leg)

	caption := fmt.Sprintf("Bars: the tickets of %s that arrived in each hour of the week, over the number of times that hour was observed (%s): the mean tickets an hour; whiskers: its exact 95%% Poisson interval.", who, weeks)
	if width > 1 {
		caption = fmt.Sprintf("Bars: the tickets of %s that arrived in each block of %d hours of the week, over the hours observed (each hour %s): the mean tickets an hour, over blocks as %d %s too few for hours of their own; whiskers: its exact 95%% Poisson interval.", who, width, weeks, a.Tickets, plural.Of(a.Tickets, "ticket is", "tickets are"))
	}
	caption += " Line: the hourly rate the scenario gives"
	switch {
	case tier == nil || len(res.Tiers) == 1 || tier.OwnProfile:
		caption += ", the observed hourly mean itself: the line shows the shape, the whiskers how much each hour's rate is worth."
	default:
		caption += fmt.Sprintf(": the shape of all tickets scaled to the tier's share, as its own hour-of-week shape is consistent with the others' (chi-square p = %.2g) or its tickets are too few for a profile of its own. Bars far from the line, beyond their whiskers, are hours it gets wrong.", tier.ProfileP)
	}
	if d := &a.Dispersion; d.Overdispersed() && d.CV > 0 {
		// With a gamma day factor of cv c, an hour's count in a week has
		// variance λ(1 + λc²) instead of λ.
		peak := 0.0
		for _, v := range bars.values {
			if !math.IsNaN(v) {
				peak = max(peak, v)
			}
		}
		caption += fmt.Sprintf(" Days vary more than Poisson counts (a day factor of cv %.2g), so the true intervals are wider, by a factor √(1 + %.2g × tickets an hour): %.2g at the peak.",
			d.CV, d.CV*d.CV, math.Sqrt(1+d.CV*d.CV*peak))
	}
	return &Figure{Name: "arrivals-by-hour-" + name, Title: title, Caption: caption, plot: p}, nil
}

// exposureText says how many times each hour of the week was observed.
func exposureText(win *fit.Window) string {
	lo, hi := math.Inf(1), 0.0
	for _, e := range win.Exposure {
		lo, hi = min(lo, e), max(hi, e)
	}
	if math.Round(lo) == math.Round(hi) {
		return plural.Count(math.Round(hi), "week", "weeks")
	}
	return fmt.Sprintf("%.0f-%.0f weeks", lo, hi)
}

// whiskerThumb is a legend's thumbnail of a vertical interval, with caps
// at its ends if the plot draws them.
type whiskerThumb struct {
	style draw.LineStyle
	caps  bool
}

func (w whiskerThumb) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	s := w.style
	s.Width = max(s.Width, vg.Points(1))
	c.StrokeLine2(s, x, c.Min.Y, x, c.Max.Y)
	if w.caps {
		c.StrokeLine2(s, x-vg.Points(2.5), c.Min.Y, x+vg.Points(2.5), c.Min.Y)
		c.StrokeLine2(s, x-vg.Points(2.5), c.Max.Y, x+vg.Points(2.5), c.Max.Y)
	}
}

// familyColour gives each fitted family the same colour in every figure.
var familyColour = map[fit.Family]color.NRGBA{
	fit.LogNormal:        palette[0],
	fit.Gamma:            palette[2],
	fit.Exponential:      palette[3],
	fit.HyperExponential: palette[1],
	fit.Deterministic:    palette[4],
}

// ecdfColumns is the resolution at which an empirical distribution is
// drawn: values closer on the log axis than 1/ecdfColumns of its width
// are drawn as one step, finer than a pixel.
const ecdfColumns = 2000

// handlingFigure plots the distribution of a sample of handling times (an
// empirical step function) against each fitted family's, on a logarithmic
// time axis in seconds. who names the tickets in the title, whose in the
// caption.
func handlingFigure(res *fit.Result, d *fit.Durations, who, whose, name string) (*Figure, error) {
	what, from := "Resolution times", "time from opened to resolved"
	if res.Options.HandlingFrom == fit.HandlingResponse {
		what, from = "Handling times", "time from first response to resolved"
	}
	title := fmt.Sprintf("%s: %s", what, who)
	x := d.Hours
	n := len(x)
	sec := func(h float64) float64 { return h * 3600 }
	lo := max(sec(x[0])/2, 1)
	hi := max(sec(x[len(x)-1])*1.5, 2*lo)
	p := newPlot(title, from+" (log scale)", "share of tickets")
	p.X.Min, p.X.Max = math.Log10(lo), math.Log10(hi)
	p.X.Tick.Marker = durationTicks{}
	percentAxis(p, 0, 1, 0.2, 0)

	leg := &legend{}
	avoid := func(s, y float64) { leg.avoid(math.Log(s/lo)/math.Log(hi/lo), y) }
	empirical := res.Options.Empirical

	// The fitted families, the chosen one last so that it is drawn on
	// top, the others from the farthest. A fit the scenario cannot take (a
	// cv beyond the engine's) is drawn too, dotted, with its distance
	// computed here.
	ks := make([]float64, len(d.Fits))
	order := make([]int, 0, len(d.Fits))
	for i := range d.Fits {
		c := &d.Fits[i]
		switch {
		case c.OK:
			ks[i] = c.KS
		case c.Unusable != "":
			_, below, above := d.Gap(c)
			ks[i] = above - below
		default:
			continue
		}
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(i, j int) int {
		return cmp.Or(cmp.Compare(b2i(i == d.Best), b2i(j == d.Best)), cmp.Compare(ks[j], ks[i]))
	})
	type entry struct {
		label string
		thumb plot.Thumbnailer
	}
	var fits []entry
	for _, i := range order {
		c := &d.Fits[i]
		curve := make(plotter.XYs, 0, cdfPoints)
		for j := range cdfPoints {
			s := lo * math.Pow(hi/lo, float64(j)/float64(cdfPoints-1))
			y := 1 - c.Survival(s/3600)
			if math.IsNaN(y) || math.IsInf(y, 0) {
				continue // a degenerate fit: draw what can be drawn
			}
			curve = append(curve, plotter.XY{X: math.Log10(s), Y: 100 * y})
			avoid(s, y)
		}
		if len(curve) < 2 {
			continue
		}
		line, err := plotter.NewLine(curve)
		if err != nil {
			return nil, fmt.Errorf("figure handling-times-%s: %w", name, err)
		}
		chosen := i == d.Best && !empirical
		line.LineStyle = draw.LineStyle{Color: familyColour[c.Family], Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(5), vg.Points(2.5)}}
		label := fmt.Sprintf("%s: KS %.3f", c.Family, ks[i])
		if !c.OK {
			line.LineStyle.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2)}
			label += ", not usable"
		}
		if chosen {
			line.LineStyle.Width, line.LineStyle.Dashes = vg.Points(2.5), nil
			label += ", chosen"
		}
		p.Add(line)
		fits = append(fits, entry{label, line})
	}

	// The observed distribution, a step at each distinct value.
	steps := plotter.XYs{{X: p.X.Min, Y: 0}}
	nf := float64(len(x))
	prevCol := math.MinInt
	for i := 0; i < len(x); {
		j := i
		for j < len(x) && x[j] == x[i] {
			j++
		}
		s := sec(x[i])
		col := int(math.Floor(math.Log(s/lo) / math.Log(hi/lo) * ecdfColumns))
		below, upto := float64(i)/nf, float64(j)/nf
		if col == prevCol {
			steps[len(steps)-1].Y = 100 * upto
		} else {
			steps = append(steps, plotter.XY{X: math.Log10(s), Y: 100 * below}, plotter.XY{X: math.Log10(s), Y: 100 * upto})
		}
		avoid(s, upto)
		prevCol, i = col, j
	}
	steps = append(steps, plotter.XY{X: p.X.Max, Y: 100})
	obs, err := plotter.NewLine(steps)
	if err != nil {
		return nil, fmt.Errorf("figure handling-times-%s: %w", name, err)
	}
	obs.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1.25)}
	if empirical {
		obs.LineStyle.Width = vg.Points(2)
	}
	p.Add(obs)

	obsLabel := fmt.Sprintf("observed: %d %s", n, plural.Of(n, "ticket", "tickets"))
	if empirical {
		obsLabel += ", chosen (--empirical)"
	}
	leg.add(obsLabel, obs)
	for k := len(fits) - 1; k >= 0; k-- {
		leg.add(fits[k].label, fits[k].thumb)
	}
	// The Kolmogorov–Smirnov distance of the chosen fit, where it is.
	if !empirical {
		c := d.Chosen()
		at, gapLo, gapHi := d.Gap(c)
		gap, err := plotter.NewLine(plotter.XYs{{X: math.Log10(sec(at)), Y: 100 * gapLo}, {X: math.Log10(sec(at)), Y: 100 * gapHi}})
		if err != nil {
			return nil, err
		}
		gap.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
		ends, err := plotter.NewScatter(plotter.XYs{{X: math.Log10(sec(at)), Y: 100 * gapLo}, {X: math.Log10(sec(at)), Y: 100 * gapHi}})
		if err != nil {
			return nil, err
		}
		ends.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(2.5), Shape: barGlyph{}}
		p.Add(gap, ends)
		leg.add(fmt.Sprintf("largest gap of the chosen fit: KS %.3f", c.KS), whiskerThumb{style: gap.LineStyle, caps: true})
	}
	p.Add(leg)

	caption := fmt.Sprintf("The black steps are the share of %s %d %s whose %s (%s) was at most the time on the horizontal axis; each coloured curve is the same share for a distribution fitted by maximum likelihood. KS, the Kolmogorov-Smirnov distance, is the largest vertical gap between a curve and the steps; ",
		whose, n, plural.Of(n, "ticket", "tickets"), strings.ToLower(what[:1])+what[1:len(what)-1], strings.TrimPrefix(from, "time "))
	if empirical {
		caption += "with --empirical the scenario draws from the observed times themselves."
	} else {
		caption += fmt.Sprintf("the closest fit (%s, solid) is the one the scenario uses, its largest gap marked.", d.Chosen().Family)
	}
	for _, c := range d.Fits {
		if c.Unusable != "" {
			caption += fmt.Sprintf(" The %s fit (dotted) cannot be used: %s.", c.Family, c.Unusable)
		}
	}
	if d.Zeros > 0 {
		caption += fmt.Sprintf(" %d %s shorter than the export's clock resolution %s counted as half of it.", d.Zeros, plural.Of(d.Zeros, "time", "times"), plural.Of(d.Zeros, "is", "are"))
	}
	return &Figure{Name: "handling-times-" + name, Title: title, Caption: caption, plot: p}, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// barGlyph is a short horizontal bar, the end of a gap's line.
type barGlyph struct{}

func (barGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1)})
	var path vg.Path
	path.Move(vg.Point{X: pt.X - sty.Radius, Y: pt.Y})
	path.Line(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	c.Stroke(path)
}
