package scenarios

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

func TestExamples(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %v, not sorted", names)
	}
	for _, want := range []string{"business-hours", "default", "erlang-c", "follow-the-sun", "p0-p4"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %v, missing %s", names, want)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			src, ok := Source(name)
			if !ok || len(src) == 0 {
				t.Fatalf("Source(%q) = %d bytes, %v", name, len(src), ok)
			}
			// A file users copy should explain itself.
			if !strings.HasPrefix(string(src), "#") {
				t.Errorf("%s does not start with a comment", name)
			}
			s, err := Open(name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != name || s.File != "" {
				t.Errorf("Name %q, File %q", s.Name, s.File)
			}
			if len(s.Warnings) > 0 {
				t.Errorf("warnings: %v", s.Warnings)
			}
			if d := Describe(name); d == "" || strings.Contains(d, "\n") {
				t.Errorf("Describe(%q) = %q, want one line", name, d)
			}
			m := s.Model()
			if err := m.Validate(); err != nil {
				t.Errorf("model: %v", err)
			}
			// The examples are meant to run: stable, and busy enough to be
			// interesting.
			if u := m.OfferedLoad() / m.Capacity(); u < 0.5 || u >= 0.95 {
				t.Errorf("utilisation %.2f, want a realistic one", u)
			}
		})
	}
	if _, ok := Source("nonesuch"); ok {
		t.Error("Source(nonesuch) found")
	}
	if d := Describe("nonesuch"); d != "" {
		t.Errorf("Describe(nonesuch) = %q", d)
	}
}

// TestErlangCExample checks the answer the erlang-c example promises
// against the Erlang C formula for the numbers in the file.
// TestExamplesConserveTickets: in every embedded example, each ticket
// arriving in the measured window is counted once on each clock of its
// tier, and the flow adds up: arrived = resolved by automation + by
// people + open at the horizon, those still open when the drain ends
// among the last. Two one-week replications with a one-day drain, so that
// slow tickets are still open at the end.
func TestExamplesConserveTickets(t *testing.T) {
	t.Parallel()
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := Open(name)
			if err != nil {
				t.Fatal(err)
			}
			s.Simulation.Drain = 24 * time.Hour
			if err := s.SetHorizon(sim.Week); err != nil {
				t.Fatal(err)
			}
			res, err := sim.Run(context.Background(), s.Model(), sim.Options{Seed: 5, Replications: 2})
			if err != nil || res.Unstable != nil {
				t.Fatal(err, res.Unstable)
			}
			for _, ts := range res.Summary.Tiers {
				f := ts.Flow
				// Every ticket is counted once by the response clock (those
				// that left unanswered without a time), and by the
				// resolution clock unless it left.
				left := f.Abandoned + f.Blocked
				for _, c := range []struct {
					ms       *sim.MetricStats
					n, timed int64
				}{{&ts.Response, f.Arrived, f.Arrived - ts.Response.Unanswered}, {&ts.Resolution, f.Arrived - left, f.Arrived - left}} {
					if ms := c.ms; ms.Tickets != c.n || int64(ms.Times.Count()) != c.timed || ms.Met > ms.Tickets {
						t.Errorf("%s: %d tickets arrived, %d left, a clock counted %d (histogram %d, met %d)", ts.Name, f.Arrived, left, ms.Tickets, ms.Times.Count(), ms.Met)
					}
				}
				if f.Arrived == 0 || f.Arrived != f.ByAutomation+f.ByPeople+left+f.OpenAtHorizon || f.Unresolved > f.OpenAtHorizon {
					t.Errorf("%s: flow does not add up: %+v", ts.Name, f)
				}
			}
		})
	}
}

func TestErlangCExample(t *testing.T) {
	s, err := Open("erlang-c")
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	tier := m.Tiers[0]
	if len(m.Tiers) != 1 || len(tier.Arrivals.Rates) != 1 || tier.Handling.CV() != 1 {
		t.Fatalf("not an M/M/c model: %+v", m)
	}
	a := tier.Arrivals.Rates[0] * tier.Handling.Mean().Hours() // offered load, Erlangs
	c := m.Agents
	// Erlang C: the probability of waiting, by the stable recurrence for
	// Erlang B, then C = B / (1 - ρ(1 - B)).
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := a / float64(c)
	pWait := b / (1 - rho*(1-b))
	mu := 1 / tier.Handling.Mean().Hours()
	response := 1 - pWait*math.Exp(-(float64(c)*mu-a*mu)*tier.Response.Hours())
	if got := math.Round(response*1e4) / 1e4; got != 0.7540 {
		t.Errorf("Erlang C P(W <= %v) = %.4f, the example says 0.7540", tier.Response, response)
	}
	if !strings.Contains(s.Description, "75.40%") {
		t.Errorf("description %q does not state the expected answer", s.Description)
	}
	// The measured window should be long enough to be near the steady state.
	if m.Horizon < 52*7*24*time.Hour || m.WarmUp <= 0 {
		t.Errorf("horizon %v, warm-up %v", m.Horizon, m.WarmUp)
	}
}

func TestOpen(t *testing.T) {
	if s, err := Open("default.yaml"); err != nil || s.Name != "default" {
		t.Errorf("Open(default.yaml) = %v, %v; want the embedded example", s, err)
	}

	// A file wins over an example of the same name.
	dir := t.TempDir()
	t.Chdir(dir)
	src, _ := Source("erlang-c")
	if err := os.WriteFile("default", src, 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Open("default"); err != nil || s.Name != "erlang-c" || s.File != "default" {
		t.Errorf("Open(default) with a file of that name = %v, %v; want the file", s, err)
	}
	path := filepath.Join(dir, "default")
	if s, err := Open(path); err != nil || s.File != path {
		t.Errorf("Open(%s) = %v, %v", path, s, err)
	}

	if err := os.Mkdir("dir", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Open("dir"); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Open(dir) = %v, want an error saying it is a directory", err)
	}

	_, err := Open("nonesuch")
	if err == nil || !strings.Contains(err.Error(), "nonesuch") || !strings.Contains(err.Error(), strings.Join(Names(), ", ")) {
		t.Errorf("Open(nonesuch) = %v, want an error listing the examples", err)
	}
}

// TestBusinessHoursExample checks the due times the business-hours example
// promises in its comments.
func TestBusinessHoursExample(t *testing.T) {
	s, err := Open("business-hours")
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	paris, clock := s.Simulation.Location, s.Epoch()
	local := func(month time.Month, day, hour, minute int) time.Duration {
		year := 2024
		if month == time.January {
			year = 2025
		}
		return clock.Sim(time.Date(year, month, day, hour, minute, 0, 0, paris))
	}
	p2 := m.Tiers[2]
	if p2.Name != "P2" || p2.Response != 2*time.Hour || p2.ResponseCalendar == nil {
		t.Fatalf("P2: %+v", p2)
	}
	for _, tt := range []struct {
		name      string
		from, due time.Duration
	}{
		{"Friday 17:30 is due Monday 10:30", local(time.December, 6, 17, 30), local(time.December, 9, 10, 30)},
		{"Christmas Eve 17:00 is due on the 26th at 10:00", local(time.December, 24, 17, 0), local(time.December, 26, 10, 0)},
		{"New Year's Eve 17:30 is due on 2 January at 10:30", local(time.December, 31, 17, 30), local(time.January, 2, 10, 30)},
	} {
		if due, ok := p2.ResponseCalendar.Due(tt.from, p2.Response); !ok || due != tt.due {
			t.Errorf("%s: due %v", tt.name, clock.Origin.Add(due).In(paris))
		}
	}
	// P0 keeps a 24-hour clock, with relaxed targets when the office is
	// closed: Christmas Day at noon is out of hours.
	p0 := m.Tiers[0]
	if p0.ResponseCalendar != nil || p0.OffHours.Calendar == nil || p0.OffHours.Calendar.IsOpen(local(time.December, 25, 12, 0)) ||
		!p0.OffHours.Calendar.IsOpen(local(time.December, 27, 12, 0)) || p0.OffHours.Response != 4*time.Hour {
		t.Errorf("P0: %+v", p0)
	}
}

// TestFollowTheSunExample checks that each region's shifts follow its own
// clock through the March changes to summer time.
func TestFollowTheSunExample(t *testing.T) {
	s, err := Open("follow-the-sun")
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	clock := s.Epoch()
	utc := func(month time.Month, day, hour, minute int) time.Duration {
		return clock.Sim(time.Date(2024, month, day, hour, minute, 0, 0, time.UTC))
	}
	paris, newYork := m.Teams[0], m.Teams[1]
	if paris.Name != "Paris" || newYork.Name != "New York" {
		t.Fatalf("teams %s, %s", paris.Name, newYork.Name)
	}
	for _, tt := range []struct {
		name  string
		steps sim.Steps
		at    time.Duration
		want  int
	}{
		// Winter: New York opens at 13:00 UTC, Paris at 07:00 UTC.
		{"New York, Tuesday 5 March 12:30 UTC", newYork.OnSite, utc(time.March, 5, 12, 30), 0},
		{"New York, Tuesday 5 March 13:00 UTC", newYork.OnSite, utc(time.March, 5, 13, 0), 6},
		{"Paris, Tuesday 5 March 07:00 UTC", paris.OnSite, utc(time.March, 5, 7, 0), 8},
		// From 10 March New York is on summer time, Paris not yet.
		{"New York, Tuesday 12 March 12:30 UTC", newYork.OnSite, utc(time.March, 12, 12, 30), 6},
		{"New York, Tuesday 12 March 22:30 UTC", newYork.OnSite, utc(time.March, 12, 22, 30), 0},
		{"Paris, Tuesday 12 March 06:30 UTC", paris.OnSite, utc(time.March, 12, 6, 30), 0},
		// From 31 March both are: Paris opens at 06:00 UTC.
		{"Paris, Tuesday 2 April 06:30 UTC", paris.OnSite, utc(time.April, 2, 6, 30), 8},
		{"Paris, Tuesday 2 April 16:30 UTC", paris.OnSite, utc(time.April, 2, 16, 30), 0},
	} {
		if got := stepsAt(tt.steps, tt.at); got != tt.want {
			t.Errorf("%s: %d agents, want %d", tt.name, got, tt.want)
		}
	}
}
