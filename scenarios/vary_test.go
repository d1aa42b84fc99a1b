package scenarios

import (
	"strings"
	"testing"
	"time"
)

const varyBase = `# A desk to vary.
name: vary
arrivals:
  volume: 120/day   # on average
tiers:
  - name: urgent
    share: 10%
    targets: {response: 15m, resolution: 4h}
    handling: &h {distribution: lognormal, mean: 1h, cv: 1.2}
  - name: routine
    share: 90%
    targets: {response: 1h, resolution: 1d}
    handling: *h
agents: 5
simulation:
`

func TestVary(t *testing.T) {
	tests := []struct {
		settings []Setting
		check    func(s *Scenario) bool
	}{
		{[]Setting{{"agents", "8"}}, func(s *Scenario) bool { return s.Agents == 8 }},
		{[]Setting{{"arrivals.volume", "240/day"}}, func(s *Scenario) bool { return s.Arrivals.Volume == 10 }},
		// Absent fields are added, sections too.
		{[]Setting{{"arrivals.scale", "1.2"}}, func(s *Scenario) bool { return s.Arrivals.Scale == 1.2 }},
		{[]Setting{{"simulation.seed", "7"}}, func(s *Scenario) bool { return s.Simulation.Seed == 7 }},
		{[]Setting{{"tiers[1].preempt", "true"}}, func(s *Scenario) bool { return s.Tiers[1].Preempt && !s.Tiers[0].Preempt }},
		// Inside a flow mapping.
		{[]Setting{{"tiers[0].targets.response", "30m"}}, func(s *Scenario) bool {
			return s.Tiers[0].Targets.Response == 30*time.Minute && s.Tiers[1].Targets.Response == time.Hour
		}},
		// Through an alias: only the tier named changes.
		{[]Setting{{"tiers[1].handling.mean", "2h"}}, func(s *Scenario) bool {
			return s.Tiers[1].Handling.Mean() == 2*time.Hour && s.Tiers[0].Handling.Mean() == time.Hour
		}},
		{[]Setting{{"tiers[0].handling.mean", "30m"}}, func(s *Scenario) bool {
			return s.Tiers[0].Handling.Mean() == 30*time.Minute && s.Tiers[1].Handling.Mean() == time.Hour
		}},
		// Two settings that only together are valid.
		{[]Setting{{"tiers[0].share", "20%"}, {"tiers[1].share", "80%"}}, func(s *Scenario) bool {
			return s.Tiers[0].Share == 0.2 && s.Tiers[1].Share == 0.8
		}},
	}
	for _, tt := range tests {
		s, err := Vary("desk.yaml", []byte(varyBase), tt.settings...)
		if err != nil {
			t.Errorf("%v: %v", tt.settings, err)
			continue
		}
		if !tt.check(s) {
			t.Errorf("%v: not applied: %+v", tt.settings, s)
		}
		if s.File != "desk.yaml" || s.Name != "vary" {
			t.Errorf("%v: file %q, name %q", tt.settings, s.File, s.Name)
		}
	}
}

func TestVaryErrors(t *testing.T) {
	tests := []struct {
		setting Setting
		want    string
	}{
		{Setting{"agents", "0"}, "agents: must be >= 1, got 0"},
		{Setting{"agents", "many"}, "agents: must be a whole number, got many"},
		{Setting{"arrivals.scal", "1.1"}, "arrivals.scal: unknown field; did you mean scale?"},
		{Setting{"tiers[0].share", "20%"}, "tiers: shares must sum to 100%"},
		{Setting{"tiers[2].share", "1%"}, "tiers[2]: no such item; tiers has 2"},
		{Setting{"sizing.teams[0].cost", "80"}, "sizing.teams: not in the scenario, so it has no item sizing.teams[0]: a setting changes a value or adds a field, not a list; add the list to the file first"},
		{Setting{"tiers[0].targets", "1h"}, "tiers[0].targets: is a mapping in the scenario, not a single value"},
		{Setting{"agents.count", "3"}, "agents: is 5, not a section with fields"},
		{Setting{"tiers.share", "3"}, "tiers: is a list, not a section with fields"},
		{Setting{"name[0]", "x"}, "name: is vary in the scenario, not a list"},
		{Setting{"tiers[0]share", "1"}, "needs a dot"},
		{Setting{"tiers..share", "1"}, "a dot must join"},
		{Setting{"tiers[x]", "1"}, "[x] is not a list index"},
		{Setting{"[0]", "1"}, "an index follows a field name"},
		{Setting{"", "1"}, "empty"},
		{Setting{"agents!", "1"}, `"agents!" is not a field name`},
	}
	for _, tt := range tests {
		_, err := Vary("desk.yaml", []byte(varyBase), tt.setting)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.setting, err, tt.want)
		}
		// Messages name fields, never lines of the rewritten text.
		if err != nil && strings.Contains(err.Error(), "desk.yaml:") {
			t.Errorf("%v: error mentions a line: %v", tt.setting, err)
		}
	}
}

func TestSetKeepsComments(t *testing.T) {
	out, err := Set([]byte(varyBase), "arrivals.volume", "200/day")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# A desk to vary.", "volume: 200/day # on average"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("rewritten text lacks %q:\n%s", want, out)
		}
	}
}

func TestSetQuotesWhatIsNotPlain(t *testing.T) {
	// A value that would read as YAML structure stays a single text.
	s, err := Vary("desk.yaml", []byte(varyBase), Setting{"name", "a: b, [c]"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "a: b, [c]" {
		t.Errorf("name = %q", s.Name)
	}
}

func TestSetExamples(t *testing.T) {
	for _, name := range Names() {
		data, _ := Source(name)
		base, _ := Parse(name+".yaml", data)
		// Examples with teams are staffed shift by shift.
		staff, staffed := Setting{"agents", "30"}, func(s *Scenario) int { return s.Agents }
		if len(base.Teams) > 0 {
			staff = Setting{"teams[0].shifts[0].agents", "30"}
			staffed = func(s *Scenario) int { return s.Teams[0].Schedule.Shifts[0].Agents }
		}
		s, err := Vary(name+".yaml", data, staff, Setting{"arrivals.scale", "0.9"})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if staffed(s) != 30 || s.Arrivals.Scale != 0.9 || len(s.Tiers) != len(base.Tiers) || s.Description != base.Description {
			t.Errorf("%s: varied scenario %+v", name, s)
		}
	}
}

func TestSetAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("agents: 1\n")
	if _, err := Set([]byte(b.String()), "agents", "2"); err == nil || !strings.Contains(err.Error(), "expand to more than") {
		t.Errorf("error %v, want too large", err)
	}
}
