package pcg

import "math/bits"

// PCG is a generator's state; the zero value is seeded with (0, 0).
type PCG struct {
	hi, lo uint64
}

// Seed sets the state as rand.PCG's Seed(seed1, seed2) does.
func (p *PCG) Seed(seed1, seed2 uint64) { p.hi, p.lo = seed1, seed2 }

// Jump is an affine map of the state, x → mul·x + inc modulo 2^128: some
// number of the generator's steps. The zero Jump is not a map; Steps(0)
// is the identity.
type Jump struct {
	mulHi, mulLo, incHi, incLo uint64
}

// step is one step: rand.PCG's multiplier and increment.
var step = Jump{
	mulHi: 2549297995355413924, mulLo: 4865540595714422341,
	incHi: 6364136223846793005, incLo: 1442695040888963407,
}

// Steps is the map of n ≥ 0 steps.
func Steps(n int) Jump {
	j := Jump{mulLo: 1}
	for range n {
		j = j.Then(step)
	}
	return j
}

// Then is the map of j followed by k.
func (j Jump) Then(k Jump) Jump {
	// k(j(x)) = k.mul·j.mul·x + k.mul·j.inc + k.inc.
	mulHi, mulLo := mul(k.mulHi, k.mulLo, j.mulHi, j.mulLo)
	incHi, incLo := mul(k.mulHi, k.mulLo, j.incHi, j.incLo)
	incLo, c := bits.Add64(incLo, k.incLo, 0)
	return Jump{mulHi, mulLo, incHi + k.incHi + c, incLo}
}

// mul is the product of two 128-bit numbers modulo 2^128.
func mul(aHi, aLo, bHi, bLo uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(aLo, bLo)
	return hi + aHi*bLo + aLo*bHi, lo
}

// Apply is the state moved by j. (A value, not a change in place, so
// that a caller's copy can stay in registers.)
func (p PCG) Apply(j Jump) PCG {
	hi, lo := mul(p.hi, p.lo, j.mulHi, j.mulLo)
	lo, c := bits.Add64(lo, j.incLo, 0)
	return PCG{hi + j.incHi + c, lo}
}

// Output is the output of the state reached: what rand.PCG's Uint64
// returns after the step that reached it.
func (p PCG) Output() uint64 {
	const cheapMul = 0xda942042e4dd58b5
	hi := p.hi
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	return hi * (p.lo | 1)
}
