package promise

import (
	"errors"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// retarget feeds a contract collector every ticket with one tier's target
// on one clock replaced: the contract as it would be if that target were
// promised.
type retarget struct {
	c      *contract.Collector
	tier   int
	clock  int
	target time.Duration
	rec    sim.TicketRecord
}

func (r *retarget) Begin(seed uint64, rep int) { r.c.Begin(seed, rep) }
func (r *retarget) End()                       { r.c.End() }

func (r *retarget) Ticket(t *sim.TicketRecord) {
	if t.Tier != r.tier {
		r.c.Ticket(t)
		return
	}
	r.rec = *t
	if r.clock == 0 {
		r.rec.ResponseTarget = r.target
	} else {
		r.rec.ResolutionTarget = r.target
	}
	r.c.Ticket(&r.rec)
}

func (r *retarget) Merge(o sim.Collector) error {
	or, ok := o.(*retarget)
	if !ok || or.tier != r.tier || or.clock != r.clock || or.target != r.target {
		return errors.New("promise: merging credits of different targets")
	}
	return r.c.Merge(or.c)
}
