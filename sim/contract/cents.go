package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"

	"github.com/slasim/slasim/internal/shape"
)

// maxExact is the number of distinct amounts a Cents holds exactly; beyond
// it, amounts go into log-linear buckets, so that memory stays bounded
// however many replications a run has.
const maxExact = 4096

// centsSubBits sets the buckets' resolution: 2^centsSubBits buckets per
// power of two, so a bucket's midpoint is within 2^-(centsSubBits+1) of
// any amount in it.
const centsSubBits = 10

// CentsRelativeError bounds the relative error of a quantile once a Cents
// has gone over to buckets.
const CentsRelativeError = 1.0 / (1 << (centsSubBits + 1))

// Cents is the distribution of an amount of money in cents (hundredths of
// the currency unit), one amount per period. It counts each distinct
// amount exactly while there are at most maxExact of them (every period of
// a few hundred replications of a year), and in log-linear buckets beyond,
// within CentsRelativeError. Either way merging adds counts, and which of
// the two a merged Cents uses depends only on the amounts it holds, so the
// result is independent of the order of merging.
type Cents struct {
	exact   map[int64]int64 // amount → count, while exact
	buckets map[int32]int64 // bucket → count, once not
	n       int64
}

func centsBucket(v int64) int32 {
	u := uint64(max(v, 0))
	if u < 2<<centsSubBits {
		return int32(u)
	}
	shift := bits.Len64(u) - centsSubBits - 1
	return int32(shift<<centsSubBits + int(u>>shift))
}

// centsMid is the midpoint of bucket i.
func centsMid(i int32) int64 {
	if i < 2<<centsSubBits {
		return int64(i)
	}
	shift := int(i)>>centsSubBits - 1
	lo := (int64(i) - int64(shift)<<centsSubBits) << shift
	return lo + (int64(1)<<shift-1)/2
}

func (c *Cents) add(cents int64) {
	c.n++
	if c.buckets != nil {
		c.buckets[centsBucket(cents)]++
		return
	}
	if c.exact == nil {
		c.exact = make(map[int64]int64)
	}
	c.exact[cents]++
	if len(c.exact) > maxExact {
		c.toBuckets()
	}
}

// toBuckets moves the exact counts into buckets.
func (c *Cents) toBuckets() {
	c.buckets = make(map[int32]int64)
	for v, k := range c.exact {
		c.buckets[centsBucket(v)] += k
	}
	c.exact = nil
}

func (c *Cents) merge(o *Cents) {
	c.n += o.n
	if c.buckets == nil && o.buckets == nil {
		if c.exact == nil && len(o.exact) > 0 {
			c.exact = make(map[int64]int64)
		}
		for v, k := range o.exact {
			c.exact[v] += k
		}
		if len(c.exact) > maxExact {
			c.toBuckets()
		}
		return
	}
	if c.buckets == nil {
		c.toBuckets()
	}
	for v, k := range o.exact {
		c.buckets[centsBucket(v)] += k
	}
	for b, k := range o.buckets {
		c.buckets[b] += k
	}
}

// Count is the number of amounts added.
func (c *Cents) Count() int64 { return c.n }

// Exact reports whether the distribution is still exact.
func (c *Cents) Exact() bool { return c.buckets == nil }

// Quantile returns the q-quantile (0 <= q <= 1) in cents: the ⌈q·n⌉-th
// smallest amount (the smallest for q = 0), exactly or as the midpoint of
// its bucket. It returns 0 when empty.
func (c *Cents) Quantile(q float64) int64 {
	if c.n == 0 {
		return 0
	}
	rank := min(max(int64(math.Ceil(q*float64(c.n))), 1), c.n)
	if c.buckets != nil {
		return centsMid(nth(c.buckets, rank))
	}
	return nth(c.exact, rank)
}

// nth returns the key holding the rank-th smallest of the counted values.
func nth[K int32 | int64](counts map[K]int64, rank int64) K {
	keys := slices.Sorted(maps.Keys(counts))
	var seen int64
	for _, k := range keys {
		if seen += counts[k]; seen >= rank {
			return k
		}
	}
	return keys[len(keys)-1]
}

type centsJSON struct {
	// Exact lists [amount, count] pairs, Buckets [bucket, count] pairs,
	// in increasing order; one of them is empty.
	Exact   [][2]int64 `json:"exact"`
	Buckets [][2]int64 `json:"buckets"`
}

func pairs[K int32 | int64](counts map[K]int64) [][2]int64 {
	ps := [][2]int64{}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		ps = append(ps, [2]int64{int64(k), counts[k]})
	}
	return ps
}

// MarshalJSON writes the counts in increasing order.
func (c *Cents) MarshalJSON() ([]byte, error) {
	return json.Marshal(centsJSON{Exact: pairs(c.exact), Buckets: pairs(c.buckets)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (c *Cents) UnmarshalJSON(b []byte) error {
	var j centsJSON
	if err := shape.Strict(b, &j); err != nil {
		return fmt.Errorf("cents: %w", err)
	}
	if len(j.Exact) > 0 && len(j.Buckets) > 0 {
		return errors.New("cents: both exact amounts and buckets")
	}
	*c = Cents{}
	for _, p := range j.Exact {
		if p[1] < 0 {
			return fmt.Errorf("cents: negative count %d of %d", p[1], p[0])
		}
		if c.exact == nil {
			c.exact = make(map[int64]int64)
		}
		c.exact[p[0]] += p[1]
		c.n += p[1]
	}
	if len(j.Buckets) > 0 {
		c.buckets = make(map[int32]int64)
	}
	for _, p := range j.Buckets {
		if p[1] < 0 || p[0] < 0 || p[0] > math.MaxInt32 {
			return fmt.Errorf("cents: bucket %d with count %d out of range", p[0], p[1])
		}
		c.buckets[int32(p[0])] += p[1]
		c.n += p[1]
	}
	if len(c.exact) > maxExact {
		c.toBuckets()
	}
	return nil
}
