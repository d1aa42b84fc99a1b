package sim

import (
	"math"
	"math/bits"
	"time"
)

// integral is an exact sum of count × duration products in nanoseconds, a
// signed 128-bit integer: agent time (100,000 agents over twenty years is
// about 2^76 agent-nanoseconds), tickets waiting (a billion of them over
// twenty years, 2^89) or clock times (a billion tickets each up to twenty
// years late). An int64 wraps at 2.56 million agent-hours, a desk of 300
// agents in a year. Adding is a multiplication and an addition with carry;
// reading, a rounding to float64 and a division, allocates nothing.
type integral struct {
	hi int64
	lo uint64
}

// add adds count × d. Mul64 multiplies the two's complement words as
// unsigned; subtracting, from the high word, each factor where the other
// is negative makes that the signed 128-bit product. Small enough to be
// inlined: it runs several times per ticket.
func (a *integral) add(count int64, d time.Duration) {
	hi, lo := bits.Mul64(uint64(count), uint64(d))
	hi -= uint64(count>>63)&uint64(d) + uint64(int64(d)>>63)&uint64(count)
	var c uint64
	a.lo, c = bits.Add64(a.lo, lo, 0)
	a.hi += int64(hi + c)
}

// plus adds d: add(1, d) without the multiplication, for the sums that
// change most often.
func (a *integral) plus(d time.Duration) {
	var c uint64
	a.lo, c = bits.Add64(a.lo, uint64(d), 0)
	a.hi += int64(d)>>63 + int64(c)
}

// merge adds b.
func (a *integral) merge(b integral) {
	var c uint64
	a.lo, c = bits.Add64(a.lo, b.lo, 0)
	a.hi += b.hi + int64(c)
}

// negate is the two's complement of the 128-bit hi:lo.
func negate(hi, lo uint64) (uint64, uint64) {
	lo = -lo
	hi = ^hi
	if lo == 0 {
		hi++
	}
	return hi, lo
}

// positive reports whether a > 0.
func (a integral) positive() bool { return a.hi > 0 || a.hi == 0 && a.lo > 0 }

// float64 is a rounded to the nearest float64 (ties to even).
func (a integral) float64() float64 {
	hi, lo := uint64(a.hi), a.lo
	neg := a.hi < 0
	if neg {
		hi, lo = negate(hi, lo)
	}
	f := wideFloat(hi, lo)
	if neg {
		return -f
	}
	return f
}

// wideFloat is the unsigned hi:lo rounded to the nearest float64: its top
// 64 bits, with any lower bit set folded into the last as a sticky bit, so
// that the one rounding of the conversion breaks ties correctly.
func wideFloat(hi, lo uint64) float64 {
	if hi == 0 {
		return float64(lo)
	}
	n := bits.Len64(hi)
	top := hi<<(64-n) | lo>>n
	if lo<<(64-n) != 0 {
		top |= 1
	}
	return math.Ldexp(float64(top), n)
}

// per is a divided by the product of the factors (all > 0): a mean, a
// share, an average count. Numerator and denominator are each rounded to
// a float64, then divided: three roundings at most (a relative 3·2^-53),
// and the correctly rounded quotient when both are below 2^53.
func (a integral) per(factors ...int64) float64 {
	hi, lo := uint64(0), uint64(1)
	for _, f := range factors {
		h1, l1 := bits.Mul64(lo, uint64(f))
		hi, lo = hi*uint64(f)+h1, l1
	}
	return a.float64() / wideFloat(hi, lo)
}

// over is a / b, with b > 0: a share.
func (a integral) over(b integral) float64 { return a.float64() / b.float64() }

// milliseconds is a in whole milliseconds, rounded towards zero, as the
// Summary keeps its integrals: a replication's fit in an int64 for any
// model within the limits (100,000 agents over twenty years are 2^56
// agent-milliseconds); beyond, it saturates.
func milliseconds(a integral) int64 {
	hi, lo := uint64(a.hi), a.lo
	neg := a.hi < 0
	if neg {
		hi, lo = negate(hi, lo)
	}
	const ms = uint64(time.Millisecond)
	qhi, r := bits.Div64(0, hi, ms)
	q, _ := bits.Div64(r, lo, ms)
	if qhi != 0 || q > math.MaxInt64 {
		q = math.MaxInt64
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

// hours is a 168-bin integral by hour of the week.
type hours [HoursPerWeek]integral
