package reports

import (
	"html"
	"strings"
	"testing"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

// dayTeamScenario is a day team whose two-hour tickets keep it past 17:00,
// some automation, and tickets at night nobody answers until morning.
const dayTeamScenario = `name: day team
simulation: {horizon: 1w, warm_up: 1w, replications: 4, seed: 42}
arrivals: {volume: 20/day}
tiers:
  - {name: urgent, share: 30%, targets: {response: 15m, resolution: 4h}, handling: {mean: 2h}}
  - {name: routine, share: 70%, targets: {response: 4h, resolution: 3d}, handling: {mean: 2h},
     automation: {eligible: 50%, success: 50%, processing: {distribution: deterministic, mean: 2m}}}
automation: {capacity: 5}
teams:
  - name: day
    shifts:
      - {days: mon-fri, hours: "09:00-17:00", agents: 10}
`

// The HTML report says what the text says after its table — where targets
// are missed, the ticket flow, the teams' utilisation and overtime — and
// draws attainment by hour; the utilisation heat map leaves blank the
// hours when nobody is on shift, even if someone stays on to finish a
// ticket (it painted them 100%: the day team looked saturated all night).
func TestHTMLHasWhatTheTextHas(t *testing.T) {
	sc, err := scenarios.Vary("day.yaml", []byte(dayTeamScenario))
	if err != nil {
		t.Fatal(err)
	}
	r := runScenario(t, sc)
	var text, page strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	checkXML(t, "report.html", page.String())
	plain := html.UnescapeString(page.String())
	_, missed := r.whereMissed()
	flow, teams := r.flow(), r.teamRows()
	if len(missed) == 0 || len(flow) == 0 || len(teams) == 0 {
		t.Fatalf("the scenario should miss targets (%d), have a ticket flow (%d) and overtime (%d)", len(missed), len(flow), len(teams))
	}
	for _, m := range missed {
		for _, s := range append([]string{m.Clock}, append(m.Hours, m.Dates...)...) {
			if !strings.Contains(text.String(), s) || !strings.Contains(plain, s) {
				t.Errorf("where targets are missed: %q not in both the text and the HTML", s)
			}
		}
	}
	for _, s := range flow {
		if !strings.Contains(text.String(), s) || !strings.Contains(plain, "<li>"+s+"</li>") {
			t.Errorf("ticket flow: %q not in both the text and the HTML", s)
		}
	}
	for _, row := range teams {
		if !strings.Contains(plain, "<td>"+row.Name+`</td><td class="num">`+row.Utilisation+`</td><td class="num">`+row.Overtime+"</td>") {
			t.Errorf("teams: %+v not in the HTML", row)
		}
	}
	for _, id := range []string{"where-missed", "flow", "teams", "figure-response-attainment-by-hour", "figure-resolution-attainment-by-hour", "figure-response-attainment-by-hour-urgent", "figure-utilisation-by-hour"} {
		if !strings.Contains(page.String(), `id="`+id+`"`) {
			t.Errorf("the HTML report has no element %s", id)
		}
	}

	team := r.Teams[0]
	var overtimeOnly, worked int
	for h := range sim.HoursPerWeek {
		day, hour := h/24, h%24
		onShift := day < 5 && hour >= 9 && hour < 17
		switch u := team.UtilisationByHour[h]; {
		case onShift && u == nil:
			t.Errorf("%d:00 on day %d, on shift: no utilisation", hour, day)
		case !onShift && u != nil:
			t.Errorf("%d:00 on day %d, off shift: utilisation %.2f, want none", hour, day, *u)
		}
		if !onShift && team.OvertimeByHour[h] != nil && *team.OvertimeByHour[h] > 0 {
			overtimeOnly++
		}
		if onShift && team.OvertimeByHour[h] != nil && *team.OvertimeByHour[h] > 0 {
			worked++
		}
	}
	if overtimeOnly == 0 || worked != 0 {
		t.Errorf("overtime in %d hours off shift (want some) and %d on shift (want none)", overtimeOnly, worked)
	}
}

// runScenario runs sc as slasim run does, and reports it.
func runScenario(t *testing.T, sc *scenarios.Scenario) *Report {
	t.Helper()
	run, err := sc.Run(t.Context(), scenarios.RunSettings{})
	if err != nil {
		t.Fatal(err)
	}
	return New(t.Context(), run.Result, Meta{Version: "test", Scenario: sc.Name, File: "day.yaml", Model: run.Model, Level: 0.95})
}
