package sizing

import (
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing"
)

// TestNeighbours: a shift's neighbours are the next start earlier and
// later among shifts of its length, and the next length shorter and longer
// among shifts of its start, of the same team, days and kind only.
func TestNeighbours(t *testing.T) {
	all := [7]bool{true, true, true, true, true, true, true}
	weekdays := [7]bool{false, true, true, true, true, true, false}
	post := func(start, length int, days [7]bool, team int, onCall bool) Post {
		return Post{Team: team, OnCall: onCall, Shape: &Shape{Days: days, Start: time.Duration(start) * time.Hour, Length: time.Duration(length) * time.Hour}}
	}
	posts := []Post{
		post(8, 8, all, 0, false),      // 0
		post(6, 8, all, 0, false),      // 1: earlier
		post(10, 8, all, 0, false),     // 2: later
		post(22, 8, all, 0, false),     // 3: round the clock, farther
		post(8, 12, all, 0, false),     // 4: longer
		post(8, 10, all, 0, false),     // 5: longer, nearer
		post(8, 6, all, 0, false),      // 6: shorter
		post(9, 8, weekdays, 0, false), // 7: other days
		post(9, 8, all, 1, false),      // 8: other team
		post(9, 8, all, 0, true),       // 9: on call
		{Team: 0},                      // 10: no shape
	}
	near := neighbours(posts)
	if got, want := near[0], []int{1, 2, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("neighbours of 08:00-16:00: %v, want %v", got, want)
	}
	if got, want := near[3], []int{1, 2}; !slices.Equal(got, want) { // 22:00: next later 06:00, next earlier 10:00
		t.Errorf("neighbours of 22:00-06:00: %v, want %v", got, want)
	}
	if len(near[10]) != 0 || len(near[7]) != 0 {
		t.Errorf("a shift without shape or alone on its days has neighbours: %v, %v", near[10], near[7])
	}
}

// TestSizeMovesShiftBruteForce: a desk busy from 11:00 to 19:00 whose day
// shift works 08:00-16:00, with 11:00-19:00 and 08:00-20:00 offered. From
// four agents on the day shift, as the planner has them, the search must
// reach the cheapest staffing meeting the level among all 216 head counts
// of the three shifts up to five, each judged as the search judges it
// (same seed, same sequential replications): that needs the shift moved.
func TestSizeMovesShiftBruteForce(t *testing.T) {
	rates := make([]float64, 24)
	for h := range rates {
		rates[h] = 0.5
		if h >= 11 && h < 19 {
			rates[h] = 5
		}
	}
	m := &sim.Model{
		Horizon: 2 * sim.Week,
		WarmUp:  24 * time.Hour,
		Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ArrivalProfile{Interval: time.Hour, Rates: rates},
			Handling: sim.Exponential{Mu: 30 * time.Minute}, Response: 20 * time.Minute, Resolution: 8 * time.Hour}},
		Teams: []sim.Team{{Name: "desk"}},
	}
	clock := staffing.Epoch{Origin: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	all := [7]bool{true, true, true, true, true, true, true}
	shift := func(start, length time.Duration, offered bool) Post {
		sh := staffing.Shift{Agents: 1}
		for d := range sh.Days {
			sh.Days[d] = []staffing.Span{{From: start, To: (start + length) % (24 * time.Hour)}}
		}
		on, _ := (&staffing.Schedule{Shifts: []staffing.Shift{sh}}).Timelines(clock, m.WarmUp+m.Horizon+sim.DefaultDrain)
		return Post{Name: sh.Days[0][0].String(), Unit: on, Cost: 1, Offered: offered, Shape: &Shape{Days: all, Start: start, Length: length, Holidays: true}}
	}
	p := &Problem{
		Model: m,
		Posts: []Post{
			{Name: "cover", Unit: sim.Steps{At: []time.Duration{0}, Value: []int{1}}, Min: 1, Max: 1, Cost: 1, Agents: 1},
			shift(8*time.Hour, 8*time.Hour, false),
			shift(11*time.Hour, 8*time.Hour, true),
			shift(8*time.Hour, 12*time.Hour, true),
		},
		Requirement: Requirement{Levels: []contract.Levels{{Response: 0.85}}, Confidence: 0.95},
	}
	p.Posts[1].Agents = 4
	o := Options{Seed: 11, Start: []int{1, 4, 0, 0}}
	res, err := Size(t.Context(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Replications, o.MaxReplications = 10, 80
	s := &search{ctx: t.Context(), p: p, o: o, cache: map[string]*Evaluation{}, stride: make([]int, len(p.Posts))}
	var best *Evaluation
	for a := range 6 {
		for b := range 6 {
			for c := range 6 {
				e, err := s.evaluate([]int{1, a, b, c}, o.Seed)
				if err != nil {
					t.Fatal(err)
				}
				if e.Feasible() && (best == nil || cheaper(e, best)) {
					best = e
				}
			}
		}
	}
	if best == nil {
		t.Fatal("no staffing in the box meets the level")
	}
	if best.Agents[1] != 0 {
		t.Fatalf("brute force keeps the day shift (%v): the desk does not need the shift moved", best.Agents)
	}
	got := make([]int, 4)
	for i, q := range res.Posts {
		for j, r := range p.Posts {
			if r.Name == q.Name {
				got[j] = res.Search.Agents[i]
			}
		}
	}
	if !slices.Equal(got, best.Agents) {
		t.Errorf("search chose %v at %.0f a week, brute force %v at %.0f", got, res.Search.Cost(), best.Agents, best.Cost())
	}
	t.Logf("moved shift: search %v (%d staffings), brute force %v (%d staffings)", got, res.Candidates, best.Agents, s.candidates)
}
