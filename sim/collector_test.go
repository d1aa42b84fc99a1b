package sim

import (
	"context"
	"errors"
	"testing"
	"time"
)

// countingCollector counts tickets and breaches per tier over ended
// replications.
type countingCollector struct {
	reps, tickets, breached int64
	cur                     struct{ tickets, breached int64 }
}

func (c *countingCollector) Begin(uint64, int) { c.cur.tickets, c.cur.breached = 0, 0 }
func (c *countingCollector) Ticket(t *TicketRecord) {
	c.cur.tickets++
	if t.Resolution > t.ResolutionTarget {
		c.cur.breached++
	}
}
func (c *countingCollector) End() {
	c.reps++
	c.tickets += c.cur.tickets
	c.breached += c.cur.breached
}
func (c *countingCollector) Merge(o Collector) error {
	oc, ok := o.(*countingCollector)
	if !ok {
		return errors.New("not a counting collector")
	}
	c.reps += oc.reps
	c.tickets += oc.tickets
	c.breached += oc.breached
	return nil
}

func TestCollectorSeesEveryMeasuredTicket(t *testing.T) {
	m := &Model{
		Tiers: []Tier{
			{Name: "urgent", Arrivals: ConstantRate(1), Handling: Exponential{time.Hour}, Response: 15 * time.Minute, Resolution: 2 * time.Hour, Preempts: true},
			{Name: "routine", Arrivals: ConstantRate(3), Handling: Exponential{time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour},
		},
		Agents: 5, WarmUp: 24 * time.Hour, Horizon: 2 * Week,
	}
	var first *countingCollector
	for _, workers := range []int{1, 2} {
		res, err := Run(context.Background(), m, Options{Seed: 3, Replications: 6, Workers: workers,
			Collector: func() Collector { return &countingCollector{} }})
		if err != nil {
			t.Fatal(err)
		}
		c := res.Collected.(*countingCollector)
		var tickets, breached int64
		for _, ts := range res.Summary.Tiers {
			tickets += ts.Resolution.Tickets
			breached += ts.Resolution.Tickets - ts.Resolution.Met
		}
		if c.reps != 6 || c.tickets != tickets || c.breached != breached {
			t.Errorf("workers %d: collector saw %d replications, %d tickets, %d breached; summary has 6, %d, %d",
				workers, c.reps, c.tickets, c.breached, tickets, breached)
		}
		if first == nil {
			first = c
		} else if c.reps != first.reps || c.tickets != first.tickets || c.breached != first.breached {
			t.Errorf("collected %+v with 2 workers, %+v with 1", *c, *first)
		}
	}
}
