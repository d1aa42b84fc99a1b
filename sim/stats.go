package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
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

// Add counts one value.
func (h *Histogram) Add(v time.Duration) {
	i := bucket(v)
	if i >= len(h.counts) {
		h.grow(i)
	}
	h.counts[i]++
	h.n++
}

func (h *Histogram) grow(i int) {
	if i < cap(h.counts) {
		h.counts = h.counts[:i+1]
		return
	}
	c := make([]uint64, i+1, 2*i+2)
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

// Quantile returns the q-quantile (0 <= q <= 1) as the midpoint of the
// bucket holding it: within HistogramRelativeError of the exact order
// statistic. It returns 0 for an empty histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
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
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	h.Reset()
	var n uint64
	for _, bc := range j.Buckets {
		if bc[0] > 1<<16 {
			return fmt.Errorf("histogram bucket %d out of range", bc[0])
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

// exactPrec is enough bits for the exact sum of 2^64 float64 values of any
// exponent (2098 bits span the float64 range).
const exactPrec = 2240

// ExactSum adds float64 values without rounding, so that sums are the same
// whatever the order of the additions: merged partial results equal a single
// run's, bit for bit. The zero value is an empty sum.
type ExactSum struct{ f *big.Float }

func (s *ExactSum) init() {
	if s.f == nil {
		s.f = new(big.Float).SetPrec(exactPrec)
	}
}

// Add adds x exactly.
func (s *ExactSum) Add(x float64) {
	s.init()
	var v big.Float
	s.f.Add(s.f, v.SetFloat64(x))
}

// AddSquare adds x² exactly.
func (s *ExactSum) AddSquare(x float64) {
	s.init()
	var v big.Float
	v.SetPrec(106).SetFloat64(x)
	s.f.Add(s.f, v.Mul(&v, &v))
}

// Merge adds o exactly.
func (s *ExactSum) Merge(o ExactSum) {
	if o.f == nil {
		return
	}
	s.init()
	s.f.Add(s.f, o.f)
}

// Float64 is the sum rounded to the nearest float64.
func (s ExactSum) Float64() float64 {
	if s.f == nil {
		return 0
	}
	f, _ := s.f.Float64()
	return f
}

// MarshalText writes the exact binary value.
func (s ExactSum) MarshalText() ([]byte, error) {
	if s.f == nil {
		return []byte("0"), nil
	}
	return []byte(s.f.Text('p', 0)), nil
}

// UnmarshalText reads what MarshalText wrote.
func (s *ExactSum) UnmarshalText(b []byte) error {
	f, _, err := big.ParseFloat(string(b), 0, exactPrec, big.ToNearestEven)
	if err != nil {
		return fmt.Errorf("exact sum: %w", err)
	}
	if f.IsInf() {
		return errors.New("exact sum: infinite")
	}
	s.f = f
	return nil
}

// Tally collects one value per replication and gives their mean with a
// Student t confidence interval. Sums are exact, so tallies merge in any
// order to the same result.
type Tally struct {
	N          int64    `json:"n"`
	Sum        ExactSum `json:"sum"`
	SumSquares ExactSum `json:"sum_squares"`
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
	if t.N < 2 || t.Sum.f == nil {
		return math.NaN()
	}
	n := new(big.Float).SetPrec(exactPrec).SetInt64(t.N)
	// (n·Σx² − (Σx)²) / (n(n−1)), each step exact but the division.
	sq := new(big.Float).SetPrec(2*exactPrec).Mul(t.Sum.f, t.Sum.f)
	num := new(big.Float).SetPrec(2*exactPrec).Mul(n, t.SumSquares.f)
	num.Sub(num, sq)
	den := new(big.Float).SetPrec(2 * exactPrec).SetInt64(t.N * (t.N - 1))
	v, _ := num.Quo(num, den).Float64()
	return max(v, 0)
}

// HalfWidth is the half-width of the two-sided confidence interval for the
// mean at the given level (e.g. 0.95), from Student's t with N−1 degrees of
// freedom. It is NaN with fewer than two values.
func (t *Tally) HalfWidth(level float64) float64 {
	if t.N < 2 {
		return math.NaN()
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(t.N - 1)}.Quantile(0.5 + level/2)
	return q * math.Sqrt(t.Variance()/float64(t.N))
}

// CI is the two-sided confidence interval for the mean at the given level.
func (t *Tally) CI(level float64) (lo, hi float64) {
	m, h := t.Mean(), t.HalfWidth(level)
	return m - h, m + h
}
