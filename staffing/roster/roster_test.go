package roster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/staffing"
)

var monday = staffing.Date{Year: 2024, Month: time.January, Day: 1}

// randomTeam makes a team of 1 to maxShifts shifts, each on random days at
// a random hour for a common length, with 0 to maxAgents agents, on site
// or on call, and now and then a holiday.
func randomTeam(rng *rand.Rand, maxShifts, maxAgents int) Team {
	t := Team{Name: fmt.Sprintf("team %d", rng.IntN(100))}
	lengths := []time.Duration{4, 6, 8, 8, 10, 12, 12, 24}
	for range 1 + rng.IntN(maxShifts) {
		sh := staffing.Shift{Agents: rng.IntN(maxAgents + 1), OnCall: rng.IntN(4) == 0}
		from := time.Duration(rng.IntN(24)) * time.Hour
		span := staffing.Span{From: from, To: (from + lengths[rng.IntN(len(lengths))]*time.Hour) % (24 * time.Hour)}
		for d := range 7 {
			if rng.IntN(4) > 0 {
				sh.Days[d] = []staffing.Span{span}
			}
		}
		if rng.IntN(3) == 0 {
			sh.Holidays = []staffing.Date{{Year: 2024, Month: time.January, Day: 1 + rng.IntN(14)}}
		}
		t.Shifts = append(t.Shifts, sh)
	}
	return t
}

func randomRules(rng *rand.Rand) Rules {
	pick := func(xs ...int) int { return xs[rng.IntN(len(xs))] }
	r := Rules{
		DaysOff:        pick(0, 1, 2, 2, 3),
		MaxConsecutive: pick(0, 3, 5, 6, 6),
		MinRest:        time.Duration(pick(0, 8, 11, 11, 12)) * time.Hour,
		MaxHours:       float64(pick(0, 40, 48, 48, 60)),
	}
	if rng.IntN(4) == 0 {
		r.MinHours = float64(pick(8, 16, 24))
	}
	return r
}

// verify checks every rule on the roster independently of Check: head
// counts from the team's shifts as the calendar applies them, one shift a
// day, rest, consecutive days, days off and weekly hours.
func verify(t *testing.T, team *Team, r *Roster, rules Rules, weeks int) {
	t.Helper()
	type place struct {
		day   int
		shift string
	}
	want := map[place]int{}
	for d := range 7 * weeks {
		date := time.Date(monday.Year, monday.Month, monday.Day+d, 0, 0, 0, 0, time.UTC)
		for i, sh := range team.Shifts {
			off := false
			for _, h := range sh.Holidays {
				off = off || h == (staffing.Date{Year: date.Year(), Month: date.Month(), Day: date.Day()})
			}
			if !off && len(sh.Days[date.Weekday()]) > 0 {
				want[place{d, r.Shifts[i]}] += sh.Agents
			}
		}
	}
	got := map[place]int{}
	for p, work := range r.Work {
		if len(work) != 7*weeks {
			t.Fatalf("%s has %d days, want %d", r.People[p], len(work), 7*weeks)
		}
		var lastEnd time.Duration
		worked, run := false, 0
		days := make([]int, weeks)
		hours := make([]float64, weeks)
		for d, k := range work {
			if k < 0 {
				run = 0
				continue
			}
			duty := r.Duties[k]
			if duty.Day != d {
				t.Fatalf("%s works on day %d a shift of day %d", r.People[p], d, duty.Day)
			}
			got[place{d, r.Shifts[duty.Shift]}]++
			start := time.Duration(d)*24*time.Hour + duty.Start
			if worked && start-lastEnd < rules.MinRest {
				t.Errorf("%s, day %d: %v rest, want %v", r.People[p], d, start-lastEnd, rules.MinRest)
			}
			worked, lastEnd = true, start+duty.Length
			if run++; rules.MaxConsecutive > 0 && run > rules.MaxConsecutive {
				t.Errorf("%s, day %d: %d days in a row, at most %d", r.People[p], d, run, rules.MaxConsecutive)
			}
			days[d/7]++
			hours[d/7] += duty.Length.Hours()
		}
		for w := range weeks {
			if 7-days[w] < rules.DaysOff {
				t.Errorf("%s, week %d: %d days off, want %d", r.People[p], w+1, 7-days[w], rules.DaysOff)
			}
			if rules.MaxHours > 0 && hours[w] > rules.MaxHours || hours[w] < rules.MinHours {
				t.Errorf("%s, week %d: %g hours, want %g to %g", r.People[p], w+1, hours[w], rules.MinHours, rules.MaxHours)
			}
		}
	}
	for pl, n := range want {
		if got[pl] != n {
			t.Errorf("day %d, %s: %d people, the schedule asks for %d", pl.day, pl.shift, got[pl], n)
		}
	}
	for pl, n := range got {
		if want[pl] != n {
			t.Errorf("day %d, %s: %d people, the schedule asks for %d", pl.day, pl.shift, n, want[pl])
		}
	}
}

// TestRandomSchedules rosters 400 random teams with random rules, each
// with the fewest people the method finds, then with a person fewer, and
// verifies every rule on every roster made; a failure with a person fewer
// must name a rule and a place.
func TestRandomSchedules(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	made, proven := 0, 0
	for i := range 400 {
		team := randomTeam(rng, 3, 5)
		rules := randomRules(rng)
		weeks := 1 + rng.IntN(3)
		res, err := Solve(context.Background(), &team, monday, weeks, rules, 0)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if res.Roster == nil {
			continue
		}
		made++
		verify(t, &team, res.Roster, rules, weeks)
		n := len(res.Roster.People)
		if n == 0 {
			continue
		}
		_, err = Make(context.Background(), res.Plan, rules, nil, n-1)
		var f *Infeasible
		switch {
		case err == nil:
			// The search's step skipped over n-1; a roster with fewer is fine.
		case !errors.As(err, &f):
			t.Fatalf("case %d: %v", i, err)
		case f.Rule == "" || f.Where == "":
			t.Errorf("case %d: %v names no rule or place", i, err)
		case f.Proven:
			proven++
		}
	}
	t.Logf("%d of 400 rostered; with a person fewer, %d proven infeasible by a bound", made, proven)
	if made < 300 {
		t.Errorf("only %d of 400 random teams rostered", made)
	}
}

// exact reports whether any roster of n people exists, by searching them
// all: small plans only.
func exact(p *Plan, rules Rules, n int) bool {
	m := newMaker(p, rules, Names("x", n))
	var place func(d, i, from int) bool
	place = func(d, i, from int) bool {
		if d == len(p.Days) {
			return len(Check(m.r)) == 0
		}
		if i == len(p.ByDay[d]) {
			return place(d+1, 0, 0)
		}
		k := p.ByDay[d][i]
		have := 0
		for q := range n {
			if m.r.Work[q][d] == k {
				have++
			}
		}
		if have == p.Duties[k].Need {
			return place(d, i+1, 0)
		}
		freshTried := false
		for q := from; q < n; q++ {
			// People who have worked nothing yet are alike: try one.
			fresh := m.hours[q] == 0 && !slices.ContainsFunc(m.r.Work[q], func(k int) bool { return k >= 0 })
			if fresh && freshTried || m.blocked(q, k) != "" {
				continue
			}
			freshTried = freshTried || fresh
			m.set(q, d, k)
			if place(d, i, q+1) {
				return true
			}
			m.set(q, d, -1)
		}
		return false
	}
	return place(0, 0, 0)
}

// TestBoundsProve checks, on small random plans, that what a bound says
// is impossible is (no roster exists, by exhaustive search), and how far
// the method's fewest people are from the true fewest.
func TestBoundsProve(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	worse := 0
	for i := range 60 {
		team := randomTeam(rng, 2, 2)
		rules := randomRules(rng)
		p, err := NewPlan(&team, monday, 1)
		if err != nil {
			t.Fatal(err)
		}
		fewest := -1
		for n := 0; n <= 6 && fewest < 0; n++ {
			if exact(p, rules, n) {
				fewest = n
			}
			if f := Bound(p, rules, n); f != nil && exact(p, rules, n) {
				t.Errorf("case %d: %d people: %v, yet a roster exists", i, n, f)
			}
		}
		if fewest < 0 {
			continue
		}
		n, found, err := MinPeople(context.Background(), p, rules)
		switch {
		case err != nil:
			t.Fatal(err)
		case !found || n < fewest:
			t.Errorf("case %d: the method rosters %d people (found %v), the fewest possible is %d", i, n, found, fewest)
		case n > fewest:
			worse++
		}
	}
	t.Logf("the method needed more people than the fewest possible in %d of 60 plans", worse)
	if worse > 6 {
		t.Errorf("the method needed more people than the fewest possible in %d of 60 plans", worse)
	}
}

// TestRestOverClockChange: rest is the time that passes, not what the
// wall clock says. In Paris, 20:00 on Saturday 30 March 2024 to 07:00 the
// next day is 11 hours on the clock and 10 in fact (summer time starts at
// 02:00): a late shift then an early one broke a rest of 11 hours while
// the roster's check let it through. A week later, the same pair rests 11
// hours.
func TestRestOverClockChange(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	shift := func(from, to time.Duration) staffing.Shift {
		sh := staffing.Shift{Agents: 1}
		sh.Location = paris
		for d := range 7 {
			sh.Days[d] = []staffing.Span{{From: from * time.Hour, To: to * time.Hour}}
		}
		return sh
	}
	team := Team{Name: "desk", Shifts: []staffing.Shift{shift(9, 20), shift(7, 18)}}
	rules := Rules{MinRest: 11 * time.Hour}
	start := staffing.Date{Year: 2024, Month: time.March, Day: 25} // a Monday
	p, err := NewPlan(&team, start, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Person 0 works the late shift to Saturday, then the early one;
	// person 1 the other way round; in week 2 likewise.
	r := &Roster{Plan: p, Rules: rules, People: Names("desk", 2), Work: [][]int{make([]int, 14), make([]int, 14)}}
	for _, k := range slices.Concat(p.ByDay...) {
		d := p.Duties[k]
		late := d.Shift == 0
		if d.Day%7 == 6 {
			late = !late
		}
		if late {
			r.Work[0][d.Day] = k
		} else {
			r.Work[1][d.Day] = k
		}
	}
	var sundays []string
	for _, v := range Check(r) {
		sundays = append(sundays, fmt.Sprintf("%s day %d: %s", r.People[v.Person], v.Day, v.Rule))
	}
	if want := []string{"desk 01 day 6: 10h of rest, at least 11h"}; !slices.Equal(sundays, want) {
		t.Errorf("violations %q, want %q", sundays, want)
	}
	res, err := Solve(context.Background(), &team, start, 2, rules, 0)
	if err != nil || res.Roster == nil {
		t.Fatalf("no roster: %v %+v", err, res)
	}
	if v := Check(res.Roster); len(v) > 0 {
		t.Errorf("the roster made breaks its rules: %+v", v)
	}
}
