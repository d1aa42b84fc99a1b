package contract

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Clock names the SLA clock a rule reads.
type Clock int

const (
	// Response is the clock from arrival until an agent starts work.
	Response Clock = iota
	// Resolution is the clock from arrival until the ticket is done.
	Resolution
	// Either reads both clocks: a ticket breaches when either is past its
	// target, and its time and lateness are the larger of the two.
	Either
)

// Named is the named clock i of the model (sim.Model.ClockNames, whose
// index a TicketRecord's Clocks follow): a ticket breaches when the
// clock timed it and it missed its target; tickets it does not time
// never do.
func Named(i int) Clock { return Either + 1 + Clock(i) }

// named is the index of a named clock among the model's, or -1.
func (c Clock) named() int {
	if c > Either {
		return int(c - Either - 1)
	}
	return -1
}

var clockNames = [...]string{"response", "resolution", "either"}

func (c Clock) String() string {
	if i := c.named(); i >= 0 {
		return fmt.Sprintf("named clock %d", i)
	}
	if c < 0 {
		return fmt.Sprintf("Clock(%d)", int(c))
	}
	return clockNames[c]
}

// Fee is what the client pays the vendor.
type Fee struct {
	// Monthly is charged for each calendar month: a period of three months
	// is charged three times it.
	Monthly float64
	// PerTicket is charged for each ticket.
	PerTicket float64
}

// Levels are one tier's contractual attainment levels: the share of a
// period's tickets that must meet the response and the resolution target,
// and the share of those a named clock times that must meet its target
// (Clocks, indexed like Contract.Clocks; shorter when the last set none).
// Zero means the contract sets no level for that clock.
type Levels struct {
	Response   float64   `json:"response"`
	Resolution float64   `json:"resolution"`
	Clocks     []float64 `json:"clocks,omitempty"`
}

func (l Levels) of(c Clock) float64 {
	switch i := c.named(); {
	case i >= 0 && i < len(l.Clocks):
		return l.Clocks[i]
	case i >= 0:
		return 0
	case c == Response:
		return l.Response
	case c == Resolution:
		return l.Resolution
	}
	return 0
}

// Any reports whether the tier has a level on some clock.
func (l Levels) Any() bool {
	return l.Response > 0 || l.Resolution > 0 || slices.ContainsFunc(l.Clocks, func(x float64) bool { return x > 0 })
}

// levelClocks are the clocks a level may be set on, in the order of
// Results.Meets: response, resolution, then the n named clocks.
func levelClocks(n int) []Clock {
	cs := []Clock{Response, Resolution}
	for i := range n {
		cs = append(cs, Named(i))
	}
	return cs
}

// LevelClocks are the clocks c may set levels on, in the order of
// Results.Meets: response, resolution, then its named clocks.
func (c *Contract) LevelClocks() []Clock { return levelClocks(len(c.Clocks)) }

// ClockName names clock k: response, resolution, either, or the named
// clock's name.
func (c *Contract) ClockName(k Clock) string {
	if i := k.named(); i >= 0 && i < len(c.Clocks) {
		return c.Clocks[i]
	}
	return k.String()
}

// Contract is the money side of a service commitment: what the client pays,
// the attainment levels promised per period, and the rules that turn
// breaches into credits and costs. Per-tier slices are indexed like the
// model's tiers; a nil slice gives every tier zero.
type Contract struct {
	// Currency labels amounts in reports, such as CNY or EUR.
	Currency string
	Fee      Fee
	// PeriodMonths is the length of a reporting period in calendar months:
	// 1 (months) or 3 (quarters).
	PeriodMonths int
	// Term is the contract's length in periods.
	Term int
	// Levels are the per-tier attainment levels.
	Levels []Levels
	// Clocks names the model's named clocks, for the rules that read them
	// (Named).
	Clocks []string

	// Credits are the rules that turn breaches into credits, in the order
	// reports list them.
	Credits []Credit
	// Escalation is the ladder of consequences of repeated breaches; nil
	// when there is none.
	Escalation *Ladder

	// Cap, when > 0, limits a period's credits (every rule's, the
	// escalation ladder's credits included, its costs not) to this share of
	// the period's revenue.
	Cap float64
	// Reserve, when > 0, is the continuity fund as a share of a contract
	// year's revenue, to be compared with the year's credits and costs.
	Reserve float64
}

// Count says what the escalation ladder counts as one breach.
type Count int

const (
	// MissedPeriod counts a period in which any counted tier misses any of
	// its levels.
	MissedPeriod Count = iota
	// MissedLevel counts each counted tier and clock that misses its level
	// in a period.
	MissedLevel
	// BreachedTicket counts each breached ticket of the counted tiers.
	BreachedTicket
)

var countNames = [...]string{"missed_period", "missed_level", "breached_ticket"}

func (c Count) String() string {
	if c < 0 || int(c) >= len(countNames) {
		return fmt.Sprintf("Count(%d)", int(c))
	}
	return countNames[c]
}

// Ladder is the escalation ladder, of consequences: the n-th breach takes the n-th
// step, and breaches beyond the last step take the last step again. The
// count starts afresh each period (PerPeriod) or each contract term.
type Ladder struct {
	PerPeriod bool
	Counts    Count
	// Tiers says which tiers count, by tier; nil counts every tier.
	Tiers []bool
	// Clock judges tickets when Counts is BreachedTicket.
	Clock Clock
	Steps []Step
}

// Step is one rung of the escalation ladder.
type Step struct {
	// Action names what the vendor must do, such as "double service time
	// for free".
	Action string
	// Cost is what the action costs the vendor, an amount of money.
	Cost float64
	// Credit is a share of the revenue of the period the breach falls in.
	Credit float64
	// Terminate gives the client the right to terminate the contract.
	Terminate bool
}

// PeriodsPerYear is the number of periods in a contract year.
func (c *Contract) PeriodsPerYear() int { return 12 / c.PeriodMonths }

// MaxCredit is the most a period's credits can be, every rule's and the
// ladder's together: the cap's share of the period's revenue, when the
// revenue is the fixed fee alone; +Inf otherwise.
func (c *Contract) MaxCredit() float64 {
	if c.Cap == 0 || c.Fee.PerTicket > 0 {
		return math.Inf(1)
	}
	return c.Cap * c.Fee.Monthly * float64(c.PeriodMonths)
}

// MaxCost is the most a period can cost: MaxCredit when no step of the
// ladder costs anything (its costs are beyond the cap); +Inf otherwise.
func (c *Contract) MaxCost() float64 {
	if c.Escalation != nil {
		for _, s := range c.Escalation.Steps {
			if s.Cost > 0 {
				return math.Inf(1)
			}
		}
	}
	return c.MaxCredit()
}

// counted reports whether the ladder counts tier i.
func (e *Ladder) counted(i int) bool { return e.Tiers == nil || e.Tiers[i] }

// Validate reports whether c can be applied to a model with the given
// number of tiers.
func (c *Contract) Validate(tiers int) error {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	checkNonNegative("fee.monthly", c.Fee.Monthly, bad)
	checkNonNegative("fee.per_ticket", c.Fee.PerTicket, bad)
	if c.Fee.Monthly == 0 && c.Fee.PerTicket == 0 {
		bad("fee: a monthly or a per-ticket fee must be > 0")
	}
	if c.PeriodMonths != 1 && c.PeriodMonths != 3 {
		bad("period must be 1 or 3 months, got %d", c.PeriodMonths)
	}
	if c.Term < 1 {
		bad("term must be >= 1 period, got %d", c.Term)
	}
	if c.Levels != nil && len(c.Levels) != tiers {
		bad("levels has %d tiers, the model %d", len(c.Levels), tiers)
	}
	for i, l := range c.Levels {
		for _, x := range append([]float64{l.Response, l.Resolution}, l.Clocks...) {
			if !(x >= 0 && x <= 1) {
				bad("levels[%d] must be shares from 0 to 1, got %v", i, x)
			}
		}
		if len(l.Clocks) > len(c.Clocks) {
			bad("levels[%d] has %d named clocks' levels, the contract %d named clocks", i, len(l.Clocks), len(c.Clocks))
		}
	}
	seen := make(map[string]bool)
	for _, r := range c.Credits {
		if seen[r.Name()] {
			bad("%s is given twice", r.Name())
		}
		seen[r.Name()] = true
		r.check(tiers, bad)
	}
	if e := c.Escalation; e != nil {
		e.check(tiers, bad)
	}
	checkNonNegative("cap", c.Cap, bad)
	checkNonNegative("reserve", c.Reserve, bad)
	if len(errs) > 0 {
		return errors.New("contract: " + strings.Join(errs, "; "))
	}
	return nil
}

func (e *Ladder) check(tiers int, bad func(string, ...any)) {
	checkClock("escalation.clock", e.Clock, bad)
	if e.Counts < MissedPeriod || e.Counts > BreachedTicket {
		bad("escalation.counts: unknown count %d", int(e.Counts))
	}
	if e.Tiers != nil && len(e.Tiers) != tiers {
		bad("escalation.tiers has %d tiers, the model %d", len(e.Tiers), tiers)
	}
	if len(e.Steps) == 0 {
		bad("escalation needs at least one step")
	}
	for i, s := range e.Steps {
		checkNonNegative(fmt.Sprintf("escalation.steps[%d].cost", i), s.Cost, bad)
		checkNonNegative(fmt.Sprintf("escalation.steps[%d].credit", i), s.Credit, bad)
	}
}

func checkNonNegative(name string, x float64, bad func(string, ...any)) {
	if !(x >= 0) || math.IsInf(x, 1) {
		bad("%s must be finite and >= 0, got %v", name, x)
	}
}

// checkShares checks a per-tier list of shares: one per tier, or none.
func checkShares(name string, xs []float64, tiers int, bad func(string, ...any)) {
	if xs != nil && len(xs) != tiers {
		bad("%s has %d tiers, the model %d", name, len(xs), tiers)
	}
	for i, x := range xs {
		checkNonNegative(fmt.Sprintf("%s[%d]", name, i), x, bad)
	}
}

func checkClock(name string, k Clock, bad func(string, ...any)) {
	if k < Response {
		bad("%s: unknown clock %d", name, int(k))
	}
}
