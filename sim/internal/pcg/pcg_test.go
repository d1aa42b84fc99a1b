package pcg

import (
	"math/rand/v2"
	"testing"
)

// next steps p and returns its output, as rand.PCG's Uint64 does.
func next(p *PCG) uint64 {
	*p = p.Apply(step)
	return p.Output()
}

// TestSameAsMathRand checks that stepping gives rand.PCG's outputs from the
// same seeds, and that a jump of n steps leaves the state that n outputs
// leave: Output is the last of them, and the next outputs are the same.
func TestSameAsMathRand(t *testing.T) {
	seeds := rand.New(rand.NewPCG(11, 12))
	for trial := range 200 {
		s1, s2 := seeds.Uint64(), seeds.Uint64()
		if trial == 0 {
			s1, s2 = 0, 0
		}
		var p PCG
		p.Seed(s1, s2)
		q := rand.NewPCG(s1, s2)
		var last uint64
		for i := range 1000 {
			got, want := next(&p), q.Uint64()
			if got != want {
				t.Fatalf("seed (%#x, %#x), output %d: %#x, want %#x", s1, s2, i, got, want)
			}
			last = want
		}
		for n := range 20 {
			p = p.Apply(Steps(n))
			for range n {
				last = q.Uint64()
			}
			if got := p.Output(); got != last {
				t.Fatalf("seed (%#x, %#x), after a jump of %d: %#x, want %#x", s1, s2, n, got, last)
			}
		}
		if got, want := next(&p), q.Uint64(); got != want {
			t.Fatalf("seed (%#x, %#x), after the jumps: %#x, want %#x", s1, s2, got, want)
		}
	}
}

// TestThen checks that composed jumps are the jumps of the summed steps,
// in either order.
func TestThen(t *testing.T) {
	for a := range 12 {
		for b := range 12 {
			if got, want := Steps(a).Then(Steps(b)), Steps(a+b); got != want {
				t.Fatalf("Steps(%d).Then(Steps(%d)) = %+v, want %+v", a, b, got, want)
			}
		}
	}
	if got := Steps(0); got != (Jump{mulLo: 1}) {
		t.Fatalf("Steps(0) = %+v, want the identity", got)
	}
}
