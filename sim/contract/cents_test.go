package contract

import (
	"encoding/json"
	"math"
	"testing"
)

func TestCents(t *testing.T) {
	var a, b Cents
	if a.Quantile(0.5) != 0 || a.Count() != 0 {
		t.Error("an empty distribution has a quantile")
	}
	// 1..100 split over two distributions, with 6000000 (60,000.00) ten
	// times more: quantiles are order statistics, exactly.
	for i := int64(1); i <= 100; i++ {
		if i%2 == 0 {
			a.add(i)
		} else {
			b.add(i)
		}
	}
	for range 10 {
		b.add(6_000_000)
	}
	var ab, ba Cents
	ab.merge(&a)
	ab.merge(&b)
	ba.merge(&b)
	ba.merge(&a)
	for _, tt := range []struct {
		q    float64
		want int64
	}{{0, 1}, {0.01, 2}, {0.5, 55}, {100.0 / 110, 100}, {0.95, 6_000_000}, {1, 6_000_000}} {
		if got := ab.Quantile(tt.q); got != tt.want {
			t.Errorf("quantile %v = %d, want %d", tt.q, got, tt.want)
		}
	}
	ja, _ := json.Marshal(&ab)
	jb, _ := json.Marshal(&ba)
	if string(ja) != string(jb) || ab.Count() != 110 {
		t.Errorf("merge order shows: %s against %s", ja, jb)
	}
	var back Cents
	if err := json.Unmarshal(ja, &back); err != nil || back.Count() != 110 || back.Quantile(0.5) != 55 {
		t.Errorf("JSON round trip: %v, %d amounts", err, back.Count())
	}
	if err := json.Unmarshal([]byte("[[5, -1]]"), &back); err == nil {
		t.Error("a negative count was read")
	}
}

func TestCentsBuckets(t *testing.T) {
	// Two halves of 3000 distinct amounts each are exact; together they
	// are over maxExact and go over to buckets, whichever is merged into
	// which, and whether added one by one or merged.
	var a, b, whole Cents
	for i := int64(0); i < 6000; i++ {
		v := 1_000_000 + 37*i // 10,000.00 and up
		whole.add(v)
		if i%2 == 0 {
			a.add(v)
		} else {
			b.add(v)
		}
	}
	if !a.Exact() || !b.Exact() || whole.Exact() {
		t.Fatalf("exact: halves %v, %v; whole %v", a.Exact(), b.Exact(), whole.Exact())
	}
	jw, _ := json.Marshal(&whole)
	for _, order := range [][2]*Cents{{&a, &b}, {&b, &a}} {
		var m Cents
		m.merge(order[0])
		m.merge(order[1])
		if jm, _ := json.Marshal(&m); string(jm) != string(jw) {
			t.Error("merging across the threshold depends on the order")
		}
	}
	for _, q := range []float64{0, 0.5, 0.95, 1} {
		exact := 1_000_000 + 37*(max(int64(math.Ceil(q*6000)), 1)-1)
		got := whole.Quantile(q)
		if rel := math.Abs(float64(got-exact)) / float64(exact); rel > CentsRelativeError {
			t.Errorf("quantile %v = %d, exact %d: relative error %.2g", q, got, exact, rel)
		}
	}
	var back Cents
	if err := json.Unmarshal(jw, &back); err != nil || back.Exact() || back.Count() != 6000 || back.Quantile(0.5) != whole.Quantile(0.5) {
		t.Errorf("JSON round trip of buckets: %v", err)
	}
	// Small amounts stay exact in a bucket of their own.
	for v := int64(0); v < 2<<centsSubBits; v++ {
		if centsMid(centsBucket(v)) != v {
			t.Fatalf("amount %d is not its own bucket", v)
		}
	}
}
