package sim

import (
	"math/rand/v2"
	"slices"
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
			got := r.leavers.pop(r)
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
