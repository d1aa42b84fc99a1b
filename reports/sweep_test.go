package reports

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
)

// testSweep runs the test scenario at each value of agents and, if given,
// of arrivals.scale.
func testSweep(t *testing.T, agents []string, scales ...string) *Sweep {
	t.Helper()
	axes := []sweep.Axis{testAxis(t, "agents", agents...)}
	if len(scales) > 0 {
		axes = append(axes, testAxis(t, "arrivals.scale", scales...))
	} else {
		scales = []string{""}
	}
	var points []Point
	for _, a := range agents {
		for _, s := range scales {
			settings := []scenarios.Setting{{Path: "agents", Value: a}}
			values := []string{a}
			if s != "" {
				settings = append(settings, scenarios.Setting{Path: "arrivals.scale", Value: s})
				values = append(values, s)
			}
			points = append(points, Point{Values: values, Report: testReport(t, settings...)})
		}
	}
	return NewSweep(SweepMeta{Version: "test", Scenario: "figures", File: "figures.yaml", Level: 0.95, Axes: axes, Planned: len(points)}, points)
}

// testAxis reads an axis as --vary PATH=VALUES gives it.
func testAxis(t *testing.T, path string, values ...string) sweep.Axis {
	t.Helper()
	a, err := sweep.ParseAxis(path + "=" + strings.Join(values, ","))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSweepFigures(t *testing.T) {
	one := testSweep(t, []string{"1", "2", "3"})
	figs, err := one.Figures()
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 || figs[0].Name != "sweep-response" || figs[1].Name != "sweep-resolution" {
		t.Fatalf("one setting: figures %v", figs)
	}
	for _, f := range figs {
		checkFigure(t, f)
		if !strings.Contains(f.Caption, "grows without bound") {
			t.Errorf("%s: the caption does not explain the unstable point", f.Name)
		}
	}
	two := testSweep(t, []string{"2", "3"}, "0.9", "1")
	figs, err = two.Figures()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		checkFigure(t, f)
	}
	names := figureNames(figs)
	if got := strings.Join(names, " "); got != "sweep-response-urgent sweep-response-routine sweep-resolution-urgent sweep-resolution-routine" {
		t.Errorf("two settings: figures %s", got)
	}
}

func TestSweepText(t *testing.T) {
	var b bytes.Buffer
	if err := testSweep(t, []string{"1", "3"}).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"varying agents · 2 points · seed 42 for every point", "targets (response / resolution): urgent 15m / 2h, routine 1h / 8h",
		"1       1.58          unstable", "agents=1: offered load 1.58", "urgent   90.1%"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}

func TestSettingAxis(t *testing.T) {
	tests := []struct {
		values []string
		label  string
		xs     []float64
	}{
		{[]string{"8", "10", "12"}, "agents", []float64{8, 10, 12}},
		{[]string{"5%", "10%"}, "agents (%)", []float64{5, 10}},
		{[]string{"15m", "30m", "1h"}, "agents (minutes)", []float64{15, 30, 60}},
		{[]string{"4h", "8h", "1d"}, "agents (hours)", []float64{4, 8, 24}},
		{[]string{"1d", "1w"}, "agents (days)", []float64{1, 7}},
		{[]string{"150/day", "200/day"}, "agents (tickets per day)", []float64{150, 200}},
		// Mixed or unreadable values are categories in the order given.
		{[]string{"150/day", "9/h"}, "agents", []float64{0, 1}},
		{[]string{"gamma", "lognormal", "exponential"}, "agents", []float64{0, 1, 2}},
	}
	for _, tt := range tests {
		a := testAxis(t, "agents", tt.values...)
		ax := newSettingAxis(&a)
		if ax.label != tt.label {
			t.Errorf("%v: label %q, want %q", tt.values, ax.label, tt.label)
		}
		for i, v := range tt.values {
			if ax.x[v] != tt.xs[i] {
				t.Errorf("%v: %s at %v, want %v", tt.values, v, ax.x[v], tt.xs[i])
			}
			if ax.x[v] < ax.min || ax.x[v] > ax.max {
				t.Errorf("%v: %s outside the axis [%v, %v]", tt.values, v, ax.min, ax.max)
			}
		}
		if ax.ticks == nil {
			t.Errorf("%v: values not labelled as written", tt.values)
		}
	}
}

func TestSlugs(t *testing.T) {
	for _, tt := range []struct {
		names, reserved, want []string
	}{
		{[]string{"urgent", "P0 critical!", "紧急"}, nil, []string{"urgent", "p0-critical", "tier3"}},
		// Two teams once wrote the same plot file.
		{[]string{"Night Desk", "night-desk", "NIGHT  DESK"}, nil, []string{"night-desk", "night-desk-2", "night-desk-3"}},
		{[]string{"a", "a-2", "A"}, nil, []string{"a", "a-2", "a-3"}},
		{[]string{"x", "X", "x-2"}, nil, []string{"x", "x-2", "x-2-3"}},
		{[]string{"All", "pooled", "?"}, []string{"all", "pooled"}, []string{"all-1", "pooled-2", "tier3"}},
	} {
		if got := slugs(tt.names, "tier", tt.reserved...); !slices.Equal(got, tt.want) {
			t.Errorf("slugs(%q) = %q, want %q", tt.names, got, tt.want)
		}
	}
}

// TestSweepNamedClocks: a sweep of the fault-levels example, whose tiers
// have named clocks (level 1 on site, level 2 remote fix and on site,
// level 3 solution), shows each of them in the text, the HTML table, the
// plots and the count of targets met.
func TestSweepNamedClocks(t *testing.T) {
	values := []string{"1", "1.2"}
	sw, points := faultLevelsSweep(t, "arrivals.scale", values...)

	var b bytes.Buffer
	if err := sw.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	_, named, ok := strings.Cut(text, "\nnamed clocks\n")
	if !ok {
		t.Fatalf("the text has no named clocks' table:\n%s", text)
	}
	var rows []string // each line's cells, one space apart
	for line := range strings.Lines(named) {
		rows = append(rows, strings.Join(strings.Fields(line), " "))
	}
	for _, p := range points {
		for _, tier := range p.Report.Tiers {
			for _, c := range tier.Clocks {
				row := fmt.Sprintf("%s: %s %s %s %s", tier.Name, c.Name, format.Duration(seconds(c.TargetS)), mean(c.Attainment), interval(c.Attainment))
				if !slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, row) }) {
					t.Errorf("the named clocks' table lacks %q:\n%s", row, named)
				}
			}
		}
	}

	html := sw.htmlTable()
	if got := fmt.Sprint(html.NamedClocks); got != "[on site (1h) remote fix (2h) on site (4h) solution (4h)]" {
		t.Errorf("the HTML's named clocks %s", got)
	}
	for i, row := range html.Rows {
		met, judged := 0, 0
		for _, tier := range points[i].Report.Tiers {
			for _, m := range tier.metrics() {
				judged++
				if m.Verdict == Meets {
					met++
				}
			}
		}
		if want := fmt.Sprintf("%d of %d", met, judged); row.Tally != want || judged != 10 || len(row.NamedCells) != 4 {
			t.Errorf("point %s: targets met %q with %d named cells, want %q of the 10 clocks and 4 cells", values[i], row.Tally, len(row.NamedCells), want)
		}
	}

	figs, err := sw.Figures()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		checkFigure(t, f)
	}
	names := figureNames(figs)
	if got := strings.Join(names, " "); got != "sweep-response sweep-resolution sweep-on-site sweep-remote-fix sweep-solution" {
		t.Errorf("figures %s", got)
	}
}

// TestSweepRenamedClock: a sweep that renames a named clock (level 1's
// "on site") has a column and a plot for each name, each point reading
// its own clock and "no target" under the other's; the heads give the
// clock's target at the points that time it.
func TestSweepRenamedClock(t *testing.T) {
	values := []string{"on site", "engineer there"}
	sw, points := faultLevelsSweep(t, "tiers[0].clocks[0].name", values...)

	html := sw.htmlTable()
	if got := fmt.Sprint(html.NamedClocks); got != "[on site (1h) engineer there (1h) remote fix (2h) on site (4h) solution (4h)]" {
		t.Errorf("the HTML's named clocks %s", got)
	}
	if g := html.Named[0]; g.Tier != "level 1" || g.Clocks != 2 {
		t.Errorf("level 1's named clocks span %d columns, want 2", g.Clocks)
	}
	// Same seed, same clock: the one point's "on site" is the other's
	// "engineer there".
	first := points[0].Report.Tiers[0].Clocks[0].Attainment
	own := htmlCell{mean(first), interval(first), verdictClass[points[0].Report.Tiers[0].Clocks[0].Verdict]}
	none := htmlCell{Attainment: noTarget}
	for i, want := range [][2]htmlCell{{own, none}, {none, own}} {
		row := html.Rows[i]
		if got := [2]htmlCell{row.NamedCells[0], row.NamedCells[1]}; got != want || len(row.NamedCells) != 5 {
			t.Errorf("point %q: level 1's named cells %v of %d, want %v", values[i], got, len(row.NamedCells), want)
		}
		if row.Tally[len(row.Tally)-len("of 10"):] != "of 10" {
			t.Errorf("point %q: targets met %q, want of 10", values[i], row.Tally)
		}
	}

	figs, err := sw.Figures()
	if err != nil {
		t.Fatal(err)
	}
	names := figureNames(figs)
	if got := strings.Join(names, " "); got != "sweep-response sweep-resolution sweep-on-site sweep-engineer-there sweep-remote-fix sweep-solution" {
		t.Errorf("figures %s", got)
	}
}

// faultLevelsSweep sweeps the fault-levels example, cut to 2 weeks and 4
// replications, over the values of the setting at path.
func faultLevelsSweep(t *testing.T, path string, values ...string) (*Sweep, []Point) {
	t.Helper()
	sc, err := scenarios.Embedded("fault-levels")
	if err != nil {
		t.Fatal(err)
	}
	var points []Point
	for _, v := range values {
		p, err := sc.With(scenarios.Setting{Path: path, Value: v}, scenarios.Setting{Path: "simulation.horizon", Value: "2w"},
			scenarios.Setting{Path: "simulation.replications", Value: "4"})
		if err != nil {
			t.Fatal(err)
		}
		run, err := p.Run(t.Context(), scenarios.RunSettings{})
		if err != nil {
			t.Fatal(err)
		}
		r := New(t.Context(), run.Result, Meta{Version: "test", Scenario: p.Name, File: "fault-levels.yaml", Model: run.Model, Level: 0.95})
		points = append(points, Point{Values: []string{v}, Report: r})
	}
	return NewSweep(SweepMeta{Version: "test", Scenario: "fault-levels", Level: 0.95, Axes: []sweep.Axis{testAxis(t, path, values...)}, Planned: len(values)}, points), points
}

// TestSweepTextTwoSettings: with two settings varied, every block of the
// table folded to fit a terminal names the whole point, so that its rows
// tell the points apart.
func TestSweepTextTwoSettings(t *testing.T) {
	sw := testSweep(t, []string{"2", "3"}, "0.9", "1")
	// Named as a team's shift is (teams[0].shifts[0].agents): with a
	// column per setting, the two took more than half the width, and
	// only the first was repeated in the blocks.
	sw.Vary[0] = "teams[0].shifts[0].agents"
	var b bytes.Buffer
	if err := sw.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(format.Fit(b.String(), 80), "\n\n")
	table, _, _ = strings.Cut(table, "\n\nmeets")
	for block := range strings.SplitSeq(table, "\n\n") {
		if !strings.HasPrefix(block, "teams[0].shifts[0].agents, arrivals.scale") {
			continue
		}
		for _, point := range []string{"\n2, 0.9 ", "\n2, 1 ", "\n3, 0.9 ", "\n3, 1 "} {
			if !strings.Contains(block, point) {
				t.Errorf("a block of the table lacks the point %q:\n%s", strings.TrimSpace(point), block)
			}
		}
	}
	if n := strings.Count(table, "teams[0].shifts[0].agents, arrivals.scale"); n < 2 {
		t.Errorf("%d blocks of the table, want it folded into several:\n%s", n, table)
	}
}
