package reports

import (
	"testing"

	"github.com/slasim/slasim/sim"
)

// TestShareEstimate: a share's interval stays within [0, 1] where the
// skewness-corrected interval of its replications passes 1.
func TestShareEstimate(t *testing.T) {
	var tally sim.Tally
	for _, v := range []float64{1, 1, 1, 1, 0.98} {
		tally.Add(v)
	}
	if raw := estimate(&tally, 1); *raw.Hi <= 1 {
		t.Fatalf("the raw interval [%v, %v] stays within [0, 1]: the case tests nothing", *raw.Lo, *raw.Hi)
	}
	e := shareEstimate(&tally)
	if *e.Lo < 0 || *e.Hi != 1 || *e.HalfWidth != (*e.Hi-*e.Lo)/2 {
		t.Errorf("interval [%v, %v], half-width %v", *e.Lo, *e.Hi, *e.HalfWidth)
	}
}
