package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/reports/format"
)

// TestReportsInBrowser opens the HTML reports of a run, a contract, a run
// with results by month and date, and a sweep with a contract and two
// settings varied in headless Chromium at 1280 × 900, the width of a
// laptop, and finds no table wider than its place: the verdict column of a
// run and the failing tier of a sweep were cut off. The tables by period
// and by date hold what the JSON result has. It keeps a screenshot of each.
func TestReportsInBrowser(t *testing.T) {
	ctx := browser(t)
	dir, shots := t.TempDir(), artifacts(t)
	start := time.Now()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"run", []string{"run", "default", "-r", "3", "--horizon", "1w"}},
		{"contract", []string{"run", "contract", "-r", "3", "--horizon", "9w"}},
		{"dates", []string{"run", "china-2024", "-r", "2", "--horizon", "9w", "--json"}},
		{"sweep", []string{"sweep", "contract", "-r", "3", "--horizon", "9w", "--vary", "agents=10..12", "--vary", "tiers[0].targets.response=15m,30m"}},
	} {
		page := filepath.Join(dir, c.name+".html")
		var out bytes.Buffer
		e := &env{ctx: context.Background(), stdout: &out, stderr: &out}
		if code := e.main(append(c.args, "--report", page)); code != exitOK {
			t.Fatalf("slasim %v: exit %d: %s", c.args, code, out.String())
		}
		do(t, ctx, "open the "+c.name+" report", chromedp.Navigate("file://"+page),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`))
		if c.name == "dates" {
			checkDates(t, ctx, out.Bytes())
		}
		// Each table sits in a box of the page's width, which would scroll
		// it sideways rather than let the window cut it.
		clipped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table")].filter(t =>
			t.parentElement.scrollWidth > t.parentElement.clientWidth || t.getBoundingClientRect().right > document.documentElement.clientWidth
		).map(t => t.tHead.innerText.replace(/\s+/g, " "))`))
		if err != nil {
			t.Fatal(err)
		}
		for _, head := range clipped {
			t.Errorf("%s report at 1280 px: the table headed %q is wider than its place", c.name, head)
		}
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)); len(w) != 2 || w[0] > w[1] {
			t.Errorf("%s report at 1280 px: the page is %v px wide, the window %v", c.name, w[0], w[1])
		}
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("table").length`))
		if err != nil || n < 2 {
			t.Errorf("%s report: %d tables (%v)", c.name, n, err)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, "report-"+c.name+".jpg"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("four reports in Chromium: %v; screenshots in %s", time.Since(start).Round(10*time.Millisecond), shots)
}

// checkDates finds in the page the run's results by month and by date, as
// its JSON result has them.
func checkDates(t *testing.T, ctx context.Context, result []byte) {
	t.Helper()
	var rep reports.Report
	if err := json.Unmarshal(result, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Periods) != 2 || len(rep.Dates) != 63 {
		t.Fatalf("9 weeks from 1 January 2024: %d months, %d dates; want 2 and 63", len(rep.Periods), len(rep.Dates))
	}
	var want []string
	for _, p := range rep.Periods {
		for j, tier := range p.Tiers {
			label := ""
			if j == 0 {
				label = p.Label + " "
			}
			want = append(want, fmt.Sprintf("%s%s %d %s %s %s %s %s %s", label, tier.Name, tier.Resolution.Tickets,
				format.Percent(tier.Response.Attainment.Mean), format.Interval(*tier.Response.Attainment.Lo, *tier.Response.Attainment.Hi), verdictWords[tier.Response.Verdict],
				format.Percent(tier.Resolution.Attainment.Mean), format.Interval(*tier.Resolution.Attainment.Lo, *tier.Resolution.Attainment.Hi), verdictWords[tier.Resolution.Verdict]))
		}
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#periods-month tbody tr")].map(r => r.innerText.replace(/\s+/g, " ").trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("the table by month reads\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	dates, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#dates tbody tr")].map(r => r.innerText.replace(/\s+/g, " ").trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if len(dates) != len(rep.Dates) {
		t.Fatalf("the table by date has %d rows, want %d", len(dates), len(rep.Dates))
	}
	// 1 January, a holiday: its tickets and shares met.
	d := rep.Dates[0]
	first := "Mon 2024-01-01"
	for _, tier := range d.Tiers {
		first += fmt.Sprintf(" %d %s %s", tier.Resolution.Tickets, share(tier.Response), share(*tier.Resolution))
	}
	if dates[0] != first {
		t.Errorf("the table by date begins %q, want %q", dates[0], first)
	}
}

var verdictWords = map[reports.Verdict]string{reports.Meets: "yes", reports.Fails: "no", reports.NotDetermined: "not determined"}

func share(c reports.DateClock) string {
	if c.Tickets == 0 {
		return format.Unknown
	}
	return format.Percent(float64(c.Met) / float64(c.Tickets))
}
