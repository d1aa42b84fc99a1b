package sim_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/capacity"
)

// TestWorkload: the load per class and the capacity per team over the
// measured window add up to the model's offered load and capacity, the
// hours of the week see the profile's peaks and the shifts, and the
// capacity check finds the overloaded specialist team the totals hide.
func TestWorkload(t *testing.T) {
	t.Parallel()
	// P1 and P2 at 1 and 3 tickets/h, 1 h each; a third of P2 goes on to
	// L2 for 2 h more. A desk for P1 (2 agents), a front line for P2 at
	// L1 (3 agents) and experts for L2 (4 agents).
	m := &sim.Model{Horizon: 2 * sim.Week, WarmUp: 36 * time.Hour,
		Tiers: []sim.Tier{
			{Name: "P1", Arrivals: sim.ConstantRate(1), Handling: sim.Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour},
			{Name: "P2", Arrivals: sim.ConstantRate(3), Handling: sim.Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour,
				Escalation: []sim.Escalation{{Probability: 1.0 / 3, Handling: sim.Exponential{Mu: 2 * time.Hour}}}},
		},
		Teams: []sim.Team{
			{Name: "desk", Tiers: []int{0}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{2}}},
			{Name: "front", Tiers: []int{1}, Levels: []int{0}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{3}}},
			{Name: "experts", Levels: []int{1}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{4}}},
		},
	}
	w := m.Workload()
	want := map[sim.WorkClass]float64{{0, 0}: 1, {0, 1}: 0, {1, 0}: 3, {1, 1}: 2}
	var total, agents float64
	for k, c := range w.Classes {
		if math.Abs(w.Window.Load[k]-want[c]) > 1e-12 {
			t.Errorf("class %+v: load %v, want %v", c, w.Window.Load[k], want[c])
		}
		total += w.Window.Load[k]
	}
	for _, c := range w.Window.Capacity {
		agents += c
	}
	if math.Abs(total-m.OfferedLoad()) > 1e-12 || math.Abs(agents-m.Capacity()) > 1e-12 {
		t.Errorf("load %v and capacity %v, the model says %v and %v", total, agents, m.OfferedLoad(), m.Capacity())
	}
	// 6 Erlangs on 9 agents, but the front line holds 3 Erlangs on 3
	// agents and nobody else may help.
	r := capacity.Solve(&w.Window)
	if r.Utilisation != 1 || len(r.Short) != 1 || w.Classes[r.Short[0]] != (sim.WorkClass{1, 0}) || len(r.Pools) != 1 || r.Pools[0] != 1 {
		t.Errorf("want the front line at 100%% for P2 at L1, got %+v", r)
	}
	u := m.Overload()
	if u == nil || u.Load != 3 || u.Capacity != 3 || !slices.Equal(u.Work, []string{"P2 L1"}) || !slices.Equal(u.Teams, []string{"front"}) {
		t.Errorf("overload: %+v", u)
	} else if msg := u.Error(); msg != "unstable: P2 L1: 3 Erlangs of work that only front may take, with 3 agents on average over the measured window (busy 100.0% of the time)" {
		t.Errorf("overload message: %s", msg)
	}
	// One more agent on the front line: stable.
	m.Teams[1].OnSite.Value[0] = 4
	if u := m.Overload(); u != nil {
		t.Errorf("4 agents for 3 Erlangs: %v", u)
	}

	// A weekday day shift of 6 agents and a weekly profile: the hours see
	// their own load and staff.
	rates := make([]float64, 168)
	for h := range rates {
		rates[h] = 1
		if h%24 >= 9 && h%24 < 17 && h < 120 {
			rates[h] = 5
		}
	}
	m = &sim.Model{Horizon: 3 * sim.Week, WarmUp: 2 * 24 * time.Hour,
		Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ArrivalProfile{Interval: time.Hour, Rates: rates}, Handling: sim.Exponential{Mu: time.Hour},
			Response: time.Hour, Resolution: 4 * time.Hour}},
		Teams: []sim.Team{{Name: "day"}}}
	m.Teams[0].OnSite = staffed(m, 6, daily(9*time.Hour, 17*time.Hour, monFri...))
	w = m.Workload()
	for h, p := range w.ByHour {
		wantLoad, wantCap := rates[h], 0.0
		if h%24 >= 9 && h%24 < 17 && h < 120 {
			wantCap = 6
		}
		if math.Abs(p.Load[0]-wantLoad) > 1e-9 || math.Abs(p.Capacity[0]-wantCap) > 1e-9 {
			t.Errorf("hour %d: load %v capacity %v, want %v and %v", h, p.Load[0], p.Capacity[0], wantLoad, wantCap)
		}
	}
}

// TestWorkloadByHourEdges: the load and capacity of each hour of the week
// against an integration minute by minute, with nothing aligned to the
// hour: the warm-up, the week's offset and the horizon end at odd
// minutes, one profile changes every quarter of an hour and another every
// five hours (a period of 35 h, which does not divide the week), and the
// shifts start and end at odd minutes.
func TestWorkloadByHourEdges(t *testing.T) {
	t.Parallel()
	quarters := make([]float64, 4*sim.HoursPerWeek)
	for k := range quarters {
		quarters[k] = float64(1 + k%7)
	}
	m := &sim.Model{Horizon: 2*sim.Week + 7*time.Hour + 50*time.Minute, WarmUp: 37*time.Hour + 13*time.Minute, WeekOffset: 5*time.Hour + 20*time.Minute,
		Tiers: []sim.Tier{
			{Name: "quarters", Arrivals: sim.ArrivalProfile{Interval: 15 * time.Minute, Rates: quarters}, Handling: sim.Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour},
			{Name: "fives", Arrivals: sim.ArrivalProfile{Interval: 5 * time.Hour, Rates: []float64{2, 0, 5, 1, 3, 0.5, 4}}, Handling: sim.Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour},
		},
		Teams: []sim.Team{{Name: "day", Shrinkage: 0.2}, {Name: "night"}},
	}
	m.Teams[0].OnSite = staffed(m, 40, daily(8*time.Hour+7*time.Minute, 19*time.Hour+41*time.Minute, monFri...))
	m.Teams[1].OnSite = staffed(m, 20, daily(19*time.Hour+41*time.Minute, 32*time.Hour+7*time.Minute, everyDay...))
	var hours [sim.HoursPerWeek]float64
	arrivals := make([][sim.HoursPerWeek]float64, len(m.Tiers))
	agents := make([][sim.HoursPerWeek]float64, len(m.Teams))
	for at := m.WarmUp; at < m.WarmUp+m.Horizon; at += time.Minute {
		h := int(mod(at-m.WarmUp+m.WeekOffset, sim.Week) / time.Hour)
		hours[h] += 1.0 / 60
		for i, tier := range m.Tiers {
			p := tier.Arrivals
			arrivals[i][h] += p.Rates[mod(at+m.WeekOffset-m.WarmUp, p.Period())/p.Interval] / 60
		}
		for j, team := range m.Teams {
			n := 0
			for k, from := range team.OnSite.At {
				if from <= at {
					n = team.OnSite.Value[k]
				}
			}
			agents[j][h] += float64(n) * (1 - team.Shrinkage) / 60
		}
	}
	w := m.Workload()
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }
	for h, p := range w.ByHour {
		for i := range m.Tiers {
			want := 0.0
			if hours[h] > 0 {
				want = arrivals[i][h] / hours[h]
			}
			if got := p.Load[i*len(w.Classes)/len(m.Tiers)]; !close(got, want) {
				t.Errorf("hour %d, %s: load %v, want %v", h, m.Tiers[i].Name, got, want)
			}
		}
		for j := range m.Teams {
			want := 0.0
			if hours[h] > 0 {
				want = agents[j][h] / hours[h]
			}
			if got := p.Capacity[j]; !close(got, want) {
				t.Errorf("hour %d, %s: capacity %v, want %v", h, m.Teams[j].Name, got, want)
			}
		}
	}
}

// TestOverloadNamesUpdates: the check before a run names a tier's updates
// as its updates, not as one more level (a journey's tier has no stage
// there: it crashed, index out of range), and the tiers' own work without
// levels when only the updates make a second one.
func TestOverloadNamesUpdates(t *testing.T) {
	t.Parallel()
	// Faults at 2/h open for 1 h on average, updated every 5 minutes by
	// the one caller, 5 minutes each: 2 × 1/(e^(1/12) − 1) × 5/60 = 1.92
	// Erlangs for one agent.
	m := &sim.Model{Horizon: 2 * sim.Week, WarmUp: 36 * time.Hour,
		Tiers: []sim.Tier{
			{Name: "faults", Arrivals: sim.ConstantRate(2), Handling: sim.Exponential{Mu: time.Hour}, Stages: []string{"triage"},
				Response: time.Hour, Resolution: 8 * time.Hour,
				Updates: sim.Updates{Every: 5 * time.Minute, Target: 5 * time.Minute, Handling: sim.Exponential{Mu: 5 * time.Minute}, Teams: []int{1}}},
			{Name: "other", Arrivals: sim.ConstantRate(1.0 / 24), Handling: sim.Exponential{Mu: 10 * time.Minute}, Response: 24 * time.Hour, Resolution: 48 * time.Hour},
		},
		Teams: []sim.Team{
			{Name: "desk", Tiers: []int{0}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{6}}},
			{Name: "callers", Tiers: []int{1}, OnSite: sim.Steps{At: []time.Duration{0}, Value: []int{1}}},
		},
	}
	u := m.Overload()
	if u == nil || !slices.Equal(u.Work, []string{"faults updates", "other"}) || !slices.Equal(u.Teams, []string{"callers"}) {
		t.Errorf("overload: %+v", u)
	}
}
