package contract

import (
	"fmt"
	"time"
)

// Period is one reporting period of the measured window. A ticket belongs
// to the period it arrives in.
type Period struct {
	// Start and End bound the period in simulation time: [Start, End).
	Start, End time.Duration
	// Begins is the period's first instant on the calendar, in the
	// scenario's time zone.
	Begins time.Time
	// Months is its length in calendar months.
	Months int
}

// Hours is the period's length in hours: calendar months differ, and so
// does a month with a daylight saving change.
func (p Period) Hours() float64 { return (p.End - p.Start).Hours() }

// Label names the period: 2024-03 for a month, 2024-Q1 for a quarter.
func (p Period) Label() string {
	if p.Months == 3 {
		return fmt.Sprintf("%d-Q%d", p.Begins.Year(), (int(p.Begins.Month())+2)/3)
	}
	return p.Begins.Format("2006-01")
}

// CalendarPeriods returns the periods of months calendar months each that
// lie wholly inside [from, to) of simulation time, whose time 0 is the
// instant origin. Periods begin at 00:00 on the first of a month in
// origin's location; periods of several months begin in a month 1, 1 +
// months, 1 + 2·months… of the year (quarters in January, April, July and
// October). A partial period at either end of the window is left out.
func CalendarPeriods(origin time.Time, months int, from, to time.Duration) []Period {
	if months < 1 {
		return nil
	}
	loc := origin.Location()
	start := origin.Add(from).In(loc)
	first := time.Month((int(start.Month())-1)/months*months + 1)
	b := time.Date(start.Year(), first, 1, 0, 0, 0, 0, loc)
	if b.Before(start) {
		b = time.Date(b.Year(), b.Month()+time.Month(months), 1, 0, 0, 0, 0, loc)
	}
	var ps []Period
	for {
		e := time.Date(b.Year(), b.Month()+time.Month(months), 1, 0, 0, 0, 0, loc)
		if e.Sub(origin) > to {
			return ps
		}
		ps = append(ps, Period{Start: b.Sub(origin), End: e.Sub(origin), Begins: b, Months: months})
		b = e
	}
}
