package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing"
	"github.com/slasim/slasim/staffing/sizing"
)

// The sizing section: what `slasim size` needs beyond the scenario — the
// requirement, what an agent-hour costs, and bounds on head counts. It is
// optional; without it, sizing asks for 95% on every clock and counts cost
// in agent-hours.

type rawSizing struct {
	Self       value               `yaml:"-"`
	Level      value               `yaml:"level" default:"95%"`
	Confidence value               `yaml:"confidence" default:"95%"`
	PeriodsMet value               `yaml:"periods_met"`
	Tiers      list[rawSizingTier] `yaml:"tiers"`
	Cost       value               `yaml:"cost" default:"1"`
	OnCallCost value               `yaml:"on_call_cost"`
	OnCallWork value               `yaml:"on_call_work_cost"`
	CallOutFee value               `yaml:"call_out_fee" default:"0"`
	Min        value               `yaml:"min" default:"0"`
	Max        value               `yaml:"max"`
	Teams      list[rawSizingTeam] `yaml:"teams"`
}

type rawSizingTier struct {
	Self       value `yaml:"-"`
	Tier       value `yaml:"tier"`
	Response   value `yaml:"response"`
	Resolution value `yaml:"resolution"`
}

type rawSizingTeam struct {
	Self       value                `yaml:"-"`
	Team       value                `yaml:"team"`
	Cost       value                `yaml:"cost"`
	OnCallCost value                `yaml:"on_call_cost"`
	OnCallWork value                `yaml:"on_call_work_cost"`
	CallOutFee value                `yaml:"call_out_fee"`
	Shifts     list[rawSizingShift] `yaml:"shifts"`
}

type rawSizingShift struct {
	Self value `yaml:"-"`
	Min  value `yaml:"min"`
	Max  value `yaml:"max"`
}

// Sizing is the scenario's sizing section with every default resolved: a
// level per tier and clock, and a cost and bounds for every shift.
type Sizing struct {
	// Levels holds each tier's response and resolution levels; 0 leaves a
	// clock unchecked. Confidence is the level of the interval whose lower
	// end must reach them.
	Levels     []contract.Levels
	Confidence float64
	// PeriodsMet, with a contract, is the share of its reporting periods
	// in which every contractual level must be met; 0 asks nothing.
	PeriodsMet float64
	// Cost and OnCallCost are the costs of an agent-hour at work and on
	// call: of agents, or per team, in the order of Scenario.Teams.
	Cost, OnCallCost []float64
	// OnCallWork is the cost of an agent-hour worked on call, paid on top
	// of the hour on call, and CallOutFee that of each call-out, per team.
	OnCallWork, CallOutFee []float64
	// Bounds are the head-count bounds: of agents, or per team and shift,
	// in the order of each team's Schedule.Shifts. A Max of 0 is no bound.
	Bounds [][]Bounds
}

// Bounds bound a head count: Min <= n <= Max, or no upper bound if Max is 0.
type Bounds struct{ Min, Max int }

// sizing reads the sizing section. It needs the tiers and the staff read.
func (d *decoder) sizing(r *rawSizing, s *Scenario) Sizing {
	var z Sizing
	level, _ := d.probability(r.Level, false, true)
	z.Confidence, _ = d.probability(r.Confidence, true, true)
	if z.Confidence > 0 && z.Confidence < 0.5 {
		d.errorf(r.Confidence, "must be at least 50%%, such as 95%%: the lower end of a narrower interval promises little, got %s", r.Confidence.node.Value)
	}
	if r.PeriodsMet.node != nil {
		if s.Contract == nil {
			d.errorf(r.PeriodsMet, "needs a contract: it is the share of the contract's periods that meet its levels; give a contract section, or remove periods_met")
		} else {
			z.PeriodsMet, _ = d.probability(r.PeriodsMet, true, true)
		}
	}
	z.Levels = make([]contract.Levels, len(s.Tiers))
	for i := range z.Levels {
		z.Levels[i] = contract.Levels{Response: level, Resolution: level}
	}
	seen := make(map[int]int)
	for i := range r.Tiers.Items {
		rt := &r.Tiers.Items[i]
		k, ok := d.tierEntry(rt.Self, rt.Tier, i, seen, s.Tiers, "sizing.tiers", "levels")
		if !ok {
			continue
		}
		if rt.Response.node == nil && rt.Resolution.node == nil {
			d.errorf(rt.Self, "give response or resolution levels for %s, such as response: 99%%; 0 leaves a clock unchecked", s.Tiers[k].Name)
		}
		if rt.Response.node != nil {
			z.Levels[k].Response, _ = d.probability(rt.Response, false, true)
		}
		if rt.Resolution.node != nil {
			z.Levels[k].Resolution, _ = d.probability(rt.Resolution, false, true)
		}
	}
	cost, _ := d.cost(r.Cost, "agent-hour")
	onCall := cost
	if r.OnCallCost.node != nil {
		onCall, _ = d.cost(r.OnCallCost, "agent-hour")
	}
	work, workGiven := cost, r.OnCallWork.node != nil
	if workGiven {
		work, _ = d.cost(r.OnCallWork, "agent-hour")
	}
	fee, _ := d.cost(r.CallOutFee, "call-out")
	bounds, _ := d.bounds(r.Min, r.Max, Bounds{})
	if len(s.Teams) == 0 {
		if r.Teams.Self.node != nil && len(r.Teams.Items) > 0 {
			d.errorf(r.Teams.Self, "names teams, but the scenario has agents instead: give their cost and bounds with sizing.cost, sizing.min and sizing.max")
		}
		z.Cost, z.OnCallCost = []float64{cost}, []float64{onCall}
		z.OnCallWork, z.CallOutFee = []float64{work}, []float64{fee}
		z.Bounds = [][]Bounds{{bounds}}
		return z
	}
	z.Cost = make([]float64, len(s.Teams))
	z.OnCallCost = make([]float64, len(s.Teams))
	z.OnCallWork = make([]float64, len(s.Teams))
	z.CallOutFee = make([]float64, len(s.Teams))
	z.Bounds = make([][]Bounds, len(s.Teams))
	for i, t := range s.Teams {
		z.Cost[i], z.OnCallCost[i], z.OnCallWork[i], z.CallOutFee[i] = cost, onCall, work, fee
		z.Bounds[i] = make([]Bounds, len(t.Schedule.Shifts))
		for j := range z.Bounds[i] {
			z.Bounds[i][j] = bounds
		}
	}
	names := make([]string, len(s.Teams))
	for i, t := range s.Teams {
		names[i] = t.Name
	}
	seenTeam := make(map[int]int)
	for i := range r.Teams.Items {
		rt := &r.Teams.Items[i]
		if !isMapping(rt.Self) || !d.required(rt.Team, "name the team, such as team: service desk") {
			continue
		}
		name, ok := d.text(rt.Team)
		k := -1
		for j, n := range names {
			if n == name {
				k = j
			}
		}
		switch {
		case !ok:
			continue
		case k < 0:
			d.errorf(rt.Team, "no team named %q%s", name, suggestion(name, names))
			continue
		}
		if j, dup := seenTeam[k]; dup {
			d.errorf(rt.Team, "repeats team %s of sizing.teams[%d]; give each team once", name, j)
			continue
		}
		seenTeam[k] = i
		if rt.Cost.node != nil {
			z.Cost[k], _ = d.cost(rt.Cost, "agent-hour")
			z.OnCallCost[k] = z.Cost[k]
		}
		if rt.OnCallCost.node != nil {
			z.OnCallCost[k], _ = d.cost(rt.OnCallCost, "agent-hour")
		} else if r.OnCallCost.node != nil && rt.Cost.node == nil {
			z.OnCallCost[k] = onCall
		}
		// Work on call is paid at the team's working rate unless a rate
		// for it is given, the team's or the section's.
		switch {
		case rt.OnCallWork.node != nil:
			z.OnCallWork[k], _ = d.cost(rt.OnCallWork, "agent-hour")
		case !workGiven:
			z.OnCallWork[k] = z.Cost[k]
		}
		if rt.CallOutFee.node != nil {
			z.CallOutFee[k], _ = d.cost(rt.CallOutFee, "call-out")
		}
		shifts := rt.Shifts.Items
		if rt.Shifts.Self.node == nil {
			continue
		}
		if n := len(s.Teams[k].Schedule.Shifts); len(shifts) != n {
			d.errorf(rt.Shifts.Self, "has %d items for the %d shifts of team %s; give one per shift, in the same order ({} leaves a shift with the default bounds)", len(shifts), n, name)
			continue
		}
		for j := range shifts {
			rs := &shifts[j]
			if isMapping(rs.Self) {
				z.Bounds[k][j], _ = d.bounds(rs.Min, rs.Max, bounds)
			}
		}
	}
	return z
}

// cost reads the cost of one unit, such as an agent-hour: a number from 0
// to 1e9.
func (d *decoder) cost(v value, unit string) (float64, bool) {
	c, ok := d.number(v)
	if ok && (c < 0 || c > 1e9) {
		d.errorf(v, "must be a cost per %s from 0 to 1e9, got %s", unit, v.node.Value)
		return 0, false
	}
	return c, ok
}

// bounds reads a minimum and a maximum head count, each defaulting to def's.
func (d *decoder) bounds(minV, maxV value, def Bounds) (Bounds, bool) {
	b, ok := def, true
	if minV.node != nil {
		n, good := d.integer(minV, 0, maxAgents)
		b.Min, ok = int(n), good
	}
	if maxV.node != nil {
		n, good := d.integer(maxV, 1, maxAgents)
		b.Max, ok = int(n), ok && good
		if good && b.Max < b.Min {
			d.errorf(maxV, "must be at least min (%d), got %d", b.Min, b.Max)
			return def, false
		}
	}
	return b, ok
}

// SizingProblem returns the sizing problem the scenario poses: a post for
// agents, or one for each shift of each team, with its cost and bounds;
// the requirement of the sizing section; the model with everything else,
// including interval staffing, which sizing keeps as it is and counts at
// its team's cost; and with a contract, its assessor (expected credits,
// and the share of periods meeting their levels when periods_met asks).
// Each post's Agents is the scenario's head count.
func (s *Scenario) SizingProblem() (*sizing.Problem, error) {
	z := &s.Sizing
	req := sizing.Requirement{Levels: z.Levels, Confidence: z.Confidence}
	var p *sizing.Problem
	if len(s.Teams) == 0 {
		b := z.Bounds[0][0]
		p = sizing.Pool(s.Model(), z.Cost[0], b.Min, b.Max, req)
		p.Posts[0].Path = "agents"
	} else {
		p = s.shiftPosts(req)
	}
	plan, err := s.ContractPlan(p.Model)
	if err != nil || plan == nil {
		return p, err
	}
	if p.Assessor, err = sizing.ContractAssessor(plan, z.PeriodsMet); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	return p, nil
}

// shiftPosts is the sizing problem of a scenario with teams: a post per
// shift.
func (s *Scenario) shiftPosts(req sizing.Requirement) *sizing.Problem {
	z := &s.Sizing
	// The model without the shifts: what remains is fixed staffing.
	fixed := *s
	fixed.Teams = make([]Team, len(s.Teams))
	for i, t := range s.Teams {
		t.Schedule.Shifts = nil
		fixed.Teams[i] = t
	}
	m := fixed.Model()
	p := &sizing.Problem{Model: m, Requirement: req, CallOuts: make([]sizing.CallOutCost, len(s.Teams))}
	for i := range s.Teams {
		p.CallOuts[i] = sizing.CallOutCost{Work: z.OnCallWork[i], Fee: z.CallOutFee[i]}
	}
	clock, end := s.Epoch(), s.End()
	for i, t := range s.Teams {
		mt := &m.Teams[i]
		p.FixedCost += sizing.WeeklyHours(mt.OnSite, m)*z.Cost[i] + sizing.WeeklyHours(mt.OnCall, m)*z.OnCallCost[i]
		for j, sh := range t.Schedule.Shifts {
			one := sh
			one.Agents = 1
			onSite, onCall := (&staffing.Schedule{Shifts: []staffing.Shift{one}}).Timelines(clock, end)
			post := sizing.Post{
				Name: t.Name + ": " + describeShift(&sh), Path: fmt.Sprintf("teams[%d].shifts[%d].agents", i, j),
				Team: i, OnCall: sh.OnCall, Unit: onSite,
				Min: z.Bounds[i][j].Min, Max: z.Bounds[i][j].Max, Cost: z.Cost[i], Agents: sh.Agents,
			}
			if sh.OnCall {
				post.Unit, post.Cost = onCall, z.OnCallCost[i]
			}
			p.Posts = append(p.Posts, post)
		}
	}
	return p
}

// describeShift writes a shift the way a rota does: "mon-fri 08:00-20:00",
// "sat,sun 00:00-24:00 on call"; days with different hours are listed
// group by group.
func describeShift(sh *staffing.Shift) string {
	// Monday first, as rotas are written.
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	var groups []string
	for i := 0; i < len(order); {
		spans := sh.Days[order[i]]
		j := i + 1
		for j < len(order) && slices.Equal(sh.Days[order[j]], spans) {
			j++
		}
		if len(spans) > 0 {
			days := dayName(order[i])
			if j-i > 1 {
				days += "-" + dayName(order[j-1])
			}
			hours := make([]string, len(spans))
			for k, sp := range spans {
				hours[k] = sp.String()
			}
			groups = append(groups, days+" "+strings.Join(hours, ","))
		}
		i = j
	}
	out := strings.Join(groups, ", ")
	if out == "" {
		out = "no hours"
	}
	if sh.OnCall {
		out += " on call"
	}
	return out
}

func dayName(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }
