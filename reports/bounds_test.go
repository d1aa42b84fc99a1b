package reports

import (
	"encoding/json"
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
