package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// staff reads who serves the tickets: agents, or teams with their shifts.
func (d *decoder) staff(r *rawScenario, s *Scenario) {
	switch {
	case r.Agents.node != nil && r.Teams.Self.node != nil:
		d.errorf(r.Agents, "give agents or teams, not both: agents are a single team on duty around the clock; with teams, each shift has its agents (teams[0].shifts[0].agents)")
	case r.Teams.Self.node != nil:
		s.Teams = d.teams(r, s)
	case r.Tiers.Self.node != nil && slices.ContainsFunc(r.Tiers.Items, func(t rawTier) bool {
		return t.Updates.Teams.node != nil || slices.ContainsFunc(t.Journey.Items, func(s rawStage) bool { return s.Teams.node != nil })
	}):
		d.errorf(r.Agents, "a journey's stage or a tier's updates name their teams: give teams, not agents")
	case d.required(r.Agents, "give the number of agents, such as agents: 12, or teams with their shifts"):
		n, _ := d.integer(r.Agents, 1, maxAgents)
		s.Agents = int(n)
	}
}

// teams reads the teams, then checks that every tier has a team for every
// level its tickets reach.
func (d *decoder) teams(r *rawScenario, s *Scenario) []Team {
	l := &r.Teams
	if len(l.Items) == 0 {
		if l.Self.node.Kind == yaml.SequenceNode || isNull(l.Self.node) {
			d.errorf(l.Self, "must list at least one team")
		}
		return nil
	}
	before := len(d.problems)
	names := make(map[string]int)
	teams := make([]Team, 0, len(l.Items))
	agents := 0
	for i := range l.Items {
		rt := &l.Items[i]
		if !isMapping(rt.Self) {
			continue
		}
		var t Team
		t.Name, _ = d.uniqueName(rt.Name, names, i, "teams", "every team needs a name, such as name: service desk")
		if rt.Tiers.node != nil {
			t.Tiers, _ = d.tierRefs(rt.Tiers, s.Tiers)
		}
		if rt.Levels.node != nil {
			t.Levels, _ = d.levels(rt.Levels)
		}
		loc := s.Simulation.Location
		if rt.TimeZone.node != nil {
			loc, _ = d.timeZone(rt.TimeZone)
		}
		var dates staffing.Dates
		if rt.Holidays.node != nil {
			dates, _ = d.teamHolidays(rt.Holidays, s.Calendars)
		}
		t.week = staffing.Week{Location: loc, Dates: dates}
		for j := range rt.Shifts.Items {
			if sh, ok := d.shift(&rt.Shifts.Items[j], loc, dates); ok {
				t.Schedule.Shifts = append(t.Schedule.Shifts, sh)
				agents += sh.Agents
			}
		}
		if rt.Intervals.Self.node != nil {
			if iv, ok := d.intervals(&rt.Intervals, t.Name, loc, dates); ok {
				t.Schedule.Intervals = append(t.Schedule.Intervals, iv)
				agents += slices.Max(iv.Agents)
			}
		}
		if len(rt.Shifts.Items) == 0 && rt.Intervals.Self.node == nil {
			d.errorf(rt.Self, "needs shifts or intervals: when its agents work, such as shifts: [{days: mon-fri, hours: \"08:00-20:00\", agents: 6}]")
		}
		t.Shrinkage, _ = d.probability(rt.Shrinkage, false, true)
		t.OnCallDelay = d.delay(rt.OnCallDelay, "give the time from a page to the start of work, such as on_call_delay: 30m, or as a distribution, such as on_call_delay: {distribution: lognormal, mean: 30m, cv: 0.5}")
		if end, ok := d.text(rt.ShiftEnd); ok {
			switch end {
			case "finish":
			case "hand_back":
				t.HandBack = true
			default:
				d.errorf(rt.ShiftEnd, "must be finish (finish the ticket in hand, in overtime) or hand_back (hand it back to the queue), got %s", end)
			}
		}
		if n, ok := d.integer(rt.Concurrency, 1, sim.MaxConcurrency); ok {
			t.Concurrency = int(n)
			d.concurrency(rt, &t, s.Tiers)
		}
		teams = append(teams, t)
	}
	if agents > maxAgents {
		d.errorf(l.Self, "have %d agents in all, at most %d can be simulated", agents, maxAgents)
	}
	if len(d.problems) == before {
		d.stageTeams(r, s.Tiers, teams)
		d.updateTeams(r, s.Tiers, teams)
	}
	if len(d.problems) == before {
		d.skills(r, s.Tiers, teams)
	}
	return teams
}

// tierRefs reads a list of tier names and returns their indexes.
func (d *decoder) tierRefs(v value, tiers []Tier) ([]int, bool) {
	vs, ok := d.items(v, "tier names", "[urgent, high]")
	if ok && len(vs) == 0 {
		d.errorf(v, "must not be empty; leave tiers out for a team that works on all")
		return nil, false
	}
	var idx []int
	for _, e := range vs {
		i, good := d.tierRef(e, tiers)
		if good && slices.Contains(idx, i) {
			d.errorf(e, "repeats %s", tiers[i].Name)
			good = false
		}
		ok = ok && good
		idx = append(idx, i)
	}
	return idx, ok
}

// levels reads a list of levels, L1 to L3, and returns them from 0 for L1.
func (d *decoder) levels(v value) ([]int, bool) {
	vs, ok := d.items(v, "levels", "[L2, L3]")
	if ok && len(vs) == 0 {
		d.errorf(v, "must not be empty; leave levels out for a team that works at every level")
		return nil, false
	}
	var levels []int
	for _, e := range vs {
		name, good := d.text(e)
		l := -1
		for i := range maxLevels {
			if strings.EqualFold(name, fmt.Sprintf("L%d", i+1)) {
				l = i
			}
		}
		switch {
		case !good:
		case l < 0:
			d.errorf(e, "must be L1, L2 or L3, got %s", name)
			good = false
		case slices.Contains(levels, l):
			d.errorf(e, "repeats %s", name)
			good = false
		}
		ok = ok && good
		levels = append(levels, l)
	}
	return levels, ok
}

// teamHolidays reads a team's days off: a list of dates, or a calendar by
// name, whose holidays the team is off and whose extra working days it
// works as the weekdays they stand for.
func (d *decoder) teamHolidays(v value, cals []Calendar) (staffing.Dates, bool) {
	if v.node.Kind == yaml.SequenceNode {
		dates, ok := d.dates(v)
		return staffing.Dates{Holidays: dates}, ok
	}
	name, ok := d.calendarRef(v, cals)
	if !ok {
		return staffing.Dates{}, false
	}
	c := calendarIn(cals, name)
	if len(c.Holidays) == 0 && len(c.Workdays) == 0 {
		d.errorf(v, "calendar %s has no holidays and no workdays", name)
		return staffing.Dates{}, false
	}
	return c.Dates, true
}

// shift reads one shift of a team in time zone loc, off on holidays unless
// it works on them.
func (d *decoder) shift(r *rawShift, loc *time.Location, dates staffing.Dates) (staffing.Shift, bool) {
	if !isMapping(r.Self) {
		return staffing.Shift{}, false
	}
	sh := staffing.Shift{Week: staffing.Week{Location: loc, Dates: dates}}
	days, ok := staffing.Days{}, false
	if text, good := d.text(r.Days); good {
		var err error
		if days, err = staffing.ParseDays(text); err != nil {
			d.errorf(r.Days, "%v", err)
		} else {
			ok = true
		}
	}
	if d.required(r.Hours, `give the shift's time of day, such as hours: "08:00-20:00"`) {
		span, good := d.span(r.Hours)
		sh.Add(days, span)
		ok = ok && good
	} else {
		ok = false
	}
	if d.required(r.Agents, "give the number of agents on the shift, such as agents: 6") {
		n, good := d.integer(r.Agents, 0, maxAgents)
		sh.Agents = int(n)
		ok = ok && good
	} else {
		ok = false
	}
	var good bool
	sh.OnCall, good = d.boolean(r.OnCall)
	ok = ok && good
	onHolidays, good := d.boolean(r.OnHolidays)
	if onHolidays {
		sh.Holidays = nil
	}
	return sh, ok && good
}

// maxScheduleFile bounds a staffing CSV: a week of quarter hours for a
// hundred teams is well under it.
const maxScheduleFile = 4 << 20

// intervals reads a team's staffing per interval of the week, given in the
// file or from a CSV file.
func (d *decoder) intervals(r *rawIntervals, team string, loc *time.Location, dates staffing.Dates) (staffing.Intervals, bool) {
	iv := staffing.Intervals{Location: loc, Dates: dates}
	switch {
	case !isMapping(r.Self):
		return iv, false
	case r.Agents.node != nil && r.File.node != nil:
		d.errorf(r.File, "give agents or file, not both")
		return iv, false
	case r.Column.node != nil && r.File.node == nil:
		d.errorf(r.Column, "names a column of the file; give file too")
		return iv, false
	case r.Agents.node != nil:
		return d.intervalCounts(r.Agents, iv)
	case r.File.node != nil:
		column, given := team, r.Column.node != nil
		if given {
			c, ok := d.text(r.Column)
			if !ok {
				return iv, false
			}
			column = c
		}
		return d.intervalFile(r.File, column, given, iv)
	}
	d.errorf(r.Self, "give agents, a head count per interval of the week, or file, a CSV file of them")
	return iv, false
}

// intervalCounts reads head counts written in the scenario.
func (d *decoder) intervalCounts(v value, iv staffing.Intervals) (staffing.Intervals, bool) {
	vs, ok := d.items(v, "head counts", "[0, 0, 2, 2, …]")
	if !ok {
		return iv, false
	}
	if n := len(vs); n != 168 && n != 336 && n != 672 {
		d.errorf(v, "must have a head count per hour (168), half hour (336) or quarter hour (672) of the week, from Monday 00:00; got %d", n)
		return iv, false
	}
	for _, e := range vs {
		n, good := d.integer(e, 0, maxAgents)
		iv.Agents = append(iv.Agents, int(n))
		ok = ok && good
	}
	return iv, ok
}

// intervalFile reads the head counts of a column of a CSV file, whose path
// is relative to the scenario file's directory: the column named, else the
// team's, else the file's only one.
func (d *decoder) intervalFile(v value, column string, named bool, iv staffing.Intervals) (staffing.Intervals, bool) {
	name, ok := d.text(v)
	if !ok {
		return iv, false
	}
	cols, err := d.readSchedule(name)
	if err != nil {
		d.errorf(v, "%v", err)
		return iv, false
	}
	agents, ok := cols[column]
	if !ok && !named && len(cols) == 1 {
		for _, only := range cols {
			agents, ok = only, true
		}
	}
	if !ok {
		var have []string
		for c := range cols {
			have = append(have, c)
		}
		slices.Sort(have)
		d.errorf(v, "%s has no column %q (the team's name, unless column: says otherwise)%s", name, column, suggestion(column, have))
		return iv, false
	}
	iv.Agents = agents
	return iv, true
}

// readSchedule reads a staffing CSV file once, however many teams use it.
func (d *decoder) readSchedule(name string) (map[string][]int, error) {
	if d.schedules == nil {
		d.schedules = make(map[string]schedule)
	}
	if s, ok := d.schedules[name]; ok {
		return s.cols, s.err
	}
	var s schedule
	f, err := d.openBeside(name)
	if err == nil {
		defer f.Close()
		var st os.FileInfo
		switch st, err = f.Stat(); {
		case err != nil:
		case !st.Mode().IsRegular():
			err = fmt.Errorf("%s is not a file", name)
		case st.Size() > maxScheduleFile:
			err = fmt.Errorf("%s is too large for a week of staffing: %d bytes, at most %s (see docs/limits.md)", name, st.Size(), formatBytes(maxScheduleFile))
		default:
			s.cols, err = staffing.ReadIntervals(name, f)
		}
	}
	s.err = err
	d.schedules[name] = s
	return s.cols, s.err
}

// openBeside opens a file a scenario names, such as a staffing CSV. Its
// name is relative to the scenario file's directory and must lead to a
// file inside it: a scenario may come from someone else, and must not
// make slasim read, and quote in its messages, files elsewhere.
func (d *decoder) openBeside(name string) (*os.File, error) {
	switch {
	case d.alone:
		return nil, fmt.Errorf("%s: a scenario without its directory (uploaded to the desk) cannot read files; give the head counts in the scenario (intervals.agents)", name)
	case filepath.IsAbs(name):
		return nil, fmt.Errorf("%s is an absolute path; name a file in the scenario's directory (or below it), relative to it", name)
	case !filepath.IsLocal(name):
		return nil, fmt.Errorf("%s leads out of the scenario's directory; name a file in it (or below it), relative to it", name)
	}
	root, err := os.OpenRoot(filepath.Dir(d.file))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	// The root also refuses a symbolic link that leads out.
	f, err := root.Open(name)
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", name, pe.Err)
	}
	return f, err
}

// schedule is a staffing file as read, or why it could not be.
type schedule struct {
	cols map[string][]int
	err  error
}

// skills checks that every level each tier's tickets can reach has a team
// skilled for it.
func (d *decoder) skills(r *rawScenario, tiers []Tier, teams []Team) {
	for i, t := range tiers {
		for _, level := range reached(&t) {
			if slices.ContainsFunc(teams, func(tm Team) bool { return tm.takes(i, level) }) {
				continue
			}
			rt := &r.Tiers.Items[i]
			if t.Stages != nil {
				d.errorf(rt.Journey.Items[level].Self, "no team works on %s tickets at the stage %s: name its teams (teams: [...]) or add %s to a team's tiers, or its tickets will never be served",
					t.Name, t.Stages[level], t.Name)
				continue
			}
			at, which := rt.Name, "its tickets"
			if level > 0 {
				at, which = rt.Escalation.Items[level-1].Self, fmt.Sprintf("its tickets escalated to L%d", level+1)
			}
			d.errorf(at, "no team works on %s tickets at L%d: add %s to a team's tiers and L%d to its levels (a team without tiers or levels takes them all), or %s will never be served",
				t.Name, level+1, t.Name, level+1, which)
		}
		// A misclassified ticket is served as a neighbouring tier, through
		// the levels of its own.
		if t.Misclassified == 0 {
			continue
		}
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(tiers) {
				continue
			}
			for _, level := range reached(&t) {
				if !slices.ContainsFunc(teams, func(tm Team) bool { return tm.takes(j, level) }) {
					d.errorf(r.Tiers.Items[i].Misclassified, "%s tickets mistaken for %s need a team that works on %s at L%d, and there is none", t.Name, tiers[j].Name, tiers[j].Name, level+1)
					break
				}
			}
		}
	}
}

// reached is the levels the tier's tickets may reach: L1 (the first
// stage), and each after it needed with a probability above 0.
func reached(t *Tier) []int {
	levels := []int{0}
	p := 1.0
	for i, e := range t.Escalation {
		if e.Independent {
			p = 1
		}
		if p *= e.Probability; p > 0 {
			levels = append(levels, i+1)
		}
	}
	return levels
}

// takes reports whether the team works on tickets of the tier at the
// level.
func (t *Team) takes(tier, level int) bool {
	if t.Skills != nil {
		return slices.Contains(t.Skills, sim.Skill{Tier: tier, Level: level})
	}
	return (t.Tiers == nil || slices.Contains(t.Tiers, tier)) && (t.Levels == nil || slices.Contains(t.Levels, level))
}

// concurrency checks what a team of agents holding several tickets at once
// may do: serve only concurrent tiers (chats), and finish its tickets at
// the end of a shift.
func (d *decoder) concurrency(rt *rawTeam, t *Team, tiers []Tier) {
	if t.Concurrency == 1 {
		return
	}
	for i, tier := range tiers {
		if (t.Tiers == nil || slices.Contains(t.Tiers, i)) && !tier.Concurrent {
			d.errorf(rt.Concurrency, "%s's agents hold up to %d tickets at once, but it serves %s, which is not concurrent: give %s concurrent: true, or the team concurrency: 1 and tiers without %s (a team mixing concurrent work with other work is not simulated)",
				t.Name, t.Concurrency, tier.Name, tier.Name, tier.Name)
			return
		}
	}
	if t.HandBack {
		d.errorf(rt.ShiftEnd, "hand_back is not simulated for agents holding several tickets at once (concurrency %d): they finish them; use shift_end: finish", t.Concurrency)
	}
}
