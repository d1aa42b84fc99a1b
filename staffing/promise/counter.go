package promise

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// A slot is one tier's clock the question asks about (a level above 0):
// a row of the answer.
type slot struct {
	tier  int
	clock contract.Clock // Response, Resolution or Named(named)
	// named is the clock's index among the model's named clocks
	// (sim.Model.ClockNames, as a TicketRecord's Clocks), -1 for
	// response and resolution.
	named int
	level float64
	// name and target are the clock's, as the tier has them (a named
	// clock's target in the tier's hours).
	name   string
	target time.Duration
	// updates is set on the tier's updates clock, which times updates,
	// not tickets (Counter.Update).
	updates bool
}

// A layout places tickets in periods and rungs; the counters of a run
// share it.
type layout struct {
	ladder []time.Duration
	// slots are the rows asked about, tier by tier: response, resolution,
	// then the tier's named clocks in its order; byTier lists each tier's.
	slots  []slot
	byTier [][]int
	// updates is each tier's updates slot, -1 when not asked about.
	updates []int
	// dayStarts are the simulation times the days of the measured window
	// begin at; dayPeriod[d] is the period day d belongs to, or -1.
	dayStarts []time.Duration
	dayPeriod []int32
	periods   int
}

// Counter is the sim.Collector of a promise: for each tier's clock asked
// about and each rung, how many periods met the level, and each period's
// attainment.
type Counter struct {
	l *layout
	// rep holds the replication's tickets by slot, period and rung (index
	// len(ladder) for a time beyond every rung).
	rep   []int64
	began bool
	res   Counts
}

// Counts are the merged statistics of a Counter, indexed by row (a tier's
// clock asked about, in the answer's order) and rung:
// row*len(ladder)+rung.
type Counts struct {
	Replications int64
	// Met counts the periods (over replications) that met the clock's
	// level within the rung's target, out of Periods[row] periods with
	// tickets the clock timed.
	Met     []int64
	Periods []int64
	// Attainment holds each period's share of tickets within the rung's
	// target, one value per period of each replication.
	Attainment []sim.Tally
	// Tickets and Within count the tickets the clock timed, pooled over
	// periods and replications, by row, and those within each rung.
	Tickets []int64
	Within  []int64
}

// newLayout lays out the rows of the levels over m's periods of kind: a
// row per tier and clock with a level, named clocks (levels' Clocks,
// indexed like m.ClockNames) only on the tiers that have them, and the
// updates clock (updates, by tier) on those with updates.
func newLayout(m *sim.Model, kind string, ladder []time.Duration, levels []contract.Levels, updates []float64) (*layout, error) {
	l := &layout{ladder: ladder, dayStarts: m.Dates.Starts, byTier: make([][]int, len(m.Tiers)), updates: make([]int, len(m.Tiers))}
	if len(levels) != len(m.Tiers) {
		return nil, fmt.Errorf("promise: %d levels for %d tiers", len(levels), len(m.Tiers))
	}
	names := m.ClockNames()
	for t, tier := range m.Tiers {
		ask := func(s slot) {
			if s.level > 0 {
				s.tier = t
				l.byTier[t] = append(l.byTier[t], len(l.slots))
				l.slots = append(l.slots, s)
			}
		}
		ask(slot{clock: contract.Response, named: -1, level: levels[t].Response, name: "response", target: tier.Response})
		ask(slot{clock: contract.Resolution, named: -1, level: levels[t].Resolution, name: "resolution", target: tier.Resolution})
		for _, c := range tier.Clocks {
			if i := slices.Index(names, c.Name); i < len(levels[t].Clocks) {
				ask(slot{clock: contract.Named(i), named: i, level: levels[t].Clocks[i], name: c.Name, target: c.Target})
			}
		}
		l.updates[t] = -1
		if t < len(updates) && updates[t] > 0 && tier.Updates.Every > 0 {
			l.updates[t] = len(l.slots)
			ask(slot{named: -1, level: updates[t], name: sim.UpdatesClock, target: tier.Updates.Target, updates: true})
		}
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
	n := len(l.slots)
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
	if t.Tier >= len(l.byTier) || len(l.byTier[t.Tier]) == 0 {
		return
	}
	p := l.period(t.Arrival)
	if p < 0 {
		return
	}
	k := len(l.ladder) + 1
	for _, s := range l.byTier[t.Tier] {
		if r, timed := l.rungOf(t, &l.slots[s]); timed {
			c.rep[(s*l.periods+p)*k+r]++
		}
	}
}

// rungOf returns the first rung ticket t is within on slot s's clock, len(ladder)
// when none, and whether the clock timed it at all: a named clock times
// only the tickets whose journey reached both its marks. A ticket that
// left unanswered, or nobody had answered as the simulation stopped,
// misses every rung of its response clock, whatever it waited; one that
// left, or was still open as the simulation stopped,
// every rung of its resolution clock; a named clock that was running as
// the ticket left or the simulation stopped, every rung: as the contract
// judges them.
func (l *layout) rungOf(t *sim.TicketRecord, s *slot) (rung int, timed bool) {
	none := len(l.ladder)
	if s.updates {
		return 0, false
	}
	switch s.clock {
	case contract.Response:
		if t.Unanswered || t.ResponseCensored {
			return none, true
		}
		return l.rung(t.Response), true
	case contract.Resolution:
		if t.Unresolved || t.Left() {
			return none, true
		}
		return l.rung(t.Resolution), true
	}
	i := s.named
	if i >= len(t.Clocks) || !t.Clocks[i].Timed {
		return 0, false
	}
	if ck := &t.Clocks[i]; !ck.Unanswered && !ck.Censored {
		return l.rung(ck.Time), true
	}
	return none, true
}

// Update counts one update in its ticket's period's rungs: one done
// within a rung's target is within it; one still not done as the drain
// ended misses every rung, as a clock the simulation stopped does.
func (c *Counter) Update(u *sim.UpdateRecord) {
	l := c.l
	if u.Tier >= len(l.updates) || l.updates[u.Tier] < 0 || u.Day >= len(l.dayPeriod) {
		return
	}
	p := int(l.dayPeriod[u.Day])
	if p < 0 {
		return
	}
	r := len(l.ladder)
	if !u.Censored {
		r = l.rung(u.Time)
	}
	c.rep[(l.updates[u.Tier]*l.periods+p)*(len(l.ladder)+1)+r]++
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
	for s, sl := range l.slots {
		for p := range l.periods {
			counts := c.rep[(s*l.periods+p)*(k+1):][:k+1]
			var n int64
			for _, v := range counts {
				n += v
			}
			if n == 0 {
				continue
			}
			r.Periods[s]++
			r.Tickets[s] += n
			var within int64
			for j := range k {
				within += counts[j]
				i := s*k + j
				r.Within[i] += within
				a := float64(within) / float64(n)
				r.Attainment[i].Add(a)
				if a >= sl.level {
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
