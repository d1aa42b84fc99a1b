package reports

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing/sizing"
)

// sizingFigure plots a sizing's frontier, cost against risk: for each
// staffing one agent away from the result on some shift, and the result,
// its cost a week and the attainment of the checks closest to failing,
// with their intervals and levels. Filled points meet the requirement.
// Without checks (a contract's credits alone) there is no figure: nil.
func sizingFigure(res *sizing.Result) (*Figure, error) {
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
		leg.add(fmt.Sprintf("%s (level %s)", name, format.Level(level)), lv)
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

// SizingSchemaVersion names the layout of a sizing's JSON document; it
// changes as SchemaVersion does.
const SizingSchemaVersion = "slasim.size/v2"

// Sizing is the report of a sizing (slasim size): the staffing found, the
// checks it was held to, the frontier around it and the search behind it,
// in text or as JSON.
type Sizing struct {
	Envelope
	// Requirement is what every candidate was held to.
	Requirement sizing.Requirement `json:"requirement"`
	Tiers       []string           `json:"tiers"`
	FixedCost   float64            `json:"fixed_cost"`
	// Currency is the contract's, when a contract's expected credits are
	// in the costs (each evaluation's penalty); empty without a contract.
	Currency string `json:"currency,omitempty"`
	// PeriodsMet is the share of the contract's periods in which every
	// contractual level must be met; 0 when not asked.
	PeriodsMet float64 `json:"periods_met,omitempty"`
	// Risk holds the contract's risks bounded (sizing.risk), nil when
	// none is.
	Risk *sizing.Risk `json:"risk,omitempty"`
	// Unsized names the scenario's targets that sizing does not judge:
	// targets on mean times and named clocks; absent when none.
	Unsized []string `json:"unsized,omitempty"`
	// NoResolution names the tiers that promise no resolution: nothing is
	// sized on that clock for them; absent when every tier has one.
	NoResolution []string `json:"no_resolution,omitempty"`
	contract     bool
	*sizing.Result
}

// SizingMeta is what a sizing's report says besides the search's result.
type SizingMeta struct {
	Version, Scenario, File string
	// Seed is the search's master seed.
	Seed uint64
	// Contract is set when a contract's expected credits are in the costs,
	// Currency its currency, and PeriodsMet the share of its periods in
	// which every contractual level had to be met (0 when not asked).
	Contract   bool
	Currency   string
	PeriodsMet float64
	Risk       sizing.Risk
}

// NewSizing builds the report of a sizing of the problem p.
func NewSizing(meta SizingMeta, p *sizing.Problem, res *sizing.Result) *Sizing {
	d := &Sizing{
		Envelope:    Envelope{Schema: SizingSchemaVersion, Version: meta.Version, Scenario: meta.Scenario, File: meta.File, Seed: meta.Seed},
		Requirement: p.Requirement, FixedCost: p.FixedCost, Result: res,
		contract: meta.Contract, Currency: meta.Currency, PeriodsMet: meta.PeriodsMet,
	}
	if meta.Risk != (sizing.Risk{}) {
		d.Risk = &meta.Risk
	}
	for _, t := range p.Model.Tiers {
		d.Tiers = append(d.Tiers, t.Name)
		if !t.HasResolution() {
			d.NoResolution = append(d.NoResolution, t.Name)
		}
	}
	d.Unsized = unjudged(p.Model, true, nil)
	return d
}

// unjudged names the targets of m on mean times, on its tiers' updates
// (but for the tiers i with updatesJudged[i]) and, with named, on their
// named clocks: what sizing does not judge, or without named what promise
// does not.
func unjudged(m *sim.Model, named bool, updatesJudged []bool) []string {
	var out []string
	mean := func(who string, t sim.MeanTargets) {
		if t.Response > 0 {
			out = append(out, fmt.Sprintf("%s mean response ≤ %s", who, format.Duration(t.Response)))
		}
		if t.Resolution > 0 {
			out = append(out, fmt.Sprintf("%s mean resolution ≤ %s", who, format.Duration(t.Resolution)))
		}
	}
	for i, t := range m.Tiers {
		mean(t.Name, t.Mean)
		for _, c := range t.Clocks {
			if named {
				out = append(out, fmt.Sprintf("%s %s within %s", t.Name, c.Name, format.Duration(c.Target)))
			}
		}
		if u := t.Updates; u.Every > 0 && !(i < len(updatesJudged) && updatesJudged[i]) {
			out = append(out, fmt.Sprintf("%s %s within %s", t.Name, sim.UpdatesClock, format.Duration(u.Target)))
		}
	}
	mean("all tickets'", m.Mean)
	return out
}

// Figures returns the plot of the frontier, cost against risk, when
// something is checked; none otherwise.
func (d *Sizing) Figures() ([]*Figure, error) {
	fig, err := sizingFigure(d.Result)
	if fig == nil || err != nil {
		return nil, err
	}
	figs := []*Figure{fig}
	stamp(figs, "slasim %s · %s · seed %d", d.Version, d.Scenario, d.Seed)
	return figs, nil
}

// WriteJSON writes the sizing as indented JSON.
func (d *Sizing) WriteJSON(w io.Writer) error {
	return writeJSON(w, d)
}

// WriteText writes the sizing for people: the requirement, the staffing
// found with its checks and cost, the frontier around it, the staffing as
// given, and how the search went.
func (d *Sizing) WriteText(w io.Writer) error { return format.Text(w, d.writeText) }

func (d *Sizing) writeText(w io.Writer) error {
	var b strings.Builder
	res := d.Result
	fmt.Fprintf(&b, "slasim %s · size %s (%s)\n\n", d.Version, d.Scenario, d.File)
	b.WriteString(d.requirementText())
	best := res.Best
	if res.Feasible {
		fmt.Fprintf(&b, "\nThe cheapest staffing found that meets it (confirmed with seed %d, %d replications):\n", best.Seed, best.Replications)
	} else {
		b.WriteString("\nNo staffing within the bounds meets the requirement. The best attainable found: the cheapest that misses no more checks than the closest staffing seen, and falls short of them by no more (within 0.1 point):\n")
	}
	d.staffingTable(&b)
	for _, iv := range res.Intervals {
		fmt.Fprintf(&b, "%s: %d intervals of %d minutes, %.0f agent-hours a week, %s. Each block's head count above is its peak; its intervals keep the shape of Erlang's head count for each. Per interval: --json (intervals) or --write.\n",
			iv.Name, len(iv.Sized), iv.Minutes, iv.Hours, format.Money(iv.Cost))
	}
	if len(best.Checks) > 0 {
		fmt.Fprintf(&b, "\nAttainment (seed %d, %d replications, %s intervals):\n", best.Seed, best.Replications, format.Level(d.Requirement.Confidence))
		checksTable(&b, best)
	}
	fmt.Fprintf(&b, "\nCost a week: %s for staff", format.Money(best.StaffCost))
	if d.FixedCost > 0 {
		fmt.Fprintf(&b, " (%s of it interval staffing kept as given)", format.Money(d.FixedCost))
	}
	if best.CallOuts > 0 {
		fmt.Fprintf(&b, ", %s for %.1f call-outs (%.1f agent-hours worked on call)", format.Money(best.CallOutCost), best.CallOuts, best.OnCallWork)
	}
	if d.contract {
		fmt.Fprintf(&b, ", %s expected contract credits and costs; %s in all", format.Money(best.Penalty), format.Money(best.Cost()))
		if d.Currency != "" {
			b.WriteString(", in " + d.Currency)
		}
		b.WriteString(".\n")
	} else {
		b.WriteString("; no contract given, so no expected credits.\n")
	}
	if d.agentHours() {
		b.WriteString("Every agent-hour costs 1, so costs are agent-hours: give sizing.cost (or --cost) to price them.\n")
	}
	switch {
	case res.Search == nil || slices.Equal(res.Search.Agents, best.Agents):
	case res.Search.Feasible():
		fmt.Fprintf(&b, "The search's choice (%s) missed the requirement with the confirmation seed; the search stepped up from it.\n", counts(res.Search.Agents))
	default: // out of reach: no confirmation, and the result is cheaper
		fmt.Fprintf(&b, "The closest staffing seen (%s) comes no closer than this cheaper one.\n", counts(res.Search.Agents))
	}
	d.frontierText(&b)
	if g := res.Given; g != nil {
		verdict := "meets the requirement"
		if !g.Feasible() {
			verdict = "misses the requirement"
		}
		fmt.Fprintf(&b, "\nAs the scenario gives it (%s): %s a week", counts(g.Agents), format.Money(g.Cost()))
		switch name, mean, ci := closestCheck(g); {
		case g.Unstable:
			b.WriteString("; unstable, its queues growing without bound")
		case len(g.Checks) > 0:
			fmt.Fprintf(&b, "; %s %s %s", name, mean, ci)
		}
		fmt.Fprintf(&b, ": %s.\n", verdict)
	}
	peak := slices.Max(res.Required[:])
	fmt.Fprintf(&b, "\nSearch: from the analytic start %s (Erlang C per quarter hour, pool by pool; at most %d %s at once, %s); %d %s simulated, %d replications.\n",
		counts(res.Analytic), peak, plural.Of(peak, "agent", "agents"), peakHour(res.Required), res.Candidates, plural.Of(res.Candidates, "staffing", "staffings"), res.Replications)
	if res.Offered > 0 {
		covered, staffed := 0, 0
		for i, q := range res.Posts {
			if q.Offered && res.Analytic[i] > 0 {
				covered++
			}
			if q.Offered && best.Agents[i] > 0 {
				staffed++
			}
		}
		fmt.Fprintf(&b, "Shifts offered (sizing.shifts): %d; the analytic start's covering staffed %d of them, the result %d: the search tunes the staffed ones with the scenario's own, and moves a shift to a neighbouring offered one (a start a step earlier or later, a length a step shorter or longer) or adds one there when that is cheaper.\n", res.Offered, covered, staffed)
	}
	b.WriteString("The result is a local optimum of a heuristic search: see docs/sizing.md for what it guarantees.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// checked reports whether the requirement checks some level.
func (d *Sizing) checked() bool {
	for _, l := range d.Requirement.Levels {
		if l.Response > 0 || l.Resolution > 0 {
			return true
		}
	}
	return d.PeriodsMet > 0
}

// agentHours reports whether every agent-hour costs 1: costs are hours.
func (d *Sizing) agentHours() bool {
	for _, q := range d.Posts {
		if q.Cost != 1 {
			return false
		}
	}
	return true
}

// requirementText says what every candidate was held to.
func (d *Sizing) requirementText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Requirement: the lower end of the %s interval of mean attainment at or above its level, for\n", format.Level(d.Requirement.Confidence))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  tier\tresponse\tresolution")
	for i, l := range d.Requirement.Levels {
		resolution := levelText(l.Resolution)
		if slices.Contains(d.NoResolution, d.Tiers[i]) {
			resolution = noTarget
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", d.Tiers[i], levelText(l.Response), resolution)
	}
	tw.Flush()
	if !d.checked() {
		b.WriteString("none of which is checked: the contract's expected credits alone weigh against the staff cost\n")
	}
	if len(d.Unsized) > 0 {
		fmt.Fprintf(&b, "Not sized: %s. Sizing judges attainment levels and contract credits only; run the staffing found to see these judged.\n", strings.Join(d.Unsized, ", "))
	}
	if d.PeriodsMet > 0 {
		fmt.Fprintf(&b, "and the lower end of the %s interval of the share of the contract's periods meeting each contractual level at or above %s\n",
			format.Level(d.Requirement.Confidence), format.Level(d.PeriodsMet))
	}
	for _, r := range []struct {
		bound float64
		what  string
	}{{d.risk().Termination, "the client gains a right to terminate within the term"}, {d.risk().OverFund, "a contract year's cost exceeds the continuity fund"},
		{d.risk().PeriodMissed, "a period misses any contractual level"}} {
		if r.bound > 0 {
			fmt.Fprintf(&b, "and the upper end of the %s interval of the chance that %s at most %s\n",
				format.Level(d.Requirement.Confidence), r.what, format.Level(r.bound))
		}
	}
	return b.String()
}

// risk is the contract's risks bounded, zero when none is.
func (d *Sizing) risk() sizing.Risk {
	if d.Risk == nil {
		return sizing.Risk{}
	}
	return *d.Risk
}

func levelText(l float64) string {
	if l == 0 {
		return "unchecked"
	}
	return "≥ " + format.Level(l)
}

func (d *Sizing) staffingTable(b *strings.Builder) {
	res := d.Result
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  shift\tbounds\tgiven\tanalytic\tsized\tagent-hours/week\tcost/week")
	var given, analytic, sized int
	var hours, cost float64
	for i, q := range res.Posts {
		n := res.Best.Agents[i]
		h := res.Hours[i] * float64(n)
		if b := q.Block; b != nil {
			// A block's intervals keep their own head counts.
			iv := &res.Intervals[b.Intervals]
			h = 0
			for j := b.First; j < b.First+b.Count; j++ {
				h += float64(iv.Sized[j]) * iv.HoursPerAgent[j]
			}
		}
		c := h * q.Cost
		given, analytic, sized, hours, cost = given+q.Agents, analytic+res.Analytic[i], sized+n, hours+h, cost+c
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%.0f\t%s\n", q.Name, boundsText(q), q.Agents, res.Analytic[i], n, h, format.Money(c))
	}
	if len(res.Posts) > 1 {
		fmt.Fprintf(tw, "  total\t\t%d\t%d\t%d\t%.0f\t%s\n", given, analytic, sized, hours, format.Money(cost))
	}
	tw.Flush()
}

func boundsText(q sizing.Post) string {
	if q.Max == 0 {
		return fmt.Sprintf("%d+", q.Min)
	}
	return fmt.Sprintf("%d-%d", q.Min, q.Max)
}

func checksTable(b *strings.Builder, ev *sizing.Evaluation) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  check\tlevel\tmean\tinterval\tverdict")
	for _, c := range ev.Checks {
		verdict := "met"
		if !c.Met() {
			verdict = "MISSED"
		}
		mean, ci := format.Percent(c.Mean), format.Judged(c.Lo, c.Hi, c.Level)
		if ev.Unstable {
			mean, ci = "unstable", format.Unknown
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", c.Name, format.Level(c.Level), mean, ci, verdict)
	}
	tw.Flush()
}

// frontierText lists the staffings around the result, cheapest first.
func (d *Sizing) frontierText(b *strings.Builder) {
	res := d.Result
	fmt.Fprintf(b, "\nCost against risk: the result and one agent fewer or more on each shift (seed %d), cheapest first:\n", d.Result.Frontier[0].Seed)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  change\tcost/week\tclosest check\tmean\tinterval\treplications\tmeets")
	for _, ev := range res.Frontier {
		meets := "yes"
		if !ev.Feasible() {
			meets = "no"
		}
		name, mean, ci := closestCheck(ev)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%d\t%s\n", frontierChange(res, ev), format.Money(ev.Cost()), name, mean, ci, ev.Replications, meets)
	}
	tw.Flush()
	for _, ev := range res.Frontier {
		if res.Feasible && ev.Feasible() && ev.Cost() < res.Best.Cost() {
			b.WriteString("A cheaper staffing above meets the requirement on this seed but missed it on the search seed: the two simulations disagree, so it is marginal; the result keeps the agent.\n")
			break
		}
	}
}

// closest names an evaluation's check closest to failing, with its mean
// and interval; unknown without checks, "unstable" without figures.
func closestCheck(ev *sizing.Evaluation) (name, mean, ci string) {
	c := ev.Binding()
	switch {
	case ev.Unstable:
		return format.Unknown, format.Unknown, "unstable"
	case c == nil:
		return "no checks", format.Unknown, format.Unknown
	}
	return c.Name, format.Percent(c.Mean), format.Judged(c.Lo, c.Hi, c.Level)
}

// frontierChange describes a frontier staffing against the result; a
// change on blocks of interval staffing is told once for them all.
func frontierChange(res *sizing.Result, ev *sizing.Evaluation) string {
	var parts []string
	told := map[int]bool{}
	for i, n := range ev.Agents {
		d := n - res.Best.Agents[i]
		switch b := res.Posts[i].Block; {
		case d == 0:
		case b == nil:
			parts = append(parts, fmt.Sprintf("%s %+d", res.Posts[i].Name, d))
		case !told[b.Intervals]:
			told[b.Intervals] = true
			parts = append(parts, fmt.Sprintf("%s %+d on every block", res.Intervals[b.Intervals].Name, d))
		}
	}
	if len(parts) == 0 {
		return "the result"
	}
	return strings.Join(parts, ", ")
}

// peakHour names the first hour of the week needing the most agents.
func peakHour(required [168]int) string {
	return format.HourOfWeek(slices.Index(required[:], slices.Max(required[:])))
}

// counts writes head counts, one per shift: 6, 2, 2, 1.
func counts(x []int) string {
	s := make([]string, len(x))
	for i, n := range x {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// SizingProgress returns the function that shows on a terminal how far a
// search has got (sizing.Options.Progress), each line drawn over the last
// and cut to the terminal's width.
func SizingProgress(w io.Writer, width int) func(*sizing.Evaluation) {
	n := 0
	return func(ev *sizing.Evaluation) {
		n++
		name, mean, _ := closestCheck(ev)
		line := []rune(fmt.Sprintf("%d %s · last %s: %s %s", n, plural.Of(n, "simulation", "simulations"), counts(ev.Agents), format.Printable(name), mean))
		if width > 1 && len(line) >= width {
			line = append(line[:width-2], '…')
		}
		fmt.Fprintf(w, "\r%s\033[K", string(line))
	}
}
