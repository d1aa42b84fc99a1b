package sim

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// TestIntegral: sums of count × duration products are exact far beyond an
// int64 (a billion tickets waiting for twenty years, 100,000 agents for
// twenty years), their float64 is correctly rounded, their milliseconds
// exact, and their ratios within three roundings (a relative 3·2^-53).
func TestIntegral(t *testing.T) {
	const twentyYears = 1040 * Week
	r := rand.New(rand.NewPCG(4, 4))
	for trial := range 2000 {
		var a integral
		want := new(big.Int)
		for range 1 + r.IntN(50) {
			var count int64
			var d time.Duration
			switch r.IntN(3) {
			case 0: // a billion tickets waiting, for up to twenty years
				count, d = 1_000_000_000-r.Int64N(3), time.Duration(r.Int64N(int64(twentyYears)))
			case 1: // up to 200,000 agent slots coming or going
				count, d = r.Int64N(400_001)-200_000, time.Duration(r.Int64N(int64(time.Hour)))
			default: // anything an int64 holds
				count, d = r.Int64()-math.MaxInt64/2, time.Duration(r.Int64N(math.MaxInt64))
			}
			a.add(count, d)
			want.Add(want, new(big.Int).Mul(big.NewInt(count), big.NewInt(int64(d))))
		}
		if a.big().Cmp(want) != 0 {
			t.Fatalf("trial %d: sum %v, want %v", trial, a.big(), want)
		}
		if f, _ := new(big.Float).SetInt(want).Float64(); a.float64() != f {
			t.Fatalf("trial %d: float64 %v, want %v (of %v)", trial, a.float64(), f, want)
		}
		ms := new(big.Int).Quo(want, big.NewInt(int64(time.Millisecond)))
		if ms.IsInt64() && milliseconds(a) != ms.Int64() {
			t.Fatalf("trial %d: milliseconds %d, want %v", trial, milliseconds(a), ms)
		}
		n, h := 1+r.Int64N(1_000_000_000), int64(time.Hour)
		exact, _ := new(big.Float).SetPrec(200).Quo(new(big.Float).SetInt(want), new(big.Float).SetInt(big.NewInt(0).Mul(big.NewInt(n), big.NewInt(h)))).Float64()
		if got := a.per(n, h); math.Abs(got-exact) > 3*0x1p-53*math.Abs(exact) {
			t.Fatalf("trial %d: per %v, exact %v", trial, got, exact)
		}
	}
	// The desk: 600 agents around the clock for 52 weeks held 2^64
	// and more agent-nanoseconds, which an int64 wrapped to -346.9%.
	var busy, avail integral
	avail.add(600, 52*Week)
	busy.add(540, 52*Week)
	if u := busy.over(avail); u != 0.9 {
		t.Errorf("600 agents for 52 weeks, 540 busy: utilisation %v", u)
	}
	if milliseconds(avail) != 600*int64(52*Week/time.Millisecond) {
		t.Errorf("600 agents for 52 weeks: %d agent-milliseconds", milliseconds(avail))
	}
}

// TestIntegralProduct: one product is the exact signed 128-bit count × d,
// whatever the signs, extremes included; plus(d) adds exactly d.
func TestIntegralProduct(t *testing.T) {
	extremes := []int64{math.MinInt64, math.MinInt64 + 1, -1, 0, 1, math.MaxInt64}
	r := rand.New(rand.NewPCG(5, 5))
	pick := func() int64 {
		if r.IntN(2) == 0 {
			return extremes[r.IntN(len(extremes))]
		}
		return int64(r.Uint64())
	}
	for trial := range 10_000 {
		count, d := pick(), pick()
		var a integral
		a.add(count, time.Duration(d))
		if want := new(big.Int).Mul(big.NewInt(count), big.NewInt(d)); a.big().Cmp(want) != 0 {
			t.Fatalf("trial %d: %d × %d gave %v, want %v", trial, count, d, a.big(), want)
		}
		// plus(d) is add(1, d), here on top of the product.
		b := a
		a.add(1, time.Duration(d))
		b.plus(time.Duration(d))
		if a != b {
			t.Fatalf("trial %d: plus(%d) gave %v, add(1, %d) %v", trial, d, b.big(), d, a.big())
		}
	}
}

// big is the exact value, for tests.
func (a integral) big() *big.Int {
	v := new(big.Int).SetInt64(a.hi)
	v.Lsh(v, 64)
	return v.Add(v, new(big.Int).SetUint64(a.lo))
}

// TestByHourOverflow: the agent and ticket time by hour of the week is
// pooled over replications in 64-bit milliseconds, which the largest desk
// (100,000 agents over twenty years: 3.7·10^14 agent-ms a replication and
// hour) passes after some 24,000 replications. Merging past the range is
// an error that leaves the summary as it was, and a replication's fold that
// passed it stays below 0 for the merge to refuse, however many follow.
func TestByHourOverflow(t *testing.T) {
	m := &Model{Agents: 1, Horizon: Week, Tiers: []Tier{{Name: "all", Arrivals: ConstantRate(1), Handling: Exponential{Mu: time.Hour},
		Response: time.Hour, Resolution: time.Hour}}}
	perRep := int64(1) << 56
	full, more := NewSummary(m), NewSummary(m)
	full.Teams[0].AvailableMs[7] = math.MaxInt64 - perRep + 1
	more.Teams[0].AvailableMs[7] = perRep
	if err := full.Merge(more); err == nil {
		t.Fatalf("merged past the int64 range: %d", full.Teams[0].AvailableMs[7])
	}
	if full.Teams[0].AvailableMs[7] != math.MaxInt64-perRep+1 {
		t.Errorf("a refused merge changed the summary")
	}
	more.Teams[0].AvailableMs[7] = perRep - 1
	if err := full.Merge(more); err != nil || full.Teams[0].AvailableMs[7] != math.MaxInt64 {
		t.Errorf("up to the range: %v, %d", err, full.Teams[0].AvailableMs[7])
	}

	// Folds into one summary: once past the range, it stays there.
	var h HourOfWeek
	for range 1 << 10 {
		h.add(3, perRep)
	}
	if h[3] >= 0 {
		t.Errorf("1,024 replications of 2^56 summed to %d", h[3])
	}
	folded := NewSummary(m)
	folded.Tiers[0].WaitingMs = h
	if err := NewSummary(m).Merge(folded); err == nil {
		t.Errorf("a fold past the range merged")
	}
}
