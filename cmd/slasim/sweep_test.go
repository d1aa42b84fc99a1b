package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestSweepUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no vary", []string{"sweep", "testdata/small.yaml"}, "one or two --vary"},
		{"three", []string{"sweep", "testdata/small.yaml", "--vary", "agents=2", "--vary", "arrivals.scale=1", "--vary", "simulation.seed=1"}, "one or two --vary"},
		{"twice the same", []string{"sweep", "testdata/small.yaml", "--vary", "agents=2", "--vary", "agents=3"}, "agents is already varied"},
		{"invalid value", []string{"sweep", "testdata/small.yaml", "--vary", "agents=0,2"}, "--vary agents=0: agents: must be >= 1, got 0"},
		{"second setting", []string{"sweep", "testdata/small.yaml", "--vary", "agents=3", "--vary", "tiers[0].share=50%"}, "--vary agents=3, tiers[0].share=50%: tiers: shares must sum to 100%"},
		{"unknown field", []string{"sweep", "testdata/small.yaml", "--vary", "arrivals.scal=1.1"}, "arrivals.scal: unknown field; did you mean scale?"},
		{"no such tier", []string{"sweep", "testdata/small.yaml", "--vary", "tiers[5].share=1"}, "tiers[5]: no such item; tiers has 2"},
		{"bad range", []string{"sweep", "testdata/small.yaml", "--vary", "agents=3..1"}, "goes down"},
		{"bad flag", []string{"sweep", "testdata/small.yaml", "--vary", "agents=3", "--replications", "0"}, "--replications must be from 1 to"},
		{"missing scenario", []string{"sweep", "nope.yaml", "--vary", "agents=3"}, "nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := slasim(t, context.Background(), tt.args...)
			if code != exitUsage || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, exitUsage, tt.stderr)
			}
		})
	}
}

func TestSweepUnstablePoints(t *testing.T) {
	// One agent cannot carry 1.58 Erlangs: that point is unstable, the
	// others are not, and the sweep as a whole succeeds.
	code, out, errs := slasim(t, context.Background(), "sweep", "testdata/small.yaml", "--vary", "agents=1..3")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "1       1.58          unstable") || !strings.Contains(out, "agents=1: offered load 1.58 Erlangs") {
		t.Errorf("the unstable point is not shown as such:\n%s", out)
	}
	code, _, errs = slasim(t, context.Background(), "sweep", "testdata/small.yaml", "--vary", "agents=1")
	if code != exitFailed || !strings.Contains(errs, "every point is unstable") {
		t.Errorf("all unstable: exit %d, stderr %s", code, errs)
	}
}

func TestSweepInterrupted(t *testing.T) {
	code, out, errs := interrupted(t, "sweep", "testdata/small.yaml", "--vary", "agents=2..4", "-r", "1000")
	if code != 130 || !strings.Contains(out, "PARTIAL") || !strings.Contains(errs, "interrupted: 1 of 3 points") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

// readCSV runs slasim with --csv into a temporary directory and returns the
// rows of the named file, each as a map from column to cell.
func readCSV(t *testing.T, name string, args ...string) []map[string]string {
	t.Helper()
	dir := t.TempDir()
	code, _, errs := slasim(t, context.Background(), append(args, "--csv", dir)...)
	if code != exitOK {
		t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]map[string]string, len(records)-1)
	for i, rec := range records[1:] {
		rows[i] = make(map[string]string)
		for j, col := range records[0] {
			rows[i][col] = rec[j]
		}
	}
	return rows
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestSweepCommonRandomNumbers shows that a sweep's neighbouring points
// differ by far less noise than independent runs would.
//
// At each replication r the two points (8 and 9 agents in the default
// scenario's weekday on-site shift) give attainments A_r and B_r. Run independently, the points'
// replications share nothing, and the difference D_r = B_r - A_r has
// variance Var A + Var B: the ratio Var D / (Var A + Var B) is 1 give or
// take sampling error. A sweep runs every point with the same seed, so
// replication r of both points sees the same tickets with the same
// handling times; then Var D = Var A + Var B - 2 Cov(A, B), and the ratio
// falls to about 1 - ρ for equal variances, ρ the correlation between the
// points. The test takes the routine tier's response attainment, the
// target this scenario is sized by, over 200 replications, where a
// variance ratio has a sampling error of about ±0.1. It requires the ratio
// below 0.35 with common random numbers (measured: 0.24, so ρ ≈ 0.8) and
// above 0.7 for the same points run with different seeds (measured near
// 1), both far from their thresholds.
func TestSweepCommonRandomNumbers(t *testing.T) {
	const reps, shift = "200", "teams[0].shifts[0].agents"
	const column = "teams.0.shifts.0.agents" // as sweep.csv names it
	attainments := func(rows []map[string]string, point string) []float64 {
		var xs []float64
		for _, r := range rows {
			if r[column] == point && r["tier"] == "routine" && r["clock"] == "response" {
				xs = append(xs, number(t, r["attainment"]))
			}
		}
		return xs
	}
	crn := readCSV(t, "replications.csv", "sweep", "default", "--vary", shift+"=8,9", "--replications", reps)
	a, b := attainments(crn, "8"), attainments(crn, "9")
	// The same points, the second run with another seed.
	other := readCSV(t, "replications.csv", "sweep", "default", "--vary", shift+"=9", "--replications", reps, "--seed", "2")
	c := attainments(other, "9")
	if len(a) != 200 || len(b) != 200 || len(c) != 200 {
		t.Fatalf("replication rows: %d, %d, %d; want 200 each", len(a), len(b), len(c))
	}
	ratio := func(a, b []float64) float64 {
		d := make([]float64, len(a))
		for i := range a {
			d[i] = b[i] - a[i]
		}
		return variance(d) / (variance(a) + variance(b))
	}
	withCRN, independent := ratio(a, b), ratio(a, c)
	t.Logf("Var(difference) / (Var A + Var B): %.3f with common random numbers, %.3f independent", withCRN, independent)
	if withCRN >= 0.35 {
		t.Errorf("with common random numbers the variance ratio is %.3f, want < 0.35", withCRN)
	}
	if independent <= 0.7 {
		t.Errorf("independent runs give a variance ratio of %.3f, want > 0.7: the test cannot tell", independent)
	}
}

func variance(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs)-1)
}

// TestReplicationsAddUp checks replications.csv against tiers.csv: the
// tickets and breaches sum to the pooled counts, and the mean of the
// replications' attainments is the reported attainment.
func TestReplicationsAddUp(t *testing.T) {
	args := []string{"run", "testdata/small.yaml", "--replications", "7"}
	tiers := readCSV(t, "tiers.csv", args...)
	reps := readCSV(t, "replications.csv", args...)
	for _, tr := range tiers {
		var tickets, met, sum float64
		n := 0
		seen := map[string]bool{}
		for _, r := range reps {
			if r["tier"] != tr["tier"] || r["clock"] != tr["clock"] {
				continue
			}
			seen[r["replication"]] = true
			tickets += number(t, r["tickets"])
			met += number(t, r["met"])
			if r["attainment"] != "" {
				sum += number(t, r["attainment"])
				n++
			}
		}
		if len(seen) != 7 {
			t.Errorf("%s %s: %d replications, want 7", tr["tier"], tr["clock"], len(seen))
		}
		if tickets != number(t, tr["tickets"]) || tickets-met != number(t, tr["breached"]) {
			t.Errorf("%s %s: replications hold %v tickets, %v breached; tiers.csv %s, %s", tr["tier"], tr["clock"], tickets, tickets-met, tr["tickets"], tr["breached"])
		}
		if got, want := sum/float64(n), number(t, tr["attainment"]); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s %s: mean attainment of the replications %v, reported %v", tr["tier"], tr["clock"], got, want)
		}
	}
}

func TestPlotsDir(t *testing.T) {
	for _, args := range [][]string{
		{"run", "testdata/small.yaml"},
		{"sweep", "testdata/small.yaml", "--vary", "agents=2..4"},
		{"sweep", "testdata/small.yaml", "--vary", "agents=2,3", "--vary", "arrivals.scale=0.9,1"},
	} {
		dir := filepath.Join(t.TempDir(), "plots")
		code, _, errs := slasim(t, context.Background(), append(args, "--plots", dir)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) < 4 {
			t.Fatalf("%v: plots %v (%v)", args, entries, err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			switch filepath.Ext(e.Name()) {
			case ".png":
				if _, err := png.Decode(bytes.NewReader(data)); err != nil {
					t.Errorf("%s: %v", e.Name(), err)
				}
			case ".svg":
				if err := wellFormed(data); err != nil {
					t.Errorf("%s: %v", e.Name(), err)
				}
			default:
				t.Errorf("unexpected file %s", e.Name())
			}
		}
	}
}

// wellFormed checks data is well-formed XML.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestHTMLReport checks the HTML reports of a run and a sweep: well-formed
// (the page is XHTML-compatible, so encoding/xml parses it), every section
// and figure present with its plot inline, and nothing fetched from
// anywhere.
func TestHTMLReport(t *testing.T) {
	tests := []struct {
		args    []string
		figures []string
		content []string
		absent  []string
	}{
		{
			[]string{"run", "testdata/small.yaml"},
			[]string{"figure-response-times", "figure-resolution-times", "figure-response-attainment-by-hour", "figure-resolution-attainment-by-hour",
				"figure-response-attainment-by-hour-urgent", "figure-resolution-attainment-by-hour-urgent", "figure-response-attainment-by-hour-routine",
				"figure-utilisation-by-hour", "figure-waiting-by-hour"},
			[]string{"Golden-file scenario", "seed 42", "4 replications", "lognormal", "urgent", "90.1%", "[86.1%, 100.0%]", "offered load", "1.58 Erlangs"},
			nil,
		},
		{
			[]string{"sweep", "testdata/small.yaml", "--vary", "agents=1..4"},
			[]string{"figure-sweep-response", "figure-sweep-resolution"},
			[]string{"varying agents", "common random numbers", "unstable", "90.1%"},
			nil,
		},
		{ // named clocks: a table and a plot of their own
			[]string{"sweep", "fault-levels", "--vary", "arrivals.scale=1,1.2", "--horizon", "2w", "--replications", "4"},
			[]string{"figure-sweep-response", "figure-sweep-resolution", "figure-sweep-on-site", "figure-sweep-remote-fix", "figure-sweep-solution", "sweep-named"},
			[]string{"on site (1h)", "remote fix (2h)", "on site (4h)", "solution (4h)"},
			nil,
		},
		{ // no tier promises a resolution: no resolution column or plot
			[]string{"sweep", "testdata/hotline-only.yaml", "--vary", "agents=5,6"},
			[]string{"figure-sweep-response"},
			[]string{"response (30s)", "response (1m)"},
			[]string{"resolution"},
		},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "report.html")
		code, _, errs := slasim(t, context.Background(), append(tt.args, "--report", path)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tt.args, code, errs)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		page := string(data)
		if err := wellFormed(data); err != nil {
			t.Errorf("%v: not well-formed: %v", tt.args, err)
		}
		ids := elementIDs(t, data)
		for _, id := range append([]string{"summary", "scenario", "assumptions", "results", "figures", "reading"}, tt.figures...) {
			if !slices.Contains(ids, id) {
				t.Errorf("%v: no element with id %q (ids: %v)", tt.args, id, ids)
			}
		}
		if n, want := strings.Count(page, "<svg"), len(slices.DeleteFunc(slices.Clone(tt.figures), func(id string) bool { return !strings.HasPrefix(id, "figure-") })); n != want {
			t.Errorf("%v: %d inline SVG plots, want %d", tt.args, n, want)
		}
		for _, want := range tt.content {
			if !strings.Contains(page, want) {
				t.Errorf("%v: the page lacks %q", tt.args, want)
			}
		}
		_, results, _ := strings.Cut(page, `<section id="results">`)
		if results, _, ok := strings.Cut(results, `<section id="reading">`); ok { // the guide to reading names every clock
			for _, unwanted := range tt.absent {
				if strings.Contains(strings.ToLower(results), unwanted) {
					t.Errorf("%v: the results and figures mention %q", tt.args, unwanted)
				}
			}
		}
		for _, ref := range []string{"http://", "https://", "src=", "href=", "<link", "<script", "<img", "<iframe", "@import", "url("} {
			if strings.Contains(page, ref) {
				t.Errorf("%v: the page refers outside itself: it contains %q", tt.args, ref)
			}
		}
		if !strings.Contains(page, "@media print") {
			t.Errorf("%v: no print styles", tt.args)
		}
	}
}

// elementIDs lists the id attributes of the page's elements.
func elementIDs(t *testing.T, data []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var ids []string
	for {
		tok, err := d.Token()
		if err != nil {
			return ids
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "id" {
					ids = append(ids, a.Value)
				}
			}
		}
	}
}

// TestReportGoldens compares the sweep's text, JSON and CSV, and a run's
// CSV, with the files in testdata; go test -update rewrites them.
func TestReportGoldens(t *testing.T) {
	sweep := []string{"sweep", "testdata/small.yaml", "--vary", "agents=1..3"}
	tests := []struct {
		golden string
		args   []string
		file   string // a file written into a directory given last, or stdout
	}{
		{"small-sweep.txt", sweep, ""},
		{"answer-only-sweep.txt", []string{"sweep", "testdata/answer-only.yaml", "--vary", "agents=5..6"}, ""},
		{"hotline-only-sweep.txt", []string{"sweep", "testdata/hotline-only.yaml", "--vary", "agents=4..6"}, ""},
		{"hotline-only-promise.txt", hotlinePromise, ""},
		{"clocks-sweep.txt", []string{"sweep", "fault-levels", "--vary", "arrivals.scale=1,1.2", "--horizon", "2w", "--replications", "4"}, ""},
		{"small-sweep.json", append(sweep, "--json"), ""},
		{"small-sweep.csv", append(sweep, "--csv"), "sweep.csv"},
		{"small-sweep-replications.csv", append(sweep, "--csv"), "replications.csv"},
		{"small-tiers.csv", []string{"run", "testdata/small.yaml", "--csv"}, "tiers.csv"},
		{"small-replications.csv", []string{"run", "testdata/small.yaml", "--csv"}, "replications.csv"},
	}
	for _, tt := range tests {
		args := tt.args
		dir := t.TempDir()
		if tt.file != "" {
			args = append(slices.Clone(args), dir)
		}
		code, out, errs := slasim(t, context.Background(), args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if tt.file != "" {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			out = string(data)
		}
		golden(t, tt.golden, args, out)
	}
}

// A sweep's values come as numbers too, in their axis's unit, and its CSV
// columns are named so that R keeps them: read.csv makes
// teams.0..shifts.0..agents of teams[0].shifts[0].agents.
func TestSweepValuesForScripts(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := slasim(t, context.Background(), "sweep", "default", "-r", "2", "--horizon", "1w",
		"--vary", "teams[1].shifts[0].agents=2,3", "--vary", "tiers[0].targets.response=15m,1h", "--json", "--csv", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Units  []*string `json:"units"`
		Points []struct {
			Values []string   `json:"values"`
			X      []*float64 `json:"x"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Units) != 2 || doc.Units[0] == nil || *doc.Units[0] != "" || doc.Units[1] == nil || *doc.Units[1] != "minutes" {
		t.Fatalf("units %v", doc.Units)
	}
	last := doc.Points[3]
	if last.Values[0] != "3" || last.Values[1] != "1h" || *last.X[0] != 3 || *last.X[1] != 60 {
		t.Errorf("the last point: values %v, x %v %v", last.Values, *last.X[0], *last.X[1])
	}
	for _, name := range []string{"sweep.csv", "replications.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(string(b), ",replication")
		if !strings.HasPrefix(string(b), "teams.1.shifts.0.agents,tiers.0.targets.response,") {
			t.Errorf("%s begins %.80q", name, head)
		}
		// R keeps a name of letters, digits, dots and underscores that
		// starts with a letter.
		first, _, _ := strings.Cut(string(b), "\n")
		for _, col := range strings.Split(first, ",") {
			if !regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._]*$`).MatchString(col) {
				t.Errorf("%s: column %q is not a name R keeps", name, col)
			}
		}
	}
}
