package sim

import "testing"

// uniform is the number in [0, 1) that atLeast and the routing draw and
// compare, as a float: the next half of the generator's output, its high
// half first. The reference their tests compare them with.
func (s *source) uniform() float64 {
	if s.spare {
		s.spare = false
		return float64(s.low) * 0x1p-32
	}
	x := s.pcg.Uint64()
	s.low, s.spare = uint32(x), true
	return float64(x>>32) * 0x1p-32
}

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

// TestSourceAtLeast checks that source.atLeast counts as n calls of
// uniform compared with p do, leaving the stream where they leave it,
// for probabilities on the grid of 2^-32, beside it, and at 0 and 1.
func TestSourceAtLeast(t *testing.T) {
	a, b := newSource(), newSource()
	a.seed(3, 1, StreamStaffing, 0)
	b.seed(3, 1, StreamStaffing, 0)
	ps := []float64{0, 1, 0.15, 0.5, 0.999, 1 - 0x1p-32, 0x1p-32, 0x1p-33, 3 * 0x1p-32, 0.25 + 0x1p-40}
	for trial := range 20_000 {
		p := ps[trial%len(ps)]
		n := trial % 9
		want := 0
		for range n {
			if b.uniform() >= p {
				want++
			}
		}
		if got := a.atLeast(n, threshold(p)); got != want {
			t.Fatalf("trial %d: %d of %d at least %v, want %d", trial, got, n, p, want)
		}
	}
	if x, y := a.uniform(), b.uniform(); x != y {
		t.Fatalf("the streams part: %v, want %v", x, y)
	}
}
