package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The calculator on published examples: the classic half-hour (100 calls
// of 180 s, 80% within 20 s: 14 agents, 88.8%, ASA 7.8 s, as CRAN's
// ErlangC and the queueing package's example give), Erlang A with two
// minutes' patience (12 agents), and the erlang-c example scenario's 10
// agents (75.40% within the hour).
func TestErlangCommand(t *testing.T) {
	type row struct {
		Agents       int      `json:"agents"`
		Scheduled    int      `json:"scheduled"`
		ServiceLevel float64  `json:"service_level"`
		ASA          *float64 `json:"asa_s"`
		ProbWait     float64  `json:"prob_wait"`
		Occupancy    float64  `json:"occupancy"`
		Abandoned    float64  `json:"abandoned"`
	}
	var doc struct {
		Schema   string  `json:"schema"`
		Formula  string  `json:"formula"`
		Load     float64 `json:"offered_load_erlangs"`
		Rows     []row   `json:"rows"`
		Required *row    `json:"required"`
	}
	for _, c := range []struct {
		args    []string
		formula string
		want    row // of Required, or of the last row without a goal
	}{
		{[]string{"--calls", "100", "--interval", "30m", "--aht", "3m", "--target", "20s", "--service-level", "80%", "--shrinkage", "30%", "--max-occupancy", "85%"},
			"Erlang C", row{Agents: 14, Scheduled: 20, ServiceLevel: 0.888, ProbWait: 0.174, Occupancy: 0.714}},
		{[]string{"--calls", "100", "--interval", "30m", "--aht", "180s", "--target", "20s", "--service-level", "0.8", "--shrinkage", "30%", "--patience", "2m"},
			"Erlang A", row{Agents: 12, Scheduled: 18, ServiceLevel: 0.826, ProbWait: 0.280, Occupancy: 0.782, Abandoned: 0.062}},
		{[]string{"--calls", "9", "--aht", "1h", "--target", "1h", "--agents", "9..10"},
			"Erlang C", row{Agents: 10, Scheduled: 10, ServiceLevel: 0.754, ProbWait: 0.669, Occupancy: 0.9}},
	} {
		args := append([]string{"erlang", "--json"}, c.args...)
		code, out, errs := slasim(t, context.Background(), args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		doc.Required = nil
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		got := doc.Required
		if got == nil {
			got = &doc.Rows[len(doc.Rows)-1]
		}
		near := func(a, b float64) bool { return math.Abs(a-b) <= 0.0005 }
		if doc.Schema != "slasim.erlang/v1" || doc.Formula != c.formula || got.Agents != c.want.Agents || got.Scheduled != c.want.Scheduled ||
			!near(got.ServiceLevel, c.want.ServiceLevel) || !near(got.ProbWait, c.want.ProbWait) || !near(got.Occupancy, c.want.Occupancy) || !near(got.Abandoned, c.want.Abandoned) {
			t.Errorf("%v: %s, got %+v, want %+v", args, doc.Formula, *got, c.want)
		}
	}
	// The text marks the row meeting the goal; an unstable row says so.
	code, out, _ := slasim(t, context.Background(), "erlang", "--calls", "9", "--aht", "1h", "--target", "1h", "--agents", "9..11", "--service-level", "90%")
	if code != exitOK || !strings.Contains(out, "* 11") || !strings.Contains(out, "unstable") || !strings.Contains(out, "11 agents (11 scheduled) answer 94.2% within 1h (goal 90%)") {
		t.Errorf("text output:\n%s", out)
	}
	// With every row stable the legend does not explain a word the table lacks.
	code, out, _ = slasim(t, context.Background(), "erlang", "--calls", "9", "--aht", "1h", "--target", "1h", "--agents", "11..12")
	if code != exitOK || strings.Contains(out, "unstable") {
		t.Errorf("stable rows' text output:\n%s", out)
	}
}

func TestErlangUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--aht", "3m", "--target", "20s", "--agents", "3"}, "--calls is missing"},
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s"}, "give --service-level"},
		{[]string{"--calls", "-1", "--aht", "3m", "--target", "20s", "--agents", "3"}, "calls -1"},
		{[]string{"--calls", "10", "--aht", "0", "--target", "20s", "--agents", "3"}, "--aht must be a duration"},
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s", "--agents", "5..3"}, "--agents must be"},
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s", "--agents", "1..5000"}, "at most 1000"},
		// 10^12 agents once ran for ever, deaf to SIGTERM.
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s", "--agents", "1000000000000"}, "--agents 1000000000000: at most 1000000 agents"},
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s", "--agents", "999001..1000000"}, "--agents 999001..1000000 asks for 1000 rows of up to 1000000 agents, at most 10000000 agents over all rows"},
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s", "--service-level", "100%"}, "--service-level must be"},
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s", "--agents", "3", "--shrinkage", "100%"}, "shrinkage"},
		{[]string{"--calls", "1e12", "--aht", "3m", "--target", "20s", "--agents", "3"}, "offered load"},
		{[]string{"--calls", "10", "--aht", "3m", "--target", "20s", "--agents", "3", "--max-occupancy", "0"}, "--max-occupancy must be above 0"},
	} {
		code, _, errs := slasim(t, context.Background(), append([]string{"erlang"}, c.args...)...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// TestErlangLongWaits: a queue a hair's breadth from unstable has a mean
// wait past what a time.Duration holds: 100 calls less 10⁻⁹ of 180 s in
// half an hour on 10 agents wait 1.8·10¹² s on average, printed as
// -15250w1d; now in weeks. Exactly 100 calls are unstable.
func TestErlangLongWaits(t *testing.T) {
	code, out, errs := slasim(t, context.Background(), "erlang", "--calls", "99.999999999", "--interval", "30m", "--aht", "3m", "--target", "20s", "--agents", "10")
	if code != exitOK || !strings.Contains(out, " 2.98e+06w ") || strings.Contains(out, "-1") {
		t.Errorf("exit %d, %s\n%s", code, errs, out)
	}
	code, out, errs = slasim(t, context.Background(), "erlang", "--calls", "100", "--interval", "30m", "--aht", "3m", "--target", "20s", "--agents", "10")
	if code != exitOK || !strings.Contains(out, " unstable ") {
		t.Errorf("exit %d, %s\n%s", code, errs, out)
	}
}

// A run of a model with a closed form shows Erlang C beside the simulated
// figures, in the text, the JSON and the HTML report; other models do not.
func TestRunShowsErlangC(t *testing.T) {
	report := t.TempDir() + "/r.html"
	code, out, errs := slasim(t, context.Background(), "run", "erlang-c", "-r", "3", "--horizon", "2w", "--report", report)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Erlang C, exact for this model", "response within 1h    75.4%", "resolution within 4h  93.3%", "P(wait)               66.9%", "ASA (mean wait)       40m07s"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	html, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "Erlang C beside the simulation") || !strings.Contains(string(html), "75.4%") {
		t.Errorf("HTML report lacks the Erlang C section")
	}
	_, out, _ = slasim(t, context.Background(), "run", "erlang-c", "-r", "3", "--horizon", "2w", "--json")
	var doc struct {
		Analytic *struct {
			Formula  string   `json:"formula"`
			Response float64  `json:"response"`
			Agents   *int     `json:"agents_for_response"`
			Sim      *float64 `json:"simulated_prob_wait"`
		} `json:"analytic"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if a := doc.Analytic; a == nil || a.Formula != "Erlang C" || math.Abs(a.Response-0.7540) > 5e-5 || a.Agents == nil || *a.Agents != 12 || a.Sim == nil {
		t.Errorf("JSON analytic: %+v", doc.Analytic)
	}
	_, out, _ = slasim(t, context.Background(), "run", "default", "-r", "2", "--horizon", "1w")
	if strings.Contains(out, "Erlang C") {
		t.Errorf("the default scenario has no closed form, yet the text shows Erlang C")
	}
}

// Where tickets leave unanswered, the run shows Erlang A (callers who hang
// up after an exponential patience), Erlang B (no room to wait) or M/M/c/K
// beside its figures, in the text, the JSON and the HTML report, with the
// share that leaves; a patience of another distribution has none.
func TestRunShowsErlangAAndB(t *testing.T) {
	example, err := os.ReadFile("../../scenarios/examples/erlang-c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range []struct{ field, formula, heading, leaving, key string }{
		{"patience: {mean: 30m}", "Erlang A", "exponential patience of mean 30m", "hung up                                  10.5%", "prob_abandon"},
		{"queue_capacity: 0", "Erlang B", "no room to wait", "turned away                              16.8%", "prob_blocked"},
		{"queue_capacity: 4", "M/M/c/K", "room for 4 to wait", "turned away                              7.3%", "prob_blocked"},
		{"patience: {distribution: lognormal, mean: 30m, cv: 1}", "", "", "", ""},
	} {
		const handling = "    handling: {distribution: exponential, mean: 1h}\n"
		file := filepath.Join(dir, "x.yaml")
		if err := os.WriteFile(file, []byte(strings.Replace(string(example), handling, handling+"    "+c.field+"\n", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		report := filepath.Join(dir, "r.html")
		code, out, errs := slasim(t, context.Background(), "run", file, "-r", "3", "--horizon", "2w", "--report", report)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", c.field, code, errs)
		}
		html, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		_, js, _ := slasim(t, context.Background(), "run", file, "-r", "3", "--horizon", "2w", "--json")
		if c.formula == "" {
			if strings.Contains(out, "exact for this model") || strings.Contains(js, `"analytic"`) || strings.Contains(string(html), "beside the simulation") {
				t.Errorf("%s: a closed form is shown", c.field)
			}
			continue
		}
		for _, want := range []string{c.formula + ", exact for this model", c.heading, "of all tickets", c.leaving} {
			if !strings.Contains(words(out), words(want)) {
				t.Errorf("%s: the text lacks %q:\n%s", c.field, want, out)
			}
		}
		if !strings.Contains(string(html), c.formula+" beside the simulation") || !strings.Contains(string(html), c.heading) {
			t.Errorf("%s: the HTML report lacks the %s section", c.field, c.formula)
		}
		var doc struct {
			Analytic map[string]any `json:"analytic"`
		}
		if err := json.Unmarshal([]byte(js), &doc); err != nil {
			t.Fatal(err)
		}
		if a := doc.Analytic; a == nil || a["formula"] != c.formula || a[c.key] == nil || a["agents_for_resolution"] != nil {
			t.Errorf("%s: JSON analytic %v", c.field, a)
		}
	}
}
