package contract

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/slasim/slasim/sim"
)

// Attainment credits a share of the period's revenue for each tier and
// clock whose attainment a in the period falls below its level L:
// Credit[i] × R, or with a Step, ⌈(L − a) / Step⌉ × Credit[i] × R; either
// capped at Max[i] × R when Max[i] > 0.
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

func (r *Attainment) Name() string  { return "attainment" }
func (r *Attainment) Title() string { return "attainment shortfall" }

func (r *Attainment) Terms(w *Wording) string {
	step := ""
	if r.Step > 0 {
		points := strconv.FormatFloat(100*r.Step, 'g', 4, 64)
		step = fmt.Sprintf(" for each started %s percentage point", points)
		if points != "1" {
			step += "s"
		}
		step += " below the level"
	}
	return fmt.Sprintf("Attainment: for each tier and clock whose attainment in a %s falls below its level, a share of the %s's revenue%s: %s.",
		w.Period, w.Period, step, w.cappedShares(r.Credit, r.Max))
}

func (r *Attainment) check(n int, bad func(string, ...any)) {
	checkShares("attainment.credit", r.Credit, n, bad)
	checkShares("attainment.max", r.Max, n, bad)
	if !(r.Step >= 0 && r.Step <= 1) {
		bad("attainment.step must be a share from 0 to 1, got %v", r.Step)
	}
}

// ticket adds nothing: the rule reads the period's attainment.
func (r *Attainment) ticket(*sim.TicketRecord, *rand.Rand) float64 { return 0 }

func (r *Attainment) credit(tier int, _ float64, p *periodFigures) float64 {
	var x float64
	for _, shortfall := range p.shortfall[tier] {
		if shortfall > 0 {
			x += r.share(tier, shortfall) * p.revenue
		}
	}
	return x
}

// attainmentTolerance absorbs rounding in a shortfall that is a whole
// number of steps, such as 95% − 93% in steps of 1%.
const attainmentTolerance = 1e-9

// share is the share of the period's revenue credited for a tier falling
// short of its level by shortfall > 0.
func (r *Attainment) share(tier int, shortfall float64) float64 {
	steps := 1.0
	if r.Step > 0 {
		steps = math.Ceil(shortfall/r.Step - attainmentTolerance)
	}
	x := steps * at(r.Credit, tier)
	if m := at(r.Max, tier); m > 0 {
		x = min(x, m)
	}
	return x
}
