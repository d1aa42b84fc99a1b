package sim

// Lifecycle tests on hand-made ticket sequences: the tiers bring no
// tickets of their own, the test places each arrival at a chosen instant,
// and every ticket's fate is known in advance to the nanosecond.

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"
)

// arrival is a hand-placed ticket: its tier and when it arrives.
type arrival struct {
	tier int
	at   time.Duration
}

// records keeps every ticket record of a replication.
type records struct{ all []TicketRecord }

func (c *records) Begin(uint64, int) { c.all = c.all[:0] }
func (c *records) Ticket(t *TicketRecord) {
	r := *t
	r.Clocks = slices.Clone(t.Clocks)
	c.all = append(c.all, r)
}
func (c *records) End()                    {}
func (c *records) Merge(o Collector) error { return nil }
func (c *records) byArrival() map[time.Duration]TicketRecord {
	m := make(map[time.Duration]TicketRecord, len(c.all))
	for _, t := range c.all {
		m[t.Arrival] = t
	}
	return m
}

// handMade runs one replication of m with only the given tickets (m's
// tiers must have no arrivals of their own) and returns its summary and
// every measured ticket's record, by arrival time.
func handMade(t *testing.T, m *Model, tickets []arrival) (*Summary, map[time.Duration]TicketRecord) {
	t.Helper()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	r := newEngine(m)
	r.ctx = context.Background()
	c := &records{}
	r.measure.collector = c
	s := NewSummary(m)
	r.reset(1, 0)
	for _, a := range tickets {
		// As a burst's ticket: it schedules no successor.
		r.events.schedule(a.at, evArrival, int32(a.tier), 1)
	}
	if err := r.simulate(1, 0, s); err != nil {
		t.Fatal(err)
	}
	var n int64
	for i := range s.Tiers {
		n += s.Tiers[i].Response.Tickets
	}
	if int64(len(c.all)) != n {
		t.Errorf("%d records for %d tickets", len(c.all), n)
	}
	return s, c.byArrival()
}

// handTier is a tier with no arrivals of its own, deterministic handling
// and generous targets.
func handTier(name string, handling time.Duration) Tier {
	return Tier{Name: name, Arrivals: ConstantRate(0), Handling: Deterministic{Value: handling},
		Response: time.Hour, Resolution: 10 * time.Hour}
}

// checkRecord compares a ticket's record with what it should be.
func checkRecord(t *testing.T, got map[time.Duration]TicketRecord, at time.Duration, want TicketRecord) {
	t.Helper()
	r, ok := got[at]
	if !ok {
		t.Errorf("ticket arriving at %v: no record", at)
		return
	}
	want.Arrival, want.ResponseTarget, want.ResolutionTarget = at, r.ResponseTarget, r.ResolutionTarget
	if !reflect.DeepEqual(r, want) {
		t.Errorf("ticket arriving at %v:\n got %+v\nwant %+v", at, r, want)
	}
}

// TestAbandonmentSequence: one agent, 10-minute tickets, customers who wait
// 5 minutes. The first is served at once; the second, arriving at 1m,
// hangs up at 6m; the third, arriving at 5m, is due to hang up at 10m, the
// instant the agent frees: the agent answers it (work that ends comes
// before patience that ends); the fourth, at 12m, hangs up at 17m while
// the third is in hand. A paged agent on the way keeps the ticket it was
// paged for, however long the page takes; and a ticket waiting for the
// automated engine hangs up too.
func TestAbandonmentSequence(t *testing.T) {
	const minute = time.Minute
	tier := handTier("calls", 10*minute)
	tier.Patience = Deterministic{Value: 5 * minute}
	m := &Model{Tiers: []Tier{tier}, Agents: 1, Horizon: Week}
	s, got := handMade(t, m, []arrival{{0, 0}, {0, 1 * minute}, {0, 5 * minute}, {0, 12 * minute}})
	checkRecord(t, got, 0, TicketRecord{Response: 0, Resolution: 10 * minute})
	checkRecord(t, got, 1*minute, TicketRecord{Response: 5 * minute, Resolution: 5 * minute, Abandoned: true, Unanswered: true})
	checkRecord(t, got, 5*minute, TicketRecord{Response: 5 * minute, Resolution: 15 * minute})
	checkRecord(t, got, 12*minute, TicketRecord{Response: 5 * minute, Resolution: 5 * minute, Abandoned: true, Unanswered: true})
	ts := &s.Tiers[0]
	if f := ts.Flow; f.Arrived != 4 || f.ByPeople != 2 || f.Abandoned != 2 || f.OpenAtHorizon != 0 {
		t.Errorf("flow %+v", f)
	}
	if ts.Abandoned.Tickets != 2 || ts.Abandoned.Share.Mean() != 0.5 || ts.Response.Tickets != 4 || ts.Response.Unanswered != 2 ||
		ts.Response.Met != 2 || ts.Resolution.Tickets != 2 || ts.Response.AnsweredAttainment.Mean() != 1 || ts.Response.Attainment.Mean() != 0.5 {
		t.Errorf("abandoned %+v, response %d tickets, %d unanswered, %d met, attainment %v (answered %v), resolution %d tickets",
			ts.Abandoned, ts.Response.Tickets, ts.Response.Unanswered, ts.Response.Met, ts.Response.Attainment.Mean(),
			ts.Response.AnsweredAttainment.Mean(), ts.Resolution.Tickets)
	}
	// The mean response is that of the two answered tickets, (0 + 5m)/2.
	if got, want := ts.Response.MeanHours.Mean(), (150 * time.Second).Hours(); got != want {
		t.Errorf("mean response %v h, want %v h", got, want)
	}

	// Only an on-call agent, 20 minutes away: the page keeps the caller.
	m = &Model{Tiers: []Tier{tier}, Horizon: Week, Teams: []Team{{Name: "on call",
		OnCall: Steps{At: []time.Duration{0}, Value: []int{1}}, OnCallDelay: Deterministic{Value: 20 * minute}}}}
	_, got = handMade(t, m, []arrival{{0, 0}})
	checkRecord(t, got, 0, TicketRecord{Response: 20 * minute, Resolution: 30 * minute})

	// The automated engine, one attempt at a time of 10 minutes, each
	// failing: the second ticket hangs up waiting for it at 6m.
	tier.Automation = TierAutomation{Eligible: 1, Success: 0, Processing: Deterministic{Value: 10 * minute}}
	m = &Model{Tiers: []Tier{tier}, Agents: 1, Horizon: Week, Automation: Automation{Capacity: 1}}
	_, got = handMade(t, m, []arrival{{0, 0}, {0, 1 * minute}})
	checkRecord(t, got, 0, TicketRecord{Response: 10 * minute, Resolution: 20 * minute})
	checkRecord(t, got, 1*minute, TicketRecord{Response: 5 * minute, Resolution: 5 * minute, Abandoned: true, Unanswered: true})
}

// TestBlockingSequence: one agent and room for one ticket to wait. The
// first ticket is served, the second waits, the third finds the line full
// and is turned away at once, the fourth arrives after the second has
// started and waits in its place. A ticket back from pending, or going on
// to its next level, is never turned away: only new ones are. With no
// room (queue capacity 0) a ticket is answered at once or not at all.
func TestBlockingSequence(t *testing.T) {
	const minute = time.Minute
	tier := handTier("calls", 10*minute)
	tier.Blocking, tier.QueueCapacity = true, 1
	m := &Model{Tiers: []Tier{tier}, Agents: 1, Horizon: Week}
	s, got := handMade(t, m, []arrival{{0, 0}, {0, 1 * minute}, {0, 2 * minute}, {0, 11 * minute}})
	checkRecord(t, got, 0, TicketRecord{Response: 0, Resolution: 10 * minute})
	checkRecord(t, got, 1*minute, TicketRecord{Response: 9 * minute, Resolution: 19 * minute})
	checkRecord(t, got, 2*minute, TicketRecord{Blocked: true, Unanswered: true})
	checkRecord(t, got, 11*minute, TicketRecord{Response: 9 * minute, Resolution: 19 * minute})
	ts := &s.Tiers[0]
	if f := ts.Flow; f.Arrived != 4 || f.ByPeople != 3 || f.Blocked != 1 || f.Abandoned != 0 {
		t.Errorf("flow %+v", f)
	}
	if ts.Blocked.Tickets != 1 || ts.Abandoned != nil || ts.Response.Unanswered != 1 || ts.Resolution.Tickets != 3 {
		t.Errorf("blocked %+v, abandoned %+v, response unanswered %d, resolution tickets %d", ts.Blocked, ts.Abandoned, ts.Response.Unanswered, ts.Resolution.Tickets)
	}

	// No room, and every ticket escalates to a second 10-minute piece of
	// work: the second ticket, arriving while the first is at L1, is
	// turned away; the first's L2 waits for nobody and is never blocked.
	tier.QueueCapacity = 0
	tier.Escalation = []Escalation{{Probability: 1, Handling: Deterministic{Value: 10 * minute}}}
	m = &Model{Tiers: []Tier{tier}, Agents: 1, Horizon: Week}
	_, got = handMade(t, m, []arrival{{0, 0}, {0, 5 * minute}, {0, 15 * minute}})
	checkRecord(t, got, 0, TicketRecord{Response: 0, Resolution: 20 * minute})
	checkRecord(t, got, 5*minute, TicketRecord{Blocked: true, Unanswered: true})
	checkRecord(t, got, 15*minute, TicketRecord{Blocked: true, Unanswered: true})
}

// TestChatSequence: one agent holding up to two chats of 40 minutes, on
// duty until 1h and again from 2h. Two chats start at once; the third
// waits for the first slot to free; the fourth, arriving as the second
// ends, takes its slot. At 1h the agent holds two chats: it finishes them
// (until 1h30, half an hour of overtime) and takes no new one, so that
// the chat of 1h10 waits for the next shift.
func TestChatSequence(t *testing.T) {
	const minute = time.Minute
	tier := handTier("chat", 40*minute)
	tier.Concurrent = true
	team := Team{Name: "chat", Concurrency: 2, OnSite: Steps{At: []time.Duration{0, 60 * minute, 120 * minute}, Value: []int{1, 0, 1}}}
	m := &Model{Tiers: []Tier{tier}, Teams: []Team{team}, Horizon: Week}
	s, got := handMade(t, m, []arrival{{0, 0}, {0, 10 * minute}, {0, 20 * minute}, {0, 50 * minute}, {0, 70 * minute}})
	checkRecord(t, got, 0, TicketRecord{Response: 0, Resolution: 40 * minute})
	checkRecord(t, got, 10*minute, TicketRecord{Response: 0, Resolution: 40 * minute})
	checkRecord(t, got, 20*minute, TicketRecord{Response: 20 * minute, Resolution: 60 * minute})
	checkRecord(t, got, 50*minute, TicketRecord{Response: 0, Resolution: 40 * minute})
	checkRecord(t, got, 70*minute, TicketRecord{Response: 50 * minute, Resolution: 90 * minute})
	if o := s.Teams[0].OvertimeHours.Mean(); o != 0.5 {
		t.Errorf("overtime %v h, want 0.5 h", o)
	}
	if f := s.Tiers[0].Flow; f.Arrived != 5 || f.ByPeople != 5 {
		t.Errorf("flow %+v", f)
	}
}

// TestTravelSequence: one agent, tickets of 10 minutes' work on a site
// half an hour away. The first is taken at once and worked from 30m to
// 40m; the second, arriving at 5m, waits until 40m and is worked from
// 1h10 to 1h20. The response clock stops on arrival on site, or, for a
// tier whose response is remote, when the agent takes the ticket. An
// agent whose shift ends on the way hands the ticket back: the next agent
// makes the journey again.
func TestTravelSequence(t *testing.T) {
	const minute = time.Minute
	tier := handTier("fault", 10*minute)
	tier.Travel = Deterministic{Value: 30 * minute}
	for _, remote := range []bool{false, true} {
		tier.RemoteResponse = remote
		m := &Model{Tiers: []Tier{tier}, Agents: 1, Horizon: Week}
		_, got := handMade(t, m, []arrival{{0, 0}, {0, 5 * minute}})
		first, second := 30*minute, 65*minute
		if remote {
			first, second = 0, 35*minute
		}
		checkRecord(t, got, 0, TicketRecord{Response: first, Resolution: 40 * minute})
		checkRecord(t, got, 5*minute, TicketRecord{Response: second, Resolution: 75 * minute})

		// Handed back at 20m, on the way; the agent is back at 1h and
		// travels again: on site at 1h30, done at 1h40.
		m = &Model{Tiers: []Tier{tier}, Horizon: Week, Teams: []Team{{Name: "field", HandBack: true,
			OnSite: Steps{At: []time.Duration{0, 20 * minute, 60 * minute}, Value: []int{1, 0, 1}}}}}
		_, got = handMade(t, m, []arrival{{0, 0}})
		first = 90 * minute
		if remote {
			first = 0
		}
		checkRecord(t, got, 0, TicketRecord{Response: first, Resolution: 100 * minute})
	}
}

// TestRandomPaging: an agent on call whose delay from page to work is
// exponential with a mean of 20 minutes, and tickets far apart so that
// each finds it idle: each response is one draw of the delay, from the
// team's own stream. Their mean and standard deviation are 20 minutes,
// within 4 standard errors.
func TestRandomPaging(t *testing.T) {
	const n = 2000
	tier := handTier("night", time.Minute)
	tier.Response = time.Hour
	m := &Model{Tiers: []Tier{tier}, Horizon: n * 10 * time.Hour, Teams: []Team{{Name: "on call",
		OnCall: Steps{At: []time.Duration{0}, Value: []int{1}}, OnCallDelay: Exponential{Mu: 20 * time.Minute}}}}
	var tickets []arrival
	for i := range n {
		tickets = append(tickets, arrival{0, time.Duration(i) * 10 * time.Hour})
	}
	_, got := handMade(t, m, tickets)
	var x Tally
	for _, r := range got {
		x.Add(r.Response.Minutes())
		if r.Resolution != r.Response+time.Minute {
			t.Fatalf("ticket of %v: response %v, resolution %v", r.Arrival, r.Response, r.Resolution)
		}
	}
	if x.N != n {
		t.Fatalf("%d tickets, want %d", x.N, n)
	}
	se := 20 / math.Sqrt(n)
	if math.Abs(x.Mean()-20) > 4*se {
		t.Errorf("mean paging delay %.2f min, want 20 ± %.2f", x.Mean(), 4*se)
	}
	// For an exponential sample, the standard deviation's own standard
	// error is σ√(2/n).
	if sd, se := math.Sqrt(x.Variance()), 20*math.Sqrt(2.0/n); math.Abs(sd-20) > 4*se {
		t.Errorf("standard deviation of the delay %.2f min, want 20 ± %.2f", sd, 4*se)
	}
}

// TestAgingSequence: one agent for an urgent and a routine tier, work of
// an hour, and routine tickets moving up to urgent after waiting 30
// minutes. The routine tickets of 5m and 40m move up at 35m and 1h10 and
// join the back of the urgent line, behind the urgent ticket of 10m and
// ahead of the one of 1h40, which they would follow without aging. They
// keep the routine tier's targets and statistics, counted as aged.
func TestAgingSequence(t *testing.T) {
	const minute = time.Minute
	urgent, routine := handTier("urgent", time.Hour), handTier("routine", time.Hour)
	routine.Aging = Aging{After: 30 * minute, To: 0}
	m := &Model{Tiers: []Tier{urgent, routine}, Agents: 1, Horizon: Week}
	s, got := handMade(t, m, []arrival{{0, 0}, {1, 5 * minute}, {0, 10 * minute}, {1, 40 * minute}, {0, 100 * minute}})
	checkRecord(t, got, 0, TicketRecord{Tier: 0, Response: 0, Resolution: 60 * minute})
	checkRecord(t, got, 5*minute, TicketRecord{Tier: 1, Response: 115 * minute, Resolution: 175 * minute, Aged: true})
	checkRecord(t, got, 10*minute, TicketRecord{Tier: 0, Response: 50 * minute, Resolution: 110 * minute})
	checkRecord(t, got, 40*minute, TicketRecord{Tier: 1, Response: 140 * minute, Resolution: 200 * minute, Aged: true})
	checkRecord(t, got, 100*minute, TicketRecord{Tier: 0, Response: 140 * minute, Resolution: 200 * minute})
	if f := s.Tiers[1].Flow; f.Aged != 2 || f.Arrived != 2 || f.ByPeople != 2 {
		t.Errorf("routine flow %+v", f)
	}
	if f := s.Tiers[0].Flow; f.Aged != 0 || f.Arrived != 3 {
		t.Errorf("urgent flow %+v", f)
	}
	if n := s.Tiers[1].Response.Tickets; n != 2 {
		t.Errorf("routine response counts %d tickets, want its own 2", n)
	}

	// A ticket taken before its time is up does not move; one still
	// waiting moves up, even with nothing ahead of it.
	_, got = handMade(t, m, []arrival{{1, 0}, {1, 20 * minute}})
	checkRecord(t, got, 0, TicketRecord{Tier: 1, Response: 0, Resolution: 60 * minute})
	checkRecord(t, got, 20*minute, TicketRecord{Tier: 1, Response: 40 * minute, Resolution: 100 * minute, Aged: true})
}

// TestFrontDoorConservation: with every part of the engine at work and
// the front door's too (frontDoorModel), every measured ticket is counted
// once: arrived = resolved by automation + by people + abandoned + blocked
// + open at the horizon, the response clock counts every ticket and the
// resolution clock those that did not leave, and each part has work.
func TestFrontDoorConservation(t *testing.T) {
	m := frontDoorModel(2_000 * time.Hour)
	res, err := Run(context.Background(), m, Options{Seed: 3, Replications: 4})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	var aged, abandoned, blocked int64
	for _, ts := range res.Summary.Tiers {
		f := ts.Flow
		if f.Arrived != f.ByAutomation+f.ByPeople+f.Abandoned+f.Blocked+f.OpenAtHorizon {
			t.Errorf("%s: flow does not add up: %+v", ts.Name, f)
		}
		var left, gaveUp, turned int64
		if ts.Abandoned != nil {
			gaveUp = ts.Abandoned.Tickets
		}
		if ts.Blocked != nil {
			turned = ts.Blocked.Tickets
		}
		left = gaveUp + turned
		if ts.Response.Tickets != ts.Resolution.Tickets+left || ts.Response.Unanswered > left {
			t.Errorf("%s: response counts %d tickets (%d unanswered), resolution %d, %d left", ts.Name, ts.Response.Tickets, ts.Response.Unanswered, ts.Resolution.Tickets, left)
		}
		aged += f.Aged
		abandoned += gaveUp
		blocked += turned
	}
	if aged == 0 || abandoned == 0 || blocked == 0 {
		t.Errorf("a part had no work: %d aged, %d abandoned, %d blocked", aged, abandoned, blocked)
	}
	if u := res.Summary.Teams[3].AgentUtilisation; u == nil || u.Mean() <= res.Summary.Teams[3].Utilisation.Mean() {
		t.Errorf("chat agents engaged %v, slots busy %v", u, res.Summary.Teams[3].Utilisation.Mean())
	}
}

// TestOvertimeInWindow: overtime, like every team figure, is the part of
// the time worked past a shift's end that falls in the measured window.
// One agent on duty until 60m (and on again from 3h, so that the team has
// a shift), 40-minute tickets. A ticket at 30m keeps the agent until 70m:
// 10 minutes past the shift, of which the 5 after a 65-minute warm-up are
// measured. A ticket at 100m with the agent back on duty from 95m to
// 115m keeps it until 140m: 25 minutes past the shift, of which the 5
// before the horizon at 2h are measured.
func TestOvertimeInWindow(t *testing.T) {
	const minute = time.Minute
	tests := []struct {
		name     string
		warmUp   time.Duration
		horizon  time.Duration
		shift    Steps
		arrivals []arrival
		want     float64 // overtime hours
	}{
		{"past the warm-up", 65 * minute, 4 * time.Hour, Steps{At: []time.Duration{0, 60 * minute, 3 * time.Hour}, Value: []int{1, 0, 1}},
			[]arrival{{0, 30 * minute}}, 5.0 / 60},
		{"past the horizon", 0, 2 * time.Hour, Steps{At: []time.Duration{0, 60 * minute, 95 * minute, 115 * minute}, Value: []int{1, 0, 1, 0}},
			[]arrival{{0, 100 * minute}}, 5.0 / 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := Team{Name: "desk", OnSite: tt.shift}
			m := &Model{Tiers: []Tier{handTier("all", 40*minute)}, Teams: []Team{team}, WarmUp: tt.warmUp, Horizon: tt.horizon}
			s, _ := handMade(t, m, tt.arrivals)
			st := &s.Teams[0]
			var byHour int64
			for _, ms := range st.OvertimeMs {
				byHour += ms
			}
			if o := st.OvertimeHours.Mean(); math.Abs(o-tt.want) > 1e-12 || float64(byHour) != tt.want*3.6e6 {
				t.Errorf("overtime %v h, by hour %v h; want %v h", o, float64(byHour)/3.6e6, tt.want)
			}
		})
	}
}

// TestOvertimeAfterBreak: an agent sent on a break while busy, still
// finishing the ticket when the shift ends, works the time past the
// shift's end in overtime (or hands the ticket back, if the team's policy
// says so), whatever the break. One agent under 50% shrinkage on duty
// until E; its presence at each half-hour redraw is read from the team's
// stream, and the ticket arrives a minute after the first redraw at which
// the agent is present and before one at which it is away: it takes 60
// minutes, the break begins with it in hand, the shift ends 45 minutes
// after that first redraw, and the ticket is done 16 minutes later. With
// hand-back the agent gives it back at E, with 16 minutes of work left,
// and whoever is present first from the next shift, at B = E+60m, does
// it.
func TestOvertimeAfterBreak(t *testing.T) {
	const minute = time.Minute
	tick := shrinkageTick
	src := newSource()
	src.seed(1, 0, StreamStaffing, 0)
	present := threshold(0.5)
	var draws []bool
	i := 0
	for ; i < 40; i++ {
		draws = append(draws, src.atLeast(1, present) == 1)
		if i > 0 && draws[i-1] && !draws[i] {
			break
		}
	}
	if i == 40 {
		t.Fatal("no break in the first 40 redraws")
	}
	start := time.Duration(i-1) * tick
	at, end, back := start+minute, start+45*minute, start+105*minute
	// The next shift's first draw is at B, then at each redraw.
	resumed := back
	for src.atLeast(1, present) == 0 {
		resumed = (resumed/tick + 1) * tick
	}
	tests := []struct {
		name       string
		handBack   bool
		warmUp     time.Duration
		overtime   time.Duration
		resolution time.Duration
	}{
		{"finish", false, 0, 16 * minute, 60 * minute},
		{"finish, warm-up ends during it", false, end + 6*minute, 10 * minute, 60 * minute},
		{"hand back", true, 0, 0, resumed + 16*minute - at},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shift := Steps{At: []time.Duration{0, end, back}, Value: []int{1, 0, 1}}
			team := Team{Name: "desk", OnSite: shift, Shrinkage: 0.5, HandBack: tt.handBack}
			m := &Model{Tiers: []Tier{handTier("all", 60*minute)}, Teams: []Team{team}, WarmUp: tt.warmUp, Horizon: back + 10*time.Hour}
			m.Tiers[0].Resolution = 20 * time.Hour
			s, got := handMade(t, m, []arrival{{0, at}})
			st := &s.Teams[0]
			var byHour int64
			for _, ms := range st.OvertimeMs {
				byHour += ms
			}
			want := tt.overtime.Hours()
			if o := st.OvertimeHours.Mean(); math.Abs(o-want) > 1e-12 || float64(byHour) != want*3.6e6 {
				t.Errorf("overtime %v h, by hour %v h; want %v h", o, float64(byHour)/3.6e6, want)
			}
			if tt.warmUp > 0 {
				return // the ticket arrived in the warm-up: no record
			}
			if r := got[at]; r.Resolution != tt.resolution {
				t.Errorf("resolved in %v, want %v", r.Resolution, tt.resolution)
			}
		})
	}
}

// TestNightIsOvertime: with nobody scheduled, every agent at work is past
// a shift's end, whether it was on a break or at its post when the shift
// ended: hour by hour outside the shifts, the agents available are all in
// overtime. A busy team on duty 08:00-20:00 under 30% shrinkage.
func TestNightIsOvertime(t *testing.T) {
	shift := Steps{At: []time.Duration{0}, Value: []int{0}}
	for d := range 14 {
		day := time.Duration(d) * 24 * time.Hour
		shift.Set(day+8*time.Hour, 6)
		shift.Set(day+20*time.Hour, 0)
	}
	m := &Model{Horizon: 2 * Week, Tiers: []Tier{{Name: "all", Arrivals: ConstantRate(1.5), Handling: Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 8 * time.Hour}},
		Teams: []Team{{Name: "desk", OnSite: shift, Shrinkage: 0.3}}}
	res, err := Run(context.Background(), m, Options{Seed: 1, Replications: 4})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	st := &res.Summary.Teams[0]
	var night int64
	for h := range HoursPerWeek {
		if hour := h % 24; hour >= 8 && hour < 20 {
			continue
		}
		night += st.OvertimeMs[h]
		if st.OvertimeMs[h] != st.AvailableMs[h] {
			t.Errorf("hour %d of the week: %d ms available, %d ms in overtime", h, st.AvailableMs[h], st.OvertimeMs[h])
		}
	}
	if night == 0 {
		t.Errorf("no overtime at night (%v h a replication, utilisation %.2f): the team was too idle to test", st.OvertimeHours.Mean(), st.Utilisation.Mean())
	}
}

// TestBreaksAreNotOvertime: an agent finishing a ticket before a break
// (shrinkage) works no overtime. A team on duty around the clock, 30%
// shrinkage, busy: none of its time is overtime, in all or by hour.
func TestBreaksAreNotOvertime(t *testing.T) {
	m := &Model{Horizon: 2 * Week, Tiers: []Tier{{Name: "all", Arrivals: ConstantRate(3), Handling: Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 8 * time.Hour}},
		Teams: []Team{{Name: "desk", OnSite: Steps{At: []time.Duration{0}, Value: []int{6}}, Shrinkage: 0.3}}}
	res, err := Run(context.Background(), m, Options{Seed: 1, Replications: 4})
	if err != nil {
		t.Fatal(err)
	}
	st := &res.Summary.Teams[0]
	var byHour int64
	for _, ms := range st.OvertimeMs {
		byHour += ms
	}
	if st.OvertimeHours.Max != 0 || byHour != 0 {
		t.Errorf("overtime up to %v h a replication, %v h by hour; want none", st.OvertimeHours.Max, float64(byHour)/3.6e6)
	}
	if st.Utilisation.Mean() < 0.5 {
		t.Errorf("utilisation %.2f: too idle for breaks to fall on busy agents", st.Utilisation.Mean())
	}
}

// TestCutShortRecords: a ticket still open as the drain ends misses the
// clocks still running, in its record as in the run's figures, even when
// their times so far are within targets longer than the drain. Tier a's
// ticket, answered at once, is still in hand (10 hours' work) when the
// hour's drain ends: its response is met, its resolution missed. Nobody
// serves tier b: both its clocks are missed, its response cut short.
func TestCutShortRecords(t *testing.T) {
	long := 4 * Week
	a, b := handTier("a", 10*time.Hour), handTier("b", time.Minute)
	a.Resolution, b.Response, b.Resolution = long, long, long
	team := Team{Name: "a-team", Tiers: []int{0}, OnSite: Steps{At: []time.Duration{0}, Value: []int{1}}}
	m := &Model{Tiers: []Tier{a, b}, Teams: []Team{team}, Horizon: 24 * time.Hour, Drain: time.Hour}
	atA, atB := 23*time.Hour, 23*time.Hour+time.Minute
	s, got := handMade(t, m, []arrival{{0, atA}, {1, atB}})
	for _, c := range []struct {
		at                    time.Duration
		responseMet, censored bool
	}{{atA, true, false}, {atB, false, true}} {
		r := got[c.at]
		if !r.Unresolved || r.ResponseCensored != c.censored || r.ResponseMet() != c.responseMet || !r.ResolutionMissed() {
			t.Errorf("ticket at %v: unresolved %v, response censored %v, met %v, resolution missed %v; want true, %v, %v, true",
				c.at, r.Unresolved, r.ResponseCensored, r.ResponseMet(), r.ResolutionMissed(), c.censored, c.responseMet)
		}
	}
	for i, ts := range s.Tiers {
		if want := int64(1 - i); ts.Response.Met != want || ts.Resolution.Met != 0 || ts.Response.Censored != int64(i) || ts.Resolution.Censored != 1 {
			t.Errorf("tier %s: response %d met, %d censored; resolution %d met, %d censored; want %d, %d; 0, 1", ts.Name,
				ts.Response.Met, ts.Response.Censored, ts.Resolution.Met, ts.Resolution.Censored, want, i)
		}
	}
}

// TestEarlierLevelFirstAmongEqualArrivals: a free agent skilled for several
// levels takes the waiting ticket that arrived first, and among tickets
// that arrived at the same instant the one at the lowest level. One agent,
// two tickets at 0, each two 10-minute pieces of work: at 10m the first
// is back at L2 as the second waits at L1, both arrived at 0; the agent
// takes the second's L1 (10m-20m), then the first's L2 (20m-30m), which
// waited longer in L2's line, then the second's (30m-40m).
func TestEarlierLevelFirstAmongEqualArrivals(t *testing.T) {
	const minute = time.Minute
	tier := handTier("all", 10*minute)
	tier.Escalation = []Escalation{{Probability: 1, Handling: Deterministic{Value: 10 * minute}}}
	m := &Model{Tiers: []Tier{tier}, Agents: 1, Horizon: Week}
	s, _ := handMade(t, m, []arrival{{0, 0}, {0, 0}})
	if got, want := s.Tiers[0].Resolution.MeanHours.Mean(), (35 * minute).Hours(); math.Abs(got-want) > 1e-12 {
		t.Errorf("mean resolution %v, want 35m (30m and 40m)", time.Duration(got*float64(time.Hour)))
	}
}
