package sizing

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/sim/queueing"
	"github.com/slasim/slasim/staffing"
)

// mmcModel is a stationary single-tier M/M/c queue: Poisson arrivals at
// rate per hour, exponential handling with the given mean, a response
// target, and a resolution target too long to bind.
func mmcModel(rate float64, mean, response, horizon time.Duration) *sim.Model {
	return &sim.Model{
		Agents:  1,
		Horizon: horizon,
		WarmUp:  sim.Week,
		Tiers: []sim.Tier{{
			Name:       "all",
			Arrivals:   sim.ConstantRate(rate),
			Handling:   sim.Exponential{Mu: mean},
			Response:   response,
			Resolution: 1000 * time.Hour,
		}},
	}
}

// TestSizeErlangC checks that sizing a stationary M/M/c queue finds exactly
// the Erlang C minimum head count for a response level, whether the search
// starts from the analytic estimate, far above it, or from an unstable
// staffing below it. With 9 tickets an hour of 1 h work and a 15-minute
// response target, Erlang C answers 87.43% of tickets in time with 12
// agents and 94.21% with 13; a level of 91% lies 3.6 and 3.2 points from
// these, many times the simulation's half-width, so 13 is the answer.
func TestSizeErlangC(t *testing.T) {
	const (
		rate   = 9.0
		target = 0.25 // hours
		level  = 0.91
	)
	want, err := queueing.ServersFor(rate, 1, target, level)
	if err != nil {
		t.Fatal(err)
	}
	if want != 13 {
		t.Fatalf("Erlang C gives %d agents, the test is written for 13", want)
	}
	for _, c := range []int{want - 1, want} {
		p := queueing.MMc{Servers: c, ArrivalRate: rate, ServiceRate: 1}.WaitAtMost(target)
		if math.Abs(p-level) < 0.03 {
			t.Fatalf("P(W <= t) with %d agents is %.4f, too close to the level %.2f to tell by simulation", c, p, level)
		}
	}
	m := mmcModel(rate, time.Hour, 15*time.Minute, 13*sim.Week)
	req := Requirement{Levels: []contract.Levels{{Response: level}}, Confidence: 0.95}
	for _, start := range [][]int{nil, {want + 4}, {int(rate)}} {
		p := Pool(m, 30, 0, 0, req)
		res, err := Size(context.Background(), p, Options{Seed: 1, Start: start})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Feasible {
			t.Fatalf("start %v: no staffing found feasible", start)
		}
		if got := res.Best.Agents[0]; got != want {
			t.Errorf("start %v: sized %d agents, Erlang C says %d (search %v, checks %+v)", start, got, want, res.Search.Agents, res.Best.Checks)
		}
		if start == nil && res.Analytic[0] != want {
			t.Errorf("analytic start %d, want Erlang C's %d", res.Analytic[0], want)
		}
		if got, want := res.Best.StaffCost, float64(want)*30*168; math.Abs(got-want) > 1e-6 {
			t.Errorf("staff cost %v a week, want %v", got, want)
		}
		// The frontier holds one fewer, which fails, and one more.
		if len(res.Frontier) != 3 || res.Frontier[0].Feasible() || !res.Frontier[1].Feasible() || !res.Frontier[2].Feasible() {
			t.Errorf("frontier %+v, want c-1 failing, c and c+1 meeting the level", res.Frontier)
		}
	}
}

// TestSizeInfeasible checks that a requirement no staffing can meet is
// reported as such, with the best attainable: a resolution target of 30
// minutes for work that takes an hour on average (exponential) is met by
// at most 1 - e^-0.5 = 39% of tickets however many agents there are.
func TestSizeInfeasible(t *testing.T) {
	m := mmcModel(4, time.Hour, 15*time.Minute, 4*sim.Week)
	m.Tiers[0].Resolution = 30 * time.Minute
	req := Requirement{Levels: []contract.Levels{{Response: 0.9, Resolution: 0.9}}, Confidence: 0.95}
	for _, max := range []int{0, 8} {
		res, err := Size(context.Background(), Pool(m, 1, 0, max, req), Options{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Feasible || res.Best.Feasible() {
			t.Fatalf("max %d: found %v feasible", max, res.Best.Agents)
		}
		var resolution *Check
		for i := range res.Best.Checks {
			if strings.HasSuffix(res.Best.Checks[i].Name, "resolution") {
				resolution = &res.Best.Checks[i]
			}
		}
		if best := 1 - math.Exp(-0.5); resolution == nil || math.Abs(resolution.Mean-best) > 0.02 {
			t.Errorf("max %d: best attainable resolution %+v, want about %.3f", max, resolution, best)
		}
		if max > 0 && res.Best.Agents[0] > max {
			t.Errorf("best attainable %v exceeds the bound %d", res.Best.Agents, max)
		}
		if max == 0 && res.Candidates > 20 {
			t.Errorf("unbounded search simulated %d candidates before giving up", res.Candidates)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Errorf("result does not encode: %v", err)
		}
	}
}

// TestAnalyticCovering checks the covering of the hourly requirement by
// shifts: a day shift and a night shift over a profile busy by day.
func TestAnalyticCovering(t *testing.T) {
	rates := make([]float64, 24)
	for h := range rates {
		rates[h] = 2
		if h >= 8 && h < 20 {
			rates[h] = 8
		}
	}
	m := &sim.Model{
		Horizon: sim.Week,
		Tiers: []sim.Tier{{
			Name:       "all",
			Arrivals:   sim.ArrivalProfile{Interval: time.Hour, Rates: rates},
			Handling:   sim.Exponential{Mu: time.Hour},
			Response:   30 * time.Minute,
			Resolution: 8 * time.Hour,
		}},
		Teams: []sim.Team{{Name: "desk", Shrinkage: 0.2}},
	}
	day, night := staffing.Shift{Agents: 1}, staffing.Shift{Agents: 1}
	for d := range day.Days {
		day.Days[d] = []staffing.Span{{From: 8 * time.Hour, To: 20 * time.Hour}}
		night.Days[d] = []staffing.Span{{From: 20 * time.Hour, To: 8 * time.Hour}}
	}
	clock := staffing.Epoch{Origin: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	unit := func(s staffing.Shift) sim.Steps {
		on, _ := (&staffing.Schedule{Shifts: []staffing.Shift{s}}).Timelines(clock, sim.Week)
		return on
	}
	p := &Problem{
		Model: m,
		Posts: []Post{
			{Name: "day", Unit: unit(day), Cost: 1},
			{Name: "night", Unit: unit(night), Min: 3, Cost: 1},
		},
		Requirement: Requirement{Levels: []contract.Levels{{Response: 0.9}}, Confidence: 0.95},
	}
	required, x, err := p.Analytic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wantDay, _ := queueing.ServersFor(8, 1, 0.5, 0.9)
	wantNight, _ := queueing.ServersFor(2, 1, 0.5, 0.9)
	if required[10] != wantDay || required[2] != wantNight {
		t.Errorf("required %d at 10:00 and %d at 02:00, want %d and %d", required[10], required[2], wantDay, wantNight)
	}
	// Shrinkage 20%: n agents on a shift give 0.8n.
	if want := []int{int(math.Ceil(float64(wantDay) / 0.8)), max(3, int(math.Ceil(float64(wantNight)/0.8)))}; x[0] != want[0] || x[1] != want[1] {
		t.Errorf("covering %v, want %v", x, want)
	}
}

// breachCharge is an assessor charging a fixed amount per ticket whose
// response breached its target, read from the run's summary: the shape of
// a contract's per-breach credits, to test that sizing minimises staff
// cost plus expected credits.
type breachCharge struct{ perTicket float64 }

func (breachCharge) Collector() sim.Collector { return nil }

func (b breachCharge) Assess(res *sim.Result, _ float64) ([]Check, float64, error) {
	r := &res.Summary.Tiers[0].Response
	weeks := float64(res.Summary.Replications) * 13
	return nil, b.perTicket * float64(r.Tickets-r.Met) / weeks, nil
}

// TestSizeWithCredits checks that an assessor's cost enters the total that
// sizing minimises: when each late response costs far more than an agent,
// the cheapest total staffs beyond the level's 13 agents, where Erlang C
// puts the least staff cost plus expected charges (within one agent: the
// totals of neighbours differ by about 1%).
func TestSizeWithCredits(t *testing.T) {
	const (
		rate, perTicket, perHour = 9.0, 1000.0, 30.0
		hours                    = 168.0
	)
	m := mmcModel(rate, time.Hour, 15*time.Minute, 13*sim.Week)
	p := Pool(m, perHour, 0, 0, Requirement{Levels: []contract.Levels{{Response: 0.91}}, Confidence: 0.95})
	p.Assessor = breachCharge{perTicket: perTicket}
	res, err := Size(context.Background(), p, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	best, bestCost := 0, math.Inf(1)
	for c := 13; c <= 30; c++ {
		late := 1 - queueing.MMc{Servers: c, ArrivalRate: rate, ServiceRate: 1}.WaitAtMost(0.25)
		if cost := float64(c)*perHour*hours + perTicket*rate*hours*late; cost < bestCost {
			best, bestCost = c, cost
		}
	}
	if got := res.Best.Agents[0]; !res.Feasible || got < best-1 || got > best+1 {
		t.Errorf("sized %d agents (feasible %v), Erlang C's least total cost is at %d", got, res.Feasible, best)
	}
	if res.Best.Penalty <= 0 {
		t.Errorf("penalty %v, want the expected charges", res.Best.Penalty)
	}
}

// TestIntervalOfFewAgreeing checks the interval a level is judged by when
// replications keep (nearly) every ticket in time: a zero-width interval
// from a handful of replications vouches for nothing, and the tickets
// pooled bound what more can claim.
func TestIntervalOfFewAgreeing(t *testing.T) {
	stats := func(shares []float64, tickets, met int64) *sim.MetricStats {
		ms := &sim.MetricStats{Tickets: tickets, Met: met}
		for _, s := range shares {
			ms.Attainment.Add(s)
		}
		return ms
	}
	ones := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = 1
		}
		return s
	}
	wilson, _ := contract.Proportion{Hits: 2000, Trials: 2000}.Interval(0.95)
	for _, tt := range []struct {
		name   string
		ms     *sim.MetricStats
		lo, hi float64 // NaN: unknown
	}{
		// The case: declared met at 99.99% on two replications.
		{"2 replications all in time", stats(ones(2), 2000, 2000), math.NaN(), 1},
		{"9 replications all in time", stats(ones(9), 2000, 2000), math.NaN(), 1},
		{"10 replications all in time", stats(ones(10), 2000, 2000), wilson, 1},
		{"nearly all in time", stats([]float64{1, 1, 0.999}, 3000, 2999), 0, 0},
	} {
		lo, hi := interval(tt.ms, 0.95)
		switch {
		case tt.lo == 0: // the replications' interval, widened by the tickets', within [0, 1]
			rlo, rhi := tt.ms.Attainment.CI(0.95)
			tlo, thi := contract.Proportion{Hits: tt.ms.Met, Trials: tt.ms.Tickets}.Interval(0.95)
			if lo != min(rlo, tlo) || hi != min(max(rhi, thi), 1) || !(tlo < 0.9999) || lo >= 0.9999 {
				t.Errorf("%s: [%v, %v], replications' [%v, %v], tickets' [%v, %v]", tt.name, lo, hi, rlo, rhi, tlo, thi)
			}
		case math.IsNaN(tt.lo) != math.IsNaN(lo) || !math.IsNaN(lo) && lo != tt.lo || hi != tt.hi:
			t.Errorf("%s: [%v, %v], want [%v, %v]", tt.name, lo, hi, tt.lo, tt.hi)
		}
		c := Check{Level: 0.9999, Lo: lo, Hi: hi}
		if c.Met() {
			t.Errorf("%s: vouches for 99.99%%", tt.name)
		}
	}
}

// TestSizeCallOutCost: agents on call cost their allowance for every hour
// on call, and their call-outs what the simulation counts: the hours
// worked on call at the working rate and a fee per page. With everyone on
// call and no delay, every hour of work is worked on call: the load, 2
// Erlangs, 336 agent-hours a week.
func TestSizeCallOutCost(t *testing.T) {
	m := mmcModel(2, time.Hour, time.Hour, 4*sim.Week)
	m.Agents = 0
	m.Teams = []sim.Team{{Name: "on call"}}
	req := Requirement{Levels: []contract.Levels{{Response: 0.8}}, Confidence: 0.95}
	p := &Problem{Model: m, Requirement: req, CallOuts: []CallOutCost{{Work: 50, Fee: 10}},
		Posts: []Post{{Name: "on call", Team: 0, OnCall: true, Unit: sim.Steps{At: []time.Duration{0}, Value: []int{1}}, Cost: 5}}}
	res, err := Size(context.Background(), p, Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Best
	if want := b.OnCallWork*50 + b.CallOuts*10; math.Abs(b.CallOutCost-want) > 1e-9*want || want == 0 {
		t.Errorf("call-out cost %v, want %v for %v hours and %v call-outs", b.CallOutCost, want, b.OnCallWork, b.CallOuts)
	}
	if got, want := b.StaffCost, float64(b.Agents[0])*5*168; math.Abs(got-want) > 1e-6 {
		t.Errorf("allowance %v a week, want %v", got, want)
	}
	if b.Cost() != b.StaffCost+b.CallOutCost {
		t.Errorf("total %v, want staff %v + call-outs %v", b.Cost(), b.StaffCost, b.CallOutCost)
	}
	if load := 2 * 168.0; math.Abs(b.OnCallWork-load) > 0.05*load {
		t.Errorf("%.1f agent-hours a week worked on call, want about the load, %v", b.OnCallWork, load)
	}
}

// TestSizeErlangA checks sizing where tickets hang up: the same queue as
// TestSizeErlangC with a patience of 30 minutes on average (exponential),
// a ticket that hangs up counting as a missed response. Erlang A answers
// 76.88% of all tickets within 15 minutes with 9 agents and 84.51% with
// 10, so a level of 80% needs 10 — where Erlang C, blind to the callers
// who leave, would ask for 12.
func TestSizeErlangA(t *testing.T) {
	const (
		rate, target, level = 9.0, 0.25, 0.80
		abandon             = 2.0 // an hour: a mean patience of 30 minutes
	)
	want, err := serversFor(rate, 1, abandon, -1, target, level)
	if err != nil {
		t.Fatal(err)
	}
	if want != 10 {
		t.Fatalf("Erlang A gives %d agents, the test is written for 10", want)
	}
	for _, c := range []int{want - 1, want} {
		p := queueing.MMcM{Servers: c, ArrivalRate: rate, ServiceRate: 1, AbandonRate: abandon}.AnsweredWithin(target)
		if math.Abs(p-level) < 0.03 {
			t.Fatalf("%d agents answer %.4f in time, too close to the level %.2f to tell by simulation", c, p, level)
		}
	}
	if c, _ := queueing.ServersFor(rate, 1, target, level); c == want {
		t.Fatalf("Erlang C gives %d agents too: the test would not tell them apart", c)
	}
	m := mmcModel(rate, time.Hour, 15*time.Minute, 13*sim.Week)
	m.Tiers[0].Patience = sim.Exponential{Mu: 30 * time.Minute}
	req := Requirement{Levels: []contract.Levels{{Response: level}}, Confidence: 0.95}
	for _, start := range [][]int{nil, {want + 4}, {want - 4}} {
		res, err := Size(context.Background(), Pool(m, 30, 0, 0, req), Options{Seed: 1, Start: start})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Feasible || res.Best.Agents[0] != want {
			t.Errorf("start %v: sized %v (feasible %v), Erlang A says %d (checks %+v)", start, res.Best.Agents, res.Feasible, want, res.Best.Checks)
		}
		if start == nil && res.Analytic[0] != want {
			t.Errorf("analytic start %d, want Erlang A's %d", res.Analytic[0], want)
		}
	}
}

// TestSizeFewReplications checks the case of false confidence:
// 99.99% asked of replications allowed to number 2. No staffing may be
// declared to meet it, and the best attainable must not fall to one whose
// replications miss by much over one whose replications all keep every
// ticket in time, whose lower end is merely unknown.
func TestSizeFewReplications(t *testing.T) {
	m := mmcModel(9, time.Hour, time.Hour, 4*sim.Week)
	req := Requirement{Levels: []contract.Levels{{Response: 0.9999}}, Confidence: 0.95}
	res, err := Size(context.Background(), Pool(m, 1, 0, 0, req), Options{Seed: 1, Replications: 2, MaxReplications: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Feasible || res.Best.Feasible() {
		t.Fatalf("declared %v to meet 99.99%% on 2 replications: %+v", res.Best.Agents, res.Best.Checks)
	}
	if c := res.Best.Checks[0]; c.Mean < 0.999 {
		t.Errorf("best attainable %v answers %.2f%% in time; the analytic start %v keeps nearly every ticket", res.Best.Agents, 100*c.Mean, res.Analytic)
	}
}

// TestSizeFiniteLine checks sizing where the line is finite and a ticket
// finding it full is turned away, counted as a missed response: the queue
// of TestSizeErlangC as a loss system (no waiting room: Erlang B, 1 − B(c,
// a) answered at once) and with room for two (M/M/c/K). The least c whose
// share of all tickets admitted and answered within 15 minutes reaches the
// level is found here by a loop over queueing.MMcK: 10 for Erlang B at
// 80% (9 answer 77.57%, 10 83.20%) and 11 with room for two at 87.5% (10
// answer 84.99%, 11 90.48%), where Erlang C would ask for 12 and 13.
func TestSizeFiniteLine(t *testing.T) {
	const rate, target = 9.0, 0.25
	for _, c := range []struct {
		room  int
		level float64
		want  int
	}{{0, 0.80, 10}, {2, 0.875, 11}} {
		share := func(n int) float64 {
			q := queueing.MMcK{Servers: n, Capacity: n + c.room, ArrivalRate: rate, ServiceRate: 1}
			return (1 - q.Blocking()) * q.WaitAtMost(target)
		}
		want := 1
		for share(want) < c.level {
			want++
		}
		if want != c.want {
			t.Fatalf("room %d: M/M/c/K gives %d agents, the test is written for %d", c.room, want, c.want)
		}
		for _, n := range []int{want - 1, want} {
			if math.Abs(share(n)-c.level) < 0.02 {
				t.Fatalf("room %d: %d agents answer %.4f in time, too close to the level %.3f to tell by simulation", c.room, n, share(n), c.level)
			}
		}
		if n, _ := queueing.ServersFor(rate, 1, target, c.level); n == want {
			t.Fatalf("room %d: Erlang C gives %d agents too: the test would not tell them apart", c.room, n)
		}
		m := mmcModel(rate, time.Hour, 15*time.Minute, 13*sim.Week)
		m.Tiers[0].Blocking, m.Tiers[0].QueueCapacity = true, c.room
		req := Requirement{Levels: []contract.Levels{{Response: c.level}}, Confidence: 0.95}
		for _, start := range [][]int{nil, {want + 4}, {want - 4}} {
			res, err := Size(context.Background(), Pool(m, 30, 0, 0, req), Options{Seed: 1, Start: start})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Feasible || res.Best.Agents[0] != want {
				t.Errorf("room %d, start %v: sized %v (feasible %v), M/M/c/K says %d (checks %+v)", c.room, start, res.Best.Agents, res.Feasible, want, res.Best.Checks)
			}
			if start == nil && res.Analytic[0] != want {
				t.Errorf("room %d: analytic start %d, want M/M/c/K's %d", c.room, res.Analytic[0], want)
			}
		}
	}
}
