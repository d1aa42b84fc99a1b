package scenarios

import (
	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/staffing"
	"github.com/slasim/slasim/staffing/roster"
)

// The roster section: what `slasim roster` needs beyond the teams' shifts
// — the planning period, the rules every person's roster keeps, and the
// people of each team. It is optional; without it, a roster covers four
// weeks from the simulation's start with roster.DefaultRules and the
// fewest people that work.

type rawRoster struct {
	Self           value               `yaml:"-"`
	Weeks          value               `yaml:"weeks" default:"4"`
	Start          value               `yaml:"start"`
	DaysOff        value               `yaml:"days_off" default:"2"`
	MaxConsecutive value               `yaml:"max_consecutive_days" default:"6"`
	MinRest        value               `yaml:"min_rest" default:"11h"`
	MinHours       value               `yaml:"min_weekly_hours" default:"0"`
	MaxHours       value               `yaml:"max_weekly_hours" default:"48"`
	Teams          list[rawRosterTeam] `yaml:"teams"`
}

type rawRosterTeam struct {
	Self   value `yaml:"-"`
	Team   value `yaml:"team"`
	People value `yaml:"people"`
}

// Roster is the scenario's roster section with its defaults resolved.
type Roster struct {
	Weeks int
	// Start is the plan's first day; by default the simulation's start.
	Start staffing.Date
	Rules roster.Rules
	// People holds each team's people, in the order of Scenario.Teams:
	// names, or a number of them (Count) to generate names for; neither
	// lets slasim roster find the fewest that work.
	People []RosterPeople
}

// RosterPeople are a team's people: Names, or Count people to name.
type RosterPeople struct {
	Names []string
	Count int
}

// roster reads the roster section. It needs the teams read.
func (d *decoder) roster(r *rawRoster, s *Scenario) Roster {
	var z Roster
	weeks, _ := d.integer(r.Weeks, 1, roster.MaxWeeks)
	z.Weeks = int(weeks)
	z.Start = s.Simulation.Start
	if r.Start.node != nil {
		z.Start, _ = d.date(r.Start)
	}
	off, _ := d.integer(r.DaysOff, 0, 7)
	consecutive, _ := d.integer(r.MaxConsecutive, 0, 7*roster.MaxWeeks)
	z.Rules = roster.Rules{DaysOff: int(off), MaxConsecutive: int(consecutive)}
	z.Rules.MinRest, _ = d.duration(r.MinRest, true)
	if z.Rules.MinRest > week {
		d.errorf(r.MinRest, "must be at most a week, got %s", r.MinRest.node.Value)
	}
	z.Rules.MinHours, _ = d.hoursAWeek(r.MinHours)
	z.Rules.MaxHours, _ = d.hoursAWeek(r.MaxHours)
	if z.Rules.MaxHours > 0 && z.Rules.MinHours > z.Rules.MaxHours {
		d.errorf(r.MinHours, "is above max_weekly_hours (%g)", z.Rules.MaxHours)
	}
	z.People = make([]RosterPeople, len(s.Teams))
	if len(r.Teams.Items) > 0 && len(s.Teams) == 0 {
		d.errorf(r.Teams.Self, "names teams, but the scenario has agents instead: give teams with shifts to roster people")
		return z
	}
	seen := make(map[int]bool)
	for i := range r.Teams.Items {
		rt := &r.Teams.Items[i]
		k, name := d.teamNamed(s, rt.Self, rt.Team, "name the team, such as team: service desk")
		switch {
		case k < 0:
			continue
		case seen[k]:
			d.errorf(rt.Team, "repeats team %s; give each team once", name)
			continue
		}
		seen[k] = true
		if !d.required(rt.People, "give the team's people: a number, such as people: 12, or their names, such as people: [Ann, Bo, Chen]") {
			continue
		}
		if rt.People.node.Kind != yaml.SequenceNode {
			n, _ := d.integer(rt.People, 1, roster.MaxPeople)
			z.People[k].Count = int(n)
			continue
		}
		items, ok := d.items(rt.People, "names", "[Ann, Bo, Chen]")
		if !ok {
			continue
		}
		if len(items) == 0 || len(items) > roster.MaxPeople {
			d.errorf(rt.People, "must name 1 to %d people, got %d", roster.MaxPeople, len(items))
			continue
		}
		unique := make(map[string]bool)
		for _, it := range items {
			n, ok := d.text(it)
			switch {
			case !ok:
			case n == "":
				d.errorf(it, "a person needs a name")
			case unique[n]:
				d.errorf(it, "repeats %s; names must differ", n)
			default:
				unique[n] = true
				z.People[k].Names = append(z.People[k].Names, n)
			}
		}
	}
	return z
}

// hoursAWeek reads a number of hours in a week: 0 to 168.
func (d *decoder) hoursAWeek(v value) (float64, bool) {
	h, ok := d.number(v)
	if ok && (h < 0 || h > 168) {
		d.errorf(v, "must be hours a week from 0 to 168, got %s", v.node.Value)
		return 0, false
	}
	return h, ok
}
