package roster

import (
	"fmt"
	"strings"
	"time"

	"github.com/slasim/slasim/staffing"
)

// Rules are what a planner asks of every person's roster. A zero value
// leaves its rule out.
type Rules struct {
	// DaysOff is the fewest days off in each week of the plan.
	DaysOff int
	// MaxConsecutive is the most days worked in a row.
	MaxConsecutive int
	// MinRest is the least time between the end of one shift and the
	// start of the next.
	MinRest time.Duration
	// MinHours and MaxHours bound the hours worked in each week of the
	// plan.
	MinHours, MaxHours float64
}

// DefaultRules are common labour rules: two days off a week, at most six
// days in a row, 11 hours' rest between shifts and at most 48 hours a week
// (the European working-time directive's daily rest and weekly maximum).
var DefaultRules = Rules{DaysOff: 2, MaxConsecutive: 6, MinRest: 11 * time.Hour, MaxHours: 48}

// Check reports what is wrong with the rules.
func (r *Rules) Check() error {
	switch {
	case r.DaysOff < 0 || r.DaysOff > 7:
		return fmt.Errorf("days off a week must be from 0 to 7, got %d", r.DaysOff)
	case r.MaxConsecutive < 0:
		return fmt.Errorf("max consecutive days must be 0 (no limit) or more, got %d", r.MaxConsecutive)
	case r.MinRest < 0 || r.MinRest > 7*24*time.Hour:
		return fmt.Errorf("min rest must be from 0 to a week, got %v", r.MinRest)
	case r.MinHours < 0 || r.MaxHours < 0 || r.MaxHours > 168 || r.MinHours > 168:
		return fmt.Errorf("weekly hours must be from 0 to 168, got min %g, max %g", r.MinHours, r.MaxHours)
	case r.MaxHours > 0 && r.MinHours > r.MaxHours:
		return fmt.Errorf("weekly hours: min %g above max %g", r.MinHours, r.MaxHours)
	}
	return nil
}

// A Team is what to roster: its shifts over the plan's days, and its
// people (names; none lets MinPeople choose how many).
type Team struct {
	Name   string
	Shifts []staffing.Shift
	People []string
}

// Limits on a plan, checked before anything is allocated.
const (
	MaxWeeks  = 104
	MaxPeople = 10000
	// MaxPlaces bounds the places to fill in a plan (shifts × days × head
	// count).
	MaxPlaces = 5_000_000
)

// Day is a day of the plan.
type Day struct {
	Date    staffing.Date
	Weekday time.Weekday
	// Week is the week of the plan it falls in, from 0.
	Week int
}

// Label names the day as a planner reads it: week 2 Sunday (2024-01-14).
func (d Day) Label() string {
	return fmt.Sprintf("week %d %s (%s)", d.Week+1, d.Weekday, d.Date)
}

// Duty is one shift on one day: Need people work it.
type Duty struct {
	Day   int
	Shift int
	// Start is the time of day it starts at; Length how long it lasts,
	// on the wall clock (the hours counted).
	Start, Length time.Duration
	// from and to are when it starts and ends in fact, from 00:00 UTC of
	// the plan's first day: the clock's changes make rest, unlike hours,
	// shorter or longer than the wall clock says.
	from, to time.Duration
	Need     int
	OnCall   bool
	Night    bool
	Weekend  bool
}

// Plan is a team's shifts laid over the days of a planning period.
type Plan struct {
	Team   string
	Days   []Day
	Shifts []string // names, such as 08:00-20:00 or 00:00-24:00 on call
	// Duties are in day order; ByDay[d] holds the indexes of day d's.
	Duties []Duty
	ByDay  [][]int
}

// NewPlan lays the team's shifts over weeks weeks from start: a shift
// works on a date as its calendar says (holidays off, extra working days
// as the weekday they stand for).
func NewPlan(t *Team, start staffing.Date, weeks int) (*Plan, error) {
	if weeks < 1 || weeks > MaxWeeks {
		return nil, fmt.Errorf("the plan must be 1 to %d weeks, got %d", MaxWeeks, weeks)
	}
	p := &Plan{Team: t.Name, ByDay: make([][]int, 7*weeks)}
	first := time.Date(start.Year, start.Month, start.Day, 12, 0, 0, 0, time.UTC)
	for d := range 7 * weeks {
		day := first.AddDate(0, 0, d)
		p.Days = append(p.Days, Day{Date: staffing.Date{Year: day.Year(), Month: day.Month(), Day: day.Day()}, Weekday: day.Weekday(), Week: d / 7})
	}
	places := 0
	origin := time.Date(start.Year, start.Month, start.Day, 0, 0, 0, 0, time.UTC)
	for i := range t.Shifts {
		sh := &t.Shifts[i]
		lookup := sh.Lookup()
		loc := sh.Location
		if loc == nil {
			loc = time.UTC
		}
		name := ""
		for d, day := range p.Days {
			as, holiday := lookup.Weekday(day.Date, day.Weekday)
			if holiday || sh.Agents == 0 {
				continue
			}
			for _, span := range sh.Days[as] {
				if name == "" {
					name = span.String()
				}
				places += sh.Agents
				if places > MaxPlaces {
					return nil, fmt.Errorf("team %s: more than %d places to fill over %d weeks", t.Name, MaxPlaces, weeks)
				}
				// time.Date reads the hours past midnight on the wall clock.
				at := func(wall time.Duration) time.Duration {
					return time.Date(day.Date.Year, day.Date.Month, day.Date.Day, 0, 0, 0, int(wall), loc).Sub(origin)
				}
				duty := Duty{Day: d, Shift: i, Start: span.From, Length: span.Length(), Need: sh.Agents, OnCall: sh.OnCall,
					Night: nightHours(span.From, span.Length()) >= 3*time.Hour, Weekend: day.Weekday == time.Saturday || day.Weekday == time.Sunday,
					from: at(span.From), to: at(span.From + span.Length())}
				p.ByDay[d] = append(p.ByDay[d], len(p.Duties))
				p.Duties = append(p.Duties, duty)
			}
		}
		if name == "" {
			name = fmt.Sprintf("shift %d", i+1)
		}
		if sh.OnCall {
			name += " on call"
		}
		p.Shifts = append(p.Shifts, name)
	}
	return p, nil
}

// nightHours is the time a shift starting at start (time of day) and
// lasting length spends between 22:00 and 06:00.
func nightHours(start, length time.Duration) time.Duration {
	const day = 24 * time.Hour
	var night time.Duration
	// Night windows [22:00, 30:00) of the day before, the day and the next
	// two, against the shift [start, start+length).
	for k := -1; k <= 2; k++ {
		lo, hi := time.Duration(k)*day+22*time.Hour, time.Duration(k)*day+30*time.Hour
		night += max(0, min(hi, start+length)-max(lo, start))
	}
	return night
}

// Roster is a plan with people: Work[p][d] is the duty person p works on
// day d, -1 for a day off.
type Roster struct {
	*Plan
	Rules  Rules
	People []string
	Work   [][]int
}

// Names returns n generated names for a team: "night-desk 01" onwards.
func Names(team string, n int) []string {
	base := strings.Join(strings.Fields(team), "-")
	width := len(fmt.Sprint(n))
	width = max(width, 2)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s %0*d", base, width, i+1)
	}
	return names
}

// end is the time a duty ends, and start when it starts, in fact, from
// 00:00 UTC of the plan's first day.
func (p *Plan) end(k int) time.Duration { return p.Duties[k].to }

func (p *Plan) start(k int) time.Duration { return p.Duties[k].from }
