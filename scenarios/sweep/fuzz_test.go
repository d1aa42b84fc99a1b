package sweep

import (
	"math"
	"slices"
	"testing"
)

// FuzzParseAxis checks that no --vary text makes ParseAxis panic or run
// away (1e31..1e31 once never ended), and that an axis it accepts has
// between one and MaxValues distinct values, finite where numeric.
func FuzzParseAxis(f *testing.F) {
	for _, s := range []string{
		"agents=8,9,10", "agents=8..12", "arrivals.scale=0.8..1.2:0.1", "tiers[0].share=5%..20%:5%",
		"arrivals.volume=150/day..250/day:50/day", "tiers[0].targets.response=15m..1h:15m",
		"tiers[1].handling.distribution=gamma,lognormal", "agents=10000000000000000000000000000000..10000000000000000000000000000000",
		"agents=0.0000001..0.0000002:0.00000000000000000001", "x=1w..1000000000w:1w", "agents=8..12:0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAxis(s)
		if err != nil {
			return
		}
		texts := a.Texts()
		if len(texts) == 0 || len(texts) > MaxValues {
			t.Fatalf("%q: %d values", s, len(texts))
		}
		sorted := slices.Clone(texts)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(texts) {
			t.Fatalf("%q: a value twice in %q", s, texts)
		}
		for _, v := range a.Values {
			if a.Numeric && (math.IsNaN(v.X) || math.IsInf(v.X, 0)) {
				t.Fatalf("%q: value %q at %v", s, v.Text, v.X)
			}
		}
		if _, err := Grid([]Axis{a}); err != nil {
			t.Fatalf("%q: a single axis makes no grid: %v", s, err)
		}
	})
}
