package staffing

import (
	"testing"
	"time"
)

func officeHours(loc *time.Location, holidays ...Date) *Calendar {
	c := &Calendar{Week{Location: loc, Dates: Dates{Holidays: holidays}}}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Days[d] = []Span{{9 * time.Hour, 18 * time.Hour}}
	}
	return c
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

// lunchAndSaturday opens Monday to Friday 08:00-12:00 and 13:00-18:00,
// and Saturday 09:00-14:00.
func lunchAndSaturday(loc *time.Location) *Calendar {
	c := &Calendar{Week{Location: loc}}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Days[d] = []Span{{8 * time.Hour, 12 * time.Hour}, {13 * time.Hour, 18 * time.Hour}}
	}
	c.Days[time.Saturday] = []Span{{9 * time.Hour, 14 * time.Hour}}
	return c
}

func TestCalendarDue(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	newYork := mustLoad(t, "America/New_York")
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	christmas := Date{2026, time.December, 25}
	tests := []struct {
		name     string
		cal      *Calendar
		loc      *time.Location
		from     string
		target   time.Duration
		due      string
		elapsed  time.Duration // business time from "from" to "due"
		openFrom bool
	}{
		{"inside a day", officeHours(time.UTC), time.UTC, "2026-11-24 10:00", time.Hour, "2026-11-24 11:00", time.Hour, true},
		{"Friday 17:30 + 1h is Monday 09:30", officeHours(time.UTC), time.UTC, "2026-11-27 17:30", time.Hour, "2026-11-30 09:30", time.Hour, true},
		{"opened on Saturday", officeHours(time.UTC), time.UTC, "2026-11-28 12:00", time.Hour, "2026-11-30 10:00", time.Hour, false},
		{"opened before hours", officeHours(time.UTC), time.UTC, "2026-11-24 07:00", 30 * time.Minute, "2026-11-24 09:30", 30 * time.Minute, false},
		{"holiday skipped", officeHours(time.UTC, christmas), time.UTC, "2026-12-24 17:00", 2 * time.Hour, "2026-12-28 10:00", 2 * time.Hour, true},
		{"several days", officeHours(time.UTC), time.UTC, "2026-11-24 09:00", 24 * time.Hour, "2026-11-26 15:00", 24 * time.Hour, true},
		// Europe/Paris moves to summer time on Sunday 2026-03-29: Monday
		// still opens at 09:00 local, which is 07:00 UTC instead of 08:00.
		{"across daylight saving", officeHours(paris), paris, "2026-03-27 17:00", 2 * time.Hour, "2026-03-30 10:00", 2 * time.Hour, true},
		{"over a lunch break", lunchAndSaturday(time.UTC), time.UTC, "2026-11-24 11:30", time.Hour, "2026-11-24 13:30", time.Hour, true},
		{"Friday afternoon to Saturday morning", lunchAndSaturday(time.UTC), time.UTC, "2026-11-27 17:00", 2 * time.Hour, "2026-11-28 10:00", 2 * time.Hour, true},
		{"Saturday closes at 14:00", lunchAndSaturday(time.UTC), time.UTC, "2026-11-28 13:00", 2 * time.Hour, "2026-11-30 09:00", 2 * time.Hour, true},
		// The calendar in New York's time, the instants in Paris's: Friday
		// 22:30 in Paris is 17:30 in New York, half an hour before closing.
		// New York moves back to standard time on Sunday 1 November, so
		// Monday's 09:00 there is 15:00 in Paris, and the remaining 2h30
		// end at 17:30 Paris time.
		{"another time zone, clocks going back", officeHours(newYork), paris, "2026-10-30 22:30", 3 * time.Hour, "2026-11-02 17:30", 3 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := at(tt.loc, tt.from)
			clock := Epoch{Origin: from.Add(-7 * 24 * time.Hour)}
			tl, err := tt.cal.Timeline(clock, 4*7*24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			due, ok := tl.Due(clock.Sim(from), tt.target)
			if !ok {
				t.Fatal("calendar ran out")
			}
			if got, want := clock.Origin.Add(due), at(tt.loc, tt.due); !got.Equal(want) {
				t.Errorf("due %v, want %v", got.In(tt.loc), want)
			}
			if got := tl.Elapsed(clock.Sim(from), clock.Sim(at(tt.loc, tt.due))); got != tt.elapsed {
				t.Errorf("elapsed %v, want %v", got, tt.elapsed)
			}
			if got := tt.cal.Open(from); got != tt.openFrom {
				t.Errorf("Open(%v) = %v, want %v", from, got, tt.openFrom)
			}
			if got := tl.IsOpen(clock.Sim(from)); got != tt.openFrom {
				t.Errorf("timeline IsOpen = %v, want %v", got, tt.openFrom)
			}
		})
	}
}

func TestCalendarNightSpan(t *testing.T) {
	// A span from 22:00 to 06:00 belongs to the day it starts.
	c := &Calendar{Week{Location: time.UTC}}
	c.Days[time.Monday] = []Span{{22 * time.Hour, 6 * time.Hour}}
	tests := []struct {
		at   string
		open bool
	}{
		{"2026-11-23 21:59", false},
		{"2026-11-23 22:00", true},
		{"2026-11-24 05:59", true},
		{"2026-11-24 06:00", false},
		{"2026-11-24 23:00", false}, // Tuesday night is not in the week
	}
	for _, tt := range tests {
		at, _ := time.Parse("2006-01-02 15:04", tt.at)
		if got := c.Open(at); got != tt.open {
			t.Errorf("Open(%s) = %v, want %v", tt.at, got, tt.open)
		}
	}
}
