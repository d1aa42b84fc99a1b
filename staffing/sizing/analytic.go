package sizing

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// coverTolerance is the deficit, in agents, that a covering leaves
// unremarked: rounding noise of shrinkage factors.
const coverTolerance = 1e-9

// Analytic estimates the staffing from queueing theory. For each hour of
// the measured window it takes the mean arrival rate of tickets that need
// people (after deflection and automation, bursts included) and their mean
// work (sim.Tier.HumanWork), and asks Erlang C how many agents answer each
// tier within its response target at its level: for tier k, the M/M/c
// queue of tiers 0..k, which a priority queue puts ahead of the rest
// (queueing.ServersFor, exact rather than the square-root rule it refines),
// with rates averaged over the target when it is longer than an hour. The
// hour needs the most any tier asks for, and at least enough to carry the
// load (see requiredAgents). Then a greedy covering chooses head counts: starting from the
// posts' minimums, it adds the agent that covers the most missing
// agent-hours per unit of cost, counting an on-site agent as 1 − shrinkage
// of one, until every hour is covered or no post can help, and then drops
// agents, dearest first, that the covering does not need.
//
// It returns the agents required by hour of the week (the most over the
// weeks of the window) and the head count of each post. The estimate treats
// all agents as one pool, whatever their teams' skills, and ignores
// business-hours calendars, escalation delays, pending time and on-call
// delays: it is where the simulation search starts, not an answer.
func (p *Problem) Analytic() (required [sim.HoursPerWeek]int, x []int) {
	m := p.Model
	slots := int((m.Horizon + time.Hour - 1) / time.Hour)
	need := make([]float64, slots)
	cover := make([][]float64, len(p.Posts))
	for i := range cover {
		cover[i] = make([]float64, slots)
	}
	hourOfWeek := int(m.WeekOffset / time.Hour)
	for j := range slots {
		from := m.WarmUp + time.Duration(j)*time.Hour
		to := min(from+time.Hour, m.WarmUp+m.Horizon)
		n := p.requiredAgents(from)
		if h := (hourOfWeek + j) % sim.HoursPerWeek; n > required[h] {
			required[h] = n
		}
		need[j] = float64(n)
		for _, t := range m.Teams {
			need[j] -= t.OnSite.Mean(from, to)*(1-t.Shrinkage) + t.OnCall.Mean(from, to)
		}
		for i, q := range p.Posts {
			cover[i][j] = q.Unit.Mean(from, to)
			if !q.OnCall {
				cover[i][j] *= 1 - m.Teams[q.Team].Shrinkage
			}
		}
	}
	x = make([]int, len(p.Posts))
	for i, q := range p.Posts {
		x[i] = q.Min
		for j := range need {
			need[j] -= float64(q.Min) * cover[i][j]
		}
	}
	// Add the agent that covers the most missing agent-hours per unit of
	// cost.
	for {
		best, bestScore := -1, 0.0
		for i, q := range p.Posts {
			if q.Max > 0 && x[i] >= q.Max {
				continue
			}
			var gain float64
			for j, d := range need {
				if d > coverTolerance {
					gain += min(d, cover[i][j])
				}
			}
			if score := gain / p.weight(i); gain > coverTolerance && score > bestScore {
				best, bestScore = i, score
			}
		}
		if best < 0 {
			break
		}
		x[best]++
		for j := range need {
			need[j] -= cover[best][j]
		}
	}
	// Drop agents, dearest first, whose hours are all covered twice.
	for {
		dropped := false
		for _, i := range byWeight(p) {
			if x[i] <= p.Posts[i].Min || !spare(need, cover[i]) {
				continue
			}
			x[i]--
			for j := range need {
				need[j] += cover[i][j]
			}
			dropped = true
		}
		if !dropped {
			return required, x
		}
	}
}

// spare reports whether removing one agent of the given coverage leaves no
// hour less covered than it must be, beyond what is missing already.
func spare(need, cover []float64) bool {
	for j, c := range cover {
		if c > 0 && need[j]+c > coverTolerance {
			return false
		}
	}
	return true
}

// byWeight lists the posts' indexes, dearest agent first.
func byWeight(p *Problem) []int {
	idx := make([]int, len(p.Posts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.weight(b), p.weight(a)) })
	return idx
}

// requiredAgents is the number of agents Erlang C asks for in the hour
// starting at from. Tier k needs the agents that answer the tickets of
// tiers 0..k within its response target at its level, with their arrival
// rates averaged over the hour or, for a target longer than an hour, over
// the target from the hour's start: a queue that may wait that long
// carries a peak's work into the quieter hours after it. The hour needs
// the most any tier asks for, and at least enough agents to carry the
// load over the longest of those windows.
func (p *Problem) requiredAgents(from time.Duration) int {
	m := p.Model
	var need, floor float64
	for k := range m.Tiers {
		level := p.Requirement.Levels[k].Response
		if level <= 0 {
			continue
		}
		to := from + max(time.Hour, m.Tiers[k].Response)
		rate, load := p.people(k, from, to)
		if rate <= 0 || load <= 0 {
			continue
		}
		floor = max(floor, load)
		n, err := queueing.ServersFor(rate, rate/load, m.Tiers[k].Response.Hours(), level)
		if err != nil {
			continue // an absurd load: the search will find out
		}
		need = max(need, float64(n))
	}
	if floor == 0 {
		// No response level: agents enough to carry the hour's load.
		_, floor = p.people(len(m.Tiers)-1, from, from+time.Hour)
	}
	if floor > 0 {
		need = max(need, math.Floor(floor)+1)
	}
	return int(need)
}

// people is the mean arrival rate, per hour over [from, to), of the tickets
// of tiers 0..k that need people (after deflection and automation, bursts
// included), and the work they bring in agent-hours per hour.
func (p *Problem) people(k int, from, to time.Duration) (rate, load float64) {
	m := p.Model
	for i := range k + 1 {
		t := &m.Tiers[i]
		r := meanRate(t.Arrivals, m.WeekOffset-m.WarmUp, from, to)
		for _, b := range m.Bursts {
			if b.Tier == i {
				r += b.PerWeek / sim.Week.Hours() * max(b.MeanSize, 1)
			}
		}
		r *= 1 - t.Deflected
		// Tickets automation resolves need no agent; the others need
		// HumanWork spread over them.
		rate += r * (1 - t.Automation.Eligible*t.Automation.Success)
		load += r * t.HumanWork().Hours()
	}
	return rate, load
}

// meanRate is the mean arrival rate per hour of the profile over simulation
// time [from, to), where the engine reads it at offset (t + phase) modulo
// its period at time t.
func meanRate(a sim.ArrivalProfile, phase, from, to time.Duration) float64 {
	period := a.Period()
	if period <= 0 || to <= from {
		return 0
	}
	var area float64
	for t := from; t < to; {
		off := ((t+phase)%period + period) % period
		i := int(off / a.Interval)
		end := min(t+a.Interval-off%a.Interval, to)
		area += a.Rates[i] * float64(end-t)
		t = end
	}
	return area / float64(to-from)
}
