package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slasim/slasim/sim"
)

// A tier's journey: named stages in order, each with its handling time,
// the probability that a ticket needs it and the teams that may do it;
// and the tier's named clocks between the marks of the journey.

// maxStages bounds a journey: the engine's levels.
const maxStages = 8

type rawStage struct {
	Self          value       `yaml:"-"`
	Stage         value       `yaml:"stage"`
	Handling      rawHandling `yaml:"handling"`
	Probability   value       `yaml:"probability" default:"100%"`
	AfterPrevious value       `yaml:"after_previous" default:"false"`
	Teams         value       `yaml:"teams"`
}

type rawUpdates struct {
	Self     value       `yaml:"-"`
	Every    value       `yaml:"every"`
	Handling rawHandling `yaml:"handling"`
	Target   value       `yaml:"target"`
	Teams    value       `yaml:"teams"`
}

// Updates is a tier's recurring duty (sim.Updates), its teams by name
// (nil: the teams taking the tier's first level).
type Updates struct {
	Every, Target time.Duration
	Handling      sim.Distribution
	Teams         []string
}

type rawClock struct {
	Self     value `yaml:"-"`
	Name     value `yaml:"name"`
	From     value `yaml:"from" default:"arrival"`
	To       value `yaml:"to"`
	Target   value `yaml:"target"`
	Calendar value `yaml:"calendar"`
	OffHours value `yaml:"off_hours"`
}

// Clock is a named clock of a tier (sim.Clock), its calendar by name (""
// runs around the clock).
type Clock struct {
	Name             string
	From, To         sim.Mark
	Target, OffHours time.Duration
	Calendar         string
}

// journey reads a tier's journey into its handling, escalation and stage
// names; the stages' teams are read with the teams (stageTeams).
func (d *decoder) journey(rt *rawTier, t *Tier) {
	l := &rt.Journey
	if rt.Handling.Self.node != nil {
		d.errorf(rt.Handling.Self, "give each stage's handling in the journey, not the tier's")
	}
	if len(rt.Escalation.Items) > 0 {
		d.errorf(rt.Escalation.Self, "give escalation as stages of the journey (after_previous: true), not both")
	}
	if len(l.Items) == 0 || len(l.Items) > maxStages {
		d.errorf(l.Self, "must list from 1 to %d stages, got %d", maxStages, len(l.Items))
		return
	}
	names := make(map[string]int)
	for i := range l.Items {
		rs := &l.Items[i]
		if !isMapping(rs.Self) {
			continue
		}
		name, _ := d.uniqueName(rs.Stage, names, i, "stages", "every stage needs a name, such as stage: triage")
		if name == "arrival" {
			d.errorf(rs.Stage, "arrival is the mark of a ticket's arrival; name the stage otherwise")
		}
		t.Stages = append(t.Stages, name)
		h, _ := d.handling(&rs.Handling, "every stage needs a handling time, such as handling: {mean: 30m}")
		p, _ := d.probability(rs.Probability, false, false)
		after, _ := d.boolean(rs.AfterPrevious)
		if i == 0 {
			t.Handling = h
			if rs.Probability.given() && p != 1 {
				d.errorf(rs.Probability, "the first stage is every ticket's: leave its probability out")
			}
			if after {
				d.errorf(rs.AfterPrevious, "the first stage has no stage before it")
			}
			continue
		}
		t.Escalation = append(t.Escalation, sim.Escalation{Probability: p, Handling: h, Independent: !after})
	}
}

// stageNames are the names of a tier's levels: its journey's stages, or
// L1, L2, L3.
func stageNames(t *Tier) []string {
	if t.Stages != nil {
		return t.Stages
	}
	names := []string{"L1"}
	for i := range t.Escalation {
		names = append(names, fmt.Sprintf("L%d", i+2))
	}
	return names
}

// clocks reads a tier's named clocks, after its journey.
func (d *decoder) clocks(l *list[rawClock], t *Tier, cals []Calendar) {
	if len(l.Items) > sim.MaxClocks {
		d.errorf(l.Self, "has %d clocks, at most %d", len(l.Items), sim.MaxClocks)
		return
	}
	stages := stageNames(t)
	names := map[string]int{"response": -1, "resolution": -1, "either": -1}
	for i := range l.Items {
		rc := &l.Items[i]
		if !isMapping(rc.Self) {
			continue
		}
		var c Clock
		c.Name, _ = d.uniqueName(rc.Name, names, i, "clocks", "every clock needs a name, such as name: on-site")
		from, okFrom := d.mark(rc.From, stages, true)
		var to sim.Mark
		okTo := d.required(rc.To, "give where the clock stops, such as to: on-site start")
		if okTo {
			to, okTo = d.mark(rc.To, stages, false)
		}
		c.From, c.To = from, to
		if okFrom && okTo && !from.Before(to) {
			d.errorf(rc.To, "comes before the clock starts (%s)", describeMark(from, stages))
		}
		if d.required(rc.Target, "give the clock's target, such as target: 4h") {
			c.Target, _ = d.duration(rc.Target, false)
		}
		if rc.Calendar.node != nil {
			c.Calendar, _ = d.calendarRef(rc.Calendar, cals)
		}
		if rc.OffHours.node != nil {
			c.OffHours, _ = d.duration(rc.OffHours, false)
			if t.OffHours.Calendar == "" {
				d.errorf(rc.OffHours, "needs the tier's off_hours calendar, whose closed hours it applies to")
			}
		}
		t.Clocks = append(t.Clocks, c)
	}
}

// mark reads a mark of the journey: arrival (where from allows it), or a
// stage's name followed by start or end.
func (d *decoder) mark(v value, stages []string, from bool) (sim.Mark, bool) {
	s, ok := d.text(v)
	if !ok {
		return sim.Mark{}, false
	}
	if s == "arrival" {
		if !from {
			d.errorf(v, "a clock stops at a stage's start or end, not at arrival")
			return sim.Mark{}, false
		}
		return sim.Mark{Stage: sim.Arrival}, true
	}
	name, edge := s, ""
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		name, edge = s[:i], s[i+1:]
	}
	l := slices.Index(stages, name)
	if l < 0 || edge != "start" && edge != "end" {
		d.errorf(v, "must be arrival or a stage followed by start or end, such as %s end (stages: %s); got %s", stages[len(stages)-1], strings.Join(stages, ", "), s)
		return sim.Mark{}, false
	}
	return sim.Mark{Stage: l, End: edge == "end"}, true
}

func describeMark(m sim.Mark, stages []string) string {
	switch {
	case m.Stage == sim.Arrival:
		return "arrival"
	case m.End:
		return stages[m.Stage] + " end"
	}
	return stages[m.Stage] + " start"
}

// stageTeams reads the teams each stage names and gives every team its
// skills as (tier, level) pairs, when some stage names its teams: a stage
// that names none is done by the teams whose tiers and levels take it.
func (d *decoder) stageTeams(r *rawScenario, tiers []Tier, teams []Team) {
	named := make([][][]int, len(tiers))
	any := false
	for i := range tiers {
		if i >= len(r.Tiers.Items) {
			break
		}
		for l, rs := range r.Tiers.Items[i].Journey.Items {
			if rs.Teams.node == nil {
				continue
			}
			if named[i] == nil {
				named[i] = make([][]int, len(r.Tiers.Items[i].Journey.Items))
			}
			vs, ok := d.items(rs.Teams, "team names", "[field engineers]")
			if ok && len(vs) == 0 {
				d.errorf(rs.Teams, "must not be empty; leave teams out for the teams whose tiers and levels take the stage")
			}
			for _, v := range vs {
				name, good := d.text(v)
				k := slices.IndexFunc(teams, func(t Team) bool { return t.Name == name })
				switch {
				case !good:
				case k < 0:
					d.errorf(v, "no team is named %q", name)
				case slices.Contains(named[i][l], k):
					d.errorf(v, "repeats %s", name)
				default:
					named[i][l] = append(named[i][l], k)
					any = true
				}
			}
		}
	}
	if !any {
		return
	}
	for k := range teams {
		skills := []sim.Skill{}
		for i := range tiers {
			for l := range 1 + len(tiers[i].Escalation) {
				if named[i] != nil && named[i][l] != nil {
					if slices.Contains(named[i][l], k) {
						skills = append(skills, sim.Skill{Tier: i, Level: l})
					}
				} else if teams[k].takes(i, l) {
					skills = append(skills, sim.Skill{Tier: i, Level: l})
				}
			}
		}
		teams[k].Skills = skills
	}
}

// modelClocks are the engine's clocks of a tier, their calendars made by
// calendar.
func modelClocks(clocks []Clock, calendar func(string) *sim.Calendar) []sim.Clock {
	var out []sim.Clock
	for _, c := range clocks {
		out = append(out, sim.Clock{Name: c.Name, From: c.From, To: c.To, Target: c.Target, OffHours: c.OffHours, Calendar: calendar(c.Calendar)})
	}
	return out
}

// clockNames are the names of the tiers' named clocks, each once, in the
// order the tiers first name them, as sim.Model.ClockNames has them.
func clockNames(tiers []Tier) []string {
	var names []string
	for _, t := range tiers {
		for _, c := range t.Clocks {
			if !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
	}
	return names
}

// updates reads a tier's recurring updates; their teams are checked with
// the teams (updateTeams).
func (d *decoder) updates(r *rawUpdates, t *Tier) {
	if r.Self.node == nil || isNull(r.Self.node) {
		return
	}
	var u Updates
	if d.required(r.Every, "give how often an update falls due while a ticket is open, such as every: 30m") {
		u.Every, _ = d.duration(r.Every, false)
	}
	if d.required(r.Target, "give how soon after falling due an update must be done, such as target: 10m") {
		u.Target, _ = d.duration(r.Target, false)
	}
	u.Handling, _ = d.handling(&r.Handling, "give an update's handling time, such as handling: {mean: 5m}")
	if r.Teams.node != nil {
		vs, ok := d.items(r.Teams, "team names", "[hotline]")
		if ok && len(vs) == 0 {
			d.errorf(r.Teams, "must not be empty; leave teams out for the teams that take the tier's first level")
		}
		for _, v := range vs {
			if name, ok := d.text(v); ok {
				u.Teams = append(u.Teams, name)
			}
		}
	}
	for _, c := range t.Clocks {
		if c.Name == sim.UpdatesClock {
			d.errorf(r.Self, "a clock of the tier is named updates, the name of the updates' clock: rename it")
		}
	}
	t.Updates = u
}

// updateTeams checks the teams the tiers' updates name.
func (d *decoder) updateTeams(r *rawScenario, tiers []Tier, teams []Team) {
	for i := range tiers {
		if i >= len(r.Tiers.Items) || tiers[i].Updates.Teams == nil {
			continue
		}
		vs, _ := d.items(r.Tiers.Items[i].Updates.Teams, "team names", "[hotline]")
		for j, name := range tiers[i].Updates.Teams {
			if !slices.ContainsFunc(teams, func(t Team) bool { return t.Name == name }) && j < len(vs) {
				d.errorf(vs[j], "no team is named %q", name)
			}
		}
	}
}

// modelUpdates is the engine's form of a tier's updates.
func modelUpdates(u Updates, teams []Team) sim.Updates {
	m := sim.Updates{Every: u.Every, Target: u.Target, Handling: u.Handling}
	for _, name := range u.Teams {
		m.Teams = append(m.Teams, slices.IndexFunc(teams, func(t Team) bool { return t.Name == name }))
	}
	return m
}
