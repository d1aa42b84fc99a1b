package reports

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestServices checks a service's figures in the text and JSON reports:
// a service down 2 hours of every 12, judged by the day, with an hour of
// planned maintenance a day, one of which it is down.
func TestServices(t *testing.T) {
	h, day := time.Hour, 24*time.Hour
	var open, closed []time.Duration
	for d := time.Duration(0); d < 5*day; d += day {
		open, closed = append(open, d+10*h), append(closed, d+11*h)
	}
	maint, err := sim.NewCalendar(open, closed)
	if err != nil {
		t.Fatal(err)
	}
	m := &sim.Model{WarmUp: day, Horizon: 2 * day, Agents: 1,
		Tiers: []sim.Tier{{Name: "urgent", Arrivals: sim.ConstantRate(0), Handling: sim.Exponential{Mu: h}, Response: h, Resolution: 4 * h}},
		Services: []sim.Service{{Name: "gateway", Up: sim.Deterministic{Value: 10 * h}, Restore: sim.Deterministic{Value: 2 * h},
			Maintenance: maint, Periods: []sim.Window{{Start: day, End: 2 * day}, {Start: 2 * day, End: 3 * day}}, Period: "day", Levels: []float64{0.9, 0.95}}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "services", File: "test", Model: m, Level: 0.95})
	// Outages [10, 12), [22, 24) of each day: 4 h down a day, one in
	// maintenance, of 23 agreed.
	s := r.Services[0]
	if s.Tier != "urgent" || s.Period != "day" || s.Periods != 2 || s.MaintenancePerPeriodS != 3600 ||
		s.DowntimePerPeriodS.Mean != 3*3600 || s.OutagesPerPeriod.Mean != 2 || s.Availability.Mean != 1-3.0/23 ||
		s.Levels[0].Meets.Mean != 0 || s.Levels[1].Meets.Mean != 0 {
		t.Errorf("figures %+v", s)
	}
	var text strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gateway (urgent): availability 86.957%", "a day: 2 outages, downtime 3h", "maintenance 1h", "meets 90% in 0.0%"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, text.String())
		}
	}
	var page strings.Builder
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<ul id="services">`, "<b>gateway (urgent)</b>: availability 86.957%", "meets 90% in 0.0%"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	var csv strings.Builder
	if err := r.WriteServicesCSV(&csv); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "service,tier,period,periods,availability,") ||
		!strings.HasPrefix(rows[1], "gateway,urgent,day,2,0.8695652173913043,") || !strings.Contains(rows[1], ",10800,") ||
		!strings.Contains(rows[1], ",3600,0.9,0,") || !strings.Contains(rows[2], ",3600,0.95,0,") {
		t.Errorf("services.csv:\n%s", csv.String())
	}
	var js strings.Builder
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal([]byte(js.String()), &back); err != nil || len(back.Services) != 1 || back.Services[0].DowntimePerPeriodS.Mean != 10800 {
		t.Errorf("JSON services: %v %+v", err, back.Services)
	}
}
