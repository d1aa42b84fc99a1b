package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/staffing"
)

func TestRosterParse(t *testing.T) {
	got, err := parse(t, "roster", "desk.yaml", "--weeks", "6", "--days-off", "1", "--max-consecutive", "5", "--min-rest", "12h",
		"--min-hours", "20", "--max-hours", "40", "--start", "2024-03-04", "--people", "night desk = 9", "--csv", "r.csv", "--html", "r.html")
	if err != nil {
		t.Fatal(err)
	}
	rt := got.(*rosterTask)
	var z scenarios.Roster
	for _, set := range rt.rules {
		set(&z)
	}
	want := scenarios.Roster{Weeks: 6, Start: mustDate(t, "2024-03-04")}
	want.Rules.DaysOff, want.Rules.MaxConsecutive, want.Rules.MinRest, want.Rules.MinHours, want.Rules.MaxHours = 1, 5, 12*time.Hour, 20, 40
	if !reflect.DeepEqual(z, want) || rt.scenario != "desk.yaml" || rt.csv != "r.csv" || rt.html != "r.html" || rt.people["night desk"] != 9 {
		t.Errorf("got %+v with %+v, want %+v", rt, z, want)
	}
	for _, tc := range []struct{ args, want string }{
		{"--weeks 0", "--weeks must be from 1 to 104"},
		{"--days-off 8", "--days-off must be from 0 to 7"},
		{"--max-consecutive -1", "--max-consecutive must be from 0"},
		{"--min-rest 9d", "--min-rest must be a duration from 0 to a week"},
		{"--max-hours 200", "--max-hours must be hours a week from 0 to 168"},
		{"--start 2024-02-30", "--start:"},
		{"--people night", "--people takes TEAM=N"},
		{"--people x=0", "--people takes TEAM=N"},
		{"a b", "roster takes one scenario"},
	} {
		_, err := parse(t, append([]string{"roster"}, strings.Fields(tc.args)...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("roster %s: %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

func mustDate(t *testing.T, s string) staffing.Date {
	t.Helper()
	d, err := staffing.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRosterGolden rosters testdata/roster.yaml (a night desk and a day
// desk of the fewest people, named experts on call at weekends, a
// holiday) as text and CSV; the CSV's rows are checked against the
// schedule: one row per person per day, and each day's head count on each
// shift as the file gives it.
func TestRosterGolden(t *testing.T) {
	args := []string{"roster", "testdata/roster.yaml"}
	code, out, errs := slasim(t, context.Background(), args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden(t, "roster.txt", args, out)
	args = append(args, "--csv", "-")
	code, out, errs = slasim(t, context.Background(), args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden(t, "roster.csv", args, out)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], reports.RosterCSVHeader) {
		t.Fatalf("header %v", rows[0])
	}
	people := map[string]int{}
	count := map[string]int{} // by date, team and shift
	for _, r := range rows[1:] {
		people[r[3]+"/"+r[4]]++
		if r[5] != "off" {
			count[r[0]+" "+r[3]+" "+r[5]]++
		}
	}
	for p, days := range people {
		if days != 14 {
			t.Errorf("%s has %d rows, want 14", p, days)
		}
	}
	want := func(date, team, shift string, n int) {
		t.Helper()
		if got := count[date+" "+team+" "+shift]; got != n {
			t.Errorf("%s %s %s: %d people, want %d", date, team, shift, got, n)
		}
	}
	want("2024-01-01", "day desk", "08:00-16:00", 0) // New Year's Day
	want("2024-01-02", "day desk", "08:00-16:00", 3)
	want("2024-01-02", "day desk", "12:00-20:00", 2)
	want("2024-01-06", "day desk", "08:00-16:00", 0)
	want("2024-01-06", "experts", "08:00-20:00 on call", 1)
	want("2024-01-03", "experts", "08:00-20:00 on call", 0)
	for d := 1; d <= 14; d++ {
		want(fmt.Sprintf("2024-01-%02d", d), "night desk", "20:00-08:00", 2)
	}
	if people["experts/Ann"] == 0 || people["experts/Bo"] == 0 {
		t.Errorf("the experts are not named as the file names them: %v", people)
	}
}

// TestRosterInfeasible asks for too few people: the command exits 1 and
// says the rule that cannot be met, where, and how many people can be
// rostered; the other teams' rosters are still shown, and the HTML page
// is well-formed.
func TestRosterInfeasible(t *testing.T) {
	code, out, errs := slasim(t, context.Background(), "roster", "testdata/roster.yaml", "--people", "night desk=3")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1: %s", code, errs)
	}
	for _, want := range []string{"night desk: no roster. week 1: needs 168 hours, only 144 may work after max 48 hours a week (3 people × 48 hours)", "people can be rostered", "day desk: "} {
		// The report is laid out within 80 columns: read it as one line.
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the report has no %q:\n%s", want, out)
		}
	}
	code, out, _ = slasim(t, context.Background(), "roster", "testdata/roster.yaml", "--html", "-")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if err := wellFormed([]byte(out)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `<td class="name">Ann</td>`) {
		t.Error("the page has no row for Ann")
	}
}
