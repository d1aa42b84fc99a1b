package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/staffing"
	"github.com/slasim/slasim/staffing/roster"
)

func TestRosterSection(t *testing.T) {
	s, err := Parse("test.yaml", []byte(teamsValid))
	if err != nil {
		t.Fatal(err)
	}
	def := Roster{Weeks: 4, Start: s.Simulation.Start, Rules: roster.DefaultRules, People: make([]RosterPeople, len(s.Teams))}
	if s.Roster.Weeks != def.Weeks || s.Roster.Start != def.Start || s.Roster.Rules != def.Rules || len(s.Roster.People) != len(s.Teams) {
		t.Errorf("defaults %+v, want %+v", s.Roster, def)
	}
	s, err = Parse("test.yaml", []byte(teamsValid+"roster: {weeks: 2, start: 2024-03-04, days_off: 1, max_consecutive_days: 5, min_rest: 12h, min_weekly_hours: 8, max_weekly_hours: 0, teams: [{team: desk, people: [Ann, Bo]}, {team: duty, people: 9}]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	z := s.Roster
	if z.Weeks != 2 || z.Start != (staffing.Date{Year: 2024, Month: time.March, Day: 4}) || z.Rules != (roster.Rules{DaysOff: 1, MaxConsecutive: 5, MinRest: 12 * time.Hour, MinHours: 8}) ||
		strings.Join(z.People[0].Names, ",") != "Ann,Bo" || z.People[1].Count != 9 {
		t.Errorf("read %+v", z)
	}
	for _, tc := range []struct{ section, want string }{
		{"{weeks: 0}", "roster.weeks"},
		{"{days_off: 8}", "roster.days_off"},
		{"{min_rest: 9d}", "must be at most a week"},
		{"{max_weekly_hours: 200}", "must be hours a week from 0 to 168"},
		{"{min_weekly_hours: 50, max_weekly_hours: 40}", "is above max_weekly_hours"},
		{"{teams: [{team: nobody, people: 3}]}", `no team named "nobody"`},
		{"{teams: [{team: desk, people: 3}, {team: desk, people: 4}]}", "repeats team desk"},
		{"{teams: [{team: desk, people: 0}]}", "roster.teams[0].people"},
		{"{teams: [{team: desk, people: [Ann, Ann]}]}", "repeats Ann"},
		{"{teams: [{team: desk}]}", "give the team's people"},
	} {
		_, err := Parse("test.yaml", []byte(teamsValid+"roster: "+tc.section+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("roster: %s: %v, want a problem with %q", tc.section, err, tc.want)
		}
	}
}
