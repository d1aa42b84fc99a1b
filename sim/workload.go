package sim

import (
	"fmt"
	"slices"
	"time"

	"github.com/slasim/slasim/sim/capacity"
)

// WorkClass is one kind of work for people: the tickets carrying a tier
// (misclassified tickets are served as the tier they carry) at one level,
// or the updates of the tier's tickets (Model.UpdatesLevel).
type WorkClass struct{ Tier, Level int }

// Workload is the model's work for people and its teams' capacity over the
// measured window, as capacity problems: one class of work per tier and
// level, one pool per team (on site less shrinkage, plus on call, in
// slots: agents times their concurrency).
type Workload struct {
	Classes []WorkClass
	// Window averages over the whole measured window.
	Window capacity.Problem
	// ByHour averages, for each hour of the week (hour 0 is Monday 00:00,
	// as in the statistics by hour), over the window's hours that fall on
	// it; an hour of the week the window never reaches has no load and no
	// capacity.
	ByHour [HoursPerWeek]capacity.Problem
}

// Workload integrates the model's arrivals and staffing over the measured
// window. The load of a class is its mean agent-hours per hour: arrivals
// (after deflection, and bursts at their weekly mean) times the chance of
// reaching the level times its mean work, the follow-up after pending
// counted at L1, for the share automation does not resolve; and with
// updates, a class of them per tier (Tier.UpdatesPerTicket).
func (m *Model) Workload() *Workload {
	ex := m.expose()
	w := m.window(ex, false)
	for h := range w.ByHour {
		if ex.hours[h] == 0 {
			w.ByHour[h] = m.problem(w.Classes, false, func(int) float64 { return 0 }, func(int) float64 { return 0 })
			continue
		}
		w.ByHour[h] = m.problem(w.Classes, false, func(i int) float64 {
			return (ex.arrivals[i][h]/ex.hours[h] + ex.burst[i]) * (1 - m.Tiers[i].Deflected)
		}, func(j int) float64 { return ex.agents[j][h] / ex.hours[h] })
	}
	return w
}

// exposure is what the measured window holds, by hour of the week (hour
// 0 is Monday 00:00, as in the statistics by hour): its hours, each tier's
// expected arrivals and each team's agent-hours. Integrating it walks the
// whole window, the part of a workload that grows with the horizon: a run
// does it once, for the check before it starts and every engine's
// watchdog.
type exposure struct {
	hours    [HoursPerWeek]float64
	arrivals [][HoursPerWeek]float64 // by tier
	agents   [][HoursPerWeek]float64 // by team, in slots (agents times their concurrency)
	burst    []float64               // by tier, bursts' tickets per hour
}

func (m *Model) expose() *exposure {
	teams := m.teams()
	ex := &exposure{
		arrivals: make([][HoursPerWeek]float64, len(m.Tiers)),
		agents:   make([][HoursPerWeek]float64, len(teams)),
		burst:    make([]float64, len(m.Tiers)),
	}
	w0, w1 := m.WarmUp, m.WarmUp+m.Horizon
	m.integrateHours(w0, w1, &ex.hours)
	for i := range m.Tiers {
		m.integrateRate(i, w0, w1, &ex.arrivals[i])
	}
	for j, t := range teams {
		// Capacity in slots: an agent of concurrency N serves N tickets.
		slots := float64(t.slots())
		m.integrateSteps(t.OnSite, (1-t.Shrinkage)*slots, w0, w1, &ex.agents[j])
		m.integrateSteps(t.OnCall, slots, w0, w1, &ex.agents[j])
	}
	for _, b := range m.incidents() {
		ex.burst[b.Tier] += b.PerWeek / Week.Hours() * max(b.MeanSize, 1)
	}
	return ex
}

// window is the workload of the measured window, without the hours of the
// week, from its exposure. When shed is set it leaves out the first
// level's work of tickets that leave rather than wait without end: those
// whose customers give up (Patience) and those a limited line may turn
// away (Blocking). However much of it arrives, the lines it waits in stay
// bounded.
func (m *Model) window(ex *exposure, shed bool) *Workload {
	w := &Workload{}
	levels := m.levels()
	for c := range m.Tiers {
		for l := range levels {
			w.Classes = append(w.Classes, WorkClass{c, l})
		}
	}
	total := m.Horizon.Hours()
	w.Window = m.problem(w.Classes, shed, func(i int) float64 {
		var a float64
		for _, v := range ex.arrivals[i] {
			a += v
		}
		return a/total*(1-m.Tiers[i].Deflected) + ex.burst[i]*(1-m.Tiers[i].Deflected)
	}, func(j int) float64 {
		var a float64
		for _, v := range ex.agents[j] {
			a += v
		}
		return a / total
	})
	return w
}

// problem is the capacity problem of the classes of work (every tier at
// every level, tier by tier) when tickets arrive at perHour(tier) an hour
// and the teams have capacityOf(team) agents; shed as for window.
func (m *Model) problem(classes []WorkClass, shed bool, perHour func(i int) float64, capacityOf func(j int) float64) capacity.Problem {
	teams := m.teams()
	levels := len(classes) / len(m.Tiers)
	updates := m.UpdatesLevel()
	p := capacity.Problem{Load: make([]float64, len(classes)), Capacity: make([]float64, len(teams)), Serves: make([][]int, len(teams))}
	for i := range m.Tiers {
		rate := perHour(i)
		if rate == 0 {
			continue
		}
		t := &m.Tiers[i]
		for _, c := range m.carried(i) {
			for l, work := range t.workByLevel() {
				if shed && l == 0 && (t.Patience != nil || m.Tiers[c.tier].Blocking) {
					continue
				}
				p.Load[c.tier*levels+l] += rate * c.share * work
			}
		}
		if updates >= 0 { // the tier's own, whatever its tickets carry
			p.Load[i*levels+updates] += rate * t.updatesWork()
		}
	}
	for j := range teams {
		p.Capacity[j] = capacityOf(j)
		for k, wc := range classes {
			takes := teams[j].Takes(wc.Tier, wc.Level)
			if wc.Level == updates {
				takes = m.Tiers[wc.Tier].Updates.DoneBy(&teams[j], j, wc.Tier)
			}
			if takes {
				p.Serves[j] = append(p.Serves[j], k)
			}
		}
	}
	return p
}

// share is a part of a tier's tickets that carries another tier.
type share struct {
	tier  int
	share float64
}

// carried lists the tiers the tickets of tier i carry: their own, and the
// neighbours misclassified tickets enter at (as the engine draws them).
func (m *Model) carried(i int) []share {
	p := m.Tiers[i].Misclassified
	n := len(m.Tiers)
	switch {
	case p == 0 || n == 1:
		return []share{{i, 1}}
	case i == 0:
		return []share{{0, 1 - p}, {1, p}}
	case i == n-1:
		return []share{{i - 1, p}, {i, 1 - p}}
	}
	return []share{{i - 1, p / 2}, {i, 1 - p}, {i + 1, p / 2}}
}

// workByLevel is the mean agent-hours a ticket of the tier brings to each
// level it may reach (see HumanWork).
func (t *Tier) workByLevel() []float64 {
	human := 1 - t.Automation.Eligible*t.Automation.Success
	work := []float64{t.Handling.Mean().Hours()}
	if t.Travel != nil {
		work[0] += t.Travel.Mean().Hours() // the agent is held on the way
	}
	if t.Pending.Probability > 0 {
		work[0] += t.Pending.Probability * t.Pending.FollowUp.Mean().Hours()
	}
	for j, e := range t.Escalation {
		work = append(work, t.Reach(j+1)*e.Handling.Mean().Hours())
	}
	for l := range work {
		work[l] *= human
	}
	return work
}

// Takes reports whether the team works on the tier at the level.
func (t *Team) Takes(tier, level int) bool {
	if t.Skills != nil {
		return slices.Contains(t.Skills, Skill{tier, level})
	}
	return (t.Tiers == nil || slices.Contains(t.Tiers, tier)) && (t.Levels == nil || slices.Contains(t.Levels, level))
}

// weekClock walks the hours of the week of the statistics (counted from
// Start at the window's start): h holds until end.
type weekClock struct {
	h   int
	end time.Duration
}

// weekHour is the hour of the week holding time t.
func (m *Model) weekHour(t time.Duration) weekClock {
	pos := ((t-m.WarmUp+m.WeekOffset)%Week + Week) % Week
	return weekClock{int(pos / time.Hour), t + time.Hour - pos%time.Hour}
}

// next moves to the following hour.
func (c *weekClock) next() {
	if c.h++; c.h == HoursPerWeek {
		c.h = 0
	}
	c.end += time.Hour
}

// hoursOf is d.Hours(), at once for a whole hour, the length of most
// stretches the integrals below add.
func hoursOf(d time.Duration) float64 {
	if d == time.Hour {
		return 1
	}
	return d.Hours()
}

// integrateHours adds the hours of [from, to) to the hours of the week
// they fall on.
func (m *Model) integrateHours(from, to time.Duration, into *[HoursPerWeek]float64) {
	for t, c := from, m.weekHour(from); t < to; c.next() {
		end := min(to, c.end)
		into[c.h] += hoursOf(end - t)
		t = end
	}
}

// integrateRate adds the expected arrivals of tier i in [from, to) to the
// hours of the week they fall on, following the profile exactly: stretch
// by stretch within one hour and one interval of the profile.
func (m *Model) integrateRate(i int, from, to time.Duration, into *[HoursPerWeek]float64) {
	p := m.Tiers[i].Arrivals
	period := p.Period()
	offset := ((from+m.WeekOffset-m.WarmUp)%period + period) % period
	k, next := int(offset/p.Interval), from+p.Interval-offset%p.Interval
	for t, c := from, m.weekHour(from); t < to; {
		end := min(to, c.end, next)
		into[c.h] += p.Rates[k] * hoursOf(end-t)
		t = end
		if t == c.end {
			c.next()
		}
		if t == next {
			if k++; k == len(p.Rates) {
				k = 0
			}
			next += p.Interval
		}
	}
}

// integrateSteps adds the agent-hours of s (times f) in [from, to) to the
// hours of the week they fall on.
func (m *Model) integrateSteps(s Steps, f float64, from, to time.Duration, into *[HoursPerWeek]float64) {
	for k, at := range s.At {
		if at >= to {
			break
		}
		end := to
		if k+1 < len(s.At) {
			end = min(end, s.At[k+1])
		}
		lo := max(at, from)
		if end <= lo || s.Value[k] == 0 {
			continue
		}
		v := float64(s.Value[k]) * f
		for t, c := lo, m.weekHour(lo); t < end; c.next() {
			e := min(end, c.end)
			into[c.h] += v * hoursOf(e-t)
			t = e
		}
	}
}

// Overload checks, before a run, that the teams can carry the work of the
// measured window (Workload().Window): that no set of tiers brings more
// load than the teams that may take it can carry, even with the rest of
// the desk idle. It returns nil if they can, else the instability with the
// load and capacity of the worst such set; Work and Teams name it when it
// is not the whole desk. Work nobody may take at all is left out: its
// tickets are counted as never resolved, not as a backlog that grows. So
// is the first level's work of tickets that leave rather than wait without
// end (Patience, Blocking), which keeps an Erlang A or loss system running
// at any load; if what they leave of the teams' time is too little for
// the rest, the watchdog stops the run.
func (m *Model) Overload() *Instability { return m.overload(m.expose()) }

// overload is Overload of the window's exposure.
func (m *Model) overload(ex *exposure) *Instability {
	w := m.window(ex, true)
	p := &w.Window
	if unserved := capacity.Solve(p).Unserved; len(unserved) > 0 {
		q := *p
		q.Load = slices.Clone(p.Load)
		for _, k := range unserved {
			q.Load[k] = 0
		}
		p = &q
	}
	res := capacity.Solve(p)
	if res.Utilisation < 1 {
		return nil
	}
	u := &Instability{}
	for _, k := range res.Short {
		u.Load += p.Load[k]
	}
	for _, j := range res.Pools {
		u.Capacity += p.Capacity[j]
	}
	whole := len(res.Pools) == len(p.Capacity)
	for k, l := range p.Load {
		whole = whole && (l == 0 || slices.Contains(res.Short, k))
	}
	if whole {
		return u
	}
	// The updates' class is no level of the tier's work: named apart, it
	// does not make the tiers' levels worth naming.
	updates := m.UpdatesLevel()
	levels := 0
	for _, c := range w.Classes {
		if c.Level != updates {
			levels = max(levels, c.Level+1)
		}
	}
	teams := m.teams()
	for _, k := range res.Short {
		c := w.Classes[k]
		t := &m.Tiers[c.Tier]
		name := t.Name
		switch {
		case c.Level == updates:
			name += " updates"
		case t.Stages != nil:
			name += " " + t.Stages[c.Level]
		case levels > 1:
			name += fmt.Sprintf(" L%d", c.Level+1)
		}
		u.Work = append(u.Work, name)
	}
	for _, j := range res.Pools {
		u.Teams = append(u.Teams, teams[j].Name)
	}
	return u
}
