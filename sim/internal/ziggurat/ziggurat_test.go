package ziggurat

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// TestTablesAsMathRand checks every bit of the tables, which the draws
// below cannot: most entries decide a draw only when a number falls
// within one float32 ulp of them. The hash is FNV-1a of math/rand/v2's
// ke, we, fe then kn, wn, fn as its source (Go 1.26) writes them, strip by
// strip: k, then the bits of w and f, each as four bytes, little-endian.
func TestTablesAsMathRand(t *testing.T) {
	h := fnv.New64a()
	for _, strips := range [][]strip{expStrips[:], normStrips[:]} {
		for _, s := range strips {
			h.Write(binary.LittleEndian.AppendUint32(nil, s.k))
			h.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(s.w)))
			h.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(s.f)))
		}
	}
	if got, want := h.Sum64(), uint64(0x5b127f38e287a64e); got != want {
		t.Errorf("tables hash to %#x, math/rand/v2's to %#x", got, want)
	}
}

// TestSameAsMathRand draws 10^7 numbers of each kind from each of several
// seeds, both here and through math/rand/v2, mixing the kinds as the
// engine does (so that each also leaves the generator where rand's does):
// every number is the same, bit for bit.
func TestSameAsMathRand(t *testing.T) {
	if fuses() {
		t.Skip("this build fuses products and sums, as math/rand/v2's draws then do and these do not")
	}
	n := 10_000_000
	if testing.Short() {
		n = 1_000_000
	}
	for _, seed := range [][2]uint64{{1, 2}, {0, 0}, {0x9e3779b97f4a7c15, 42}, {math.MaxUint64, 7}} {
		var here, there rand.PCG
		here.Seed(seed[0], seed[1])
		there.Seed(seed[0], seed[1])
		r := rand.New(&there)
		for i := range n {
			// Runs of each kind and alternations both.
			kind := i>>3&1 ^ i&1
			var a, b float64
			if kind == 0 {
				a, b = Exp(&here), r.ExpFloat64()
			} else {
				a, b = Normal(&here), r.NormFloat64()
			}
			if math.Float64bits(a) != math.Float64bits(b) {
				t.Fatalf("seed %v, draw %d (kind %d): %v, math/rand/v2 %v", seed, i, kind, a, b)
			}
		}
	}
}

// fa·fb is 1 − 2^-60, which rounds to 1: fa·fb + fc is 0, unless fused.
// Variables, so that the compiler cannot work it out.
var fa, fb, fc = 1 + 0x1p-30, 1 - 0x1p-30, -1.0

func fuses() bool { return fa*fb+fc != 0 }

var sink float64

func BenchmarkDraws(b *testing.B) {
	var g rand.PCG
	r := rand.New(&g)
	for _, c := range []struct {
		name string
		f    func() float64
	}{
		{"Exp", func() float64 { return Exp(&g) }},
		{"rand.ExpFloat64", r.ExpFloat64},
		{"Normal", func() float64 { return Normal(&g) }},
		{"rand.NormFloat64", r.NormFloat64},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := 0.0
			for range b.N {
				s += c.f()
			}
			sink = s
		})
	}
}
