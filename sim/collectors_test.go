package sim

import (
	"context"
	"errors"
	"testing"
	"time"
)

// tierCounter counts the tickets of one tier over ended replications.
type tierCounter struct {
	tier     int
	n, cur   int64
	replicas int
}

func (c *tierCounter) Begin(uint64, int) { c.cur = 0 }
func (c *tierCounter) Ticket(t *TicketRecord) {
	if t.Tier == c.tier {
		c.cur++
	}
}
func (c *tierCounter) End() { c.n += c.cur; c.replicas++ }
func (c *tierCounter) Merge(o Collector) error {
	oc, ok := o.(*tierCounter)
	if !ok {
		return errors.New("not a tier counter")
	}
	c.n += oc.n
	c.replicas += oc.replicas
	return nil
}

func TestCombineCollectors(t *testing.T) {
	if CombineCollectors(nil, nil) != nil {
		t.Error("combining no factories gives a factory")
	}
	m := &Model{
		Tiers: []Tier{
			{Name: "urgent", Arrivals: ConstantRate(1), Handling: Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour},
			{Name: "routine", Arrivals: ConstantRate(2), Handling: Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour},
		},
		Agents: 5, WarmUp: 24 * time.Hour, Horizon: Week,
	}
	res, err := Run(context.Background(), m, Options{Seed: 2, Replications: 5, Workers: 2, Collector: CombineCollectors(
		func() Collector { return &tierCounter{tier: 0} },
		nil,
		CombineCollectors(func() Collector { return &tierCounter{tier: 1} }),
	)})
	if err != nil {
		t.Fatal(err)
	}
	cs, ok := res.Collected.(Collectors)
	if !ok || len(cs) != 2 {
		t.Fatalf("collected %T, want two collectors", res.Collected)
	}
	for i, c := range cs {
		tc := c.(*tierCounter)
		if want := res.Summary.Tiers[i].Resolution.Tickets; tc.n != want || tc.replicas != 5 {
			t.Errorf("tier %d: counted %d tickets in %d replications, the summary %d in 5", i, tc.n, tc.replicas, want)
		}
	}
	if c, ok := FindCollector[*tierCounter](res.Collected); !ok || c.tier != 0 {
		t.Errorf("FindCollector found %v, %v; want the first tier counter", c, ok)
	}
	if _, ok := FindCollector[Collectors](&tierCounter{}); ok {
		t.Error("FindCollector found collectors in a single collector")
	}
	if err := cs.Merge(&tierCounter{}); err == nil {
		t.Error("merged a single collector into two")
	}
}
