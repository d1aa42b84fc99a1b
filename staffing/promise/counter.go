package promise

import (
	"errors"
	"fmt"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// clocks are the two clocks a tier is promised on: response, resolution.
const clocks = 2

// A layout places tickets in periods and rungs; the counters of a run
// share it.
type layout struct {
	ladder []time.Duration
	levels []contract.Levels
	// dayStarts are the simulation times the days of the measured window
	// begin at; dayPeriod[d] is the period day d belongs to, or -1.
	dayStarts []time.Duration
	dayPeriod []int32
	periods   int
	tiers     int
}

// Counter is the sim.Collector of a promise: for each tier, clock and
// rung, how many periods met the level, and each period's attainment.
type Counter struct {
	l *layout
	// rep holds the replication's tickets by tier, clock, period and rung
	// (index len(ladder) for a time beyond every rung).
	rep   []int64
	began bool
	res   Counts
}

// Counts are the merged statistics of a Counter, indexed by tier, clock
// and rung: (tier*2+clock)*len(ladder)+rung.
type Counts struct {
	Replications int64
	// Met counts the periods (over replications) that met the clock's
	// level within the rung's target, out of Periods[tier*2+clock]
	// periods with tickets of the tier.
	Met     []int64
	Periods []int64
	// Attainment holds each period's share of tickets within the rung's
	// target, one value per period of each replication.
	Attainment []sim.Tally
	// Tickets and Within count tickets pooled over periods and
	// replications, by tier and clock, and those within each rung.
	Tickets []int64
	Within  []int64
}

func newLayout(m *sim.Model, kind string, ladder []time.Duration, levels []contract.Levels) (*layout, error) {
	l := &layout{ladder: ladder, levels: levels, tiers: len(m.Tiers), dayStarts: m.Dates.Starts}
	if len(levels) != l.tiers {
		return nil, fmt.Errorf("promise: %d levels for %d tiers", len(levels), l.tiers)
	}
	l.dayPeriod = make([]int32, len(m.Dates.Starts))
	for i := range l.dayPeriod {
		l.dayPeriod[i] = -1
	}
	for _, p := range m.Dates.Periods {
		if p.Kind != kind {
			continue
		}
		for d := p.First; d < p.End; d++ {
			l.dayPeriod[d] = int32(l.periods)
		}
		l.periods++
	}
	if l.periods == 0 {
		return nil, fmt.Errorf("the measured window holds no whole %s", kind)
	}
	return l, nil
}

func (l *layout) newCounter() *Counter {
	k := len(l.ladder)
	n := l.tiers * clocks
	return &Counter{
		l:   l,
		rep: make([]int64, n*l.periods*(k+1)),
		res: Counts{Met: make([]int64, n*k), Periods: make([]int64, n), Attainment: make([]sim.Tally, n*k), Tickets: make([]int64, n), Within: make([]int64, n*k)},
	}
}

// period returns the period a ticket arriving at t belongs to, or -1.
func (l *layout) period(t time.Duration) int {
	s := l.dayStarts
	if len(s) == 0 || t < s[0] {
		return -1
	}
	lo, hi := 0, len(s) // the last day starting at or before t is in [lo, hi)
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if s[mid] <= t {
			lo = mid
		} else {
			hi = mid
		}
	}
	return int(l.dayPeriod[lo])
}

// rung returns the first rung whose target d is within, len(ladder) if
// none.
func (l *layout) rung(d time.Duration) int {
	for k, target := range l.ladder {
		if d <= target {
			return k
		}
	}
	return len(l.ladder)
}

// Begin starts a replication, dropping one begun and not ended.
func (c *Counter) Begin(uint64, int) {
	clear(c.rep)
	c.began = true
}

// Ticket counts one ticket's clocks in its period's rungs.
func (c *Counter) Ticket(t *sim.TicketRecord) {
	l := c.l
	p := l.period(t.Arrival)
	if p < 0 {
		return
	}
	k := len(l.ladder) + 1
	base := (t.Tier * clocks * l.periods) * k
	// A ticket that left unanswered misses every rung of its response
	// clock, whatever it waited; one that left, or was still open as the
	// simulation stopped, every rung of its resolution clock: as the
	// contract and the run judge them.
	response, resolution := len(l.ladder), len(l.ladder)
	if !t.Unanswered {
		response = l.rung(t.Response)
	}
	if !t.Unresolved && !t.Left() {
		resolution = l.rung(t.Resolution)
	}
	c.rep[base+p*k+response]++
	c.rep[base+(l.periods+p)*k+resolution]++
}

// End judges each period of the replication at every rung.
func (c *Counter) End() {
	if !c.began {
		return
	}
	c.began = false
	l, r := c.l, &c.res
	k := len(l.ladder)
	r.Replications++
	for tc := range l.tiers * clocks {
		level := l.levels[tc/clocks].Response
		if tc%clocks == 1 {
			level = l.levels[tc/clocks].Resolution
		}
		for p := range l.periods {
			counts := c.rep[(tc*l.periods+p)*(k+1):][:k+1]
			var n int64
			for _, v := range counts {
				n += v
			}
			if n == 0 {
				continue
			}
			r.Periods[tc]++
			r.Tickets[tc] += n
			var within int64
			for j := range k {
				within += counts[j]
				i := tc*k + j
				r.Within[i] += within
				a := float64(within) / float64(n)
				r.Attainment[i].Add(a)
				if a >= level {
					r.Met[i]++
				}
			}
		}
	}
}

// Merge adds the ended replications of o, a counter of the same promise.
func (c *Counter) Merge(o sim.Collector) error {
	oc, ok := o.(*Counter)
	if !ok || oc.l != c.l {
		return errors.New("promise: merging counters of different promises")
	}
	r, or := &c.res, &oc.res
	r.Replications += or.Replications
	for i := range r.Met {
		r.Met[i] += or.Met[i]
		r.Within[i] += or.Within[i]
		r.Attainment[i].Merge(&or.Attainment[i])
	}
	for i := range r.Periods {
		r.Periods[i] += or.Periods[i]
		r.Tickets[i] += or.Tickets[i]
	}
	return nil
}

// Counts returns the counter's merged statistics.
func (c *Counter) Counts() *Counts { return &c.res }
