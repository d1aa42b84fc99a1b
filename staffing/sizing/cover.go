package sizing

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// A covering is the integer program of the analytic start: head counts x,
// one per post within its bounds, of least cost Σ cost·x, such that every
// row is covered: Σ a·x ≥ need. A row is a team's agents at one hour; a
// post's coefficient is what one agent on it gives that hour (1 −
// shrinkage on site, 1 on call, the share of the hour worked).
type covering struct {
	cost     []float64
	min, max []int // max 0: no bound
	rows     []coverRow
}

type coverRow struct {
	a    []float64
	need float64
}

// coverTolerance is the deficit, in agents, that a covering leaves
// unremarked: rounding noise of shrinkage factors.
const coverTolerance = 1e-9

// maxNodes bounds the branch and bound: the linear programs solved before
// the best covering found so far is kept, with the gap to the bound.
const maxNodes = 400

// A coverSolution is a covering's answer: integer head counts, their cost,
// the linear relaxation's cost (a lower bound on any covering's), whether
// the head counts are proven optimal, and the agents each row still lacks
// because the posts' maximums (or no post at all) cannot cover it.
type coverSolution struct {
	x       []int
	cost    float64
	bound   float64
	optimal bool
	short   []float64
}

// solve finds the cheapest integer covering, part by part (head counts
// that share no row are independent), by branch and bound on the linear
// relaxation (gonum's simplex), depth first, branching on the most
// fractional head count; the first incumbent is the greedy covering. Rows
// the bounds cannot cover are covered as far as they allow, and reported
// short. Up to maxNodes relaxations are solved; if the search is cut off
// there, the best covering found is returned, not proven optimal.
func (c *covering) solve() coverSolution {
	n := len(c.cost)
	sol := coverSolution{short: make([]float64, len(c.rows))}
	rows := c.reachable(sol.short)
	if parts := components(rows, n); len(parts) > 1 {
		// Head counts that share no row are independent: each part is
		// solved on its own, a few columns at a time (a week of interval
		// staffing is hundreds of one-column parts).
		sol.x, sol.optimal = slices.Clone(c.min), true
		for _, cols := range parts {
			sub := &covering{cost: pick(c.cost, cols), min: pick(c.min, cols), max: pick(c.max, cols)}
			for _, row := range rows {
				if slices.ContainsFunc(cols, func(i int) bool { return row.a[i] > 0 }) {
					sub.rows = append(sub.rows, coverRow{a: pick(row.a, cols), need: row.need})
				}
			}
			s := sub.solve()
			for k, i := range cols {
				sol.x[i] = s.x[k]
			}
			sol.bound += s.bound
			sol.optimal = sol.optimal && s.optimal
		}
		sol.cost = c.value(sol.x)
		sol.bound += c.value(c.min) - minsIn(c, parts)
		return sol
	}
	greedy := c.greedy(rows)
	sol.x, sol.cost = greedy, c.value(greedy)
	lo, hi := slices.Clone(c.min), make([]int, n)
	for i := range hi {
		hi[i] = c.max[i]
		if hi[i] == 0 {
			hi[i] = -1
		}
	}
	nodes := 0
	var branch func(lo, hi []int) bool // false: cut off at maxNodes
	branch = func(lo, hi []int) bool {
		if nodes == maxNodes {
			return false
		}
		nodes++
		z, y, err := c.relax(rows, lo, hi)
		if nodes == 1 {
			sol.bound = z
			if err != nil {
				sol.bound = math.Inf(-1)
			}
		}
		if err != nil || z >= sol.cost-1e-9*max(1, math.Abs(sol.cost)) {
			return true // infeasible, or no better than the incumbent
		}
		// Branch on the head count whose fractional part is closest to ½.
		k, dist := -1, 0.5
		for i, v := range y {
			f := v - math.Floor(v)
			if d := math.Abs(f - 0.5); f > 1e-6 && f < 1-1e-6 && d < dist {
				k, dist = i, d
			}
		}
		if k < 0 {
			x := make([]int, n)
			for i, v := range y {
				x[i] = int(math.Round(v))
			}
			if v := c.value(x); v < sol.cost {
				sol.x, sol.cost = x, v
			}
			return true
		}
		down, up := slices.Clone(hi), slices.Clone(lo)
		down[k] = int(math.Floor(y[k]))
		up[k] = down[k] + 1
		// The branch rounding up first: it is where coverings are.
		return branch(up, hi) && branch(lo, down)
	}
	sol.optimal = branch(lo, hi)
	if sol.optimal {
		sol.bound = sol.cost
	}
	return sol
}

// components splits the columns that cover some row into sets sharing no
// row; each set lists its columns in increasing order, and the sets come
// in the order of their first column.
func components(rows []coverRow, n int) [][]int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	used := make([]bool, n)
	for _, row := range rows {
		first := -1
		for i, a := range row.a {
			if a <= 0 {
				continue
			}
			used[i] = true
			if first < 0 {
				first = i
			} else if ri, rf := find(i), find(first); ri != rf {
				parent[max(ri, rf)] = min(ri, rf)
			}
		}
	}
	index := make(map[int]int)
	var parts [][]int
	for i := range n {
		if !used[i] {
			continue
		}
		r := find(i)
		k, ok := index[r]
		if !ok {
			k = len(parts)
			index[r] = k
			parts = append(parts, nil)
		}
		parts[k] = append(parts[k], i)
	}
	return parts
}

// minsIn is the cost of the minimum head counts of the columns in parts.
func minsIn(c *covering, parts [][]int) float64 {
	var v float64
	for _, cols := range parts {
		for _, i := range cols {
			v += c.cost[i] * float64(c.min[i])
		}
	}
	return v
}

// value is the cost of head counts x.
func (c *covering) value(x []int) float64 {
	var v float64
	for i, n := range x {
		v += c.cost[i] * float64(n)
	}
	return v
}

// reachable returns the rows as far as the posts' maximums can cover them,
// without the rows the minimums cover already, and records in short what
// each row lacks beyond that.
func (c *covering) reachable(short []float64) []coverRow {
	var out []coverRow
	for r, row := range c.rows {
		need, most := row.need, 0.0
		for i, a := range row.a {
			need -= a * float64(c.min[i])
			switch {
			case a <= 0:
			case c.max[i] == 0:
				most = math.Inf(1)
			default:
				most += a * float64(c.max[i]-c.min[i])
			}
		}
		if need <= coverTolerance {
			continue
		}
		if need > most+coverTolerance {
			short[r] = need - most
			need = most
			if need <= coverTolerance {
				continue
			}
		}
		out = append(out, coverRow{a: row.a, need: need + dot(row.a, c.min)})
	}
	return dominant(out)
}

func dot(a []float64, x []int) float64 {
	var s float64
	for i, v := range a {
		s += v * float64(x[i])
	}
	return s
}

// dominant drops the rows another implies: of rows with the same
// coefficients, all but the one with the greatest need; then each row
// whose coefficients are all at least another's and whose need is no more
// (head counts are never negative).
func dominant(rows []coverRow) []coverRow {
	var unique []coverRow
	index := make(map[string]int)
	for _, row := range rows {
		b := make([]byte, 0, 8*len(row.a))
		for _, a := range row.a {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(a))
		}
		if k, ok := index[string(b)]; ok {
			unique[k].need = max(unique[k].need, row.need)
			continue
		}
		index[string(b)] = len(unique)
		unique = append(unique, row)
	}
	var out []coverRow
	for r, row := range unique {
		implied := false
		for s, other := range unique {
			if s == r || other.need < row.need {
				continue
			}
			implied = true
			for i, a := range row.a {
				if a < other.a[i] {
					implied = false
					break
				}
			}
			if implied {
				break
			}
		}
		if !implied {
			out = append(out, row)
		}
	}
	return out
}

// greedy covers the rows by adding, from the minimums, the agent that
// covers most of what is missing per unit of cost, until every row is
// covered or no post can help; then it drops agents, dearest first, whose
// rows stay covered without them.
func (c *covering) greedy(rows []coverRow) []int {
	x := slices.Clone(c.min)
	missing := make([]float64, len(rows))
	for r, row := range rows {
		missing[r] = row.need - dot(row.a, x)
	}
	for {
		best, bestScore := -1, 0.0
		for i := range x {
			if c.max[i] > 0 && x[i] >= c.max[i] {
				continue
			}
			var gain float64
			for r, row := range rows {
				if missing[r] > coverTolerance {
					gain += min(missing[r], row.a[i])
				}
			}
			if score := gain / c.cost[i]; gain > coverTolerance && score > bestScore {
				best, bestScore = i, score
			}
		}
		if best < 0 {
			break
		}
		x[best]++
		for r, row := range rows {
			missing[r] -= row.a[best]
		}
	}
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case c.cost[a] > c.cost[b]:
			return -1
		case c.cost[a] < c.cost[b]:
			return 1
		}
		return 0
	})
	for dropped := true; dropped; {
		dropped = false
		for _, i := range order {
			if x[i] <= c.min[i] {
				continue
			}
			spare := true
			for r, row := range rows {
				if row.a[i] > 0 && missing[r]+row.a[i] > coverTolerance {
					spare = false
					break
				}
			}
			if spare {
				x[i]--
				for r, row := range rows {
					missing[r] += row.a[i]
				}
				dropped = true
			}
		}
	}
	return x
}

// errNoRelaxation is returned when the simplex fails on a relaxation.
var errNoRelaxation = errors.New("sizing: the covering's linear relaxation could not be solved")

// relax solves the linear relaxation of the covering with lo ≤ x ≤ hi (hi
// < 0: no bound), and returns its cost and solution. In standard form, with
// z = x − lo: each row Σ a·z − s = need − Σ a·lo with a surplus s ≥ 0, each
// bounded head count z + u = hi − lo with a slack u ≥ 0. Rows lo covers
// already are left out, and so are head counts in no remaining row, which
// stay at lo.
func (c *covering) relax(rows []coverRow, lo, hi []int) (float64, []float64, error) {
	n := len(lo)
	var live []coverRow
	for _, row := range rows {
		if rest := row.need - dot(row.a, lo); rest > coverTolerance {
			live = append(live, coverRow{a: row.a, need: rest})
		}
	}
	x := make([]float64, n)
	for i, v := range lo {
		x[i] = float64(v)
		if hi[i] >= 0 && hi[i] < v {
			return 0, nil, errNoRelaxation
		}
	}
	if len(live) == 0 {
		return c.value(lo), x, nil
	}
	// The columns: head counts that are free to move and cover some row.
	var cols []int
	for i := range n {
		if hi[i] >= 0 && hi[i] == lo[i] {
			continue
		}
		for _, row := range live {
			if row.a[i] > 0 {
				cols = append(cols, i)
				break
			}
		}
	}
	var bounded []int
	for _, i := range cols {
		if hi[i] >= 0 {
			bounded = append(bounded, i)
		}
	}
	m := len(live) + len(bounded)
	width := len(cols) + len(live) + len(bounded)
	A := mat.NewDense(m, width, nil)
	b := make([]float64, m)
	cost := make([]float64, width)
	for j, i := range cols {
		cost[j] = c.cost[i]
	}
	for r, row := range live {
		for j, i := range cols {
			A.Set(r, j, row.a[i])
		}
		A.Set(r, len(cols)+r, -1)
		b[r] = row.need
	}
	for k, i := range bounded {
		r := len(live) + k
		A.Set(r, slices.Index(cols, i), 1)
		A.Set(r, len(cols)+len(live)+k, 1)
		b[r] = float64(hi[i] - lo[i])
	}
	_, z, err := lp.Simplex(cost, A, b, 1e-10, nil)
	if err != nil {
		return 0, nil, errNoRelaxation
	}
	for j, i := range cols {
		x[i] += max(z[j], 0)
	}
	var v float64
	for i := range x {
		v += c.cost[i] * x[i]
	}
	return v, x, nil
}
