package fastexp

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exact is e^x to 192 bits: the Taylor series of x/2^m, |x/2^m| < 2^-8,
// squared m times (which loses m of the bits).
func exact(x float64) *big.Float {
	const prec = 192
	m := 0
	if _, e := math.Frexp(x); e > -8 {
		m = e + 8
	}
	y := new(big.Float).SetPrec(prec).SetFloat64(x)
	y.SetMantExp(y, -m)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); ; n++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil)-sum.MantExp(nil) < -prec {
			break
		}
		sum.Add(sum, term)
	}
	for range m {
		sum.Mul(sum, sum)
	}
	return sum
}

// ulps is how far got is from e^x, in units of the last place in e^x's
// binade (2^-1074 below the normal range): just below a power of two, half
// those of the power it may round to; +Inf when got is +Inf and e^x does
// not round to it.
func ulps(got, x float64) float64 {
	ref := exact(x)
	want, _ := ref.Float64()
	if math.IsInf(want, 1) && math.IsInf(got, 1) {
		return 0
	}
	if math.IsInf(got, 0) {
		return math.Inf(1)
	}
	ulp := 0x1p-1074
	if want >= 0x1p-1022 {
		ulp = max(math.Ldexp(1, ref.MantExp(nil)-53), 0x1p-1074)
	}
	d := new(big.Float).SetPrec(192).SetFloat64(got)
	d.Sub(d, ref).Abs(d)
	e, _ := d.Quo(d, big.NewFloat(ulp)).Float64()
	return e
}

// engineRange holds every argument the engine's lognormal draws can give
// Exp: ln of a mean from 1 ns to 100 years (0 to 42.6), less σ²/2 for a
// coefficient of variation up to 100 (4.6), plus σ (3.03) times a normal
// draw (the ziggurat's never exceed 14.1 in magnitude).
const engineLow, engineHigh = -48.0, 86.0

func TestAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var xs []float64
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for i := range n {
		// A grid over the engine's range, jittered within its step.
		step := (engineHigh - engineLow) / float64(n)
		xs = append(xs, engineLow+(float64(i)+r.Float64())*step)
	}
	for range n / 4 {
		xs = append(xs, -746+r.Float64()*(710+746))
	}
	for _, x := range []float64{
		// Both sides of each boundary between the paths and of the
		// range: 2^-54, 512, 1024, overflow at 709.78, the normal range
		// at -708.40, the last subnormal at -745.13.
		0x1p-54, 512, 1024, 709.782712893384, 708.3964185322641, 745.1332191019411,
		1, math.Ln2, math.Ln2 / 256, 0.5, 1e-10, 0x1p-1022, 0x1p-1074,
	} {
		for _, s := range []float64{x, -x} {
			for _, v := range []float64{math.Nextafter(s, math.Inf(-1)), s, math.Nextafter(s, math.Inf(1))} {
				if v > -1024 && v < 1024 {
					xs = append(xs, v)
				}
			}
		}
	}
	worstNormal, worstSub := 0.0, 0.0
	for _, x := range xs {
		got := Exp(x)
		e := ulps(got, x)
		if got < 0x1p-1022 {
			worstSub = max(worstSub, e)
			if e > 0.76 {
				t.Errorf("Exp(%v) = %v: %.3f ulp from e^x (subnormal)", x, got, e)
			}
			continue
		}
		worstNormal = max(worstNormal, e)
		if e > 0.51 {
			t.Errorf("Exp(%v) = %v: %.3f ulp from e^x", x, got, e)
		}
	}
	t.Logf("%d arguments: worst %.4f ulp (normal results), %.4f ulp (subnormal)", len(xs), worstNormal, worstSub)
}

func TestSpecialCases(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{math.NaN(), math.NaN()},
		{math.Inf(1), math.Inf(1)},
		{math.Inf(-1), 0},
		{0, 1},
		{math.Copysign(0, -1), 1},
		{0x1p-1074, 1},
		{-0x1p-1074, 1},
		{1, math.E},
		{710, math.Inf(1)},
		{1024, math.Inf(1)},
		{math.MaxFloat64, math.Inf(1)},
		{-746, 0},
		{-1024, 0},
		{-math.MaxFloat64, 0},
		{-745.1332191019411, 0x1p-1074},
	} {
		got := Exp(c.x)
		same := got == c.want && math.Signbit(got) == math.Signbit(c.want) || math.IsNaN(got) && math.IsNaN(c.want)
		if !same {
			t.Errorf("Exp(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

// TestAgreesWithMathExp draws millions of arguments from the engine's
// range, the whole range and every bit pattern: Exp and math.Exp differ by
// at most one ulp (both are within one of e^x and rarely round apart),
// except where math.Exp is wrong. On amd64 it overflows from 709.44 (where
// x/ln2 rounds to 1024), not 709.78: there Exp must be within 0.52 ulp
// of e^x.
func TestAgreesWithMathExp(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 4_000_000
	if testing.Short() {
		n = 400_000
	}
	gens := []func() float64{
		func() float64 { return engineLow + r.Float64()*(engineHigh-engineLow) },
		func() float64 { return -750 + r.Float64()*(750+715) },
		func() float64 { return math.Float64frombits(r.Uint64()) },
	}
	differ, wrong := 0, 0
	for i := range n {
		x := gens[i%len(gens)]()
		got, want := Exp(x), math.Exp(x)
		switch {
		case got == want || math.IsNaN(got) && math.IsNaN(want):
		case withinUlp(got, want):
			differ++
		case ulps(got, x) <= 0.52 && ulps(want, x) > 1:
			wrong++
		default:
			t.Fatalf("Exp(%v) = %v, math.Exp %v", x, got, want)
		}
	}
	t.Logf("of %d arguments, %d differ from math.Exp's by one ulp, %d where math.Exp is more than one ulp wrong", n, differ, wrong)
}

// TestSameEverywhere pins Exp's bits over 200,000 arguments, half of them
// in the engine's range, by their FNV-1a hash: the products are converted
// before they are added so that no architecture fuses them, and Exp gives
// the same bits on every machine (a lognormal duration also depends on
// its normal draw, whose tail goes through math.Log: see package
// ziggurat). The hash is the same on amd64 and on arm64 (under
// qemu-aarch64); it changes with the method.
func TestSameEverywhere(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	h := fnv.New64a()
	for i := range 200_000 {
		// Converted, or arm64 fuses the argument's own multiply-add.
		x := -750 + float64(r.Float64()*1500)
		if i%2 == 0 {
			x = engineLow + float64(r.Float64()*(engineHigh-engineLow))
		}
		h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(Exp(x))))
	}
	if got, want := h.Sum64(), uint64(0x9455e3dc3b1c2b4e); got != want {
		t.Errorf("Exp's bits hash to %#x, want %#x", got, want)
	}
}

// withinUlp says whether a and b are equal or adjacent float64s (NaN
// with NaN).
func withinUlp(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return a == b || math.Nextafter(a, b) == b
}

func FuzzExp(f *testing.F) {
	for _, x := range []float64{0, 1, -1, 30, 709.78, -745.13, 512, -512, 1e-20, math.Inf(1), math.NaN()} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		got := Exp(x)
		if !(x > -1024 && x < 1024) {
			if !withinUlp(got, math.Exp(x)) {
				t.Fatalf("Exp(%v) = %v, math.Exp %v", x, got, math.Exp(x))
			}
			return
		}
		if e := ulps(got, x); e > 1 {
			t.Fatalf("Exp(%v) = %v: %.3f ulp from e^x", x, got, e)
		}
	})
}

var sink float64

func BenchmarkExp(b *testing.B) {
	for _, c := range []struct {
		name string
		f    func(float64) float64
	}{{"fastexp", Exp}, {"math", math.Exp}} {
		b.Run(c.name, func(b *testing.B) {
			// A dependent chain, as a draw's duration waits on it; x stays
			// near 20.
			x := 20.0
			for range b.N {
				x = 20 + c.f(x)*0x1p-60
			}
			sink = x
		})
	}
}
