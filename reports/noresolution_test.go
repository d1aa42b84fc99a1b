package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/sim/contract"
)

// hotlineScenario has a hotline promising only an answer (no resolution
// target) beside a routine tier with both clocks, results by month, and a
// contract crediting breaches of either clock.
const hotlineScenario = `name: hotline
simulation: {horizon: 9w, warm_up: 1d, replications: 4, start: 2024-01-01, periods: [month]}
tiers:
  - name: hotline
    rate: 12/h
    targets: {response: 30s}
    handling: {mean: 6m}
  - name: routine
    rate: 2/h
    targets: {response: 1h, resolution: 4h}
    handling: {mean: 30m}
agents: 3
contract:
  fee: {monthly: 10000}
  tiers: [{tier: hotline, per_breach: 1%, response: 50%}, {tier: routine, per_breach: 1%, resolution: 50%}]
`

// TestNoResolutionReport: a tier that promises no resolution has no
// resolution figure anywhere, and says so where a reader looks for one;
// its tickets are still resolved and counted.
func TestNoResolutionReport(t *testing.T) {
	sc, err := scenarios.Parse("hotline.yaml", []byte(hotlineScenario))
	if err != nil {
		t.Fatal(err)
	}
	r := runScenario(t, sc)
	hot, routine := &r.Tiers[0], &r.Tiers[1]
	if hot.Resolution != nil || routine.Resolution == nil {
		t.Fatalf("resolution figures: hotline %v, routine %v", hot.Resolution, routine.Resolution)
	}
	f := hot.Flow
	if f.Arrived == 0 || f.ByPeople == 0 || f.Arrived != f.ByPeople+f.ByAutomation+f.Abandoned+f.Blocked+f.OpenAtHorizon {
		t.Errorf("the hotline's flow does not add up: %+v", f)
	}
	if hot.Response.Tickets != f.Arrived {
		t.Errorf("the response clock counts %d tickets of %d arrived", hot.Response.Tickets, f.Arrived)
	}
	for _, p := range r.Periods {
		if p.Tiers[0].Resolution != nil || p.Tiers[1].Resolution == nil {
			t.Errorf("period %s: hotline resolution %v, routine %v", p.Label, p.Tiers[0].Resolution, p.Tiers[1].Resolution)
		}
	}
	for _, d := range r.Dates {
		if d.Tiers[0].Resolution != nil {
			t.Errorf("date %s has a hotline resolution count", d.Date)
		}
	}
	// The contract judges the hotline's tickets on the response clock
	// alone: "either" cannot breach a clock the tier does not have, and
	// its level is on response.
	if r.Contract == nil {
		t.Fatal("no contract figures")
	}
	for _, l := range r.Contract.Levels {
		if l.Tier == "hotline" && l.Clock != contract.Response.String() {
			t.Errorf("the contract judges the hotline's %s", l.Clock)
		}
	}

	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tiers   []map[string]json.RawMessage
		Periods []struct{ Tiers []map[string]json.RawMessage }
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Tiers[0]["resolution"]; ok {
		t.Errorf("the JSON gives the hotline a resolution: %s", doc.Tiers[0]["resolution"])
	}
	if _, ok := doc.Tiers[1]["resolution"]; !ok {
		t.Error("the JSON gives the routine tier no resolution")
	}
	if _, ok := doc.Periods[0].Tiers[0]["resolution"]; ok {
		t.Error("the JSON gives the hotline a resolution by period")
	}

	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"hotline  response", "\n         resolution  no target\n", "no target"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "hotline resolution") {
		t.Errorf("the text judges the hotline's resolution:\n%s", text.String())
	}

	var tiers, periods, dates bytes.Buffer
	for _, w := range []struct {
		buf   *bytes.Buffer
		write func(*bytes.Buffer) error
	}{
		{&tiers, func(b *bytes.Buffer) error { return r.WriteTiersCSV(b) }},
		{&periods, func(b *bytes.Buffer) error { return r.WritePeriodsCSV(b) }},
		{&dates, func(b *bytes.Buffer) error { return r.WriteDatesCSV(b) }},
	} {
		if err := w.write(w.buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(w.buf.String(), "hotline,response") || strings.Contains(w.buf.String(), "hotline,resolution") ||
			!strings.Contains(w.buf.String(), "routine,resolution") {
			t.Errorf("CSV rows of the hotline's clocks:\n%s", w.buf.String())
		}
	}

	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `<td>resolution</td><td class="num">no target</td>`) {
		t.Error("the HTML results table has no 'no target' row for the hotline's resolution")
	}
	if strings.Contains(page.String(), "hotline resolution within") {
		t.Error("the HTML page judges the hotline's resolution")
	}
}

// TestNoResolutionSweep: a sweep's table and figures leave the missing
// clock out, saying "no target", and its tally counts only the targets
// there are.
func TestNoResolutionSweep(t *testing.T) {
	var points []Point
	for _, agents := range []string{"2", "3"} {
		sc, err := scenarios.Vary("hotline.yaml", []byte(hotlineScenario), scenarios.Setting{Path: "agents", Value: agents})
		if err != nil {
			t.Fatal(err)
		}
		points = append(points, Point{Values: []string{agents}, Report: runScenario(t, sc)})
	}
	sw := NewSweep(SweepMeta{Version: "test", Scenario: "hotline", File: "hotline.yaml", Level: 0.95,
		Axes: []sweep.Axis{testAxis(t, "agents", "2", "3")}, Planned: 2}, points)
	var text bytes.Buffer
	if err := sw.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "hotline 30s / no target") || !strings.Contains(text.String(), "no target") {
		t.Errorf("the sweep's text does not say the hotline has no resolution target:\n%s", text.String())
	}
	var page bytes.Buffer
	if err := sw.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "resolution (no target)") || !strings.Contains(page.String(), " of 3<") {
		t.Errorf("the sweep's page: no 'resolution (no target)' heading, or the tally is not of 3 targets")
	}
	figs, err := sw.Figures()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		checkFigure(t, f)
	}
}

// TestNoTargetKeepsColumns: the "no target" row of a tier without a
// resolution clock stops short, yet the rows after it stay in the table's
// columns (text/tabwriter ends a column at a row without that cell, and
// Fit then folds a garbled table), and no line ends in blanks.
func TestNoTargetKeepsColumns(t *testing.T) {
	sc, err := scenarios.Parse("hotline.yaml", []byte(hotlineScenario))
	if err != nil {
		t.Fatal(err)
	}
	r := runScenario(t, sc)
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	points := []Point{{Values: []string{"3"}, Report: r}}
	sw := NewSweep(SweepMeta{Version: "test", Scenario: "hotline", File: "hotline.yaml", Level: 0.95,
		Axes: []sweep.Axis{testAxis(t, "agents", "3")}, Planned: 1}, points)
	var swText bytes.Buffer
	if err := sw.WriteText(&swText); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text, header, row string
		columns                 []string
	}{
		{"results", text.String(), "tier  ", "routine  response", []string{"target", "attainment", "95% interval", "mean", "p95", "breached", "late by", "meets"}},
		{"by month", text.String(), "month  ", "         routine  ", []string{"tickets", "response", "resolution", "meets"}},
		{"sweep", swText.String(), "agents  ", "  routine  ", []string{"tier", "response", "resolution", "meets"}},
	} {
		header, row := lineWith(tc.text, tc.header), []rune(lineWith(tc.text, tc.row))
		for _, c := range tc.columns {
			i := strings.LastIndex(header, "  "+c) + 2 // the headers are ASCII
			if header == "" || i < 4 || i >= len(row) || row[i] == ' ' || row[i-1] != ' ' {
				t.Errorf("%s: the routine tier's row, after the hotline's 'no target', is out of the column %q:\n%s\n%s", tc.name, c, header, string(row))
			}
		}
	}
	for _, s := range []string{text.String(), swText.String()} {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasSuffix(l, " ") {
				t.Errorf("a line ends in blanks: %q", l)
			}
		}
	}
}

// lineWith is the first line of text starting with prefix, or holding it
// if none starts with it.
func lineWith(text, prefix string) string {
	lines := strings.Split(text, "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	for _, l := range lines {
		if strings.Contains(l, prefix) {
			return l
		}
	}
	return ""
}

// TestNoResolutionColumns: when no tier promises a resolution, the tables
// by period and by date have no resolution columns, in the text and the
// page as in the JSON and CSV, which never had them; they read "no
// target" on every row, and the text, folded at 80 columns, ended in a
// header without rows.
func TestNoResolutionColumns(t *testing.T) {
	src := strings.Replace(hotlineScenario, "targets: {response: 1h, resolution: 4h}", "targets: {response: 1h}", 1)
	src = src[:strings.Index(src, "contract:")]
	sc, err := scenarios.Parse("hotline.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := runScenario(t, sc)
	if len(r.Periods) == 0 || len(r.Dates) == 0 {
		t.Fatal("no figures by period and date")
	}
	var text, page, js bytes.Buffer
	for _, write := range []func() error{func() error { return r.WriteText(&text) }, func() error { return r.WriteHTML(&page) }, func() error { return r.WriteJSON(&js) }} {
		if err := write(); err != nil {
			t.Fatal(err)
		}
	}
	byMonth := text.String()[strings.Index(text.String(), "Attainment by month"):]
	if strings.Contains(byMonth, "resolution") || strings.Contains(byMonth, noTarget) || !strings.HasSuffix(byMonth, "  no\n") {
		t.Errorf("the text by month:\n%s", byMonth)
	}
	periods := page.String()[strings.Index(page.String(), `<table class="periods"`):]
	periods = periods[:strings.Index(periods, "</table>")]
	dates := page.String()[strings.Index(page.String(), `<table class="dates"`):]
	dates = dates[:strings.Index(dates, "</table>")]
	for _, table := range []string{periods, dates} {
		if strings.Contains(table, "resolution") || strings.Contains(table, noTarget) {
			t.Errorf("the page's table has a resolution column:\n%s", table)
		}
	}
	if !strings.Contains(dates, `<th colspan="2">hotline</th>`) || strings.Count(dates, "<td") != len(r.Dates)*(1+2*len(r.Tiers)) {
		t.Errorf("the page's dates: a date, then the tickets and response of each tier:\n%s", dates)
	}
	var doc struct {
		Periods, Dates []struct{ Tiers []map[string]json.RawMessage }
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range append(doc.Periods, doc.Dates...) {
		for _, tier := range p.Tiers {
			if _, ok := tier["resolution"]; ok {
				t.Fatalf("the JSON has a resolution by period or date: %s", tier["resolution"])
			}
		}
	}
}
