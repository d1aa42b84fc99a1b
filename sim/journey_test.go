package sim

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/capacity"
)

// journeyModel is a fault desk whose tickets go triage → remote fix →
// on-site repair → callback: one desk agent doing the desk's stages, one
// field engineer on site, both around the clock; deterministic handling
// (10m, 30m, 20h, 5m). Tier 0 needs every stage; tier 1 never goes on
// site. Its clocks: the first fix (arrival to the remote fix's end, 1h),
// on site (remote fix's end to on-site start, 4h, 24h when it starts
// outside office hours), the callback (on-site end to callback start,
// 1h), and an office-hours clock (arrival to on-site end, 8h) on a
// calendar open 09:00-17:00 Monday to Friday and on the first Saturday,
// a make-up working day.
func journeyModel(t *testing.T) *Model {
	t.Helper()
	var open, shut []time.Duration
	day := 24 * time.Hour
	for _, d := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 14} { // Saturday 5 is worked
		open = append(open, time.Duration(d)*day+9*time.Hour)
		shut = append(shut, time.Duration(d)*day+17*time.Hour)
	}
	office, err := NewCalendar(open, shut)
	if err != nil {
		t.Fatal(err)
	}
	stages := []string{"triage", "remote", "on-site", "callback"}
	step := func(d time.Duration, p float64) Escalation {
		return Escalation{Probability: p, Handling: Deterministic{Value: d}, Independent: true}
	}
	clocks := []Clock{
		{Name: "first-fix", From: Mark{Stage: Arrival}, To: Mark{Stage: 1, End: true}, Target: time.Hour},
		{Name: "on-site", From: Mark{Stage: 1, End: true}, To: Mark{Stage: 2}, Target: 4 * time.Hour, OffHours: 24 * time.Hour},
		{Name: "callback", From: Mark{Stage: 2, End: true}, To: Mark{Stage: 3}, Target: time.Hour},
		{Name: "office", From: Mark{Stage: Arrival}, To: Mark{Stage: 2, End: true}, Target: 8 * time.Hour, Calendar: office},
	}
	tier := func(name string, onSite float64) Tier {
		t := handTier(name, 10*time.Minute)
		t.Resolution = 48 * time.Hour
		t.Stages = stages
		t.Escalation = []Escalation{step(30*time.Minute, 1), step(20*time.Hour, onSite), step(5*time.Minute, 1)}
		t.Clocks = clocks
		t.OffHours.Calendar = office
		return t
	}
	always := Steps{At: []time.Duration{0}, Value: []int{1}}
	var desk, field []Skill
	for c := range 2 {
		desk = append(desk, Skill{c, 0}, Skill{c, 1}, Skill{c, 3})
		field = append(field, Skill{c, 2})
	}
	return &Model{
		Tiers:   []Tier{tier("fault", 1), tier("remote-only", 0)},
		Teams:   []Team{{Name: "desk", OnSite: always, Skills: desk}, {Name: "field", OnSite: always, Skills: field}},
		Horizon: 2 * Week,
	}
}

// TestJourneyClocks follows three tickets through their journeys, every
// clock computed by hand. A arrives Friday 16:00: triage 16:00-16:10,
// remote fix 16:10-16:40 (ahead of B's triage: it arrived first), on site
// 16:40 to Saturday 12:40, callback 12:40-12:45. B arrives Friday 16:01:
// triage 16:40-16:50, remote fix 16:50-17:20, on site when the engineer
// is free, Saturday 12:40 to Sunday 08:40, callback 08:40-08:45. C
// (tier 1) arrives Monday 10:00: triage, remote fix to 10:40, callback
// 10:40-10:45; it never goes on site, so the clocks to and from the site
// leave it out.
func TestJourneyClocks(t *testing.T) {
	m := journeyModel(t)
	friday := 4*24*time.Hour + 16*time.Hour
	a, b, c := friday, friday+time.Minute, 7*24*time.Hour+10*time.Hour
	s, got := handMade(t, m, []arrival{{0, a}, {0, b}, {1, c}})
	h, min := time.Hour, time.Minute
	timed := func(d, target time.Duration) ClockTime { return ClockTime{Timed: true, Time: d, Target: target} }
	want := map[time.Duration][]ClockTime{
		// Office time: Friday 16:00-17:00 and the make-up Saturday's
		// 09:00-12:40.
		a: {timed(40*min, h), timed(0, 4*h), timed(0, h), timed(h+3*h+40*min, 8*h)},
		// On site from Friday 17:20, after office hours: 19h20m against
		// 24h. Office time: Friday 16:01-17:00 and Saturday 09:00-17:00;
		// none on Sunday.
		b: {timed(79*min, h), timed(19*h+20*min, 24*h), timed(0, h), timed(59*min+8*h, 8*h)},
		c: {timed(40*min, h), {}, {}, {}},
	}
	for at, w := range want {
		r := got[at]
		if len(r.Clocks) != len(w) {
			t.Fatalf("ticket at %v: %d clocks, want %d", at, len(r.Clocks), len(w))
		}
		for k := range w {
			if r.Clocks[k] != w[k] {
				t.Errorf("ticket at %v, clock %q: got %+v, want %+v", at, m.Tiers[0].Clocks[k].Name, r.Clocks[k], w[k])
			}
		}
	}
	if r := got[b]; r.Response != 39*min || r.Resolution != (24+16)*h+44*min {
		t.Errorf("B: response %v, resolution %v", r.Response, r.Resolution)
	}
	// The summary counts the same: tier 0's first fix met once of two,
	// B 19 minutes late; its office clock met by A only, B 59 minutes
	// late.
	for _, tc := range []struct {
		tier, clock  int
		tickets, met int64
		late         time.Duration
	}{
		{0, 0, 2, 1, 19 * min}, {0, 1, 2, 2, 0}, {0, 2, 2, 2, 0}, {0, 3, 2, 1, 59 * min},
		{1, 0, 1, 1, 0}, {1, 1, 0, 0, 0}, {1, 2, 0, 0, 0}, {1, 3, 0, 0, 0},
	} {
		cs := &s.Tiers[tc.tier].Clocks[tc.clock]
		if cs.Tickets != tc.tickets || cs.Met != tc.met || cs.MeanLateness() != tc.late {
			t.Errorf("tier %d clock %q: %d tickets, %d met, lateness %v; want %d, %d, %v",
				tc.tier, cs.Name, cs.Tickets, cs.Met, cs.MeanLateness(), tc.tickets, tc.met, tc.late)
		}
	}
}

// journeyRecords keeps, per replication, each measured ticket's tier,
// arrival, resolution and clocks.
type journeyRecords struct{ records }

func (c *journeyRecords) Merge(o Collector) error {
	c.all = append(c.all, o.(*journeyRecords).all...)
	return nil
}

func (c *journeyRecords) Begin(uint64, int) {}

// randomJourneyModel is a desk of random journeys: two to six stages,
// each after the first needed with a random probability, alone or only
// after the one before, the last always needed; three teams each doing a
// random set of stages (every stage done by someone); a clock over each
// stage (its start to its end), one from arrival to the last stage's end
// and one from the first stage's end to the last's start.
func randomJourneyModel(rng *rand.Rand, field int) *Model {
	exp := func(mu time.Duration) Distribution { return Exponential{Mu: mu} }
	m := &Model{Horizon: 2 * Week, WarmUp: 24 * time.Hour}
	for i := range 2 {
		n := 2 + rng.IntN(5)
		t := Tier{Name: fmt.Sprint("T", i), Arrivals: ConstantRate(0.5 + rng.Float64()), Handling: exp(20 * time.Minute),
			Response: time.Hour, Resolution: 8 * time.Hour, Preempts: i == 0 && rng.IntN(2) == 0}
		for l := 1; l < n; l++ {
			p := rng.Float64()
			if l == n-1 {
				p = 1
			}
			t.Escalation = append(t.Escalation, Escalation{Probability: p, Handling: exp(time.Duration(10+rng.IntN(60)) * time.Minute),
				Independent: l == n-1 || rng.IntN(2) == 0})
			t.Stages = append(t.Stages, fmt.Sprint("S", l))
		}
		t.Stages = append([]string{"S0"}, t.Stages...)
		for l := range n {
			t.Clocks = append(t.Clocks, Clock{Name: fmt.Sprint("stage", l), From: Mark{Stage: l}, To: Mark{Stage: l, End: true}, Target: time.Hour})
		}
		t.Clocks = append(t.Clocks,
			Clock{Name: "whole", From: Mark{Stage: Arrival}, To: Mark{Stage: n - 1, End: true}, Target: 8 * time.Hour},
			Clock{Name: "between", From: Mark{Stage: 0, End: true}, To: Mark{Stage: n - 1}, Target: 4 * time.Hour})
		m.Tiers = append(m.Tiers, t)
	}
	sizes := []int{3, 2, field}
	for k := range 3 {
		team := Team{Name: fmt.Sprint("team", k), OnSite: Steps{At: []time.Duration{0}, Value: []int{sizes[k]}}}
		for c, t := range m.Tiers {
			for l := range len(t.Stages) {
				if l%3 == k || rng.IntN(3) == 0 {
					team.Skills = append(team.Skills, Skill{c, l})
				}
			}
		}
		m.Teams = append(m.Teams, team)
	}
	return m
}

// TestJourneyConservation: over random journeys, each clock counts the
// tickets whose journey reached both its marks, as their records say;
// a ticket resolved by people has timed the first and last stages, and
// the clock from arrival to its last stage's end is its resolution time
// exactly (no calendar, no pending).
func TestJourneyConservation(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	for k := range 20 {
		m := randomJourneyModel(rng, 2)
		res, err := Run(context.Background(), m, Options{Seed: uint64(k), Replications: 2, Workers: 1,
			Collector: func() Collector { return &journeyRecords{} }})
		if err != nil {
			t.Fatalf("model %d: %v", k, err)
		}
		recs := res.Collected.(*journeyRecords).all
		names := m.ClockNames()
		for ti, ts := range res.Summary.Tiers {
			// The record's clocks by the model's names: the tier's own,
			// in its order, and no other timed.
			index := make([]int, len(ts.Clocks))
			for c := range ts.Clocks {
				index[c] = slices.Index(names, ts.Clocks[c].Name)
			}
			timed, met := make([]int64, len(ts.Clocks)), make([]int64, len(ts.Clocks))
			n := len(m.Tiers[ti].Stages)
			for _, r := range recs {
				if r.Tier != ti {
					continue
				}
				if len(r.Clocks) != len(names) {
					t.Fatalf("model %d: a record has %d clocks, the model %d", k, len(r.Clocks), len(names))
				}
				for j, ct := range r.Clocks {
					if ct.Timed && !slices.Contains(index, j) {
						t.Fatalf("model %d, tier %d: the record times %q, not a clock of the tier", k, ti, names[j])
					}
				}
				for c, j := range index {
					if r.Clocks[j].Timed {
						timed[c]++
					}
					if r.Clocks[j].Met() {
						met[c]++
					}
				}
				if r.Left() || r.Unresolved {
					continue
				}
				if !r.Clocks[index[0]].Timed || !r.Clocks[index[n-1]].Timed || r.Clocks[index[n]].Time != r.Resolution {
					t.Fatalf("model %d, tier %d: record %+v", k, ti, r)
				}
			}
			for c, cs := range ts.Clocks {
				if cs.Tickets != timed[c] || cs.Met != met[c] || int64(cs.Times.Count()) != timed[c]-cs.Unanswered {
					t.Errorf("model %d, tier %d, clock %q: %d tickets, %d met, %d times; records: %d timed, %d met",
						k, ti, cs.Name, cs.Tickets, cs.Met, cs.Times.Count(), timed[c], met[c])
				}
			}
			if ts.Clocks[0].Tickets != ts.Response.Tickets-ts.Response.Unanswered {
				t.Errorf("model %d, tier %d: first stage timed %d tickets, %d answered", k, ti, ts.Clocks[0].Tickets, ts.Response.Tickets-ts.Response.Unanswered)
			}
		}
	}
}

// TestJourneyCommonRandomNumbers: two desks differing only in the
// staffing of one team give the same tickets, arriving at the same
// instants with the same journeys (the same clocks timed), though their
// times differ.
func TestJourneyCommonRandomNumbers(t *testing.T) {
	run := func(field int) []TicketRecord {
		m := randomJourneyModel(rand.New(rand.NewPCG(14, 2)), field)
		res, err := Run(context.Background(), m, Options{Seed: 7, Replications: 1, Workers: 1,
			Collector: func() Collector { return &journeyRecords{} }})
		if err != nil {
			t.Fatal(err)
		}
		recs := res.Collected.(*journeyRecords).all
		slices.SortFunc(recs, func(a, b TicketRecord) int { return cmp.Compare(a.Arrival, b.Arrival) })
		return recs
	}
	a, b := run(1), run(4)
	if len(a) != len(b) || len(a) < 500 {
		t.Fatalf("%d tickets against %d", len(a), len(b))
	}
	differ := 0
	for i := range a {
		if a[i].Tier != b[i].Tier || a[i].Arrival != b[i].Arrival {
			t.Fatalf("ticket %d: tier %d at %v against tier %d at %v", i, a[i].Tier, a[i].Arrival, b[i].Tier, b[i].Arrival)
		}
		for c := range a[i].Clocks {
			if a[i].Clocks[c].Timed != b[i].Clocks[c].Timed && !a[i].Unresolved && !b[i].Unresolved {
				t.Fatalf("ticket %d: clock %d timed %v against %v", i, c, a[i].Clocks[c].Timed, b[i].Clocks[c].Timed)
			}
		}
		if a[i].Resolution != b[i].Resolution {
			differ++
		}
	}
	if differ == 0 {
		t.Error("the staffing changed no ticket's resolution")
	}
}

// TestUpdatesSequence: tickets whose tier asks for an update every 30
// minutes (5 minutes of work unless said, within 10 minutes of falling
// due), worked out by hand. Updates are not tickets: the flow counts the
// tickets alone.
//
//   - A ticket of 70 minutes with a second agent free: the updates due at
//     30m and 60m are done at 35m and 65m, on time; the ticket resolves at
//     70m and no update falls due after. Busy 70 + 5 + 5 minutes.
//   - The same with one agent, busy with the ticket until 70m: both
//     updates still wait then and are withdrawn, the resolution telling
//     the customer: 40 minutes after falling due (30 late) and 10 (on
//     time). Busy 70 minutes: no update is done.
//   - Two agents and updates of 15 minutes: the second agent does the
//     update due at 30m by 45m (15 minutes: 5 late) and
//     takes the one due at 60m, still in hand when the ticket resolves at
//     70m: it is finished, at 75m, 15 minutes after falling due, 5 late.
//     Busy 70 + 15 + 15.
//   - One agent, a ticket of 100 minutes at 0 and another at 1m whose
//     customer gives up after 45 minutes: the second's update, due at
//     31m, is withdrawn as it leaves at 46m (15 minutes, 5 late); the
//     first's, due at 30m, 60m and 90m, as it resolves at 100m (70, 40
//     and 10 minutes: 60 and 30 late, one on time). Busy 100 minutes.
func TestUpdatesSequence(t *testing.T) {
	min := time.Minute
	for _, tc := range []struct {
		name             string
		agents           int
		handling, update time.Duration
		patience         Distribution
		arrivals         []arrival
		updates, met     int64
		late, busy       time.Duration
	}{
		{"a second agent", 2, 70 * min, 5 * min, nil, []arrival{{0, 0}}, 2, 2, 0, 80 * min},
		{"one agent", 1, 70 * min, 5 * min, nil, []arrival{{0, 0}}, 2, 1, 30 * min, 70 * min},
		{"an update in hand", 2, 70 * min, 15 * min, nil, []arrival{{0, 0}}, 2, 0, 5 * min, 100 * min},
		{"a customer gives up", 1, 100 * min, 5 * min, Deterministic{Value: 45 * min}, []arrival{{0, 0}, {0, min}}, 4, 1, (5*min + 60*min + 30*min) / 3, 100 * min},
	} {
		tier := handTier("faults", tc.handling)
		tier.Patience = tc.patience
		tier.Updates = Updates{Every: 30 * min, Target: 10 * min, Handling: Deterministic{Value: tc.update}}
		m := &Model{Tiers: []Tier{tier}, Agents: tc.agents, Horizon: Week}
		s, got := handMade(t, m, tc.arrivals)
		ts := &s.Tiers[0]
		up := &ts.Clocks[0]
		if up.Name != UpdatesClock || up.Tickets != tc.updates || up.Met != tc.met || up.MeanLateness() != tc.late || up.Censored != 0 {
			t.Errorf("%s: updates %q: %d, %d met, lateness %v, %d censored; want %d, %d, %v, 0", tc.name, up.Name, up.Tickets, up.Met, up.MeanLateness(), up.Censored, tc.updates, tc.met, tc.late)
		}
		if f := ts.Flow; f.Arrived != int64(len(tc.arrivals)) || f.ByPeople+f.Abandoned != f.Arrived || got[0].Resolution != tc.handling || len(got) != len(tc.arrivals) {
			t.Errorf("%s: flow %+v, records %v", tc.name, f, got)
		}
		var busy int64
		for _, v := range s.Teams[0].BusyMs {
			busy += v
		}
		if time.Duration(busy)*time.Millisecond != tc.busy {
			t.Errorf("%s: busy %v, want %v", tc.name, time.Duration(busy)*time.Millisecond, tc.busy)
		}
	}
}

// TestMisclassifiedUpdates: a ticket's updates are its true tier's, done
// by that tier's update teams whatever tier it was taken for. An urgent
// ticket of 70 minutes, updated every 30 (5 minutes of work, within 10 of
// falling due), is misclassified as high and worked by the high desk's
// only agent from 0 to 70m; the urgent desk, which does urgent's updates,
// does those due at 30m and 60m by 35m and 65m, on time, and is busy 10
// minutes. (They once waited in high's line, where no team does updates,
// and were withdrawn at 70m: 40 and 10 minutes after falling due, one 30
// minutes late, the urgent desk idle.) The offered load puts the
// misclassified tickets' updates in urgent's class of updates, which the
// urgent desk serves.
func TestMisclassifiedUpdates(t *testing.T) {
	min := time.Minute
	urgent := handTier("urgent", 70*min)
	urgent.Misclassified = 0.999999 // to high, the only neighbour
	urgent.Updates = Updates{Every: 30 * min, Target: 10 * min, Handling: Deterministic{Value: 5 * min}}
	one := Steps{At: []time.Duration{0}, Value: []int{1}}
	m := &Model{Tiers: []Tier{urgent, handTier("high", 30*min)}, Horizon: Week,
		Teams: []Team{{Name: "urgent desk", Tiers: []int{0}, OnSite: one}, {Name: "high desk", Tiers: []int{1}, OnSite: one}}}
	s, got := handMade(t, m, []arrival{{0, 0}})
	ts := &s.Tiers[0]
	if ts.Flow.Misclassified != 1 || got[0].Resolution != 70*min {
		t.Fatalf("flow %+v, record %+v: want one misclassified ticket resolved at 70m", ts.Flow, got[0])
	}
	if up := &ts.Clocks[0]; up.Name != UpdatesClock || up.Tickets != 2 || up.Met != 2 || up.Censored != 0 {
		t.Errorf("updates %q: %d, %d met, lateness %v, %d censored; want 2, 2 met", up.Name, up.Tickets, up.Met, up.MeanLateness(), up.Censored)
	}
	for k, want := range []time.Duration{10 * min, 70 * min} {
		var busy int64
		for _, v := range s.Teams[k].BusyMs {
			busy += v
		}
		if time.Duration(busy)*time.Millisecond != want {
			t.Errorf("%s busy %v, want %v", m.Teams[k].Name, time.Duration(busy)*time.Millisecond, want)
		}
	}
	m.Tiers[0].Arrivals = ConstantRate(1)
	w := m.Workload()
	updates := m.UpdatesLevel()
	if i := slices.Index(w.Classes, WorkClass{1, updates}); w.Window.Load[i] != 0 {
		t.Errorf("high's updates: load %v, want 0 (high has none)", w.Window.Load[i])
	}
	if i := slices.Index(w.Classes, WorkClass{0, updates}); !(w.Window.Load[i] > 0) {
		t.Errorf("urgent's updates: load %v, want all of urgent's", w.Window.Load[i])
	}
	if u := capacity.Solve(&w.Window).Unserved; len(u) > 0 {
		t.Errorf("classes %v unserved", u)
	}
}
