package contract

import (
	"fmt"
	"math/rand/v2"

	"github.com/slasim/slasim/sim"
)

// PerBreach credits a share of the ticket fee for each breached ticket:
// Credit[i] × f for each ticket of tier i breached on the rule's clock.
type PerBreach struct {
	Clock Clock
	// Credit is the share of the ticket fee per breached ticket, by tier
	// (2 for 200%).
	Credit []float64
}

func (r *PerBreach) Name() string  { return "per_breach" }
func (r *PerBreach) Title() string { return "per breach" }

func (r *PerBreach) Terms(w *Wording) string {
	once := ""
	if r.Clock == Either {
		once = " (once, even if it misses both)"
	}
	return fmt.Sprintf("Per breach: each ticket that misses %s%s is credited a share of its fee: %s. A ticket's fee is %s.",
		w.clockTarget(r.Clock), once, w.byTier(r.Credit, w.Share), w.TicketFee)
}

func (r *PerBreach) check(n int, bad func(string, ...any)) {
	checkClock("per_breach.clock", r.Clock, bad)
	checkShares("per_breach.credit", r.Credit, n, bad)
}

// ticket counts the ticket's breach.
func (r *PerBreach) ticket(t *sim.TicketRecord, _ *rand.Rand) float64 {
	if missed(t, r.Clock) {
		return 1
	}
	return 0
}

func (r *PerBreach) credit(tier int, breaches float64, p *periodFigures) float64 {
	return breaches * at(r.Credit, tier) * p.ticketFee
}
