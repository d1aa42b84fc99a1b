package reports

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/slasim/slasim/scenarios"
)

// TestIntervalsWithinBounds: with two short replications the
// skewness-corrected intervals reach far past what their figures can be;
// every output shows them cut at the bounds: a share within [0, 1], a
// time, a count or an amount of money at or above 0. The default example
// (mean targets, teams, a service) printed a mean response of 17m17s
// [-42m21s, 1h17m], and the JSON an attainment interval of [-0.40, 1.83].
func TestIntervalsWithinBounds(t *testing.T) {
	shares := regexp.MustCompile(`attainment|utilisation|share|meets|availability`)
	for _, example := range []string{"default", "contract", "front-door"} {
		t.Run(example, func(t *testing.T) {
			r := exampleReport(t, example, scenarios.Setting{Path: "simulation.replications", Value: "2"},
				scenarios.Setting{Path: "simulation.horizon", Value: "3d"})
			var text strings.Builder
			if err := r.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if neg := regexp.MustCompile(`\[-|, -`).FindString(text.String()); neg != "" {
				t.Errorf("the text shows a negative bound (%q):\n%s", neg, text.String())
			}
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			cut := 0
			var walk func(path string, v any)
			walk = func(path string, v any) {
				switch v := v.(type) {
				case []any:
					for _, x := range v {
						walk(path, x)
					}
				case map[string]any:
					lo, okLo := v["lo"].(float64)
					hi, okHi := v["hi"].(float64)
					mean, okMean := v["mean"].(float64)
					if _, isEstimate := v["half_width"]; isEstimate && okLo && okHi && okMean {
						top := 1.0
						if !shares.MatchString(path) {
							top = hi
						}
						if lo < 0 || hi > top || v["half_width"].(float64) != (hi-lo)/2 {
							t.Errorf("%s: %v in [%v, %v], half-width %v", path, mean, lo, hi, v["half_width"])
						}
						if lo == 0 && mean > 0 || hi == 1 && mean < 1 {
							cut++
						}
						return
					}
					for k, x := range v {
						walk(path+"."+k, x)
					}
				}
			}
			walk("", doc)
			if cut == 0 {
				t.Error("no interval reaches a bound: the case tests nothing")
			}
		})
	}
}

// TestContractIntervalsWithinCap: a month's credits are at most the cap's
// share of its revenue, and so is their mean, by rule, by tier and in all
// (with no ladder costs, which the cap leaves out). With most months at
// the cap, the skewness-corrected interval of few replications reached
// past it: 14,351 [13,792, 17,281] a month under a cap of 15,000, and the
// urgent tier's 31,598 at its upper end.
func TestContractIntervalsWithinCap(t *testing.T) {
	const top = 0.05 * 300_000 // the cap's share of the monthly fee
	set := func(path, value string) scenarios.Setting { return scenarios.Setting{Path: path, Value: value} }
	for seed := range 4 {
		r := exampleReport(t, "contract", set("simulation.replications", "3"), set("simulation.seed", fmt.Sprint(seed+1)),
			set("contract.cap", "5%"), set("contract.tiers[0].per_breach", "5000%"), set("contract.tiers[1].per_breach", "5000%"),
			set("contract.escalation.steps[0].cost", "0"))
		c := r.Contract
		check := func(what string, e *Estimate, top float64) {
			if e != nil && e.Hi != nil && *e.Hi > top*(1+1e-12) {
				t.Errorf("seed %d, %s: %.0f [%.0f, %.0f], above %.0f", seed+1, what, e.Mean, *e.Lo, *e.Hi, top)
			}
		}
		check("cost per month", c.Cost.Mean, top)
		for _, m := range c.ByRule {
			check(m.Rule, m.Mean, top)
		}
		for _, m := range c.ByTier {
			check(m.Tier, m.Mean, top)
		}
		for _, m := range c.ByPeriod {
			check(m.Period, m.Cost, top)
		}
		if c.Reserve != nil {
			check("a year's cost", c.Reserve.YearCost, 12*top)
		}
	}
}
