package staffing

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
)

// A Shift is a number of agents at work, or on call, during the spans of a
// week: Monday to Friday 08:00–20:00 with six agents is a Week whose
// Monday to Friday each hold the span 08:00–20:00, and Agents 6. The
// shift is off on the week's Holidays, and works its Workdays as the day
// each stands for; a span that runs past midnight belongs to the day it
// starts.
type Shift struct {
	Week
	Agents int
	// OnCall agents are not at work but can be paged.
	OnCall bool
}

// Add adds the span s to each of the days.
func (w *Week) Add(days Days, s Span) {
	for d, on := range days {
		if on {
			w.Days[d] = append(w.Days[d], s)
		}
	}
}

// Intervals is staffing given per interval of the week, the way
// workforce-management tools export it: the week from Monday 00:00 local
// time is cut into len(Agents) equal intervals (336 half hours, 672
// quarter hours), and Agents[i] agents are at work during the i-th. They
// follow the wall clock: on the day clocks go forward the skipped
// intervals are not worked, on the day they go back the repeated ones are
// worked twice. No one works on Holidays, and Workdays are staffed as the
// day each stands for.
type Intervals struct {
	Location *time.Location
	Agents   []int
	Dates
}

// A Schedule is a team's staffing: shifts and interval staffing, which
// add up where they overlap.
type Schedule struct {
	Shifts    []Shift
	Intervals []Intervals
}

// Timelines returns the number of the team's agents at work and the
// number on call over simulation time [0, end).
func (s *Schedule) Timelines(c Epoch, end time.Duration) (onSite, onCall sim.Steps) {
	var site, call []change
	for i := range s.Shifts {
		sh := &s.Shifts[i]
		changes := &site
		if sh.OnCall {
			changes = &call
		}
		for _, sp := range sh.spans(c, end) {
			*changes = append(*changes, change{sp[0], sh.Agents}, change{sp[1], -sh.Agents})
		}
	}
	for i := range s.Intervals {
		site = append(site, s.Intervals[i].changes(c, end)...)
	}
	return steps(site), steps(call)
}

// Sum returns the timeline of the sum of the given timelines.
func Sum(ts ...sim.Steps) sim.Steps {
	var cs []change
	for _, t := range ts {
		prev := 0
		for i, at := range t.At {
			cs = append(cs, change{at, t.Value[i] - prev})
			prev = t.Value[i]
		}
	}
	return steps(cs)
}

// A change is a step up or down of a head count.
type change struct {
	at    time.Duration
	delta int
}

// steps adds up changes into a timeline that starts at 0 and steps only
// where its value changes.
func steps(cs []change) sim.Steps {
	// Changes at the same time are added up before a step is made, so
	// their order does not matter and the sort need not be stable.
	slices.SortFunc(cs, func(a, b change) int { return cmp.Compare(a.at, b.at) })
	s := sim.Steps{At: []time.Duration{0}, Value: []int{0}}
	n := 0
	for i, c := range cs {
		n += c.delta
		if i+1 < len(cs) && cs[i+1].at == c.at {
			continue
		}
		s.Set(c.at, n)
	}
	return s
}

// quarter is the step at which interval staffing is sampled: every time
// zone offset, and so every interval boundary, falls on a quarter hour.
const quarter = 15 * time.Minute

// changes lists the steps of the head count over [0, end), found by
// reading the pattern every quarter hour from the local midnight before
// time 0.
func (iv *Intervals) changes(c Epoch, end time.Duration) []change {
	var out []change
	prev := 0
	iv.walk(c, end, func(at time.Duration, k int) {
		agents := 0
		if k >= 0 {
			agents = iv.Agents[k]
		}
		if agents != prev {
			out = append(out, change{at, agents - prev})
			prev = agents
		}
	})
	return out
}

// Units returns, for each interval of the week, the timeline of one agent
// at work in it over simulation time [0, end), as Timelines lays the
// pattern out (wall clock, holidays, workdays): the pieces a head count per
// interval is made of, so that Σ Agents[k]·Units[k] is the pattern's
// timeline.
func (iv *Intervals) Units(c Epoch, end time.Duration) []sim.Steps {
	changes := make([][]change, len(iv.Agents))
	prev := -1
	iv.walk(c, end, func(at time.Duration, k int) {
		if k == prev {
			return
		}
		if prev >= 0 {
			changes[prev] = append(changes[prev], change{at, -1})
		}
		if k >= 0 {
			changes[k] = append(changes[k], change{at, +1})
		}
		prev = k
	})
	out := make([]sim.Steps, len(changes))
	for k, cs := range changes {
		out[k] = steps(cs)
	}
	return out
}

// walk calls visit for every quarter hour from the local midnight before
// time 0 to end, with its simulation time (0 for those before time 0) and
// the interval of the week it falls in, -1 on a holiday.
func (iv *Intervals) walk(c Epoch, end time.Duration, visit func(at time.Duration, k int)) {
	n := len(iv.Agents)
	if n == 0 {
		return
	}
	loc := location(iv.Location)
	first := c.Origin.In(loc)
	wc := wallClock{loc: loc}
	dates := iv.Lookup()
	day, holiday := int64(math.MinInt64), false
	var shift time.Duration // moves a workday's offsets to the day it stands for
	for t := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc); c.Sim(t) < end; t = t.Add(quarter) {
		d, offset := wc.read(t)
		if d != day {
			day = d
			date, own := civil(d)
			var as time.Weekday
			as, holiday = dates.Weekday(date, own)
			shift = time.Duration(int(as)-int(own)) * 24 * time.Hour
		}
		k := -1
		if !holiday {
			offset = (offset + shift + sim.Week) % sim.Week
			k = min(int(offset/(sim.Week/time.Duration(n))), n-1)
		}
		visit(max(c.Sim(t), 0), k)
	}
}

const secondsPerDay = 24 * 60 * 60

// civil returns the date and weekday of a day counted from 1970-01-01.
func civil(day int64) (Date, time.Weekday) {
	// 1970-01-01 was a Thursday.
	return dateOf(time.Unix(day*secondsPerDay, 0).UTC()), time.Weekday((day%7 + 7 + 4) % 7)
}

// LocalTime is an instant's place on the wall clock: its date and the day
// of the week it falls on, and its time of day.
type LocalTime struct {
	Date      Date
	Weekday   time.Weekday
	TimeOfDay time.Duration
}

// WeekOffset is the local time as an offset from Monday 00:00.
func (t LocalTime) WeekOffset() time.Duration {
	return time.Duration((int(t.Weekday)+6)%7)*24*time.Hour + t.TimeOfDay
}

// LocalTimes returns the local time in loc of the n instants from, from +
// step, from + 2·step, ….
func LocalTimes(loc *time.Location, from time.Time, step time.Duration, n int) []LocalTime {
	wc := wallClock{loc: location(loc)}
	times := make([]LocalTime, n)
	for i := range times {
		day, offset := wc.read(from.Add(time.Duration(i) * step))
		times[i].Date, times[i].Weekday = civil(day)
		times[i].TimeOfDay = offset % (24 * time.Hour)
	}
	return times
}

// A wallClock reads the local time of increasing instants in a time zone,
// looking the zone up only when its offset may change: a long run of
// instants costs a little arithmetic each.
type wallClock struct {
	loc    *time.Location
	offset int64     // seconds east of UTC
	from   time.Time // the current zone period, [from, until)
	until  time.Time
}

// read returns the local day of t, counted from 1970-01-01, and its local
// time as an offset from Monday 00:00.
func (w *wallClock) read(t time.Time) (day int64, weekOffset time.Duration) {
	if w.from.IsZero() || t.Before(w.from) || !w.until.IsZero() && !t.Before(w.until) {
		local := t.In(w.loc)
		_, off := local.Zone()
		w.offset = int64(off)
		w.from, w.until = local.ZoneBounds()
		if w.from.IsZero() {
			w.from = t // a zone without transitions before t
		}
	}
	secs := t.Unix() + w.offset
	day = secs / secondsPerDay
	if secs%secondsPerDay < 0 {
		day--
	}
	tod := time.Duration(secs-day*secondsPerDay)*time.Second + time.Duration(t.Nanosecond())
	// 1970-01-01 was a Thursday, day 3 of a week from Monday.
	return day, time.Duration((day%7+7+3)%7)*24*time.Hour + tod
}

func location(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
