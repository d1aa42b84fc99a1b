package sizing

import (
	"errors"
	"fmt"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// ContractAssessor judges candidates by a contract laid over the measured
// window (package sim/contract). Its expected cost a week — credits after
// the cap, plus the escalation ladder's costs, per period and divided by
// the periods' mean length in weeks — joins the staff cost in the total
// that sizing minimises. When periodsMet > 0, every tier and clock with a
// contractual level adds a check: the share of reporting periods whose
// attainment meets that level, by the lower end of its Wilson interval
// (periods of one replication taken as independent, as package contract
// does), must reach periodsMet. Each bound of risk adds a check of its
// own (see Risk).
func ContractAssessor(plan *contract.Plan, periodsMet float64, risk Risk) (Assessor, error) {
	if len(plan.Periods()) == 0 {
		return nil, errors.New("sizing: the measured window holds no full contract period; lengthen the horizon to cover one")
	}
	if !(periodsMet >= 0 && periodsMet < 1) {
		return nil, fmt.Errorf("sizing: the share of periods meeting their levels must be at least 0 and below 1, got %v", periodsMet)
	}
	for _, b := range []struct {
		name  string
		bound float64
	}{{"termination", risk.Termination}, {"over_fund", risk.OverFund}, {"period_missed", risk.PeriodMissed}} {
		if !(b.bound >= 0 && b.bound < 1) {
			return nil, fmt.Errorf("sizing: the bound on the risk %s must be at least 0 and below 1, got %v", b.name, b.bound)
		}
	}
	var hours float64
	for _, p := range plan.Periods() {
		hours += p.Hours()
	}
	weeks := hours / float64(len(plan.Periods())) / sim.Week.Hours()
	return &contractAssessor{plan: plan, periodsMet: periodsMet, risk: risk, weeks: weeks}, nil
}

// Risk bounds what a contract risks beyond a period's credits: each a
// probability the staffing must keep below, judged, as every check is, by
// its interval at the requirement's confidence — here the Wilson interval
// of the proportion, whose upper end must be at most the bound (the check
// is written as its complement: "no termination right" at 1 − bound). 0
// leaves a risk unchecked. Few replications cannot vouch for a small
// bound: with none of n replications terminating, the upper end at 95%
// is about 3.84/(n + 3.84), so 5% needs 73 of them.
type Risk struct {
	// Termination bounds P(the client gains a right to terminate within
	// the term), the share of replications in which the escalation
	// ladder reaches a step that gives it (within the part of the term
	// the measured window covers).
	Termination float64 `json:"termination,omitempty"`
	// OverFund bounds P(a contract year's cost exceeds the continuity
	// fund), the share of the whole years of the measured window, over
	// replications, in which it does.
	OverFund float64 `json:"over_fund,omitempty"`
	// PeriodMissed bounds P(a reporting period misses any contractual
	// level), the share of periods, over replications, missing some
	// tier's level on some clock: a missed period as commitment letters
	// count it (periods_met asks instead for each tier and clock apart).
	PeriodMissed float64 `json:"period_missed,omitempty"`
}

type contractAssessor struct {
	plan       *contract.Plan
	periodsMet float64
	risk       Risk
	// weeks is the mean length of a period in weeks.
	weeks float64
}

func (a *contractAssessor) Collector() sim.Collector { return a.plan.NewCollector() }

func (a *contractAssessor) Assess(res *sim.Result, confidence float64) ([]Check, float64, error) {
	c, ok := res.Collected.(*contract.Collector)
	if !ok {
		return nil, 0, fmt.Errorf("contract: the run collected %T, not contract results", res.Collected)
	}
	r := c.Results()
	if r.Cost.Mean.N == 0 {
		return nil, 0, errors.New("contract: no replication holds a full period")
	}
	var checks []Check
	if a.periodsMet > 0 {
		for i, tier := range r.Tiers {
			for j, k := range r.Contract.LevelClocks() {
				m := r.Meets[i][j]
				if m.Level == 0 {
					continue
				}
				lo, hi := m.Interval(confidence)
				checks = append(checks, Check{
					Name:  fmt.Sprintf("%s %s: periods at %s", tier, r.Contract.ClockName(k), format.Level(m.Level)),
					Level: a.periodsMet, Mean: m.Share(), Lo: lo, Hi: hi,
				})
			}
		}
	}
	if b := a.risk.Termination; b > 0 {
		name := "no termination right within the term"
		if r.TermCovered < r.Term {
			name += fmt.Sprintf(" (%d of its %d periods simulated)", r.TermCovered, r.Term)
		}
		checks = append(checks, complement(name, b, r.Terminated, confidence))
	}
	if b := a.risk.PeriodMissed; b > 0 {
		missed := contract.Proportion{Hits: r.AllMet.Trials - r.AllMet.Hits, Trials: r.AllMet.Trials}
		checks = append(checks, complement("periods meeting every level", b, missed, confidence))
	}
	if b := a.risk.OverFund; b > 0 {
		if r.OverFund.Trials == 0 {
			return nil, 0, errors.New("contract: the measured window holds no whole contract year to compare with the continuity fund; lengthen the horizon to cover one")
		}
		checks = append(checks, complement("years within the continuity fund", b, r.OverFund, confidence))
	}
	return checks, r.Cost.Mean.Mean() / a.weeks, nil
}

// complement is the check that the probability p estimates is at most
// bound, written as its complement: the share of trials without the event
// at or above 1 − bound, by the Wilson interval at the confidence.
func complement(name string, bound float64, p contract.Proportion, confidence float64) Check {
	lo, hi := p.Interval(confidence)
	return Check{Name: name, Level: 1 - bound, Mean: 1 - p.Share(), Lo: 1 - hi, Hi: 1 - lo}
}
