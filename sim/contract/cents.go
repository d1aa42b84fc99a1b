package contract

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
)

// Cents is the exact distribution of an amount of money in cents
// (hundredths of the currency unit): how many periods came to each
// distinct amount. Merging adds counts, so it is exact and independent of
// order, and its quantiles are exact order statistics. It holds one entry
// per distinct amount, at most one per period of each replication.
type Cents struct {
	counts map[int64]int64
	n      int64
}

func (c *Cents) add(cents int64) {
	if c.counts == nil {
		c.counts = make(map[int64]int64)
	}
	c.counts[cents]++
	c.n++
}

func (c *Cents) merge(o *Cents) {
	for v, k := range o.counts {
		if c.counts == nil {
			c.counts = make(map[int64]int64)
		}
		c.counts[v] += k
	}
	c.n += o.n
}

// Count is the number of amounts added.
func (c *Cents) Count() int64 { return c.n }

// Quantile returns the q-quantile (0 <= q <= 1) in cents: the ⌈q·n⌉-th
// smallest amount (the smallest for q = 0). It returns 0 when empty.
func (c *Cents) Quantile(q float64) int64 {
	if c.n == 0 {
		return 0
	}
	rank := min(max(int64(math.Ceil(q*float64(c.n))), 1), c.n)
	keys := slices.Sorted(maps.Keys(c.counts))
	var seen int64
	for _, v := range keys {
		seen += c.counts[v]
		if seen >= rank {
			return v
		}
	}
	return keys[len(keys)-1]
}

// MarshalJSON writes [cents, count] pairs in increasing order of cents.
func (c *Cents) MarshalJSON() ([]byte, error) {
	pairs := [][2]int64{}
	for _, v := range slices.Sorted(maps.Keys(c.counts)) {
		pairs = append(pairs, [2]int64{v, c.counts[v]})
	}
	return json.Marshal(pairs)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (c *Cents) UnmarshalJSON(b []byte) error {
	var pairs [][2]int64
	if err := json.Unmarshal(b, &pairs); err != nil {
		return err
	}
	*c = Cents{}
	for _, p := range pairs {
		if p[1] < 0 {
			return fmt.Errorf("cents: negative count %d of %d", p[1], p[0])
		}
		if c.counts == nil {
			c.counts = make(map[int64]int64)
		}
		c.counts[p[0]] += p[1]
		c.n += p[1]
	}
	return nil
}
