package scenarios

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// springFestival is a desk over mainland China's 2024 Spring Festival:
// Saturday 10 to Saturday 17 February off, Sundays 4 and 18 February
// worked as Mondays (Monday 5 is the first measured day; the warm-up's
// day is Sunday 4).
const springFestival = `name: spring
simulation: {start: 2024-02-05, timezone: Asia/Shanghai, horizon: 3w, warm_up: 1d}
calendars:
  - name: china
    hours: {mon-fri: "09:00-18:00"}
    holidays: [2024-02-10, 2024-02-11, 2024-02-12, 2024-02-13, 2024-02-14, 2024-02-15, 2024-02-16, 2024-02-17]
    workdays: [2024-02-04, {date: 2024-02-18, as: fri}]
arrivals:
  volume: 100/day
  calendar: china
  profile:
    by_day: {mon: 2, tue: 1, wed: 1, thu: 1, fri: 1.5, sat: 0.5, sun: 0.25}
tiers:
  - name: all
    share: 100%
    targets: {response: 1h, resolution: 1d, calendar: china}
    handling: {mean: 20m}
teams:
  - name: desk
    holidays: china
    shifts:
      - {days: mon-fri, hours: "09:00-18:00", agents: 8}
      - {days: weekend, hours: "10:00-16:00", agents: 3}
  - name: duty
    shifts:
      - {hours: "00:00-24:00", agents: 1}
`

// shanghai is the simulation time of a local instant of the scenario.
func shanghai(t *testing.T, s *Scenario, when string) time.Duration {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", when, s.Simulation.Location)
	if err != nil {
		t.Fatal(err)
	}
	return s.Epoch().Sim(v)
}

func TestDatedCalendar(t *testing.T) {
	s, err := Parse("spring.yaml", []byte(springFestival))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	// The profile's mean day weight: (2+1+1+1+1.5+0.5+0.25)/7.
	unit := 100.0 / 24 / (7.25 / 7)
	for _, c := range []struct {
		when   string
		weight float64 // the day's weight
		desk   float64 // agents of the desk on site
		open   bool    // the business calendar
	}{
		{"2024-02-04 10:00", 2, 8, true},      // make-up Sunday, as a Monday
		{"2024-02-05 10:00", 2, 8, true},      // a Monday
		{"2024-02-09 10:00", 1.5, 8, true},    // Friday, New Year's Eve: worked
		{"2024-02-10 12:00", 0.375, 0, false}, // Saturday, a holiday: weekend volume, desk off
		{"2024-02-12 10:00", 0.375, 0, false}, // Monday, a holiday
		{"2024-02-18 10:00", 1.5, 8, true},    // make-up Sunday, as a Friday
		{"2024-02-24 12:00", 0.5, 3, false},   // an ordinary Saturday
		{"2024-02-25 12:00", 0.25, 3, false},  // an ordinary Sunday
		{"2024-02-18 08:00", 1.5, 0, false},   // before the make-up day's hours
		{"2024-02-04 17:59", 2, 8, true},      // the end of the make-up day
		{"2024-02-10 00:00", 0.375, 0, false}, // the holiday's first instant
		{"2024-02-17 23:59", 0.375, 0, false}, // the holiday's last
		{"2024-02-19 09:30", 2, 8, true},      // back to normal
		{"2024-02-04 08:59", 2, 0, false},     // the make-up day before hours
		{"2024-02-23 18:00", 1.5, 0, false},   // a Friday after hours
		{"2024-02-24 10:00", 0.5, 3, false},   // it has begun
		{"2024-02-18 17:00", 1.5, 8, true},    // the make-up Sunday works a Friday's hours
		{"2024-02-07 12:00", 1, 8, true},      // an ordinary Wednesday
		{"2024-02-10 10:00", 0.375, 0, false}, // Saturday, a holiday: no weekend shift
		{"2024-02-11 10:00", 0.375, 0, false}, // Sunday, a holiday: no weekend shift
		{"2024-02-25 10:00", 0.25, 3, false},  // Sunday in the weekend shift
		{"2024-02-12 17:59", 0.375, 0, false}, // a holiday Monday's hours stay closed
		{"2024-02-18 18:00", 1.5, 0, false},   // the make-up day after hours
	} {
		at := shanghai(t, s, c.when)
		if got := rateAt(m, 0, at); math.Abs(got-unit*c.weight) > 1e-9 {
			t.Errorf("%s: %.4f tickets/h, want %.4f (day weight %g)", c.when, got, unit*c.weight, c.weight)
		}
		if got := m.Teams[0].OnSite.Mean(at, at+time.Second); got != c.desk {
			t.Errorf("%s: desk of %g, want %g", c.when, got, c.desk)
		}
		if got := m.Tiers[0].ResponseCalendar.IsOpen(at); got != c.open {
			t.Errorf("%s: calendar open %v, want %v", c.when, got, c.open)
		}
		if got := m.Teams[1].OnSite.Mean(at, at+time.Second); got != 1 {
			t.Errorf("%s: duty of %g, want 1 whatever the date", c.when, got)
		}
	}
	// A business-hours clock across the weekend and a make-up day: from
	// Saturday 3 February 17:00 to Monday 5 February 10:00, Sunday 4
	// February's nine hours and Monday's first hour.
	cal := m.Tiers[0].ResponseCalendar
	if got := cal.Elapsed(shanghai(t, s, "2024-02-04 00:00"), shanghai(t, s, "2024-02-05 10:00")); got != 10*time.Hour {
		t.Errorf("Sunday 4 to Monday 5 February 10:00: %v of business time, want 10h", got)
	}
	// Over the festival: from Friday 9 February 17:00 to Sunday 18
	// February 10:00, Friday's last hour and the make-up Sunday's first.
	if got := cal.Elapsed(shanghai(t, s, "2024-02-09 17:00"), shanghai(t, s, "2024-02-18 10:00")); got != 2*time.Hour {
		t.Errorf("over the festival: %v of business time, want 2h", got)
	}
	if due, ok := cal.Due(shanghai(t, s, "2024-02-09 17:30"), time.Hour); !ok || due != shanghai(t, s, "2024-02-18 09:30") {
		t.Errorf("an hour from Friday 17:30 is due at %v, want Sunday 18 February 09:30", s.Epoch().Origin.Add(due).In(s.Simulation.Location))
	}
}

func TestHolidayVolume(t *testing.T) {
	unit := 100.0 / 24 / (7.25 / 7)
	for _, c := range []struct {
		on     string
		weight float64 // on Monday 12 February, a holiday
	}{
		{"", 0.375},
		{"on_holidays: weekend", 0.375},
		{"on_holidays: sun", 0.25},
		{"on_holidays: sat", 0.5},
		{"on_holidays: 30%", 0.6},
		{"on_holidays: 0", 0},
	} {
		src := strings.Replace(springFestival, "  calendar: china\n", "  calendar: china\n  "+c.on+"\n", 1)
		s, err := Parse("spring.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", c.on, err)
		}
		m := s.Model()
		if got := rateAt(m, 0, shanghai(t, s, "2024-02-12 10:00")); math.Abs(got-unit*c.weight) > 1e-9 {
			t.Errorf("%q: %.4f tickets/h on a holiday Monday, want %.4f", c.on, got, unit*c.weight)
		}
		if got := rateAt(m, 0, shanghai(t, s, "2024-02-19 10:00")); math.Abs(got-unit*2) > 1e-9 {
			t.Errorf("%q: %.4f tickets/h on an ordinary Monday, want %.4f", c.on, got, unit*2)
		}
	}
	// Without the arrivals' calendar, the holidays close the desk and leave
	// the volume at the weekday's.
	s, err := Parse("spring.yaml", []byte(strings.Replace(springFestival, "  calendar: china\n", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := rateAt(s.Model(), 0, shanghai(t, s, "2024-02-12 10:00")); math.Abs(got-unit*2) > 1e-9 {
		t.Errorf("no arrivals calendar: %.4f tickets/h on a holiday Monday, want a Monday's %.4f", got, unit*2)
	}
}

func TestDatedCalendarProblems(t *testing.T) {
	for _, c := range []struct {
		old, new, want string
	}{
		{"workdays: [2024-02-04, {date: 2024-02-18, as: fri}]", "workdays: [2024-02-10]",
			"calendars[0].workdays[0]: 2024-02-10 is a holiday of the calendar too"},
		{"workdays: [2024-02-04, {date: 2024-02-18, as: fri}]", "workdays: [2024-02-04, 2024-02-04]",
			"calendars[0].workdays[1]: repeats 2024-02-04"},
		{"{date: 2024-02-18, as: fri}", "{date: 2024-02-18, as: mon-fri}",
			"calendars[0].workdays[1].as: must be one day of the week"},
		{"{date: 2024-02-18, as: fri}", "{as: fri}", "calendars[0].workdays[1]: missing date"},
		{"{date: 2024-02-18, as: fri}", "{date: 2024-02-18, like: fri}", `calendars[0].workdays[1].like: unknown field "like"`},
		{"{date: 2024-02-18, as: fri}", "2024-02-30", "calendars[0].workdays[1]: \"2024-02-30\" is not a date"},
		{"  calendar: china\n", "  calendar: chna\n", `arrivals.calendar: no calendar named "chna"`},
		{"  calendar: china\n", "  calendar: china\n  on_holidays: sometimes\n", "arrivals.on_holidays: must be a number or a percentage"},
		{"  calendar: china\n", "  calendar: china\n  on_holidays: 2000%\n", "arrivals.on_holidays: must be a factor from 0 to 10"},
		{"  calendar: china\n", "  on_holidays: sun\n", "arrivals.on_holidays: needs calendar"},
	} {
		if !strings.Contains(springFestival, c.old) {
			t.Fatalf("%q is not in the scenario", c.old)
		}
		_, err := Parse("spring.yaml", []byte(strings.Replace(springFestival, c.old, c.new, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: error %v, want %q", c.old, c.new, err, c.want)
		}
	}
}

func TestPeriods(t *testing.T) {
	src := strings.Replace(springFestival, "simulation: {start: 2024-02-05, timezone: Asia/Shanghai, horizon: 3w, warm_up: 1d}",
		"simulation: {start: 2024-01-29, timezone: Europe/Paris, horizon: 10w, warm_up: 1d, periods: [month, day, week]}", 1)
	s, err := Parse("spring.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	d := m.Dates
	// Ten weeks of 168 hours end at 01:00 on Monday 8 April, summer time
	// having taken an hour: a last day of an hour, in no day period.
	if len(d.Starts) != 71 || d.Labels[0] != "2024-01-29" || d.Labels[70] != "2024-04-08" {
		t.Fatalf("%d days from %s to %s", len(d.Starts), d.Labels[0], d.Labels[len(d.Labels)-1])
	}
	// Sunday 31 March has 23 hours in Paris.
	if got := d.Starts[63] - d.Starts[62]; got != 23*time.Hour {
		t.Errorf("31 March lasts %v", got)
	}
	var kinds []string
	for _, p := range d.Periods {
		kinds = append(kinds, fmt.Sprintf("%s %s %d-%d", p.Kind, p.Label, p.First, p.End))
	}
	got := strings.Join(kinds, "; ")
	for _, want := range []string{"day 2024-01-29 0-1", "day 2024-04-07 69-70", "week 2024-W05 0-7", "week 2024-W14 63-70", "month 2024-02 3-32", "month 2024-03 32-63"} {
		if !strings.Contains(got, want) {
			t.Errorf("periods lack %q: %s", want, got)
		}
	}
	if n := strings.Count(got, "day "); n != 70 {
		t.Errorf("%d day periods", n)
	}
	if n := strings.Count(got, "week "); n != 10 {
		t.Errorf("%d weeks", n)
	}
	if n := strings.Count(got, "month "); n != 2 {
		t.Errorf("%d months, want February and March (January and April are partial): %s", n, got)
	}
	// Without periods, no results by date.
	if s, err := Parse("spring.yaml", []byte(springFestival)); err != nil || s.Model().Dates.Starts != nil {
		t.Errorf("no periods asked: %v, dates %v", err, s.Model().Dates.Starts)
	}
	for _, bad := range []struct{ periods, want string }{
		{"[fortnight]", "must be day, week or month, got fortnight"},
		{"[day, day]", "repeats day"},
		{"month", "must be a list"},
	} {
		_, err := Parse("spring.yaml", []byte(strings.Replace(src, "periods: [month, day, week]", "periods: "+bad.periods, 1)))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("periods: %s: %v, want %q", bad.periods, err, bad.want)
		}
	}
}
