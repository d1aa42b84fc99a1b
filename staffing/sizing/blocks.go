package sizing

import (
	"fmt"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// Interval staffing is sized block by block, and each block is held to
// the response levels for the tickets arriving in it, as a call centre
// holds each interval to its service level: judged only over the whole
// window, a search free to move blocks one by one would empty the blocks
// whose misses the others make up for (a night with nobody, answered in
// the morning), which no planner would staff.

// blockSpan is a block of one interval staffing: intervals [first,
// first+count) of the week.
type blockSpan struct{ first, count int }

// blocksOf cuts an interval staffing's week into the blocks the search
// moves: Block intervals at a time (by default four hours' worth), from
// Monday 00:00.
func blocksOf(iv *Intervals) []blockSpan {
	size := iv.Block
	if size == 0 {
		size = max(1, int(defaultBlock/iv.Length))
	}
	var out []blockSpan
	for first := 0; first < len(iv.Units); first += size {
		out = append(out, blockSpan{first, min(size, len(iv.Units)-first)})
	}
	return out
}

// blockAssessor adds, for every block of every interval staffing and every
// tier with a response level whose new tickets the block's team takes, a
// check of the mean attainment, over replications, of the tier's tickets
// arriving in the block; and passes on to the problem's own assessor, if
// any.
type blockAssessor struct {
	// index is, per interval staffing, the timeline of the block at work
	// (its number + 1; 0 for none, on holidays).
	index []sim.Steps
	// checks are the blocks' checks, by staffing, block and tier; first
	// is, per staffing and block, the index of its first check.
	checks []blockCheck
	first  [][]int
	next   Assessor
	// intervals are the staffings the blocks cut.
	intervals []Intervals
}

type blockCheck struct {
	name  string
	tier  int
	level float64
}

// withBlocks returns p's assessor with the checks of p's interval
// staffing's blocks added; nil if p sizes no interval staffing.
func (p *Problem) withBlocks() Assessor {
	if len(p.Intervals) == 0 {
		return p.Assessor
	}
	a := &blockAssessor{next: p.Assessor, intervals: p.Intervals}
	for _, iv := range p.Intervals {
		var units []sim.Steps
		var first []int
		for b, span := range blocksOf(&iv) {
			unit := staffing.Sum(iv.Units[span.first : span.first+span.count]...)
			units = append(units, scale(unit, b+1))
			first = append(first, len(a.checks))
			for k, l := range p.Requirement.Levels {
				if l.Response > 0 && p.Model.Teams[iv.Team].Takes(k, 0) {
					a.checks = append(a.checks, blockCheck{
						name:  fmt.Sprintf("%s response, %s %s", p.Model.Tiers[k].Name, iv.Name, blockName(span.first, span.count, iv.Length)),
						tier:  k,
						level: l.Response,
					})
				}
			}
		}
		a.index = append(a.index, staffing.Sum(units...))
		a.first = append(a.first, first)
	}
	return a
}

func (a *blockAssessor) Collector() sim.Collector {
	c := &blockCollector{a: a, n: make([]int64, len(a.checks)), met: make([]int64, len(a.checks)),
		stats: make([]sim.MetricStats, len(a.checks))}
	if a.next != nil {
		c.next = a.next.Collector()
	}
	return c
}

func (a *blockAssessor) Assess(res *sim.Result, confidence float64) ([]Check, float64, error) {
	c, ok := res.Collected.(*blockCollector)
	if !ok {
		return nil, 0, fmt.Errorf("sizing: the run collected %T, not the blocks' attainment", res.Collected)
	}
	var checks []Check
	var cost float64
	if a.next != nil {
		own := *res
		own.Collected = c.next
		var err error
		if checks, cost, err = a.next.Assess(&own, confidence); err != nil {
			return nil, 0, err
		}
	}
	for i, bc := range a.checks {
		ch := Check{Name: bc.name, Level: bc.level}
		ch.Mean = c.stats[i].Attainment.Mean()
		ch.Lo, ch.Hi = interval(&c.stats[i], confidence)
		checks = append(checks, ch)
	}
	return checks, cost, nil
}

// blockCollector counts, replication by replication, each block check's
// tickets and those answered in time.
type blockCollector struct {
	a      *blockAssessor
	n, met []int64
	// stats holds each check's attainment over replications and its
	// tickets pooled.
	stats []sim.MetricStats
	next  sim.Collector
}

func (c *blockCollector) Begin(seed uint64, rep int) {
	clear(c.n)
	clear(c.met)
	if c.next != nil {
		c.next.Begin(seed, rep)
	}
}

func (c *blockCollector) Ticket(t *sim.TicketRecord) {
	if c.next != nil {
		c.next.Ticket(t)
	}
	if t.Automated {
		return
	}
	for s, idx := range c.a.index {
		b := valueAt(&idx, t.Arrival) - 1
		if b < 0 {
			continue
		}
		for i := c.a.first[s][b]; i < c.a.nextFirst(s, b); i++ {
			if c.a.checks[i].tier == t.Tier {
				c.n[i]++
				if t.ResponseMet() {
					c.met[i]++
				}
			}
		}
	}
}

// of returns the checks of block b among all of an evaluation's checks,
// which end with the blocks'.
func (a *blockAssessor) of(checks []Check, b *Block) []Check {
	all := checks[len(checks)-len(a.checks):]
	k := slices.IndexFunc(blocksOf(&a.intervals[b.Intervals]), func(s blockSpan) bool { return s.first == b.First })
	return all[a.first[b.Intervals][k]:a.nextFirst(b.Intervals, k)]
}

// nextFirst is the index of the check after the last of block b of
// staffing s.
func (a *blockAssessor) nextFirst(s, b int) int {
	switch {
	case b+1 < len(a.first[s]):
		return a.first[s][b+1]
	case s+1 < len(a.first):
		return a.first[s+1][0]
	}
	return len(a.checks)
}

func (c *blockCollector) End() {
	for i, n := range c.n {
		if n == 0 {
			continue
		}
		st := &c.stats[i]
		st.Tickets += n
		st.Met += c.met[i]
		st.Attainment.Add(float64(c.met[i]) / float64(n))
	}
	if c.next != nil {
		c.next.End()
	}
}

func (c *blockCollector) Merge(o sim.Collector) error {
	other, ok := o.(*blockCollector)
	if !ok || len(other.stats) != len(c.stats) {
		return fmt.Errorf("sizing: cannot merge %T into the blocks' collector", o)
	}
	for i := range c.stats {
		c.stats[i].Tickets += other.stats[i].Tickets
		c.stats[i].Met += other.stats[i].Met
		c.stats[i].Attainment.Merge(&other.stats[i].Attainment)
	}
	if c.next != nil {
		return c.next.Merge(other.next)
	}
	return nil
}

// valueAt is the value of timeline s at time t.
func valueAt(s *sim.Steps, t time.Duration) int {
	i, found := slices.BinarySearch(s.At, t)
	if !found {
		i--
	}
	if i < 0 {
		return 0
	}
	return s.Value[i]
}
