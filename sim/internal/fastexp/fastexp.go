package fastexp

import (
	"math"
	"math/big"
)

const (
	tableBits = 7
	entries   = 1 << tableBits

	// shift rounds a float64 below 2^51 in magnitude to an integer when
	// added to it, leaving the integer, two's complement, in the low bits.
	shift = 0x1.8p52

	// invLn2N is 128/ln2, rounded once: the constant expression is exact.
	invLn2N = entries / math.Ln2

	// Taylor's coefficients of exp(r) − 1 beyond r.
	c2, c3, c4, c5 = 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120

	// The exponent fields bounding the main path: below 2^-54 e^x rounds
	// to 1, from 512 the scale's exponent could leave its field, from 1024
	// e^x is 0 or +Inf.
	topTiny = 0x3c9 // of 0x1p-54
	topBig  = 0x408 // of 512
	topHuge = 0x409 // of 1024
)

// ln2HiN and ln2LoN are ln2/128 split so that k·ln2HiN is exact for every
// |k| < 2^18 (the main path's are below 2^17): ln2HiN keeps 35 bits.
var ln2HiN, ln2LoN float64

// table[i] holds 2^(i/128) rounded to a double, its exponent field less
// i·2^45 (the bits that k<<45 adds for k mod 128 = i), and tail, the
// rounding's relative error, 2^(i/128)/double − 1.
var table [entries]struct {
	bits uint64
	tail float64
}

func init() {
	const prec = 256
	ln2N, _, err := big.ParseFloat(ln2Digits, 10, prec, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	ln2N.Quo(ln2N, big.NewFloat(entries))
	hi, _ := ln2N.Float64()
	ln2HiN = math.Float64frombits(math.Float64bits(hi) &^ (1<<18 - 1))
	ln2LoN, _ = new(big.Float).SetPrec(prec).Sub(ln2N, big.NewFloat(ln2HiN)).Float64()

	// 2^(1/128) by seven square roots of 2, then its powers.
	root := new(big.Float).SetPrec(prec).SetInt64(2)
	for range tableBits {
		root.Sqrt(root)
	}
	v := new(big.Float).SetPrec(prec).SetInt64(1)
	d := new(big.Float).SetPrec(prec)
	for i := range table {
		f, _ := v.Float64()
		d.Sub(v, big.NewFloat(f))
		d.Quo(d, big.NewFloat(f))
		table[i].tail, _ = d.Float64()
		table[i].bits = math.Float64bits(f) - uint64(i)<<(52-tableBits)
		v.Mul(v, root)
	}
}

// ln2Digits is ln 2 to 60 digits, 199 bits: ln2HiN and ln2LoN need 88.
const ln2Digits = "0.693147180559945309417232121458176568075500134360255254120680"

// Exp returns e^x, within one ulp.
//
// Special cases are as math.Exp's:
//
//	Exp(+Inf) = +Inf
//	Exp(NaN) = NaN
//
// Very large values overflow to 0 or +Inf.
func Exp(x float64) float64 {
	top := math.Float64bits(x) >> 52 & 0x7ff
	if top-topTiny >= topBig-topTiny {
		switch {
		case top < topTiny:
			// e^x = 1 + x + x²/2..., which rounds as 1 + x does.
			return 1 + x
		case top >= topHuge:
			if x < 0 {
				return 0
			}
			return x + math.Inf(1) // NaN stays NaN
		}
	}
	// x = k·ln2/128 + r, by the nearest integer k. The main path in line,
	// not in a function that edge shares: it would not be inlined.
	kd := float64(invLn2N*x) + shift
	ki := math.Float64bits(kd)
	kd -= shift
	r := x - float64(kd*ln2HiN) - float64(kd*ln2LoN)
	e := &table[ki&(entries-1)]
	r2 := float64(r * r)
	p := e.tail + r + float64(r2*(c2+float64(r*c3))) + float64(float64(r2*r2)*(c4+float64(r*c5)))
	// The bits of 2^(k/128), the exponent field wrapped modulo 2^12
	// when |x| >= 512 takes it out of its range.
	sbits := e.bits + ki<<(52-tableBits)
	if top >= topBig {
		return edge(x, sbits, p)
	}
	scale := math.Float64frombits(sbits)
	return scale + float64(scale*p)
}

// edge is Exp from 2^(k/128)'s bits and p, exp(x)/2^(k/128) − 1, for
// 512 <= |x| < 1024, where the scale's exponent may leave its field.
func edge(x float64, sbits uint64, p float64) float64 {
	if x > 0 {
		// Take 2^1009 out of the scale.
		scale := math.Float64frombits(sbits - 1009<<52)
		return 0x1p1009 * (scale + float64(scale*p))
	}
	// Put 2^1022 into it. A subnormal result is rounded twice, to 53
	// bits and then to fewer.
	scale := math.Float64frombits(sbits + 1022<<52)
	return 0x1p-1022 * (scale + float64(scale*p))
}
