package scenarios

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// hotline is a scenario whose first tier promises only an answer: no
// resolution target.
const hotline = `name: hotline
calendars:
  - {name: office, hours: {mon-fri: "09:00-18:00"}}
tiers:
  - name: hotline
    rate: 20/h
    targets: {response: 1m}
    handling: {mean: 5m}
  - name: routine
    rate: 2/h
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 30m}
agents: 4
`

func TestNoResolution(t *testing.T) {
	s, err := Parse("test.yaml", []byte(strings.Replace(hotline, "{response: 1m}", "{response: 1m, calendar: office, mean_response: 30s}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
	tg := s.Tiers[0].Targets
	if tg.Response != time.Minute || tg.Resolution != 0 || tg.ResponseCalendar != "office" || tg.ResolutionCalendar != "" || tg.Mean.Response != 30*time.Second {
		t.Errorf("the hotline's targets read %+v", tg)
	}
	m := s.Model()
	if m.Tiers[0].HasResolution() || m.Tiers[0].ResolutionCalendar != nil || !m.Tiers[1].HasResolution() {
		t.Errorf("the model's tiers: hotline resolution %v (calendar %v), routine %v", m.Tiers[0].Resolution, m.Tiers[0].ResolutionCalendar, m.Tiers[1].Resolution)
	}
	// The sizing section's level checks the clocks the tier has.
	if l := s.Sizing.Levels[0]; l.Response == 0 || l.Resolution != 0 {
		t.Errorf("the hotline's sizing levels %+v, want response only", l)
	}
}

// TestNoResolutionErrors: whatever is about the resolution clock of a tier
// that promises none is an error at its field.
func TestNoResolutionErrors(t *testing.T) {
	contract := hotline + "simulation: {horizon: 13w}\ncontract:\n  fee: {monthly: 1000}\n"
	for _, tt := range []struct{ name, src, want string }{
		{"no response", strings.Replace(hotline, "{response: 1m}", "{}", 1),
			"test.yaml:7: tiers[0].targets.response: missing; every tier needs a response target; resolution is optional"},
		{"resolution calendar", strings.Replace(hotline, "{response: 1m}", "{response: 1m, resolution_calendar: office}", 1),
			"test.yaml:7: tiers[0].targets.resolution_calendar: is about the resolution clock, and the tier promises no resolution (its targets give none): give targets.resolution, or remove this"},
		{"mean resolution", strings.Replace(hotline, "{response: 1m}", "{response: 1m, mean_resolution: 10m}", 1),
			"test.yaml:7: tiers[0].targets.mean_resolution: is about the resolution clock, and the tier promises no resolution (its targets give none): give targets.resolution, or remove this"},
		{"off-hours resolution", strings.Replace(hotline, "    handling: {mean: 5m}\n", "    handling: {mean: 5m}\n    off_hours: {calendar: office, resolution: 1d}\n", 1),
			"test.yaml:9: tiers[0].off_hours.resolution: is about the resolution clock, and the tier promises no resolution (its targets give none): give targets.resolution, or remove this"},
		{"sizing level", hotline + "sizing:\n  tiers: [{tier: hotline, resolution: 90%}]\n",
			"test.yaml:15: sizing.tiers[0].resolution: is about the resolution clock, and the tier promises no resolution (its targets give none): give targets.resolution, or remove this"},
		{"contract level", contract + "  tiers: [{tier: hotline, resolution: 90%}]\n",
			"test.yaml:17: contract.tiers[0].resolution: is about the resolution clock, and the tier promises no resolution (its targets give none): give targets.resolution, or remove this"},
		{"per breach on resolution", contract + "  tiers: [{tier: hotline, per_breach: 10%}]\n  per_breach: {clock: resolution}\n",
			"test.yaml:17: contract.tiers[0].per_breach: is credited on the resolution clock, and the tier promises no resolution (its targets give none): name another clock in the rule (clock: response), or remove the tier's figure"},
		{"lateness on resolution by default", contract + "  tiers: [{tier: hotline, lateness: 5%}]\n  lateness: {step: 30m}\n",
			"test.yaml:17: contract.tiers[0].lateness: is credited on the resolution clock, and the tier promises no resolution (its targets give none): name another clock in the rule (clock: response), or remove the tier's figure"},
		{"outage on resolution by default", contract + "  tiers: [{tier: hotline, outage: [1, 2]}]\n",
			"test.yaml:17: contract.tiers[0].outage: is credited on the resolution clock, and the tier promises no resolution (its targets give none): name another clock in the rule (clock: response), or remove the tier's figure"},
		{"ladder on resolution", contract + "  escalation: {counts: breached_ticket, clock: resolution, steps: [{terminate: true}]}\n",
			"test.yaml:17: contract.escalation.clock: counts breaches of the resolution clock, and tier hotline promises no resolution (its targets give none): name another clock, or list the tiers it counts without hotline"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if !slices.Equal(got, []string{tt.want}) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), tt.want)
			}
		})
	}
	// The same rules read for the tier with a resolution target, or on
	// another clock, are fine.
	for _, src := range []string{
		contract + "  tiers: [{tier: routine, resolution: 90%, lateness: 5%}, {tier: hotline, response: 90%, per_breach: 10%}]\n  lateness: {step: 30m}\n",
		contract + "  tiers: [{tier: hotline, lateness: 5%, outage: 1}]\n  lateness: {step: 30m, clock: response}\n  outage: {clock: either}\n",
		contract + "  escalation: {counts: breached_ticket, clock: resolution, tiers: [routine], steps: [{terminate: true}]}\n",
	} {
		if got := problems(t, src); got != nil {
			t.Errorf("%s\ngot problems %q", src, got)
		}
	}
}
