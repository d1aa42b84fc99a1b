package contract

import "testing"

// TestCentsBins checks that the bins hold every amount, in order, exact
// while the distribution is and within the error bound once it is not.
func TestCentsBins(t *testing.T) {
	var c Cents
	if len(c.Bins()) != 0 {
		t.Error("an empty distribution has bins")
	}
	amounts := []int64{0, 0, 5, 1_500_000, 5}
	for _, v := range amounts {
		c.add(v)
	}
	bins := c.Bins()
	want := []CentsBin{{0, 0, 2}, {5, 5, 2}, {1_500_000, 1_500_000, 1}}
	if len(bins) != len(want) {
		t.Fatalf("exact bins %v, want %v", bins, want)
	}
	for i := range want {
		if bins[i] != want[i] {
			t.Errorf("exact bin %d = %v, want %v", i, bins[i], want[i])
		}
	}

	// Over maxExact distinct amounts: buckets, each holding the amounts
	// that went into it, narrow, in order, counts adding up.
	c = Cents{}
	var vs []int64
	for i := range int64(3 * maxExact) {
		v := i * i * 7 // 0 to about 10^9 cents, spread over many powers of two
		vs = append(vs, v)
		c.add(v)
	}
	if c.Exact() {
		t.Fatal("still exact")
	}
	bins = c.Bins()
	var n int64
	for i, b := range bins {
		n += b.Count
		if b.Lo > b.Hi || i > 0 && b.Lo <= bins[i-1].Hi {
			t.Errorf("bin %d %v out of order or empty (previous %v)", i, b, bins[max(i-1, 0)])
		}
		if mid := centsMid(centsBucket(b.Lo)); mid < b.Lo || mid > b.Hi || centsBucket(b.Hi) != centsBucket(b.Lo) {
			t.Errorf("bin %v is not one bucket (midpoint %d)", b, mid)
		}
		if w := float64(b.Hi - b.Lo + 1); w > 1 && w/float64(b.Lo) > 2*CentsRelativeError {
			t.Errorf("bin %v is %.3g%% wide", b, 100*w/float64(b.Lo))
		}
	}
	if n != c.Count() {
		t.Errorf("bins count %d amounts, the distribution %d", n, c.Count())
	}
	for _, v := range vs {
		lo, hi := centsRange(centsBucket(v))
		if v < lo || v > hi {
			t.Fatalf("amount %d falls outside its bucket's range [%d, %d]", v, lo, hi)
		}
	}
}
