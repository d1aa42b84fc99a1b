package sim

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/internal/shape"
	"github.com/slasim/slasim/sim/internal/cacheline"
)

// subBits sets the histogram's resolution: 2^subBits buckets per power of
// two, so a bucket's width is at most 1/128 of its lower bound.
const subBits = 7

// HistogramRelativeError bounds the relative error of a quantile read from a
// Histogram: the midpoint of a bucket is within this share of any value in it.
const HistogramRelativeError = 1.0 / (1 << (subBits + 1))

// Histogram counts non-negative durations (nanoseconds) in log-linear
// buckets: values below 2^(subBits+1) exactly, larger ones in 2^subBits
// buckets per power of two. Adding is a few integer operations; merging adds
// counts, so it is exact and independent of order.
type Histogram struct {
	counts []uint64
	n      uint64
}

func bucket(v time.Duration) int {
	u := uint64(max(v, 0))
	if u < 2<<subBits {
		return int(u)
	}
	shift := bits.Len64(u) - subBits - 1
	return shift<<subBits + int(u>>shift)
}

// bucketBounds returns the smallest value in bucket i and the bucket's width.
func bucketBounds(i int) (lo, width uint64) {
	if i < 2<<subBits {
		return uint64(i), 1
	}
	shift := i>>subBits - 1
	return uint64(i-shift<<subBits) << shift, 1 << shift
}

// maxBucket is the bucket of the largest duration.
var maxBucket = bucket(math.MaxInt64)

// Add counts one value.
func (h *Histogram) Add(v time.Duration) { h.count(bucket(v)) }

// count counts one value in bucket i. Small enough to be inlined where
// the engine adds its clocks' times, twice a ticket, as Add with bucket's
// arithmetic is not.
func (h *Histogram) count(i int) {
	if i >= len(h.counts) {
		h.grow(i)
	}
	h.counts[i]++
	h.n++
}

// addZeros counts n values of 0, as n calls of Add(0) would.
func (h *Histogram) addZeros(n uint64) {
	if n == 0 {
		return
	}
	if len(h.counts) == 0 {
		h.grow(0)
	}
	h.counts[0] += n
	h.n += n
}

// grow makes room for bucket i: twice the room, for the buckets to come,
// up to the last bucket, in cache lines of its own (package cacheline).
// It stays out of line for count to inline.
//
//go:noinline
func (h *Histogram) grow(i int) {
	if i < cap(h.counts) {
		h.counts = h.counts[:i+1]
		return
	}
	c := cacheline.Make[uint64](min(2*i+2, maxBucket+1))[:i+1]
	copy(c, h.counts)
	h.counts = c
}

// Count is the number of values added.
func (h *Histogram) Count() uint64 { return h.n }

// Reset empties the histogram, keeping its storage.
func (h *Histogram) Reset() {
	clear(h.counts)
	h.counts = h.counts[:0]
	h.n = 0
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	if len(o.counts) > len(h.counts) {
		h.grow(len(o.counts) - 1)
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// drain adds o's counts to h and empties o, keeping its storage: Merge
// and Reset in one pass, which skips empty buckets four at a time. A
// replication's histogram of times from seconds to days is mostly empty
// (buckets of nanoseconds), and folding each replication's into the
// summary's is a pass over thousands of buckets.
func (h *Histogram) drain(o *Histogram) {
	if len(o.counts) > len(h.counts) {
		h.grow(len(o.counts) - 1)
	}
	from, into := o.counts, h.counts[:len(o.counts)]
	i := 0
	for ; i+4 <= len(from); i += 4 {
		f := from[i : i+4 : i+4]
		if f[0]|f[1]|f[2]|f[3] == 0 {
			continue
		}
		t := into[i : i+4 : i+4]
		t[0] += f[0]
		t[1] += f[1]
		t[2] += f[2]
		t[3] += f[3]
		clear(f)
	}
	for ; i < len(from); i++ {
		into[i] += from[i]
		from[i] = 0
	}
	h.n += o.n
	o.counts, o.n = from[:0], 0
}

// Quantile returns the q-quantile (0 <= q <= 1) as the midpoint of the
// bucket holding it: within HistogramRelativeError of the exact order
// statistic. It returns 0 for an empty histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	if !(q >= 0) { // NaN too
		q = 0
	}
	q = min(q, 1)
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, w := bucketBounds(i)
			return time.Duration(lo + (w-1)/2)
		}
	}
	panic("unreachable: histogram count out of step")
}

// AtMost returns the share of values <= t, exact when t+1 is a bucket
// boundary and otherwise interpolated linearly inside t's bucket.
func (h *Histogram) AtMost(t time.Duration) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	b := bucket(t)
	var below float64
	for i := 0; i < min(b, len(h.counts)); i++ {
		below += float64(h.counts[i])
	}
	if b < len(h.counts) {
		lo, w := bucketBounds(b)
		below += float64(h.counts[b]) * float64(uint64(t)-lo+1) / float64(w)
	}
	return below / float64(h.n)
}

type histogramJSON struct {
	N uint64 `json:"n"`
	// Buckets lists [index, count] for each non-empty bucket.
	Buckets [][2]uint64 `json:"buckets"`
}

// MarshalJSON writes the non-empty buckets.
func (h *Histogram) MarshalJSON() ([]byte, error) {
	j := histogramJSON{N: h.n, Buckets: [][2]uint64{}}
	for i, c := range h.counts {
		if c != 0 {
			j.Buckets = append(j.Buckets, [2]uint64{uint64(i), c})
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (h *Histogram) UnmarshalJSON(b []byte) error {
	var j histogramJSON
	if err := shape.Strict(b, &j); err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	h.Reset()
	var n uint64
	for _, bc := range j.Buckets {
		if bc[0] > uint64(maxBucket) {
			return fmt.Errorf("histogram bucket %d out of range (at most %d)", bc[0], maxBucket)
		}
		i := int(bc[0])
		if i >= len(h.counts) {
			h.grow(i)
		}
		h.counts[i] += bc[1]
		n += bc[1]
	}
	if n != j.N {
		return fmt.Errorf("histogram counts sum to %d, header says %d", n, j.N)
	}
	h.n = n
	return nil
}

// ExactSum is a fixed-point accumulator wide enough to hold, without
// rounding, the sum of up to 2^63 float64 values or squares of float64
// values: bit 0 of word 0 weighs 2^accLow, the top bit of the last word is
// the sign (two's complement). Adding is a few word operations and never
// allocates, which keeps folding a replication into a Summary cheap.
const (
	accWords = 67
	accLow   = -2176 // below 2^-2148, the smallest square of a float64
	accBits  = accWords * 64
)

// ExactSum adds float64 values without rounding, so that sums are the same
// whatever the order of the additions: merged partial results equal a single
// run's, bit for bit. The zero value is an empty sum. It is a plain value:
// a copy is independent of the original.
type ExactSum struct {
	w [accWords]uint64
	// special accumulates non-finite values (±Inf, NaN) with float
	// arithmetic; it is zero while every value added was finite.
	special float64
}

// decompose returns x as ±m·2^e with m < 2^53.
func decompose(x float64) (m uint64, e int, neg bool) {
	b := math.Float64bits(x)
	be := int(b>>52) & 0x7ff
	m = b & (1<<52 - 1)
	if be == 0 {
		e = -1074
	} else {
		m |= 1 << 52
		e = be - 1075
	}
	return m, e, b>>63 != 0
}

// add adds ±(hi·2^64 + lo)·2^e, which must lie within the accumulator.
func (s *ExactSum) add(hi, lo uint64, e int, neg bool) {
	p := e - accLow
	i, sh := p>>6, uint(p&63)
	// Go defines shifts by 64 as 0, which is what sh == 0 needs.
	w0, w1, w2 := lo<<sh, lo>>(64-sh)|hi<<sh, hi>>(64-sh)
	var c uint64
	if !neg {
		s.w[i], c = bits.Add64(s.w[i], w0, 0)
		s.w[i+1], c = bits.Add64(s.w[i+1], w1, c)
		s.w[i+2], c = bits.Add64(s.w[i+2], w2, c)
		for j := i + 3; c != 0 && j < accWords; j++ {
			s.w[j], c = bits.Add64(s.w[j], 0, c)
		}
		return
	}
	s.w[i], c = bits.Sub64(s.w[i], w0, 0)
	s.w[i+1], c = bits.Sub64(s.w[i+1], w1, c)
	s.w[i+2], c = bits.Sub64(s.w[i+2], w2, c)
	for j := i + 3; c != 0 && j < accWords; j++ {
		s.w[j], c = bits.Sub64(s.w[j], 0, c)
	}
}

// Add adds x exactly.
func (s *ExactSum) Add(x float64) {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		s.special += x
		return
	}
	if m, e, neg := decompose(x); m != 0 {
		s.add(0, m, e, neg)
	}
}

// AddSquare adds x² exactly.
func (s *ExactSum) AddSquare(x float64) {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		s.special += x * x
		return
	}
	if m, e, _ := decompose(x); m != 0 {
		hi, lo := bits.Mul64(m, m)
		s.add(hi, lo, 2*e, false)
	}
}

// AddCube adds x³ exactly for 2^-600 <= |x| <= 2^600. Tinier cubes, below
// 2^-1800, are left out (no float64 moment could show them); larger or
// non-finite values make the sum NaN.
func (s *ExactSum) AddCube(x float64) {
	a := math.Abs(x)
	switch {
	case a < 0x1p-600:
		return
	case !(a <= 0x1p600):
		s.special = math.NaN()
		return
	}
	// m³ has up to 159 bits: m²·m in three words, added in two parts.
	m, e, neg := decompose(x)
	hi, lo := bits.Mul64(m, m)
	a1, a0 := bits.Mul64(lo, m)
	b1, b0 := bits.Mul64(hi, m)
	w1, c := bits.Add64(a1, b0, 0)
	s.add(w1, a0, 3*e, neg)
	if w2 := b1 + c; w2 != 0 {
		s.add(0, w2, 3*e+128, neg)
	}
}

// Merge adds o exactly.
func (s *ExactSum) Merge(o ExactSum) {
	var c uint64
	for i := range s.w {
		s.w[i], c = bits.Add64(s.w[i], o.w[i], c)
	}
	s.special += o.special
}

// big returns the exact sum; nil if a non-finite value was added.
func (s *ExactSum) big() *big.Float {
	if s.special != 0 || math.IsNaN(s.special) { // NaN != 0, but say it
		return nil
	}
	w := s.w
	neg := w[accWords-1]>>63 != 0
	if neg {
		var c uint64 = 1
		for i := range w {
			w[i], c = bits.Add64(^w[i], 0, c)
		}
	}
	var buf [accWords * 8]byte
	for i, x := range w {
		binary.BigEndian.PutUint64(buf[(accWords-1-i)*8:], x)
	}
	f := new(big.Float).SetPrec(accBits).SetInt(new(big.Int).SetBytes(buf[:]))
	f.SetMantExp(f, accLow)
	if neg {
		f.Neg(f)
	}
	return f
}

// Float64 is the sum rounded to the nearest float64.
func (s ExactSum) Float64() float64 {
	if s.special != 0 || math.IsNaN(s.special) {
		return s.special
	}
	f, _ := s.big().Float64()
	return f
}

// MarshalText writes the exact binary value (big.Float's 'p' format).
func (s ExactSum) MarshalText() ([]byte, error) {
	f := s.big()
	if f == nil {
		// As big.Float writes them; UnmarshalText refuses them.
		return []byte(strconv.FormatFloat(s.special, 'g', -1, 64)), nil
	}
	return []byte(f.Text('p', 0)), nil
}

// UnmarshalText reads what MarshalText wrote.
func (s *ExactSum) UnmarshalText(b []byte) error {
	f, _, err := big.ParseFloat(string(b), 0, 2*accBits, big.ToNearestEven)
	if err != nil {
		return fmt.Errorf("exact sum: %w", err)
	}
	if f.IsInf() {
		return errors.New("exact sum: infinite")
	}
	// Refuse values beyond the accumulator before materialising them.
	if f.Sign() != 0 && f.MantExp(nil) > accBits+accLow {
		return fmt.Errorf("exact sum: %.20s out of range", b)
	}
	neg := f.Signbit()
	f.Abs(f)
	f.SetMantExp(f, -accLow)
	n, acc := f.Int(nil)
	if acc != big.Exact || n.BitLen() >= accBits {
		return fmt.Errorf("exact sum: %s out of range", b)
	}
	*s = ExactSum{}
	var buf [accWords * 8]byte
	n.FillBytes(buf[:])
	for i := range s.w {
		s.w[i] = binary.BigEndian.Uint64(buf[(accWords-1-i)*8:])
	}
	if neg {
		var c uint64 = 1
		for i := range s.w {
			s.w[i], c = bits.Add64(^s.w[i], 0, c)
		}
	}
	return nil
}

// Wilson is the Wilson score interval of a share of hits among trials at
// the given level (such as 0.95), treating trials as independent; NaN
// without trials. It stays inside [0, 1] and is not empty when every
// trial, or none, succeeded.
func Wilson(hits, trials int64, level float64) (lo, hi float64) {
	if trials == 0 {
		return math.NaN(), math.NaN()
	}
	z := distuv.UnitNormal.Quantile(0.5 + level/2)
	n, s := float64(trials), float64(hits)/float64(trials)
	z2n := z * z / n
	centre := (s + z2n/2) / (1 + z2n)
	half := z / (1 + z2n) * math.Sqrt(s*(1-s)/n+z2n/(4*n))
	lo, hi = max(centre-half, 0), min(centre+half, 1)
	// Exact ends where rounding would leave a trace.
	if hits == 0 {
		lo = 0
	}
	if hits == trials {
		hi = 1
	}
	return lo, hi
}

// ShareCI is the interval of a share of tickets (an attainment, the
// share abandoned or blocked), the mean over replications of their
// shares (t, of the replications with tickets), hits of tickets pooled
// (in time, abandoned, blocked): the replications' interval (Tally.CI),
// widened where need be to the pooled tickets' (Wilson), and kept within
// [0, 1], as every report shows it and --precision judges it; NaN with
// fewer than two replications with tickets. A handful of tickets a
// replication, nearly all in time, leave every replication's share at 1
// in many runs, and their spread none: the tickets bound what can be
// claimed (3 in time put the misses below 56%, not 0%).
func ShareCI(t *Tally, hits, tickets int64, level float64) (lo, hi float64) {
	lo, hi = t.CI(level)
	if math.IsNaN(lo) {
		return lo, hi
	}
	wlo, whi := Wilson(hits, tickets, level)
	return max(min(lo, wlo), 0), min(max(hi, whi), 1)
}

// Tally collects one value per replication and gives their mean with a
// confidence interval: Student's t, corrected for the skewness of the
// values (see CI). Sums are exact, so tallies merge in any order to the
// same result.
type Tally struct {
	N          int64    `json:"n"`
	Sum        ExactSum `json:"sum"`
	SumSquares ExactSum `json:"sum_squares"`
	SumCubes   ExactSum `json:"sum_cubes"`
	Min        float64  `json:"min"`
	Max        float64  `json:"max"`
}

// Add records one replication's value.
func (t *Tally) Add(x float64) {
	if t.N == 0 || x < t.Min {
		t.Min = x
	}
	if t.N == 0 || x > t.Max {
		t.Max = x
	}
	t.N++
	t.Sum.Add(x)
	t.SumSquares.AddSquare(x)
	t.SumCubes.AddCube(x)
}

// Merge adds o's values.
func (t *Tally) Merge(o *Tally) {
	if o.N == 0 {
		return
	}
	if t.N == 0 || o.Min < t.Min {
		t.Min = o.Min
	}
	if t.N == 0 || o.Max > t.Max {
		t.Max = o.Max
	}
	t.N += o.N
	t.Sum.Merge(o.Sum)
	t.SumSquares.Merge(o.SumSquares)
	t.SumCubes.Merge(o.SumCubes)
}

// Mean is the average value (NaN when empty).
func (t *Tally) Mean() float64 {
	if t.N == 0 {
		return math.NaN()
	}
	return t.Sum.Float64() / float64(t.N)
}

// Variance is the sample variance (NaN with fewer than two values),
// computed from the exact sums so that it suffers no cancellation.
func (t *Tally) Variance() float64 {
	if t.N < 2 {
		return math.NaN()
	}
	sum, squares := t.Sum.big(), t.SumSquares.big()
	if sum == nil || squares == nil {
		return math.NaN()
	}
	const prec = 2*accBits + 128
	n := new(big.Float).SetPrec(prec).SetInt64(t.N)
	// (n·Σx² − (Σx)²) / (n(n−1)), each step exact but the division.
	sq := new(big.Float).SetPrec(prec).Mul(sum, sum)
	num := new(big.Float).SetPrec(prec).Mul(n, squares)
	num.Sub(num, sq)
	den := new(big.Float).SetPrec(prec).SetInt64(t.N * (t.N - 1))
	v, _ := num.Quo(num, den).Float64()
	return max(v, 0)
}

// Skewness is the sample skewness of the values, m3/m2^(3/2) with m2 and
// m3 the second and third moments about the mean (divided by N), computed
// from the exact sums. It is NaN with fewer than three values, values all
// equal, or values beyond AddCube's range.
func (t *Tally) Skewness() float64 {
	if t.N < 3 {
		return math.NaN()
	}
	s1, s2, s3 := t.Sum.big(), t.SumSquares.big(), t.SumCubes.big()
	if s1 == nil || s2 == nil || s3 == nil {
		return math.NaN()
	}
	const prec = 3*accBits + 256
	f := func() *big.Float { return new(big.Float).SetPrec(prec) }
	n := f().SetInt64(t.N)
	// n²·m2 = n·Σx² − (Σx)², n³·m3 = n²·Σx³ − 3n·Σx·Σx² + 2(Σx)³: exact.
	m2 := f().Mul(n, s2)
	m2.Sub(m2, f().Mul(s1, s1))
	m3 := f().Mul(f().Mul(n, n), s3)
	m3.Sub(m3, f().Mul(f().Mul(f().SetInt64(3), n), f().Mul(s1, s2)))
	m3.Add(m3, f().Mul(f().SetInt64(2), f().Mul(s1, f().Mul(s1, s1))))
	if m2.Sign() <= 0 {
		return math.NaN()
	}
	// m3/m2^(3/2) = (n³·m3) / (n²·m2)^(3/2): the powers of n cancel.
	num, _ := m3.Float64()
	den, _ := m2.Float64()
	return num / math.Pow(den, 1.5)
}

// CI is the two-sided confidence interval for the mean at the given level
// (e.g. 0.95): Student's t with N−1 degrees of freedom, corrected for the
// skewness of the values by Hall's transformation (P. Hall, "On the
// removal of skewness by transformation", JRSS B 54, 1992). Replication
// means of waits are right-skewed (a week with a long queue weighs far
// above the mean); the plain t interval then misses on the high side more
// often than it should: covering the exact Erlang C mean wait 89–91% of
// the time instead of 95% with 20 one-week replications at light load,
// where the corrected interval covers 93.8% (TestCoverageErlangC). With
// T = (mean − μ)/(s/√N), γ the sample skewness and a = γ/(3√N), Hall's
// g(T) = T + aT² + a²T³/3 + a/2 is monotone and close to Student's t; the
// interval is mean − g⁻¹(±q)·s/√N with g⁻¹(x) = ((1 + 3a(x − a/2))^(1/3)
// − 1)/a. For symmetric values it is the t interval. Both ends are NaN
// with fewer than two values.
func (t *Tally) CI(level float64) (lo, hi float64) {
	if t.N < 2 {
		return math.NaN(), math.NaN()
	}
	n := float64(t.N)
	return hallCI(t.Mean(), math.Sqrt(t.Variance()/n), t.Skewness(), n, level)
}

// hallCI is the interval of Tally.CI for an estimate m with standard
// error se, made of n values of skewness skew.
func hallCI(m, se, skew, n, level float64) (lo, hi float64) {
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.5 + level/2)
	a := skew / (3 * math.Sqrt(n))
	if se == 0 || !(math.Abs(a) < math.Inf(1)) {
		return m - q*se, m + q*se
	}
	inverse := func(x float64) float64 {
		if a == 0 {
			return x
		}
		return (math.Cbrt(1+3*a*(x-a/2)) - 1) / a
	}
	return m - inverse(q)*se, m - inverse(-q)*se
}

// HalfWidth is half the width of the confidence interval CI (which need
// not be symmetric about the mean); NaN with fewer than two values.
func (t *Tally) HalfWidth(level float64) float64 {
	lo, hi := t.CI(level)
	return (hi - lo) / 2
}
