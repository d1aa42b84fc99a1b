package sim_test

// Validation of the front door (issue 13) against exact results: callers
// who hang up (Erlang A, M/M/c+M), lines that turn tickets away (Erlang B
// and M/M/c/K), chats several at once per agent (M/M/(cN)). The formulas
// are those of package queueing, each checked there against published
// figures; estimates are judged as in validation_test.go, to within zMax
// of their own standard error over independent replications, with fixed
// seeds.

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// ticketShares collects, per replication, the share of its measured
// tickets for which each of a list of predicates holds, and the mean of
// each of a list of values, for figures the Summary does not keep (the
// mean wait of all callers, the answered and the abandoned together, say).
type ticketShares struct {
	is     []func(*sim.TicketRecord) bool
	values []func(*sim.TicketRecord) float64
	rep    int
	n      int64
	sums   []float64
	done   map[int][]float64
}

func newTicketShares(is []func(*sim.TicketRecord) bool, values ...func(*sim.TicketRecord) float64) func() sim.Collector {
	return func() sim.Collector {
		return &ticketShares{is: is, values: values, sums: make([]float64, len(is)+len(values)), done: map[int][]float64{}}
	}
}

func (c *ticketShares) Begin(_ uint64, rep int) { c.rep, c.n = rep, 0; clear(c.sums) }
func (c *ticketShares) Ticket(t *sim.TicketRecord) {
	c.n++
	for k, f := range c.is {
		if f(t) {
			c.sums[k]++
		}
	}
	for k, f := range c.values {
		c.sums[len(c.is)+k] += f(t)
	}
}
func (c *ticketShares) End() {
	v := make([]float64, len(c.sums))
	for k, s := range c.sums {
		v[k] = s / float64(c.n)
	}
	c.done[c.rep] = v
}
func (c *ticketShares) Merge(o sim.Collector) error {
	for k, v := range o.(*ticketShares).done {
		c.done[k] = v
	}
	return nil
}

// tallies are the collected figures as tallies over the replications.
func (c *ticketShares) tallies() []sim.Tally {
	out := make([]sim.Tally, len(c.sums))
	for rep := range len(c.done) {
		for k, v := range c.done[rep] {
			out[k].Add(v)
		}
	}
	return out
}

// runCollecting runs m with the collector and fails the test unless the
// run completes.
func runCollecting(t *testing.T, m *sim.Model, reps int, collect func() sim.Collector) (*sim.Summary, sim.Collector) {
	t.Helper()
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 13, Replications: reps, Collector: collect})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unstable != nil || res.Partial {
		t.Fatalf("unexpected result: unstable %v, partial %v", res.Unstable, res.Partial)
	}
	return res.Summary, res.Collected
}

// poissonAtLeast is P(N >= k) for N Poisson with mean a, summed directly
// (small k and a only).
func poissonAtLeast(k int, a float64) float64 {
	below, term := 0.0, math.Exp(-a)
	for j := range k {
		below += term
		term *= a / float64(j+1)
	}
	return 1 - below
}

// TestValidateErlangA: M/M/10+M, exponential handling of mean 1 h and
// exponential patience, against Palm's Erlang A formulas (queueing.MMcM):
// the share of callers who wait, who hang up, who are answered within the
// 15-minute target (of all callers, and of those answered), the mean wait
// of all callers and of those answered, the time-average numbers waiting
// and in system, and the agents' occupancy; at loads 0.5, 0.8, 0.95 and in
// overload at 1.2, which runs (abandonment keeps it stable) rather than
// being refused. With patience as long as the handling (θ = μ) every
// caller leaves at rate μ whether waiting or served, so that the number in
// system is Poisson with mean λ/μ, as in M/M/∞: the formulas and the
// engine are both checked against that too.
//
// Abandonment makes the queue relax within a few hours: a warm-up of 50 h
// is ample. Each case simulates about 20 × 8,000 to 20 × 24,000 tickets.
func TestValidateErlangA(t *testing.T) {
	t.Parallel()
	const servers = 10
	target := 15 * time.Minute
	for _, tc := range []struct {
		lambda, patience float64 // per hour, hours
	}{
		{5, 0.5},
		{8, 2},
		{9.5, 1},
		{12, 0.5},
		{12, 1},
	} {
		t.Run(fmt.Sprintf("load=%.2f,patience=%vh", tc.lambda/servers, tc.patience), func(t *testing.T) {
			t.Parallel()
			q := queueing.MMcM{Servers: servers, ArrivalRate: tc.lambda, ServiceRate: 1, AbandonRate: 1 / tc.patience}
			tier := exponentialTier("calls", tc.lambda, time.Hour)
			tier.Response, tier.Resolution = target, 100*time.Hour
			tier.Patience = sim.Exponential{Mu: hours(tc.patience)}
			horizon := 2_000.0
			m := &sim.Model{Tiers: []sim.Tier{tier}, Agents: servers, WarmUp: 50 * time.Hour, Horizon: hours(horizon)}
			if u := m.Overload(); u != nil {
				t.Fatalf("refused before running: %v", u)
			}
			s, c := runCollecting(t, m, 20, newTicketShares(
				[]func(*sim.TicketRecord) bool{
					func(r *sim.TicketRecord) bool { return r.Unanswered || r.Response > 0 },
					func(r *sim.TicketRecord) bool { return r.Unanswered },
				},
				func(r *sim.TicketRecord) float64 { return r.Response.Hours() }, // the wait, answered or not
			))
			ts := &s.Tiers[0]
			got := c.(*ticketShares).tallies()
			compare(t, "P(wait > 0)", &got[0], q.ProbWait())
			compare(t, "P(abandon), engine share", &ts.Abandoned.Share, q.ProbAbandon())
			compare(t, "P(abandon), tickets unanswered", &got[1], q.ProbAbandon())
			compare(t, "P(answered within 15 min), attainment", &ts.Response.Attainment, q.AnsweredWithin(target.Hours()))
			compare(t, "P(W <= 15 min | answered)", ts.Response.AnsweredAttainment, q.AnsweredWithin(target.Hours())/q.ProbServed())
			compare(t, "mean wait of all callers (h)", &got[2], q.MeanWait())
			compare(t, "mean wait of answered callers (h)", &ts.Response.MeanHours, q.MeanServedWait())
			compare(t, "time-average number waiting", &s.Waiting, q.MeanQueueLength())
			compare(t, "time-average number in system", &s.InSystem, q.MeanQueueLength()+q.Occupancy()*servers)
			compare(t, "occupancy", &s.Utilisation, q.Occupancy())
			if tc.patience == 1 {
				a := tc.lambda
				if p := poissonAtLeast(servers, a); math.Abs(q.ProbWait()-p) > 1e-9 {
					t.Errorf("θ = μ: Erlang A's P(wait) %v, the Poisson tail P(N >= %d) %v", q.ProbWait(), servers, p)
				}
				compare(t, "θ = μ: number in system, Poisson mean", &s.InSystem, a)
			}
			// Every ticket is answered, hangs up, or is still open at the
			// horizon.
			f := ts.Flow
			if f.Arrived != f.ByPeople+f.Abandoned+f.OpenAtHorizon || f.Blocked != 0 {
				t.Errorf("flow does not add up: %+v", f)
			}
			if ts.Response.Tickets != ts.Resolution.Tickets+ts.Abandoned.Tickets || ts.Response.Unanswered != ts.Abandoned.Tickets {
				t.Errorf("response counts %d tickets (%d unanswered), resolution %d, abandoned %d",
					ts.Response.Tickets, ts.Response.Unanswered, ts.Resolution.Tickets, ts.Abandoned.Tickets)
			}
		})
	}
}

// TestValidateLoss: lines that turn tickets away. With no room to wait
// (queue capacity 0) ten agents are Erlang B's loss system M/M/10/10; with
// room for five, five agents are M/M/5/10. Blocking against
// queueing.ErlangB and queueing.MMcK, and for M/M/c/K the admitted
// tickets' chance of waiting, their mean wait, their chance of an answer
// within 15 minutes, and that of every ticket (blocked ones miss), at
// light, full and over-full load (which runs: the line's limit keeps it
// stable).
func TestValidateLoss(t *testing.T) {
	t.Parallel()
	target := 15 * time.Minute
	for _, tc := range []struct {
		servers, room int
		lambda        float64
	}{
		{10, 0, 5},
		{10, 0, 8},
		{10, 0, 12},
		{5, 5, 3},
		{5, 5, 5},
		{5, 5, 7.5},
	} {
		t.Run(fmt.Sprintf("M/M/%d/%d,load=%.2f", tc.servers, tc.servers+tc.room, tc.lambda/float64(tc.servers)), func(t *testing.T) {
			t.Parallel()
			q := queueing.MMcK{Servers: tc.servers, Capacity: tc.servers + tc.room, ArrivalRate: tc.lambda, ServiceRate: 1}
			tier := exponentialTier("calls", tc.lambda, time.Hour)
			tier.Response, tier.Resolution = target, 100*time.Hour
			tier.Blocking, tier.QueueCapacity = true, tc.room
			m := &sim.Model{Tiers: []sim.Tier{tier}, Agents: tc.servers, WarmUp: 50 * time.Hour, Horizon: 2_000 * time.Hour}
			s, c := runCollecting(t, m, 20, newTicketShares([]func(*sim.TicketRecord) bool{
				func(r *sim.TicketRecord) bool { return r.Blocked },
				func(r *sim.TicketRecord) bool { return !r.Blocked && r.Response > 0 },
			}))
			ts := &s.Tiers[0]
			got := c.(*ticketShares).tallies()
			if tc.room == 0 {
				if b := queueing.ErlangB(tc.servers, tc.lambda); math.Abs(b-q.Blocking()) > 1e-12 {
					t.Fatalf("Erlang B %v, M/M/c/c %v", b, q.Blocking())
				}
			}
			compare(t, "P(blocked), engine share", &ts.Blocked.Share, q.Blocking())
			compare(t, "P(blocked), tickets blocked", &got[0], q.Blocking())
			compare(t, "occupancy", &s.Utilisation, q.Utilisation())
			compare(t, "time-average number waiting", &s.Waiting, q.MeanQueueLength())
			if tc.room == 0 {
				if got[1].Mean() != 0 || ts.Response.MeanHours.Mean() != 0 {
					t.Errorf("a loss system made %v of its tickets wait", got[1].Mean())
				}
				return
			}
			admitted := 1 - q.Blocking()
			compare(t, "P(admitted and waits)", &got[1], admitted*q.ProbWait())
			compare(t, "mean wait of admitted tickets (h)", &ts.Response.MeanHours, q.MeanWait())
			compare(t, "P(W <= 15 min | admitted)", ts.Response.AnsweredAttainment, q.WaitAtMost(target.Hours()))
			compare(t, "P(admitted, W <= 15 min), attainment", &ts.Response.Attainment, admitted*q.WaitAtMost(target.Hours()))
			f := ts.Flow
			if f.Arrived != f.ByPeople+f.Blocked+f.OpenAtHorizon || f.Abandoned != 0 {
				t.Errorf("flow does not add up: %+v", f)
			}
		})
	}
}

// TestValidateChat: c agents holding up to N chats each, every chat served
// at its own exponential handling time as if alone, are the M/M/(cN) queue
// (queueing.MMc with cN servers): the share of chats that wait, the mean
// wait, the share answered within the target, the time-average number
// waiting, and the utilisation of the slots. An agent is engaged while it
// holds a chat; with one agent (c = 1) that is whenever the system is not
// empty, 1 - π₀ of M/M/N, and for any c it lies between the slots'
// utilisation and N times it.
func TestValidateChat(t *testing.T) {
	t.Parallel()
	target := 5 * time.Minute
	for _, tc := range []struct {
		agents, slots int
		lambda        float64 // per hour, handling 1 h
	}{
		{1, 3, 2.1},
		{4, 3, 9},
		{4, 3, 11},
		{10, 2, 17},
	} {
		t.Run(fmt.Sprintf("%d agents x %d chats, load=%.2f", tc.agents, tc.slots, tc.lambda/float64(tc.agents*tc.slots)), func(t *testing.T) {
			t.Parallel()
			q := queueing.MMc{Servers: tc.agents * tc.slots, ArrivalRate: tc.lambda, ServiceRate: 1}
			tier := exponentialTier("chat", tc.lambda, time.Hour)
			tier.Response, tier.Resolution = target, 100*time.Hour
			tier.Concurrent = true
			team := sim.Team{Name: "chat", OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{tc.agents}}, Concurrency: tc.slots}
			m := &sim.Model{Tiers: []sim.Tier{tier}, Teams: []sim.Team{team}, WarmUp: 100 * time.Hour, Horizon: 2_000 * time.Hour}
			s, c := runCollecting(t, m, 20, newTicketShares([]func(*sim.TicketRecord) bool{
				func(r *sim.TicketRecord) bool { return r.Response > 0 },
			}))
			got := c.(*ticketShares).tallies()
			ts := &s.Tiers[0]
			compare(t, "P(wait > 0)", &got[0], q.ProbWait())
			compare(t, "mean wait (h)", &ts.Response.MeanHours, q.MeanWait())
			compare(t, "P(W <= 5 min), attainment", &ts.Response.Attainment, q.WaitAtMost(target.Hours()))
			compare(t, "time-average number waiting", &s.Waiting, q.MeanQueueLength())
			compare(t, "utilisation of the slots", &s.Teams[0].Utilisation, q.Utilisation())
			compare(t, "utilisation, all teams", &s.Utilisation, q.Utilisation())
			au := s.Teams[0].AgentUtilisation
			if au == nil {
				t.Fatal("no agent utilisation for a team of several slots")
			}
			if tc.agents == 1 {
				compare(t, "agent engaged: 1 - P(empty)", au, 1-q.ProbEmpty())
			} else if u := q.Utilisation(); au.Mean() < u || au.Mean() > min(1, float64(tc.slots)*u) {
				t.Errorf("agents engaged %v of the time, outside [%v, %v]", au.Mean(), u, min(1, float64(tc.slots)*u))
			}
			if f := ts.Flow; f.Arrived != f.ByPeople+f.OpenAtHorizon {
				t.Errorf("flow does not add up: %+v", f)
			}
		})
	}
}
