package sizing

import (
	"context"
	"encoding/binary"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// Analytic estimates the staffing from queueing theory, respecting the
// teams' skills. For each quarter hour of the measured window, the work
// for people is split into classes — a tier at a level, each with its
// arrival rate (after deflection and automation, bursts included) and its
// mean work — each taken by the teams skilled for it that can have agents
// then (a post or fixed staffing). Rates are averaged over the quarter
// hour or, for a tier whose response target is longer than an hour, over
// the target from the quarter's start (see Problem.window). The quarter
// hour asks:
//
//   - for each tier k with a response level, of the teams taking its new
//     tickets: the smallest c for which the M/M/c queue of the work of
//     tiers 0..k (tier k and those ahead of it) that only they may take
//     answers within the target at the level (Erlang C,
//     queueing.ServersFor). Agents on call count only when their mean
//     on-call delay is shorter than the target;
//   - for every set of teams, at least ⌊load⌋ + 1 agents for the work only
//     they may take, so that every team can keep up (Hall's condition for
//     the flow of work to teams, as sim.Model.Overload checks it): for
//     each tier k, the load of tiers 0..k averaged over tier k's window.
//
// Where tickets hang up (Tier.Patience), Erlang A replaces Erlang C, and
// where the line is finite (Tier.Blocking), M/M/c/K (see serversFor);
// those tickets never build a backlog. An agent of a
// team holding several tickets at once (chats) counts as that many
// servers, as M/M/(cN) has it. With one pool of agents skilled for
// everything, this is Erlang C for the whole queue.
//
// The posts then cover these needs at least cost (a covering solved by
// branch and bound on its linear relaxation, see covering.solve): an
// agent on site counts as 1 − shrinkage, one on call as 1 and costs,
// besides its hours on call, the work it would do at the working rate.
// Offered shifts (Post.Offered) are columns like any other, so the
// covering also chooses which shifts to staff.
// Finally, agents are added where the staffing leaves work to nobody or a
// team unstable over the measured window (sim.Model.Overload), cheapest
// capacity first.
//
// It returns the agents required by hour of the week (the largest need of
// any set of teams, the most over the window's weeks) and the head count
// of each post, followed by those of each interval of p.Intervals, each
// interval sized as a post of its own. The estimate ignores business-hours calendars, escalation
// and pending delays, misclassification, and the work a team takes from
// another's queue when its own is empty: it is where the simulation search
// starts, not an answer.
//
// It returns ctx's cause if ctx is done before it is.
func (p *Problem) Analytic(ctx context.Context) (required [sim.HoursPerWeek]int, x []int, err error) {
	if len(p.Intervals) > 0 {
		p = p.perInterval()
	}
	d, err := p.demand(ctx)
	if err != nil {
		return required, nil, err
	}
	x = p.coveringOf(d).solve().x
	for h, n := range d.byHour {
		required[h] = int(math.Ceil(n - coverTolerance))
	}
	return required, p.stabilise(x), nil
}

// demand is what the analytic start asks of the posts, slot by slot of the
// measured window.
type demand struct {
	// rows are the needs: agents of some posts, in one slot.
	rows []coverRow
	// load is the work in each slot, in Erlangs, and peak the largest need
	// of any row in it, before fixed staffing.
	load, peak []float64
	// byHour is peak by hour of the week, the most over the window's weeks.
	byHour [sim.HoursPerWeek]float64
	// cover is what one agent of each post gives in each slot: the share
	// of the slot worked, times 1 − shrinkage on site, times the tickets
	// the agent holds at once.
	cover [][]float64
}

// workClass is the work of one tier at one level over some time: tickets
// per hour and mean agent-hours each.
type workClass struct {
	tier, level int
	rate, work  float64
}

// teamSet is a set of teams, by index in the model: bit t%8 of byte t/8
// for team t. A string, so that sets key maps; every set of one demand
// has the same length.
type teamSet string

func newTeamSet(teams int) []byte { return make([]byte, (teams+7)/8) }

func (s teamSet) has(t int) bool { return s[t/8]&(1<<(t%8)) != 0 }

// within reports whether s is a subset of u.
func (s teamSet) within(u teamSet) bool {
	for i := range len(s) {
		if s[i]&^u[i] != 0 {
			return false
		}
	}
	return true
}

func (s teamSet) union(u teamSet) teamSet {
	b := []byte(s)
	for i := range b {
		b[i] |= u[i]
	}
	return teamSet(b)
}

func (s teamSet) empty() bool { return strings.Trim(string(s), "\x00") == "" }

// maxTeamSets bounds the sets of teams whose stability the analytic start
// asks for in one slot: the skill sets of the work and their unions, or
// only the skill sets when the unions are more.
const maxTeamSets = 256

// demand computes the rows of needs, slot by slot. A slot whose inputs —
// staffing, cover of each post, arrival rates over each window — repeat
// those of an earlier slot, as week after week do, adds no rows (they
// would repeat the earlier ones) and has the same load and peak. It
// returns ctx's cause if ctx is done first.
func (p *Problem) demand(ctx context.Context) (*demand, error) {
	m := p.Model
	slots := int((m.Horizon + slotLength - 1) / slotLength)
	d := &demand{load: make([]float64, slots), peak: make([]float64, slots), cover: grid(len(p.Posts), slots)}
	site := make([]float64, len(m.Teams)) // fixed agents on site, less shrinkage
	call := make([]float64, len(m.Teams)) // fixed agents on call
	seen := make(map[string][2]float64)   // a slot's inputs: its load and peak
	var key []byte
	for j := range slots {
		if j%4096 == 0 && ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		from, to := p.slot(j)
		key = key[:0]
		present := newTeamSet(len(m.Teams))
		for t, tm := range m.Teams {
			slots := float64(max(tm.Concurrency, 1))
			site[t] = tm.OnSite.Mean(from, to) * (1 - tm.Shrinkage) * slots
			call[t] = tm.OnCall.Mean(from, to) * slots
			if site[t]+call[t] > 0 {
				present[t/8] |= 1 << (t % 8)
			}
			key = appendFloats(key, site[t], call[t])
		}
		for i, q := range p.Posts {
			v := q.Unit.Mean(from, to) * float64(max(m.Teams[q.Team].Concurrency, 1))
			if v > 0 && !q.OnCall {
				v *= 1 - m.Teams[q.Team].Shrinkage
			}
			if v > 0 {
				d.cover[i][j] = v
				present[q.Team/8] |= 1 << (q.Team % 8)
			}
			key = appendFloats(key, v)
		}
		// The work over each window: the slot's, and each tier's.
		over := make(map[time.Duration][]workClass, 1+len(m.Tiers))
		work := func(end time.Duration) []workClass {
			w, ok := over[end]
			if !ok {
				w = p.classes(from, func(int) time.Duration { return end })
				over[end] = w
				for _, c := range w {
					key = appendFloats(key, c.rate)
				}
			}
			return w
		}
		work(to)
		for k := range m.Tiers {
			work(p.window(k, from, to))
		}
		h := int((m.WeekOffset+from-m.WarmUp)/time.Hour) % sim.HoursPerWeek
		if v, ok := seen[string(key)]; ok {
			d.load[j], d.peak[j] = v[0], v[1]
			d.byHour[h] = max(d.byHour[h], v[1])
			continue
		}
		takers := func(c workClass) teamSet {
			s := newTeamSet(len(m.Teams))
			for t := range m.Teams {
				if teamSet(present).has(t) && takes(m, t, c) {
					s[t/8] |= 1 << (t % 8)
				}
			}
			return teamSet(s)
		}
		// need adds the row: agents of the teams in s, on call only if
		// onCall says so for their team, n of them beyond fixed staffing.
		need := func(s teamSet, n float64, onCall func(t int) bool) {
			d.peak[j] = max(d.peak[j], n)
			a := make([]float64, len(p.Posts))
			for i, q := range p.Posts {
				if s.has(q.Team) && (!q.OnCall || onCall(q.Team)) {
					a[i] = d.cover[i][j]
				}
			}
			for t := range m.Teams {
				if s.has(t) {
					n -= site[t]
					if onCall(t) {
						n -= call[t]
					}
				}
			}
			if n > coverTolerance {
				d.rows = append(d.rows, coverRow{a: a, need: n})
			}
		}
		always := func(int) bool { return true }
		for _, c := range work(to) {
			if !takers(c).empty() {
				d.load[j] += c.rate * c.work
			}
		}
		// Every set of teams must carry the work only it may take: for
		// each tier k, that of tiers 0..k averaged over tier k's window,
		// as a lower tier's work may wait as long as its target allows.
		carry := make(map[teamSet]float64)
		for k := range m.Tiers {
			loads := make(map[teamSet]float64)
			for _, c := range work(p.window(k, from, to)) {
				// New tickets that may hang up, or find the line full,
				// leave when it is long: they never make a backlog
				// (sim.Model.Overload).
				if c.level == 0 && (m.Tiers[c.tier].Patience != nil || m.Tiers[c.tier].Blocking) {
					continue
				}
				if s := takers(c); c.tier <= k && !s.empty() {
					loads[s] += c.rate * c.work
				}
			}
			sets, setLoads := closure(loads)
			for i, s := range sets {
				carry[s] = max(carry[s], setLoads[i])
			}
		}
		for _, s := range slices.Sorted(maps.Keys(carry)) {
			need(s, math.Floor(carry[s])+1, always)
		}
		for k := range m.Tiers {
			level := p.Requirement.Levels[k].Response
			s := takers(workClass{tier: k})
			if level <= 0 || s.empty() {
				continue
			}
			target := m.Tiers[k].Response
			var rate, load, abandon float64
			for _, c := range work(p.window(k, from, to)) {
				if c.tier <= k && takers(c).within(s) {
					rate += c.rate
					load += c.rate * c.work
					if pat := m.Tiers[c.tier].Patience; pat != nil && c.level == 0 {
						abandon += c.rate / pat.Mean().Hours()
					}
				}
			}
			if rate <= 0 || load <= 0 {
				continue
			}
			room := -1
			if m.Tiers[k].Blocking {
				room = m.Tiers[k].QueueCapacity
			}
			n, err := serversFor(rate, rate/load, abandon/rate, room, target.Hours(), level)
			if err != nil {
				continue // an absurd load: the search will find out
			}
			need(s, float64(n), func(t int) bool {
				delay := m.Teams[t].OnCallDelay
				return delay == nil || delay.Mean() < target
			})
		}
		d.byHour[h] = max(d.byHour[h], d.peak[j])
		seen[string(key)] = [2]float64{d.load[j], d.peak[j]}
	}
	return d, nil
}

// serversFor is the smallest number of agents that answer a share level
// of tickets within t hours, arriving at rate an hour with work of mean
// 1/mu hours: Erlang C's (queueing.ServersFor); for a line with room for
// room tickets (room >= 0), that of the M/M/c/K queue with K = c + room
// (Erlang B when room is 0), the share of all tickets admitted and
// answered within t, as the simulation counts a blocked ticket as missed;
// or when tickets hang up at rate abandon an hour each while they wait,
// Erlang A's — the share of all tickets answered within t
// (queueing.MMcM.AnsweredWithin), as the simulation counts a ticket that
// hangs up as missed. A finite line whose tickets hang up is taken as
// M/M/c/K: leaving only shortens the waits, so it asks a little more.
func serversFor(rate, mu, abandon float64, room int, t, level float64) (int, error) {
	if abandon <= 0 && room < 0 {
		return queueing.ServersFor(rate, mu, t, level)
	}
	meets := func(c int) (bool, error) {
		v := queueing.MMcM{Servers: c, ArrivalRate: rate, ServiceRate: mu, AbandonRate: abandon}.AnsweredWithin(t)
		if room >= 0 {
			q := queueing.MMcK{Servers: c, Capacity: c + room, ArrivalRate: rate, ServiceRate: mu}
			v = (1 - q.Blocking()) * q.WaitAtMost(t)
		}
		if math.IsNaN(v) {
			return false, queueing.ErrInvalid
		}
		return v >= level, nil
	}
	// The share grows with the agents: double to a staffing that meets
	// the level, then halve the gap to the least that does.
	lo, hi := 0, 1
	for {
		ok, err := meets(hi)
		if err != nil {
			return 0, err
		}
		if ok {
			break
		}
		if hi > math.MaxInt32/2 {
			return 0, queueing.ErrInvalid
		}
		lo, hi = hi, 2*hi
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := meets(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

// appendFloats appends the bits of xs to a key.
func appendFloats(key []byte, xs ...float64) []byte {
	for _, x := range xs {
		key = binary.LittleEndian.AppendUint64(key, math.Float64bits(x))
	}
	return key
}

// closure returns the load that only each set of teams may take: for each
// set that takes some work, and each union of such sets (as many as
// maxTeamSets allows), the load of the work whose takers all lie in it.
// The sets come in a fixed order, so that the covering is the same from
// run to run.
func closure(loads map[teamSet]float64) ([]teamSet, []float64) {
	sets := make([]teamSet, 0, len(loads))
	for s := range loads {
		sets = append(sets, s)
	}
	slices.Sort(sets)
	seen := make(map[teamSet]bool, len(sets))
	for _, s := range sets {
		seen[s] = true
	}
	for i := 0; i < len(sets) && len(sets) < maxTeamSets; i++ {
		for j := 0; j < i && len(sets) < maxTeamSets; j++ {
			if u := sets[i].union(sets[j]); !seen[u] {
				seen[u] = true
				sets = append(sets, u)
			}
		}
	}
	given := len(loads)
	out := make([]float64, len(sets))
	for k, u := range sets {
		for _, s := range sets[:given] {
			if s.within(u) {
				out[k] += loads[s]
			}
		}
	}
	return sets, out
}

// grid returns rows × cols zeros.
func grid(rows, cols int) [][]float64 {
	g := make([][]float64, rows)
	for i := range g {
		g[i] = make([]float64, cols)
	}
	return g
}

// slotLength is the length of the analytic start's slots: a quarter hour,
// the finest interval staffing is given by, so that shifts starting on
// the half hour cover whole slots.
const slotLength = 15 * time.Minute

// slot returns the simulation times of slot j, a quarter hour of the
// measured window (the last one cut at the window's end).
func (p *Problem) slot(j int) (from, to time.Duration) {
	m := p.Model
	from = m.WarmUp + time.Duration(j)*slotLength
	return from, min(from+slotLength, m.WarmUp+m.Horizon)
}

// coveringOf is the covering of a demand by the posts. Each post costs its
// cost a week; a post on call also the work it would do at its team's
// rate for work on call: in each slot, the load over the peak need (at
// most 1) of the hours it covers.
func (p *Problem) coveringOf(d *demand) *covering {
	c := &covering{cost: make([]float64, len(p.Posts)), min: make([]int, len(p.Posts)), max: make([]int, len(p.Posts)), rows: d.rows}
	weeks := p.Model.Horizon.Hours() / sim.Week.Hours()
	for i, q := range p.Posts {
		c.cost[i], c.min[i], c.max[i] = p.weight(i), q.Min, q.Max
		if !q.OnCall || q.Team >= len(p.CallOuts) {
			continue
		}
		var busy float64
		for j, v := range d.cover[i] {
			if v > 0 && d.peak[j] > 0 {
				busy += v * min(1, d.load[j]/d.peak[j])
			}
		}
		c.cost[i] += p.CallOuts[q.Team].Work * busy / weeks
	}
	return c
}

// stabilise adds agents to x until the staffing leaves no work to nobody
// and overloads no team over the measured window (see unstable): each
// time the agent that closes most of the gap per unit of cost.
func (p *Problem) stabilise(x []int) []int {
	gap := unstable(p.Staffed(x))
	for gap > 0 {
		best, bestScore, bestGap := -1, 0.0, gap
		for i, q := range p.Posts {
			if q.Max > 0 && x[i] >= q.Max {
				continue
			}
			x[i]++
			g := unstable(p.Staffed(x))
			x[i]--
			if score := (gap - g) / p.weight(i); g < gap && score > bestScore {
				best, bestScore, bestGap = i, score, g
			}
		}
		if best < 0 {
			return x // no agent helps: the search will say so
		}
		x[best]++
		gap = bestGap
	}
	return x
}

// window returns the end of the time over which the analytic start
// averages tier k's arrivals for slot [from, to): the slot itself, as the
// stationary period-by-period approximation does, or for a response target
// longer than an hour, the target from the slot's start: a queue that may
// wait that long carries a peak's work into the quieter hours after it.
// A slot's window never reaches into the next slot for a shorter target,
// so that shifts meeting at a slot's edge are not asked for the next
// slot's work.
func (p *Problem) window(k int, from, to time.Duration) time.Duration {
	if target := p.Model.Tiers[k].Response; target > time.Hour {
		return from + target
	}
	return to
}

// classes lists the work for people arriving over [from, end(tier)): for
// each tier and each level its tickets reach, the tickets per hour at that
// level and their mean work (the follow-up after pending counted at L1).
func (p *Problem) classes(from time.Duration, end func(tier int) time.Duration) []workClass {
	m := p.Model
	var out []workClass
	for i := range m.Tiers {
		t := &m.Tiers[i]
		to := end(i)
		r := meanRate(t.Arrivals, m.WeekOffset-m.WarmUp, from, to)
		for _, b := range m.Bursts {
			if b.Tier == i {
				r += b.PerWeek / sim.Week.Hours() * max(b.MeanSize, 1)
			}
		}
		r *= 1 - t.Deflected
		if n := t.UpdatesPerTicket(); n > 0 && r > 0 {
			// Every open ticket is updated, those automation resolves too.
			out = append(out, workClass{tier: i, level: m.UpdatesLevel(), rate: r * n, work: t.Updates.Handling.Mean().Hours()})
		}
		// Tickets automation resolves need no agent.
		r *= 1 - t.Automation.Eligible*t.Automation.Success
		if r <= 0 {
			continue
		}
		work := t.Handling.Mean().Hours()
		if t.Pending.Probability > 0 {
			work += t.Pending.Probability * t.Pending.FollowUp.Mean().Hours()
		}
		out = append(out, workClass{tier: i, level: 0, rate: r, work: work})
		reached := r
		for l, e := range t.Escalation {
			if e.Independent {
				reached = r
			}
			if reached *= e.Probability; reached > 0 {
				out = append(out, workClass{tier: i, level: l + 1, rate: reached, work: e.Handling.Mean().Hours()})
			}
		}
	}
	return out
}

// takes reports whether team t of m takes the work of class c: its tier
// at its level, or its updates.
func takes(m *sim.Model, t int, c workClass) bool {
	if c.level == m.UpdatesLevel() {
		return m.Tiers[c.tier].Updates.DoneBy(&m.Teams[t], t, c.tier)
	}
	return m.Teams[t].Takes(c.tier, c.level)
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
