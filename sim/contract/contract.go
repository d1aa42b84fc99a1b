package contract

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
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

var clockNames = [...]string{"response", "resolution", "either"}

func (c Clock) String() string {
	if c < 0 || int(c) >= len(clockNames) {
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
// period's tickets that must meet the response and the resolution target.
// Zero means the contract sets no level for that clock.
type Levels struct {
	Response, Resolution float64
}

func (l Levels) of(c Clock) float64 {
	if c == Response {
		return l.Response
	}
	return l.Resolution
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

	// The rules; nil leaves a rule out.
	PerBreach  *PerBreach
	Lateness   *Lateness
	Outage     *Outage
	Attainment *Attainment
	Escalation *Escalation

	// Cap, when > 0, limits a period's credits (every rule's, the
	// escalation ladder's credits included, its costs not) to this share of
	// the period's revenue.
	Cap float64
	// Reserve, when > 0, is the continuity fund as a share of a contract
	// year's revenue, to be compared with the year's credits and costs.
	Reserve float64
}

// PerBreach credits a share of the ticket fee for each breached ticket.
type PerBreach struct {
	Clock Clock
	// Credit is the share of the ticket fee per breached ticket, by tier
	// (2 for 200%).
	Credit []float64
}

// Lateness credits a share of the ticket fee for each started Step of
// lateness beyond the target, up to a cap per ticket.
type Lateness struct {
	Clock Clock
	Step  time.Duration
	// Credit is the share of the ticket fee per started step, by tier.
	Credit []float64
	// Cap is the most one ticket is credited, as a share of the ticket fee,
	// by tier; zero means no cap.
	Cap []float64
}

// Outage credits, per ticket, duration × fee rate × coefficient: the
// duration is the clock's time beyond the target (or, with Whole, the
// whole clock time), the fee rate the period's revenue per hour.
type Outage struct {
	Clock Clock
	Whole bool
	// Coefficient is each tier's coefficient, drawn for each ticket
	// uniformly from [Lo, Hi]; Lo == Hi fixes it, and zero leaves the tier
	// out.
	Coefficient []Range
}

// Range is a closed interval [Lo, Hi].
type Range struct {
	Lo, Hi float64
}

// Attainment credits a share of the period's revenue for each tier and
// clock whose attainment in the period falls below its level.
type Attainment struct {
	// Credit is the share per miss, by tier; with Step, per started Step of
	// shortfall below the level.
	Credit []float64
	// Step, when > 0, makes the credit stepped: a tier 3.5 points below its
	// level with Step 1% gets Credit × 4.
	Step float64
	// Max caps one miss's credit as a share of the period's revenue, by
	// tier; zero means no cap.
	Max []float64
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

// Escalation is a ladder of consequences: the n-th breach takes the n-th
// step, and breaches beyond the last step take the last step again. The
// count starts afresh each period (PerPeriod) or each contract term.
type Escalation struct {
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

// counted reports whether the ladder counts tier i.
func (e *Escalation) counted(i int) bool { return e.Tiers == nil || e.Tiers[i] }

// Validate reports whether c can be applied to a model with the given
// number of tiers.
func (c *Contract) Validate(tiers int) error {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	nonNeg := func(name string, x float64) {
		if !(x >= 0) || math.IsInf(x, 1) {
			bad("%s must be finite and >= 0, got %v", name, x)
		}
	}
	shares := func(name string, xs []float64) {
		if xs != nil && len(xs) != tiers {
			bad("%s has %d tiers, the model %d", name, len(xs), tiers)
		}
		for i, x := range xs {
			nonNeg(fmt.Sprintf("%s[%d]", name, i), x)
		}
	}
	clock := func(name string, k Clock) {
		if k < Response || k > Either {
			bad("%s: unknown clock %d", name, int(k))
		}
	}
	nonNeg("fee.monthly", c.Fee.Monthly)
	nonNeg("fee.per_ticket", c.Fee.PerTicket)
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
		for _, x := range []float64{l.Response, l.Resolution} {
			if !(x >= 0 && x <= 1) {
				bad("levels[%d] must be shares from 0 to 1, got %v", i, x)
			}
		}
	}
	if r := c.PerBreach; r != nil {
		clock("per_breach.clock", r.Clock)
		shares("per_breach.credit", r.Credit)
	}
	if r := c.Lateness; r != nil {
		clock("lateness.clock", r.Clock)
		if r.Step <= 0 {
			bad("lateness.step must be > 0, got %v", r.Step)
		}
		shares("lateness.credit", r.Credit)
		shares("lateness.cap", r.Cap)
	}
	if r := c.Outage; r != nil {
		clock("outage.clock", r.Clock)
		if r.Coefficient != nil && len(r.Coefficient) != tiers {
			bad("outage.coefficient has %d tiers, the model %d", len(r.Coefficient), tiers)
		}
		for i, g := range r.Coefficient {
			nonNeg(fmt.Sprintf("outage.coefficient[%d]", i), g.Lo)
			nonNeg(fmt.Sprintf("outage.coefficient[%d]", i), g.Hi)
			if g.Hi < g.Lo {
				bad("outage.coefficient[%d]: range [%v, %v] is empty", i, g.Lo, g.Hi)
			}
		}
	}
	if r := c.Attainment; r != nil {
		shares("attainment.credit", r.Credit)
		shares("attainment.max", r.Max)
		if !(r.Step >= 0 && r.Step <= 1) {
			bad("attainment.step must be a share from 0 to 1, got %v", r.Step)
		}
	}
	if r := c.Escalation; r != nil {
		clock("escalation.clock", r.Clock)
		if r.Counts < MissedPeriod || r.Counts > BreachedTicket {
			bad("escalation.counts: unknown count %d", int(r.Counts))
		}
		if r.Tiers != nil && len(r.Tiers) != tiers {
			bad("escalation.tiers has %d tiers, the model %d", len(r.Tiers), tiers)
		}
		if len(r.Steps) == 0 {
			bad("escalation needs at least one step")
		}
		for i, s := range r.Steps {
			nonNeg(fmt.Sprintf("escalation.steps[%d].cost", i), s.Cost)
			nonNeg(fmt.Sprintf("escalation.steps[%d].credit", i), s.Credit)
		}
	}
	nonNeg("cap", c.Cap)
	nonNeg("reserve", c.Reserve)
	if len(errs) > 0 {
		return errors.New("contract: " + strings.Join(errs, "; "))
	}
	return nil
}
