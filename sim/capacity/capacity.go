package capacity

import (
	"fmt"
	"math"
	"slices"
)

// Problem is the work of a desk and who may do it, over one stretch of
// time.
type Problem struct {
	// Load is each class's work in Erlangs: agent-hours arriving per hour.
	Load []float64
	// Capacity is each pool's mean number of agents available.
	Capacity []float64
	// Serves lists, for each pool, the classes it may serve.
	Serves [][]int
}

// Result is what Solve found.
type Result struct {
	// Utilisation is u*, the smallest utilisation of the busiest pool with
	// which all the load can be carried: below 1 the pools can keep up,
	// at 1 or above some work cannot be done and queues grow without
	// bound. It is 0 without load and +Inf when a class is Unserved.
	Utilisation float64
	// Unserved are the classes with load that no pool with capacity may
	// serve.
	Unserved []int
	// Short are, when Utilisation >= 1, the classes whose load cannot all
	// be carried: the classes that, together, need more of the pools that
	// may serve them than those pools have (Unserved included). Pools are
	// those pools. Both are empty when Utilisation < 1.
	Short, Pools []int
	// Carried is the load the pools can carry at full time (a maximum
	// flow): the total load when Utilisation <= 1.
	Carried float64
}

// Validate reports the first reason p is not a problem Solve can answer.
func (p *Problem) Validate() error {
	if len(p.Serves) != len(p.Capacity) {
		return fmt.Errorf("capacity: %d pools with capacities, %d with classes", len(p.Capacity), len(p.Serves))
	}
	for i, l := range p.Load {
		if !(l >= 0 && l < math.Inf(1)) {
			return fmt.Errorf("capacity: load %d must be finite and >= 0, got %v", i, l)
		}
	}
	for j, c := range p.Capacity {
		if !(c >= 0 && c < math.Inf(1)) {
			return fmt.Errorf("capacity: capacity %d must be finite and >= 0, got %v", j, c)
		}
		for _, i := range p.Serves[j] {
			if i < 0 || i >= len(p.Load) {
				return fmt.Errorf("capacity: pool %d serves class %d of %d", j, i, len(p.Load))
			}
		}
	}
	return nil
}

// Solve finds the bottleneck utilisation of p and, when it reaches 1, the
// classes and pools that make it. It panics if p is not valid.
func Solve(p *Problem) Result {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	n := newNetwork(p)
	var res Result
	total := 0.0
	for i, l := range p.Load {
		if l == 0 {
			continue
		}
		if !n.servable(i) {
			res.Unserved = append(res.Unserved, i)
			continue
		}
		total += l
	}
	res.Carried = n.maxFlow(1)
	if len(res.Unserved) > 0 {
		res.Utilisation = math.Inf(1)
		res.Short, res.Pools = n.cut()
		res.Short = union(res.Short, res.Unserved)
		return res
	}
	if total == 0 {
		return res
	}
	// Dinkelbach: each cut's ratio exceeds the trial it was cut at, and
	// there are finitely many cuts.
	tol := 1e-12 * total
	u, densest := 0.0, []int(nil)
	for range len(p.Load) + 2 {
		if n.maxFlow(u) >= total-tol {
			break
		}
		classes, pools := n.cut()
		ratio := n.ratio(classes, pools)
		if !(ratio > u) {
			break // rounding: u is the ratio of this cut already
		}
		u, densest = ratio, classes
	}
	res.Utilisation = u
	if u >= 1 {
		if res.Carried < total-tol {
			n.maxFlow(1)
			res.Short, res.Pools = n.cut()
		} else {
			res.Short, res.Pools = densest, n.neighbours(densest)
		}
	}
	return res
}

// union returns the sorted union of two sets of classes.
func union(a, b []int) []int {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// network is the flow network source → classes → pools → sink, with
// residual capacities in an edge list.
type network struct {
	p *Problem
	// Nodes: 0 the source, 1..C the classes, C+1..C+P the pools, C+P+1
	// the sink.
	classes, pools int
	adj            [][]int // edges out of each node, by index
	to             []int
	cap, flow      []float64
	// base[e] is the capacity of edge e at u = 1; pool edges scale with u.
	base   []float64
	scaled []bool
}

func newNetwork(p *Problem) *network {
	c, np := len(p.Load), len(p.Capacity)
	n := &network{p: p, classes: c, pools: np, adj: make([][]int, c+np+2)}
	sink := c + np + 1
	for i, l := range p.Load {
		n.edge(0, 1+i, l, false)
	}
	inf := math.Inf(1)
	for j, serves := range p.Serves {
		for _, i := range serves {
			n.edge(1+i, 1+c+j, inf, false)
		}
		n.edge(1+c+j, sink, p.Capacity[j], true)
	}
	return n
}

// edge adds an edge and its reverse.
func (n *network) edge(from, to int, capacity float64, scaled bool) {
	n.adj[from] = append(n.adj[from], len(n.to))
	n.to = append(n.to, to)
	n.base = append(n.base, capacity)
	n.scaled = append(n.scaled, scaled)
	n.adj[to] = append(n.adj[to], len(n.to))
	n.to = append(n.to, from)
	n.base = append(n.base, 0)
	n.scaled = append(n.scaled, false)
	n.cap = append(n.cap, 0, 0)
	n.flow = append(n.flow, 0, 0)
}

// servable reports whether a pool with capacity may serve class i.
func (n *network) servable(i int) bool {
	for _, e := range n.adj[1+i] {
		if j := n.to[e] - 1 - n.classes; j >= 0 && j < n.pools && n.p.Capacity[j] > 0 {
			return true
		}
	}
	return false
}

// maxFlow computes a maximum flow with pool capacities scaled by u, by
// shortest augmenting paths (Edmonds–Karp); the network is small.
func (n *network) maxFlow(u float64) float64 {
	for e := range n.cap {
		n.cap[e] = n.base[e]
		if n.scaled[e] {
			n.cap[e] *= u
		}
		n.flow[e] = 0
	}
	sink := len(n.adj) - 1
	total := 0.0
	prev := make([]int, len(n.adj))
	for {
		for i := range prev {
			prev[i] = -1
		}
		queue := []int{0}
		prev[0] = -2
		for len(queue) > 0 && prev[sink] == -1 {
			v := queue[0]
			queue = queue[1:]
			for _, e := range n.adj[v] {
				if w := n.to[e]; prev[w] == -1 && n.residual(e) > 0 {
					prev[w] = e
					queue = append(queue, w)
				}
			}
		}
		if prev[sink] == -1 {
			return total
		}
		push := math.Inf(1)
		for v := sink; v != 0; v = n.to[prev[v]^1] {
			push = min(push, n.residual(prev[v]))
		}
		for v := sink; v != 0; v = n.to[prev[v]^1] {
			n.flow[prev[v]] += push
			n.flow[prev[v]^1] -= push
		}
		total += push
	}
}

// residual is the capacity left on edge e. Reverse edges (odd) can undo
// the flow on their forward edge.
func (n *network) residual(e int) float64 { return n.cap[e] - n.flow[e] }

// cut returns the classes and pools reachable from the source in the
// residual network of the last maximum flow: the source side of the
// minimum cut closest to the source.
func (n *network) cut() (classes, pools []int) {
	seen := make([]bool, len(n.adj))
	seen[0] = true
	queue := []int{0}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range n.adj[v] {
			if w := n.to[e]; !seen[w] && n.residual(e) > 0 {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	for v := 1; v <= n.classes; v++ {
		if seen[v] {
			classes = append(classes, v-1)
		}
	}
	for j := range n.pools {
		if seen[1+n.classes+j] {
			pools = append(pools, j)
		}
	}
	return classes, pools
}

// neighbours returns the pools that may serve any of the classes.
func (n *network) neighbours(classes []int) []int {
	var pools []int
	for j, serves := range n.p.Serves {
		for _, i := range serves {
			if slices.Contains(classes, i) {
				pools = append(pools, j)
				break
			}
		}
	}
	return pools
}

// ratio is the load of the classes over the capacity of the pools.
func (n *network) ratio(classes, pools []int) float64 {
	var load, capacity float64
	for _, i := range classes {
		load += n.p.Load[i]
	}
	for _, j := range pools {
		capacity += n.p.Capacity[j]
	}
	return load / capacity
}
