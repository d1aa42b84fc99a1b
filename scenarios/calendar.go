package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// timeZone reads an IANA time zone name such as Europe/Paris.
func (d *decoder) timeZone(v value) (*time.Location, bool) {
	name, ok := d.text(v)
	if !ok {
		return nil, false
	}
	// "" and "Local" would give UTC or the machine's own zone: neither is
	// what a planner means, and the second differs between machines.
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		d.errorf(v, "unknown time zone %q; give an IANA name such as Europe/Paris, America/New_York or UTC", name)
		return nil, false
	}
	return loc, true
}

// date reads a date written 2024-12-25.
func (d *decoder) date(v value) (staffing.Date, bool) {
	n, ok := d.scalar(v, "a date such as 2024-12-25")
	if !ok {
		return staffing.Date{}, false
	}
	date, err := staffing.ParseDate(n.Value)
	if err != nil {
		d.errorf(v, "%v", err)
		return staffing.Date{}, false
	}
	return date, true
}

// dates reads a list of dates.
func (d *decoder) dates(v value) ([]staffing.Date, bool) {
	vs, ok := d.items(v, "dates", "[2024-12-25, 2024-12-26]")
	if len(vs) > maxHolidays {
		d.limitf(v.node, v.path, "lists %d dates, at most %d", len(vs), maxHolidays)
		return nil, false
	}
	var dates []staffing.Date
	for _, e := range vs {
		date, good := d.date(e)
		ok = ok && good
		dates = append(dates, date)
	}
	return dates, ok
}

// calendars reads the business calendars; a calendar without a time zone
// of its own is in the scenario's, loc.
func (d *decoder) calendars(l *list[rawCalendar], loc *time.Location) []Calendar {
	var cals []Calendar
	names := make(map[string]int)
	for i := range l.Items {
		rc := &l.Items[i]
		if !isMapping(rc.Self) {
			continue
		}
		c := Calendar{Calendar: staffing.Calendar{Week: staffing.Week{Location: loc}}}
		c.Name, _ = d.uniqueName(rc.Name, names, i, "calendars", "every calendar needs a name, such as name: office")
		if rc.TimeZone.node != nil {
			c.Location, _ = d.timeZone(rc.TimeZone)
		}
		if d.required(rc.Hours, `give the business hours by day, such as hours: {mon-fri: "09:00-18:00"}`) {
			c.Days, _ = d.hours(rc.Hours)
		}
		if rc.Holidays.node != nil {
			c.Holidays, _ = d.dates(rc.Holidays)
		}
		if rc.Workdays.node != nil {
			c.Workdays, _ = d.workdays(rc.Workdays, c.Holidays)
		}
		cals = append(cals, c)
	}
	return cals
}

// workdays reads a calendar's extra working days: dates, each working as a
// Monday, or {date: 2024-02-04, as: fri}. None may be a holiday too.
func (d *decoder) workdays(v value, holidays []staffing.Date) ([]staffing.Workday, bool) {
	vs, ok := d.items(v, "extra working days", "[2024-02-04, {date: 2024-02-18, as: fri}]")
	if len(vs) > maxHolidays {
		d.limitf(v.node, v.path, "lists %d dates, at most %d", len(vs), maxHolidays)
		return nil, false
	}
	var days []staffing.Workday
	seen := make(map[staffing.Date]bool)
	for _, e := range vs {
		w := staffing.Workday{As: time.Monday}
		good := true
		if e.node.Kind == yaml.MappingNode {
			w, good = d.workday(e)
		} else {
			w.Date, good = d.date(e)
		}
		switch {
		case !good:
		case slices.Contains(holidays, w.Date):
			d.errorf(e, "%s is a holiday of the calendar too; a date is one or the other", w.Date)
			good = false
		case seen[w.Date]:
			d.errorf(e, "repeats %s", w.Date)
			good = false
		}
		seen[w.Date] = true
		ok = ok && good
		days = append(days, w)
	}
	return days, ok
}

// workday reads {date: 2024-02-04, as: fri}.
func (d *decoder) workday(v value) (staffing.Workday, bool) {
	w := staffing.Workday{As: time.Monday}
	var date, as value
	es, ok := d.entries(v)
	for _, e := range es {
		switch e.key.Value {
		case "date":
			date = e.value
		case "as":
			as = e.value
		default:
			d.errorf(e.at(), "unknown field %q; a working day has date and as (the day of the week it works as)", e.key.Value)
			ok = false
		}
	}
	if date.node == nil {
		d.errorf(v, "missing date, such as {date: 2024-02-04, as: fri}")
		return w, false
	}
	var good bool
	w.Date, good = d.date(date)
	ok = ok && good
	if as.node != nil {
		days, err := staffing.ParseDays(as.node.Value)
		count := 0
		for day, on := range days {
			if on {
				count++
				w.As = time.Weekday(day)
			}
		}
		if err != nil || count != 1 || as.node.Kind != yaml.ScalarNode {
			d.errorf(as, "must be one day of the week, mon to sun, whose hours the date works; got %s", describe(as.node))
			ok = false
		}
	}
	return w, ok
}

// isMapping reports whether a list item is a mapping or empty; any other
// item has already been reported.
func isMapping(v value) bool {
	return v.node.Kind == yaml.MappingNode || isNull(v.node)
}

// uniqueName reads the name of the i-th item of a list (named list in
// messages), which must be given, not empty, and unlike the names before
// it, recorded in names.
func (d *decoder) uniqueName(v value, names map[string]int, i int, list, hint string) (string, bool) {
	if !d.required(v, hint) {
		return "", false
	}
	name, ok := d.text(v)
	switch {
	case !ok:
		return "", false
	case name == "":
		d.errorf(v, "must not be empty")
		return "", false
	}
	if j, dup := names[name]; dup {
		d.errorf(v, "repeats the name of %s[%d]; %s names must be unique", list, j, strings.TrimSuffix(list, "s"))
		return name, false
	}
	names[name] = i
	return name, true
}

// hours reads weekly business hours: a mapping from days (mon-fri, sat,
// all) to a time range or a list of them, each day given once.
func (d *decoder) hours(v value) ([7][]staffing.Span, bool) {
	var week [7][]staffing.Span
	n := v.node
	if n.Kind != yaml.MappingNode {
		d.errorf(v, `must be a mapping of days to hours, such as {mon-fri: "09:00-18:00", sat: "10:00-14:00"}, got %s`, describe(n))
		return week, false
	}
	var given [7]*yaml.Node // the key that gave each day
	es, ok := d.entries(v)
	for _, e := range es {
		k := e.key
		days, err := staffing.ParseDays(k.Value)
		if err != nil {
			d.errorf(e.at(), "%v", err)
			ok = false
			continue
		}
		spans, good := d.spans(e.value)
		ok = ok && good
		for day, on := range days {
			if !on {
				continue
			}
			if prev := given[day]; prev != nil {
				d.errorf(e.at(), "gives %s again, after %s on line %d; give each day once, with a list if it has several ranges, such as [\"08:00-12:00\", \"13:00-17:00\"]",
					strings.ToLower(time.Weekday(day).String()[:3]), prev.Value, prev.Line)
				ok = false
				break
			}
			given[day] = k
			week[day] = spans
		}
	}
	return week, ok
}

// spans reads a time range, such as "09:00-18:00", or a list of them.
func (d *decoder) spans(v value) ([]staffing.Span, bool) {
	vs := []value{v}
	if v.node != nil && v.node.Kind == yaml.SequenceNode {
		vs, _ = d.items(v, "time ranges", `["08:00-12:00", "13:00-17:00"]`)
		if len(vs) == 0 {
			d.errorf(v, "must not be empty; leave the day out if it has no hours")
			return nil, false
		}
	}
	var spans []staffing.Span
	ok := true
	for _, e := range vs {
		s, good := d.span(e)
		spans = append(spans, s)
		ok = ok && good
	}
	return spans, ok
}

// span reads one time range, such as "09:00-18:00".
func (d *decoder) span(v value) (staffing.Span, bool) {
	n, ok := d.scalar(v, `a time range such as "09:00-18:00"`)
	if !ok {
		return staffing.Span{}, false
	}
	s, err := staffing.ParseSpan(n.Value)
	if err != nil {
		d.errorf(v, "%v", err)
		return staffing.Span{}, false
	}
	return s, true
}

// calendarRef reads the name of a calendar, which must be defined.
func (d *decoder) calendarRef(v value, cals []Calendar) (string, bool) {
	name, ok := d.text(v)
	if !ok {
		return "", false
	}
	names := make([]string, len(cals))
	for i, c := range cals {
		names[i] = c.Name
	}
	if !slices.Contains(names, name) {
		if len(names) == 0 {
			d.errorf(v, "no calendar named %q: define it under calendars, such as calendars: [{name: office, hours: {mon-fri: \"09:00-18:00\"}}]", name)
		} else {
			d.errorf(v, "no calendar named %q%s", name, suggestion(name, names))
		}
		return "", false
	}
	return name, true
}

// calendarNamed returns the calendar of that name.
func (s *Scenario) calendarNamed(name string) *Calendar { return calendarIn(s.Calendars, name) }

// calendarIn returns the calendar of that name among cals, or nil.
func calendarIn(cals []Calendar, name string) *Calendar {
	for i := range cals {
		if cals[i].Name == name {
			return &cals[i]
		}
	}
	return nil
}

// dateRange formats the simulated days, for messages.
func (s *Scenario) dateRange() string {
	c := s.Epoch()
	last := c.Origin.Add(s.End() - time.Nanosecond).In(location(s.Simulation.Location))
	return fmt.Sprintf("%s to %s", c.Origin.In(location(s.Simulation.Location)).Format(time.DateOnly), last.Format(time.DateOnly))
}

// periodKinds are the kinds of period results can be given for, shortest
// first.
var periodKinds = []string{"day", "week", "month"}

// days are the local days of the measured window in the scenario's time
// zone: when each begins and ends in simulation time, and its date.
type days struct {
	starts, ends []time.Duration
	labels       []string
}

// localDays lays out the days of the measured window; the last may end
// after it.
func (s *Scenario) localDays() days {
	var ds days
	clock, loc := s.Epoch(), location(s.Simulation.Location)
	w0 := s.timelineWarmUp()
	w1 := w0 + s.Simulation.Horizon
	for d := clock.Origin.Add(w0).In(loc); clock.Sim(d) < w1; d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc) {
		ds.starts = append(ds.starts, clock.Sim(d))
		ds.labels = append(ds.labels, d.Format(time.DateOnly))
		ds.ends = append(ds.ends, clock.Sim(time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)))
	}
	return ds
}

// wholePeriods returns the periods of a kind (day, week, month) wholly
// inside the measured window, as runs of its days. A period begins on a
// day that starts one (every day, a Monday, the first of a month) and
// runs until the next begins; one not wholly inside the window is left
// out.
func (s *Scenario) wholePeriods(kind string, ds days) []sim.Period {
	clock, loc := s.Epoch(), location(s.Simulation.Location)
	w1 := s.timelineWarmUp() + s.Simulation.Horizon
	var ps []sim.Period
	var open *sim.Period
	for i := range ds.starts {
		d := clock.Origin.Add(ds.starts[i]).In(loc)
		var label string
		switch kind {
		case "day":
			label = ds.labels[i]
		case "week":
			if d.Weekday() == time.Monday {
				y, w := d.ISOWeek()
				label = fmt.Sprintf("%d-W%02d", y, w)
			}
		case "month":
			if d.Day() == 1 {
				label = d.Format("2006-01")
			}
		}
		if label != "" {
			if open != nil {
				ps = append(ps, *open)
			}
			open = &sim.Period{Kind: kind, Label: label, First: i}
		}
		if open != nil {
			open.End = i + 1
		}
	}
	// The last period is whole if the window ends where its next one
	// would begin.
	if open != nil && ds.ends[open.End-1] <= w1 {
		next := clock.Origin.Add(ds.ends[open.End-1]).In(loc)
		if kind == "day" || kind == "week" && next.Weekday() == time.Monday || kind == "month" && next.Day() == 1 {
			ps = append(ps, *open)
		}
	}
	return ps
}

// dates lays out the days of the measured window and the whole periods of
// the kinds asked for, for results by date; none without
// Simulation.Periods.
func (s *Scenario) dates() sim.Dates {
	var d sim.Dates
	if len(s.Simulation.Periods) == 0 {
		return d
	}
	ds := s.localDays()
	d.Starts, d.Labels = ds.starts, ds.labels
	for _, kind := range periodKinds {
		if slices.Contains(s.Simulation.Periods, kind) {
			d.Periods = append(d.Periods, s.wholePeriods(kind, ds)...)
		}
	}
	return d
}
