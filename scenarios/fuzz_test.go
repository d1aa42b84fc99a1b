package scenarios

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzParse checks that no input makes Parse panic, that a rejected file
// gets positioned problems, and that an accepted one converts to a model
// the engine accepts.
// journeyValid is a desk of one tier whose work is a journey of named
// stages, some naming their teams, with named clocks.
const journeyValid = `tiers:
  - name: faults
    rate: 2/h
    targets: {response: 15m, resolution: 8h}
    journey:
      - {stage: triage, handling: {mean: 10m}, teams: [desk]}
      - {stage: remote fix, handling: {mean: 30m}, probability: 80%}
      - {stage: travel, probability: 30%, handling: {mean: 1h}, teams: [field]}
      - {stage: repair, after_previous: true, handling: {distribution: lognormal, mean: 1h, cv: 1}, teams: [field]}
    clocks:
      - {name: on site, to: repair start, target: 4h}
      - {name: repair, from: travel start, to: repair end, target: 3h}
teams:
  - {name: desk, shifts: [{hours: "00:00-24:00", agents: 3}]}
  - {name: field, shifts: [{hours: "00:00-24:00", agents: 2}]}
`

func FuzzParse(f *testing.F) {
	for _, name := range Names() {
		src, _ := Source(name)
		f.Add(src)
	}
	f.Add([]byte(valid))
	f.Add([]byte(teamsValid))
	f.Add([]byte(teamsValid + "roster: {weeks: 2, start: 2024-03-04, days_off: 1, max_consecutive_days: 5, min_rest: 12h, min_weekly_hours: 8, max_weekly_hours: 40, teams: [{team: desk, people: [Ann, Bo]}]}\n"))
	f.Add([]byte(teamsValid + "sizing:\n  shifts:\n    - {team: desk, days: [mon-fri, weekend], starts: \"22:00-02:00\", every: 2h, lengths: [8h, 24h], on_call: true, on_holidays: true, max: 3}\n"))
	// Interval staffing sized in blocks, with bounds.
	f.Add([]byte(strings.Replace(teamsValid, "  - name: desk\n", "  - name: desk\n    intervals: {agents: ["+strings.Repeat("1, ", 167)+"2]}\n", 1) +
		"sizing: {teams: [{team: desk, intervals: {block: 2h, min: 1, max: 9, keep: false}}]}\n"))
	f.Add([]byte(strings.Replace(valid, "{mean: 30m}", "{distribution: hyperexponential, probs: [0.5, 50%], means: [1m, 1h]}", 1)))
	f.Add([]byte(strings.Replace(valid, "{mean: 30m}", "{distribution: empirical, values: [0, 1m, 1h]}", 1)))
	f.Add([]byte("tiers: [{name: a, rate: 1/h, targets: &t {response: 1h, resolution: 1d}, handling: {mean: 1h}}, {name: b, rate: 1/h, targets: *t, handling: {mean: 1h}}]\nagents: 2\n"))
	// Named clocks on escalation levels, with a calendar and an
	// off-hours target.
	f.Add([]byte(strings.Replace(teamsValid, "      - {probability: 10%, handling: {mean: 3h}}\n",
		"      - {probability: 10%, handling: {mean: 3h}}\n    clocks:\n      - {name: expert, from: L1 end, to: L2 start, target: 1h, calendar: office, off_hours: 8h}\n      - {name: fix, to: L3 end, target: 1d}\n", 1)))
	f.Add([]byte(journeyValid))
	f.Add([]byte(strings.Replace(journeyValid, "    clocks:\n", "    updates: {every: 30m, handling: {distribution: gamma, mean: 3m, cv: 0.5}, target: 10m, teams: [desk, field]}\n    clocks:\n", 1)))
	// Contract levels on named clocks.
	f.Add([]byte(journeyValid + "simulation: {horizon: 13w}\ncontract:\n  fee: {monthly: 1000}\n  tiers: [{tier: faults, clocks: {on site: 90%, repair: 80%}, attainment: 5%}]\n  escalation: {counts: missed_level, steps: [{credit: 10%}]}\n"))
	// A hotline promising no resolution, with a contract and sizing
	// reading its response clock.
	f.Add([]byte(hotline + "simulation: {horizon: 13w}\nsizing: {level: 90%}\ncontract:\n  fee: {monthly: 1000}\n" +
		"  tiers: [{tier: hotline, response: 90%, per_breach: 5%, lateness: 1%}, {tier: routine, resolution: 95%}]\n  lateness: {step: 1m, clock: response}\n"))
	// Calendars with working days, a profile by day.
	f.Add([]byte(springFestival))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Parse error %T %v, want a *ValidationError with problems", err, err)
			}
			for _, p := range ve.Problems {
				if p.File != "fuzz.yaml" || p.Line < 0 || p.Reason == "" {
					t.Errorf("malformed problem %#v", p)
				}
			}
			return
		}
		if err := s.Model().Validate(); err != nil {
			t.Fatalf("valid scenario, invalid model: %v\n%s", err, data)
		}
	})
}

// FuzzSet checks that no text, path and value make Set panic or run away
// (a file of nested aliases is bounded as Parse bounds it), that what it
// returns is YAML in which the field holds the value given, and that Vary
// on the result reports rather than panics.
func FuzzSet(f *testing.F) {
	f.Add([]byte(varyBase), "agents", "8")
	f.Add([]byte(varyBase), "tiers[1].handling.cv", "2")
	f.Add([]byte(varyBase), "simulation.seed", "7")
	f.Add([]byte(varyBase), "arrivals.profile.by_day", "[1, 2]")
	f.Add([]byte(valid), "tiers[5].share", "5%")
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"), "c[0][1][0]", "y")
	f.Add([]byte("a: &a [*a]\n"), "a", "1")
	f.Add([]byte{}, "agents", "\x00")
	f.Fuzz(func(t *testing.T, data []byte, path, v string) {
		out, err := Set(data, path, v)
		if err != nil {
			return
		}
		steps, err := parsePath(path)
		if err != nil {
			t.Fatalf("Set accepted the path %q: %v", path, err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(out, &doc); err != nil {
			t.Fatalf("Set wrote text that is not YAML: %v\n%s", err, out)
		}
		slot := &doc.Content[0]
		for i := range steps {
			if slot, err = descend(slot, steps, i); err != nil {
				t.Fatalf("the field %s is gone from what Set wrote: %v\n%s", path, err, out)
			}
		}
		if n := *slot; n.Kind != yaml.ScalarNode || n.Value != v {
			t.Fatalf("%s reads %q after Set(%q), want %q\n%s", path, n.Value, v, v, out)
		}
		if _, err := Vary("fuzz.yaml", data, Setting{path, v}); err != nil && err.Error() == "" {
			t.Fatal("Vary failed without saying why")
		}
	})
}
