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
// does), must reach periodsMet.
func ContractAssessor(plan *contract.Plan, periodsMet float64) (Assessor, error) {
	if len(plan.Periods()) == 0 {
		return nil, errors.New("sizing: the measured window holds no full contract period; lengthen the horizon to cover one")
	}
	if !(periodsMet >= 0 && periodsMet < 1) {
		return nil, fmt.Errorf("sizing: the share of periods meeting their levels must be at least 0 and below 1, got %v", periodsMet)
	}
	var hours float64
	for _, p := range plan.Periods() {
		hours += p.Hours()
	}
	weeks := hours / float64(len(plan.Periods())) / sim.Week.Hours()
	return &contractAssessor{plan: plan, periodsMet: periodsMet, weeks: weeks}, nil
}

type contractAssessor struct {
	plan       *contract.Plan
	periodsMet float64
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
			for _, k := range []contract.Clock{contract.Response, contract.Resolution} {
				m := r.Meets[i][k]
				if m.Level == 0 {
					continue
				}
				lo, hi := m.Interval(confidence)
				checks = append(checks, Check{
					Name:  fmt.Sprintf("%s %s: periods at %s", tier, k, format.Level(m.Level)),
					Level: a.periodsMet, Mean: m.Share(), Lo: lo, Hi: hi,
				})
			}
		}
	}
	return checks, r.Cost.Mean.Mean() / a.weeks, nil
}
