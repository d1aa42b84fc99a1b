package promise

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// DefaultLadder is the ladder of targets a vendor usually chooses from.
var DefaultLadder = []time.Duration{
	5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour,
}

// MaxRungs bounds a ladder: each rung of each tier and clock costs a
// counter per period, and with a contract a collector of its own.
const MaxRungs = 32

// A Question is what a vendor asks: for each tier and clock, the tightest
// target of Ladder whose Levels a Period (day, week or month) meets in at
// least Share of periods, with Confidence.
type Question struct {
	// Ladder holds the targets to choose from, increasing.
	Ladder []time.Duration
	// Levels are each tier's levels: the share of a period's tickets that
	// must be within the target (on a named clock, of the tickets it
	// timed); a clock with level 0 is not asked about. Named clocks'
	// levels (Clocks) are indexed like the model's sim.Model.ClockNames;
	// a level on a clock the tier does not have is not asked about.
	Levels []contract.Levels
	// Updates are each tier's level on its updates clock (sim.Updates):
	// the share of a period's updates, of the tickets arriving in it,
	// done within the target; 0, or none, asks nothing.
	Updates           []float64
	Share, Confidence float64
	Period            string
}

// Check reports what is wrong with the question for a model of tiers
// tiers, as a *QuestionError naming the field.
func (q *Question) Check(tiers int) error {
	wrong := func(field, format string, a ...any) error {
		return &QuestionError{Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case len(q.Ladder) == 0 || len(q.Ladder) > MaxRungs:
		return wrong("Ladder", "the ladder has %d targets, it needs 1 to %d", len(q.Ladder), MaxRungs)
	case !(q.Share > 0 && q.Share <= 1):
		return wrong("Share", "the share of periods must be above 0 and at most 100%%, got %g", q.Share)
	case !(q.Confidence >= 0.5 && q.Confidence < 1):
		return wrong("Confidence", "the confidence must be at least 50%% and below 100%%, got %g", q.Confidence)
	case q.Period != "day" && q.Period != "week" && q.Period != "month":
		return wrong("Period", "the period must be day, week or month, got %q", q.Period)
	case len(q.Levels) != tiers:
		return wrong("Levels", "%d levels for %d tiers", len(q.Levels), tiers)
	case len(q.Updates) > tiers:
		return wrong("Updates", "%d levels for %d tiers", len(q.Updates), tiers)
	}
	for i, d := range q.Ladder {
		if d <= 0 || i > 0 && d <= q.Ladder[i-1] {
			return wrong("Ladder", "the ladder's targets must be above 0 and increasing, got %v after %v", d, q.Ladder[max(i-1, 0)])
		}
	}
	for i, l := range q.Levels {
		for _, v := range append([]float64{l.Response, l.Resolution}, l.Clocks...) {
			if !(v >= 0 && v <= 1) {
				return wrong("Levels", "tier %d: a level must be between 0 and 100%%, got %g", i, v)
			}
		}
	}
	for i, v := range q.Updates {
		if !(v >= 0 && v <= 1) {
			return wrong("Updates", "tier %d: a level must be between 0 and 100%%, got %g", i, v)
		}
	}
	return nil
}

// A QuestionError is what is wrong with a Question: Field names the field
// of Question at fault.
type QuestionError struct {
	Field, Reason string
}

func (e *QuestionError) Error() string { return e.Reason }

// A Plan is a question laid over a model's measured window: the
// collectors a run needs, and the answer from what they collected.
type Plan struct {
	q        Question
	l        *layout
	contract *contract.Plan
	model    *sim.Model
}

// NewPlan lays the question over m, whose Dates must hold the periods of
// q.Period. With c, the contract laid over the same window, the answer
// also tells what each promise would cost.
func NewPlan(m *sim.Model, q Question, c *contract.Plan) (*Plan, error) {
	if err := q.Check(len(m.Tiers)); err != nil {
		return nil, fmt.Errorf("promise: %w", err)
	}
	// A tier that promises no resolution is asked nothing about it.
	q.Levels = slices.Clone(q.Levels)
	for i := range q.Levels {
		if !m.Tiers[i].HasResolution() {
			q.Levels[i].Resolution = 0
		}
	}
	l, err := newLayout(m, q.Period, q.Ladder, q.Levels, q.Updates)
	if err != nil {
		return nil, err
	}
	return &Plan{q: q, l: l, contract: c, model: m}, nil
}

// NewCollector returns an empty collector of the plan, for
// sim.Options.Collector: the promise's counter, then with a contract the
// credits of every tier, clock and rung asked about (see credits).
func (p *Plan) NewCollector() sim.Collector {
	cs := sim.Collectors{p.l.newCounter()}
	if p.contract == nil {
		return cs
	}
	cr := newCredits(p.contract, len(p.q.Levels))
	for i := range p.l.slots {
		if p.l.slots[i].updates {
			continue // the contract judges tickets, not updates
		}
		for _, target := range p.q.Ladder {
			cr.add(p.contract, &p.l.slots[i], target)
		}
	}
	return append(cs, cr)
}

// Answer is a promise's table: a row per tier and clock asked about,
// tier by tier: response, resolution, the tier's named clocks, then its
// updates.
type Answer struct {
	Question
	// Periods is the number of whole periods in the measured window of
	// each replication.
	Periods      int
	Replications int64
	// Contract tells whether rungs have a cost, and its Currency; MaxCost
	// is the most a period can cost under it (contract.Contract.MaxCost).
	Contract bool
	Currency string
	MaxCost  float64
	Rows     []Row
	// NoResolution names the tiers that promise no resolution, and so have
	// no resolution row.
	NoResolution []string
}

// Row is one tier's clock: what each rung achieves, and the promise.
type Row struct {
	Tier string
	// Clock is response, resolution, the named clock's name or updates
	// (sim.UpdatesClock).
	Clock string
	Level float64
	// Target is the scenario's own target for the clock (a named clock's
	// in the tier's hours, not its off-hours one).
	Target time.Duration
	Rungs  []Rung
	// Promise is the index of the tightest rung that can be promised, -1
	// when none can.
	Promise int
	// Periods counts periods with tickets of the tier (on a named clock,
	// tickets it timed), over replications.
	Periods int64
}

// Rung is what one target of the ladder achieves on a row's clock.
type Rung struct {
	Target time.Duration
	// Met counts the periods meeting the level within Target, with its
	// Wilson interval at the question's confidence.
	Met       contract.Proportion
	Low, High float64
	// Attainment holds each period's share of tickets within Target (on a
	// named clock, of those it timed); Tickets and Within are pooled over
	// all periods.
	Attainment      sim.Tally
	Tickets, Within int64
	// Cost is a period's cost under the contract with Target promised on
	// this clock (nil without a contract, and on the updates clock, which
	// the contract does not judge).
	Cost *contract.Amount
}

// Answer reads the statistics collected by a run of the plan's
// collectors.
func (p *Plan) Answer(collected sim.Collector) (*Answer, error) {
	cs, ok := collected.(sim.Collectors)
	if !ok || len(cs) == 0 {
		return nil, errors.New("promise: the run has no promise collectors")
	}
	counter, ok := cs[0].(*Counter)
	if !ok || counter.l != p.l {
		return nil, errors.New("promise: the run's collectors are of another plan")
	}
	r := counter.Counts()
	a := &Answer{Question: p.q, Periods: p.l.periods, Replications: r.Replications, Contract: p.contract != nil}
	for _, t := range p.model.Tiers {
		if !t.HasResolution() {
			a.NoResolution = append(a.NoResolution, t.Name)
		}
	}
	var rungs []*retarget
	if p.contract != nil {
		cr, ok := cs[len(cs)-1].(*credits)
		if !ok {
			return nil, errors.New("promise: the run has no contract credits")
		}
		rungs = cr.rungs
	}
	k := len(p.q.Ladder)
	for s, sl := range p.l.slots {
		row := Row{Tier: p.model.Tiers[sl.tier].Name, Clock: sl.name, Level: sl.level, Target: sl.target, Promise: -1, Periods: r.Periods[s]}
		for j, target := range p.q.Ladder {
			i := s*k + j
			g := Rung{Target: target, Met: contract.Proportion{Hits: r.Met[i], Trials: r.Periods[s]}, Attainment: r.Attainment[i], Tickets: r.Tickets[s], Within: r.Within[i]}
			g.Low, g.High = g.Met.Interval(p.q.Confidence)
			if p.contract != nil && !sl.updates {
				res := rungs[0].c.Results()
				a.Currency, a.MaxCost = res.Currency, res.Contract.MaxCost()
				g.Cost = &res.Cost
				rungs = rungs[1:]
			}
			if row.Promise < 0 && g.Low >= p.q.Share {
				row.Promise = j
			}
			row.Rungs = append(row.Rungs, g)
		}
		a.Rows = append(a.Rows, row)
	}
	return a, nil
}

// Promised returns the row's promised rung, nil when none can be.
func (r *Row) Promised() *Rung {
	if r.Promise < 0 {
		return nil
	}
	return &r.Rungs[r.Promise]
}

// Loosest returns the row's loosest rung: what the ladder's end achieves,
// which tells by how much a row without a promise falls short.
func (r *Row) Loosest() *Rung { return &r.Rungs[len(r.Rungs)-1] }

// PeriodsToVouch is the fewest periods whose Wilson interval at the
// confidence has its lower end at share or above when every period meets
// the level: n/(n+z²) >= share. Fewer cannot vouch for the share, however
// well the staffing does.
func PeriodsToVouch(share, confidence float64) int64 {
	if share >= 1 {
		return math.MaxInt64
	}
	z := distuv.UnitNormal.Quantile(0.5 + confidence/2)
	return int64(math.Ceil(share * z * z / (1 - share)))
}
