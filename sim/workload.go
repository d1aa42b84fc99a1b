package sim

import (
	"fmt"
	"slices"
	"time"

	"github.com/slasim/slasim/sim/capacity"
)

// WorkClass is one kind of work for people: the tickets carrying a tier
// (misclassified tickets are served as the tier they carry) at one level.
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
// counted at L1, for the share automation does not resolve.
func (m *Model) Workload() *Workload { return m.workload(false) }

// workload is Workload, leaving out, when shed is set, the first level's
// work of tickets that leave rather than wait without end: those whose
// customers give up (Patience) and those a limited line may turn away
// (Blocking). However much of it arrives, the lines it waits in stay
// bounded.
func (m *Model) workload(shed bool) *Workload {
	w := &Workload{}
	index := make(map[WorkClass]int)
	levels := 1
	for _, t := range m.Tiers {
		levels = max(levels, 1+len(t.Escalation))
	}
	for c := range m.Tiers {
		for l := range levels {
			index[WorkClass{c, l}] = len(w.Classes)
			w.Classes = append(w.Classes, WorkClass{c, l})
		}
	}
	teams := m.teams()
	w0, w1 := m.WarmUp, m.WarmUp+m.Horizon
	// Hours of the measured window on each hour of the week, and arrivals
	// (per tier) and agent-hours (per team) that fall on them.
	var hours [HoursPerWeek]float64
	arrivals := make([][HoursPerWeek]float64, len(m.Tiers))
	agents := make([][HoursPerWeek]float64, len(teams))
	m.byHour(w0, w1, func(h int, from, to time.Duration) { hours[h] += (to - from).Hours() })
	for i := range m.Tiers {
		m.integrateRate(i, w0, w1, &arrivals[i])
	}
	for j, t := range teams {
		// Capacity in slots: an agent of concurrency N serves N tickets.
		slots := float64(t.slots())
		m.integrateSteps(t.OnSite, (1-t.Shrinkage)*slots, w0, w1, &agents[j])
		m.integrateSteps(t.OnCall, slots, w0, w1, &agents[j])
	}
	burst := make([]float64, len(m.Tiers)) // tickets per hour
	for _, b := range m.incidents() {
		burst[b.Tier] += b.PerWeek / Week.Hours() * max(b.MeanSize, 1)
	}
	// problem builds the capacity problem of tickets arriving at
	// perHour(tier) an hour, served by teams of capacityOf(team) agents.
	problem := func(perHour func(i int) float64, capacityOf func(j int) float64) capacity.Problem {
		p := capacity.Problem{Load: make([]float64, len(w.Classes)), Capacity: make([]float64, len(teams)), Serves: make([][]int, len(teams))}
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
					p.Load[index[WorkClass{c.tier, l}]] += rate * c.share * work
				}
			}
		}
		for j := range teams {
			p.Capacity[j] = capacityOf(j)
			for k, wc := range w.Classes {
				if teams[j].Takes(wc.Tier, wc.Level) {
					p.Serves[j] = append(p.Serves[j], k)
				}
			}
		}
		return p
	}
	total := (w1 - w0).Hours()
	w.Window = problem(func(i int) float64 {
		var a float64
		for _, v := range arrivals[i] {
			a += v
		}
		return a/total*(1-m.Tiers[i].Deflected) + burst[i]*(1-m.Tiers[i].Deflected)
	}, func(j int) float64 {
		var a float64
		for _, v := range agents[j] {
			a += v
		}
		return a / total
	})
	for h := range w.ByHour {
		if hours[h] == 0 {
			w.ByHour[h] = problem(func(int) float64 { return 0 }, func(int) float64 { return 0 })
			continue
		}
		w.ByHour[h] = problem(func(i int) float64 {
			return (arrivals[i][h]/hours[h] + burst[i]) * (1 - m.Tiers[i].Deflected)
		}, func(j int) float64 { return agents[j][h] / hours[h] })
	}
	return w
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

// byHour calls f for each stretch of [from, to) within one hour of the
// week of the statistics (counted from Start at the window's start).
func (m *Model) byHour(from, to time.Duration, f func(h int, from, to time.Duration)) {
	w0 := m.WarmUp
	// Time since Monday 00:00 of the statistics' week at simulation time t.
	week := func(t time.Duration) time.Duration { return ((t-w0+m.WeekOffset)%Week + Week) % Week }
	for t := from; t < to; {
		pos := week(t)
		end := min(to, t+time.Hour-pos%time.Hour)
		f(int(pos/time.Hour), t, end)
		t = end
	}
}

// integrateRate adds the expected arrivals of tier i in [from, to) to the
// hours of the week they fall on, following the profile exactly.
func (m *Model) integrateRate(i int, from, to time.Duration, into *[HoursPerWeek]float64) {
	p := m.Tiers[i].Arrivals
	period := p.Period()
	m.byHour(from, to, func(h int, a, b time.Duration) {
		for t := a; t < b; {
			offset := ((t+m.WeekOffset-m.WarmUp)%period + period) % period
			end := min(b, t+p.Interval-offset%p.Interval)
			into[h] += p.Rates[offset/p.Interval] * (end - t).Hours()
			t = end
		}
	})
}

// integrateSteps adds the agent-hours of s (times f) in [from, to) to the
// hours of the week they fall on.
func (m *Model) integrateSteps(s Steps, f float64, from, to time.Duration, into *[HoursPerWeek]float64) {
	for k, at := range s.At {
		end := to
		if k+1 < len(s.At) {
			end = min(end, s.At[k+1])
		}
		lo := max(at, from)
		if end <= lo || s.Value[k] == 0 {
			continue
		}
		v := float64(s.Value[k]) * f
		m.byHour(lo, end, func(h int, a, b time.Duration) { into[h] += v * (b - a).Hours() })
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
func (m *Model) Overload() *Instability {
	w := m.workload(true)
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
	levels := 0
	for _, c := range w.Classes {
		levels = max(levels, c.Level+1)
	}
	teams := m.teams()
	for _, k := range res.Short {
		c := w.Classes[k]
		t := &m.Tiers[c.Tier]
		name := t.Name
		switch {
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
