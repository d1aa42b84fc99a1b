package contract

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/slasim/slasim/sim"
)

// Lateness credits a share of the ticket fee for each started Step of
// lateness beyond the target, up to a cap per ticket: a ticket of tier i
// late by d > 0 on the rule's clock is credited min(⌈d / Step⌉ ×
// Credit[i], Cap[i]) × f.
type Lateness struct {
	Clock Clock
	Step  time.Duration
	// Credit is the share of the ticket fee per started step, by tier.
	Credit []float64
	// Cap is the most one ticket is credited, as a share of the ticket fee,
	// by tier; zero means no cap.
	Cap []float64
}

func (r *Lateness) Name() string  { return "lateness" }
func (r *Lateness) Title() string { return "lateness" }

func (r *Lateness) Terms(w *Wording) string {
	return fmt.Sprintf("Lateness: each ticket is credited, for each started %s beyond %s, a share of its fee: %s.",
		w.Duration(r.Step), w.lateTarget(r.Clock), w.cappedShares(r.Credit, r.Cap))
}

func (r *Lateness) check(n int, bad func(string, ...any)) {
	checkClock("lateness.clock", r.Clock, bad)
	if r.Step <= 0 {
		bad("lateness.step must be > 0, got %v", r.Step)
	}
	checkShares("lateness.credit", r.Credit, n, bad)
	checkShares("lateness.cap", r.Cap, n, bad)
}

// ticket returns the ticket's credit in ticket fees.
func (r *Lateness) ticket(t *sim.TicketRecord, _ *rand.Rand) float64 {
	d, _ := late(t, r.Clock)
	if d <= 0 {
		return 0
	}
	steps := (d + r.Step - 1) / r.Step
	u := float64(steps) * at(r.Credit, t.Tier)
	if cp := at(r.Cap, t.Tier); cp > 0 {
		u = min(u, cp)
	}
	return u
}

func (r *Lateness) credit(_ int, fees float64, p *periodFigures) float64 {
	return fees * p.ticketFee
}
