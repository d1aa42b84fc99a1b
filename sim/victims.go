package sim

import "time"

// victims indexes, when some class preempts and the pool is large, the
// one-slot agents at work and not leaving, by team and by the class of the
// ticket in hand, so that choosing whom to interrupt looks at the agent
// that started last in each (team, class) instead of passing over every
// agent: with thousands of agents on a desk short of staff, where every
// urgent ticket interrupts someone, that pass made a ticket's cost grow
// with the agents (12,000 agents: 10.7 times the instructions per ticket of
// 12; indexed, 1.27 times). Keeping the index costs more than the pass in a
// small pool (5.9% more instructions per ticket with 12 agents, 2.5% for
// the default scenario), hence victimIndexFrom.
//
// Each (team, class) keeps its agents in a list in the order their work
// started, the last on the tail; work starts now, so an agent joins at the
// tail, and leaves the list from anywhere in constant time. An agent
// whose work starts later (paged, or travelling to the site) may not be
// interrupted before it starts: it waits in the pending heap, earliest
// start on top, and joins its list, in its place, once that time has come.
type victims struct {
	on      bool // some class preempts: the index is kept
	classes int
	// first is the highest-priority class that a preempting class
	// outranks: tickets of the classes before it are never interrupted, and
	// their agents not indexed.
	first   int8
	tail    []int32      // by list (team*classes+class): the agent that started last, -1 if none
	agents  []victimNode // by agent
	pending startHeap
}

// victimNode is an agent's place in the index: its list (h, or ^h while
// pending; unlisted if none), its neighbours there (earlier and later, -1
// at the ends), and when its work starts.
type victimNode struct {
	start            time.Duration
	list, prev, next int32
}

const unlisted = int32(1) << 30

// victimIndexFrom is the number of agents from which the pool indexes its
// busy agents; a smaller pool passes over them (replication.victim). A
// variable so that tests compare the two.
var victimIndexFrom = 64

func newVictims(m *Model, teams, agents int) victims {
	v := victims{classes: len(m.Tiers)}
	for c := range m.Tiers {
		if m.Tiers[c].Preempts {
			v.on, v.first = true, int8(c+1)
			break
		}
	}
	if !v.on || agents < victimIndexFrom {
		v.on = false
		return v
	}
	v.tail = make([]int32, teams*v.classes)
	v.agents = make([]victimNode, agents)
	v.pending.pos = make([]int32, agents)
	v.reset()
	return v
}

func (v *victims) reset() {
	for h := range v.tail {
		v.tail[h] = -1
	}
	for a := range v.agents {
		v.agents[a].list = unlisted
	}
	v.pending.entries = v.pending.entries[:0]
}

// add indexes agent a of team k, at work on a ticket of the class started
// (or starting) at start.
func (v *victims) add(a, k int32, class int8, start, now time.Duration) {
	if class < v.first {
		return
	}
	h := k*int32(v.classes) + int32(class)
	v.agents[a].start = start
	if start > now {
		v.agents[a].list = ^h
		v.pending.push(victimEntry{start, a})
		return
	}
	v.insert(a, h)
}

// insert puts agent a in list h after the agents that started before it
// (or at the same time, earlier in the pool).
func (v *victims) insert(a, h int32) {
	ag := v.agents
	n := &ag[a]
	n.list = h
	b, after := v.tail[h], int32(-1)
	for b >= 0 && (ag[b].start > n.start || ag[b].start == n.start && b > a) {
		b, after = ag[b].prev, b
	}
	n.prev, n.next = b, after
	if b >= 0 {
		ag[b].next = a
	}
	if after >= 0 {
		ag[after].prev = a
	} else {
		v.tail[h] = a
	}
}

// remove takes agent a out of the index, if it is there.
func (v *victims) remove(a int32) {
	ag := v.agents
	n := &ag[a]
	switch h := n.list; {
	case h == unlisted:
		return
	case h < 0:
		v.pending.remove(v.pending.pos[a])
	default:
		if n.prev >= 0 {
			ag[n.prev].next = n.next
		}
		if n.next >= 0 {
			ag[n.next].prev = n.prev
		} else {
			v.tail[h] = n.prev
		}
	}
	n.list = unlisted
}

// find returns the agent to interrupt at now for a ticket of the given
// class and level, or -1: of the agents skilled for it and at work on a
// ticket it outranks, the one with the lowest-priority ticket, the most
// recently started among those, the last in the pool among equals.
func (v *victims) find(teams []team, class, level int8, now time.Duration) int32 {
	for p := &v.pending; len(p.entries) > 0 && p.entries[0].start <= now; {
		a := p.entries[0].a
		p.remove(0)
		v.insert(a, ^v.agents[a].list)
	}
	for c := v.classes - 1; c >= 0 && outranks(class, int8(c)); c-- {
		best := int32(-1)
		for k := range teams {
			if !teams[k].skilled(class, level) {
				continue
			}
			a := v.tail[k*v.classes+c]
			if a >= 0 && (best < 0 || v.agents[a].start > v.agents[best].start || v.agents[a].start == v.agents[best].start && a > best) {
				best = a
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// victimEntry is an agent whose work starts later, and when.
type victimEntry struct {
	start time.Duration
	a     int32
}

// startHeap is a binary heap of agents by start, the earliest on top, that
// keeps each agent's position in pos so that any can be removed.
type startHeap struct {
	entries []victimEntry
	pos     []int32 // by agent
}

func (s *startHeap) push(e victimEntry) {
	s.entries = append(s.entries, e)
	s.up(len(s.entries) - 1)
}

// remove takes out the entry at position i.
func (s *startHeap) remove(i int32) {
	n := len(s.entries) - 1
	last := s.entries[n]
	s.entries = s.entries[:n]
	if int(i) == n {
		return
	}
	s.entries[i] = last
	s.pos[last.a] = i
	s.down(int(i))
	s.up(int(s.pos[last.a]))
}

func (s *startHeap) up(i int) {
	e := s.entries[i]
	for i > 0 {
		p := (i - 1) / 2
		if s.entries[p].start <= e.start {
			break
		}
		s.entries[i] = s.entries[p]
		s.pos[s.entries[i].a] = int32(i)
		i = p
	}
	s.entries[i] = e
	s.pos[e.a] = int32(i)
}

func (s *startHeap) down(i int) {
	e := s.entries[i]
	n := len(s.entries)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if d := c + 1; d < n && s.entries[d].start < s.entries[c].start {
			c = d
		}
		if s.entries[c].start >= e.start {
			break
		}
		s.entries[i] = s.entries[c]
		s.pos[s.entries[i].a] = int32(i)
		i = c
	}
	s.entries[i] = e
	s.pos[e.a] = int32(i)
}
