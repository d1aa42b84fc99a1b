package sizing

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/capacity"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing"
)

// Sizing finds the cheapest head counts, shift by shift, that keep every
// promise with confidence. The method (see docs/sizing.md): an analytic
// start from Erlang C per hour (Analytic), then a local search by
// simulation with common random numbers and sequential stopping (Size).

// A Post is one head count that sizing chooses: the number of agents on one
// shift of one team.
type Post struct {
	// Name says which shift it is, such as "desk: mon-fri 08:00-20:00";
	// Path names the scenario field holding its head count, such as
	// teams[0].shifts[1].agents.
	Name string `json:"name"`
	Path string `json:"path"`
	// Team is the index, in the problem's model, of the team the post's
	// agents join; OnCall posts add to its on-call timeline, the others
	// to its on-site one.
	Team   int  `json:"team"`
	OnCall bool `json:"on_call"`
	// Unit is the timeline of one agent on the post.
	Unit sim.Steps `json:"-"`
	// Min and Max bound the head count; Max 0 means no bound.
	Min int `json:"min"`
	Max int `json:"max,omitempty"`
	// Cost is the cost of one agent-hour on the post.
	Cost float64 `json:"cost_per_hour"`
	// Agents is the head count as the scenario gives it, for comparison.
	Agents int `json:"agents"`
	// Offered marks a shift the scenario does not have but offers sizing
	// (sizing.shifts): it has no Path, and Agents is 0. The analytic start
	// chooses among the offered shifts; the search takes up the others
	// only as neighbours of staffed shifts (see neighbours), and a Result
	// leaves out those never staffed.
	Offered bool `json:"offered,omitempty"`
	// Shape is the shift's geometry, for moves to neighbouring offered
	// shifts; nil when its days have different hours, or several spans.
	Shape *Shape `json:"-"`
	// Block, in a Result's posts, marks a post standing for a block of
	// interval staffing (see Intervals): it has no Path; Agents is the
	// block's peak as given.
	Block *Block `json:"block,omitempty"`
}

// A Requirement is what a staffing must achieve: for every tier and clock
// with a level, the lower end of the confidence interval of the mean
// attainment over replications at or above the level.
type Requirement struct {
	// Levels per tier of the model: the attainments its clocks must reach,
	// 0 leaving a clock unchecked.
	Levels []contract.Levels `json:"levels"`
	// Confidence is the level of the two-sided interval whose lower end is
	// compared, such as 0.95 (one-sided, 0.975).
	Confidence float64 `json:"confidence"`
}

// A Check is one promise judged on one candidate: an estimate of a
// quantity, such as urgent response attainment, with its interval at the
// requirement's confidence, against the level it must reach.
type Check struct {
	Name  string  `json:"name"`
	Level float64 `json:"level"`
	// Mean, Lo and Hi are the estimate and its interval; NaN (null in
	// JSON) when the candidate is unstable (the run stops: there are no
	// figures), and Lo and Hi when no interval can be had, as with fewer
	// than two replications holding tickets of a tier.
	Mean float64 `json:"mean"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

// MarshalJSON writes the check with unknown figures (NaN) as null.
func (c Check) MarshalJSON() ([]byte, error) {
	num := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	return json.Marshal(struct {
		Name  string   `json:"name"`
		Level float64  `json:"level"`
		Mean  *float64 `json:"mean"`
		Lo    *float64 `json:"lo"`
		Hi    *float64 `json:"hi"`
		Met   bool     `json:"met"`
	}{c.Name, c.Level, num(c.Mean), num(c.Lo), num(c.Hi), c.Met()})
}

// Met reports whether the interval lies at or above the level.
func (c *Check) Met() bool { return c.Lo >= c.Level }

// undecided reports whether the interval straddles the level, or is not
// known yet: more replications may tell.
func (c *Check) undecided() bool { return !c.Met() && !(c.Hi < c.Level) }

// shortfall is how far the interval's lower end falls below the level.
// When the lower end is unknown (replications that all agree, too few to
// vouch for anything) it is how far the estimate falls below the level:
// counting it as the whole level made a staffing whose replications all
// keep every ticket in time look farther from the requirement than one
// that misses by much.
func (c *Check) shortfall() float64 {
	switch {
	case !math.IsNaN(c.Lo):
		return max(0, c.Level-c.Lo)
	case !math.IsNaN(c.Mean):
		return max(0, c.Level-c.Mean)
	}
	return c.Level
}

// An Assessor extends what a candidate is judged by, beyond the mean
// attainment of the Requirement: checks of its own and a cost per week.
// A contract plugs in here (ContractAssessor): the share of months meeting
// its attainment levels as checks, and the expected service credits as a
// cost, both read from a collector of per-ticket outcomes. Sizing sums the
// cost with the staff cost and minimises the total.
type Assessor interface {
	// Collector returns a new collector for one worker of a run, or nil if
	// the assessor reads only the run's summary.
	Collector() sim.Collector
	// Assess judges a run's result: checks whose intervals are at the given
	// confidence, and the expected cost per week.
	Assess(res *sim.Result, confidence float64) (checks []Check, costPerWeek float64, err error)
}

// A Problem is a sizing problem: a model whose teams' head counts on some
// shifts are to be chosen, what each costs, and what must be achieved.
type Problem struct {
	// Model is the model to size. Its teams' timelines hold the staffing
	// that sizing does not choose (such as interval staffing); the posts'
	// agents are added to them. Model.Agents must be 0: see Pool.
	Model *sim.Model
	Posts []Post
	// Intervals are the teams' staffing per interval of the week to size,
	// beside the posts (see Intervals). The model holds none of it.
	Intervals []Intervals
	// FixedCost is the cost per week of the staffing sizing does not
	// choose, counted in every total.
	FixedCost float64
	// CallOuts prices, per team of the model, what its agents on call cost
	// beyond their hours on call (the posts' Cost): the work they do when
	// paged and a fee per call-out. Nil, or a team's zero value, prices
	// neither.
	CallOuts    []CallOutCost
	Requirement Requirement
	// Assessor, if set, adds checks and a cost (expected credits).
	Assessor Assessor
}

// A CallOutCost is what a team's call-outs cost: Work per agent-hour worked
// on call, from the page to the end of the work (the on-call delay
// included), paid on top of the hour's cost on call; and Fee per call-out,
// a page to an idle agent on call.
type CallOutCost struct {
	Work float64 `json:"work_per_hour"`
	Fee  float64 `json:"fee"`
}

// Pool turns a model of one pool of identical agents on duty around the
// clock (Model.Agents) into a sizing problem with a single post, "agents",
// costing cost per agent-hour and bounded by min and max (0: unbounded).
func Pool(m *sim.Model, cost float64, min, max int, req Requirement) *Problem {
	mm := *m
	mm.Agents = 0
	mm.Teams = []sim.Team{{Name: "agents"}}
	return &Problem{
		Model: &mm,
		Posts: []Post{{
			Name: "agents: around the clock", Unit: sim.Steps{At: []time.Duration{0}, Value: []int{1}},
			Min: min, Max: max, Cost: cost, Agents: m.Agents,
		}},
		Requirement: req,
	}
}

// WeeklyHours is the agent-hours per week that the timeline s averages over
// the model's measured window: for a post's Unit, the hours one agent works
// (or is on call) in an average week.
func WeeklyHours(s sim.Steps, m *sim.Model) float64 {
	return s.Mean(m.WarmUp, m.WarmUp+m.Horizon) * sim.Week.Hours()
}

// validate reports the first reason the problem cannot be sized.
func (p *Problem) validate() error {
	if p.Model == nil {
		return errors.New("sizing: no model")
	}
	if p.Model.Agents != 0 {
		return errors.New("sizing: the model's agents must be given as a team; use Pool")
	}
	if len(p.Posts) == 0 && len(p.Intervals) == 0 {
		return errors.New("sizing: no shift to size")
	}
	if err := p.validateIntervals(); err != nil {
		return err
	}
	for i, q := range p.Posts {
		switch {
		case q.Team < 0 || q.Team >= len(p.Model.Teams):
			return fmt.Errorf("sizing: post %d (%s): no team %d", i, q.Name, q.Team)
		case q.Min < 0 || q.Max < 0 || q.Max > 0 && q.Max < q.Min:
			return fmt.Errorf("sizing: post %d (%s): bounds must satisfy 0 <= min <= max, got min %d, max %d", i, q.Name, q.Min, q.Max)
		case !(q.Cost >= 0) || math.IsInf(q.Cost, 1):
			return fmt.Errorf("sizing: post %d (%s): the cost of an agent-hour must be a number >= 0, got %v", i, q.Name, q.Cost)
		}
	}
	if !(p.FixedCost >= 0) || math.IsInf(p.FixedCost, 1) {
		return fmt.Errorf("sizing: the fixed cost must be a number >= 0, got %v", p.FixedCost)
	}
	if len(p.CallOuts) > 0 && len(p.CallOuts) != len(p.Model.Teams) {
		return fmt.Errorf("sizing: call-out costs for %d teams of %d", len(p.CallOuts), len(p.Model.Teams))
	}
	for i, c := range p.CallOuts {
		if !(c.Work >= 0) || !(c.Fee >= 0) || math.IsInf(c.Work, 1) || math.IsInf(c.Fee, 1) {
			return fmt.Errorf("sizing: team %d (%s): call-out costs must be numbers >= 0, got %v an hour and %v a call-out", i, p.Model.Teams[i].Name, c.Work, c.Fee)
		}
	}
	r := p.Requirement
	if len(r.Levels) != len(p.Model.Tiers) {
		return fmt.Errorf("sizing: %d tiers' levels for %d tiers", len(r.Levels), len(p.Model.Tiers))
	}
	if !(r.Confidence > 0 && r.Confidence < 1) {
		return fmt.Errorf("sizing: confidence must be between 0 and 1, got %v", r.Confidence)
	}
	checked := p.Assessor != nil
	for i, l := range r.Levels {
		for _, v := range []float64{l.Response, l.Resolution} {
			if !(v >= 0 && v < 1) {
				return fmt.Errorf("sizing: tier %d (%s): levels must be at least 0 and below 1, got %v", i, p.Model.Tiers[i].Name, v)
			}
			checked = checked || v > 0
		}
		if l.Resolution > 0 && !p.Model.Tiers[i].HasResolution() {
			return fmt.Errorf("sizing: tier %d (%s) promises no resolution: a resolution level has nothing to check", i, p.Model.Tiers[i].Name)
		}
	}
	if !checked {
		return errors.New("sizing: the requirement checks nothing; give a level above 0")
	}
	return nil
}

// Options control a sizing search.
type Options struct {
	// Seed is the master seed every candidate is simulated with (common
	// random numbers); ConfirmSeed, that of the independent confirmation
	// of the result (0: Seed+1).
	Seed, ConfirmSeed uint64
	// Replications is a candidate's first batch (0: 10); while an interval
	// straddles its level the batch doubles, up to MaxReplications (0: 80).
	Replications, MaxReplications int
	// Workers is the number of replications simulated at once (0: one per
	// CPU); it never changes the result.
	Workers int
	// Start, if set, is the head count per post the search starts from,
	// instead of the analytic start.
	Start []int
	// Progress, if set, is told of each candidate simulated.
	Progress func(e *Evaluation)
}

// An Evaluation is what simulation says of one staffing.
type Evaluation struct {
	// Agents is the head count per post.
	Agents []int `json:"agents"`
	// Seed and Replications are the simulation behind the figures.
	Seed         uint64 `json:"seed"`
	Replications int    `json:"replications"`
	// StaffCost is the cost per week of the agents' hours, on site and on
	// call, the fixed staffing included; CallOutCost the expected cost per
	// week of their call-outs (Problem.CallOuts: work on call and fees);
	// Penalty the assessor's expected cost per week (credits).
	StaffCost   float64 `json:"staff_cost"`
	CallOutCost float64 `json:"call_out_cost"`
	Penalty     float64 `json:"penalty"`
	// AgentHours is the agent-hours per week on the posts; OnCallWork the
	// expected agent-hours a week worked on call and CallOuts the expected
	// call-outs a week, all teams together, that CallOutCost prices.
	AgentHours float64 `json:"agent_hours"`
	OnCallWork float64 `json:"on_call_work_hours"`
	CallOuts   float64 `json:"call_outs"`
	Checks     []Check `json:"checks"`
	// Unstable is set when the offered load exceeds what the staffing can
	// carry: there are no figures, and every check fails.
	Unstable bool `json:"unstable,omitempty"`
	// Summary is the simulation's summary (nil when unstable).
	Summary *sim.Summary `json:"-"`

	collected sim.Collector
	// detection is the warm-up the first batch found, which later batches
	// of the same staffing reuse.
	detection *sim.WarmUpDetection
}

// Cost is the total cost per week: staff, call-outs and penalty.
func (e *Evaluation) Cost() float64 { return e.StaffCost + e.CallOutCost + e.Penalty }

// Feasible reports whether the staffing is stable and every check is met.
func (e *Evaluation) Feasible() bool {
	if e.Unstable {
		return false
	}
	for i := range e.Checks {
		if !e.Checks[i].Met() {
			return false
		}
	}
	return true
}

// Binding is the check closest to failing: the least margin of its
// interval's lower end over its level.
func (e *Evaluation) Binding() *Check {
	var b *Check
	for i := range e.Checks {
		c := &e.Checks[i]
		if b == nil || margin(c) < margin(b) {
			b = c
		}
	}
	return b
}

func margin(c *Check) float64 {
	if math.IsNaN(c.Lo) {
		return math.Inf(-1)
	}
	return c.Lo - c.Level
}

// shortfall is how far the candidate is from the requirement: the sum of
// the checks' shortfalls, and for an unstable candidate more than any
// stable one, the more so the less capacity it has.
func (e *Evaluation) shortfall(capacityGap float64) float64 {
	if e.Unstable {
		return float64(len(e.Checks)) + 1 + capacityGap
	}
	var s float64
	for i := range e.Checks {
		s += e.Checks[i].shortfall()
	}
	return s
}

// missed is the number of checks not met; for an unstable staffing, one
// more than there are checks.
func (e *Evaluation) missed() int {
	if e.Unstable {
		return len(e.Checks) + 1
	}
	n := 0
	for i := range e.Checks {
		if !e.Checks[i].Met() {
			n++
		}
	}
	return n
}

// undecided reports whether some check's interval straddles its level
// while none lies wholly below its own: a check surely missed settles the
// candidate, however the others would turn out.
func (e *Evaluation) undecided() bool {
	if e.Unstable {
		return false
	}
	straddles := false
	for i := range e.Checks {
		c := &e.Checks[i]
		if c.Hi < c.Level {
			return false
		}
		straddles = straddles || c.undecided()
	}
	return straddles
}

// A Result is the outcome of a sizing search.
type Result struct {
	Posts []Post `json:"posts"`
	// Hours are the agent-hours a week of one agent on each post.
	Hours []float64 `json:"hours_per_agent"`
	// Analytic is the analytic start: head counts per post covering the
	// agents that Erlang C requires hour by hour (see Analytic), within the
	// bounds. Required holds those agents by hour of the week (the most
	// over the weeks of the measured window), from Monday 00:00.
	Analytic []int                 `json:"analytic"`
	Required [sim.HoursPerWeek]int `json:"required_by_hour"`
	// Offered counts the shifts the problem offered (Post.Offered). Posts
	// holds those the analytic start, the search or the result staffed,
	// beside the scenario's own.
	Offered int `json:"offered,omitempty"`
	// Intervals holds, for each interval staffing sized
	// (Problem.Intervals), its head counts per interval; Posts ends with
	// its blocks (Post.Block), whose head counts the search chose.
	Intervals []IntervalResult `json:"intervals,omitempty"`
	// Feasible tells whether a staffing within the bounds met the
	// requirement. Best is then the cheapest one found, as confirmed by
	// an independent simulation; otherwise the best attainable: the
	// cheapest staffing found that comes as close as the closest seen
	// (Search): no more checks missed, and a shortfall at most 0.1
	// percentage point more.
	Feasible bool        `json:"feasible"`
	Best     *Evaluation `json:"best"`
	// Search is the search's choice, with the search seed; Best differs
	// from it when the confirmation missed the requirement and stepped up,
	// or when out of reach, Search is the closest staffing seen.
	Search *Evaluation `json:"search"`
	// Frontier holds Best and the staffings one agent away from it on each
	// post, cheapest first: cost against risk. Given is the staffing as the
	// scenario gives it. Both are simulated with Best's seed, so that every
	// figure reported beside Best comes from the same simulation.
	Frontier []*Evaluation `json:"frontier"`
	Given    *Evaluation   `json:"given"`
	// Candidates and Replications count the staffings simulated and the
	// replications run for them.
	Candidates   int `json:"candidates"`
	Replications int `json:"replications"`

	// searched is the problem the search worked on, whose posts are
	// Posts (kept lists their indexes there when some offered shifts were
	// left out of Posts; nil when none were).
	searched *Problem
	kept     []int
}

// Staffed returns the model with head counts x on the result's Posts, one
// per post (such as Best.Agents), interval staffing included: the
// staffing ready to run. Problem.Staffed would not do: the result's posts
// are not the problem's when interval staffing or offered shifts are
// sized.
func (r *Result) Staffed(x []int) *sim.Model {
	if r.kept == nil {
		return r.searched.Staffed(x)
	}
	y := make([]int, len(r.searched.Posts))
	for k, i := range r.kept {
		y[i] = x[k]
	}
	return r.searched.Staffed(y)
}

// Size searches for the cheapest staffing of the posts that meets the
// requirement. It starts from the analytic estimate (or Options.Start),
// adds agents where the requirement is missed, then removes them, or moves
// them to cheaper shifts, while it holds. Every candidate is simulated with
// the same seed, so candidates differ only by their staffing, and with
// more replications only while a check's interval straddles its level.
// The result is a local optimum, confirmed with an independent seed. See
// docs/sizing.md for the guarantees and their limits.
func Size(ctx context.Context, p *Problem, o Options) (*Result, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if o.Replications == 0 {
		o.Replications = 10
	}
	if o.MaxReplications == 0 {
		o.MaxReplications = 80
	}
	if o.ConfirmSeed == 0 {
		o.ConfirmSeed = o.Seed + 1
	}
	switch {
	case o.Replications < 2:
		return nil, fmt.Errorf("sizing: a candidate needs at least 2 replications for an interval, got %d", o.Replications)
	case o.MaxReplications < o.Replications:
		return nil, fmt.Errorf("sizing: max replications %d is below the first batch of %d", o.MaxReplications, o.Replications)
	case o.Workers < 0:
		return nil, fmt.Errorf("sizing: workers must be >= 0, got %d", o.Workers)
	case o.ConfirmSeed == o.Seed:
		return nil, fmt.Errorf("sizing: the confirmation seed must differ from the search seed %d", o.Seed)
	}
	required, all, err := p.Analytic(ctx)
	if err != nil {
		return nil, fmt.Errorf("sizing: interrupted in the analytic start: %w", err)
	}
	analytic, perInterval := all[:len(p.Posts)], all[len(p.Posts):]
	x := analytic
	if o.Start != nil {
		if len(o.Start) != len(p.Posts) {
			return nil, fmt.Errorf("sizing: %d starting head counts for %d shifts", len(o.Start), len(p.Posts))
		}
		for i, n := range o.Start {
			if q := p.Posts[i]; n < q.Min || q.Max > 0 && n > q.Max {
				return nil, fmt.Errorf("sizing: starting head count %d of %s is outside its bounds [%d, %s]", n, q.Name, q.Min, bound(q.Max))
			}
		}
		x = slices.Clone(o.Start)
	}
	// The search tunes the shifts the scenario has and the offered ones
	// the start staffs, and moves them to neighbouring offered shifts
	// (see neighbours); offered shifts never staffed are left out of the
	// result.
	offered := 0
	for _, q := range p.Posts {
		if q.Offered {
			offered++
		}
	}
	whole := p
	if len(p.Intervals) > 0 {
		var start []int
		judge := p.withBlocks()
		p, start = p.blocked(perInterval)
		p.Assessor = judge
		x, analytic = append(slices.Clone(x), start...), append(slices.Clone(analytic), start...)
	}
	s := &search{ctx: ctx, p: p, o: o, cache: map[string]*Evaluation{}, stride: make([]int, len(p.Posts)), near: neighbours(p.Posts)}
	s.blocks, _ = p.Assessor.(*blockAssessor)
	res := &Result{Posts: p.Posts, Hours: make([]float64, len(p.Posts)), Analytic: analytic, Required: required, Offered: offered, searched: p}
	for i := range p.Posts {
		res.Hours[i] = p.hours(i)
	}
	found, err := s.repair(x, o.Seed)
	if err != nil {
		return nil, err
	}
	if !found.Feasible() {
		// Out of reach: the cheapest staffing that comes as close.
		res.Search = found
		res.Best, err = s.descend(found, func(e *Evaluation) bool { return s.asClose(e, found) })
		if err != nil {
			return nil, err
		}
	} else {
		if found, err = s.descend(found, (*Evaluation).Feasible); err != nil {
			return nil, err
		}
		res.Search = found
		confirm, err := s.repair(found.Agents, o.ConfirmSeed)
		if err != nil {
			return nil, err
		}
		res.Feasible, res.Best = confirm.Feasible(), confirm
	}
	if res.Frontier, err = s.frontier(res.Best.Agents, res.Best.Seed); err != nil {
		return nil, err
	}
	given := make([]int, len(p.Posts))
	for i, q := range p.Posts {
		given[i] = q.Agents
	}
	if len(whole.Intervals) == 0 {
		res.Given, err = s.evaluate(given, res.Best.Seed)
	} else {
		res.Given, err = s.evaluateGiven(whole, given, res.Best.Seed)
		res.Intervals = whole.intervalResults(p.Posts, res.Best.Agents, perInterval)
	}
	if err != nil {
		return nil, err
	}
	res.Candidates, res.Replications = s.candidates, s.replications
	if offered > 0 {
		res.dropUnstaffed()
	}
	return res, nil
}

// dropUnstaffed leaves out of the result the offered shifts that neither
// the analytic start, the search's choice nor the result staffs.
func (r *Result) dropUnstaffed() {
	var keep []int
	for i, q := range r.Posts {
		if !q.Offered || r.Analytic[i] > 0 || r.Best.Agents[i] > 0 || r.Search.Agents[i] > 0 {
			keep = append(keep, i)
		}
	}
	if len(keep) == len(r.Posts) {
		return
	}
	r.Posts, r.Hours, r.kept = pick(r.Posts, keep), pick(r.Hours, keep), keep
	r.Analytic = pick(r.Analytic, keep)
	seen := map[*Evaluation]bool{}
	for _, e := range append([]*Evaluation{r.Best, r.Search, r.Given}, r.Frontier...) {
		if e != nil && !seen[e] {
			seen[e] = true
			e.Agents = pick(e.Agents, keep)
		}
	}
}

// evaluateGiven simulates the staffing as the problem whole gives it, its
// interval staffing included, which the search's blocks cannot express:
// on whole with a post per interval. The evaluation's Agents are given,
// the head counts of the search's posts (a block's peak).
func (s *search) evaluateGiven(whole *Problem, given []int, seed uint64) (*Evaluation, error) {
	full := whole.perInterval()
	full.Assessor = s.p.Assessor // with the blocks' checks
	x := make([]int, len(full.Posts))
	for i, q := range full.Posts {
		x[i] = q.Agents
	}
	g := &search{ctx: s.ctx, p: full, o: s.o, cache: map[string]*Evaluation{}}
	e, err := g.evaluate(x, seed)
	if err != nil {
		return nil, err
	}
	s.candidates, s.replications = s.candidates+g.candidates, s.replications+g.replications
	e.Agents = given
	return e, nil
}

// pick returns x at the indexes keep lists.
func pick[T any](x []T, keep []int) []T {
	out := make([]T, len(keep))
	for k, i := range keep {
		out[k] = x[i]
	}
	return out
}

// bound writes a post's maximum for messages.
func bound(max int) string {
	if max == 0 {
		return "no bound"
	}
	return strconv.Itoa(max)
}

// search holds a sizing search's state: the candidates simulated so far.
type search struct {
	ctx   context.Context
	p     *Problem
	o     Options
	cache map[string]*Evaluation
	// stride is, per post, how many agents the next removal tries to take
	// away at once.
	stride []int
	// blocks, when interval staffing is sized, holds its blocks' checks.
	blocks *blockAssessor
	// near holds each post's neighbours (see neighbours).
	near [][]int
	// candidates and replications count the simulation work done.
	candidates, replications int
}

// patience is how many steps up the search takes without getting closer to
// the requirement before it concludes the requirement is out of reach.
const patience = 3

// progressTolerance is the least reduction of the shortfall (a sum of
// shares) that counts as getting closer.
const progressTolerance = 1e-3

// upStep is how many agents a step of the repair adds to a post of n: one,
// or a tenth of √n, so that a step moves the square-root rule's safety
// margin β = (c − a)/√a about as much on a desk of thousands as one agent
// does on a desk of ten (400 agents and more step by two, 2,500 by five).
func upStep(n int) int {
	return max(1, int(math.Sqrt(float64(n)))/10)
}

// repair adds agents to x until the requirement is met under seed, the
// bounds stop it, or adding stops helping. Each step simulates more agents
// on each post (upStep of them) and takes the cheapest staffing that meets
// the requirement, or else the one that most reduces the shortfall per
// unit of cost. A step of several agents that meets the requirement is
// bisected down to the fewest on its post that do. It returns the first
// staffing meeting the requirement, or the closest seen (see closer).
func (s *search) repair(x []int, seed uint64) (*Evaluation, error) {
	cur, err := s.evaluate(x, seed)
	if err != nil {
		return nil, err
	}
	best, stale := cur, 0
	for !cur.Feasible() && stale < patience {
		// Blocks of interval staffing missing their own checks get an
		// agent each at once, while that helps: each block's checks
		// depend mostly on its own staffing.
		if y, ok := s.blockStep(cur, +1, nil); ok {
			e, err := s.evaluate(y, seed)
			if err != nil {
				return nil, err
			}
			if e.Feasible() || s.closer(e, cur) {
				if cur = e; s.closer(cur, best) {
					best, stale = cur, 0
				}
				continue
			}
		}
		var next *Evaluation
		var nextScore float64
		post := -1
		for i := range s.p.Posts {
			if !s.active(cur.Agents, i) && !slices.ContainsFunc(s.near[i], func(j int) bool { return cur.Agents[j] > 0 }) {
				continue // an offered shift far from every staffed one
			}
			k := upStep(cur.Agents[i])
			if q := s.p.Posts[i]; q.Max > 0 && cur.Agents[i] < q.Max {
				k = min(k, q.Max-cur.Agents[i]) // a shorter step to the bound
			}
			y, ok := s.step(cur.Agents, i, +k)
			if !ok {
				continue
			}
			e, err := s.evaluate(y, seed)
			if err != nil {
				return nil, err
			}
			if e.Feasible() {
				if next == nil || !next.Feasible() || cheaper(e, next) {
					next, post = e, i
				}
				continue
			}
			score := (s.shortfall(cur) - s.shortfall(e)) / (float64(k) * s.p.weight(i))
			if next == nil || !next.Feasible() && score > nextScore {
				next, nextScore, post = e, score, i
			}
		}
		if next == nil {
			break // every post is at its maximum
		}
		if next.Feasible() {
			return s.bisect(cur, next, post)
		}
		cur = next
		if s.closer(cur, best) {
			best, stale = cur, 0
		} else {
			stale++
		}
	}
	if cur.Feasible() {
		return cur, nil
	}
	return best, nil
}

// bisect returns the staffing with the fewest agents on post i, between
// lo's (which misses the requirement) and hi's (which meets it), that
// meets the requirement; lo and hi differ on post i only.
func (s *search) bisect(lo, hi *Evaluation, i int) (*Evaluation, error) {
	for hi.Agents[i]-lo.Agents[i] > 1 {
		y := slices.Clone(hi.Agents)
		y[i] = lo.Agents[i] + (hi.Agents[i]-lo.Agents[i])/2
		e, err := s.evaluate(y, hi.Seed)
		if err != nil {
			return nil, err
		}
		if e.Feasible() {
			hi = e
		} else {
			lo = e
		}
	}
	return hi, nil
}

// closer reports whether a is closer to the requirement than b: it misses
// fewer checks, or as many and falls shorter by at least progressTolerance.
// An unstable staffing misses every check and one more.
func (s *search) closer(a, b *Evaluation) bool {
	ma, mb := a.missed(), b.missed()
	return ma < mb || ma == mb && s.shortfall(a) < s.shortfall(b)-progressTolerance
}

// asClose reports whether a is as close to the requirement as b, within
// progressTolerance: it misses no more checks and falls no shorter.
func (s *search) asClose(a, b *Evaluation) bool {
	return a.missed() <= b.missed() && s.shortfall(a) <= s.shortfall(b)+progressTolerance
}

// descend moves from a staffing that is good enough — one meeting the
// requirement, or for a requirement out of reach one falling no shorter
// than the best — to a cheaper one that still is, one move at a time, until
// none is found: removing agents from a post, or moving one from a post to
// a cheaper one (and, with an assessor, adding one where that lowers the
// total cost). Moves are tried in order of the staff cost they save, and
// the first that stays good enough and lowers the total is taken.
func (s *search) descend(cur *Evaluation, good func(*Evaluation) bool) (*Evaluation, error) {
	for {
		next, err := s.improve(cur, good)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return cur, nil
		}
		cur = next
	}
}

// improve returns the first neighbour of cur, in order of staff cost saved,
// that is good enough at a lower total cost; nil if none is.
// After a post gives up agents, its next removal tries twice as many at
// once (a pattern search's expanding step), falling back to one when that
// fails, so that a start far above the optimum is left quickly.
func (s *search) improve(cur *Evaluation, good func(*Evaluation) bool) (*Evaluation, error) {
	type move struct {
		y     []int
		saves float64
		// post gives up cut agents, or none (-1) for other moves.
		post, cut int
	}
	// Blocks of interval staffing whose own checks hold each give up an
	// agent at once; if some then miss theirs, the others alone.
	var after *Evaluation
	for range 2 {
		y, ok := s.blockStep(cur, -1, after)
		if !ok {
			break
		}
		e, err := s.evaluate(y, cur.Seed)
		if err != nil {
			return nil, err
		}
		if good(e) && cheaper(e, cur) {
			return e, nil
		}
		after = e
	}
	var moves []move
	add := func(y []int, ok bool, post, cut int) {
		if ok {
			moves = append(moves, move{y, s.p.weightOf(cur.Agents) - s.p.weightOf(y), post, cut})
		}
	}
	for i := range s.p.Posts {
		if !s.active(cur.Agents, i) {
			continue
		}
		if k := s.stride[i]; k > 1 {
			y, ok := s.step(cur.Agents, i, -k)
			add(y, ok, i, k)
		}
		y, ok := s.step(cur.Agents, i, -1)
		add(y, ok, i, 1)
		for j := range s.p.Posts {
			// Blocks of one interval staffing differ in hours only by
			// holidays and clock changes; an offered shift unstaffed is
			// a move only as a neighbour.
			if sameStaffing(&s.p.Posts[i], &s.p.Posts[j]) || !s.active(cur.Agents, j) && !slices.Contains(s.near[i], j) {
				continue
			}
			if y, ok := s.step(cur.Agents, i, -1); ok && j != i && s.p.weight(j) < s.p.weight(i) {
				y, ok = s.step(y, j, +1)
				add(y, ok, -1, 0)
			}
		}
		// The shift moved to a neighbouring start or length, whole, and
		// with one agent fewer.
		for _, j := range s.near[i] {
			for fewer := range 2 {
				y, ok := s.moveShift(cur.Agents, i, j, fewer)
				add(y, ok, -1, 0)
			}
		}
		if s.p.Assessor != nil {
			y, ok := s.step(cur.Agents, i, +1)
			add(y, ok, -1, 0)
		}
	}
	// Of moves saving as much, a block of interval staffing whose own
	// checks have the most room first.
	room := func(m move) float64 {
		if m.post < 0 || s.blocks == nil || cur.Unstable || s.p.Posts[m.post].Block == nil {
			return 0
		}
		r := math.Inf(1)
		for _, c := range s.blocks.of(cur.Checks, s.p.Posts[m.post].Block) {
			r = min(r, margin(&c))
		}
		return r
	}
	slices.SortStableFunc(moves, func(a, b move) int {
		if c := cmp.Compare(b.saves, a.saves); c != 0 {
			return c
		}
		return cmp.Compare(room(b), room(a))
	})
	for _, m := range moves {
		e, err := s.evaluate(m.y, cur.Seed)
		if err != nil {
			return nil, err
		}
		if good(e) && cheaper(e, cur) {
			if m.post >= 0 {
				s.stride[m.post] = 2 * m.cut
			}
			return e, nil
		}
		if m.cut > 1 {
			s.stride[m.post] = 1
		}
	}
	return nil, nil
}

// sameStaffing reports whether posts a and b are blocks of the same
// interval staffing: moving an agent from one to the other is no move to
// a cheaper shift.
func sameStaffing(a, b *Post) bool {
	return a.Block != nil && b.Block != nil && a.Block.Intervals == b.Block.Intervals
}

// frontier simulates the staffings one agent away from x on each post —
// on every block of an interval staffing at once — with seed, and returns
// them with x, cheapest first.
func (s *search) frontier(x []int, seed uint64) ([]*Evaluation, error) {
	ys := [][]int{x}
	for i, q := range s.p.Posts {
		if !s.active(x, i) {
			continue
		}
		for _, d := range []int{-1, +1} {
			y, ok := s.step(x, i, d)
			if q.Block != nil {
				if q.Block.First != 0 {
					continue
				}
				y, ok = s.everyBlock(x, q.Block.Intervals, d)
			}
			if ok {
				ys = append(ys, y)
			}
		}
	}
	out := make([]*Evaluation, 0, len(ys))
	for _, y := range ys {
		e, err := s.evaluate(y, seed)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b *Evaluation) int {
		if c := cmp.Compare(a.Cost(), b.Cost()); c != 0 {
			return c
		}
		return cmp.Compare(a.AgentHours, b.AgentHours)
	})
	return out, nil
}

// blockStep returns cur's head counts with d more agents on every block of
// interval staffing whose own checks are all met in cur (d < 0), or some
// missed (d > 0), within its bounds; and with after, a simulation of that
// step, only on the blocks whose checks it still met. It reports whether
// any block moved.
func (s *search) blockStep(cur *Evaluation, d int, after *Evaluation) ([]int, bool) {
	if s.blocks == nil || cur.Unstable || after != nil && after.Unstable {
		return nil, false
	}
	y, moved := slices.Clone(cur.Agents), false
	for i, q := range s.p.Posts {
		if q.Block == nil || (d < 0) != s.blockMet(cur, q.Block) || after != nil && !s.blockMet(after, q.Block) {
			continue
		}
		if z, ok := s.step(y, i, d); ok {
			y, moved = z, true
		}
	}
	return y, moved
}

// blockMet reports whether e meets every check of block b.
func (s *search) blockMet(e *Evaluation, b *Block) bool {
	checks := s.blocks.of(e.Checks, b)
	for i := range checks {
		if !checks[i].Met() {
			return false
		}
	}
	return true
}

// everyBlock returns x with d more agents on every block of interval
// staffing k that its bounds allow, and whether any moved.
func (s *search) everyBlock(x []int, k, d int) ([]int, bool) {
	y, moved := slices.Clone(x), false
	for i, q := range s.p.Posts {
		if q.Block != nil && q.Block.Intervals == k {
			if z, ok := s.step(y, i, d); ok {
				y, moved = z, true
			}
		}
	}
	return y, moved
}

// step returns x with d more agents on post i, and whether that is within
// the post's bounds.
func (s *search) step(x []int, i, d int) ([]int, bool) {
	q := &s.p.Posts[i]
	n := x[i] + d
	if n < q.Min || q.Max > 0 && n > q.Max {
		return nil, false
	}
	y := slices.Clone(x)
	y[i] = n
	return y, true
}

// staffCost is the cost per week of head counts x, fixed staffing included.
func (p *Problem) staffCost(x []int) float64 {
	c := p.FixedCost
	for i, n := range x {
		c += float64(n) * p.hours(i) * p.Posts[i].Cost
	}
	return c
}

// callOuts sets e's expected on-call work, call-outs and their cost a
// week from its summary: each team's mean per replication, priced, over
// the measured window's weeks.
func (p *Problem) callOuts(e *Evaluation) {
	e.OnCallWork, e.CallOuts, e.CallOutCost = 0, 0, 0
	weeks := p.Model.Horizon.Hours() / sim.Week.Hours()
	for i := range e.Summary.Teams {
		t := &e.Summary.Teams[i]
		if t.CallOuts.N == 0 || t.CallOuts.Mean() == 0 {
			continue
		}
		work, calls := t.OnCallWorkHours.Mean()/weeks, t.CallOuts.Mean()/weeks
		e.OnCallWork += work
		e.CallOuts += calls
		if i < len(p.CallOuts) {
			e.CallOutCost += work*p.CallOuts[i].Work + calls*p.CallOuts[i].Fee
		}
	}
}

// hours is the agent-hours per week of one agent on post i.
func (p *Problem) hours(i int) float64 { return WeeklyHours(p.Posts[i].Unit, p.Model) }

// weight is what one more agent on post i costs per week for choosing
// between moves: its cost, or for a post that costs nothing a millionth of
// its hours, so that cheaper still means fewer hours.
func (p *Problem) weight(i int) float64 {
	if c := p.Posts[i].Cost * p.hours(i); c > 0 {
		return c
	}
	return max(p.hours(i), 1e-3) * 1e-6
}

// agentHours is the agent-hours per week of head counts x on the posts.
func (p *Problem) agentHours(x []int) float64 {
	var h float64
	for i, n := range x {
		h += float64(n) * p.hours(i)
	}
	return h
}

// weightOf is the weight of head counts x: their cost per week for
// choosing between moves.
func (p *Problem) weightOf(x []int) float64 {
	var w float64
	for i, n := range x {
		w += float64(n) * p.weight(i)
	}
	return w
}

// cheaper orders evaluations by total cost, then by agent-hours.
func cheaper(a, b *Evaluation) bool {
	return a.Cost() < b.Cost() || a.Cost() == b.Cost() && a.AgentHours < b.AgentHours
}

// shortfall is e's distance from the requirement; for an unstable
// candidate, it grows with the load its staffing cannot carry (unstable):
// the work nobody on duty may take, and what the teams that may take the
// rest lack (none when its backlog grew for want of agents at the right
// hours rather than on average), so that the search climbs out of it.
func (s *search) shortfall(e *Evaluation) float64 {
	var gap float64
	if e.Unstable {
		gap = unstable(s.p.Staffed(e.Agents))
	}
	return e.shortfall(gap)
}

// unstable is the load, in Erlangs, that staffing m cannot carry over the
// measured window: work no agent on duty may take, and beyond it what
// the most overloaded teams lack (sim.Model.Overload); 0 if it can carry
// it all.
func unstable(m *sim.Model) float64 {
	var gap float64
	w := m.Workload()
	for _, k := range capacity.Solve(&w.Window).Unserved {
		gap += w.Window.Load[k]
	}
	if u := m.Overload(); u != nil {
		gap += max(0, u.Load-u.Capacity)
	}
	return gap
}

// Staffed returns the problem's model with head counts x on the posts, one
// per post. For the head counts of a Result, use Result.Staffed.
func (p *Problem) Staffed(x []int) *sim.Model {
	m := *p.Model
	m.Teams = slices.Clone(p.Model.Teams)
	site := make([][]sim.Steps, len(m.Teams))
	call := make([][]sim.Steps, len(m.Teams))
	for i, n := range x {
		q := &p.Posts[i]
		if n == 0 {
			continue
		}
		add := &site[q.Team]
		if q.OnCall {
			add = &call[q.Team]
		}
		*add = append(*add, scale(q.Unit, n))
	}
	for i := range m.Teams {
		t := &m.Teams[i]
		if len(site[i]) > 0 {
			t.OnSite = staffing.Sum(append(site[i], t.OnSite)...)
		}
		if len(call[i]) > 0 {
			t.OnCall = staffing.Sum(append(call[i], t.OnCall)...)
		}
	}
	return &m
}

// scale returns the timeline s with every value multiplied by n.
func scale(s sim.Steps, n int) sim.Steps {
	v := make([]int, len(s.Value))
	for i, x := range s.Value {
		v[i] = x * n
	}
	return sim.Steps{At: s.At, Value: v}
}

func key(x []int, seed uint64) string {
	var b strings.Builder
	b.WriteString(strconv.FormatUint(seed, 10))
	for _, n := range x {
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// evaluate simulates staffing x under seed: a first batch of replications,
// then, while some check's interval straddles its level, as many again,
// up to the maximum. Replications already run for x are kept: batches
// extend the run with the next replication indexes.
func (s *search) evaluate(x []int, seed uint64) (*Evaluation, error) {
	k := key(x, seed)
	e := s.cache[k]
	if e == nil {
		e = &Evaluation{Agents: slices.Clone(x), Seed: seed, StaffCost: s.p.staffCost(x), AgentHours: s.p.agentHours(x)}
		s.cache[k] = e
		s.candidates++
		if err := s.extend(e, s.o.Replications); err != nil {
			return nil, err
		}
	}
	for e.undecided() && e.Replications < s.o.MaxReplications {
		if err := s.extend(e, min(e.Replications, s.o.MaxReplications-e.Replications)); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// extend runs n more replications of e's staffing and judges it afresh.
func (s *search) extend(e *Evaluation, n int) error {
	m := s.p.Staffed(e.Agents)
	o := sim.Options{Seed: e.Seed, Replications: n, FirstReplication: e.Replications, Workers: s.o.Workers, Detection: e.detection}
	if s.p.Assessor != nil && s.p.Assessor.Collector() != nil {
		o.Collector = s.p.Assessor.Collector
	}
	res, err := sim.Run(s.ctx, m, o)
	if err != nil {
		return fmt.Errorf("sizing: simulating %s: %w", s.describe(e.Agents), err)
	}
	if res.Partial {
		return fmt.Errorf("sizing: interrupted while simulating %s: %w", s.describe(e.Agents), context.Cause(s.ctx))
	}
	s.replications += n
	e.detection = res.Detection
	// A staffing that leaves work to nobody is never an answer: its
	// tickets would wait for ever. It counts as unstable, as far from
	// the requirement as the work it leaves.
	if res.Unstable != nil || e.Summary == nil && unstable(m) > 0 {
		e.Unstable, e.Summary, e.collected = true, nil, nil
		e.Replications += n
		e.Checks = s.checks(nil)
		e.Penalty, e.CallOutCost, e.OnCallWork, e.CallOuts = 0, 0, 0, 0
		if s.o.Progress != nil {
			s.o.Progress(e)
		}
		return nil
	}
	if e.Summary == nil {
		e.Summary, e.collected = res.Summary, res.Collected
	} else {
		if err := e.Summary.Merge(res.Summary); err != nil {
			return fmt.Errorf("sizing: %w", err)
		}
		if e.collected != nil {
			if err := e.collected.Merge(res.Collected); err != nil {
				return fmt.Errorf("sizing: %w", err)
			}
		}
	}
	e.Replications += n
	e.Checks = s.checks(e.Summary)
	s.p.callOuts(e)
	if s.p.Assessor != nil {
		all := &sim.Result{Summary: e.Summary, Seed: e.Seed, Planned: e.Replications, Collected: e.collected}
		checks, cost, err := s.p.Assessor.Assess(all, s.p.Requirement.Confidence)
		if err != nil {
			return fmt.Errorf("sizing: assessing %s: %w", s.describe(e.Agents), err)
		}
		e.Checks, e.Penalty = append(e.Checks, checks...), cost
	}
	if s.o.Progress != nil {
		s.o.Progress(e)
	}
	return nil
}

// checks judges the requirement's levels on a summary; a nil summary (an
// unstable candidate) fails every check.
func (s *search) checks(sum *sim.Summary) []Check {
	var out []Check
	conf := s.p.Requirement.Confidence
	for i, l := range s.p.Requirement.Levels {
		name := s.p.Model.Tiers[i].Name
		for _, c := range []struct {
			what  string
			level float64
			stats func(t *sim.TierStats) *sim.MetricStats
		}{
			{"response", l.Response, func(t *sim.TierStats) *sim.MetricStats { return &t.Response }},
			{"resolution", l.Resolution, func(t *sim.TierStats) *sim.MetricStats { return &t.Resolution }},
		} {
			if c.level == 0 {
				continue
			}
			ch := Check{Name: name + " " + c.what, Level: c.level, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
			if sum != nil {
				ms := c.stats(&sum.Tiers[i])
				ch.Mean = ms.Attainment.Mean()
				ch.Lo, ch.Hi = interval(ms, conf)
			}
			out = append(out, ch)
		}
	}
	return out
}

// minAgreeing is the fewest replications that, all with the same share
// in time, can vouch for a level.
const minAgreeing = 10

// interval is the interval of the mean attainment the level is judged by
// (sim.ShareCI: that of the replications' shares,
// widened if need be to that of the tickets pooled). Near a share of 1 a
// handful of replications that all, or nearly all, keep every ticket in
// time have almost no spread, and their interval almost no width; the
// tickets bound what can be claimed: 2,000 all in time put the share of
// misses below 0.19%, so they cannot vouch for 99.99%. When every
// replication has the same share, their spread says nothing at all of how
// often one falls short: fewer than minAgreeing cannot vouch for any level,
// and the lower end stays unknown, so that more are run.
func interval(ms *sim.MetricStats, conf float64) (lo, hi float64) {
	lo, hi = sim.ShareCI(&ms.Attainment, ms.Met, ms.Tickets, conf)
	if ms.Attainment.N < minAgreeing && ms.Attainment.Min == ms.Attainment.Max {
		return math.NaN(), hi
	}
	return lo, hi
}

// describe names a staffing for messages: "desk: mon-fri 08:00-20:00 = 6, …".
func (s *search) describe(x []int) string {
	parts := make([]string, len(x))
	for i, n := range x {
		parts[i] = fmt.Sprintf("%s = %d", s.p.Posts[i].Name, n)
	}
	return strings.Join(parts, ", ")
}
