package reports

import (
	"fmt"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
)

// Contract is the money side of a run whose scenario has a contract: what
// breaches cost per reporting period, and the risks the contract carries.
// Amounts are in the contract's currency; shares between 0 and 1.
type Contract struct {
	Currency string `json:"currency"`
	// Period is month or quarter; Periods lists the full periods of the
	// measured window, the only ones that count.
	Period       string   `json:"period"`
	Periods      []string `json:"periods"`
	Term         int      `json:"term_periods"`
	TermCovered  int      `json:"term_covered_periods"`
	Replications int64    `json:"replications"`
	// Revenue is the mean fee income per period.
	Revenue *Estimate `json:"revenue_per_period"`
	// Cost is what a period costs the vendor: credits after the cap plus
	// the escalation ladder's costs. ByRule and ByTier split it (the
	// ladder's credits and costs belong to no tier); ByPeriod gives each
	// period's mean.
	Cost     Money         `json:"cost_per_period"`
	ByRule   []RuleMoney   `json:"by_rule"`
	ByTier   []TierMoney   `json:"by_tier"`
	ByPeriod []PeriodMoney `json:"by_period"`
	// Levels gives, per tier and clock with a contractual level, the
	// probability that a period meets it.
	Levels []LevelRisk `json:"levels"`
	// Cap is the cap as a share of a period's revenue, and CapReached the
	// probability that a period's credits reach it; absent without a cap.
	Cap        float64      `json:"cap,omitempty"`
	CapReached *Probability `json:"cap_reached,omitempty"`
	// Escalation is the ladder, when the contract has one.
	Escalation *Ladder `json:"escalation,omitempty"`
	// Reserve checks the continuity fund, when the contract has one and
	// the measured window holds a whole contract year.
	Reserve *Reserve `json:"reserve,omitempty"`
	// Notes say what limits the figures, such as a window shorter than the
	// term.
	Notes []string `json:"notes"`

	// results are the merged statistics, which the histogram of the cost
	// and the HTML page's rules draw on.
	results *contract.Results
}

// Money is an amount per period: its mean over replications with its
// interval, and quantiles over every period of every replication, exact to
// the cent or (when Exact is false, in long runs) within
// contract.CentsRelativeError.
type Money struct {
	Mean  *Estimate `json:"mean"`
	P50   float64   `json:"p50"`
	P95   float64   `json:"p95"`
	P99   float64   `json:"p99"`
	Exact bool      `json:"exact"`
}

// RuleMoney is one rule's share of the cost.
type RuleMoney struct {
	Rule string `json:"rule"`
	Money
}

// TierMoney is the credits attributed to one tier.
type TierMoney struct {
	Tier string `json:"tier"`
	Money
}

// PeriodMoney is one period's mean cost over replications.
type PeriodMoney struct {
	Period string    `json:"period"`
	Cost   *Estimate `json:"cost"`
}

// LevelRisk is the chance that a period meets one tier's level on one
// clock. Periods without tickets of the tier count neither way.
type LevelRisk struct {
	Tier                  string       `json:"tier"`
	Clock                 string       `json:"clock"`
	Level                 float64      `json:"level"`
	Meets                 *Probability `json:"meets"`
	PeriodsWithoutTickets int64        `json:"periods_without_tickets"`
}

// Probability is an estimated probability with its Wilson score interval
// at the report's confidence, from Hits of Trials.
type Probability struct {
	P      float64 `json:"p"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Hits   int64   `json:"hits"`
	Trials int64   `json:"trials"`
}

// Ladder is the escalation ladder and how far breaches climb it.
type Ladder struct {
	// Per is contract (the count runs over a term) or period; Counts is
	// what one breach is (missed_period, missed_level, breached_ticket),
	// among Tiers.
	Per    string       `json:"per"`
	Counts string       `json:"counts"`
	Tiers  []string     `json:"tiers"`
	Steps  []LadderStep `json:"steps"`
	// Termination is the probability that the client gains the right to
	// terminate within the first term (its covered part); absent when no
	// step gives it.
	Termination *Probability `json:"termination,omitempty"`
}

// LadderStep is one rung of the ladder. Reached is the probability of reaching
// it: within the first term per replication for a ladder per contract,
// per period for a ladder per period.
type LadderStep struct {
	Action    string       `json:"action"`
	Cost      float64      `json:"cost"`
	Credit    float64      `json:"credit"`
	Terminate bool         `json:"terminate"`
	Reached   *Probability `json:"reached"`
}

// Reserve is the continuity fund against a year's cost.
type Reserve struct {
	Share    float64   `json:"share"`
	Fund     *Estimate `json:"fund"`
	YearCost *Estimate `json:"year_cost"`
	// Exceeded is the probability that a contract year's cost exceeds the
	// fund, over every whole year of every replication.
	Exceeded *Probability `json:"exceeded"`
}

func probability(p contract.Proportion) *Probability {
	if p.Trials == 0 {
		return nil
	}
	lo, hi := p.Interval(sim.Confidence)
	return &Probability{P: p.Share(), Lo: lo, Hi: hi, Hits: p.Hits, Trials: p.Trials}
}

func money(a *contract.Amount) Money {
	return Money{Mean: amountEstimate(&a.Mean, 1), P50: a.Quantile(0.5), P95: a.Quantile(0.95), P99: a.Quantile(0.99), Exact: a.Cents.Exact()}
}

// newContract reports the contract results of a run, if it had them.
func newContract(collected sim.Collector) *Contract {
	col, ok := sim.FindCollector[*contract.Collector](collected)
	if !ok {
		return nil
	}
	cr := col.Results()
	k := cr.Contract
	c := &Contract{
		Currency:     cr.Currency,
		Period:       "month",
		Term:         cr.Term,
		TermCovered:  cr.TermCovered,
		Replications: cr.Replications,
		Revenue:      amountEstimate(&cr.Revenue, 1),
		Cost:         money(&cr.Cost),
		Periods:      []string{},
		ByRule:       []RuleMoney{},
		ByTier:       []TierMoney{},
		ByPeriod:     []PeriodMoney{},
		Levels:       []LevelRisk{},
		Notes:        []string{},
		results:      cr,
	}
	if k.PeriodMonths == 3 {
		c.Period = "quarter"
	}
	for i, p := range cr.Periods {
		c.Periods = append(c.Periods, p.Label())
		c.ByPeriod = append(c.ByPeriod, PeriodMoney{Period: p.Label(), Cost: amountEstimate(&cr.ByPeriod[i], 1)})
	}
	for i, name := range cr.Rules {
		c.ByRule = append(c.ByRule, RuleMoney{Rule: name, Money: money(&cr.ByRule[i])})
	}
	for i, name := range cr.Tiers {
		c.ByTier = append(c.ByTier, TierMoney{Tier: name, Money: money(&cr.ByTier[i])})
		for j, ck := range k.LevelClocks() {
			m := cr.Meets[i][j]
			if m.Level > 0 {
				c.Levels = append(c.Levels, LevelRisk{Tier: name, Clock: k.ClockName(ck), Level: m.Level, Meets: probability(m.Proportion), PeriodsWithoutTickets: m.NoTickets})
			}
		}
	}
	if k.Cap > 0 {
		c.Cap, c.CapReached = k.Cap, probability(cr.Capped)
	}
	if e := k.Escalation; e != nil {
		c.Escalation = &Ladder{Per: "contract", Counts: e.Counts.String(), Tiers: []string{}}
		if e.PerPeriod {
			c.Escalation.Per = "period"
		}
		for i, name := range cr.Tiers {
			if e.Tiers == nil || e.Tiers[i] {
				c.Escalation.Tiers = append(c.Escalation.Tiers, name)
			}
		}
		terminates := false
		for i, s := range e.Steps {
			c.Escalation.Steps = append(c.Escalation.Steps, LadderStep{Action: s.Action, Cost: s.Cost, Credit: s.Credit, Terminate: s.Terminate, Reached: probability(cr.Ladder[i])})
			terminates = terminates || s.Terminate
		}
		if terminates {
			c.Escalation.Termination = probability(cr.Terminated)
		}
	}
	if k.Reserve > 0 && cr.OverFund.Trials > 0 {
		c.Reserve = &Reserve{Share: k.Reserve, Fund: amountEstimate(&cr.Fund, 1), YearCost: amountEstimate(&cr.YearCost, 1), Exceeded: probability(cr.OverFund)}
	}
	c.withinCap(k)
	c.Notes = contractNotes(c, k)
	return c
}

// withinCap keeps the intervals of credits and costs within what the cap
// lets them be (contract.MaxCredit, MaxCost): with most months at the
// cap, the skewness-corrected interval of few replications reached past
// it.
func (c *Contract) withinCap(k *contract.Contract) {
	credit, cost := k.MaxCredit(), k.MaxCost()
	for i := range c.ByTier {
		bounded(c.ByTier[i].Mean, 0, credit)
	}
	for i := range c.ByRule {
		top := credit
		if i == len(k.Credits) { // the ladder's credits and costs
			top = cost
		}
		bounded(c.ByRule[i].Mean, 0, top)
	}
	bounded(c.Cost.Mean, 0, cost)
	for i := range c.ByPeriod {
		bounded(c.ByPeriod[i].Cost, 0, cost)
	}
	if c.Reserve != nil {
		bounded(c.Reserve.YearCost, 0, cost*float64(k.PeriodsPerYear()))
	}
}

// contractNotes says what limits the figures.
func contractNotes(c *Contract, k *contract.Contract) []string {
	notes := []string{}
	switch n := len(c.Periods); {
	case n == 0:
		return append(notes, fmt.Sprintf("the measured window holds no full calendar %s: no contract figures; lengthen the horizon", c.Period))
	case c.Escalation != nil && c.Escalation.Termination != nil && c.TermCovered < c.Term:
		notes = append(notes, fmt.Sprintf("the measured window holds %d of the term's %s: the probability of termination covers those only, and understates the term's", c.TermCovered, c.periods(int64(c.Term))))
	}
	if k.Reserve > 0 && c.Reserve == nil {
		notes = append(notes, fmt.Sprintf("the measured window holds no whole contract year: the %s reserve is not checked; lengthen the horizon to a year or more", format.Level(k.Reserve)))
	}
	return notes
}

// writeContract writes the contract's section of the text report.
func (r *Report) writeContract(p *printer) {
	c := r.Contract
	if c == nil || p.err != nil {
		return
	}
	cur := ""
	if c.Currency != "" {
		cur = ", amounts in " + c.Currency
	}
	p.f("\nContract (%s measured", c.periods(int64(len(c.Periods))))
	if n := len(c.Periods); n > 0 {
		p.f(", %s to %s", c.Periods[0], c.Periods[n-1])
	}
	p.f("; term %s%s):\n", c.periods(int64(c.Term)), cur)
	if len(c.Periods) == 0 {
		for _, n := range c.Notes {
			p.f("  %s\n", n)
		}
		return
	}
	capped := ""
	if c.Cap > 0 {
		capped = fmt.Sprintf(" after the %s cap", format.Level(c.Cap))
	}
	p.f("  cost per %s (credits%s, plus escalation costs): mean %s", c.Period, capped, moneyCI(c.Cost.Mean))
	p.f(" · median %s · p95 %s · p99 %s", format.Money(c.Cost.P50), format.Money(c.Cost.P95), format.Money(c.Cost.P99))
	if !c.Cost.Exact {
		p.f(" (quantiles within %s)", format.Level(contract.CentsRelativeError))
	}
	if c.Revenue != nil && c.Revenue.Mean > 0 && c.Cost.Mean != nil {
		p.f(" · %s of revenue (%s)", format.Level(c.Cost.Mean.Mean/c.Revenue.Mean), format.Money(c.Revenue.Mean))
	}
	p.f("\n")
	var parts []string
	for _, m := range c.ByRule {
		parts = append(parts, fmt.Sprintf("%s %s (p95 %s)", strings.ReplaceAll(m.Rule, "_", "-"), format.Money(meanOf(m.Mean)), format.Money(m.P95)))
	}
	p.f("    by rule, mean: %s\n", strings.Join(parts, " · "))
	parts = parts[:0]
	for _, m := range c.ByTier {
		parts = append(parts, fmt.Sprintf("%s %s", m.Tier, format.Money(meanOf(m.Mean))))
	}
	p.f("    by tier, mean: %s\n", strings.Join(parts, " · "))
	if c.CapReached != nil {
		p.f("    the cap is reached in %s of %ss\n", probText(c.CapReached), c.Period)
	}
	if len(c.Levels) > 0 {
		p.f("  probability that a %s meets its level:\n", c.Period)
		tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "    tier\tclock\tlevel\tP(meets)\t95%% interval\t%ss without tickets\n", c.Period)
		for _, l := range c.Levels {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%d\n", l.Tier, l.Clock, format.Level(l.Level), probShare(l.Meets), probInterval(l.Meets), l.PeriodsWithoutTickets)
		}
		if err := tw.Flush(); err != nil {
			p.err = err
			return
		}
	}
	if e := c.Escalation; e != nil {
		p.f("  escalation ladder (%s): the chance of reaching each step %s\n", ladderBreach(e, c), ladderScope(e, c))
		for i, s := range e.Steps {
			p.f("    %d. %s: %s\n", i+1, stepText(s, c.Period), probText(s.Reached))
		}
		if e.Termination != nil {
			p.f("  probability of a termination right within the %d-%s term: %s\n", c.Term, c.Period, probText(e.Termination))
		}
	}
	if rs := c.Reserve; rs != nil {
		p.f("  reserve of %s of a year's revenue (%s a year): a year costs %s; probability that a year's cost exceeds the reserve: %s\n",
			format.Level(rs.Share), format.Money(meanOf(rs.Fund)), moneyCI(rs.YearCost), probText(rs.Exceeded))
	}
	for _, n := range c.Notes {
		p.f("  note: %s\n", n)
	}
}

func meanOf(e *Estimate) float64 {
	if e == nil {
		return math.NaN()
	}
	return e.Mean
}

func moneyCI(e *Estimate) string {
	if e == nil {
		return format.Unknown
	}
	if e.Lo == nil {
		return format.Money(e.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", format.Money(e.Mean), format.Money(*e.Lo), format.Money(*e.Hi))
}

func probShare(p *Probability) string {
	if p == nil {
		return format.Unknown
	}
	return format.Percent(p.P)
}

func probInterval(p *Probability) string {
	if p == nil {
		return format.Unknown
	}
	return format.Interval(p.Lo, p.Hi)
}

func probText(p *Probability) string {
	if p == nil {
		return format.Unknown
	}
	return fmt.Sprintf("%s %s (%d of %d)", probShare(p), probInterval(p), p.Hits, p.Trials)
}

// ladderBreach says what one breach of the ladder is.
func ladderBreach(e *Ladder, c *Contract) string {
	tiers := "any tier"
	if n := len(e.Tiers); n < len(c.ByTier) {
		tiers = strings.Join(e.Tiers[:n-1], ", ")
		if n > 1 {
			tiers += " or "
		}
		tiers += e.Tiers[n-1]
	}
	switch e.Counts {
	case "missed_level":
		return fmt.Sprintf("a breach is each level %s misses in a %s", tiers, c.Period)
	case "breached_ticket":
		return fmt.Sprintf("a breach is each breached ticket of %s", tiers)
	}
	return fmt.Sprintf("a breach is a %s in which %s misses a level", c.Period, tiers)
}

func ladderScope(e *Ladder, c *Contract) string {
	switch {
	case e.Per == "period":
		return fmt.Sprintf("in a %s (the count starts afresh each %s)", c.Period, c.Period)
	case c.TermCovered < c.Term:
		return fmt.Sprintf("within the first %s of the term, all the window holds", c.periods(int64(c.TermCovered)))
	}
	return fmt.Sprintf("within the first %d-%s term", c.Term, c.Period)
}

func stepText(s LadderStep, period string) string {
	var what []string
	if s.Cost > 0 {
		what = append(what, "costs "+format.Money(s.Cost))
	}
	if s.Credit > 0 {
		what = append(what, format.Level(s.Credit)+" of the "+period+"'s revenue")
	}
	if s.Terminate {
		what = append(what, "termination right")
	}
	switch {
	case s.Action == "" && len(what) == 0:
		return "no consequence"
	case s.Action == "":
		return strings.Join(what, ", ")
	case len(what) == 0:
		return s.Action
	}
	return s.Action + " (" + strings.Join(what, ", ") + ")"
}

// periods writes n of the contract's periods: "1 month", "12 months".
func (c *Contract) periods(n int64) string {
	return fmt.Sprintf("%d %s", n, plural.Of(int(n), c.Period, c.Period+"s"))
}
