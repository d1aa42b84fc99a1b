package scenarios

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// TestJourneyFields: a journey's stages become the engine's levels (the
// first's handling the tier's, the others' independent steps unless
// after_previous), the stages that name their teams give every team its
// skills, and the clocks their marks; wrong fields are refused on the
// field.
func TestJourneyFields(t *testing.T) {
	s, err := Parse("test.yaml", []byte(journeyValid))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	tier := m.Tiers[0]
	if !slices.Equal(tier.Stages, []string{"triage", "remote fix", "travel", "repair"}) || tier.Handling != (sim.Exponential{Mu: 10 * time.Minute}) {
		t.Errorf("stages %q, handling %v", tier.Stages, tier.Handling)
	}
	e := tier.Escalation
	if len(e) != 3 || e[0].Probability != 0.8 || !e[0].Independent || e[1].Probability != 0.3 || !e[1].Independent || e[2].Probability != 1 || e[2].Independent {
		t.Errorf("steps %+v", e)
	}
	// The desk triages and, the remote fix naming no team, fixes
	// remotely (a team without tiers or levels takes any work); the
	// field engineers too, and they alone travel and repair.
	desk, field := []sim.Skill{{Tier: 0, Level: 0}, {Tier: 0, Level: 1}}, []sim.Skill{{Tier: 0, Level: 1}, {Tier: 0, Level: 2}, {Tier: 0, Level: 3}}
	if !slices.Equal(m.Teams[0].Skills, desk) || !slices.Equal(m.Teams[1].Skills, field) {
		t.Errorf("skills %v and %v, want %v and %v", m.Teams[0].Skills, m.Teams[1].Skills, desk, field)
	}
	want := []sim.Clock{
		{Name: "on site", From: sim.Mark{Stage: sim.Arrival}, To: sim.Mark{Stage: 3}, Target: 4 * time.Hour},
		{Name: "repair", From: sim.Mark{Stage: 2}, To: sim.Mark{Stage: 3, End: true}, Target: 3 * time.Hour},
	}
	if !slices.Equal(tier.Clocks, want) {
		t.Errorf("clocks %+v, want %+v", tier.Clocks, want)
	}

	for _, tt := range []struct{ name, old, new, want string }{
		{"handling beside a journey", "    journey:\n", "    handling: {mean: 1h}\n    journey:\n",
			"test.yaml:5: tiers[0].handling: give each stage's handling in the journey, not the tier's"},
		{"unknown stage", "to: repair start", "to: fix start",
			"test.yaml:11: tiers[0].clocks[0].to: must be arrival or a stage followed by start or end, such as repair end (stages: triage, remote fix, travel, repair); got fix start"},
		{"no edge", "to: repair start", "to: repair",
			"test.yaml:11: tiers[0].clocks[0].to: must be arrival or a stage followed by start or end, such as repair end (stages: triage, remote fix, travel, repair); got repair"},
		{"stopping at arrival", "to: repair start", "to: arrival",
			"test.yaml:11: tiers[0].clocks[0].to: a clock stops at a stage's start or end, not at arrival"},
		{"backwards", "from: travel start, to: repair end", "from: repair end, to: travel start",
			"test.yaml:12: tiers[0].clocks[1].to: comes before the clock starts (repair end)"},
		{"named like a clock of every tier", "name: on site", "name: response",
			"test.yaml:11: tiers[0].clocks[0].name: repeats the name of clocks[-1]; clock names must be unique"},
		{"off hours without a calendar", "target: 4h}", "target: 4h, off_hours: 8h}",
			"test.yaml:11: tiers[0].clocks[0].off_hours: needs the tier's off_hours calendar, whose closed hours it applies to"},
		{"unknown team", "teams: [desk]", "teams: [desks]", `test.yaml:6: tiers[0].journey[0].teams[0]: no team is named "desks"`},
		{"first stage with a probability", "handling: {mean: 10m}, teams", "handling: {mean: 10m}, probability: 50%, teams",
			"test.yaml:6: tiers[0].journey[0].probability: the first stage is every ticket's: leave its probability out"},
		{"a stage nobody does", "agents: 3}]}\n  - {name: field,", "agents: 3}], levels: [L3]}\n  - {name: field, levels: [L3],",
			"test.yaml:7: tiers[0].journey[1]: no team works on faults tickets at the stage remote fix: name its teams (teams: [...]) or add faults to a team's tiers, or its tickets will never be served"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(journeyValid, tt.old, tt.new, 1)
			if src == journeyValid {
				t.Fatalf("no %q", tt.old)
			}
			if got := problems(t, src); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), tt.want)
			}
		})
	}
}

// TestJourneyContract: a contract's rules may read a named clock by its
// name, as the model's named clock of that index.
func TestJourneyContract(t *testing.T) {
	src := journeyValid + "contract:\n  fee: {per_ticket: 40}\n  tiers: [{tier: faults, per_breach: 100%, lateness: 5%}]\n  per_breach: {clock: on site}\n  lateness: {clock: repair, step: 30m}\n"
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Contract
	if !slices.Equal(c.Clocks, s.Model().ClockNames()) || c.Credits[0].(*contract.PerBreach).Clock != contract.Named(0) ||
		c.Credits[1].(*contract.Lateness).Clock != contract.Named(1) {
		t.Errorf("clocks %q, rules %+v %+v", c.Clocks, c.Credits[0], c.Credits[1])
	}
	want := "test.yaml:19: contract.per_breach.clock: must be response, resolution, either (a breach of either clock) or a tier's named clock, got on-site; did you mean on site?"
	if got := problems(t, strings.Replace(src, "clock: on site}", "clock: on-site}", 1)); !slices.Equal(got, []string{want}) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestUpdatesFields: tiers[].updates reaches the model with its teams by
// index; a team it names must exist.
func TestUpdatesFields(t *testing.T) {
	src := strings.Replace(journeyValid, "    clocks:\n", "    updates: {every: 30m, handling: {mean: 3m}, target: 10m, teams: [desk]}\n    clocks:\n", 1)
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	want := sim.Updates{Every: 30 * time.Minute, Target: 10 * time.Minute, Handling: sim.Exponential{Mu: 3 * time.Minute}, Teams: []int{0}}
	if u := m.Tiers[0].Updates; u.Every != want.Every || u.Target != want.Target || u.Handling != want.Handling || !slices.Equal(u.Teams, want.Teams) {
		t.Errorf("updates %+v, want %+v", u, want)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	got := problems(t, strings.Replace(src, "target: 10m, teams: [desk]}", "target: 10m, teams: [dusk]}", 1))
	if want := []string{`test.yaml:10: tiers[0].updates.teams[0]: no team is named "dusk"`}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
