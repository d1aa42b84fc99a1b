package contract

import (
	"errors"
	"math"
	"slices"

	"github.com/slasim/slasim/sim"
)

// Amount is the statistics of an amount of money per period.
type Amount struct {
	// Mean holds one value per replication: the mean over its periods.
	// Every replication has the same periods, so its mean is the mean per
	// period and its interval accounts for periods of one replication
	// being alike.
	Mean sim.Tally `json:"mean"`
	// Cents is the distribution of the amount of each period of each
	// replication.
	Cents Cents `json:"cents"`
}

func (a *Amount) merge(o *Amount) {
	a.Mean.Merge(&o.Mean)
	a.Cents.merge(&o.Cents)
}

// Quantile is the q-quantile of the amount per period: to the cent, or
// within CentsRelativeError once the distribution holds too many distinct
// amounts to keep exactly.
func (a *Amount) Quantile(q float64) float64 {
	return float64(a.Cents.Quantile(q)) / 100
}

// Proportion counts trials and those that succeeded.
type Proportion struct {
	Hits   int64 `json:"hits"`
	Trials int64 `json:"trials"`
}

func (p *Proportion) add(hit bool) {
	p.Trials++
	if hit {
		p.Hits++
	}
}

func (p *Proportion) merge(o Proportion) {
	p.Hits += o.Hits
	p.Trials += o.Trials
}

// Share is Hits / Trials, NaN without trials.
func (p Proportion) Share() float64 {
	if p.Trials == 0 {
		return math.NaN()
	}
	return float64(p.Hits) / float64(p.Trials)
}

// Interval is the Wilson score interval of the share at the given level
// (such as 0.95), treating trials as independent (sim.Wilson).
func (p Proportion) Interval(level float64) (lo, hi float64) {
	return sim.Wilson(p.Hits, p.Trials, level)
}

// Meets counts the periods in which one tier's attainment on one clock met
// its level. Periods without tickets of the tier have no attainment: they
// count in NoTickets, neither met nor missed.
type Meets struct {
	Level float64 `json:"level"`
	Proportion
	NoTickets int64 `json:"no_tickets"`
}

// Results are the merged contract statistics of a set of replications.
// Merging results of disjoint replication sets gives, bit for bit, the
// results of their union, whatever the order.
type Results struct {
	// Contract is the contract the results are of.
	Contract *Contract `json:"-"`
	Currency string    `json:"currency"`
	Tiers    []string  `json:"tiers"`
	// Periods are the full reporting periods of the measured window, the
	// same in every replication.
	Periods []Period `json:"periods"`
	// Term is the contract's length in periods, and TermCovered how many
	// of them the measured window holds.
	Term           int `json:"term"`
	TermCovered    int `json:"term_covered"`
	PeriodsPerYear int `json:"periods_per_year"`
	// Rules names the rules that make up a period's cost: the contract's
	// credit rules in order, then escalation when it has a ladder.
	Rules        []string `json:"rules"`
	Replications int64    `json:"replications"`

	// Cost is what a period costs the vendor: credits after the cap plus
	// the escalation ladder's costs. ByRule splits it by rule, as Rules
	// names them (the ladder's amount is its credits and costs), ByTier
	// splits the credits attributed to a tier (all but the escalation
	// ladder's); ByPeriod holds each period's cost, one value per
	// replication.
	Cost     Amount      `json:"cost"`
	ByRule   []Amount    `json:"by_rule"`
	ByTier   []Amount    `json:"by_tier"`
	ByPeriod []sim.Tally `json:"by_period"`
	Revenue  sim.Tally   `json:"revenue"`
	Capped   Proportion  `json:"capped"`
	// Meets holds, by tier, each clock's periods meeting its level, in the
	// order of levelClocks: response, resolution, the named clocks.
	Meets [][]Meets `json:"meets"`
	// AllMet counts the periods, of those with tickets of some tier with
	// a level, that meet every tier's every level: a period missing any
	// level, as commitment letters count them.
	AllMet Proportion   `json:"-"`
	Ladder []Proportion `json:"ladder"`
	// Terminated counts replications in which the client gains the right
	// to terminate within the first term (its covered part).
	Terminated Proportion `json:"terminated"`
	// Years are the whole contract years in the measured window:
	// YearCost and Fund hold each year's cost and continuity fund, and
	// OverFund counts the years whose cost exceeded the fund.
	YearCost sim.Tally  `json:"year_cost"`
	Fund     sim.Tally  `json:"fund"`
	OverFund Proportion `json:"over_fund"`
}

func newResults(p *Plan) *Results {
	c := &p.c
	r := &Results{
		Contract:       c,
		Currency:       c.Currency,
		Tiers:          p.tiers,
		Periods:        p.periods,
		Term:           c.Term,
		TermCovered:    min(c.Term, len(p.periods)),
		PeriodsPerYear: c.PeriodsPerYear(),
		ByTier:         make([]Amount, len(p.tiers)),
		ByPeriod:       make([]sim.Tally, len(p.periods)),
		Meets:          make([][]Meets, len(p.tiers)),
	}
	for _, rule := range c.Credits {
		r.Rules = append(r.Rules, rule.Name())
	}
	if c.Escalation != nil {
		r.Rules = append(r.Rules, "escalation")
	}
	r.ByRule = make([]Amount, len(r.Rules))
	clocks := levelClocks(len(c.Clocks))
	for i := range r.Meets {
		r.Meets[i] = make([]Meets, len(clocks))
		for k, ck := range clocks {
			r.Meets[i][k].Level = p.level(i, ck)
		}
	}
	if c.Escalation != nil {
		r.Ladder = make([]Proportion, len(c.Escalation.Steps))
	}
	return r
}

// Merge adds o's replications to r; both must come from the same plan.
func (r *Results) Merge(o *Results) error {
	if len(r.Tiers) != len(o.Tiers) || len(r.Periods) != len(o.Periods) || len(r.Ladder) != len(o.Ladder) || r.Term != o.Term || !slices.Equal(r.Rules, o.Rules) {
		return errors.New("contract: merging results of different contracts or windows")
	}
	for i := range r.Periods {
		if r.Periods[i].Start != o.Periods[i].Start || r.Periods[i].End != o.Periods[i].End {
			return errors.New("contract: merging results of different periods")
		}
	}
	r.Replications += o.Replications
	r.Cost.merge(&o.Cost)
	for i := range r.ByRule {
		r.ByRule[i].merge(&o.ByRule[i])
	}
	for i := range r.ByTier {
		r.ByTier[i].merge(&o.ByTier[i])
	}
	for i := range r.ByPeriod {
		r.ByPeriod[i].Merge(&o.ByPeriod[i])
	}
	r.Revenue.Merge(&o.Revenue)
	r.Capped.merge(o.Capped)
	for i := range r.Meets {
		if len(r.Meets[i]) != len(o.Meets[i]) {
			return errors.New("contract: merging results of different clocks")
		}
		for k := range r.Meets[i] {
			r.Meets[i][k].merge(o.Meets[i][k].Proportion)
			r.Meets[i][k].NoTickets += o.Meets[i][k].NoTickets
		}
	}
	for i := range r.Ladder {
		r.Ladder[i].merge(o.Ladder[i])
	}
	r.AllMet.merge(o.AllMet)
	r.Terminated.merge(o.Terminated)
	r.YearCost.Merge(&o.YearCost)
	r.Fund.Merge(&o.Fund)
	r.OverFund.merge(o.OverFund)
	return nil
}
