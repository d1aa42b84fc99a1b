package contract

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/slasim/slasim/sim"
)

// A Credit is one of a contract's rules that turn breaches into credits.
// Each rule is a type of its own in a file of its own: it checks itself
// against the model, says what each ticket adds to its tier's sum for the
// period the ticket arrives in, turns a period's sum into money, and
// describes its terms. A new clause is a new type here, an entry in the
// scenario decoder's table and a row in docs/contract.md.
type Credit interface {
	// Name is the rule's key in scenario files and reports: per_breach,
	// lateness, outage, attainment.
	Name() string
	// Title names the rule in a table of amounts: "per breach".
	Title() string
	// Terms says what the rule credits, in a sentence.
	Terms(w *Wording) string

	// check reports, through bad, what makes the rule unusable for a model
	// of n tiers.
	check(n int, bad func(format string, a ...any))
	// ticket returns what a ticket adds to its tier's sum for its period;
	// rng is the collector's own stream, for a rule that draws.
	ticket(t *sim.TicketRecord, rng *rand.Rand) float64
	// credit returns the money credited to a tier for a period, from the
	// sum of its tickets' amounts.
	credit(tier int, sum float64, p *periodFigures) float64
}

// periodFigures are what credit rules read of a period once it has ended.
type periodFigures struct {
	// revenue is the period's revenue R, ticketFee a ticket's fee f, and
	// rate the revenue per hour of the period.
	revenue, ticketFee, rate float64
	// shortfall holds, by tier and clock (in the order of levelClocks),
	// how far the period's attainment fell below the tier's level: 0 when
	// it met it, had no level or no tickets.
	shortfall [][]float64
}

// missed reports whether the ticket misses clock k's target (for Either,
// either target). A ticket that left unanswered misses its response
// target, and one that left unresolved (abandoned or blocked) its
// resolution target, whatever the time it waited.
func missed(t *sim.TicketRecord, k Clock) bool {
	if i := k.named(); i >= 0 {
		return i < len(t.Clocks) && t.Clocks[i].Timed && !t.Clocks[i].Met()
	}
	response := !t.ResponseMet()
	resolution := t.ResolutionMissed()
	switch k {
	case Response:
		return response
	case Resolution:
		return resolution
	}
	return response || resolution
}

// late returns how far past its target a ticket's clock k stopped, and the
// clock's time; for Either, the larger of the two clocks' figures (the
// response clock's alone for a tier that promises no resolution). For a
// ticket that left, the clocks stopped as it left.
func late(t *sim.TicketRecord, k Clock) (late, clock time.Duration) {
	if i := k.named(); i >= 0 {
		if i >= len(t.Clocks) || !t.Clocks[i].Timed {
			return 0, 0
		}
		c := &t.Clocks[i]
		if c.Unanswered { // left while the clock ran: no time to be late by
			return 0, 0
		}
		return c.Time - c.Target, c.Time
	}
	switch k {
	case Response:
		return t.Response - t.ResponseTarget, t.Response
	case Resolution:
		return t.Resolution - t.ResolutionTarget, t.Resolution
	}
	if t.ResolutionTarget == 0 {
		return t.Response - t.ResponseTarget, t.Response
	}
	return max(t.Response-t.ResponseTarget, t.Resolution-t.ResolutionTarget), max(t.Response, t.Resolution)
}

// at is xs[i], or 0 when xs has no such element (a nil slice gives every
// tier zero).
func at(xs []float64, i int) float64 {
	if i >= len(xs) {
		return 0
	}
	return xs[i]
}

// Wording is what a rule's terms are written with: the tiers' names, the
// period's name (month or quarter), what a ticket's fee is, and how to
// write amounts, shares and durations.
type Wording struct {
	Tiers []string
	// Clocks names the model's named clocks (Contract.Clocks).
	Clocks    []string
	Period    string
	TicketFee string
	Money     func(float64) string
	Share     func(float64) string
	Duration  func(time.Duration) string
}

// clockTarget names the target a clock's breach misses.
func (w *Wording) clockTarget(k Clock) string {
	if i := k.named(); i >= 0 && i < len(w.Clocks) {
		return "its " + w.Clocks[i] + " target"
	}
	switch k {
	case Response:
		return "its response target"
	case Resolution:
		return "its resolution target"
	}
	return "either of its targets"
}

// clockName names clock k.
func (w *Wording) clockName(k Clock) string {
	if i := k.named(); i >= 0 && i < len(w.Clocks) {
		return w.Clocks[i]
	}
	return k.String()
}

// lateTarget is the target a ticket's lateness is measured from.
func (w *Wording) lateTarget(k Clock) string {
	if k == Either {
		return "its response or resolution target, whichever it misses by more"
	}
	return w.clockTarget(k)
}

// byTier lists each tier's non-zero value: urgent 200%, high 50%.
func (w *Wording) byTier(xs []float64, format func(float64) string) string {
	per := make([]string, len(w.Tiers))
	for i := range w.Tiers {
		if x := at(xs, i); x != 0 {
			per[i] = format(x)
		}
	}
	return w.join(per)
}

// join names the tiers with a value, and those without.
func (w *Wording) join(values []string) string {
	var with, without []string
	for i, t := range w.Tiers {
		if values[i] == "" {
			without = append(without, t)
		} else {
			with = append(with, t+" "+values[i])
		}
	}
	switch {
	case len(with) == 0:
		return "no tier"
	case len(without) > 0:
		return strings.Join(with, ", ") + "; nothing for " + strings.Join(without, ", ")
	}
	return strings.Join(with, ", ")
}

// cappedShares writes each tier's share with its cap, if it has one:
// 5% (at most 20%).
func (w *Wording) cappedShares(shares, caps []float64) string {
	per := make([]string, len(w.Tiers))
	for i := range w.Tiers {
		if at(shares, i) == 0 {
			continue
		}
		per[i] = w.Share(at(shares, i))
		if cp := at(caps, i); cp > 0 {
			per[i] += " (at most " + w.Share(cp) + ")"
		}
	}
	return w.join(per)
}
