package contract

import (
	"fmt"
	"math/rand/v2"

	"github.com/slasim/slasim/sim"
)

// Outage credits, per ticket, duration × fee rate × coefficient: the
// duration is the clock's time beyond the target (or, with Whole, the
// whole clock time), the fee rate the period's revenue per hour. With
// Outages it credits the outages of the model's services instead, in the
// period each begins in: its downtime (outside planned maintenance) × fee
// rate × the coefficient of the tier it counts as.
type Outage struct {
	Clock   Clock
	Whole   bool
	Outages bool
	// Coefficient is each tier's coefficient, drawn for each ticket of
	// the tier, late or not, uniformly from [Lo, Hi] from the collector's
	// own stream (for each outage, from a stream of its service's); Lo ==
	// Hi fixes it, and zero leaves the tier out.
	Coefficient []Range
}

// Range is a closed interval [Lo, Hi].
type Range struct {
	Lo, Hi float64
}

func (r *Outage) Name() string  { return "outage" }
func (r *Outage) Title() string { return "outage" }

func (r *Outage) Terms(w *Wording) string {
	what, hours, each := "each ticket", "the hours beyond "+w.lateTarget(r.Clock), "ticket"
	if r.Whole {
		hours = "the hours on its " + w.clockName(r.Clock) + " clock"
	}
	if r.Outages {
		what, hours, each = "each outage of a service", "its hours of downtime outside planned maintenance", "outage"
	}
	per := make([]string, len(w.Tiers))
	drawn := false
	for i := range w.Tiers {
		if i >= len(r.Coefficient) || r.Coefficient[i].Hi == 0 {
			continue
		}
		g := r.Coefficient[i]
		per[i] = fmt.Sprintf("%.3g", g.Lo)
		if g.Hi > g.Lo {
			per[i] = fmt.Sprintf("%.3g–%.3g", g.Lo, g.Hi)
			drawn = true
		}
	}
	how := ""
	if drawn {
		how = ", drawn for each " + each + " from its range"
	}
	by := ""
	if r.Outages {
		by = " of the tier the service's outages count as"
	}
	return fmt.Sprintf("Outage: %s is credited %s × the %s's revenue per hour × a coefficient%s%s: %s.",
		what, hours, w.Period, by, how, w.join(per))
}

func (r *Outage) check(n int, bad func(string, ...any)) {
	checkClock("outage.clock", r.Clock, bad)
	if r.Coefficient != nil && len(r.Coefficient) != n {
		bad("outage.coefficient has %d tiers, the model %d", len(r.Coefficient), n)
	}
	for i, g := range r.Coefficient {
		checkNonNegative(fmt.Sprintf("outage.coefficient[%d]", i), g.Lo, bad)
		checkNonNegative(fmt.Sprintf("outage.coefficient[%d]", i), g.Hi, bad)
		if g.Hi < g.Lo {
			bad("outage.coefficient[%d]: range [%v, %v] is empty", i, g.Lo, g.Hi)
		}
	}
}

// ticket returns the ticket's hours × coefficient; nothing when the rule
// credits outages.
func (r *Outage) ticket(t *sim.TicketRecord, rng *rand.Rand) float64 {
	if r.Outages || t.Tier >= len(r.Coefficient) || r.Coefficient[t.Tier].Hi == 0 {
		return 0
	}
	// Every ticket of the tier draws its coefficient, late or not, so that
	// one ticket turning late does not move the others' draws: a breach
	// never lowers the credits.
	k := r.Coefficient[t.Tier].draw(rng)
	d, whole := late(t, r.Clock)
	if r.Whole {
		d = whole
	}
	if d <= 0 {
		return 0
	}
	return d.Hours() * k
}

// outage returns the outage's downtime hours × coefficient, drawn from
// rng, when the rule credits outages.
func (r *Outage) outage(o *sim.OutageRecord, rng *rand.Rand) float64 {
	if !r.Outages || o.Tier >= len(r.Coefficient) || r.Coefficient[o.Tier].Hi == 0 || o.Downtime <= 0 {
		return 0
	}
	return o.Downtime.Hours() * r.Coefficient[o.Tier].draw(rng)
}

// draw returns a value drawn uniformly from the range, or its bound when
// the range is a point.
func (g Range) draw(rng *rand.Rand) float64 {
	if g.Hi > g.Lo {
		return g.Lo + (g.Hi-g.Lo)*rng.Float64()
	}
	return g.Lo
}

func (r *Outage) credit(_ int, hours float64, p *periodFigures) float64 {
	return hours * p.rate
}
