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
	return &Collector{p: p, res: newResults(p), acc: make([]tierAcc, len(p.periods)*len(p.tiers))}
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

// at is xs[i], or 0 for a nil slice.
func at(xs []float64, i int) float64 {
	if xs == nil {
		return 0
	}
	return xs[i]
}

// tierAcc accumulates one tier's tickets of one period in the replication
// under way.
type tierAcc struct {
	tickets int64
	met     [2]int64 // by Response, Resolution
	// breaches counts tickets breached on the per-breach rule's clock,
	// ladder those the escalation ladder counts.
	breaches, ladder int64
	// lateUnits sums the lateness credits in ticket fees; outageHours
	// sums duration in hours × coefficient.
	lateUnits, outageHours float64
}

// Collector turns the tickets of replications into the plan's Results. It
// implements sim.Collector.
type Collector struct {
	p   *Plan
	res *Results
	rng *rand.Rand
	// acc holds the replication under way, period by period, tier by tier.
	acc []tierAcc
	// last is the period of the last ticket: tickets come roughly in time
	// order, so it is usually the next one's too.
	last int
}

// Results returns the statistics of the replications ended so far.
func (c *Collector) Results() *Results { return c.res }

// Begin starts replication rep, discarding one begun and not ended.
func (c *Collector) Begin(seed uint64, rep int) {
	clear(c.acc)
	c.rng = sim.NewStream(seed, rep, sim.StreamCollector, 0)
}

// late returns how far past its target a ticket's clock k stopped, and the
// clock's time; for Either, the larger of the two clocks' figures.
func late(t *sim.TicketRecord, k Clock) (late, clock time.Duration) {
	switch k {
	case Response:
		return t.Response - t.ResponseTarget, t.Response
	case Resolution:
		return t.Resolution - t.ResolutionTarget, t.Resolution
	}
	return max(t.Response-t.ResponseTarget, t.Resolution-t.ResolutionTarget), max(t.Response, t.Resolution)
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
	a := &c.acc[pi*len(c.p.tiers)+tier]
	a.tickets++
	if t.Response <= t.ResponseTarget {
		a.met[Response]++
	}
	if t.Resolution <= t.ResolutionTarget {
		a.met[Resolution]++
	}
	if r := k.PerBreach; r != nil {
		if d, _ := late(t, r.Clock); d > 0 {
			a.breaches++
		}
	}
	if r := k.Lateness; r != nil {
		if d, _ := late(t, r.Clock); d > 0 {
			steps := (d + r.Step - 1) / r.Step
			u := float64(steps) * at(r.Credit, tier)
			if cp := at(r.Cap, tier); cp > 0 {
				u = min(u, cp)
			}
			a.lateUnits += u
		}
	}
	if r := k.Outage; r != nil && r.Coefficient != nil && r.Coefficient[tier].Hi > 0 {
		d, whole := late(t, r.Clock)
		if r.Whole {
			d = whole
		}
		if d > 0 {
			g := r.Coefficient[tier]
			coef := g.Lo
			if g.Hi > g.Lo {
				coef += (g.Hi - g.Lo) * c.rng.Float64()
			}
			a.outageHours += d.Hours() * coef
		}
	}
	if e := k.Escalation; e != nil && e.Counts == BreachedTicket && e.counted(tier) {
		if d, _ := late(t, e.Clock); d > 0 {
			a.ladder++
		}
	}
}

// ladder follows the escalation ladder through a replication's periods.
type ladder struct {
	e          *Escalation
	count      int
	terminated bool
}

// climb applies n breaches falling in a period with the given revenue and
// returns their credits and costs; terminable says whether a termination
// right arising now counts.
func (l *ladder) climb(n int64, revenue float64, terminable bool) (credit, cost float64) {
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

// End evaluates the replication's periods and adds them to the results.
func (c *Collector) End() {
	p, k, r := c.p, &c.p.c, c.res
	nt := len(p.tiers)
	r.Replications++
	if len(p.periods) == 0 {
		return
	}
	var (
		sumCost, sumRevenue float64
		sumRule             [Rules]float64
		sumTier             = make([]float64, nt)
		credits             = make([][Rules - 1]float64, nt) // rules but the ladder, by tier
		yearCost, yearRev   float64
		lad                 ladder
	)
	e := k.Escalation
	if e != nil {
		lad.e = e
	}
	for pi, per := range p.periods {
		accs := c.acc[pi*nt : (pi+1)*nt]
		var n int64
		for _, a := range accs {
			n += a.tickets
		}
		fixed := k.Fee.Monthly * float64(per.Months)
		revenue := fixed + k.Fee.PerTicket*float64(n)
		ticketFee := k.Fee.PerTicket
		if ticketFee == 0 && n > 0 {
			ticketFee = fixed / float64(n)
		}
		rate := revenue / per.Hours()
		var breaches int64 // counted by the ladder
		missed := false
		for t, a := range accs {
			cr := &credits[t]
			*cr = [Rules - 1]float64{}
			if r := k.PerBreach; r != nil {
				cr[RulePerBreach] = float64(a.breaches) * at(r.Credit, t) * ticketFee
			}
			cr[RuleLateness] = a.lateUnits * ticketFee
			cr[RuleOutage] = a.outageHours * rate
			for _, ck := range []Clock{Response, Resolution} {
				level := p.level(t, ck)
				if level == 0 {
					continue
				}
				m := &r.Meets[t][ck]
				if a.tickets == 0 {
					m.NoTickets++
					continue
				}
				att := float64(a.met[ck]) / float64(a.tickets)
				m.add(att >= level)
				if att >= level {
					continue
				}
				if e != nil && e.counted(t) {
					missed = true
					if e.Counts == MissedLevel {
						breaches++
					}
				}
				if ar := k.Attainment; ar != nil {
					cr[RuleAttainment] += attainmentCredit(ar, t, level-att) * revenue
				}
			}
			if e != nil && e.Counts == BreachedTicket {
				breaches += a.ladder
			}
		}
		var ladderCredit, ladderCost float64
		if e != nil {
			if missed && e.Counts == MissedPeriod {
				breaches = 1
			}
			if e.PerPeriod || pi%k.Term == 0 {
				lad.count = 0
			}
			ladderCredit, ladderCost = lad.climb(breaches, revenue, pi < r.TermCovered)
			if e.PerPeriod {
				for s := range r.Ladder {
					r.Ladder[s].add(lad.count > s)
				}
			} else if pi == r.TermCovered-1 {
				for s := range r.Ladder {
					r.Ladder[s].add(lad.count > s)
				}
			}
		}
		// The cap scales every credit alike, so the split by rule and by
		// tier still adds up.
		total := ladderCredit
		for t := range credits {
			for _, x := range credits[t] {
				total += x
			}
		}
		if k.Cap > 0 {
			capped := total > k.Cap*revenue
			r.Capped.add(capped)
			if capped {
				f := k.Cap * revenue / total
				ladderCredit *= f
				for t := range credits {
					for i := range credits[t] {
						credits[t][i] *= f
					}
				}
			}
		}
		var byRule [Rules]float64
		cost := ladderCredit + ladderCost
		byRule[RuleEscalation] = cost
		for t := range credits {
			tierTotal := 0.0
			for i, x := range credits[t] {
				byRule[i] += x
				tierTotal += x
			}
			cost += tierTotal
			sumTier[t] += tierTotal
			r.ByTier[t].Cents.add(cents(tierTotal))
		}
		for i, x := range byRule {
			sumRule[i] += x
			r.ByRule[i].Cents.add(cents(x))
		}
		r.Cost.Cents.add(cents(cost))
		r.ByPeriod[pi].Add(cost)
		sumCost += cost
		sumRevenue += revenue
		yearCost += cost
		yearRev += revenue
		if (pi+1)%r.PeriodsPerYear == 0 {
			r.YearCost.Add(yearCost)
			if k.Reserve > 0 {
				fund := k.Reserve * yearRev
				r.Fund.Add(fund)
				r.OverFund.add(yearCost > fund)
			}
			yearCost, yearRev = 0, 0
		}
	}
	if e != nil && r.TermCovered > 0 {
		r.Terminated.add(lad.terminated)
	}
	np := float64(len(p.periods))
	r.Cost.Mean.Add(sumCost / np)
	r.Revenue.Add(sumRevenue / np)
	for i := range sumRule {
		r.ByRule[i].Mean.Add(sumRule[i] / np)
	}
	for t := range sumTier {
		r.ByTier[t].Mean.Add(sumTier[t] / np)
	}
}

// attainmentTolerance absorbs rounding in a shortfall that is a whole
// number of steps, such as 95% − 93% in steps of 1%.
const attainmentTolerance = 1e-9

// attainmentCredit is the share of the period's revenue credited for tier t
// falling short of its level by shortfall > 0.
func attainmentCredit(a *Attainment, t int, shortfall float64) float64 {
	steps := 1.0
	if a.Step > 0 {
		steps = math.Ceil(shortfall/a.Step - attainmentTolerance)
	}
	x := steps * at(a.Credit, t)
	if m := at(a.Max, t); m > 0 {
		x = min(x, m)
	}
	return x
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
