package sim

import (
	"math"
	"math/big"
)

// Ratio collects a pair (x, y) per replication, such as the tickets within
// the target and the tickets, and gives the ratio of their sums, Σx/Σy:
// the pooled share of all tickets, the figure steady-state theory gives,
// where a Tally of x/y gives the mean of the replications' shares (see
// docs/reports.md, "What attainment is"). Sums are exact, so ratios merge
// in any order to the same result; the mixed products (x·y, x²·y, x·y²)
// are rounded per replication, exact for counts below 2^17.
type Ratio struct {
	N   int64    `json:"n"`
	X   ExactSum `json:"x"`
	Y   ExactSum `json:"y"`
	XX  ExactSum `json:"xx"`
	XY  ExactSum `json:"xy"`
	YY  ExactSum `json:"yy"`
	XXX ExactSum `json:"xxx"`
	XXY ExactSum `json:"xxy"`
	XYY ExactSum `json:"xyy"`
	YYY ExactSum `json:"yyy"`
}

// Add records one replication's pair; a replication with y = 0 counts
// too, as one of the n draws of the pair.
func (r *Ratio) Add(x, y float64) {
	r.N++
	r.X.Add(x)
	r.Y.Add(y)
	r.XX.AddSquare(x)
	r.XY.Add(x * y)
	r.YY.AddSquare(y)
	r.XXX.AddCube(x)
	r.XXY.Add(x * x * y)
	r.XYY.Add(x * y * y)
	r.YYY.AddCube(y)
}

// Merge adds o's pairs.
func (r *Ratio) Merge(o *Ratio) {
	r.N += o.N
	for _, s := range []struct{ into, from *ExactSum }{
		{&r.X, &o.X}, {&r.Y, &o.Y}, {&r.XX, &o.XX}, {&r.XY, &o.XY}, {&r.YY, &o.YY},
		{&r.XXX, &o.XXX}, {&r.XXY, &o.XXY}, {&r.XYY, &o.XYY}, {&r.YYY, &o.YYY},
	} {
		s.into.Merge(*s.from)
	}
}

// Value is Σx/Σy; NaN when Σy = 0.
func (r *Ratio) Value() float64 {
	y := r.Y.Float64()
	if y == 0 {
		return math.NaN()
	}
	return r.X.Float64() / y
}

// CI is the two-sided confidence interval of Σx/Σy at the given level
// (e.g. 0.95) by the delta method over replications, the standard one for
// a ratio of means (W. G. Cochran, Sampling Techniques, 3rd ed., 1977,
// §6.4): with R = Σx/Σy and the residuals d = x − R·y, the standard error
// is √(n·Σd²/(n−1))/Σy, and the interval R ± t·se with Student's t of n−1
// degrees of freedom, corrected for the skewness of the residuals as
// Tally.CI is for the values: a mean wait's residuals are as skewed as
// its replications' means, and the uncorrected interval of the pooled
// mean wait covered Erlang C's 91.0% and 87.9% of the time at loads 0.5
// and 0.95 (TestCoverageErlangC). Both ends are NaN with fewer than two
// replications or Σy = 0.
func (r *Ratio) CI(level float64) (lo, hi float64) {
	v := r.Value()
	if r.N < 2 || math.IsNaN(v) {
		return math.NaN(), math.NaN()
	}
	var s [9]*big.Float
	for i, e := range []*ExactSum{&r.X, &r.Y, &r.XX, &r.XY, &r.YY, &r.XXX, &r.XXY, &r.XYY, &r.YYY} {
		if s[i] = e.big(); s[i] == nil {
			return math.NaN(), math.NaN()
		}
	}
	x, y, xx, xy, yy, xxx, xxy, xyy, yyy := s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]
	const prec = 4*accBits + 256
	f := func() *big.Float { return new(big.Float).SetPrec(prec) }
	mul := func(a ...*big.Float) *big.Float {
		p := f().SetInt64(1)
		for _, b := range a {
			p.Mul(p, b)
		}
		return p
	}
	three := f().SetInt64(3)
	// With R = Σx/Σy, Σy²·Σd² and Σy³·Σd³ are polynomials in the sums,
	// exact: no cancellation between the nearly equal terms of a share
	// close to 0 or 1.
	d2 := mul(y, y, xx)
	d2.Sub(d2, mul(f().SetInt64(2), x, y, xy))
	d2.Add(d2, mul(x, x, yy))
	d3 := mul(y, y, y, xxx)
	d3.Sub(d3, mul(three, x, y, y, xxy))
	d3.Add(d3, mul(three, x, x, y, xyy))
	d3.Sub(d3, mul(x, x, x, yyy))
	y2d2, _ := d2.Float64()
	y3d3, _ := d3.Float64()
	yf, _ := y.Float64()
	n := float64(r.N)
	y2d2 = max(y2d2, 0)
	// se = √(n·Σd²/(n−1))/Σy; the residuals' skewness, about their mean
	// of 0, is (Σd³/n)/(Σd²/n)^(3/2), in which the powers of Σy cancel.
	se := math.Sqrt(y2d2*n/(n-1)) / (yf * yf)
	skew := math.NaN()
	if r.N >= 3 && y2d2 > 0 {
		skew = math.Sqrt(n) * y3d3 / math.Pow(y2d2, 1.5)
	}
	return hallCI(v, se, skew, n, level)
}

// PooledShareCI is the interval of a pooled share of tickets r (x the
// tickets in time, abandoned or blocked, y the tickets, per replication):
// Ratio.CI, widened where need be to the pooled tickets' Wilson interval,
// and kept within [0, 1], as ShareCI does for the mean of shares (every
// ticket in time in every replication leaves the residuals no spread).
func PooledShareCI(r *Ratio, level float64) (lo, hi float64) {
	lo, hi = r.CI(level)
	if math.IsNaN(lo) {
		return lo, hi
	}
	wlo, whi := Wilson(int64(r.X.Float64()), int64(r.Y.Float64()), level)
	return max(min(lo, wlo), 0), min(max(hi, whi), 1)
}
