package sim

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLeaverOrder checks that busy agents leave in the order of one pass
// over the team per departure: the one that started its ticket last, and
// of those that started at once the later in the team, skipping agents
// idle, leaving or of the other status. Start times are drawn from a few
// values so that ties are common.
func TestLeaverOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(60)
		r := newEngine(&Model{Agents: n, Horizon: time.Hour, Tiers: []Tier{{Arrivals: ConstantRate(1), Handling: Exponential{Mu: time.Hour}}}})
		tm := &r.people.teams[0]
		for _, a := range tm.members {
			sv := &r.people.servers[a]
			sv.status, sv.ticket, sv.leaving = serverStatus(rng.IntN(3)), -1, rng.IntN(5) == 0
			if rng.IntN(4) > 0 {
				sv.ticket, sv.held = r.tickets.add(), 1
				r.tickets.at(sv.ticket).serviceStart = time.Duration(rng.IntN(4)) * time.Minute
			}
		}
		r.busyAgents(tm, onSite)
		for {
			want := oneByOne(r, tm, onSite)
			got := r.leavers.pop()
			if got != want {
				t.Fatalf("trial %d: agent %d leaves, want %d", trial, got, want)
			}
			if got < 0 {
				break
			}
			r.people.servers[got].leaving = true
		}
	}
}

// oneByOne is the agent of the status at work and not leaving that started
// its ticket last, the later in the team among equals: one pass.
func oneByOne(r *replication, tm *team, status serverStatus) int32 {
	best := int32(-1)
	for _, a := range tm.members {
		sv := &r.people.servers[a]
		if sv.status != status || sv.leaving || sv.ticket < 0 {
			continue
		}
		if best < 0 || r.tickets.at(sv.ticket).serviceStart >= r.tickets.at(r.people.servers[best].ticket).serviceStart {
			best = a
		}
	}
	return best
}

// TestChatLeaving checks a roster change sending chat agents (three slots
// each) off duty against the departures one at a time, each agent's free
// slots taken off the idle stack as it goes: first agents with every slot
// free, the latest on the stack first, then busy ones, those holding
// fewest chats first and the later in the team among equals. The idle
// stack left must be the old one less the leavers' slots, in its order.
func TestChatLeaving(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		m := &Model{Horizon: time.Hour,
			Tiers: []Tier{{Arrivals: ConstantRate(1), Handling: Exponential{Mu: time.Hour}, Concurrent: true}},
			Teams: []Team{{Name: "chat", Concurrency: 3, OnSite: Steps{At: []time.Duration{0}, Value: []int{n}}}}}
		r := newEngine(m)
		r.reset(1, 0)
		tm := &r.people.teams[0]
		var idle []int32
		for _, a := range tm.members[:n] {
			sv := &r.people.servers[a]
			sv.status, sv.held = onSite, uint16(rng.IntN(4))
			for range 3 - int(sv.held) {
				idle = append(idle, a)
			}
		}
		rng.Shuffle(len(idle), func(i, j int) { idle[i], idle[j] = idle[j], idle[i] })
		tm.off, tm.site, tm.idleSite = tm.off[:0], n, append(tm.idleSite[:0], idle...)
		want := rng.IntN(n + 1)

		// One departure at a time.
		status := map[int32]serverStatus{}
		leaving := map[int32]bool{}
		for _, a := range tm.members[:n] {
			status[a] = onSite
		}
		stack := append([]int32(nil), idle...)
		drop := func(a int32) {
			kept := stack[:0]
			for _, b := range stack {
				if b != a {
					kept = append(kept, b)
				}
			}
			stack = kept
		}
		for range n - want {
			a := int32(-1)
			for j := len(stack) - 1; j >= 0; j-- {
				if r.people.servers[stack[j]].held == 0 {
					a = stack[j]
					break
				}
			}
			if a >= 0 {
				status[a] = offDuty
			} else {
				for _, b := range tm.members[:n] {
					if status[b] != onSite || leaving[b] || r.people.servers[b].held == 0 {
						continue
					}
					if a < 0 || r.people.servers[b].held <= r.people.servers[a].held {
						a = b
					}
				}
				leaving[a] = true
			}
			drop(a)
		}

		r.adjust(0, onSite, want, want)
		if !slices.Equal(tm.idleSite, stack) {
			t.Fatalf("trial %d (%d agents down to %d): idle stack %v, want %v", trial, n, want, tm.idleSite, stack)
		}
		for _, a := range tm.members[:n] {
			if sv := &r.people.servers[a]; sv.status != status[a] || sv.leaving != leaving[a] {
				t.Fatalf("trial %d: agent %d status %d leaving %v, want %d %v", trial, a, sv.status, sv.leaving, status[a], leaving[a])
			}
		}
	}
}

// TestPagingCommonRandomNumbers: two scenarios differing only in the head
// count of a desk share every draw of the other teams (issue 14). An
// engineer coming on call at night is paged, and its delay drawn from its
// team's stream, only when it takes waiting work, never because the desk's
// line is not empty: the engineers' tickets, with or without several slots
// each, see the same paging delays and every other time whether the desk
// has 6 agents or 7, while the desk's own tickets do not.
func TestPagingCommonRandomNumbers(t *testing.T) {
	for _, slots := range []int{1, 2} {
		run := func(desk int) (faults, hotline []TraceRecord) {
			m := pagingModel(slots, desk)
			rows, _ := traceRows(t, m, 11, []int{0, 1, 2})
			for _, r := range rows {
				if r.Tier == 0 {
					faults = append(faults, r)
				} else {
					hotline = append(hotline, r)
				}
			}
			byTicket := func(a, b TraceRecord) int {
				return cmp.Or(cmp.Compare(a.Replication, b.Replication), cmp.Compare(a.Ticket, b.Ticket))
			}
			slices.SortFunc(faults, byTicket)
			slices.SortFunc(hotline, byTicket)
			return faults, hotline
		}
		faults6, hotline6 := run(6)
		faults7, hotline7 := run(7)
		if len(faults6) != len(faults7) || len(faults6) < 300 {
			t.Fatalf("%d slots: %d fault tickets against %d", slots, len(faults6), len(faults7))
		}
		paged := 0
		for i := range faults6 {
			if !reflect.DeepEqual(faults6[i], faults7[i]) {
				t.Fatalf("%d slots: a fault ticket with a desk of 6 %+v, of 7 %+v", slots, faults6[i], faults7[i])
			}
			if faults6[i].Paging > 0 {
				paged++
			}
		}
		if paged < 20 || reflect.DeepEqual(hotline6, hotline7) {
			t.Errorf("%d slots: %d fault tickets paged for; the desk's head count changed no hotline ticket: %v", slots, paged, reflect.DeepEqual(hotline6, hotline7))
		}
	}
}

// pagingModel is a fault tier of engineers, one on site by day and one on
// call at night, paged after 30 minutes on average, each holding slots
// tickets at once; and a hotline served by a desk of desk agents, busy
// enough that tickets often wait when the night begins.
func pagingModel(slots, desk int) *Model {
	const days, day = 31, 24 * time.Hour
	m := &Model{WarmUp: day, Horizon: (days - 1) * day, Tiers: []Tier{
		{Name: "faults", Arrivals: ConstantRate(0.4), Handling: Exponential{Mu: time.Hour},
			Response: time.Hour, Resolution: 8 * time.Hour, Concurrent: slots > 1},
		{Name: "hotline", Arrivals: ConstantRate(20), Handling: Exponential{Mu: 15 * time.Minute},
			Response: 5 * time.Minute, Resolution: time.Hour},
	}}
	engineers := Team{Name: "engineers", Tiers: []int{0}, Concurrency: slots,
		OnCallDelay: Exponential{Mu: 30 * time.Minute}}
	engineers.OnSite.Set(0, 0)
	engineers.OnCall.Set(0, 1)
	for d := range time.Duration(days) {
		engineers.OnSite.Set(d*day+8*time.Hour, 1)
		engineers.OnCall.Set(d*day+8*time.Hour, 0)
		engineers.OnSite.Set(d*day+18*time.Hour, 0)
		engineers.OnCall.Set(d*day+18*time.Hour, 1)
	}
	m.Teams = []Team{engineers, {Name: "desk", Tiers: []int{1}, OnSite: Steps{At: []time.Duration{0}, Value: []int{desk}}}}
	return m
}

// TestQuietNightsSameResults checks that leaving out the redraws of a team
// under shrinkage while nobody is scheduled on site (skipRedraws) changes
// nothing, ticket by ticket: a day team beside a 24-hour one; beside a
// team whose steps fall on redraws the day team skips to (which keeps
// them); and a day team whose backlog grows week after week, stopped by
// the watchdog at a weekly look that, at night, only a redraw reaches. It
// also checks that redraws were left out.
func TestQuietNightsSameResults(t *testing.T) {
	day := func(agents int, weeks int) Steps {
		var s Steps
		for d := range 7 * weeks {
			s.Set(time.Duration(d)*24*time.Hour+8*time.Hour, agents)
			s.Set(time.Duration(d)*24*time.Hour+20*time.Hour, 0)
		}
		return s
	}
	// By day only: at night no ticket arrives and nobody works.
	daytime := ArrivalProfile{Interval: time.Hour, Rates: make([]float64, 24)}
	for h := 8; h < 20; h++ {
		daytime.Rates[h] = 6
	}
	model := func(rate float64, teams ...Team) *Model {
		return &Model{
			WarmUp: 24 * time.Hour, Horizon: 3 * Week,
			Tiers: []Tier{
				{Name: "urgent", Arrivals: ConstantRate(0.2 * rate), Handling: NewLogNormal(45*time.Minute, 1), Response: 15 * time.Minute, Resolution: 4 * time.Hour, Preempts: true},
				{Name: "routine", Arrivals: ConstantRate(rate), Handling: NewLogNormal(time.Hour, 1.2), Response: time.Hour, Resolution: 24 * time.Hour},
			},
			Teams: teams,
		}
	}
	onSite := Team{Name: "on site", OnSite: day(5, 4), Shrinkage: 0.2}
	experts := Team{Name: "experts", OnSite: Steps{At: []time.Duration{0}, Value: []int{2}}}
	// Steps at 08:00, with the day team's, and at 22:00: skipping to
	// 08:00 would put the day team's roster event before the late team's.
	late := Team{Name: "late", OnSite: Steps{}}
	for d := range 28 {
		late.OnSite.Set(time.Duration(d)*24*time.Hour+8*time.Hour, 1)
		late.OnSite.Set(time.Duration(d)*24*time.Hour+22*time.Hour, 2)
	}
	overloaded := model(0, Team{Name: "on site", OnSite: day(2, 12), Shrinkage: 0.2})
	overloaded.Horizon = 10 * Week
	overloaded.Tiers = overloaded.Tiers[1:]
	overloaded.Tiers[0].Arrivals = daytime
	for name, m := range map[string]*Model{
		"beside a 24-hour team":    model(3, onSite, experts),
		"beside steps at night":    model(3, onSite, late),
		"stopped at a weekly look": overloaded,
	} {
		if err := m.Validate(); err != nil {
			t.Fatal(name, err)
		}
		var out [2]string
		var events [2]uint64
		for i, quiet := range []bool{false, true} {
			r := newEngine(m)
			r.ctx = context.Background()
			c := &records{}
			r.measure.collector = c
			for k := range r.rosters {
				r.rosters[k].quiet = r.rosters[k].quiet && quiet
			}
			s := NewSummary(m)
			var errs []string
			for rep := range 3 {
				if err := r.run(7, rep, s); err != nil {
					errs = append(errs, err.Error())
				}
				events[i] += r.events.seq
				out[i] += fmt.Sprint(c.all)
			}
			js, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			out[i] += string(js) + fmt.Sprint(errs)
		}
		if out[0] != out[1] {
			t.Errorf("%s: the redraws left out changed the results", name)
		}
		if events[1] >= events[0] {
			t.Errorf("%s: %d events with the redraws left out, %d with every one", name, events[1], events[0])
		}
		if name == "stopped at a weekly look" && !strings.Contains(out[1], "grew week after week") {
			t.Errorf("%s: the watchdog did not stop it: %s", name, out[1][len(out[1])-300:])
		}
	}
}
