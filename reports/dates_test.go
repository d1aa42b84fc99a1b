package reports

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestDates checks the figures by period and date in every format: the
// periods' tickets add up to the window's, the text names the worst dates
// of a target missed, and the CSV files hold a row per period (or date),
// tier and clock.
func TestDates(t *testing.T) {
	day := 24 * time.Hour
	m := &sim.Model{WarmUp: day, Horizon: 2 * sim.Week,
		Tiers: []sim.Tier{
			// Routine tickets flood in on Thursdays.
			{Name: "routine", Arrivals: sim.ArrivalProfile{Interval: day, Rates: []float64{2, 2, 2, 8, 2, 2, 2}},
				Handling: sim.Exponential{Mu: 20 * time.Minute}, Response: 15 * time.Minute, Resolution: 4 * time.Hour},
		},
		Agents: 2}
	for d := range 14 {
		label := time.Date(2024, time.January, 1+d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		m.Dates.Starts = append(m.Dates.Starts, day+time.Duration(d)*day)
		m.Dates.Labels = append(m.Dates.Labels, label)
	}
	m.Dates.Periods = []sim.Period{{Kind: "week", Label: "2024-W01", First: 0, End: 7}, {Kind: "week", Label: "2024-W02", First: 7, End: 14}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 6})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "dates", File: "test", Model: m, Level: 0.95})
	if len(r.Periods) != 2 || len(r.Dates) != 14 {
		t.Fatalf("%d periods and %d dates", len(r.Periods), len(r.Dates))
	}
	var tickets int64
	for _, p := range r.Periods {
		tickets += p.Tiers[0].Response.Tickets
		if a := p.Tiers[0].Response.Attainment; a == nil || a.N != 6 {
			t.Errorf("%s: attainment %+v", p.Label, a)
		}
	}
	if want := r.Tiers[0].Response.Tickets; tickets != want {
		t.Errorf("the weeks hold %d tickets, the window %d", tickets, want)
	}
	var text strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{"Attainment by week", "2024-W01", "2024-W02", "then the date", "Thu 2024-01-04", "Thu 2024-01-11"} {
		if !strings.Contains(out, want) {
			t.Errorf("the text lacks %q:\n%s", want, out)
		}
	}
	for _, c := range []struct {
		write func(*strings.Builder) error
		rows  int
		head  string
	}{
		{func(b *strings.Builder) error { return r.WritePeriodsCSV(b) }, 2 * 2, "kind,period,from,to,tier,clock,replications"},
		{func(b *strings.Builder) error { return r.WriteDatesCSV(b) }, 14 * 2, "date,tier,clock,tickets,met"},
	} {
		var b strings.Builder
		if err := c.write(&b); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil || len(rows) != c.rows+1 || !strings.HasPrefix(b.String(), c.head) {
			t.Errorf("%d rows (%v), want %d after the header %q:\n%s", len(rows), err, c.rows, c.head, b.String())
		}
	}
	// Without dates the report has none, and says nothing of them.
	m.Dates = sim.Dates{}
	res, _ = sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2})
	r = New(t.Context(), res, Meta{Version: "test", Scenario: "dates", File: "test", Model: m, Level: 0.95})
	text.Reset()
	if err := r.WriteText(&text); err != nil || r.Periods != nil || r.Dates != nil || strings.Contains(text.String(), "the date") || strings.Contains(text.String(), "Attainment by") {
		t.Errorf("no dates: %v, %d periods, %d dates:\n%s", err, len(r.Periods), len(r.Dates), text.String())
	}
}
