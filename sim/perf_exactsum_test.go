package sim

import (
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactSumValues draws values over the whole float64 range, subnormals and
// signed zeros included, and values of the kinds a Summary sums.
func exactSumValues(r *rand.Rand, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		switch r.IntN(6) {
		case 0:
			xs[i] = math.Float64frombits(r.Uint64()&^(0x7ff<<52) | uint64(r.IntN(0x7ff))<<52) // any finite
		case 1:
			xs[i] = math.Float64frombits(r.Uint64() & (1<<52 - 1)) // subnormal
		case 2:
			xs[i] = float64(r.IntN(1000)) / float64(1+r.IntN(1000)) // attainment-like
		case 3:
			xs[i] = -r.ExpFloat64() * 1e3
		case 4:
			xs[i] = math.Copysign(0, -1)
		default:
			xs[i] = r.NormFloat64() * math.Ldexp(1, r.IntN(200)-100)
		}
	}
	return xs
}

// TestExactSumAgainstBigFloat checks the fixed-point ExactSum against an
// exact big.Float computation: same value, same text, any order.
func TestExactSumAgainstBigFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		xs := exactSumValues(r, 1+r.IntN(300))
		if trial%4 == 0 {
			// Keep the squares of extreme values in: a sum of squares
			// spanning 2^-2148 to 2^2047.
			xs = append(xs, math.SmallestNonzeroFloat64, math.MaxFloat64/2, -math.MaxFloat64)
		}
		want := new(big.Float).SetPrec(1 << 14)
		wantSq := new(big.Float).SetPrec(1 << 14)
		var s, sq, a, b ExactSum
		for i, x := range xs {
			bx := new(big.Float).SetPrec(1 << 14).SetFloat64(x)
			want.Add(want, bx)
			wantSq.Add(wantSq, new(big.Float).SetPrec(1<<14).Mul(bx, bx))
			s.Add(x)
			sq.AddSquare(x)
			if i%3 == 0 {
				a.Add(x)
			} else {
				b.Add(x)
			}
		}
		b.Merge(a)
		for _, c := range []struct {
			name string
			got  ExactSum
			want *big.Float
		}{{"sum", s, want}, {"merged", b, want}, {"squares", sq, wantSq}} {
			if g := c.got.big(); g.Cmp(c.want) != 0 {
				t.Fatalf("trial %d %s: got %s, want %s", trial, c.name, g.Text('p', 0), c.want.Text('p', 0))
			}
			txt, _ := c.got.MarshalText()
			if string(txt) != c.want.Text('p', 0) {
				t.Fatalf("trial %d %s: text %s, want %s", trial, c.name, txt, c.want.Text('p', 0))
			}
			if f, _ := c.want.Float64(); c.got.Float64() != f {
				t.Fatalf("trial %d %s: Float64 %v, want %v", trial, c.name, c.got.Float64(), f)
			}
			var back ExactSum
			if err := back.UnmarshalText(txt); err != nil || back != c.got {
				t.Fatalf("trial %d %s: round trip of %s: %v", trial, c.name, txt, err)
			}
		}
	}
}

func TestExactSumSpecial(t *testing.T) {
	var s ExactSum
	if txt, _ := s.MarshalText(); string(txt) != "0" {
		t.Errorf("empty sum writes %q, want 0", txt)
	}
	s.Add(1)
	s.Add(-1)
	if txt, _ := s.MarshalText(); string(txt) != "0" || s.Float64() != 0 {
		t.Errorf("1 - 1 writes %q (%v), want 0", txt, s.Float64())
	}
	s.Add(math.Inf(1))
	if !math.IsInf(s.Float64(), 1) {
		t.Errorf("sum with +Inf is %v", s.Float64())
	}
	var tl Tally
	for _, x := range []float64{1, 2, 3, 4} {
		tl.Add(x)
	}
	if v := tl.Variance(); v != 5.0/3 {
		t.Errorf("variance of 1..4 is %v, want 5/3", v)
	}
	b, err := json.Marshal(&tl)
	if err != nil {
		t.Fatal(err)
	}
	var back Tally
	if err := json.Unmarshal(b, &back); err != nil || back != tl {
		t.Errorf("tally round trip through %s: %v", b, err)
	}
	if err := back.Sum.UnmarshalText([]byte("0x.8p-3000")); err == nil {
		t.Error("a value below the accumulator's range was accepted")
	}
}

// BenchmarkTallyAdd is the cost of one value folded into a Tally (two exact
// sums), the unit of a replication's fold into a Summary.
func BenchmarkTallyAdd(b *testing.B) {
	var t Tally
	b.ReportAllocs()
	x := 0.123456789
	for b.Loop() {
		t.Add(x)
		x = x*1.0001 + 1e-7
	}
}
