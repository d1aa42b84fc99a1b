package contract

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/slasim/slasim/sim"
)

// Plan is a contract laid over the reporting periods of a run's measured
// window. It is read-only, so the collectors of a run share it.
type Plan struct {
	c       Contract
	tiers   []string
	periods []Period
}

// NewPlan checks c against the model's tiers, named in priority order, and
// returns its plan over the periods, which must be in time order and must
// not overlap.
func NewPlan(c *Contract, tiers []string, periods []Period) (*Plan, error) {
	if err := c.Validate(len(tiers)); err != nil {
		return nil, err
	}
	for i, p := range periods {
		if p.End <= p.Start || p.Months < 1 || i > 0 && p.Start < periods[i-1].End {
			return nil, fmt.Errorf("contract: period %d [%v, %v) is empty or out of order", i, p.Start, p.End)
		}
	}
	return &Plan{c: *c, tiers: tiers, periods: periods}, nil
}

// Periods are the plan's reporting periods.
func (p *Plan) Periods() []Period { return p.periods }

// NewCollector returns an empty collector of the plan; it is what
// sim.Options.Collector wants.
func (p *Plan) NewCollector() sim.Collector {
	n := len(p.periods) * len(p.tiers)
	return &Collector{p: p, res: newResults(p), acc: make([]tierAcc, n), sums: make([]float64, n*len(p.c.Credits)),
		named: make([]namedAcc, n*len(p.c.Clocks))}
}

// period returns the index of the period holding time t, or -1.
func (p *Plan) period(t time.Duration) int {
	i := sort.Search(len(p.periods), func(i int) bool { return p.periods[i].End > t })
	if i == len(p.periods) || t < p.periods[i].Start {
		return -1
	}
	return i
}

func (p *Plan) level(tier int, k Clock) float64 {
	if p.c.Levels == nil {
		return 0
	}
	return p.c.Levels[tier].of(k)
}

// tierAcc accumulates one tier's tickets of one period in the replication
// under way.
type tierAcc struct {
	tickets int64
	met     [2]int64 // by Response, Resolution
	// ladder counts the tickets the escalation ladder counts.
	ladder int64
}

// namedAcc counts one tier's tickets of one period that a named clock
// timed, and those that met its target.
type namedAcc struct{ timed, met int64 }

// Collector turns the tickets of replications into the plan's Results. It
// implements sim.Collector.
type Collector struct {
	p   *Plan
	res *Results
	rng *rand.Rand
	// acc holds the replication under way, period by period, tier by tier;
	// sums likewise, each credit rule's sum of its tickets' amounts, and
	// named each named clock's counts.
	acc   []tierAcc
	sums  []float64
	named []namedAcc
	// last is the period of the last ticket: tickets come roughly in time
	// order, so it is usually the next one's too.
	last int
	// The replication under way, and the streams its outages' coefficients
	// are drawn from, one per service, made when first needed.
	seed      uint64
	rep       int
	outageRng []*rand.Rand
}

// Results returns the statistics of the replications ended so far.
func (c *Collector) Results() *Results { return c.res }

// Begin starts replication rep, discarding one begun and not ended.
func (c *Collector) Begin(seed uint64, rep int) {
	clear(c.acc)
	clear(c.sums)
	clear(c.named)
	c.rng = sim.NewStream(seed, rep, sim.StreamCollector, 0)
	c.seed, c.rep = seed, rep
	clear(c.outageRng)
}

// Outage credits an outage of a service in the period it begins in, by the
// rules that credit outages, drawing their coefficients from a stream of
// the service's own: the outages, and so the draws, are the same whatever
// the staffing, ticket by ticket being no business of theirs.
func (c *Collector) Outage(o *sim.OutageRecord) {
	pi := c.p.period(o.Start)
	if pi < 0 {
		return
	}
	rules := c.p.c.Credits
	for i, rule := range rules {
		r, ok := rule.(*Outage)
		if !ok || !r.Outages {
			continue
		}
		for len(c.outageRng) <= o.Service {
			c.outageRng = append(c.outageRng, nil)
		}
		rng := c.outageRng[o.Service]
		if rng == nil {
			rng = sim.NewStream(c.seed, c.rep, sim.StreamCollector, 1+o.Service)
			c.outageRng[o.Service] = rng
		}
		c.sums[(pi*len(c.p.tiers)+o.Tier)*len(rules)+i] += r.outage(o, rng)
	}
}

// Ticket counts one ticket in the period it arrived in; tickets outside
// every period are ignored.
func (c *Collector) Ticket(t *sim.TicketRecord) {
	pi := c.last
	if ps := c.p.periods; pi >= len(ps) || t.Arrival < ps[pi].Start || t.Arrival >= ps[pi].End {
		if pi = c.p.period(t.Arrival); pi < 0 {
			return
		}
		c.last = pi
	}
	k := &c.p.c
	tier := t.Tier
	ai := pi*len(c.p.tiers) + tier
	a := &c.acc[ai]
	a.tickets++
	if !missed(t, Response) {
		a.met[Response]++
	}
	if !missed(t, Resolution) {
		a.met[Resolution]++
	}
	if nn := len(k.Clocks); nn > 0 {
		named := c.named[ai*nn : (ai+1)*nn]
		for i := range min(len(t.Clocks), nn) {
			if ck := &t.Clocks[i]; ck.Timed {
				named[i].timed++
				if ck.Met() {
					named[i].met++
				}
			}
		}
	}
	sums := c.sums[ai*len(k.Credits):]
	for i, r := range k.Credits {
		sums[i] += r.ticket(t, c.rng)
	}
	if e := k.Escalation; e != nil && e.Counts == BreachedTicket && e.counted(tier) {
		if missed(t, e.Clock) {
			a.ladder++
		}
	}
}

// climber follows the escalation ladder through a replication's periods.
type climber struct {
	e          *Ladder
	count      int
	terminated bool
}

// climb applies n breaches falling in a period with the given revenue and
// returns their credits and costs; terminable says whether a termination
// right arising now counts.
func (l *climber) climb(n int64, revenue float64, terminable bool) (credit, cost float64) {
	steps := l.e.Steps
	for ; n > 0 && l.count < len(steps)-1; n-- {
		s := &steps[l.count]
		credit += s.Credit * revenue
		cost += s.Cost
		l.terminated = l.terminated || s.Terminate && terminable
		l.count++
	}
	if n > 0 {
		// Breaches beyond the ladder take its last step again.
		s := &steps[len(steps)-1]
		credit += float64(n) * s.Credit * revenue
		cost += float64(n) * s.Cost
		l.terminated = l.terminated || s.Terminate && terminable
		l.count += int(n)
	}
	return credit, cost
}

// replication holds what End adds up over one replication's periods.
type replication struct {
	cost, revenue float64
	// byRule holds the credit rules' amounts in order, then the escalation
	// ladder's; byTier the credits attributed to each tier.
	byRule, byTier []float64
	// The contract year under way.
	yearCost, yearRevenue float64
	ladder                climber
}

// End evaluates the replication's periods and adds them to the results.
func (c *Collector) End() {
	p, r := c.p, c.res
	r.Replications++
	if len(p.periods) == 0 {
		return
	}
	nt, nr := len(p.tiers), len(p.c.Credits)
	rep := replication{byRule: make([]float64, nr+1), byTier: make([]float64, nt), ladder: climber{e: p.c.Escalation}}
	nk := len(levelClocks(len(p.c.Clocks)))
	pf := periodFigures{shortfall: make([][]float64, nt)}
	for t := range pf.shortfall {
		pf.shortfall[t] = make([]float64, nk)
	}
	credits := make([]float64, nt*nr) // by tier, then rule
	for pi := range p.periods {
		c.figures(pi, &pf)
		breaches := c.judge(pi, &pf)
		for t := range nt {
			sums := c.sums[(pi*nt+t)*nr:]
			for i, rule := range p.c.Credits {
				credits[t*nr+i] = rule.credit(t, sums[i], &pf)
			}
		}
		var ladderCredit, ladderCost float64
		if rep.ladder.e != nil {
			ladderCredit, ladderCost = c.climb(pi, &rep.ladder, breaches, pf.revenue)
		}
		ladderCredit = c.cap(credits, ladderCredit, pf.revenue)
		c.record(pi, &rep, credits, ladderCredit+ladderCost, pf.revenue)
	}
	if rep.ladder.e != nil && r.TermCovered > 0 {
		r.Terminated.add(rep.ladder.terminated)
	}
	np := float64(len(p.periods))
	r.Cost.Mean.Add(rep.cost / np)
	r.Revenue.Add(rep.revenue / np)
	for i := range r.ByRule {
		r.ByRule[i].Mean.Add(rep.byRule[i] / np)
	}
	for t := range rep.byTier {
		r.ByTier[t].Mean.Add(rep.byTier[t] / np)
	}
}

// EndAs ends the replication of c, a collector of the same plan as base
// that has seen only the tickets of one tier (as they would be under
// another target, say) and every outage, as if it had seen every other
// tier's tickets as base did: the contract with one tier's tickets
// changed, for the work of that tier's tickets alone.
func (c *Collector) EndAs(base *Collector, tier int) {
	nt, nr := len(c.p.tiers), len(c.p.c.Credits)
	for pi := range c.p.periods {
		for t := range nt {
			if t == tier {
				continue
			}
			ai := pi*nt + t
			c.acc[ai] = base.acc[ai]
			copy(c.sums[ai*nr:(ai+1)*nr], base.sums[ai*nr:(ai+1)*nr])
			nn := len(c.p.c.Clocks)
			copy(c.named[ai*nn:(ai+1)*nn], base.named[ai*nn:(ai+1)*nn])
		}
	}
	c.End()
}

// figures sets the revenue, ticket fee and fee rate of period pi.
func (c *Collector) figures(pi int, pf *periodFigures) {
	k, nt := &c.p.c, len(c.p.tiers)
	var n int64
	for _, a := range c.acc[pi*nt : (pi+1)*nt] {
		n += a.tickets
	}
	fixed := k.Fee.Monthly * float64(c.p.periods[pi].Months)
	pf.revenue = fixed + k.Fee.PerTicket*float64(n)
	pf.ticketFee = k.Fee.PerTicket
	if pf.ticketFee == 0 && n > 0 {
		pf.ticketFee = fixed / float64(n)
	}
	pf.rate = pf.revenue / c.p.periods[pi].Hours()
}

// judge checks each tier's attainment in period pi against its levels,
// counting the periods that meet them and setting the shortfalls, and
// returns the breaches the escalation ladder counts in the period.
func (c *Collector) judge(pi int, pf *periodFigures) (breaches int64) {
	p, r, e := c.p, c.res, c.p.c.Escalation
	nt := len(p.tiers)
	missed := false
	judged, allMet := false, true
	nn := len(p.c.Clocks)
	for t, a := range c.acc[pi*nt : (pi+1)*nt] {
		clear(pf.shortfall[t])
		named := c.named[(pi*nt+t)*nn : (pi*nt+t+1)*nn]
		for k, ck := range levelClocks(nn) {
			level := p.level(t, ck)
			if level == 0 {
				continue
			}
			m := &r.Meets[t][k]
			// A named clock's attainment is of the tickets it timed.
			n, met := a.tickets, int64(0)
			if i := ck.named(); i >= 0 {
				n, met = named[i].timed, named[i].met
			} else {
				met = a.met[ck]
			}
			if n == 0 {
				m.NoTickets++
				continue
			}
			att := float64(met) / float64(n)
			m.add(att >= level)
			judged = true
			if att >= level {
				continue
			}
			allMet = false
			pf.shortfall[t][k] = level - att
			if e != nil && e.counted(t) {
				missed = true
				if e.Counts == MissedLevel {
					breaches++
				}
			}
		}
		if e != nil && e.Counts == BreachedTicket {
			breaches += a.ladder
		}
	}
	if judged {
		r.AllMet.add(allMet)
	}
	if e != nil && missed && e.Counts == MissedPeriod {
		breaches = 1
	}
	return breaches
}

// climb takes the period's breaches up the ladder, restarting the count
// each period or term, records how far it got, and returns the ladder's
// credits and costs.
func (c *Collector) climb(pi int, l *climber, breaches int64, revenue float64) (credit, cost float64) {
	e, r := l.e, c.res
	if e.PerPeriod || pi%c.p.c.Term == 0 {
		l.count = 0
	}
	credit, cost = l.climb(breaches, revenue, pi < r.TermCovered)
	if e.PerPeriod || pi == r.TermCovered-1 {
		for s := range r.Ladder {
			r.Ladder[s].add(l.count > s)
		}
	}
	return credit, cost
}

// cap scales the period's credits, the ladder's included, down to the
// contract's cap when they exceed it, every credit alike so that the split
// by rule and by tier still adds up; it returns the ladder's credit.
func (c *Collector) cap(credits []float64, ladderCredit, revenue float64) float64 {
	k := &c.p.c
	if k.Cap == 0 {
		return ladderCredit
	}
	total := ladderCredit
	for _, x := range credits {
		total += x
	}
	capped := total > k.Cap*revenue
	c.res.Capped.add(capped)
	if capped {
		f := k.Cap * revenue / total
		ladderCredit *= f
		for i := range credits {
			credits[i] *= f
		}
	}
	return ladderCredit
}

// record adds period pi's amounts to the results and to the replication's
// sums; ladder is the ladder's credits and costs.
func (c *Collector) record(pi int, rep *replication, credits []float64, ladder, revenue float64) {
	k, r := &c.p.c, c.res
	nr := len(k.Credits)
	byRule := make([]float64, nr+1)
	cost := ladder
	byRule[nr] = cost
	for t := range rep.byTier {
		tierTotal := 0.0
		for i, x := range credits[t*nr : (t+1)*nr] {
			byRule[i] += x
			tierTotal += x
		}
		cost += tierTotal
		rep.byTier[t] += tierTotal
		r.ByTier[t].Cents.add(cents(tierTotal))
	}
	for i := range r.ByRule {
		rep.byRule[i] += byRule[i]
		r.ByRule[i].Cents.add(cents(byRule[i]))
	}
	r.Cost.Cents.add(cents(cost))
	r.ByPeriod[pi].Add(cost)
	rep.cost += cost
	rep.revenue += revenue
	rep.yearCost += cost
	rep.yearRevenue += revenue
	if (pi+1)%r.PeriodsPerYear == 0 {
		r.YearCost.Add(rep.yearCost)
		if k.Reserve > 0 {
			fund := k.Reserve * rep.yearRevenue
			r.Fund.Add(fund)
			r.OverFund.add(rep.yearCost > fund)
		}
		rep.yearCost, rep.yearRevenue = 0, 0
	}
}

// cents rounds an amount to hundredths of the currency unit.
func cents(x float64) int64 { return int64(math.Round(x * 100)) }

// Merge adds the ended replications of another collector of the same plan.
func (c *Collector) Merge(o sim.Collector) error {
	oc, ok := o.(*Collector)
	if !ok {
		return errors.New("contract: merging a collector of another kind")
	}
	return c.res.Merge(oc.res)
}
