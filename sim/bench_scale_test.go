package sim

// Benchmarks of how the cost of a ticket grows with the size of the model
// (issue 15): the same load on 12 or 12,000 agents, in 3 or 50 tiers, with
// or without roster changes. Compare ns/ticket within a pair; .ci/bench
// prints the ratios, and counts instructions with callgrind where the
// machine's load would blur the time.

import (
	"strconv"
	"testing"
	"time"
)

// scaledModel is the reference model with agents agents and its arrival
// rate scaled to keep their utilisation at 75%.
func scaledModel(agents int, horizon time.Duration) *Model {
	m := benchReferenceModel(horizon)
	m.Agents = agents
	f := float64(agents) / 12
	for i := range m.Tiers {
		m.Tiers[i].Arrivals = m.Tiers[i].Arrivals.Scaled(f)
	}
	return m
}

// agentsHorizon simulates about 90,000 tickets a replication on 12 agents
// and 360,000 on 12,000, enough for the start from empty to weigh little.
func agentsHorizon(agents int) time.Duration {
	return max(40*time.Hour, time.Duration(10_000*12/agents)*time.Hour)
}

// BenchmarkAgents: the reference model on 12 and on 12,000 agents at the
// same utilisation; the floor's own ns/ticket grows 2.2 times between the
// two (its heap of completions deepens).
func BenchmarkAgents(b *testing.B) {
	for _, n := range []int{12, 12_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchEngine(b, scaledModel(n, agentsHorizon(n))) })
	}
}

// shiftsModel is scaledModel staffed by a team whose head count moves
// between 0.825 and 1.1 times agents every 12 hours, under 10% shrinkage
// redrawn every half hour, agents finishing the ticket in hand when they
// leave: the short shift is overloaded (0.74 of agents present for 0.75 of
// load), so that roster changes reach busy agents, and the long one drains
// it.
func shiftsModel(agents int, horizon time.Duration) *Model {
	m := scaledModel(agents, horizon)
	m.Agents = 0
	var desk Steps
	for h := time.Duration(0); h < horizon; h += 12 * time.Hour {
		desk.At = append(desk.At, h)
		desk.Value = append(desk.Value, agents*(3+len(desk.Value)%2)*11/40)
	}
	m.Teams = []Team{{Name: "desk", OnSite: desk, Shrinkage: 0.1}}
	return m
}

// BenchmarkShifts: shiftsModel on 12 and on 12,000 agents, where rostering
// (agents coming back from breaks and shifts, busy ones leaving) is linear
// in the agents only if it never scans the whole team per agent.
func BenchmarkShifts(b *testing.B) {
	for _, n := range []int{12, 12_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchEngine(b, shiftsModel(n, agentsHorizon(n))) })
	}
}

// BenchmarkPreemptShifts: BenchmarkShifts with urgent tickets (tier 0)
// interrupting lower tiers' work: in the overloaded shift every urgent
// ticket finds every agent busy and chooses whom to interrupt, which is
// linear in the agents only if it never passes over them all.
func BenchmarkPreemptShifts(b *testing.B) {
	for _, n := range []int{12, 12_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			m := shiftsModel(n, agentsHorizon(n))
			m.Tiers[0].Preempts = true
			benchEngine(b, m)
		})
	}
}

// tieredModel is the reference model's load split evenly over tiers
// tiers, with response targets from 15 minutes to an hour.
func tieredModel(tiers int, horizon time.Duration) *Model {
	m := &Model{Agents: 12, Horizon: horizon}
	for i := range tiers {
		m.Tiers = append(m.Tiers, Tier{
			Name:       "T" + strconv.Itoa(i),
			Arrivals:   ConstantRate(9 / float64(tiers)),
			Handling:   Exponential{Mu: time.Hour},
			Response:   15*time.Minute + time.Duration(i)*45*time.Minute/time.Duration(tiers),
			Resolution: 24 * time.Hour,
		})
	}
	return m
}

// BenchmarkTiers: the reference model's load in 3 and in 50 tiers.
func BenchmarkTiers(b *testing.B) {
	for _, n := range []int{3, 50} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchEngine(b, tieredModel(n, 10_000*time.Hour)) })
	}
}

// chatShiftsModel is shiftsModel with chats: every tier concurrent, the
// team holding three at once an agent, half as busy as shiftsModel's
// agents (its arrival rate scaled by 1.5): at every roster change many
// free slots are on the idle stack.
func chatShiftsModel(agents int, horizon time.Duration) *Model {
	m := shiftsModel(agents, horizon)
	for i := range m.Tiers {
		m.Tiers[i].Concurrent = true
		m.Tiers[i].Arrivals = m.Tiers[i].Arrivals.Scaled(1.5)
	}
	m.Teams[0].Concurrency = 3
	return m
}

// BenchmarkChatShifts: chatShiftsModel on 12 and on 12,000 agents, where
// taking a leaving chat agent's free slots off the idle stack is linear in
// the agents only if it does not search the stack once per agent.
func BenchmarkChatShifts(b *testing.B) {
	for _, n := range []int{12, 12_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchEngine(b, chatShiftsModel(n, agentsHorizon(n))) })
	}
}
