package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	plotpalette "gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// hourFigures plots, as heat maps of the week (a row per day, a column per
// hour), attainment (attainmentFigures), each team's utilisation and the
// number of tickets waiting: where in the week the pressure is. None for a
// run without figures.
func hourFigures(r *Report) ([]*Figure, error) {
	if r.summary == nil || r.Unstable != nil || r.Replications == 0 {
		return nil, nil
	}
	var figs []*Figure
	teams := make([]string, len(r.Teams))
	for i, t := range r.Teams {
		teams[i] = t.Name
	}
	teamSlugs := slugs(teams, "team")
	for i, t := range r.Teams {
		title := "Utilisation by hour of the week"
		name := "utilisation-by-hour"
		if len(r.Teams) > 1 {
			title += ": " + t.Name
			name += "-" + teamSlugs[i]
		}
		f, err := weekHeatMap(name, title, "share of available agent time at work", t.UtilisationByHour, heatScale{top: 1, share: true})
		if err != nil {
			return nil, err
		}
		if f != nil {
			f.Caption = fmt.Sprintf("Each cell is the share of the time %s were available in that hour of the week that they spent working, over all replications; blank where nobody was on shift, even when someone stayed on to finish a ticket (overtime, busy all the while). Dark cells are the hours that run hot.", teamWho(t.Name, len(r.Teams)))
			figs = append(figs, f)
		}
	}
	if len(r.Tiers) > 0 {
		total := make(ByHour, sim.HoursPerWeek)
		for h := range total {
			for _, t := range r.Tiers {
				if h < len(t.WaitingByHour) && t.WaitingByHour[h] != nil {
					v := *t.WaitingByHour[h]
					if total[h] != nil {
						v += *total[h]
					}
					total[h] = &v
				}
			}
		}
		f, err := weekHeatMap("waiting-by-hour", "Tickets waiting by hour of the week", "tickets waiting for an agent (mean)", total, heatScale{})
		if err != nil {
			return nil, err
		}
		if f != nil {
			f.Caption = "Each cell is the mean number of tickets of all tiers waiting for an agent in that hour of the week, over all replications: the queue the desk carries. Where it builds up, response targets are missed."
			figs = append(figs, f)
		}
	}
	att, err := attainmentFigures(r)
	return append(att, figs...), err
}

// attainmentFigures plots attainment by the hour of the week the tickets
// arrived in, as heat maps: each clock over every tier, each ticket
// against its tier's target; then, when there are several tiers, each
// tier's clock that is not met on the whole. Dark cells are the hours
// whose tickets miss their targets.
func attainmentFigures(r *Report) ([]*Figure, error) {
	var figs []*Figure
	scale := heatScale{top: 1, share: true, darkLow: true}
	for k, clock := range clockNames {
		pooled := make(ByHour, sim.HoursPerWeek)
		for h := range sim.HoursPerWeek {
			var met, tickets float64
			for _, t := range r.Tiers {
				m := t.clock(k)
				if m == nil {
					continue
				}
				if a := m.AttainmentByHour; h < len(a) && a[h] != nil {
					met += *a[h] * float64(m.TicketsByHour[h])
					tickets += float64(m.TicketsByHour[h])
				}
			}
			if tickets > 0 {
				v := met / tickets
				pooled[h] = &v
			}
		}
		title := fmt.Sprintf("%s within target by hour of the week", capitalised(clock))
		f, err := weekHeatMap(clock+"-attainment-by-hour", title, "share of tickets within target", pooled, scale)
		if err != nil {
			return nil, err
		}
		if f != nil {
			f.Caption = fmt.Sprintf("Each cell is the share of the tickets arriving in that hour of the week, of every tier and over all replications, whose %s clock stopped within its tier's target; blank where none arrived. Dark cells are the hours whose tickets miss their targets.", clock)
			figs = append(figs, f)
		}
	}
	if len(r.Tiers) < 2 {
		return figs, nil
	}
	names := make([]string, len(r.Tiers))
	for i, t := range r.Tiers {
		names[i] = t.Name
	}
	tierSlugs := slugs(names, "tier")
	for i, t := range r.Tiers {
		for k, clock := range clockNames {
			m := t.clock(k)
			if m == nil || m.Verdict == Meets {
				continue
			}
			title := fmt.Sprintf("%s %s within %s by hour of the week", t.Name, clock, format.Duration(seconds(m.TargetS)))
			f, err := weekHeatMap(clock+"-attainment-by-hour-"+tierSlugs[i], title, "share of tickets within target", m.AttainmentByHour, scale)
			if err != nil {
				return nil, err
			}
			if f != nil {
				f.Caption = fmt.Sprintf("Each cell is the share of the %s tickets arriving in that hour of the week, over all replications, whose %s clock stopped within %s; blank where none arrived. The target is %s on the whole: the dark cells are where it breaks.",
					t.Name, clock, format.Duration(seconds(m.TargetS)), verdictSentence[m.Verdict])
				figs = append(figs, f)
			}
		}
	}
	return figs, nil
}

func capitalised(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func teamWho(name string, teams int) string {
	if teams > 1 {
		return "the agents of " + name
	}
	return "the agents"
}

// heatScale is a heat map's colour scale: from 0 to top, or to the largest
// value when top is 0; share says the values are shares, shown as
// percentages; darkLow darkens the low values rather than the high ones.
type heatScale struct {
	top            float64
	share, darkLow bool
}

// weekHeatMap draws 168 hourly values, hour 0 on Monday 00:00, as a grid
// with Monday on top, and a colour key beside it. It returns nil when
// every value is missing.
func weekHeatMap(name, title, what string, values ByHour, scale heatScale) (*Figure, error) {
	top := scale.top
	g := weekGrid{}
	found := false
	for h := range g {
		g[h] = math.NaN()
		if h < len(values) && values[h] != nil {
			g[h], found = *values[h], true
			top = max(top, g[h])
		}
	}
	if !found {
		return nil, nil
	}
	if top == 0 {
		top = 1 // all zero: any scale will do
	}
	var pal plotpalette.Palette
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlOrRd", 9)
	if err != nil {
		return nil, err
	}
	if scale.darkLow {
		pal = reversed(pal)
	}
	hm := plotter.NewHeatMap(&g, pal)
	hm.Min, hm.Max = 0, top
	hm.NaN = gridColor
	p := newPlot(title, "hour of the day", "")
	p.Add(hm)
	p.X.Min, p.X.Max = -0.5, 23.5
	p.Y.Min, p.Y.Max = -0.5, 6.5
	var xt, yt plot.ConstantTicks
	for h := 0; h < 24; h += 3 {
		xt = append(xt, plot.Tick{Value: float64(h), Label: fmt.Sprintf("%02d:00", h)})
	}
	for d, day := range weekDays {
		yt = append(yt, plot.Tick{Value: float64(6 - d), Label: day})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = xt, yt
	return &Figure{Name: name, Title: title, plot: p, key: colourKey(pal, top, what, scale.share)}, nil
}

// reversed returns a palette's colours in the reverse order.
func reversed(p plotpalette.Palette) plotpalette.Palette {
	c := slices.Clone(p.Colors())
	slices.Reverse(c)
	return colours(c)
}

type colours []color.Color

func (c colours) Colors() []color.Color { return c }

var weekDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// weekGrid is 168 hourly values as a 24 × 7 grid, Monday in the top row.
type weekGrid [sim.HoursPerWeek]float64

func (g *weekGrid) Dims() (c, r int)   { return 24, 7 }
func (g *weekGrid) Z(c, r int) float64 { return g[(6-r)*24+c] }
func (g *weekGrid) X(c int) float64    { return float64(c) }
func (g *weekGrid) Y(r int) float64    { return float64(r) }

// colourKey is the heat map's key: the palette's colours stacked from 0 to
// top, each where the heat map uses it, with the values labelled.
func colourKey(pal plotpalette.Palette, top float64, what string, share bool) *plot.Plot {
	n := len(pal.Colors())
	step := top / float64(n-1)
	key := keyGrid{n: n, step: step}
	hm := plotter.NewHeatMap(key, pal)
	hm.Min, hm.Max = 0, top
	p := newPlot("", "", what)
	p.Add(hm)
	p.HideX()
	p.Y.Min, p.Y.Max = -step/2, top+step/2
	var ticks plot.ConstantTicks
	for _, v := range niceSteps(top) {
		label := plural.Figure(v, 3)
		if share {
			label = format.Level(v)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	p.Y.Tick.Marker = ticks
	p.Y.Label.TextStyle.Font.Size = vg.Points(10)
	return p
}

// keyGrid is a single column of the palette's colours.
type keyGrid struct {
	n    int
	step float64
}

func (k keyGrid) Dims() (c, r int)   { return 1, k.n }
func (k keyGrid) Z(c, r int) float64 { return float64(r) * k.step }
func (k keyGrid) X(c int) float64    { return 0 }
func (k keyGrid) Y(r int) float64    { return float64(r) * k.step }

// niceSteps returns round values from 0 to top: about five of them.
func niceSteps(top float64) []float64 {
	e := math.Floor(math.Log10(top / 5))
	// scale multiplies by 10^e, dividing by 10^-e when e < 0 so that 0.6
	// comes out as 0.6 and not 3 × 0.2.
	scale := func(x float64) float64 {
		if e < 0 {
			return x / math.Pow(10, -e)
		}
		return x * math.Pow(10, e)
	}
	m := 10.0
	for _, c := range []float64{1, 2, 2.5, 5} {
		if top/scale(c) <= 6 {
			m = c
			break
		}
	}
	var vs []float64
	for i := 0.0; scale(i*m) <= top*(1+1e-9); i++ {
		vs = append(vs, scale(i*m))
	}
	return vs
}
