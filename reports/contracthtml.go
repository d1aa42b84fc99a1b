package reports

import (
	"fmt"
	"strings"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim/contract"
)

// htmlContract is the Contract section of a run's HTML page: the contract
// as simulated, what it costs per period and the risks it carries.
type htmlContract struct {
	// Period is month or quarter, Periods its plural, PeriodsTitle that
	// capitalised.
	Period, Periods, PeriodsTitle string
	Lede                          string
	Facts                         []htmlFact
	Rules                         []string
	// Money is the cost per period, then its split by rule and by tier.
	Money  []htmlMoneyRow
	Levels []htmlLevelRow
	Risks  []htmlFact
	Notes  []string
	Figure *htmlFigure
	// Ladder is set when the contract has an escalation ladder.
	Ladder bool
}

// htmlMoneyRow is an amount per period: its mean with interval, its
// quantiles and its share of the revenue.
type htmlMoneyRow struct {
	Group, Name                          string
	First, Total                         bool
	Mean, Interval, P50, P95, P99, Share string
}

// htmlLevelRow is the probability that a period meets a tier's level on
// one clock.
type htmlLevelRow struct {
	Tier, Clock, Level, P, Interval, Periods, Without string
	First                                             bool
}

// htmlContract builds the Contract section, with the histogram among figs
// if there is one; nil without a contract.
func (r *Report) htmlContract(figs []htmlFigure) *htmlContract {
	c := r.Contract
	if c == nil {
		return nil
	}
	h := &htmlContract{Period: c.Period, Periods: c.Period + "s", PeriodsTitle: strings.ToUpper(c.Period[:1]) + c.Period[1:] + "s", Notes: c.Notes, Ladder: c.Escalation != nil}
	cur := ""
	if c.Currency != "" {
		cur = " " + c.Currency
	}
	switch n := len(c.Periods); n {
	case 0:
		h.Lede = fmt.Sprintf("The scenario has a contract, but the measured window holds no full calendar %s to apply it to.", c.Period)
	default:
		h.Lede = fmt.Sprintf("What the contract's rules make the breaches cost, and the risks it carries, over %s (%s to %s) of each of %d %s: %s in all. Amounts are in%s.",
			c.periods(int64(n)), c.Periods[0], c.Periods[n-1], c.Replications, plural.Of(int(c.Replications), "replication", "replications"), c.periods(int64(n)*c.Replications), orDefault(cur, " the contract's currency"))
	}
	if c.results != nil {
		h.Facts, h.Rules = contractTerms(c, c.results.Contract, c.results.Tiers)
	}
	if len(c.Periods) == 0 {
		return h
	}
	h.Money = contractMoney(c)
	h.Levels = contractLevels(c)
	h.Risks = contractRisks(c)
	for i := range figs {
		if figs[i].ID == "figure-"+creditsFigureName {
			f := figs[i]
			h.Figure = &f
		}
	}
	return h
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// contractTerms describes the contract as simulated: its fee, period and
// term, then each of its rules in words.
func contractTerms(c *Contract, k *contract.Contract, tiers []string) (facts []htmlFact, rules []string) {
	cur := orDefault(c.Currency, "")
	money := func(x float64) string { return strings.TrimSpace(format.Money(x) + " " + cur) }
	var fee []string
	if k.Fee.Monthly > 0 {
		fee = append(fee, money(k.Fee.Monthly)+" a month")
	}
	if k.Fee.PerTicket > 0 {
		fee = append(fee, money(k.Fee.PerTicket)+" per ticket")
	}
	facts = append(facts, htmlFact{"Fee", strings.Join(fee, " plus ")})
	if c.Revenue != nil {
		facts = append(facts, htmlFact{"Revenue", fmt.Sprintf("%s a %s on average", money(c.Revenue.Mean), c.Period)})
	}
	facts = append(facts,
		htmlFact{"Period", fmt.Sprintf("the calendar %s: the contract's levels and credits apply %s by %s; a ticket belongs to the %s it arrives in", c.Period, c.Period, c.Period, c.Period)},
		htmlFact{"Term", fmt.Sprintf("%s, from the first full %s of the measured window", c.periods(int64(c.Term)), c.Period)})

	w := &contract.Wording{Tiers: tiers, Clocks: k.Clocks, Period: c.Period, TicketFee: "the month's fee divided by the month's tickets",
		Money: money, Share: format.Level, Duration: format.Duration}
	if k.PeriodMonths == 3 {
		w.TicketFee = "the quarter's fee divided by the quarter's tickets"
	}
	if k.Fee.PerTicket > 0 {
		w.TicketFee = "the per-ticket fee, " + money(k.Fee.PerTicket)
	}
	for _, r := range k.Credits {
		rules = append(rules, r.Terms(w))
	}
	if e := c.Escalation; e != nil {
		steps := make([]string, len(e.Steps))
		for i, s := range e.Steps {
			steps[i] = fmt.Sprintf("%d. %s", i+1, stepText(s, c.Period))
		}
		count := "the count runs over each term"
		if e.Per == "period" {
			count = fmt.Sprintf("the count starts afresh each %s", c.Period)
		}
		rules = append(rules, fmt.Sprintf("Escalation ladder: %s, and %s; the n-th breach takes the n-th step (breaches beyond the last take it again): %s.",
			ladderBreach(e, c), count, strings.Join(steps, "; ")))
	}
	if k.Cap > 0 {
		rules = append(rules, fmt.Sprintf("Cap: a %s's credits (every rule's, the ladder's credits included, its costs not) are at most %s of its revenue.", c.Period, format.Level(k.Cap)))
	}
	if k.Reserve > 0 {
		rules = append(rules, fmt.Sprintf("Reserve: a continuity fund of %s of a contract year's revenue is set aside to pay credits and costs.", format.Level(k.Reserve)))
	}
	return facts, rules
}

// contractMoney is the table of the cost per period: the whole, then by
// rule, then by tier.
func contractMoney(c *Contract) []htmlMoneyRow {
	revenue := meanOf(c.Revenue)
	row := func(group, name string, m Money) htmlMoneyRow {
		r := htmlMoneyRow{Group: group, Name: name, Mean: format.Money(meanOf(m.Mean)), Interval: format.Unknown,
			P50: format.Money(m.P50), P95: format.Money(m.P95), P99: format.Money(m.P99), Share: format.Unknown}
		if e := m.Mean; e != nil && e.Lo != nil {
			r.Interval = fmt.Sprintf("[%s, %s]", format.Money(*e.Lo), format.Money(*e.Hi))
		}
		if revenue > 0 && m.Mean != nil {
			r.Share = fmt.Sprintf("%.2f%%", 100*m.Mean.Mean/revenue)
		}
		return r
	}
	total := row("total", "credits", c.Cost)
	if c.Cap > 0 {
		total.Name += fmt.Sprintf(" after the %s cap", format.Level(c.Cap))
	}
	if c.Escalation != nil {
		total.Name += ", plus the ladder's costs"
	}
	total.Total, total.First = true, true
	rows := []htmlMoneyRow{total}
	for i, m := range c.ByRule {
		r := row("by rule", ruleTitle(c, m.Rule), m.Money)
		r.First = i == 0
		rows = append(rows, r)
	}
	for i, m := range c.ByTier {
		r := row("by tier", m.Tier, m.Money)
		r.First = i == 0
		rows = append(rows, r)
	}
	return rows
}

// ruleTitle names a rule in the table of amounts.
func ruleTitle(c *Contract, name string) string {
	if name == "escalation" {
		return "escalation ladder (credits and costs)"
	}
	if c.results != nil {
		for _, r := range c.results.Contract.Credits {
			if r.Name() == name {
				return r.Title()
			}
		}
	}
	return name
}

// contractLevels is the table of the probability that a period meets each
// level.
func contractLevels(c *Contract) []htmlLevelRow {
	var rows []htmlLevelRow
	for i, l := range c.Levels {
		r := htmlLevelRow{Tier: l.Tier, Clock: l.Clock, Level: format.Level(l.Level), P: probShare(l.Meets), Interval: probInterval(l.Meets),
			Periods: format.Unknown, Without: fmt.Sprint(l.PeriodsWithoutTickets), First: i == 0 || c.Levels[i-1].Tier != l.Tier}
		if !r.First {
			r.Tier = ""
		}
		if l.Meets != nil {
			r.Periods = fmt.Sprintf("%d of %d", l.Meets.Hits, l.Meets.Trials)
		}
		rows = append(rows, r)
	}
	return rows
}

// contractRisks are the probabilities that matter beyond a period's cost:
// termination, the ladder's steps, the cap, the reserve.
func contractRisks(c *Contract) []htmlFact {
	var f []htmlFact
	scope := fmt.Sprintf("within the %d-%s term", c.Term, c.Period)
	if c.TermCovered < c.Term {
		scope = fmt.Sprintf("within the first %s of the term, all the window holds", c.periods(int64(c.TermCovered)))
	}
	switch e := c.Escalation; {
	case e == nil:
		f = append(f, htmlFact{"Termination", "the contract has no escalation ladder, and no termination right"})
	case e.Termination == nil:
		f = append(f, htmlFact{"Termination", "no step of the escalation ladder gives the client a termination right"})
	default:
		f = append(f, htmlFact{"Termination", fmt.Sprintf("%s %s: the probability that the client gains the right to terminate %s (%d of %s)",
			probShare(e.Termination), probInterval(e.Termination), scope, e.Termination.Hits, replicationCount(e.Termination.Trials))})
	}
	if e := c.Escalation; e != nil {
		where := "in a " + c.Period
		if e.Per != "period" {
			where = scope
		}
		for i, s := range e.Steps {
			f = append(f, htmlFact{fmt.Sprintf("Ladder step %d", i+1), fmt.Sprintf("%s: reached %s with probability %s", stepText(s, c.Period), where, probText(s.Reached))})
		}
	}
	if c.CapReached != nil {
		f = append(f, htmlFact{"Cap reached", fmt.Sprintf("in %s of %ss", probText(c.CapReached), c.Period)})
	}
	if rs := c.Reserve; rs != nil {
		f = append(f, htmlFact{"Reserve", fmt.Sprintf("%s: the probability that a contract year's cost exceeds the fund of %s of its revenue (%s on average), over %d %s; a year costs %s on average",
			probText(rs.Exceeded), format.Level(rs.Share), format.Money(meanOf(rs.Fund)), rs.Exceeded.Trials, plural.Of(int(rs.Exceeded.Trials), "year", "years"), moneyCI(rs.YearCost))})
	} else if c.results != nil && c.results.Contract.Reserve == 0 {
		f = append(f, htmlFact{"Reserve", "the contract sets no continuity fund"})
	}
	return f
}
