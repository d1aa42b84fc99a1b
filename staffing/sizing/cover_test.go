package sizing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/sim/queueing"
	"github.com/slasim/slasim/staffing"
)

// TestCoveringBruteForce checks the branch and bound against every integer
// head count in a box, on random small coverings: posts of coverage 0, ½,
// 0.85 (an agent on site with 15% shrinkage) or 1 per row, bounded and
// unbounded, some rows out of the bounds' reach. The covering found must
// cover every row as far as the bounds allow, at the least cost of any
// head counts that do.
func TestCoveringBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 16))
	coverage := []float64{0, 0, 0.5, 0.85, 1}
	for trial := range 300 {
		n, rows := 2+r.IntN(3), 2+r.IntN(6)
		c := &covering{cost: make([]float64, n), min: make([]int, n), max: make([]int, n)}
		for i := range n {
			c.cost[i] = float64(1 + r.IntN(9))
			c.min[i] = r.IntN(2)
			if r.IntN(2) == 0 {
				c.max[i] = c.min[i] + 1 + r.IntN(5)
			}
		}
		for range rows {
			row := coverRow{a: make([]float64, n), need: float64(r.IntN(60)) / 10}
			for i := range n {
				row.a[i] = coverage[r.IntN(len(coverage))]
			}
			c.rows = append(c.rows, row)
		}
		sol := c.solve()
		if !sol.optimal {
			t.Fatalf("trial %d: not proven optimal within %d nodes", trial, maxNodes)
		}
		// The box: no head count beyond its maximum, or beyond what
		// covers the largest need with the least coverage.
		hi := make([]int, n)
		for i := range n {
			hi[i] = c.max[i]
			if hi[i] == 0 {
				hi[i] = c.min[i] + 12
			}
		}
		covers := func(x []int) bool {
			for _, row := range c.rows {
				most := 0.0
				for i, a := range row.a {
					if a > 0 && c.max[i] == 0 {
						most = math.Inf(1)
					}
					most += a * float64(hi[i])
				}
				if dot(row.a, x) < min(row.need, most)-coverTolerance {
					return false
				}
			}
			return true
		}
		best := math.Inf(1)
		x := make([]int, n)
		var walk func(i int)
		walk = func(i int) {
			if i == n {
				if v := c.value(x); v < best && covers(x) {
					best = v
				}
				return
			}
			for x[i] = c.min[i]; x[i] <= hi[i]; x[i]++ {
				walk(i + 1)
			}
		}
		walk(0)
		if !covers(sol.x) {
			t.Errorf("trial %d: %v does not cover %+v", trial, sol.x, c)
		}
		if math.Abs(sol.cost-best) > 1e-9 || math.Abs(c.value(sol.x)-best) > 1e-9 {
			t.Errorf("trial %d: covering %v costs %v, brute force %v (%+v)", trial, sol.x, sol.cost, best, c)
		}
		if sol.bound > best+1e-9 {
			t.Errorf("trial %d: the relaxation's bound %v exceeds the optimum %v", trial, sol.bound, best)
		}
	}
}

// TestAnalyticSkills checks that the analytic start sizes each pool of
// skills by itself: two teams, each taking one tier only, around the
// clock, must get exactly Erlang C's agents for their own tier, not a
// share of the whole desk's.
func TestAnalyticSkills(t *testing.T) {
	m := &sim.Model{
		Horizon: sim.Week,
		Tiers: []sim.Tier{
			{Name: "A", Arrivals: sim.ConstantRate(6), Handling: sim.Exponential{Mu: time.Hour}, Response: 15 * time.Minute, Resolution: 8 * time.Hour},
			{Name: "B", Arrivals: sim.ConstantRate(3), Handling: sim.Exponential{Mu: 30 * time.Minute}, Response: 30 * time.Minute, Resolution: 8 * time.Hour},
		},
		Teams: []sim.Team{{Name: "a", Tiers: []int{0}}, {Name: "b", Tiers: []int{1}}},
	}
	always := sim.Steps{At: []time.Duration{0}, Value: []int{1}}
	p := &Problem{
		Model:       m,
		Posts:       []Post{{Name: "a", Team: 0, Unit: always, Cost: 1}, {Name: "b", Team: 1, Unit: always, Cost: 1}},
		Requirement: Requirement{Levels: []contract.Levels{{Response: 0.9}, {Response: 0.8}}, Confidence: 0.95},
	}
	wantA, _ := queueing.ServersFor(6, 1, 0.25, 0.9)
	wantB, _ := queueing.ServersFor(3, 2, 0.5, 0.8)
	_, x, err := p.Analytic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if x[0] != wantA || x[1] != wantB {
		t.Errorf("analytic %v, want Erlang C's [%d %d] pool by pool", x, wantA, wantB)
	}
	// Pooled, the desk would need fewer than the two pools together.
	pooled, _ := queueing.ServersFor(9, 9/7.5, 0.25, 0.9)
	if pooled >= wantA+wantB {
		t.Fatalf("the test needs pooling to save agents: pooled %d, pools %d", pooled, wantA+wantB)
	}
}

// TestSizeTwoSkillsBruteForce sizes a desk of two skills — specialists
// who take tier A only and dearer generalists who take both — and checks
// the search's choice against every head count in a box, each judged as
// the search judges it (same seed, same sequential replications): the
// search must find the cheapest staffing that meets every level.
func TestSizeTwoSkillsBruteForce(t *testing.T) {
	m := &sim.Model{
		Horizon: 2 * sim.Week,
		WarmUp:  24 * time.Hour,
		Tiers: []sim.Tier{
			{Name: "A", Arrivals: sim.ConstantRate(4), Handling: sim.Exponential{Mu: 30 * time.Minute}, Response: 10 * time.Minute, Resolution: 8 * time.Hour},
			{Name: "B", Arrivals: sim.ConstantRate(1.5), Handling: sim.Exponential{Mu: time.Hour}, Response: 20 * time.Minute, Resolution: 8 * time.Hour},
		},
		Teams: []sim.Team{{Name: "specialists", Tiers: []int{0}}, {Name: "generalists"}},
	}
	always := sim.Steps{At: []time.Duration{0}, Value: []int{1}}
	p := &Problem{
		Model: m,
		Posts: []Post{
			{Name: "specialists", Team: 0, Unit: always, Cost: 1, Agents: 3},
			{Name: "generalists", Team: 1, Unit: always, Cost: 1.3, Agents: 3},
		},
		Requirement: Requirement{Levels: []contract.Levels{{Response: 0.8}, {Response: 0.8}}, Confidence: 0.95},
	}
	o := Options{Seed: 7}
	res, err := Size(t.Context(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	// The same evaluations, as Size fills in its defaults.
	o.Replications, o.MaxReplications = 10, 80
	s := &search{ctx: t.Context(), p: p, o: o, cache: map[string]*Evaluation{}, stride: make([]int, 2)}
	var best *Evaluation
	for a := 0; a <= 8; a++ {
		for g := 1; g <= 7; g++ {
			e, err := s.evaluate([]int{a, g}, o.Seed)
			if err != nil {
				t.Fatal(err)
			}
			if e.Feasible() && (best == nil || cheaper(e, best)) {
				best = e
			}
		}
	}
	if best == nil {
		t.Fatal("no staffing in the box meets the levels")
	}
	if got := res.Search.Agents; got[0] != best.Agents[0] || got[1] != best.Agents[1] {
		t.Errorf("search chose %v at %.0f a week, brute force %v at %.0f", got, res.Search.Cost(), best.Agents, best.Cost())
	}
	t.Logf("two skills: search %v (%d staffings), brute force %v (%d staffings)", res.Search.Agents, res.Candidates, best.Agents, s.candidates)
}

// TestShiftDesignBruteForce checks the shift-design covering against every
// head count on a small grid of offered shifts: starts at 00:00, 08:00 and
// 20:00, each 8 or 12 hours long, every day, for a desk busy from 08:00 to
// 20:00 with 15% shrinkage. The covering's choice must cost what the cheapest head
// counts meeting every need of the analytic start cost.
func TestShiftDesignBruteForce(t *testing.T) {
	rates := make([]float64, 24)
	for h := range rates {
		rates[h] = 1
		if h >= 8 && h < 20 {
			rates[h] = 6
		}
	}
	m := &sim.Model{
		Horizon: sim.Week,
		Tiers: []sim.Tier{{
			Name:       "all",
			Arrivals:   sim.ArrivalProfile{Interval: time.Hour, Rates: rates},
			Handling:   sim.Exponential{Mu: 40 * time.Minute},
			Response:   30 * time.Minute,
			Resolution: 8 * time.Hour,
		}},
		Teams: []sim.Team{{Name: "desk", Shrinkage: 0.15}},
	}
	clock := staffing.Epoch{Origin: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := &Problem{Model: m, Requirement: Requirement{Levels: []contract.Levels{{Response: 0.9}}, Confidence: 0.95}}
	for _, start := range []time.Duration{0, 8 * time.Hour, 20 * time.Hour} {
		for _, length := range []time.Duration{8 * time.Hour, 12 * time.Hour} {
			sh := staffing.Shift{Agents: 1}
			for d := range sh.Days {
				sh.Days[d] = []staffing.Span{{From: start, To: (start + length) % (24 * time.Hour)}}
			}
			on, _ := (&staffing.Schedule{Shifts: []staffing.Shift{sh}}).Timelines(clock, sim.Week)
			p.Posts = append(p.Posts, Post{Name: sh.Days[0][0].String(), Unit: on, Cost: 1, Offered: true})
		}
	}
	d, err := p.demand(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := p.coveringOf(d)
	sol := c.solve()
	if !sol.optimal {
		t.Fatal("the covering is not proven optimal")
	}
	const most = 9 // per shift: more than the peak need over 0.85
	best, x := math.Inf(1), make([]int, len(p.Posts))
	var bestX []int
	var walk func(i int)
	walk = func(i int) {
		if i == len(x) {
			for _, row := range c.rows {
				if dot(row.a, x) < row.need-coverTolerance {
					return
				}
			}
			if v := c.value(x); v < best {
				best, bestX = v, slices.Clone(x)
			}
			return
		}
		for x[i] = 0; x[i] <= most; x[i]++ {
			walk(i + 1)
		}
	}
	walk(0)
	if math.Abs(sol.cost-best) > 1e-9 {
		t.Errorf("covering %v costs %v a week, brute force %v costs %v", sol.x, sol.cost, bestX, best)
	}
	t.Logf("shift design: %v (%v agent-hours a week), brute force %v", sol.x, sol.cost, bestX)
}

// TestAnalyticChats checks that an agent holding three chats at once
// counts as three servers (M/M/(3c)): the chat team needs a third of
// Erlang C's servers, rounded up.
func TestAnalyticChats(t *testing.T) {
	m := &sim.Model{
		Horizon: sim.Week,
		Tiers: []sim.Tier{{Name: "chat", Arrivals: sim.ConstantRate(20), Handling: sim.Exponential{Mu: 30 * time.Minute},
			Response: 5 * time.Minute, Resolution: 8 * time.Hour, Concurrent: true}},
		Teams: []sim.Team{{Name: "chat desk", Concurrency: 3}},
	}
	p := &Problem{
		Model:       m,
		Posts:       []Post{{Name: "chat desk", Unit: sim.Steps{At: []time.Duration{0}, Value: []int{1}}, Cost: 1}},
		Requirement: Requirement{Levels: []contract.Levels{{Response: 0.8}}, Confidence: 0.95},
	}
	servers, _ := queueing.ServersFor(20, 2, 5.0/60, 0.8)
	_, x, err := p.Analytic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (servers + 2) / 3; x[0] != want {
		t.Errorf("analytic %v agents, want %d for Erlang C's %d servers, three chats each", x, want, servers)
	}
}
