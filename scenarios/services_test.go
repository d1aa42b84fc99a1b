package scenarios

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

const withServices = `name: services
simulation: {start: 2024-01-01, timezone: Asia/Shanghai, horizon: 10w, warm_up: 1w}
calendars:
  - name: sunday night
    hours: {sun: "02:00-04:00"}
arrivals: {volume: 100/day}
tiers:
  - {name: urgent, share: 10%, targets: {response: 15m, resolution: 4h}, handling: {mean: 1h}}
  - {name: routine, share: 90%, targets: {response: 1h, resolution: 1d}, handling: {mean: 30m},
     automation: {eligible: 50%, success: 80%, processing: {mean: 5m}}}
agents: 6
automation: {capacity: 10}
services:
  - name: payment gateway
    tier: urgent
    up: {mean: 20d}
    restore: {distribution: lognormal, mean: 2h, cv: 1}
    failover: {probability: 70%, time: {distribution: deterministic, mean: 30m}}
    maintenance: sunday night
    tickets: {mean_size: 12, spread: 15m}
    availability: [99.9%, 99.99%]
  - name: repair engine
    tier: routine
    up: {mean: 10d}
    restore: {mean: 1h}
    automation: stop
    period: week
  - name: mail
    tier: routine
    up: {mean: 5d}
    restore: {mean: 30m}
    automation: 3
    period: window
`

func TestServicesParse(t *testing.T) {
	s, err := Parse("services.yaml", []byte(withServices))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings %v", s.Warnings)
	}
	m := s.Model()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	g, e, mail := m.Services[0], m.Services[1], m.Services[2]
	if g.Tier != 0 || g.Up.Mean() != 20*24*time.Hour || g.Failover.Probability != 0.7 || g.Tickets.MeanSize != 12 ||
		g.Tickets.Spread != 15*time.Minute || len(g.Levels) != 2 || math.Abs(g.Levels[1]-0.9999) > 1e-15 || g.Maintenance == nil {
		t.Errorf("gateway %+v", g)
	}
	// Ten weeks from 1 January 2024 hold January and February.
	if g.Period != "month" || len(g.Periods) != 2 || g.Periods[1].End-g.Periods[1].Start != 29*24*time.Hour {
		t.Errorf("gateway's periods %s %v", g.Period, g.Periods)
	}
	if e.Period != "week" || len(e.Periods) != 10 || !e.Automation.Stop || e.Tier != 1 {
		t.Errorf("engine %+v", e)
	}
	if w0 := m.WarmUp; mail.Period != "" || len(mail.Periods) != 1 || mail.Periods[0] != (sim.Window{Start: w0, End: w0 + m.Horizon}) || mail.Automation.Slowdown != 3 {
		t.Errorf("mail %+v", mail)
	}
	// Sunday 7 January 02:00-04:00 is maintenance.
	sunday := shanghai(t, s, "2024-01-07 03:00")
	if !g.Maintenance.IsOpen(sunday) || g.Maintenance.IsOpen(sunday+2*time.Hour) {
		t.Error("maintenance windows misplaced")
	}
	// The outages' tickets count in the load: 12 tickets every ~20 days.
	without := *m
	without.Services = nil
	if extra := m.OfferedLoad() - without.OfferedLoad(); extra <= 0 || extra > 0.05 {
		t.Errorf("outage tickets add %.4f Erlangs", extra)
	}
}

func TestServicesProblems(t *testing.T) {
	for _, c := range []struct{ old, new, want string }{
		{"    tier: urgent\n", "    tier: urgnt\n", `services[0].tier: no tier named "urgnt"`},
		{"    tier: urgent\n", "", "services[0].tier: missing"},
		{"    up: {mean: 20d}\n", "", "services[0].up: missing"},
		{"failover: {probability: 70%, ", "failover: {probability: 0, ", "services[0].failover.probability: must be > 0"},
		{"failover: {probability: 70%, time: {distribution: deterministic, mean: 30m}}", "failover: {probability: 70%}", "services[0].failover.time: missing"},
		{"maintenance: sunday night", "maintenance: monday", `services[0].maintenance: no calendar named "monday"`},
		{"tickets: {mean_size: 12, spread: 15m}", "tickets: {mean_size: 0.5}", "services[0].tickets.mean_size: must be from 1"},
		{"automation: stop", "automation: halt", "services[1].automation: must be stop"},
		{"automation: 3", "automation: 0.5", "services[2].automation: must be stop"},
		{"availability: [99.9%, 99.99%]", "availability: [120%]", "services[0].availability[0]: must be a share above 0"},
		{"period: week", "period: fortnight", "services[1].period: must be day, week, month or window"},
		{"  - name: mail\n", "  - name: repair engine\n", "services[2].name: repeats the name of services[1]"},
	} {
		if strings.Count(withServices, c.old) != 1 {
			t.Fatalf("%q is not once in the scenario", c.old)
		}
		_, err := Parse("services.yaml", []byte(strings.Replace(withServices, c.old, c.new, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: %v, want %q", c.old, c.new, err, c.want)
		}
	}
}

// TestServicesOutageRule: the contract's outage rule may price the
// services' downtime, and only a scenario with services.
func TestServicesOutageRule(t *testing.T) {
	contract := `contract:
  fee: {monthly: 100000}
  tiers:
    - {tier: urgent, outage: [1.5, 2]}
  outage: {duration: outage}
`
	s, err := Parse("services.yaml", []byte(withServices+contract))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(describeContract(s.Contract), "Outages:true") {
		t.Errorf("the outage rule does not price outages: %s", describeContract(s.Contract))
	}
	src := withServices[:strings.Index(withServices, "services:")] + contract
	if _, err := Parse("services.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "contract.outage.duration: credits the outages of the scenario's services, and it has none") {
		t.Errorf("duration: outage without services: %v", err)
	}
}
