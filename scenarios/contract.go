package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// The contract section: what the client pays, the attainment levels
// promised per period, and the rules that turn breaches into credits and
// costs (package sim/contract defines them). It is optional; without it a
// run reports no money.

type rawContract struct {
	Self       value                 `yaml:"-"`
	Currency   value                 `yaml:"currency"`
	Fee        rawFee                `yaml:"fee"`
	Period     value                 `yaml:"period" default:"month"`
	Term       value                 `yaml:"term" default:"12"`
	Tiers      list[rawContractTier] `yaml:"tiers"`
	PerBreach  rawPerBreach          `yaml:"per_breach"`
	Lateness   rawLateness           `yaml:"lateness"`
	Outage     rawOutage             `yaml:"outage"`
	Attainment rawAttainmentCredit   `yaml:"attainment"`
	Escalation rawLadder             `yaml:"escalation"`
	Cap        value                 `yaml:"cap"`
	Reserve    value                 `yaml:"reserve"`
}

type rawFee struct {
	Self      value `yaml:"-"`
	Monthly   value `yaml:"monthly" default:"0"`
	PerTicket value `yaml:"per_ticket" default:"0"`
}

type rawContractTier struct {
	Self          value `yaml:"-"`
	Tier          value `yaml:"tier"`
	Response      value `yaml:"response"`
	Resolution    value `yaml:"resolution"`
	Clocks        value `yaml:"clocks"`
	PerBreach     value `yaml:"per_breach" default:"0"`
	Lateness      value `yaml:"lateness" default:"0"`
	LatenessCap   value `yaml:"lateness_cap"`
	Outage        value `yaml:"outage"`
	Attainment    value `yaml:"attainment" default:"0"`
	AttainmentMax value `yaml:"attainment_max"`
}

type rawPerBreach struct {
	Self  value `yaml:"-"`
	Clock value `yaml:"clock" default:"either"`
}

type rawLateness struct {
	Self  value `yaml:"-"`
	Clock value `yaml:"clock" default:"resolution"`
	Step  value `yaml:"step"`
}

type rawOutage struct {
	Self     value `yaml:"-"`
	Clock    value `yaml:"clock" default:"resolution"`
	Duration value `yaml:"duration" default:"late"`
}

type rawAttainmentCredit struct {
	Self value `yaml:"-"`
	Step value `yaml:"step" default:"0"`
}

type rawLadder struct {
	Self   value               `yaml:"-"`
	Per    value               `yaml:"per" default:"contract"`
	Counts value               `yaml:"counts" default:"missed_period"`
	Tiers  value               `yaml:"tiers"`
	Clock  value               `yaml:"clock" default:"either"`
	Steps  list[rawLadderStep] `yaml:"steps"`
}

type rawLadderStep struct {
	Self      value `yaml:"-"`
	Action    value `yaml:"action"`
	Cost      value `yaml:"cost" default:"0"`
	Credit    value `yaml:"credit" default:"0"`
	Terminate value `yaml:"terminate" default:"false"`
}

// Bounds on contract figures: far beyond any real contract, they stop a
// typo from making nonsense (a credit of 2e9 times the fee).
const (
	maxAmount = 1e15 // a fee or a cost, in the currency
	maxCredit = 100  // a credit, as a share of the fee: 10000%
	maxTerm   = 1200 // periods: a century of months
)

// contract reads the contract section; nil when there is none. It needs
// the simulation and the tiers read.
func (d *decoder) contract(r *rawContract, s *Scenario) *contract.Contract {
	if r.Self.node == nil || isNull(r.Self.node) || r.Self.node.Kind != yaml.MappingNode {
		return nil // absent, empty, or already reported as not a mapping
	}
	c := &contract.Contract{}
	d.clockNames = clockNames(s.Tiers)
	c.Clocks = d.clockNames
	d.unresolved = make([]bool, len(s.Tiers))
	for i, t := range s.Tiers {
		d.unresolved[i] = t.Targets.Resolution == 0
	}
	c.Currency, _ = d.text(r.Currency)
	var okMonthly, okTicket bool
	c.Fee.Monthly, okMonthly = d.amount(r.Fee.Monthly)
	c.Fee.PerTicket, okTicket = d.amount(r.Fee.PerTicket)
	if okMonthly && okTicket && c.Fee.Monthly == 0 && c.Fee.PerTicket == 0 &&
		d.required(r.Fee.Self, "a contract needs a fee, monthly or per ticket, such as fee: {monthly: 250000}") {
		d.errorf(r.Fee.Self, "needs a monthly or a per-ticket fee > 0: credits are shares of the fee")
	}
	switch period, _ := d.text(r.Period); period {
	case "month":
		c.PeriodMonths = 1
	case "quarter":
		c.PeriodMonths = 3
	default:
		d.errorf(r.Period, "must be month or quarter, got %s%s", period, didYouMean(period, []string{"month", "quarter"}))
	}
	n, _ := d.integer(r.Term, 1, maxTerm)
	c.Term = int(n)

	levels, byTier := d.contractTiers(r, s.Tiers)
	anyLevel := false
	for _, l := range levels {
		anyLevel = anyLevel || l.Any()
	}
	if anyLevel {
		c.Levels = levels
	}
	for _, read := range creditRules {
		if rule := read(d, r, byTier, levels); rule != nil {
			c.Credits = append(c.Credits, rule)
		}
	}
	c.Escalation = d.ladder(&r.Escalation, s.Tiers, levels)
	if r.Cap.node != nil {
		c.Cap, _ = d.probability(r.Cap, true, false)
	}
	if r.Reserve.node != nil {
		c.Reserve, _ = d.probability(r.Reserve, true, false)
	}
	if len(c.Credits) == 0 && c.Escalation == nil && !anyLevel {
		d.warnf(r.Self, "sets no attainment level and no rule: a run reports only the fees")
	}
	d.warnWindow(r, c, s)
	return c
}

// contractTiers reads contract.tiers: each tier's levels, and its entry
// (nil for a tier without one) for the credit rules to read their figures
// from.
func (d *decoder) contractTiers(r *rawContract, tiers []Tier) ([]contract.Levels, []*rawContractTier) {
	levels := make([]contract.Levels, len(tiers))
	byTier := make([]*rawContractTier, len(tiers))
	seen := make(map[int]int)
	for i := range r.Tiers.Items {
		rt := &r.Tiers.Items[i]
		k, ok := d.tierEntry(rt.Self, rt.Tier, i, seen, tiers, "contract.tiers", "terms")
		if !ok {
			continue
		}
		byTier[k] = rt
		if rt.Response.node != nil {
			levels[k].Response, _ = d.probability(rt.Response, false, false)
		}
		switch {
		case rt.Resolution.node != nil && d.unresolved[k]:
			d.errorf(rt.Resolution, noResolution)
		case rt.Resolution.node != nil:
			levels[k].Resolution, _ = d.probability(rt.Resolution, false, false)
		}
		if rt.Clocks.node != nil {
			levels[k].Clocks = d.clockLevels(rt.Clocks, &tiers[k])
		}
	}
	return levels, byTier
}

// clockLevels reads a tier's levels on its named clocks, {on site: 90%},
// indexed like the contract's named clocks (d.clockNames).
func (d *decoder) clockLevels(v value, t *Tier) []float64 {
	n := v.node
	if n.Kind != yaml.MappingNode {
		d.errorf(v, "must map the tier's named clocks to levels, such as clocks: {on site: 90%%}, got %s", describe(n))
		return nil
	}
	var own []string
	for _, c := range t.Clocks {
		own = append(own, c.Name)
	}
	levels := make([]float64, len(d.clockNames))
	es, _ := d.entries(v)
	for _, e := range es {
		name := e.key.Value
		switch {
		case name == sim.UpdatesClock && t.Updates.Every > 0:
			d.errorf(e.at(), "a level on the updates clock is not built yet: the contract judges tickets, and updates are not tickets; the run reports the updates clock's attainment")
		case !slices.Contains(own, name) && len(own) == 0:
			d.errorf(e.at(), "the tier has no named clocks (tiers[].clocks) to set a level on")
		case !slices.Contains(own, name):
			d.errorf(e.at(), "the tier has no clock named %q; its clocks: %s%s", name, strings.Join(own, ", "), didYouMean(name, own))
		default:
			levels[slices.Index(d.clockNames, name)], _ = d.probability(e.value, false, false)
		}
	}
	for len(levels) > 0 && levels[len(levels)-1] == 0 {
		levels = levels[:len(levels)-1]
	}
	return levels
}

// creditRules read the contract's credit rules, in the order reports list
// them. A rule is a section of its own (the clock it reads, its options)
// and a figure per tier in contract.tiers; each reader returns nil when no
// tier has a figure, warning if the section is given all the same.
var creditRules = []func(d *decoder, r *rawContract, tiers []*rawContractTier, levels []contract.Levels) contract.Credit{
	(*decoder).perBreach,
	(*decoder).lateness,
	(*decoder).outage,
	(*decoder).attainment,
}

// tierFigures reads one figure of every tier's entry; any says whether a
// tier has a figure above 0.
func (d *decoder) tierFigures(tiers []*rawContractTier, field func(*rawContractTier) value, read func(value) (float64, bool)) (xs []float64, any bool) {
	xs = make([]float64, len(tiers))
	for k, rt := range tiers {
		if rt != nil && field(rt).node != nil {
			xs[k], _ = read(field(rt))
			any = any || xs[k] > 0
		}
	}
	return xs, any
}

// promised reports the tiers whose figure (above 0) a rule on the
// resolution clock would credit although they promise no resolution.
func (d *decoder) promised(clock contract.Clock, tiers []*rawContractTier, figures []float64, field func(*rawContractTier) value) {
	if clock != contract.Resolution {
		return
	}
	for k, rt := range tiers {
		if rt != nil && figures[k] > 0 && d.unresolved[k] {
			d.errorf(field(rt), "is credited on the resolution clock, and the tier promises no resolution (its targets give none): name another clock in the rule (clock: response), or remove the tier's figure")
		}
	}
}

// unused warns that a rule's section is given although no tier has the
// rule's figure.
func (d *decoder) unused(section value, figure string) {
	if section.given() {
		d.warnf(section, "has no effect: no tier in contract.tiers has %s", figure)
	}
}

// capOf reads a per-tier cap of a rule's figure, warning when the tier has
// no figure to cap.
func (d *decoder) capOf(tiers []*rawContractTier, figures []float64, field func(*rawContractTier) value, figure string) []float64 {
	caps, _ := d.tierFigures(tiers, field, d.credit)
	for k, rt := range tiers {
		if rt != nil && field(rt).node != nil && figures[k] == 0 {
			d.warnf(field(rt), "has no effect: the tier has no %s", figure)
		}
	}
	return caps
}

func (d *decoder) perBreach(r *rawContract, tiers []*rawContractTier, _ []contract.Levels) contract.Credit {
	credit, any := d.tierFigures(tiers, func(rt *rawContractTier) value { return rt.PerBreach }, d.credit)
	if !any {
		d.unused(r.PerBreach.Self, "a per_breach credit")
		return nil
	}
	clock, _ := d.clock(r.PerBreach.Clock)
	d.promised(clock, tiers, credit, func(rt *rawContractTier) value { return rt.PerBreach })
	return &contract.PerBreach{Clock: clock, Credit: credit}
}

func (d *decoder) lateness(r *rawContract, tiers []*rawContractTier, _ []contract.Levels) contract.Credit {
	credit, any := d.tierFigures(tiers, func(rt *rawContractTier) value { return rt.Lateness }, d.credit)
	caps := d.capOf(tiers, credit, func(rt *rawContractTier) value { return rt.LatenessCap }, "lateness credit")
	if !any {
		d.unused(r.Lateness.Self, "a lateness credit")
		return nil
	}
	clock, _ := d.clock(r.Lateness.Clock)
	d.promised(clock, tiers, credit, func(rt *rawContractTier) value { return rt.Lateness })
	rule := &contract.Lateness{Clock: clock, Credit: credit, Cap: caps}
	if d.required(r.Lateness.Step, "tiers with a lateness credit need its step, such as lateness: {step: 30m}") {
		rule.Step, _ = d.duration(r.Lateness.Step, false)
	}
	return rule
}

func (d *decoder) outage(r *rawContract, tiers []*rawContractTier, _ []contract.Levels) contract.Credit {
	coefficient := make([]contract.Range, len(tiers))
	any := false
	for k, rt := range tiers {
		if rt != nil && rt.Outage.node != nil {
			coefficient[k], _ = d.coefficient(rt.Outage)
			any = any || coefficient[k].Hi > 0
		}
	}
	if !any {
		d.unused(r.Outage.Self, "an outage coefficient")
		return nil
	}
	clock, _ := d.clock(r.Outage.Clock)
	hi := make([]float64, len(coefficient))
	for k, c := range coefficient {
		hi[k] = c.Hi
	}
	d.promised(clock, tiers, hi, func(rt *rawContractTier) value { return rt.Outage })
	rule := &contract.Outage{Clock: clock, Coefficient: coefficient}
	switch dur, _ := d.text(r.Outage.Duration); dur {
	case "late":
	case "whole":
		rule.Whole = true
	case "outage":
		rule.Outages = true
		if d.serviceCount == 0 {
			d.errorf(r.Outage.Duration, "credits the outages of the scenario's services, and it has none: describe them under services")
		}
	default:
		d.errorf(r.Outage.Duration, "must be late (the time beyond the target), whole (the clock's whole time) or outage (the downtime of the services' outages), got %s", dur)
	}
	return rule
}

func (d *decoder) attainment(r *rawContract, tiers []*rawContractTier, levels []contract.Levels) contract.Credit {
	credit, any := d.tierFigures(tiers, func(rt *rawContractTier) value { return rt.Attainment }, d.credit)
	most := d.capOf(tiers, credit, func(rt *rawContractTier) value { return rt.AttainmentMax }, "attainment credit")
	for k, rt := range tiers {
		if credit[k] > 0 && !levels[k].Any() {
			d.errorf(rt.Attainment, "needs a level to fall short of: give the tier's response, resolution or a named clock's level, such as response: 95%%")
		}
	}
	if !any {
		d.unused(r.Attainment.Self, "an attainment credit")
		return nil
	}
	rule := &contract.Attainment{Credit: credit, Max: most}
	rule.Step, _ = d.probability(r.Attainment.Step, false, true)
	return rule
}

// ladder reads the escalation ladder; nil when there is none.
func (d *decoder) ladder(r *rawLadder, tiers []Tier, levels []contract.Levels) *contract.Ladder {
	if r.Self.node == nil || isNull(r.Self.node) || r.Self.node.Kind != yaml.MappingNode {
		return nil
	}
	e := &contract.Ladder{}
	switch per, _ := d.text(r.Per); per {
	case "contract":
	case "period":
		e.PerPeriod = true
	default:
		d.errorf(r.Per, "must be contract (breaches count over the term) or period (the count starts afresh each period), got %s", per)
	}
	counts := []string{"missed_period", "missed_level", "breached_ticket"}
	name, _ := d.text(r.Counts)
	switch i := slices.Index(counts, name); i {
	case -1:
		d.errorf(r.Counts, "must be one of %s, got %s%s", strings.Join(counts, ", "), name, didYouMean(name, counts))
	default:
		e.Counts = contract.Count(i)
	}
	e.Clock, _ = d.clock(r.Clock)
	if r.Tiers.node != nil {
		idx, _ := d.tierRefs(r.Tiers, tiers)
		e.Tiers = make([]bool, len(tiers))
		for _, i := range idx {
			e.Tiers[i] = true
		}
	}
	if e.Counts == contract.BreachedTicket && e.Clock == contract.Resolution {
		for i, t := range tiers {
			if (e.Tiers == nil || e.Tiers[i]) && d.unresolved[i] {
				d.errorf(r.Clock, "counts breaches of the resolution clock, and tier %s promises no resolution (its targets give none): name another clock, or list the tiers it counts without %s", t.Name, t.Name)
				break
			}
		}
	}
	if e.Counts != contract.BreachedTicket {
		level := false
		for i, l := range levels {
			level = level || (e.Tiers == nil || e.Tiers[i]) && l.Any()
		}
		if !level {
			d.errorf(r.Counts, "counts missed levels, but no tier it counts has one: give levels in contract.tiers (response: 95%%), or count breached_ticket")
		}
	}
	if !d.required(r.Steps.Self, "give the ladder's steps, such as steps: [{action: review, cost: 5000}, {credit: 20%}, {terminate: true}]") {
		return e
	}
	if len(r.Steps.Items) == 0 {
		if r.Steps.Self.node.Kind == yaml.SequenceNode || isNull(r.Steps.Self.node) {
			d.errorf(r.Steps.Self, "must list at least one step")
		}
		return e
	}
	for i := range r.Steps.Items {
		rs := &r.Steps.Items[i]
		if !isMapping(rs.Self) {
			continue
		}
		var st contract.Step
		if rs.Action.node != nil {
			st.Action, _ = d.text(rs.Action)
		}
		st.Cost, _ = d.amount(rs.Cost)
		st.Credit, _ = d.probability(rs.Credit, false, false)
		st.Terminate, _ = d.boolean(rs.Terminate)
		e.Steps = append(e.Steps, st)
	}
	return e
}

// amount reads an amount of money >= 0.
func (d *decoder) amount(v value) (float64, bool) {
	x, ok := d.number(v)
	if ok && (x < 0 || x > maxAmount) {
		d.errorf(v, "must be an amount from 0 to 1e15, got %s", v.node.Value)
		return 0, false
	}
	return x, ok
}

// credit reads a credit as a share of a fee, >= 0: 200% or 2.
func (d *decoder) credit(v value) (float64, bool) {
	x, ok := d.fraction(v)
	if ok && (x < 0 || x > maxCredit) {
		d.errorf(v, "must be a share of the fee from 0 to %s, such as 50%%, got %s", percent(maxCredit), v.node.Value)
		return 0, false
	}
	return x, ok
}

// coefficient reads an outage coefficient: a number, or a range [lo, hi]
// to draw it from.
func (d *decoder) coefficient(v value) (contract.Range, bool) {
	check := func(v value) (float64, bool) {
		x, ok := d.number(v)
		if ok && (x < 0 || x > maxCredit) {
			d.errorf(v, "must be a coefficient from 0 to %g, got %s", float64(maxCredit), v.node.Value)
			return 0, false
		}
		return x, ok
	}
	if v.node.Kind != yaml.SequenceNode {
		x, ok := check(v)
		return contract.Range{Lo: x, Hi: x}, ok
	}
	vs, _ := d.items(v, "two numbers", "[1.5, 2.0]")
	if len(vs) != 2 {
		d.errorf(v, "must be a coefficient such as 2, or a range of two numbers such as [1.5, 2.0], got a list of %d", len(vs))
		return contract.Range{}, false
	}
	lo, okLo := check(vs[0])
	hi, okHi := check(vs[1])
	if okLo && okHi && hi < lo {
		d.errorf(v, "is an empty range: %s is above %s", vs[0].node.Value, vs[1].node.Value)
		return contract.Range{}, false
	}
	return contract.Range{Lo: lo, Hi: hi}, okLo && okHi
}

// didYouMean is suggestion's "; did you mean X?" when a known word is
// close to s, and nothing otherwise: the message already lists the words.
func didYouMean(s string, known []string) string {
	if sg := suggestion(s, known); strings.HasPrefix(sg, "; did you mean") {
		return sg
	}
	return ""
}

// clock reads the name of an SLA clock a rule reads: response,
// resolution, either, or a tier's named clock.
func (d *decoder) clock(v value) (contract.Clock, bool) {
	names := []string{"response", "resolution", "either"}
	name, ok := d.text(v)
	if !ok {
		return 0, false
	}
	if i := slices.Index(d.clockNames, name); i >= 0 {
		return contract.Named(i), true
	}
	i := slices.Index(names, name)
	switch {
	case i < 0 && len(d.clockNames) > 0:
		names = append(names, d.clockNames...)
		d.errorf(v, "must be response, resolution, either (a breach of either clock) or a tier's named clock, got %s%s", name, didYouMean(name, names))
		return 0, false
	case i < 0:
		d.errorf(v, "must be response, resolution or either (a breach of either clock), got %s%s", name, didYouMean(name, names))
		return 0, false
	}
	return contract.Clock(i), true
}

// warnWindow warns when the measured window is too short for the
// contract's figures: no full period, less than the term, less than a
// year for the reserve.
func (d *decoder) warnWindow(r *rawContract, c *contract.Contract, s *Scenario) {
	if len(d.problems) > 0 || c.PeriodMonths == 0 {
		return
	}
	sc := s.Simulation
	w := s.timelineWarmUp()
	n := len(contract.CalendarPeriods(s.Epoch().Origin, c.PeriodMonths, w, w+sc.Horizon))
	unit := "month"
	if c.PeriodMonths == 3 {
		unit = "quarter"
	}
	switch {
	case n == 0:
		d.warnf(r.Self, "the measured window (%s from %s) holds no full calendar %s, so the contract has nothing to measure: lengthen simulation.horizon or start on the 1st", FormatDuration(sc.Horizon), sc.Start, unit)
		return
	case n < c.Term && c.Escalation != nil:
		d.warnf(r.Term, "the measured window holds %d full %s of the %d-%s term: the probability of termination covers those only; lengthen simulation.horizon to cover the term", n, plural.Of(n, unit, unit+"s"), c.Term, unit)
	}
	if c.Reserve > 0 && n < c.PeriodsPerYear() {
		d.warnf(r.Reserve, "the measured window holds %d full %s, less than a contract year: the fund cannot be checked; lengthen simulation.horizon to a year or more", n, plural.Of(n, unit, unit+"s"))
	}
}

// ContractPlan lays the scenario's contract over the full reporting periods
// of m's measured window; m is the scenario's model, whose horizon a
// caller may have changed. It returns nil without a contract.
func (s *Scenario) ContractPlan(m *sim.Model) (*contract.Plan, error) {
	if s.Contract == nil {
		return nil, nil
	}
	names := make([]string, len(s.Tiers))
	for i, t := range s.Tiers {
		names[i] = t.Name
	}
	periods := contract.CalendarPeriods(s.Epoch().Origin, s.Contract.PeriodMonths, m.WarmUp, m.WarmUp+m.Horizon)
	p, err := contract.NewPlan(s.Contract, names, periods)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	return p, nil
}
