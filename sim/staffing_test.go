package sim

import (
	"math/rand/v2"
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
		r := newReplication(&Model{Agents: n, Horizon: time.Hour, Tiers: []Tier{{Arrivals: ConstantRate(1), Handling: Exponential{Mu: time.Hour}}}})
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
