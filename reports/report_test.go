package reports

import (
	"context"
	stdcsv "encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

func TestVerdict(t *testing.T) {
	est := func(lo, hi float64) *Estimate { return &Estimate{Mean: (lo + hi) / 2, Lo: &lo, Hi: &hi} }
	tests := []struct {
		name string
		e    *Estimate
		want Verdict
	}{
		{"no replications", nil, NotDetermined},
		{"one replication", &Estimate{Mean: 1}, NotDetermined},
		{"all above", est(0.96, 0.99), Meets},
		{"lower bound on the level", est(0.95, 0.97), Meets},
		{"all below", est(0.90, 0.94), Fails},
		{"straddles", est(0.94, 0.96), NotDetermined},
	}
	for _, tt := range tests {
		if got := verdict(tt.e, 0.95); got != tt.want {
			t.Errorf("%s: verdict = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestWarmUpNote: the advice for a warm-up shorter than the transient
// the pilots found: a fixed one is to be lengthened (or made auto); an
// automatic one was cut by the limits, which only a shorter horizon or
// drain loosens. Pilots too short to find it say so, with no figure but
// the least warm-up, and the way to let them run longer.
func TestWarmUpNote(t *testing.T) {
	check := &WarmUpCheck{DetectedS: 190 * 3600, Found: true, Pilots: 8, SpanS: 400 * 3600}
	for _, c := range []struct {
		auto    bool
		warmUpS float64
		want    string
	}{
		{false, 86400, "longer than the 1d warm-up: the figures lean optimistic; set simulation.warm_up to 7d22h, or to auto."},
		{true, 7 * 86400, "longer than the 1w warm-up the limits leave (a year at most, 20 years with horizon and drain, a billion tickets with the horizon): the figures lean optimistic; shorten the horizon or the drain."},
		{true, 190 * 3600, ""},
		{false, 200 * 3600, ""},
	} {
		r := &Report{WarmUpAuto: c.auto, WarmUpS: c.warmUpS, WarmUpCheck: check}
		if got := r.warmUpNote(); !strings.HasSuffix(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("auto %v, warm-up %v s: %q, want it to end in %q", c.auto, c.warmUpS, got, c.want)
		}
	}
	// The least warm-up, five relaxation times, is a time scale the pilots
	// found no longer transient beyond: said so, and the figures only may
	// lean optimistic.
	least := &WarmUpCheck{DetectedS: 190 * 3600, Found: true, Pilots: 8, SpanS: 400 * 3600, LeastS: 190 * 3600}
	for _, c := range []struct {
		auto    bool
		warmUpS float64
		want    string
	}{
		{false, 86400, "the desk's queue takes about 7d22h to forget its empty start (five relaxation times at its mean staffing; the 8 pilot replications showed no longer transient), longer than the 1d warm-up: the figures may lean optimistic; set simulation.warm_up to 7d22h, or to auto."},
		{true, 7 * 86400, "the desk's queue takes about 7d22h to forget its empty start (five relaxation times at its mean staffing; the 8 pilot replications showed no longer transient), longer than the 1w warm-up the limits leave (a year at most, 20 years with horizon and drain, a billion tickets with the horizon): the figures may lean optimistic; shorten the horizon or the drain."},
		{true, 190 * 3600, ""},
	} {
		r := &Report{WarmUpAuto: c.auto, WarmUpS: c.warmUpS, WarmUpCheck: least}
		if got := r.warmUpNote(); got != c.want {
			t.Errorf("least, auto %v, warm-up %v s: %q, want %q", c.auto, c.warmUpS, got, c.want)
		}
	}
	// The figure to write is exact: 178 hours rounded to days read "about
	// 1w, longer than the 1w warm-up ... set simulation.warm_up to 1w".
	for _, c := range []struct {
		check *WarmUpCheck
		want  string
	}{
		{&WarmUpCheck{DetectedS: 178 * 3600, Found: true, Pilots: 8, SpanS: 712 * 3600, LeastS: 178 * 3600},
			"the desk's queue takes about 7d10h to forget its empty start (five relaxation times at its mean staffing; the 8 pilot replications showed no longer transient), longer than the 1w warm-up: the figures may lean optimistic; set simulation.warm_up to 7d10h, or to auto."},
		{&WarmUpCheck{DetectedS: 178 * 3600, Found: true, Pilots: 8, SpanS: 712 * 3600, LeastS: 100 * 3600},
			"the start-up transient lasts about 7d10h (found in 8 pilot replications), longer than the 1w warm-up: the figures lean optimistic; set simulation.warm_up to 7d10h, or to auto."},
	} {
		r := &Report{WarmUpS: 168 * 3600, WarmUpCheck: c.check}
		if got := r.warmUpNote(); got != c.want {
			t.Errorf("%+v: %q, want %q", *c.check, got, c.want)
		}
	}
	// Pilots too short to show the transient's end: what they stopped at
	// is no figure to write as the warm-up (a desk loaded past its agents,
	// whose callers hang up, relaxes in "9915w5d"), fixed warm-up or not.
	for _, c := range []struct {
		auto                   bool
		warmUpS, spanS, leastS float64
		want                   string
	}{
		// A fixed warm-up's pilots run it and the horizon: auto's run a
		// year longer. The advice was a longer horizon.
		{false, 86400, 691200, 0, "may last longer than the 1w1d the 8 pilot replications ran, so the 1d warm-up may be short and the figures lean optimistic; set simulation.warm_up to auto, whose pilots may run up to a year beside the horizon."},
		// M/M/100 at 0.95 over a day after an hour: the queue's time
		// scale is known, though the pilots could not run it.
		{false, 3600, 90000, 280800, "may last longer than the 1d1h the 8 pilot replications ran (five relaxation times of the desk's queue at its mean staffing are 3d6h), so the 1h warm-up may be short and the figures lean optimistic; set simulation.warm_up to auto, whose pilots may run up to a year beside the horizon."},
		{true, 52 * 604800, 56 * 604800, 0, "may last longer than the 56w the 8 pilot replications ran, so the 52w warm-up may be short and the figures lean optimistic; a longer horizon lets the pilots run longer."},
		// A horizon and drain of 1008 weeks leave 32 of warm-up: the
		// pilots ran the 20 years less the drain, and a longer horizon
		// would take as much from the warm-up. The advice was a longer
		// horizon.
		{true, 32 * 604800, 1032 * 604800, 0, "may last longer than the 1032w the 8 pilot replications ran, so the 32w warm-up may be short and the figures lean optimistic; the limits (20 years with horizon and drain, a billion tickets with the horizon) let them run no longer, and a shorter horizon or drain leaves a longer warm-up, up to a year."},
	} {
		lost := &WarmUpCheck{DetectedS: 5997002400, Found: false, Pilots: 8, SpanS: c.spanS, LeastS: c.leastS}
		r := &Report{WarmUpAuto: c.auto, WarmUpS: c.warmUpS, WarmUpCheck: lost}
		if got := r.warmUpNote(); !strings.HasSuffix(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("auto %v, warm-up %v s: %q, want it to end in %q", c.auto, c.warmUpS, got, c.want)
		}
	}
	// Nor is the warm-up auto then detected: it is all the model allows
	// (it read "a 1w1d warm-up (detected)"), in a run and in a sweep.
	r := &Report{WarmUpAuto: true, WarmUpS: 691200, WarmUpCheck: &WarmUpCheck{DetectedS: 5997002400, Pilots: 8, SpanS: 691200}}
	sw := &Sweep{Points: []Point{{Report: r}, {Report: r}}}
	for _, got := range []string{r.warmUpText(), sw.warmUpText()} {
		if want := "a 1w1d warm-up (the most allowed: the pilot replications found no end to the transient)"; got != want {
			t.Errorf("not found: %q, want %q", got, want)
		}
	}
}

// TestWarmUpWithoutTickets: a desk that gets a ticket every thousand days
// has none in its pilots, and nothing to warm up. It read "measured after
// a 3h warm-up (detected)", and a fixed 1-hour warm-up was warned of "the
// start-up transient lasts about 3h (found in 8 pilot replications)": two
// agents' relaxation time, not a transient found.
func TestWarmUpWithoutTickets(t *testing.T) {
	for _, c := range []struct {
		auto bool
		want string
	}{
		{true, "4w measured after no warm-up (the pilot replications found nothing to warm up)\n"},
		{false, "4w measured after a 1h warm-up\n"},
	} {
		m := &sim.Model{Agents: 2, WarmUp: time.Hour, AutoWarmUp: c.auto, Horizon: 4 * sim.Week,
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(0.001 / 24), Handling: sim.Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour}}}
		if c.auto {
			m.WarmUp = 52 * sim.Week
		}
		res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2, CheckWarmUp: true})
		if err != nil {
			t.Fatal(err)
		}
		r := New(t.Context(), res, Meta{Version: "test", Scenario: "quiet", File: "test", Model: m, Level: 0.95})
		var text strings.Builder
		if err := r.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), c.want) || strings.Contains(text.String(), "WARM-UP") {
			t.Errorf("auto %v: %s", c.auto, text.String())
		}
		// The page's facts read "after no warm-up (…) that is simulated
		// but not measured".
		var page strings.Builder
		if err := r.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		if c.auto && !strings.Contains(page.String(), "after no warm-up (the pilot replications found nothing to warm up)</") {
			t.Errorf("the page's run: %s", page.String())
		}
	}
	// A sweep of such points read "a 0s warm-up (detected)".
	quiet := &Report{WarmUpAuto: true, WarmUpCheck: &WarmUpCheck{Found: true, Pilots: 8, SpanS: 50 * 3600}}
	sw := &Sweep{Points: []Point{{Report: quiet}, {Report: quiet}}}
	if got := sw.warmUpText(); got != noWarmUp {
		t.Errorf("sweep: %q", got)
	}
}

// TestCensoredTickets: tickets still open when the simulation stops are
// reported as such in every format: their count per clock in JSON and
// CSV, "N open" among the breached and lower bounds (≥) in the text and
// HTML tables, and a note saying what that means.
func TestCensoredTickets(t *testing.T) {
	handling := sim.Exponential{Mu: 6 * time.Minute}
	m := &sim.Model{Horizon: sim.Week, Drain: 24 * time.Hour,
		Tiers: []sim.Tier{
			{Name: "served", Arrivals: sim.ConstantRate(2), Handling: handling, Response: 15 * time.Minute, Resolution: time.Hour},
			{Name: "orphan", Arrivals: sim.ConstantRate(1), Handling: handling, Response: 15 * time.Minute, Resolution: time.Hour},
		},
		Teams: []sim.Team{{Name: "desk", Tiers: []int{0}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{2}}}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "orphan", File: "test", Model: m, Level: 0.95})
	orphan := r.Tiers[1]
	if orphan.Response.Censored != orphan.Response.Tickets || orphan.Resolution.Censored != orphan.Flow.Unresolved ||
		orphan.Flow.Unresolved != orphan.Flow.Arrived || r.Tiers[0].Resolution.Censored != 0 || r.DrainS != 86400 {
		t.Fatalf("censored counts: orphan %+v / %+v, flow %+v; served %d; drain %v s",
			orphan.Response.Censored, orphan.Resolution.Censored, orphan.Flow, r.Tiers[0].Resolution.Censored, r.DrainS)
	}
	var text, page, csv strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteTiersCSV(&csv); err != nil {
		t.Fatal(err)
	}
	n := orphan.Resolution.Censored
	for _, want := range []string{
		fmt.Sprintf("%d of %d, %d open", n, n, n), "≥",
		fmt.Sprintf("open = still open when the simulation stopped, 1d after the horizon (%d orphan tickets in all replications): counted as breached", n),
		"lower bounds",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(page.String(), "lower bounds") || !strings.Contains(page.String(), "open</td>") {
		t.Errorf("the HTML page does not say which tickets are still open")
	}
	rows, err := stdcsv.NewReader(strings.NewReader(csv.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "censored")
	for _, row := range rows[1:] {
		if row[0] == "orphan" && row[col] != fmt.Sprint(n) {
			t.Errorf("tiers.csv gives %s censored orphan tickets on the %s clock, want %d:\n%s", row[col], row[1], n, csv.String())
		}
	}
}
