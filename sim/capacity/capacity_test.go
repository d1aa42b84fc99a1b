package capacity

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSolve(t *testing.T) {
	for _, c := range []struct {
		name        string
		p           Problem
		utilisation float64
		short       []int
		pools       []int
		unserved    []int
	}{
		{"no load", Problem{Load: []float64{0, 0}, Capacity: []float64{3}, Serves: [][]int{{0, 1}}}, 0, nil, nil, nil},
		{"one pool for everything", Problem{Load: []float64{1, 2, 3}, Capacity: []float64{8}, Serves: [][]int{{0, 1, 2}}}, 0.75, nil, nil, nil},
		// Front line (3 agents) takes P3 and P4 only, experts (4) take
		// everything: P4's overflow goes to the experts, spread evenly.
		{"overflow to generalists", Problem{Load: []float64{1, 4}, Capacity: []float64{3, 4}, Serves: [][]int{{1}, {0, 1}}}, 5.0 / 7, nil, nil, nil},
		// Experts may not take P4: the front line carries 3.3 Erlangs on 3
		// agents, whatever the experts' spare time.
		{"specialist overloaded", Problem{Load: []float64{1, 3.3}, Capacity: []float64{3, 4}, Serves: [][]int{{1}, {0}}}, 1.1, []int{1}, []int{0}, nil},
		// Load equal to capacity: the pool can never catch up.
		{"at capacity", Problem{Load: []float64{2, 1}, Capacity: []float64{2, 5}, Serves: [][]int{{0}, {1}}}, 1, []int{0}, []int{0}, nil},
		// Two classes compete for one pool; a third has a pool of its own.
		{"competing classes", Problem{Load: []float64{1, 1, 1}, Capacity: []float64{1.5, 2}, Serves: [][]int{{0, 1}, {2}}}, 4.0 / 3, []int{0, 1}, []int{0}, nil},
		{"nobody serves a class", Problem{Load: []float64{1, 2}, Capacity: []float64{5, 0}, Serves: [][]int{{0}, {1}}}, math.Inf(1), []int{1}, []int{1}, []int{1}},
		{"a class no pool lists", Problem{Load: []float64{1, 2}, Capacity: []float64{5}, Serves: [][]int{{0}}}, math.Inf(1), []int{1}, nil, []int{1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Solve(&c.p)
			if !(math.Abs(r.Utilisation-c.utilisation) <= 1e-12*c.utilisation) && r.Utilisation != c.utilisation {
				t.Errorf("utilisation %v, want %v", r.Utilisation, c.utilisation)
			}
			if !slices.Equal(r.Short, c.short) || !slices.Equal(r.Pools, c.pools) || !slices.Equal(r.Unserved, c.unserved) {
				t.Errorf("short %v pools %v unserved %v, want %v %v %v", r.Short, r.Pools, r.Unserved, c.short, c.pools, c.unserved)
			}
		})
	}
}

// TestSolveAgainstSubsets: on random problems, the utilisation is the
// largest ratio of load to the capacity of the pools that may serve it,
// over every set of classes (Hall), the flow at that utilisation carries
// everything and a little below it does not, and the short classes are
// exactly those some maximum flow at full time leaves short of their load.
func TestSolveAgainstSubsets(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		classes, pools := 1+rng.IntN(7), 1+rng.IntN(4)
		p := Problem{Load: make([]float64, classes), Capacity: make([]float64, pools), Serves: make([][]int, pools)}
		for i := range p.Load {
			if rng.IntN(5) > 0 {
				p.Load[i] = float64(rng.IntN(40)) / 4
			}
		}
		for j := range p.Capacity {
			if rng.IntN(6) > 0 {
				p.Capacity[j] = float64(rng.IntN(40)) / 4
			}
			for i := range classes {
				if rng.IntN(2) == 0 {
					p.Serves[j] = append(p.Serves[j], i)
				}
			}
		}
		want := 0.0
		for set := 1; set < 1<<classes; set++ {
			var load, capacity float64
			for i := range classes {
				if set>>i&1 == 1 {
					load += p.Load[i]
				}
			}
			for j, serves := range p.Serves {
				for _, i := range serves {
					if set>>i&1 == 1 {
						capacity += p.Capacity[j]
						break
					}
				}
			}
			if load > 0 {
				want = max(want, load/capacity) // +Inf when nobody may serve it
			}
		}
		r := Solve(&p)
		if !(math.Abs(r.Utilisation-want) <= 1e-9*want) && r.Utilisation != want {
			t.Fatalf("trial %d: %+v: utilisation %v, want %v", trial, p, r.Utilisation, want)
		}
		total := 0.0
		for _, l := range p.Load {
			total += l
		}
		if math.IsInf(want, 1) || want == 0 {
			continue
		}
		n := newNetwork(&p)
		if f := n.maxFlow(want * (1 + 1e-9)); f < total*(1-1e-9) {
			t.Fatalf("trial %d: at the utilisation found the flow carries %v of %v", trial, f, total)
		}
		if f := n.maxFlow(want * (1 - 1e-6)); f >= total*(1-1e-9) {
			t.Fatalf("trial %d: below the utilisation found the flow still carries everything", trial)
		}
		if (len(r.Short) > 0) != (want >= 1) {
			t.Fatalf("trial %d: utilisation %v but short classes %v", trial, want, r.Short)
		}
		if want > 1 {
			// Removing a short class frees less capacity than its load is
			// worth: some other class used it.
			for i := range p.Load {
				q := p
				q.Load = slices.Clone(p.Load)
				q.Load[i] = 0
				freed := Solve(&q).Carried - (r.Carried - p.Load[i])
				if short := slices.Contains(r.Short, i); short != (freed > 1e-9*total) && p.Load[i] > 0 {
					t.Fatalf("trial %d: %+v: class %d short %v, but removing it changes the carried load by %v", trial, p, i, short, freed)
				}
			}
		}
	}
}
