package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/staffing"
	"github.com/slasim/slasim/staffing/roster"
)

const rosterExamples = `  slasim roster                  # the default desk: the fewest people, 4 weeks
  slasim roster desk.yaml --weeks 8 --csv roster.csv --html roster.html
  slasim roster default --people 'duty experts=7' --max-consecutive 5
  slasim roster default --days-off 2 --min-rest 12h --max-hours 40
`

// rosterTask is slasim roster: the teams' shifts given to named people.
type rosterTask struct {
	scenario string
	// rules are the flags' changes to the roster section.
	rules  []func(*scenarios.Roster)
	people map[string]int
	csv    string
	html   string
}

func rosterFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	weeks := fs.Int("weeks", 0, "the planning period in weeks, 1 to 104 (default: roster.weeks, 4)")
	start := fs.String("start", "", "the plan's first `DATE`, such as 2024-03-04 (default: roster.start, else the simulation's start)")
	daysOff := fs.Int("days-off", 0, "the fewest days off a week, 0 to 7 (default: roster.days_off, 2)")
	consecutive := fs.Int("max-consecutive", 0, "the most days worked in a row, 0 for no limit (default: the file's, 6)")
	rest := fs.String("min-rest", "", "the least rest between shifts, a `DURATION` such as 11h (default: roster.min_rest, 11h)")
	minHours := fs.Float64("min-hours", 0, "the fewest hours worked a week (default: roster.min_weekly_hours, 0)")
	maxHours := fs.Float64("max-hours", 0, "the most hours worked a week, 0 for no limit (default: roster.max_weekly_hours, 48)")
	var people []string
	fs.StringArrayVar(&people, "people", nil, "the team's head count, `TEAM=N` (repeatable), instead of roster.teams' people or the fewest that work")
	t := &rosterTask{}
	fs.StringVar(&t.csv, "csv", "", "write the roster to `FILE` as CSV, one row per person per day (- for standard output, instead of the text)")
	fs.StringVar(&t.html, "html", "", "write the roster to `FILE` as a self-contained HTML page, a grid per team (- for standard output)")
	return func(args []string) (task, error) {
		var err error
		if t.scenario, err = scenarioArg("roster", args); err != nil {
			return nil, err
		}
		ints := []struct {
			flag   string
			v      *int
			lo, hi int
			set    func(*scenarios.Roster, int)
		}{
			{"weeks", weeks, 1, roster.MaxWeeks, func(r *scenarios.Roster, v int) { r.Weeks = v }},
			{"days-off", daysOff, 0, 7, func(r *scenarios.Roster, v int) { r.Rules.DaysOff = v }},
			{"max-consecutive", consecutive, 0, 7 * roster.MaxWeeks, func(r *scenarios.Roster, v int) { r.Rules.MaxConsecutive = v }},
		}
		for _, f := range ints {
			if !fs.Changed(f.flag) {
				continue
			}
			if *f.v < f.lo || *f.v > f.hi {
				return nil, usagef("--%s must be from %d to %d, got %d", f.flag, f.lo, f.hi, *f.v)
			}
			v, set := *f.v, f.set
			t.rules = append(t.rules, func(r *scenarios.Roster) { set(r, v) })
		}
		for _, f := range []struct {
			flag string
			v    *float64
			set  func(*scenarios.Roster, float64)
		}{
			{"min-hours", minHours, func(r *scenarios.Roster, v float64) { r.Rules.MinHours = v }},
			{"max-hours", maxHours, func(r *scenarios.Roster, v float64) { r.Rules.MaxHours = v }},
		} {
			if !fs.Changed(f.flag) {
				continue
			}
			if !(*f.v >= 0 && *f.v <= 168) {
				return nil, usagef("--%s must be hours a week from 0 to 168, got %g", f.flag, *f.v)
			}
			v, set := *f.v, f.set
			t.rules = append(t.rules, func(r *scenarios.Roster) { set(r, v) })
		}
		if fs.Changed("min-rest") {
			d, err := scenarios.ParseDuration(*rest)
			if err != nil || d < 0 || d > 7*24*3600e9 {
				return nil, usagef("--min-rest must be a duration from 0 to a week such as 11h, got %q", *rest)
			}
			t.rules = append(t.rules, func(r *scenarios.Roster) { r.Rules.MinRest = d })
		}
		if fs.Changed("start") {
			date, err := staffing.ParseDate(*start)
			if err != nil {
				return nil, usagef("--start: %v", err)
			}
			t.rules = append(t.rules, func(r *scenarios.Roster) { r.Start = date })
		}
		for _, p := range people {
			team, n, ok := strings.Cut(p, "=")
			count, err := strconv.Atoi(strings.TrimSpace(n))
			if !ok || strings.TrimSpace(team) == "" || err != nil || count < 1 || count > roster.MaxPeople {
				return nil, usagef("--people takes TEAM=N with N from 1 to %d, such as 'duty experts=7', got %q", roster.MaxPeople, p)
			}
			if t.people == nil {
				t.people = map[string]int{}
			}
			t.people[strings.TrimSpace(team)] = count
		}
		return t, nil
	}
}

func (t *rosterTask) stopping() string { return "stopping: no roster is written" }

func (t *rosterTask) run(e *env) error {
	if err := checkOutputs(outPath{flag: "csv", path: t.csv}, outPath{flag: "html", path: t.html}); err != nil {
		return err
	}
	sc, err := openScenario(e, t.scenario)
	if err != nil {
		return err
	}
	e.warn(sc)
	z := sc.Roster
	for _, set := range t.rules {
		set(&z)
	}
	for name, n := range t.people {
		k := teamIndex(sc, name)
		if k < 0 {
			return usagef("--people: the scenario has no team %q", name)
		}
		z.People[k] = scenarios.RosterPeople{Count: n}
	}
	if z.Rules.MaxHours > 0 && z.Rules.MinHours > z.Rules.MaxHours {
		return usagef("the weekly hours' minimum %g is above their maximum %g", z.Rules.MinHours, z.Rules.MaxHours)
	}
	doc, err := rosterScenario(e.ctx, sc, z)
	if err != nil {
		return err
	}
	if t.csv != stdoutPath && t.html != stdoutPath {
		if err := e.fitted(doc.WriteText)(e.stdout); err != nil {
			return err
		}
	}
	var files []outFile
	if t.csv != "" {
		files = append(files, outFile{t.csv, doc.WriteCSV})
	}
	if t.html != "" {
		files = append(files, outFile{t.html, doc.WriteHTML})
	}
	if err := e.writeFiles(files...); err != nil {
		return err
	}
	if doc.Infeasible() {
		return errors.New("some team has no roster under the rules: see above")
	}
	return nil
}

func teamIndex(sc *scenarios.Scenario, name string) int {
	for i, t := range sc.Teams {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// rosterScenario rosters each team of sc as z asks, and returns the
// report.
func rosterScenario(ctx context.Context, sc *scenarios.Scenario, z scenarios.Roster) (*reports.Roster, error) {
	if len(sc.Teams) == 0 {
		return nil, usagef("scenario %s has agents on duty around the clock, not teams with shifts: give teams with their shifts to roster people", sc.Name)
	}
	if err := z.Rules.Check(); err != nil {
		return nil, usageError{err}
	}
	doc := &reports.Roster{Version: slasimVersion(), Scenario: sc.Name, File: sc.Source(), Weeks: z.Weeks, Start: z.Start.String(), Rules: z.Rules}
	for i, team := range sc.Teams {
		if len(team.Schedule.Intervals) > 0 {
			doc.Notes = append(doc.Notes, fmt.Sprintf("team %s's interval staffing is not rostered, only its shifts", team.Name))
		}
		people := z.People[i]
		res, err := roster.Solve(ctx, &roster.Team{Name: team.Name, Shifts: team.Schedule.Shifts, People: people.Names}, z.Start, z.Weeks, z.Rules, people.Count)
		if err != nil {
			if ctx.Err() != nil {
				return nil, errors.New("interrupted: no roster is written")
			}
			return nil, usageError{fmt.Errorf("team %s: %w", team.Name, err)}
		}
		doc.Teams = append(doc.Teams, reports.RosterTeam{Name: team.Name, Result: res})
	}
	return doc, nil
}
