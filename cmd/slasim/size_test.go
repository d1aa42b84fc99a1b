package main

import (
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
)

// sizeMMc is an M/M/c scenario Erlang C sizes at 13 agents for 91% within
// 15 minutes (94.2%; 12 agents give 87.4%).
const sizeMMc = `name: mmc
simulation: {horizon: 13w, warm_up: 1w}
arrivals: {volume: 9/h}
tiers:
  - {name: all, share: 100%, targets: {response: 15m, resolution: 1000h}, handling: {mean: 1h}}
agents: 10
sizing:
  level: 91%
  tiers: [{tier: all, resolution: 0}]
  cost: 30
`

func writeScenario(t *testing.T, text string) string {
	t.Helper()
	return writeFile(t, "scenario.yaml", text)
}

// writeFile writes text to a file of that name in a directory of its own,
// and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSizeJSON(t *testing.T) {
	file := writeScenario(t, sizeMMc)
	code, out, errs := slasim(t, context.Background(), "size", file, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Schema   string `json:"schema"`
		Feasible bool   `json:"feasible"`
		Posts    []struct {
			Name   string `json:"name"`
			Agents int    `json:"agents"`
		} `json:"posts"`
		Best struct {
			Agents    []int   `json:"agents"`
			StaffCost float64 `json:"staff_cost"`
			Checks    []struct {
				Name         string
				Level        float64
				Mean, Lo, Hi *float64
				Met          bool
			} `json:"checks"`
		} `json:"best"`
		Frontier []json.RawMessage `json:"frontier"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != reports.SizingSchemaVersion || !doc.Feasible || len(doc.Posts) != 1 || doc.Posts[0].Agents != 10 {
		t.Fatalf("unexpected document: %+v", doc)
	}
	if len(doc.Best.Agents) != 1 || doc.Best.Agents[0] != 13 || doc.Best.StaffCost != 13*168*30 {
		t.Errorf("sized %v at %v a week, want 13 agents at %v", doc.Best.Agents, doc.Best.StaffCost, 13*168*30)
	}
	if c := doc.Best.Checks; len(c) != 1 || c[0].Name != "all response" || !c[0].Met || *c[0].Lo < 0.91 {
		t.Errorf("checks %+v, want all response met", c)
	}
	if len(doc.Frontier) != 3 {
		t.Errorf("%d staffings on the frontier, want 12, 13 and 14 agents", len(doc.Frontier))
	}
}

func TestSizeText(t *testing.T) {
	file := writeScenario(t, sizeMMc)
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := slasim(t, context.Background(), "size", file, "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"The cheapest staffing found that meets it", "agents: around the clock", "all response", "Cost against risk", "the result", "As the scenario gives it (10)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	txt, err := os.ReadFile(filepath.Join(dir, "sizing.txt"))
	if err != nil || string(txt) != out {
		t.Errorf("sizing.txt differs from what was printed (%v)", err)
	}
	f, err := os.Open(filepath.Join(dir, "frontier.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("frontier.png: %v", err)
	}
}

func TestSizeInfeasible(t *testing.T) {
	// No staffing answers 91% within 15 minutes with at most 12 agents.
	file := writeScenario(t, sizeMMc)
	code, out, errs := slasim(t, context.Background(), "size", file, "--max", "12")
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if !strings.Contains(out, "No staffing within the bounds meets the requirement") || !strings.Contains(errs, "best attainable") {
		t.Errorf("an infeasible sizing must say so:\nstdout: %s\nstderr: %s", out, errs)
	}
}

func TestSizeUsage(t *testing.T) {
	file := writeScenario(t, sizeMMc)
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"size", file, "--level", "120%"}, "sizing.level: must be >= 0 and < 1"},
		{[]string{"size", file, "--set", "sizing.cost"}, "--set takes PATH=VALUE"},
		{[]string{"size", file, "--set", "sizing.teams[0].cost=3"}, "sizing.teams"},
		{[]string{"size", file, "--replications", "1"}, "--replications must be at least 2"},
		{[]string{"size", file, "--max-replications", "5"}, "--max-replications must be at least"},
		{[]string{"size", file, "--level", "0"}, "the requirement checks nothing"},
		{[]string{"size", "a", "b"}, "one scenario"},
		{[]string{"size", "nope"}, `no such file, and no example of that name`},
	}
	for _, tt := range tests {
		code, _, errs := slasim(t, context.Background(), tt.args...)
		if code != exitUsage || !strings.Contains(errs, tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errs, exitUsage, tt.stderr)
		}
	}
}

func TestSizeEmbeddedWithSettings(t *testing.T) {
	code, out, errs := slasim(t, context.Background(), "size", "erlang-c", "--level", "70%", "--set", "simulation.horizon=8w", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"level": 0.7`) {
		t.Errorf("--level did not reach the requirement:\n%s", out)
	}
}

// TestSizeJSONDocumented checks that docs/sizing.md names every field of
// size's JSON output, at every depth.
func TestSizeJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sizing.md")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := slasim(t, context.Background(), "size", writeScenario(t, sizeMMc), "--json", "--max", "20")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				keys[k] = true
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	for k := range keys {
		if !strings.Contains(string(doc), "`"+k+"`") {
			t.Errorf("docs/sizing.md does not name the JSON field %s", k)
		}
	}
}

func TestSizeWrite(t *testing.T) {
	file := writeScenario(t, sizeMMc)
	sized := filepath.Join(t.TempDir(), "sized.yaml")
	code, _, errs := slasim(t, context.Background(), "size", file, "--write", sized, "--cost", "45")
	if code != exitOK || !strings.Contains(errs, "wrote the sized scenario") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	sc, err := scenarios.Load(sized)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Agents != 13 || sc.Sizing.Cost[0] != 45 {
		t.Errorf("the written scenario has %d agents at %v an hour, want 13 at 45", sc.Agents, sc.Sizing.Cost[0])
	}
}

// TestSizeByCreditsAlone sizes the contract example with no level at all:
// the contract's expected credits alone weigh against the staff cost.
func TestSizeByCreditsAlone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := slasim(t, context.Background(), "size", "contract", "--level", "0", "--cost", "60", "--set", "simulation.horizon=9w", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"none of which is checked", "expected contract credits", "in CNY", "no checks"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "frontier.png")); err == nil {
		t.Error("a frontier plot without checks to plot")
	}
}

// TestSizeServesEveryTier: the analytic start pools the skills and puts
// nobody on b-team, the only team for tier B (a weekday day shift): the
// search must climb out of staffings that leave B to nobody or overload
// b-team, and whatever it returns serves every tier at a stable load. B
// cannot meet its level (its tickets wait for the shift), so the answer is
// the best attainable, never one with b-team empty.
func TestSizeServesEveryTier(t *testing.T) {
	t.Parallel()
	file := writeScenario(t, `name: two teams
simulation: {horizon: 1w, replications: 4}
tiers:
  - {name: A, rate: 5/h, targets: {response: 15m, resolution: 1h}, handling: {mean: 30m}}
  - {name: B, rate: 3/h, targets: {response: 30m, resolution: 2h}, handling: {mean: 1h}}
teams:
  - {name: a-team, tiers: [A], shifts: [{hours: "00:00-24:00", agents: 3}]}
  - {name: b-team, tiers: [B], shifts: [{days: mon-fri, hours: "09:00-17:00", agents: 1}]}
sizing: {level: 80%, min: 0}
`)
	code, out, errs := slasim(t, context.Background(), "size", file, "-r", "2", "--max-replications", "4", "--json")
	var doc struct {
		Best struct {
			Agents   []int `json:"agents"`
			Unstable bool  `json:"unstable"`
		} `json:"best"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, errs)
	}
	// B brings 3 Erlangs: 504 agent-hours a week, on a 40-hour shift.
	if b := doc.Best; b.Unstable || len(b.Agents) != 2 || b.Agents[0] == 0 || b.Agents[1]*40 <= 504 {
		t.Errorf("sized %+v: a tier left unserved or a team overloaded", b)
	}
}

// TestSizeGivenUnstable: a scenario whose own staffing cannot keep up is
// said to be unstable, in words.
func TestSizeGivenUnstable(t *testing.T) {
	file := writeScenario(t, strings.Replace(sizeMMc, "agents: 10", "agents: 8", 1))
	code, out, errs := slasim(t, context.Background(), "size", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "As the scenario gives it (8): 40,320 a week; unstable, its queues growing without bound: misses the requirement."; !strings.Contains(words(out), want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// TestSizeOutOfReachSaysWhatItDid: when no staffing meets the requirement,
// the search's choice is the closest staffing seen and the result the
// cheapest as close; the report said the choice had missed on the
// confirmation seed and that the search "stepped up" from it, though no
// confirmation ran and the result had fewer agents.
func TestSizeOutOfReachSaysWhatItDid(t *testing.T) {
	// 99.999% within 15 minutes over two weeks: 80 replications' pooled
	// tickets, all in time, vouch for 99.997% at most.
	file := writeScenario(t, strings.NewReplacer("level: 91%", "level: 99.999%", "horizon: 13w", "horizon: 2w").Replace(sizeMMc))
	code, out, errs := slasim(t, context.Background(), "size", file, "--json")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d: %s", code, exitFailed, errs)
	}
	var doc struct {
		Feasible     bool
		Best, Search struct{ Agents []int }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Feasible || len(doc.Best.Agents) != 1 || len(doc.Search.Agents) != 1 || doc.Best.Agents[0] >= doc.Search.Agents[0] {
		t.Fatalf("want an out-of-reach sizing whose result is cheaper than the closest staffing seen: %+v", doc)
	}
	_, out, _ = slasim(t, context.Background(), "size", file)
	if strings.Contains(out, "stepped up") || strings.Contains(out, "confirmation seed") {
		t.Errorf("out of reach, the report tells of a confirmation:\n%s", out)
	}
	if want := "The closest staffing seen"; !strings.Contains(out, want) {
		t.Errorf("the report lacks %q:\n%s", want, out)
	}
}

// TestSizeUnstableHasNoFigures: a staffing that cannot carry the load has
// no attainment: the run stops. With at most 8 agents for 9 Erlangs, the
// result's check read "0.0% [0.0%, 0.0%] MISSED" in the text and mean, lo
// and hi 0 in the JSON, beside "unstable" on the frontier.
func TestSizeUnstableHasNoFigures(t *testing.T) {
	file := writeScenario(t, sizeMMc)
	code, out, errs := slasim(t, context.Background(), "size", file, "--max", "8", "--json")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d: %s", code, exitFailed, errs)
	}
	var doc struct {
		Best struct {
			Unstable bool
			Checks   []struct{ Mean, Lo, Hi *float64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Best.Unstable || len(doc.Best.Checks) != 1 {
		t.Fatalf("want an unstable result with one check: %+v", doc.Best)
	}
	if c := doc.Best.Checks[0]; c.Mean != nil || c.Lo != nil || c.Hi != nil {
		t.Errorf("an unstable staffing's check has figures: %v [%v, %v]", *c.Mean, *c.Lo, *c.Hi)
	}
	_, out, _ = slasim(t, context.Background(), "size", file, "--max", "8")
	if want := "all response 91% unstable - MISSED"; !strings.Contains(words(out), want) {
		t.Errorf("the attainment table lacks %q:\n%s", want, out)
	}
}
