package promise

import (
	"errors"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// credits collects, for every tier, clock and rung asked about, the
// contract's results as they would be with that target promised, the
// others as written. A base contract collector sees every ticket as it
// is; each rung's collector sees only its tier's tickets, retargeted, and
// at the end of a replication takes every other tier's figures from the
// base (contract.Collector.EndAs): a ticket costs its own tier's rungs
// and the base, not every rung of every tier. Outages go to all, each
// crediting those of its own tier.
type credits struct {
	base  *contract.Collector
	rungs []*retarget
	// byTier lists, per tier, the indexes of its rungs.
	byTier [][]int
}

func newCredits(p *contract.Plan, tiers int) *credits {
	return &credits{base: p.NewCollector().(*contract.Collector), byTier: make([][]int, tiers)}
}

// add adds the rung of target on the slot's tier and clock.
func (c *credits) add(p *contract.Plan, s *slot, target time.Duration) {
	c.byTier[s.tier] = append(c.byTier[s.tier], len(c.rungs))
	c.rungs = append(c.rungs, &retarget{c: p.NewCollector().(*contract.Collector), tier: s.tier, clock: s.clock, named: s.named, target: target})
}

func (c *credits) Begin(seed uint64, rep int) {
	c.base.Begin(seed, rep)
	for _, r := range c.rungs {
		r.c.Begin(seed, rep)
	}
}

func (c *credits) Ticket(t *sim.TicketRecord) {
	c.base.Ticket(t)
	if t.Tier < len(c.byTier) {
		for _, i := range c.byTier[t.Tier] {
			c.rungs[i].ticket(t)
		}
	}
}

func (c *credits) Outage(o *sim.OutageRecord) {
	c.base.Outage(o)
	for _, r := range c.rungs {
		r.c.Outage(o)
	}
}

func (c *credits) End() {
	for _, r := range c.rungs {
		r.c.EndAs(c.base, r.tier)
	}
}

func (c *credits) Merge(o sim.Collector) error {
	oc, ok := o.(*credits)
	if !ok || len(oc.rungs) != len(c.rungs) {
		return errors.New("promise: merging credits of different questions")
	}
	for i, r := range c.rungs {
		or := oc.rungs[i]
		if or.tier != r.tier || or.clock != r.clock || or.target != r.target {
			return errors.New("promise: merging credits of different targets")
		}
		if err := r.c.Merge(or.c); err != nil {
			return err
		}
	}
	return nil
}

// retarget is one rung's contract collector: it sees its tier's tickets
// with the target on its clock replaced (named: the index of a named
// clock among the record's Clocks, -1 for response and resolution).
type retarget struct {
	c      *contract.Collector
	tier   int
	clock  contract.Clock
	named  int
	target time.Duration
	rec    sim.TicketRecord
	// clocks holds the record's named clocks: the engine's slice is
	// shared by every collector, so a retargeted clock is a copy.
	clocks []sim.ClockTime
}

func (r *retarget) ticket(t *sim.TicketRecord) {
	r.rec = *t
	switch {
	case r.clock == contract.Response:
		r.rec.ResponseTarget = r.target
	case r.clock == contract.Resolution:
		r.rec.ResolutionTarget = r.target
	case r.named < len(t.Clocks):
		r.clocks = append(r.clocks[:0], t.Clocks...)
		r.clocks[r.named].Target = r.target
		r.rec.Clocks = r.clocks
	}
	r.c.Ticket(&r.rec)
}
