package staffing

import (
	"fmt"
	"time"
)

// Span is a time of day range [From, To) within one day. To <= From means
// the span runs past midnight into the next day; From == To is 24 hours.
type Span struct {
	From, To time.Duration
}

// Length is how long the span lasts on a day of 24 hours.
func (s Span) Length() time.Duration {
	if s.To > s.From {
		return s.To - s.From
	}
	return 24*time.Hour - s.From + s.To
}

// Date is a civil date in the calendar's time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a date written 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2026-12-25", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

func dateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// dateSet makes a list of dates quick to look up, day after day.
func dateSet(dates []Date) map[Date]bool {
	set := make(map[Date]bool, len(dates))
	for _, d := range dates {
		set[d] = true
	}
	return set
}

// A Workday is an extra working day: a date, usually of a weekend, that
// works as another day of the week (the make-up working days of a
// calendar that moves them, such as mainland China's 调休).
type Workday struct {
	Date Date
	As   time.Weekday
}

// Dates are the dates on which a weekly pattern does not apply as usual:
// Holidays, when it does not apply at all, and Workdays, which follow the
// pattern of the weekday they stand for.
type Dates struct {
	Holidays []Date
	Workdays []Workday
}

// Lookup makes the dates quick to look up, day after day.
func (ds *Dates) Lookup() DateLookup {
	l := DateLookup{off: dateSet(ds.Holidays)}
	if len(ds.Workdays) > 0 {
		l.as = make(map[Date]time.Weekday, len(ds.Workdays))
		for _, w := range ds.Workdays {
			l.as[w.Date] = w.As
		}
	}
	return l
}

// DateLookup answers, for one date after another, how a weekly pattern
// applies on it.
type DateLookup struct {
	off map[Date]bool
	as  map[Date]time.Weekday
}

// Weekday returns the day of the week whose pattern applies on date d,
// which falls on weekday: its own, or the one it stands for if it is a
// workday; holiday is true when nothing applies.
func (l DateLookup) Weekday(d Date, weekday time.Weekday) (as time.Weekday, holiday bool) {
	if l.off[d] {
		return weekday, true
	}
	if as, ok := l.as[d]; ok {
		return as, false
	}
	return weekday, false
}

// Week is a weekly pattern of spans in a time zone, with dates on which it
// does not apply or applies as on another day. Calendars and shifts are
// both weeks.
type Week struct {
	Location *time.Location
	// Days[time.Monday] lists Monday's spans; a span starting on one day
	// and running past midnight belongs to the day it starts.
	Days [7][]Span
	Dates
}

// Epoch places simulation time on the wall clock: simulation time 0 is
// the instant Origin (the start of the warm-up).
type Epoch struct {
	Origin time.Time
}

// Sim returns the simulation time of wall-clock instant t.
func (c Epoch) Sim(t time.Time) time.Duration { return t.Sub(c.Origin) }

// spans lists the week's spans as simulation-time intervals clipped to
// [0, end), in no particular order.
func (w *Week) spans(c Epoch, end time.Duration) [][2]time.Duration {
	loc := location(w.Location)
	first := c.Origin.In(loc)
	var out [][2]time.Duration
	dates := w.Lookup()
	// Start a day early, for a span that runs past midnight into time 0.
	day := time.Date(first.Year(), first.Month(), first.Day()-1, 0, 0, 0, 0, loc)
	for ; c.Sim(day) < end; day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		as, holiday := dates.Weekday(dateOf(day), day.Weekday())
		if holiday {
			continue
		}
		for _, s := range w.Days[as] {
			lo := max(c.Sim(wallTime(day, s.From)), 0)
			hi := min(c.Sim(wallTime(day, s.From+s.Length())), end)
			if hi > lo {
				out = append(out, [2]time.Duration{lo, hi})
			}
		}
	}
	return out
}

// wallTime is the instant at the given offset of wall-clock time after the
// local midnight starting day: 08:00 is 08:00 local even on a day that
// changes to or from daylight saving time. A time the clocks skip (02:30
// when they move from 02:00 to 03:00) is the instant they skip to, so a
// span inside the gap is empty; a time that occurs twice is its second
// occurrence.
func wallTime(day time.Time, offset time.Duration) time.Time {
	days := int(offset / (24 * time.Hour))
	rest := offset % (24 * time.Hour)
	h, m, s := int(rest/time.Hour), int(rest%time.Hour/time.Minute), int(rest%time.Minute/time.Second)
	t := time.Date(day.Year(), day.Month(), day.Day()+days, h, m, s, 0, day.Location())
	if t.Hour() != h || t.Minute() != m || t.Second() != s {
		// In a gap, time.Date moves forward by the gap's length; the clocks
		// skipped to the start of t's zone period.
		t, _ = t.ZoneBounds()
	}
	return t
}
