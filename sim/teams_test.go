package sim_test

import (
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// TestTeamOrder: a ticket goes to the first team, in the model's order,
// with a free agent skilled for it. With more agents in the first team than
// can ever be busy at once here, the second team, on duty all along, never
// works.
func TestTeamOrder(t *testing.T) {
	t.Parallel()
	m := &sim.Model{WarmUp: 13 * time.Hour, Horizon: 2 * sim.Week,
		Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(1), Handling: det(10 * time.Minute), Response: time.Hour, Resolution: time.Hour}}}
	always := daily(0, day, everyDay...)
	m.Teams = []sim.Team{{Name: "first", OnSite: staffed(m, 40, always)}, {Name: "second", OnSite: staffed(m, 5, always)}}
	s := run(t, m, sim.Options{Seed: 30, Replications: 4})
	all := func(int) bool { return true }
	first, second := sumHours(&s.Teams[0].BusyMs, all), sumHours(&s.Teams[1].BusyMs, all)
	t.Logf("busy agent-hours: first team %.1f, second %.1f (present %.1f)", float64(first)/3.6e6, float64(second)/3.6e6, float64(sumHours(&s.Teams[1].AvailableMs, all))/3.6e6)
	if first == 0 || second != 0 || sumHours(&s.Teams[1].AvailableMs, all) == 0 {
		t.Errorf("busy agent-ms: first team %d, second %d; want all the work done by the first", first, second)
	}
}

// TestTeamSkills: teams skilled for one tier each make two independent
// queues. Urgent tickets (0.5 an hour, exponential work of 1 h) have one
// agent of their own, an M/M/1 queue, even though the other tier's three
// agents are often idle; high tickets (1.5 an hour) have those three, an
// M/M/3 queue, although urgent tickets come first when anyone may serve
// both. Each tier's mean wait is compared with the formula.
func TestTeamSkills(t *testing.T) {
	t.Parallel()
	horizon := 20_000.0
	if testing.Short() {
		horizon = 5_000
	}
	m := &sim.Model{WarmUp: hours(500), Horizon: hours(horizon), Tiers: []sim.Tier{
		{Name: "urgent", Arrivals: sim.ConstantRate(0.5), Handling: sim.Exponential{Mu: time.Hour}, Response: 15 * time.Minute, Resolution: 4 * time.Hour},
		{Name: "high", Arrivals: sim.ConstantRate(1.5), Handling: sim.Exponential{Mu: time.Hour}, Response: 30 * time.Minute, Resolution: 8 * time.Hour},
	}}
	always := daily(0, day, everyDay...)
	m.Teams = []sim.Team{
		{Name: "high desk", Tiers: []int{1}, OnSite: staffed(m, 3, always)},
		{Name: "urgent desk", Tiers: []int{0}, OnSite: staffed(m, 1, always)},
	}
	s := run(t, m, sim.Options{Seed: 31, Replications: 20})
	compare(t, "urgent mean wait (h), M/M/1", &s.Tiers[0].Response.MeanHours, queueing.MMc{Servers: 1, ArrivalRate: 0.5, ServiceRate: 1}.MeanWait())
	compare(t, "high mean wait (h), M/M/3", &s.Tiers[1].Response.MeanHours, queueing.MMc{Servers: 3, ArrivalRate: 1.5, ServiceRate: 1}.MeanWait())
	compare(t, "urgent desk utilisation", &s.Teams[1].Utilisation, 0.5)
	compare(t, "high desk utilisation", &s.Teams[0].Utilisation, 0.5)
}
