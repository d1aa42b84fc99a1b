package sim

import "testing"

// TestSourceFloat64 checks that source.float64 draws what rand.Rand's
// Float64 draws from the same stream, so that calling the generator
// directly changes no result.
func TestSourceFloat64(t *testing.T) {
	a, b := newSource(), newSource()
	for rep := range 3 {
		a.seed(7, rep, StreamRouting, 2)
		b.seed(7, rep, StreamRouting, 2)
		for i := range 10_000 {
			if x, y := a.float64(), b.Float64(); x != y {
				t.Fatalf("replication %d, draw %d: %v, rand.Rand gives %v", rep, i, x, y)
			}
		}
	}
}
