package reports

import (
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestUnjudged: the report of a sizing names the targets sizing does not
// judge, mean targets, named clocks and updates, tier by tier and then
// over all tickets; a promise's the same but named clocks.
func TestUnjudged(t *testing.T) {
	m := &sim.Model{
		Tiers: []sim.Tier{
			{Name: "urgent", Mean: sim.MeanTargets{Resolution: 4 * time.Hour}},
			{Name: "faults", Clocks: []sim.Clock{{Name: "on site", Target: time.Hour}},
				Updates: sim.Updates{Every: 30 * time.Minute, Target: 10 * time.Minute}},
		},
		Mean: sim.MeanTargets{Response: 45 * time.Minute},
	}
	want := []string{"urgent mean resolution ≤ 4h", "faults on site within 1h", "faults updates within 10m", "all tickets' mean response ≤ 45m"}
	if got := unjudged(m, true, nil); !slices.Equal(got, want) {
		t.Errorf("sizing: got %q, want %q", got, want)
	}
	want = slices.Delete(want, 1, 2)
	if got := unjudged(m, false, nil); !slices.Equal(got, want) {
		t.Errorf("promise: got %q, want %q", got, want)
	}
	want = slices.Delete(want, 1, 2)
	if got := unjudged(m, false, []bool{false, true}); !slices.Equal(got, want) {
		t.Errorf("promise judging the faults' updates: got %q, want %q", got, want)
	}
	if got := unjudged(&sim.Model{Tiers: []sim.Tier{{Name: "plain"}}}, true, nil); got != nil {
		t.Errorf("a model without such targets: %q", got)
	}
}
