package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"io"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/slasim/slasim/reports/format"
)

// A Figure is one plot of a report, ready to be written as PNG or SVG.
type Figure struct {
	// Name is the figure's file name without extension, such as
	// response-times.
	Name string
	// Title is the plot's title; Caption says in a sentence or two what it
	// shows and how to read it.
	Title, Caption string
	// Stamp names the run the figure comes from: slasim's version, the
	// scenario, the seed, the replications and whether the run was
	// complete. Standalone PNG and SVG files carry it along their bottom
	// edge, so that plots of two runs in one directory, or of a run cut
	// short, are told apart; the HTML report states it once for all.
	Stamp string
	plot  *plot.Plot
	// key, if set, is a colour key drawn to the right of the plot.
	key *plot.Plot
}

// keyWidth is the room a colour key takes: its bar, ticks and label.
const keyWidth = vg.Length(100)

// stampHeight is the room the stamp takes below a standalone figure.
const stampHeight = vg.Length(12)

// drawStamped draws the figure with its stamp below it, if it has one.
func (f *Figure) drawStamped(c draw.Canvas) {
	if f.Stamp == "" {
		f.draw(c)
		return
	}
	f.draw(draw.Crop(c, 0, 0, stampHeight, 0))
	sty := text.Style{Color: color.Gray{0x60}, Font: font.From(sans, 7.5), XAlign: draw.XRight, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
	c.FillText(sty, vg.Point{X: c.Max.X - 6, Y: c.Min.Y + 3}, format.Printable(f.Stamp))
}

// draw draws the plot, and its colour key level with the plot's data area.
func (f *Figure) draw(c draw.Canvas) {
	if f.key == nil {
		f.plot.Draw(c)
		return
	}
	main := draw.Crop(c, 0, -keyWidth, 0, 0)
	f.plot.Draw(main)
	data := f.plot.DataCanvas(main)
	k := c
	k.Min.X, k.Max.X = c.Max.X-keyWidth+12, c.Max.X-16
	k.Min.Y, k.Max.Y = data.Min.Y, data.Max.Y
	f.key.Draw(k)
}

// The size of every figure: it fits a printed A4 or letter page with its
// margins, and its text stays readable when a browser scales it down.
const (
	figureWidth  = 7.5 * vg.Inch
	figureHeight = 4.5 * vg.Inch
	pngDPI       = 144
)

// WritePNG writes the figure as a PNG image.
func (f *Figure) WritePNG(w io.Writer) error {
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(figureWidth, figureHeight), vgimg.UseDPI(pngDPI))}
	f.drawStamped(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("figure %s: %w", f.Name, err)
	}
	return nil
}

// WriteSVG writes the figure as a standalone SVG document.
func (f *Figure) WriteSVG(w io.Writer) error {
	b, err := f.svg(f.drawStamped)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// svgFont is the font the plots are laid out with, and the fonts with the
// same widths to fall back on where it is not installed: Arial and Arimo
// share Liberation Sans's metrics, so labels keep their places.
const (
	svgFont         = "font-family:Liberation Sans;"
	svgFontFallback = "font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;"
)

// svg renders the figure as SVG with paint: drawStamped for a file, draw
// for the HTML report.
func (f *Figure) svg(paint func(draw.Canvas)) ([]byte, error) {
	c := vgsvg.New(figureWidth, figureHeight)
	paint(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("figure %s: %w", f.Name, err)
	}
	return bytes.ReplaceAll(b.Bytes(), []byte(svgFont), []byte(svgFontFallback)), nil
}

// palette holds colours told apart with any form of colour blindness
// (Okabe and Ito), darkest first; yellow is left out, it vanishes on white.
var palette = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermilion
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0x00, 0x00, 0x00, 0xff}, // black
}

// seriesStyle is the line of the i-th series: a palette colour, dashed
// once the colours run out.
func seriesStyle(i int) draw.LineStyle {
	s := draw.LineStyle{Color: palette[i%len(palette)], Width: vg.Points(1.75)}
	if i >= len(palette) {
		s.Dashes = []vg.Length{vg.Points(6), vg.Points(2)}
	}
	return s
}

func translucent(c color.Color, alpha uint8) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = alpha
	return n
}

var (
	grey      = color.NRGBA{0x60, 0x60, 0x60, 0xff}
	gridColor = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	dashed    = []vg.Length{vg.Points(4), vg.Points(3)}
	dotted    = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
)

// sans is the plots' font: Liberation Sans, which gonum/plot embeds, so
// that PNGs look the same everywhere.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the house style: sans-serif text, a title,
// axis labels, and a light grid behind the data.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 13)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.Padding = vg.Points(10)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 11)
		a.Label.Padding = vg.Points(6)
		a.Tick.Label.Font = font.From(sans, 10)
		a.Tick.Length = vg.Points(5)
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = gridColor, gridColor
	p.Add(g)
	return p
}

// percentAxis sets the y axis to shares shown as percentages from lo to hi
// (0 to 1), with a labelled tick every step and the level among them.
func percentAxis(p *plot.Plot, lo, hi, step, level float64) {
	p.Y.Min, p.Y.Max = 100*lo, 100*hi
	var ticks plot.ConstantTicks
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+1e-9; i++ {
		v := math.Round(i*step*1e6)/1e6 + 0 // + 0 turns -0 into 0
		ticks = append(ticks, plot.Tick{Value: 100 * v, Label: format.Level(v)})
	}
	if level > lo && level < hi && math.Abs(math.Remainder(level, step)) > 1e-9 {
		ticks = append(ticks, plot.Tick{Value: 100 * level, Label: format.Level(level)})
	}
	p.Y.Tick.Marker = ticks
}

// hline draws a horizontal reference line across the plot and returns it
// for the legend.
func hline(p *plot.Plot, y, xmin, xmax float64, style draw.LineStyle) (*plotter.Line, error) {
	l, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: y}, {X: xmax, Y: y}})
	if err != nil {
		return nil, err
	}
	l.LineStyle = style
	p.Add(l)
	return l, nil
}

// A legend is drawn inside the data area, in a white box in the corner the
// data leave emptiest. (gonum/plot's own legend is placed against the whole
// canvas, so on the right it overhangs the data area.)
type legend struct {
	entries []legendEntry
	// points are the data, scaled to [0, 1] in both directions, that the
	// legend should not hide.
	points [][2]float64
}

type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

func (l *legend) add(label string, thumb plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{label, thumb})
}

// avoid records a data point in [0, 1]² the legend should keep clear of.
func (l *legend) avoid(x, y float64) { l.points = append(l.points, [2]float64{x, y}) }

// corner returns the corner of the data area that holds the fewest
// points, bottom right first on a tie.
func (l *legend) corner() (left, top bool) {
	fewest := math.MaxInt
	for _, c := range []struct{ left, top bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		n := 0
		for _, pt := range l.points {
			inX := c.left && pt[0] <= 0.45 || !c.left && pt[0] >= 0.55
			inY := c.top && pt[1] >= 0.6 || !c.top && pt[1] <= 0.4
			if inX && inY {
				n++
			}
		}
		if n < fewest {
			left, top, fewest = c.left, c.top, n
		}
	}
	return left, top
}

// Plot draws the legend; it must be the last plotter added.
func (l *legend) Plot(c draw.Canvas, _ *plot.Plot) {
	if len(l.entries) == 0 {
		return
	}
	sty := text.Style{Color: color.Black, Font: font.From(sans, 9.5), XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	const (
		inset   = 8 // from the axes
		margin  = 5 // inside the box
		thumb   = 24
		gap     = 5 // between thumbnail and text
		spacing = 3 // between entries
	)
	var width vg.Length
	for _, e := range l.entries {
		width = max(width, sty.Width(e.label))
	}
	row := sty.FontExtents().Height
	n := vg.Length(len(l.entries))
	boxW := 2*margin + thumb + gap + width
	boxH := 2*margin + n*row + (n-1)*spacing
	left, top := l.corner()
	var box vg.Rectangle
	if left {
		box.Min.X = c.Min.X + inset
	} else {
		box.Min.X = c.Max.X - inset - boxW
	}
	if top {
		box.Min.Y = c.Max.Y - inset - boxH
	} else {
		box.Min.Y = c.Min.Y + inset
	}
	box.Max = vg.Point{X: box.Min.X + boxW, Y: box.Min.Y + boxH}
	c.SetColor(color.NRGBA{0xff, 0xff, 0xff, 0xeb})
	c.Fill(box.Path())
	c.SetLineStyle(draw.LineStyle{Color: color.NRGBA{0xbb, 0xbb, 0xbb, 0xff}, Width: vg.Points(0.75)})
	c.Stroke(box.Path())
	y := box.Max.Y - margin - row/2
	for _, e := range l.entries {
		x := box.Min.X + margin
		icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - row/2}, Max: vg.Point{X: x + thumb, Y: y + row/2}}}
		e.thumb.Thumbnail(&icon)
		c.FillText(sty, vg.Point{X: x + thumb + gap, Y: y}, e.label)
		y -= row + spacing
	}
}

// runFigures build a run's figures, in the order a report shows them. Each
// returns no figure when the run lacks its data: an unstable run, or
// statistics the engine does not collect.
var runFigures = []func(*Report) ([]*Figure, error){waitingTimeFigures, hourFigures, creditsFigures}

// Figures returns the plots of the run: for each SLA clock, the
// distribution of times per tier with its targets; then heat maps of the
// week: attainment of each clock (and of each tier's clock not met), each
// team's utilisation, and the tickets waiting; then, when the
// scenario has a contract, the distribution of a period's credits and
// costs.
func (r *Report) Figures() ([]*Figure, error) {
	var figs []*Figure
	for _, build := range runFigures {
		f, err := build(r)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f...)
	}
	stamp(figs, "slasim %s · %s · seed %d · %d of %s · %s", r.Version, r.Scenario, r.Seed, r.Replications, replicationCount(int64(r.Planned)), completeness(r.Partial))
	return figs, nil
}

// stamp sets the stamp of every figure (see Figure.Stamp).
func stamp(figs []*Figure, f string, args ...any) {
	s := fmt.Sprintf(f, args...)
	for _, fig := range figs {
		fig.Stamp = s
	}
}

// completeness says whether a run ran to its end.
func completeness(partial bool) string {
	if partial {
		return "partial"
	}
	return "complete"
}

// Inline returns the figure as an svg element for an HTML page, as the
// HTML report shows it: no XML prolog or namespace declarations, labelled
// with its title for screen readers.
func (f *Figure) Inline() (template.HTML, error) {
	svg, err := f.svg(f.draw)
	if err != nil {
		return "", err
	}
	inline, err := inlineSVG(svg, f.Title)
	if err != nil {
		return "", fmt.Errorf("figure %s: %w", f.Name, err)
	}
	return inline, nil
}
