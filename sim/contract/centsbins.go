package contract

import (
	"maps"
	"slices"
)

// A CentsBin is a range of amounts in cents, [Lo, Hi], and how many
// amounts fell in it.
type CentsBin struct {
	Lo, Hi, Count int64
}

// centsRange is the range of amounts bucket i holds: the inverse of
// centsBucket.
func centsRange(i int32) (lo, hi int64) {
	if i < 2<<centsSubBits {
		return int64(i), int64(i)
	}
	shift := int(i)>>centsSubBits - 1
	lo = (int64(i) - int64(shift)<<centsSubBits) << shift
	return lo, lo + int64(1)<<shift - 1
}

// Bins returns the distribution in increasing order of amount, for
// drawing it: while it is exact, each distinct amount (Lo == Hi) with its
// count; once it has gone over to buckets, each non-empty bucket with the
// range of amounts it holds (within CentsRelativeError of its midpoint).
// The counts add up to Count.
func (c *Cents) Bins() []CentsBin {
	var bins []CentsBin
	if c.buckets != nil {
		for _, b := range slices.Sorted(maps.Keys(c.buckets)) {
			lo, hi := centsRange(b)
			bins = append(bins, CentsBin{Lo: lo, Hi: hi, Count: c.buckets[b]})
		}
		return bins
	}
	for _, v := range slices.Sorted(maps.Keys(c.exact)) {
		bins = append(bins, CentsBin{Lo: v, Hi: v, Count: c.exact[v]})
	}
	return bins
}
