package sim_test

import (
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestOnCallWork: the work of agents on call and their call-outs, which
// sizing prices. One agent on call around the clock with no delay is an
// M/M/1 queue: the agent works ρ of the time, all of it on call, and is
// paged by each ticket that finds it idle, λ(1 − ρ) an hour (PASTA). With a
// delay the work runs from the page, delay included, and is still all the
// team's work. An agent on site does no on-call work.
func TestOnCallWork(t *testing.T) {
	t.Parallel()
	const lambda, rho = 0.5, 0.5
	horizon := 2000.0
	m := &sim.Model{WarmUp: hours(50), Horizon: hours(horizon), Tiers: []sim.Tier{
		{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Duration(rho / lambda * float64(time.Hour))}, Response: time.Hour, Resolution: 4 * time.Hour},
	}}
	always := daily(0, day, everyDay...)
	m.Teams = []sim.Team{{Name: "on call", OnCall: staffed(m, 1, always)}}
	s := run(t, m, sim.Options{Seed: 40, Replications: 20})
	ts := &s.Teams[0]
	compare(t, "on-call work in the window, M/M/1", &ts.OnCallWorkHours, rho*horizon)
	compare(t, "call-outs in the window, M/M/1", &ts.CallOuts, lambda*(1-rho)*horizon)

	// With a delay of 30 minutes, every hour of the team's work is on-call
	// work, the delays included.
	m.Teams[0].OnCallDelay = sim.Deterministic{Value: 30 * time.Minute}
	s = run(t, m, sim.Options{Seed: 41, Replications: 4})
	ts = &s.Teams[0]
	all := func(int) bool { return true }
	busy := float64(sumHours(&ts.BusyMs, all)) / 3.6e6
	if work := ts.OnCallWorkHours.Mean() * float64(ts.OnCallWorkHours.N); math.Abs(work-busy) > 1e-6*busy || ts.CallOuts.Mean() == 0 {
		t.Errorf("on-call work %.3f agent-hours against the team's busy %.3f; call-outs %v", work, busy, ts.CallOuts.Mean())
	}

	m.Teams[0] = sim.Team{Name: "on site", OnSite: staffed(m, 1, always)}
	s = run(t, m, sim.Options{Seed: 42, Replications: 2})
	if ts := &s.Teams[0]; ts.OnCallWorkHours.Mean() != 0 || ts.CallOuts.Mean() != 0 {
		t.Errorf("an agent on site: on-call work %v, call-outs %v; want none", ts.OnCallWorkHours.Mean(), ts.CallOuts.Mean())
	}
}
