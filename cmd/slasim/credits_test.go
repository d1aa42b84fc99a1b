package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestContractPlotsAndReport: a run of the contract example writes the
// histogram of its credits as PNG and SVG, and its HTML page has the
// Contract section with the histogram inline and nothing fetched.
func TestContractPlotsAndReport(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	code, _, errs := slasim(t, context.Background(), "run", "contract", "--replications", "3", "--plots", dir, "--report", page)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "credits-per-period.png"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("credits-per-period.png: %v", err)
	}
	if b, err = os.ReadFile(filepath.Join(dir, "credits-per-period.svg")); err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(b); err != nil {
		t.Errorf("credits-per-period.svg: %v", err)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(data); err != nil {
		t.Errorf("report.html is not well-formed: %v", err)
	}
	ids := elementIDs(t, data)
	for _, id := range []string{"summary", "results", "contract", "figure-credits-per-period", "figures"} {
		if !slices.Contains(ids, id) {
			t.Errorf("no element with id %q (ids: %v)", id, ids)
		}
	}
	s := string(data)
	if i, j := strings.Index(s, `id="figure-credits-per-period"`), strings.Index(s, `<section id="figures">`); i > j {
		t.Error("the credits histogram is not in the Contract section")
	}
	for _, ref := range []string{"http://", "https://", "src=", "href=", "<link", "<script", "<img", "<iframe", "@import", "url("} {
		if strings.Contains(s, ref) {
			t.Errorf("the page refers outside itself: it contains %q", ref)
		}
	}
}

// TestSweepCostColumns: a sweep of a scenario with a contract has the cost
// per month and the probability of termination in its table and CSV, and
// a cost plot; one without has none of them (the golden files hold its
// table and CSV exactly).
func TestSweepCostColumns(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := slasim(t, context.Background(), "sweep", "contract", "--vary", "agents=10,11", "--replications", "2", "--csv", dir, "--plots", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"cost/month (CNY)", "P(termination)", "cost/month: the mean over replications"} {
		if !strings.Contains(out, want) {
			t.Errorf("the sweep table lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if head, _, _ := strings.Cut(string(b), "\n"); !strings.Contains(head, ",cost_per_period,cost_per_period_lo,cost_per_period_hi,termination,termination_lo,termination_hi,") {
		t.Errorf("sweep.csv head: %s", head)
	}
	if _, err := os.Stat(filepath.Join(dir, "sweep-cost.png")); err != nil {
		t.Errorf("no cost plot: %v", err)
	}

	dir = t.TempDir()
	code, out, errs = slasim(t, context.Background(), "sweep", "testdata/small.yaml", "--vary", "agents=2,3", "--csv", dir, "--plots", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "sweep.csv"))
	if strings.Contains(out, "cost") || strings.Contains(string(b), "cost") {
		t.Error("a sweep without a contract has cost columns")
	}
	if _, err := os.Stat(filepath.Join(dir, "sweep-cost.png")); err == nil {
		t.Error("a sweep without a contract has a cost plot")
	}
}
