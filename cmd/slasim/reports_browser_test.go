package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReportsInBrowser opens the HTML reports of a run, a contract and a
// sweep with a contract and two settings varied in headless Chromium at
// 1280 × 900, the width of a laptop, and finds no table wider than its
// place: the verdict column of a run and the failing tier of a sweep were
// cut off. It keeps a screenshot of each.
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
		{"sweep", []string{"sweep", "contract", "-r", "3", "--horizon", "9w", "--vary", "agents=10..12", "--vary", "tiers[0].targets.response=15m,30m"}},
	} {
		page := filepath.Join(dir, c.name+".html")
		var out bytes.Buffer
		e := &env{ctx: context.Background(), stdout: &out, stderr: &out}
		if code := e.main(append(c.args, "--report", page)); code != exitOK {
			t.Fatalf("slasim %v: exit %d: %s", c.args, code, out.String())
		}
		do(t, ctx, "open the "+c.name+" report", chromedp.Navigate("file://"+page))
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
	t.Logf("three reports in Chromium: %v; screenshots in %s", time.Since(start).Round(10*time.Millisecond), shots)
}
