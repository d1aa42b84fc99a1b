package sim

import "testing"

// TestSourceUniform checks that source.uniform splits each output of the
// generator into two numbers in [0, 1), its high half first, and that
// reseeding drops a half not yet used.
func TestSourceUniform(t *testing.T) {
	a, b := newSource(), newSource()
	for rep := range 3 {
		a.seed(7, rep, StreamRouting, 2)
		b.seed(7, rep, StreamRouting, 2)
		for i := range 10_000 {
			x := b.Uint64()
			hi, lo := a.uniform(), a.uniform()
			if hi != float64(x>>32)/(1<<32) || lo != float64(x&(1<<32-1))/(1<<32) || hi >= 1 || lo >= 1 {
				t.Fatalf("replication %d, output %d = %#x: uniforms %v and %v", rep, i, x, hi, lo)
			}
		}
	}
	a.seed(7, 0, StreamRouting, 2)
	first := a.uniform()
	a.seed(7, 0, StreamRouting, 2)
	if again := a.uniform(); again != first {
		t.Fatalf("after reseeding: %v, want the stream's first %v", again, first)
	}
}
