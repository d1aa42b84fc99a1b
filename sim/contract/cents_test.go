package contract

import (
	"encoding/json"
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
	ab, ba := a, b
	ab.counts, ba.counts = nil, nil
	ab.n, ba.n = 0, 0
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
