package reports

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	plotpalette "gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// hourFigures plots, as heat maps of the week (a row per day, a column per
// hour), each team's utilisation and the number of tickets waiting: where
// in the week the pressure is. None for a run without figures.
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
		f, err := weekHeatMap(name, title, "share of available agent time at work", t.UtilisationByHour, 1, true)
		if err != nil {
			return nil, err
		}
		if f != nil {
			f.Caption = fmt.Sprintf("Each cell is the share of the time %s were available in that hour of the week that they spent working, over all replications; blank where nobody was on duty. Dark cells are the hours that run hot.", teamWho(t.Name, len(r.Teams)))
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
		f, err := weekHeatMap("waiting-by-hour", "Tickets waiting by hour of the week", "tickets waiting for an agent (mean)", total, 0, false)
		if err != nil {
			return nil, err
		}
		if f != nil {
			f.Caption = "Each cell is the mean number of tickets of all tiers waiting for an agent in that hour of the week, over all replications: the queue the desk carries. Where it builds up, response targets are missed."
			figs = append(figs, f)
		}
	}
	return figs, nil
}

func teamWho(name string, teams int) string {
	if teams > 1 {
		return "the agents of " + name
	}
	return "the agents"
}

// weekHeatMap draws 168 hourly values, hour 0 on Monday 00:00, as a grid
// with Monday on top, and a colour key beside it. The colour scale runs
// from 0 to top, or to the largest value when top is 0; share says the
// values are shares, shown as percentages. It returns nil when every value
// is missing.
func weekHeatMap(name, title, what string, values ByHour, top float64, share bool) (*Figure, error) {
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
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlOrRd", 9)
	if err != nil {
		return nil, err
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
	return &Figure{Name: name, Title: title, plot: p, key: colourKey(pal, top, what, share)}, nil
}

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
		label := fmt.Sprintf("%.3g", v)
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
