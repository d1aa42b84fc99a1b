// Package fastexp computes the exponential function for the engine's
// lognormal draws, faster than math.Exp and within one unit in the last
// place of the exact value.
//
// The method is the table-driven one of musl and ARM's optimized-routines
// (Szabolcs Nagy's exp): x = k·ln2/128 + r with k an integer and
// |r| ≤ ln2/256, so that
//
//	exp(x) = 2^(k/128) · exp(r) = 2^⌊k/128⌋ · 2^((k mod 128)/128) · exp(r).
//
// The power of two goes into the result's exponent, 2^(i/128) comes from a
// table of 128 entries (each a double and the relative error of its
// rounding, so that the table adds no error of its own), and exp(r) − 1 is
// a polynomial of degree 5: Taylor's, whose remainder r^6/720 is below
// 2^-60 on the interval, well under the result's rounding. The chain of
// dependent operations is about a dozen long, against math.Exp's 35
// (amd64), which the engine's draws wait on.
//
// The error is at most 0.51 ulp for normal results (0.76 ulp for
// subnormal ones, rounded twice); TestAccuracy checks it against math/big.
// Arguments beyond the range give 0 and +Inf as math.Exp does, NaN gives
// NaN. Products are converted explicitly before they are added, so that no
// architecture fuses them: the results are the same on every machine
// (TestSameEverywhere, run on amd64 and arm64).
package fastexp
