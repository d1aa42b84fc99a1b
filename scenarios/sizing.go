package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/sim"
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
	Shifts     list[rawOffer]      `yaml:"shifts"`
	Risk       rawRisk             `yaml:"risk"`
}

// rawRisk bounds a contract's risks.
type rawRisk struct {
	Self         value `yaml:"-"`
	Termination  value `yaml:"termination"`
	OverFund     value `yaml:"over_fund"`
	PeriodMissed value `yaml:"period_missed"`
}

// rawOffer offers shifts for sizing to choose from: every start of a grid,
// with each length, on each set of days.
type rawOffer struct {
	Self       value `yaml:"-"`
	Team       value `yaml:"team"`
	Days       value `yaml:"days" default:"all"`
	Starts     value `yaml:"starts"`
	Every      value `yaml:"every" default:"1h"`
	Lengths    value `yaml:"lengths"`
	OnCall     value `yaml:"on_call" default:"false"`
	OnHolidays value `yaml:"on_holidays" default:"false"`
	Max        value `yaml:"max"`
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
	Intervals  rawSizingIntervals   `yaml:"intervals"`
}

// rawSizingIntervals says how to size a team's interval staffing.
type rawSizingIntervals struct {
	Self  value `yaml:"-"`
	Min   value `yaml:"min"`
	Max   value `yaml:"max"`
	Block value `yaml:"block" default:"4h"`
	Keep  value `yaml:"keep" default:"false"`
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
	// end must reach them. Level is sizing.level, the level of every
	// clock sizing.tiers does not set (slasim promise's level on named
	// clocks).
	Levels     []contract.Levels
	Level      float64
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
	// Offered are the shifts sizing may staff besides the teams' own
	// (sizing.shifts), in the order offered.
	Offered []Offered
	// Intervals says, per team, how its interval staffing is sized
	// (sizing.teams[].intervals); nil without teams.
	Intervals []IntervalSizing
	// Risk bounds the contract's risks (sizing.risk).
	Risk sizing.Risk
}

// An Offered shift is one sizing may staff though the scenario does not:
// one of the candidates of sizing.shifts, for team Team (an index into
// Scenario.Teams), with at most Max agents (0: no bound). Days are its
// days as the file writes them, for the sized scenario.
type Offered struct {
	Team  int
	Shift staffing.Shift
	Days  string
	Max   int
}

// same reports whether sh works the hours o works, on site or on call
// as o is, on holidays or not.
func (o *Offered) same(sh staffing.Shift) bool {
	if sh.OnCall != o.Shift.OnCall || (sh.Holidays == nil) != (o.Shift.Holidays == nil) {
		return false
	}
	for d := range sh.Days {
		if !slices.Equal(sh.Days[d], o.Shift.Days[d]) {
			return false
		}
	}
	return true
}

// defaultBlock is the time by which the simulation search moves interval
// staffing, unless sizing.teams[].intervals.block says otherwise.
const defaultBlock = 4 * time.Hour

// maxOffered bounds the shifts sizing.shifts offers, all entries
// together: each is a column of the analytic start's covering.
const maxOffered = 500

// offered reads sizing.shifts: the shifts sizing may staff besides the
// teams' own, every start of each entry's grid with each of its lengths
// on each of its sets of days. A shift the team has already, or one
// offered before, is not offered again.
func (d *decoder) offered(l *list[rawOffer], s *Scenario) []Offered {
	if len(l.Items) == 0 {
		return nil
	}
	if len(s.Teams) == 0 {
		d.errorf(l.Self, "offers shifts, but the scenario has agents around the clock instead of teams: give teams with their shifts to offer others")
		return nil
	}
	var out []Offered
	for i := range l.Items {
		r := &l.Items[i]
		k, _ := d.teamNamed(s, r.Self, r.Team, "name the team the shifts are for, such as team: service desk")
		if k < 0 {
			continue
		}
		days, daysOK := d.daySets(r.Days)
		starts, startsOK := d.starts(r.Starts, r.Every)
		lengths, lengthsOK := d.lengths(r.Lengths)
		onCall, callOK := d.boolean(r.OnCall)
		onHolidays, holidaysOK := d.boolean(r.OnHolidays)
		var most int64
		maxOK := true
		if r.Max.node != nil {
			most, maxOK = d.integer(r.Max, 1, maxAgents)
		}
		if !daysOK || !startsOK || !lengthsOK || !callOK || !holidaysOK || !maxOK {
			continue
		}
		if n := len(out) + len(days)*len(starts)*len(lengths); n > maxOffered {
			d.limitf(r.Self.node, r.Self.path, "offers %d shifts with those before it, at most %d: use a coarser grid (every), fewer lengths or fewer sets of days", n, maxOffered)
			return nil
		}
		week := s.Teams[k].week
		if onHolidays {
			week.Holidays = nil
		}
		for _, ds := range days {
			for _, start := range starts {
				for _, length := range lengths {
					o := Offered{Team: k, Days: ds.text, Max: int(most), Shift: staffing.Shift{Week: week, OnCall: onCall}}
					o.Shift.Days = [7][]staffing.Span{}
					o.Shift.Add(ds.days, staffing.Span{From: start, To: (start + length) % (24 * time.Hour)})
					if slices.ContainsFunc(s.Teams[k].Schedule.Shifts, o.same) ||
						slices.ContainsFunc(out, func(p Offered) bool { return p.Team == k && o.same(p.Shift) }) {
						continue
					}
					out = append(out, o)
				}
			}
		}
	}
	return out
}

// A daySet is a set of weekdays and the text that gave it.
type daySet struct {
	days staffing.Days
	text string
}

// daySets reads a set of days, such as mon-fri, or a list of them.
func (d *decoder) daySets(v value) ([]daySet, bool) {
	vs := []value{v}
	if v.node != nil && v.node.Kind == yaml.SequenceNode {
		var ok bool
		if vs, ok = d.items(v, "sets of days", "[mon-fri, weekend]"); !ok {
			return nil, false
		}
		if len(vs) == 0 {
			d.errorf(v, "must not be empty; give sets of days such as [mon-fri, weekend]")
			return nil, false
		}
	}
	var out []daySet
	for _, e := range vs {
		text, ok := d.text(e)
		if !ok {
			return nil, false
		}
		days, err := staffing.ParseDays(text)
		if err != nil {
			d.errorf(e, "%v", err)
			return nil, false
		}
		out = append(out, daySet{days, text})
	}
	return out, true
}

// starts reads the start times of offered shifts: "06:00-14:00", every
// start from 06:00 to 14:00 a step of every apart (past midnight if the
// last is earlier than the first), or a single time, "22:00".
func (d *decoder) starts(v, every value) ([]time.Duration, bool) {
	if !d.required(v, `give the start times, such as starts: "06:00-14:00" (06:00 to 14:00, a step of every apart) or starts: "22:00"`) {
		return nil, false
	}
	n, ok := d.scalar(v, `start times such as "06:00-14:00"`)
	if !ok {
		return nil, false
	}
	text := n.Value
	if !strings.Contains(text, "-") {
		text += "-" + text
	}
	span, err := staffing.ParseSpan(text)
	if err != nil {
		d.errorf(v, "%v", err)
		return nil, false
	}
	step, ok := d.duration(every, false)
	if !ok {
		return nil, false
	}
	if step < time.Minute || step > 24*time.Hour || step%time.Minute != 0 {
		d.errorf(every, "must be whole minutes from 1m to 24h, such as 30m, got %s", every.node.Value)
		return nil, false
	}
	const day = 24 * time.Hour
	width := (span.To - span.From + day) % day
	var out []time.Duration
	for t := time.Duration(0); t <= width; t += step {
		out = append(out, (span.From+t)%day)
	}
	return out, true
}

// lengths reads the lengths of offered shifts: a duration up to 24h, or a
// list of them.
func (d *decoder) lengths(v value) ([]time.Duration, bool) {
	if !d.required(v, "give the shifts' lengths, such as lengths: [8h, 12h]") {
		return nil, false
	}
	vs := []value{v}
	if v.node.Kind == yaml.SequenceNode {
		var ok bool
		if vs, ok = d.items(v, "lengths", "[8h, 12h]"); !ok {
			return nil, false
		}
		if len(vs) == 0 {
			d.errorf(v, "must not be empty; give lengths such as [8h, 12h]")
			return nil, false
		}
	}
	var out []time.Duration
	for _, e := range vs {
		l, ok := d.duration(e, false)
		if !ok {
			return nil, false
		}
		if l < time.Minute || l > 24*time.Hour || l%time.Minute != 0 {
			d.errorf(e, "must be whole minutes from 1m to 24h, got %s", e.node.Value)
			return nil, false
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, true
}

// Bounds bound a head count: Min <= n <= Max, or no upper bound if Max is 0.
type Bounds struct{ Min, Max int }

// IntervalSizing says how a team's interval staffing is sized: each
// interval's head count within Bounds, moved by the simulation search
// Block at a time; or, with Keep, not at all (kept as given and costed).
type IntervalSizing struct {
	Bounds
	Block time.Duration
	Keep  bool
}

// intervalSizing reads sizing.teams[].intervals over the defaults def.
func (d *decoder) intervalSizing(r *rawSizingIntervals, def IntervalSizing) IntervalSizing {
	z := def
	if r.Self.node == nil || isNull(r.Self.node) || !isMapping(r.Self) {
		return z
	}
	z.Bounds, _ = d.bounds(r.Min, r.Max, def.Bounds)
	z.Keep, _ = d.boolean(r.Keep)
	if block, ok := d.duration(r.Block, false); ok {
		if block < 15*time.Minute || block > 24*time.Hour || block%(15*time.Minute) != 0 {
			d.errorf(r.Block, "must be quarter hours from 15m to 24h, such as 4h, got %s", r.Block.node.Value)
		} else {
			z.Block = block
		}
	}
	return z
}

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
	d.risk(&r.Risk, s, &z)
	z.Level = level
	z.Levels = make([]contract.Levels, len(s.Tiers))
	for i, t := range s.Tiers {
		z.Levels[i] = contract.Levels{Response: level}
		if t.Targets.Resolution > 0 {
			z.Levels[i].Resolution = level
		}
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
		switch {
		case rt.Resolution.node != nil && s.Tiers[k].Targets.Resolution == 0:
			d.errorf(rt.Resolution, noResolution)
		case rt.Resolution.node != nil:
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
	z.Offered = d.offered(&r.Shifts, s)
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
	z.Intervals = make([]IntervalSizing, len(s.Teams))
	for i, t := range s.Teams {
		z.Intervals[i] = IntervalSizing{Bounds: Bounds{Max: bounds.Max}, Block: defaultBlock}
		z.Cost[i], z.OnCallCost[i], z.OnCallWork[i], z.CallOutFee[i] = cost, onCall, work, fee
		z.Bounds[i] = make([]Bounds, len(t.Schedule.Shifts))
		for j := range z.Bounds[i] {
			z.Bounds[i][j] = bounds
		}
	}
	seenTeam := make(map[int]int)
	for i := range r.Teams.Items {
		rt := &r.Teams.Items[i]
		k, name := d.teamNamed(s, rt.Self, rt.Team, "name the team, such as team: service desk")
		if k < 0 {
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
		if rt.Intervals.Self.node != nil {
			if len(s.Teams[k].Schedule.Intervals) == 0 {
				d.errorf(rt.Intervals.Self, "says how to size interval staffing, but team %s has none (teams[].intervals)", name)
			}
			z.Intervals[k] = d.intervalSizing(&rt.Intervals, z.Intervals[k])
		}
		shifts := rt.Shifts.Items
		if rt.Shifts.Self.node == nil {
			continue
		}
		if n := len(s.Teams[k].Schedule.Shifts); len(shifts) != n {
			d.errorf(rt.Shifts.Self, "has %d %s for the %d %s of team %s; give one per shift, in the same order ({} leaves a shift with the default bounds)", len(shifts), plural.Of(len(shifts), "item", "items"), n, plural.Of(n, "shift", "shifts"), name)
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

// risk reads sizing.risk: bounds on the probabilities of a contract's
// termination right, of a year's cost over its continuity fund, and of a
// period missing a level (the complement of periods_met).
func (d *decoder) risk(r *rawRisk, s *Scenario, z *Sizing) {
	if r.Self.node == nil {
		return
	}
	if s.Contract == nil {
		d.errorf(r.Self, "needs a contract: it bounds the contract's risks; give a contract section, or remove risk")
		return
	}
	if r.Termination.node != nil {
		z.Risk.Termination, _ = d.probability(r.Termination, true, true)
		terminates := false
		if l := s.Contract.Escalation; l != nil {
			for _, st := range l.Steps {
				terminates = terminates || st.Terminate
			}
		}
		if !terminates {
			d.errorf(r.Termination, "bounds the chance of a termination right, but no step of contract.escalation gives one (terminate: true)")
		}
	}
	if r.OverFund.node != nil {
		z.Risk.OverFund, _ = d.probability(r.OverFund, true, true)
		if s.Contract.Reserve == 0 {
			d.errorf(r.OverFund, "bounds the chance of a year's cost exceeding the continuity fund, but the contract has none: give contract.reserve")
		}
	}
	if r.PeriodMissed.node != nil {
		z.Risk.PeriodMissed, _ = d.probability(r.PeriodMissed, true, true)
	}
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
	if p.Assessor, err = sizing.ContractAssessor(plan, z.PeriodsMet, z.Risk); err != nil {
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
		if z.sizesIntervals(&t, i) {
			t.Schedule.Intervals = nil
		}
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
				Shape: shapeOf(&sh),
			}
			if sh.OnCall {
				post.Unit, post.Cost = onCall, z.OnCallCost[i]
			}
			p.Posts = append(p.Posts, post)
		}
	}
	for i, t := range s.Teams {
		if !z.sizesIntervals(&t, i) {
			continue
		}
		iv := &t.Schedule.Intervals[0]
		b := z.Intervals[i]
		p.Intervals = append(p.Intervals, sizing.Intervals{
			Name: t.Name + ": intervals", Path: fmt.Sprintf("teams[%d].intervals", i), Team: i,
			Length: sim.Week / time.Duration(len(iv.Agents)), Units: iv.Units(clock, end),
			Min: b.Min, Max: b.Max, Cost: z.Cost[i], Agents: iv.Agents,
			Block: max(1, int(b.Block*time.Duration(len(iv.Agents))/sim.Week)),
		})
	}
	for _, o := range z.Offered {
		i, sh := o.Team, o.Shift
		sh.Agents = 1
		onSite, onCall := (&staffing.Schedule{Shifts: []staffing.Shift{sh}}).Timelines(clock, end)
		post := sizing.Post{
			Name: s.Teams[i].Name + ": " + describeShift(&sh), Offered: true,
			Team: i, OnCall: sh.OnCall, Unit: onSite, Max: o.Max, Cost: z.Cost[i], Shape: shapeOf(&sh),
		}
		if sh.OnCall {
			post.Unit, post.Cost = onCall, z.OnCallCost[i]
		}
		p.Posts = append(p.Posts, post)
	}
	return p
}

// sizesIntervals reports whether sizing chooses the head counts of team
// t's interval staffing (team i of the scenario): it has one, and
// sizing.teams does not keep it.
func (z *Sizing) sizesIntervals(t *Team, i int) bool {
	return len(t.Schedule.Intervals) == 1 && i < len(z.Intervals) && !z.Intervals[i].Keep
}

// shapeOf returns the shift's geometry for sizing's moves between
// neighbouring shifts: its days, its one span's start and length (the
// same every day it works) and whether it works on holidays; nil for a
// shift with no hours, different hours on different days, or several
// spans a day.
func shapeOf(sh *staffing.Shift) *sizing.Shape {
	var sp *staffing.Span
	shape := &sizing.Shape{Holidays: sh.Holidays == nil}
	for d, spans := range sh.Days {
		switch {
		case len(spans) == 0:
			continue
		case len(spans) > 1 || sp != nil && spans[0] != *sp:
			return nil
		}
		sp = &spans[0]
		shape.Days[d] = true
	}
	if sp == nil {
		return nil
	}
	shape.Start, shape.Length = sp.From, sp.Length()
	return shape
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

// addShift returns the scenario's text data with the offered shift of post
// q added to its team's shifts, with n agents.
func (s *Scenario) addShift(data []byte, q sizing.Post, n int) ([]byte, error) {
	k := slices.IndexFunc(s.Sizing.Offered, func(o Offered) bool {
		return o.Team == q.Team && s.Teams[o.Team].Name+": "+describeShift(&o.Shift) == q.Name
	})
	if k < 0 {
		return nil, fmt.Errorf("%s: not a shift the scenario offers", q.Name)
	}
	o := &s.Sizing.Offered[k]
	var span staffing.Span
	for _, spans := range o.Shift.Days {
		if len(spans) > 0 {
			span = spans[0]
		}
	}
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
	item := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
		str("days"), str(o.Days), str("hours"), {Kind: yaml.ScalarNode, Value: span.String(), Style: yaml.DoubleQuotedStyle},
		str("agents"), str(strconv.Itoa(n))}}
	if o.Shift.OnCall {
		item.Content = append(item.Content, str("on_call"), str("true"))
	}
	if o.Shift.Holidays == nil && s.Teams[o.Team].week.Holidays != nil {
		item.Content = append(item.Content, str("on_holidays"), str("true"))
	}
	path := fmt.Sprintf("teams[%d].shifts", o.Team)
	return editNode(data, path, func(slot **yaml.Node) error {
		switch l := *slot; {
		case isNull(l):
			*slot = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}
		case l.Kind == yaml.SequenceNode:
			l.Content = append(l.Content, item)
		default:
			return fmt.Errorf("%s: is %s in the scenario, not a list of shifts", path, describe(l))
		}
		return nil
	})
}

// setIntervals returns the scenario's text data with the interval
// staffing at path (teams[i].intervals) replaced by the head counts
// agents, one per interval of the week, written in the scenario.
func setIntervals(data []byte, path string, agents []int) ([]byte, error) {
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
	counts := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, n := range agents {
		counts.Content = append(counts.Content, str(strconv.Itoa(n)))
	}
	return editNode(data, path, func(slot **yaml.Node) error {
		old := *slot
		if old.Kind != yaml.MappingNode {
			return fmt.Errorf("%s: is %s in the scenario, not interval staffing", path, describe(old))
		}
		*slot = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("agents"), counts},
			HeadComment: old.HeadComment, LineComment: old.LineComment, FootComment: old.FootComment}
		return nil
	})
}

// teamNamed reads the team an entry of a section names: its index among
// s's teams, and its name; -1 when the entry names no team of s, which is
// then reported (need says how to name one when the name is missing).
func (d *decoder) teamNamed(s *Scenario, self, team value, need string) (int, string) {
	if !isMapping(self) || !d.required(team, need) {
		return -1, ""
	}
	name, ok := d.text(team)
	if !ok {
		return -1, name
	}
	names := make([]string, len(s.Teams))
	for i, t := range s.Teams {
		names[i] = t.Name
	}
	k := slices.Index(names, name)
	if k < 0 {
		d.errorf(team, "no team named %q%s", name, suggestion(name, names))
	}
	return k, name
}
