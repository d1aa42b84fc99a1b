package sim_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// waitsByArrival records each measured ticket's response time by its
// arrival time, replication by replication.
type waitsByArrival struct {
	rep   int
	cur   map[time.Duration]time.Duration
	byRep map[int]map[time.Duration]time.Duration
}

func (c *waitsByArrival) Begin(_ uint64, rep int) {
	c.rep, c.cur = rep, map[time.Duration]time.Duration{}
}
func (c *waitsByArrival) Ticket(t *sim.TicketRecord) {
	c.cur[t.Arrival] = t.Response
}
func (c *waitsByArrival) End() {
	if c.byRep == nil {
		c.byRep = map[int]map[time.Duration]time.Duration{}
	}
	c.byRep[c.rep] = c.cur
}
func (c *waitsByArrival) Merge(o sim.Collector) error {
	if c.byRep == nil {
		c.byRep = map[int]map[time.Duration]time.Duration{}
	}
	for k, v := range o.(*waitsByArrival).byRep {
		c.byRep[k] = v
	}
	return nil
}

// TestMoreAgentsNeverWaitLonger: in a first-come-first-served line of
// identical agents, one more agent never lengthens any ticket's wait when
// the tickets and their handling times are the same (common random
// numbers: a ticket's draws do not depend on the staffing). 200 random
// desks of 1 to 20 agents at loads 0.3 to 0.99, exponential, lognormal or
// deterministic handling, agents around the clock or on day and night
// shifts; each ticket's wait with c + 1 agents against its wait with c.
func TestMoreAgentsNeverWaitLonger(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	compared := 0
	for k := range 200 {
		c := 1 + rng.IntN(20)
		load := (0.3 + 0.69*rng.Float64()) * float64(c)
		mean := time.Duration(1+rng.IntN(120)) * time.Minute
		var handling sim.Distribution = sim.Exponential{Mu: mean}
		switch rng.IntN(3) {
		case 1:
			handling = sim.NewLogNormal(mean, 0.2+2*rng.Float64())
		case 2:
			handling = sim.Deterministic{Value: mean}
		}
		shifts := rng.IntN(2) == 0
		model := func(agents int) *sim.Model {
			m := &sim.Model{Agents: agents, Horizon: sim.Week, Drain: sim.Week,
				Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(load / mean.Hours()), Handling: handling, Response: time.Minute, Resolution: time.Hour}}}
			if shifts {
				m.Teams = []sim.Team{{Name: "day", OnSite: staffed(m, agents, daily(8*time.Hour, 20*time.Hour, everyDay...))},
					{Name: "night", OnSite: staffed(m, agents, daily(20*time.Hour, 32*time.Hour, everyDay...))}}
			}
			return m
		}
		var waits [2]map[int]map[time.Duration]time.Duration
		for i, agents := range []int{c, c + 1} {
			res, err := sim.Run(context.Background(), model(agents), sim.Options{Seed: uint64(k), Replications: 2, Workers: 1,
				Collector: func() sim.Collector { return &waitsByArrival{} }})
			if err != nil {
				t.Fatal(err)
			}
			waits[i] = res.Collected.(*waitsByArrival).byRep
		}
		for r := range 2 {
			fewer, more := waits[0][r], waits[1][r]
			if len(fewer) != len(more) {
				t.Fatalf("desk %d, replication %d: %d tickets with %d agents, %d with %d", k, r, len(fewer), c, len(more), c+1)
			}
			longer, example := 0, ""
			for at, w := range more {
				if w0, ok := fewer[at]; !ok || w > w0 {
					longer++
					example = fmt.Sprintf("the ticket arriving at %v waits %v with %d agents, %v with %d", at, w, c+1, w0, c)
				}
			}
			if longer > 0 {
				t.Errorf("desk %d (%d agents, load %.2f, %T, shifts %v), replication %d: %d tickets wait longer with one more agent; %s",
					k, c, load, handling, shifts, r, longer, example)
			}
			compared += len(more)
		}
	}
	t.Logf("%d tickets compared", compared)
}
