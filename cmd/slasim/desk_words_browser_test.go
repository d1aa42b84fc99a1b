package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDeskWordsInBrowser reads the desk's facts and Erlang C box at one of
// each and at thousands: they read "1 replications", "1.00 agents", "One
// pool of 1 agents", "2.50e+3 agents", "1.200e+4 an hour" and "1 staffings
// simulated" before, and the staffing a sizing simulated last as JSON
// ("[12]").
func TestDeskWordsInBrowser(t *testing.T) {
	ctx := browser(t)
	url := startDesk(t, deskOptions{})
	idle := `getComputedStyle(document.getElementById("status")).display === "none"`
	facts := `(document.getElementById("run-facts") || {}).innerText`
	// A sizing's first progress, one staffing simulated: every text the
	// progress shows is kept, and each simulation of ten years takes long
	// enough to be shown (the desk sends progress every 100 ms at most).
	sizing := `window.seen.filter((s) => s.includes(" simulated, the last "))`
	do(t, ctx, "a sizing of erlang-c over ten years",
		chromedp.Navigate(url+"/?example=erlang-c"),
		setField("simulation.horizon", "520w"),
		chromedp.Evaluate[chromedp.Void](`window.seen = []; new MutationObserver(() => window.seen.push(document.getElementById("progresstext").innerText)).observe(document.getElementById("progresstext"), {childList: true, characterData: true, subtree: true})`),
		chromedp.Click(chromedp.CSS(`#modes button[data-mode="size"]`)),
		chromedp.Click(chromedp.CSS("#sizerun")),
		until(sizing+`.length > 0`),
	)
	if seen, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](sizing)); err != nil || !strings.HasPrefix(seen[0], "1 staffing simulated, the last ") || strings.Contains(seen[0], "[") {
		t.Errorf("the sizing's progress reads %q (%v)", seen, err)
	}
	do(t, ctx, "cancel, back to runs", chromedp.Click(chromedp.CSS("#cancel")), until(idle),
		chromedp.Click(chromedp.CSS(`#modes button[data-mode="run"]`)))
	do(t, ctx, "erlang-c with one agent, one replication",
		setField("simulation.horizon", "1w"),
		setField("simulation.warm_up", "1d"),
		setField("simulation.replications", "1"),
		setField("arrivals.volume", "12/day"),
		setField("agents", "1"),
		until(facts+`?.includes("Erlangs on 1 agent") && `+idle),
	)
	for sel, want := range map[string]string{
		"#run-facts": "seed 1 · 1 replication · 1w measured after a 1d warm-up · offered load 0.50 Erlangs on 1 agent",
		"#analytic":  "One pool of 1 agent, Poisson arrivals at 0.5 an hour,",
	} {
		if got := text(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}
	do(t, ctx, "thousands of agents, over a day",
		setField("simulation.warm_up", "0s"),
		setField("simulation.horizon", "1d"),
		setField("arrivals.volume", "12000/h"),
		setField("agents", "12500"),
		until(facts+`?.includes("Erlangs on 12500 agents") && `+idle),
	)
	for sel, want := range map[string]string{
		"#run-facts": "offered load 12000.00 Erlangs on 12500 agents",
		"#analytic":  "One pool of 12500 agents, Poisson arrivals at 12000 an hour,",
	} {
		if got := text(t, ctx, sel); !strings.Contains(got, want) || strings.Contains(got, "e+") {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}
	// Unstable: the page says why, as the report does.
	do(t, ctx, "one agent for 12,000 Erlangs",
		setField("agents", "1"),
		until(`(document.getElementById("unstable") || {}).innerText?.includes("12000 Erlangs") && `+idle),
	)
	if got, want := text(t, ctx, "#unstable"), "Unstable: offered load 12000 Erlangs >= capacity of 1 agent on average over the measured window. No figures: the backlog grows without bound."; !strings.HasPrefix(got, want) {
		t.Errorf("#unstable reads %q, want %q", got, want)
	}
}
