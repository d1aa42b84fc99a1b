package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"math"
	"strings"
	"testing"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// contractReport runs the embedded contract example with few replications
// and settings applied, its contract collected as slasim run does.
func contractReport(t *testing.T, settings ...scenarios.Setting) *Report {
	t.Helper()
	return exampleReport(t, "contract", settings...)
}

// exampleReport runs an embedded example with few replications and
// settings applied, its contract, if it has one, collected as slasim run
// does.
func exampleReport(t *testing.T, example string, settings ...scenarios.Setting) *Report {
	t.Helper()
	data, ok := scenarios.Source(example)
	if !ok {
		t.Fatal("no example", example)
	}
	settings = append([]scenarios.Setting{{Path: "simulation.replications", Value: "4"}}, settings...)
	sc, err := scenarios.Vary("", data, settings...)
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model()
	opts := sc.Options()
	plan, err := sc.ContractPlan(m)
	if err != nil || plan == nil && example == "contract" {
		t.Fatalf("contract plan %v, %v", plan, err)
	}
	if plan != nil {
		opts.Collector = plan.NewCollector
	}
	res, err := sim.Run(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: sc.Name, Description: sc.Description, File: example, Model: m, Level: 0.95})
	if plan != nil && r.Contract == nil && r.Unstable == nil {
		t.Fatal("no contract in the report")
	}
	return r
}

func figureNamed(figs []*Figure, name string) *Figure {
	for _, f := range figs {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func TestCreditsFigure(t *testing.T) {
	r := contractReport(t)
	figs, err := r.Figures()
	if err != nil {
		t.Fatal(err)
	}
	f := figureNamed(figs, creditsFigureName)
	if f == nil {
		t.Fatalf("no %s among %d figures", creditsFigureName, len(figs))
	}
	checkFigure(t, f)
	var b bytes.Buffer
	if err := f.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	c := r.Contract
	for _, want := range []string{
		"(CNY)", "share of months (%)",
		"mean " + format.Money(c.Cost.Mean.Mean), "p95 " + format.Money(c.Cost.P95), "p99 " + format.Money(c.Cost.P99),
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	for _, want := range []string{"over all 48 months of 4 replications", "95th and 99th percentiles", "in CNY"} {
		if !strings.Contains(f.Caption, want) {
			t.Errorf("the caption lacks %q: %s", want, f.Caption)
		}
	}

	// The bars are the periods' costs as the results hold them.
	hist := moneyHistogram(c.results.Cost.Cents.Bins(), c.results.Cost.Cents.Count())
	total := 0.0
	for _, bin := range hist.bins {
		total += bin.Weight
	}
	if math.Abs(total-100) > 1e-9 || len(hist.bins) < 20 || len(hist.bins) > creditsBars+1 {
		t.Errorf("%d bars weighing %v%%", len(hist.bins), total)
	}
	if hist.max != c.results.Cost.Quantile(1) || hist.top < hist.max {
		t.Errorf("the bars reach %v, the costliest month is %v", hist.top, c.results.Cost.Quantile(1))
	}

	// Without a contract there is no histogram.
	figs, err = testReport(t).Figures()
	if err != nil {
		t.Fatal(err)
	}
	if figureNamed(figs, creditsFigureName) != nil {
		t.Error("a run without a contract has a credits figure")
	}
}

func TestMoneyHistogram(t *testing.T) {
	// Exact amounts: 0 twice, 12.34 and 99.99, and 250.00.
	h := moneyHistogram([]contract.CentsBin{{Lo: 0, Hi: 0, Count: 2}, {Lo: 1234, Hi: 1234, Count: 1}, {Lo: 9999, Hi: 9999, Count: 1}, {Lo: 25000, Hi: 25000, Count: 1}}, 5)
	if h.width != 5 || h.top != 255 || h.max != 250 || h.zero != 2 {
		t.Errorf("width %v, top %v, max %v, zero %d", h.width, h.top, h.max, h.zero)
	}
	want := map[int]float64{0: 40, 2: 20, 19: 20, 50: 20}
	for i, b := range h.bins {
		if b.Weight != want[i] {
			t.Errorf("bar %d [%v, %v) weighs %v%%, want %v%%", i, b.Min, b.Max, b.Weight, want[i])
		}
	}
	// Every period cost nothing: one bar.
	h = moneyHistogram([]contract.CentsBin{{Lo: 0, Hi: 0, Count: 7}}, 7)
	if len(h.bins) != 1 || h.bins[0].Weight != 100 || h.zero != 7 {
		t.Errorf("all zero: %+v", h)
	}
	for x, want := range map[float64]float64{0.001: 0.01, 1.9: 2, 2.1: 2.5, 2.6: 5, 2260: 2500, 7000: 10000, 100: 100} {
		if got := niceWidth(x); math.Abs(got-want) > 1e-9*want {
			t.Errorf("niceWidth(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestContractHTML(t *testing.T) {
	r := contractReport(t)
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	checkXML(t, "report.html", page)
	start, end := strings.Index(page, `<section id="contract">`), strings.Index(page, `<section id="figures">`)
	if start < 0 || end < start {
		t.Fatal("no Contract section before the figures")
	}
	section := html.UnescapeString(page[start:end])
	for _, want := range []string{
		"<h2>Contract</h2>", "300,000 CNY a month", "12 months, from the first full month",
		"Per breach: each ticket that misses either of its targets", "urgent 200%, high 50%; nothing for routine",
		"Lateness: each ticket is credited, for each started 30m beyond its resolution target",
		"Outage: ", "urgent 1.5–2, high 0.8–1.2, routine 0.2–0.5",
		"Attainment: ", "for each started 1 percentage point below the level: routine 1% (at most 10%)",
		"Escalation ladder: a breach is a month in which any tier misses a level", "3. the client may terminate",
		"Cap: a month's credits", "at most 30% of its revenue", "Reserve: a continuity fund of 3%",
		"<h3>Cost per month</h3>", "credits after the 30% cap, plus the ladder's costs", "by rule", "by tier", "attainment shortfall",
		moneyCI(r.Contract.Cost.Mean)[:strings.Index(moneyCI(r.Contract.Cost.Mean), " ")],
		"<h3>Months meeting their levels</h3>", "P(a month meets it)", "of 48",
		"<dt>Termination</dt>", "the right to terminate within the 12-month term (",
		"<dt>Reserve</dt>", "exceeds the fund of 3% of its revenue",
		`<figure id="figure-credits-per-period">`, "<svg",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("the Contract section lacks %q", want)
		}
	}
	// The histogram is in the Contract section and only there.
	if n := strings.Count(page, `id="figure-credits-per-period"`); n != 1 {
		t.Errorf("the credits figure appears %d times", n)
	}
	figs, _ := r.Figures()
	if n := strings.Count(page, "<svg"); n != len(figs) {
		t.Errorf("%d inline plots, %d figures", n, len(figs))
	}
	for _, ref := range []string{"http://", "https://", "src=", "href=", "<link", "<script", "<img", "<iframe", "@import", "url("} {
		if strings.Contains(page, ref) {
			t.Errorf("the page refers outside itself: it contains %q", ref)
		}
	}

	// No contract, no section.
	b.Reset()
	if err := testReport(t).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `id="contract"`) {
		t.Error("a run without a contract has a Contract section")
	}
}

// TestContractHTMLShortWindow: a window without a full month has a
// Contract section that says so, and no histogram.
func TestContractHTMLShortWindow(t *testing.T) {
	r := contractReport(t, scenarios.Setting{Path: "simulation.horizon", Value: "3w"})
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	checkXML(t, "report.html", page)
	for _, want := range []string{`<section id="contract">`, "holds no full calendar month to apply it to", "lengthen the horizon"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "figure-credits-per-period") || strings.Contains(page, "<h3>Cost per month</h3>") {
		t.Error("a window without a full month has contract figures")
	}
}

// contractSweep runs the contract example at each head count.
func contractSweep(t *testing.T, agents ...string) *Sweep {
	t.Helper()
	var points []Point
	for _, a := range agents {
		points = append(points, Point{Values: []string{a}, Report: contractReport(t, scenarios.Setting{Path: "agents", Value: a})})
	}
	return NewSweep(SweepMeta{Version: "test", Scenario: "contract", File: "contract", Level: 0.95, Axes: []sweep.Axis{testAxis(t, "agents", agents...)}, Planned: len(points)}, points)
}

func TestSweepCost(t *testing.T) {
	sw := contractSweep(t, "6", "10", "11")
	var text, table bytes.Buffer
	if err := sw.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := sw.WriteCSV(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cost/month (CNY)", "P(termination)", format.Money(sw.Points[1].Report.Contract.Cost.Mean.Mean),
		moneyInterval(sw.Points[2].Report.Contract.Cost.Mean), "cost/month: the mean over replications", "within the 12-month term"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the sweep's text lacks %q:\n%s", want, text.String())
		}
	}
	// Every row of the table has the same columns, the unstable point's
	// included.
	rows, err := csv.NewReader(&table).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(rows[0], ",")
	if !strings.Contains(head, "utilisation_hi,cost_per_period,cost_per_period_lo,cost_per_period_hi,termination,termination_lo,termination_hi,tier,") {
		t.Errorf("sweep.csv head: %s", head)
	}
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	cost, term, status := col("cost_per_period"), col("termination"), col("status")
	for _, row := range rows[1:] {
		switch row[0] {
		case "6":
			if row[status] != "unstable" || row[cost] != "" || row[term] != "" {
				t.Errorf("unstable point: %v", row)
			}
		case "11":
			if row[cost] != num(sw.Points[2].Report.Contract.Cost.Mean.Mean) || row[term] != num(sw.Points[2].Report.Contract.Escalation.Termination.P) {
				t.Errorf("point 11: %v", row)
			}
		}
	}

	figs, err := sw.Figures()
	if err != nil {
		t.Fatal(err)
	}
	f := figureNamed(figs, "sweep-cost")
	if f == nil {
		t.Fatalf("no sweep-cost figure among %d", len(figs))
	}
	checkFigure(t, f)
	if !strings.Contains(f.Caption, "grows without bound") || !strings.Contains(f.Caption, "in CNY") {
		t.Errorf("caption: %s", f.Caption)
	}

	var page bytes.Buffer
	if err := sw.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	checkXML(t, "sweep.html", page.String())
	for _, want := range []string{"cost per month (CNY)", "P(termination)", "figure-sweep-cost"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the sweep page lacks %q", want)
		}
	}
}

func TestSweepWithoutContractHasNoCost(t *testing.T) {
	sw := testSweep(t, []string{"2", "3"})
	var text, table, page bytes.Buffer
	if err := sw.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := sw.WriteCSV(&table); err != nil {
		t.Fatal(err)
	}
	if err := sw.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"text": text.String(), "CSV": table.String(), "HTML": page.String()} {
		for _, bad := range []string{"cost", "termination"} {
			if strings.Contains(s, bad) {
				t.Errorf("the %s of a sweep without a contract mentions %q", name, bad)
			}
		}
	}
	figs, err := sw.Figures()
	if err != nil {
		t.Fatal(err)
	}
	if figureNamed(figs, "sweep-cost") != nil {
		t.Error("a sweep without a contract has a cost figure")
	}
}

// TestOneMonthContract: a window holding one month of a one-month term
// says "1 month", not "1 months", in the text and the page.
func TestOneMonthContract(t *testing.T) {
	r := contractReport(t, scenarios.Setting{Path: "simulation.horizon", Value: "5w"}, scenarios.Setting{Path: "contract.term", Value: "1"})
	if len(r.Contract.Periods) != 1 || r.Contract.Term != 1 {
		t.Fatalf("%d months measured of a %d-month term: the case tests nothing", len(r.Contract.Periods), r.Contract.Term)
	}
	var text, page strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{text.String(), page.String()} {
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "1 months") {
				t.Errorf("%s", line)
			}
		}
	}
}
