package main

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing/promise"
)

func TestPromiseParse(t *testing.T) {
	l := func(f float64) *float64 { return &f }
	got, err := parse(t, "promise", "desk.yaml", "--share", "90%", "--confidence", "0.99", "--level", "80%", "--period", "week",
		"--ladder", "15m, 1h,4h", "-r", "12", "--seed", "3", "--horizon", "13w", "--set", "agents=4", "--json", "--html", "p.html")
	if err != nil {
		t.Fatal(err)
	}
	want := &promiseTask{scenario: "desk.yaml", sets: []scenarios.Setting{{Path: "agents", Value: "4"}},
		settings: scenarios.RunSettings{Replications: 12, Seed: seed(3), Horizon: 13 * 7 * 24 * time.Hour},
		question: promise.Question{Ladder: []time.Duration{15 * time.Minute, time.Hour, 4 * time.Hour}, Share: 0.9, Confidence: 0.99, Period: "week"},
		level:    l(0.8), json: true, html: "p.html"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	def, err := parse(t, "promise")
	if err != nil {
		t.Fatal(err)
	}
	if q := def.(*promiseTask).question; q.Share != 0.95 || q.Confidence != 0.95 || q.Period != "month" || !reflect.DeepEqual(q.Ladder, promise.DefaultLadder) {
		t.Errorf("defaults %+v, want 95%% of months with 95%% confidence on the default ladder", q)
	}
	// Each refusal names the flag at fault: the page marks that field of
	// its promise form (TestDeskPromiseIsTheCommandLines).
	for _, tc := range []struct{ args, want, flag string }{
		{"--share 0", "--share: the share of periods must be above 0", "share"},
		{"--share 101%", "--share: the share of periods must be above 0", "share"},
		{"--share x", `--share: "x" is not a number`, "share"},
		{"--confidence 40%", "--confidence: the confidence must be at least 50%", "confidence"},
		{"--level 0", "--level: must be a share above 0", "level"},
		{"--level x", `--level: "x" is not a number`, "level"},
		{"--period year", "--period: the period must be day, week or month", "period"},
		{"--ladder 1h,30m", "--ladder must increase: 30m after 1h", "ladder"},
		{"--ladder 1h,,2h", `--ladder: "" is not a duration`, "ladder"},
		{"--ladder 0s", `--ladder: "0s" is not a duration > 0`, "ladder"},
		{"--ladder " + strings.Repeat("1h,", 40) + "1h", "--ladder has 41 targets, at most 32", "ladder"},
		{"-r 0", "--replications must be at least 1", ""},
		{"--horizon 0s", "--horizon must be a duration > 0", ""},
		{"--set agents", "--set takes PATH=VALUE", ""},
		{"a b", "promise takes one scenario", ""},
	} {
		_, err := parse(t, append([]string{"promise"}, strings.Fields(tc.args)...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("promise %s: %v, want an error with %q", tc.args, err, tc.want)
		}
		flag := ""
		if ae := (*askError)(nil); errors.As(err, &ae) {
			flag = ae.flag
		}
		if flag != tc.flag || !errors.As(err, new(usageError)) {
			t.Errorf("promise %s: %v at flag %q, want a usage error at %q", tc.args, err, flag, tc.flag)
		}
	}
}

// TestPromiseRun runs slasim promise on the M/M/c example as a user would
// and checks the JSON's promises against its table of shares: the promise
// is the first rung whose interval's lower end reaches the share, and
// with more agents no promise is looser.
func TestPromiseRun(t *testing.T) {
	var answers []reports.Promise
	for _, agents := range []string{"10", "11"} {
		code, out, errOut := slasim(t, context.Background(), "promise", "erlang-c", "--horizon", "26w", "-r", "8", "--period", "week", "--set", "agents="+agents, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var doc reports.Promise
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Schema != reports.PromiseSchemaVersion || len(doc.Rows) != 2 || doc.Periods != 26 || doc.Replications != 8 {
			t.Fatalf("document %+v, want 2 rows of 8 replications of 26 weeks", doc)
		}
		for _, r := range doc.Rows {
			first := -1
			for j, g := range r.Rungs {
				if g.Interval[0] != nil && *g.Interval[0] >= doc.Share && first < 0 {
					first = j
				}
				if g.Promise != (j == first) {
					t.Errorf("%d agents, %s: rung %d promise %v, want the first whose lower end reaches %g (%d)", len(answers)+10, r.Clock, j, g.Promise, doc.Share, first)
				}
			}
			if (first >= 0) != (r.PromiseS != nil) || first >= 0 && *r.PromiseS != r.Rungs[first].TargetS {
				t.Errorf("%s: promise_s %v, want rung %d", r.Clock, r.PromiseS, first)
			}
		}
		answers = append(answers, doc)
	}
	for i := range answers[0].Rows {
		a, b := answers[0].Rows[i].PromiseS, answers[1].Rows[i].PromiseS
		if a != nil && (b == nil || *b > *a) {
			t.Errorf("%s: 10 agents promise %v, 11 agents %v: more agents promise no less", answers[0].Rows[i].Clock, *a, b)
		}
	}
}

// TestPromiseHTML writes the table of the contract example as a web page:
// well-formed, with the cost column the contract brings.
func TestPromiseHTML(t *testing.T) {
	code, out, errOut := slasim(t, context.Background(), "promise", "contract", "-r", "2", "--share", "50%", "--ladder", "1h,8h,1d", "--html", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if err := wellFormed([]byte(out)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>What contract can promise</h1>", "cost a month (CNY)", `class="num yes"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the page has no %q", want)
		}
	}
}

// hotlinePromise asks what the all-hotline desk can promise by week: its
// hotline 3m, its chat nothing on the ladder (4 of 12 weeks within 3m).
var hotlinePromise = []string{"promise", "testdata/hotline-only.yaml", "--period", "week", "--share", "50%", "--ladder", "30s,1m,2m,3m"}

// TestPromiseNothingPromised: a clock with nothing to promise shows no
// figures in the promise table, in the text (hotline-only-promise.txt),
// the page and the JSON alike: they were the ladder's loosest target's,
// read beside the target now as if they were its. Its rungs keep every
// figure, and the note says how far the loosest falls short.
func TestPromiseNothingPromised(t *testing.T) {
	code, out, errOut := slasim(t, context.Background(), append(slices.Clone(hotlinePromise), "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc reports.Promise
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Rows) != 2 || doc.Rows[0].PromiseS == nil || doc.Rows[1].PromiseS != nil || doc.Rows[1].Rungs[3].PeriodsMet != 4 {
		t.Fatalf("rows %+v: want the hotline promised, the chat not, 4 weeks met within 3m", doc.Rows)
	}
	code, page, errOut := slasim(t, context.Background(), append(slices.Clone(hotlinePromise), "--html", "-")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if err := wellFormed([]byte(page)); err != nil {
		t.Fatal(err)
	}
	hotline := `<td>hotline</td><td>response</td><td class="num">95%</td><td class="num">30s</td><td class="num yes">3m</td><td class="num">12/12 100.0%<span class="ci">`
	chat := `<td>chat</td><td>response</td><td class="num">95%</td><td class="num">1m</td><td class="num no">none within 3m</td><td class="num">-</td><td class="num">-</td></tr>`
	for _, want := range []string{hotline, chat, "even within 3m only 4 of 12 weeks meet 95%"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page has no %q", want)
		}
	}
}

// TestPromiseLevels: a named clock is promised at the contract's level on
// it when the contract sets one, else at sizing.level; response and
// resolution as before (the contract's levels for a tier setting either,
// else sizing's); --level sets every clock's, named ones included; the
// updates clock's is sizing.level, or --level.
func TestPromiseLevels(t *testing.T) {
	src, _ := scenarios.Source("fault-levels")
	sc, err := scenarios.Vary("fault-levels.yaml", append(src, `
sizing: {level: 80%, tiers: [{tier: level 3, response: 99%}]}
contract:
  fee: {monthly: 1000}
  tiers:
    - {tier: level 1, response: 90%}
    - {tier: level 2, clocks: {on site: 70%}}
`...))
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := sc.Prepare(scenarios.RunSettings{})
	if err != nil {
		t.Fatal(err)
	}
	// The model's named clocks: on site, remote fix, solution.
	want := []contract.Levels{
		{Response: 0.9, Clocks: []float64{0.8, 0, 0}},
		{Response: 0.8, Resolution: 0.8, Clocks: []float64{0.7, 0.8, 0}},
		{Response: 0.99, Resolution: 0.8, Clocks: []float64{0, 0, 0.8}},
	}
	if got, updates := promiseLevels(sc, m, nil); !reflect.DeepEqual(got, want) || !slices.Equal(updates, []float64{0.8, 0.8, 0.8}) {
		t.Errorf("levels %+v and %v on updates, want %+v and 80%%", got, updates, want)
	}
	all := 0.6
	want = []contract.Levels{
		{Response: 0.6, Resolution: 0.6, Clocks: []float64{0.6, 0, 0}},
		{Response: 0.6, Resolution: 0.6, Clocks: []float64{0.6, 0.6, 0}},
		{Response: 0.6, Resolution: 0.6, Clocks: []float64{0, 0, 0.6}},
	}
	if got, updates := promiseLevels(sc, m, &all); !reflect.DeepEqual(got, want) || !slices.Equal(updates, []float64{0.6, 0.6, 0.6}) {
		t.Errorf("--level 60%%: levels %+v and %v on updates, want %+v and 60%%", got, updates, want)
	}
}

// TestPromiseUpdates: the contract example's urgent updates (every 30m,
// on time within 10m) get a row of their own in the text and the JSON,
// at sizing.level, with no cost (the contract judges tickets), and are
// no longer named as not judged; within 10m its pooled attainment is the
// run's (TestUpdatesAreTheRunsFigure checks it exactly).
func TestPromiseUpdates(t *testing.T) {
	args := []string{"promise", "contract", "--period", "month", "-r", "2", "--horizon", "13w", "--ladder", "5m,10m,1h"}
	code, out, errOut := slasim(t, context.Background(), append(slices.Clone(args), "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc reports.Promise
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(doc.Rows, func(r reports.PromiseRow) bool { return r.Clock == "updates" })
	if i < 0 || doc.Rows[i].Tier != "urgent" || doc.Rows[i].TargetS != 600 || doc.Rows[i].Level != 0.95 || doc.Rows[i].Periods == 0 || doc.NotJudged != nil {
		t.Fatalf("rows %+v, not judged %q: want urgent updates within 10m at 95%%, with periods, and nothing unjudged", doc.Rows, doc.NotJudged)
	}
	for _, g := range doc.Rows[i].Rungs {
		if g.Cost != nil || g.Attainment == nil {
			t.Errorf("updates within %gs: cost %v, attainment %v; want no cost and an attainment", g.TargetS, g.Cost, g.Attainment)
		}
	}
	code, text, errOut := slasim(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !regexp.MustCompile(`(?m)^  urgent +updates +95% +10m `).MatchString(text) || strings.Contains(text, "Not judged") {
		t.Errorf("the text has no urgent updates row, or names targets not judged:\n%s", text)
	}
}

// TestPromiseCostWithinCap: a rung's cost a month is at most the cap's
// share of the monthly fee (no ladder costs here), but its interval
// reached past it with most months at the cap: 14,029 [10,579, 16,010]
// a month under a cap of 15,000.
func TestPromiseCostWithinCap(t *testing.T) {
	const top = 0.05 * 300_000
	for _, seed := range []string{"1", "4"} {
		code, out, errOut := slasim(t, context.Background(), "promise", "contract", "--horizon", "26w", "-r", "3", "--seed", seed, "--json",
			"--set", "contract.cap=5%", "--set", "contract.tiers[0].per_breach=5000%", "--set", "contract.tiers[1].per_breach=5000%",
			"--set", "contract.escalation.steps[0].cost=0")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var doc reports.Promise
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		capped := 0
		for _, r := range doc.Rows {
			for _, g := range r.Rungs {
				if c := g.Cost; c != nil && c.Hi != nil {
					if *c.Hi > top {
						t.Errorf("seed %s, %s %s within %gs: %.0f [%.0f, %.0f], above %.0f", seed, r.Tier, r.Clock, g.TargetS, c.Mean, *c.Lo, *c.Hi, top)
					}
					if *c.Hi == top {
						capped++
					}
				}
			}
		}
		if capped == 0 {
			t.Errorf("seed %s: no rung's interval reaches the cap: the case tests nothing", seed)
		}
	}
}

// TestPromiseTooFewOnlyWhenMoreWouldDo: a row is "none: too few months"
// only when more months could vouch for the share. A tier nobody serves
// meets its level in none of 30 months (at most 11.4% by the interval):
// more replications cannot help, yet the report said "none: too few
// months" and asked for more.
func TestPromiseTooFewOnlyWhenMoreWouldDo(t *testing.T) {
	file := writeScenario(t, `name: nobody
simulation: {start: 2024-01-01, horizon: 26w, warm_up: 1w, replications: 5, seed: 1}
arrivals: {volume: 100/day}
tiers:
  - {name: a, share: 90%, targets: {response: 1h, resolution: 8h}, handling: {mean: 30m}}
  - {name: b, share: 10%, targets: {response: 1h, resolution: 8h}, handling: {mean: 30m}}
teams:
  - {name: desk, tiers: [a], shifts: [{days: all, hours: "00:00-24:00", agents: 5}]}
  - {name: b desk, tiers: [b], shifts: [{days: all, hours: "00:00-24:00", agents: 0}]}
sizing: {level: 90%}
`)
	code, out, errOut := slasim(t, context.Background(), "promise", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	text := words(out)
	for _, want := range []string{
		"a response 90% 1h none: too few months",
		"b response 90% 1h none within 1d",
		"b response: even within 1d only 0 of 30 months meet 90%",
		"30 months cannot vouch for 95%",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}
