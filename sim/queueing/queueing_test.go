package queueing

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// erlangBExact is Erlang B from its definition, (a^c/c!)/Σ_{k<=c} a^k/k!,
// in exact rational arithmetic: an independent check of the recursion.
func erlangBExact(c int, a *big.Rat) float64 {
	term := big.NewRat(1, 1) // a^k/k!
	sum := big.NewRat(1, 1)
	for k := 1; k <= c; k++ {
		term.Mul(term, a)
		term.Quo(term, big.NewRat(int64(k), 1))
		sum.Add(sum, term)
	}
	f, _ := new(big.Rat).Quo(term, sum).Float64()
	return f
}

// erlangCExact is Erlang C from its definition in exact arithmetic:
// (a^c/c! · c/(c-a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c-a)).
func erlangCExact(c int, a *big.Rat) float64 {
	term := big.NewRat(1, 1)
	sum := new(big.Rat)
	for k := 0; k < c; k++ {
		sum.Add(sum, term)
		term.Mul(term, a)
		term.Quo(term, big.NewRat(int64(k+1), 1))
	}
	cc := big.NewRat(int64(c), 1)
	last := new(big.Rat).Mul(term, new(big.Rat).Quo(cc, new(big.Rat).Sub(cc, a)))
	f, _ := new(big.Rat).Quo(last, sum.Add(sum, last)).Float64()
	return f
}

func TestErlangBPublished(t *testing.T) {
	for _, tc := range []struct {
		c    int
		a    float64
		want float64
	}{
		{0, 3, 1},
		{1, 1, 0.5},               // a/(1+a)
		{2, 1, 0.2},               // (1/2)/(1+1+1/2)
		{5, 2, 0.036697},          // Erlang B tables: 5 circuits, 2 E -> 3.67%
		{10, 5, 0.018385},         // 10 circuits, 5 E -> 1.84%
		{20, 15, 0.045593},        // 20 circuits, 15 E -> 4.56%
		{1, 0, 0},                 // no traffic, no blocking
		{100, 80, 0.0039920286},   // exact rational arithmetic
		{2, 0.5 / 0.7, 0.1295337}, // R package queueing, B_erlang(2, 0.5/0.7) example output
		{15, 8.108, 0.01},         // Westbay Engineers' calculator manual: 15 lines at 1% carry 8.108 E
	} {
		if got := ErlangB(tc.c, tc.a); !near(got, tc.want, 1e-5) {
			t.Errorf("ErlangB(%d, %g) = %.7f, want %.7f", tc.c, tc.a, got, tc.want)
		}
	}
}

func TestErlangCPublished(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    int
		a    float64
		want float64
	}{
		{"M/M/1: C = ρ", 1, 0.7, 0.7},
		{"M/M/2: C = 2ρ²/(1+ρ), two 1 Mb/s lines, 150 packets/s of 10 kb", 2, 1.5, 0.642857},
		{"c=3, a=2: 4/9", 3, 2, 4.0 / 9},
		{"120 customers/h, 3 min each, 10 assistants: 'about 0.10'", 10, 6, 0.101299},
		{"c=10, a=9 (the SimPy peer model)", 10, 9, 0.668732},
		{"call centre: 100 calls/30 min, AHT 3 min, 14 agents", 14, 10, 0.174132},
		{"call centre: 360 calls/30 min, AHT 4 min, 55 agents", 55, 48, 0.238701},
		{"no traffic", 4, 0, 0},
		{"unstable: a = c", 10, 10, 1},
		{"unstable: a > c", 10, 12, 1},
	} {
		if got := ErlangC(tc.c, tc.a); !near(got, tc.want, 1e-5) {
			t.Errorf("%s: ErlangC(%d, %g) = %.7f, want %.7f", tc.name, tc.c, tc.a, got, tc.want)
		}
	}
}

// TestErlangExactArithmetic compares the recursion with the defining
// formulas in exact rational arithmetic over a grid that includes many
// servers and loads close to capacity, where naive formulas overflow or
// cancel.
func TestErlangExactArithmetic(t *testing.T) {
	for _, c := range []int{1, 2, 3, 7, 10, 25, 60, 150, 400} {
		for _, num := range []int64{1, 25, 50, 80, 95, 99, 999} {
			den := int64(100)
			if num == 999 {
				den = 1000
			}
			a := big.NewRat(int64(c)*num, den) // ρ = num/den
			af, _ := a.Float64()
			if want, got := erlangBExact(c, a), ErlangB(c, af); !near(got, want, 1e-12) {
				t.Errorf("ErlangB(%d, %g) = %.15g, exact %.15g", c, af, got, want)
			}
			if want, got := erlangCExact(c, a), ErlangC(c, af); !near(got, want, 1e-12) {
				t.Errorf("ErlangC(%d, %g) = %.15g, exact %.15g", c, af, got, want)
			}
		}
	}
}

// TestErlangLarge checks that huge systems give finite, sensible answers
// (the direct formula would overflow a^c/c!): by the Halfin–Whitt limit,
// with a = c - β√c, C tends to (1 + β Φ(β)/φ(β))^-1.
func TestErlangLarge(t *testing.T) {
	const beta = 1.0
	c := 1_000_000
	a := float64(c) - beta*math.Sqrt(float64(c))
	got := ErlangC(c, a)
	phi := math.Exp(-beta*beta/2) / math.Sqrt(2*math.Pi)
	Phi := 0.5 * math.Erfc(-beta/math.Sqrt2)
	want := 1 / (1 + beta*Phi/phi)
	if !near(got, want, 2e-3) { // the limit's error is O(1/√c)
		t.Errorf("ErlangC(%d, %g) = %g, Halfin–Whitt limit %g", c, a, got, want)
	}
}

// birthDeath solves the M/M/c chain numerically (truncated far in the
// tail) and returns P(N >= c) and the mean number waiting: an
// independent check of ErlangC and, through Little's law, of MeanWait.
func birthDeath(c int, lambda, mu float64) (pWait, lq float64) {
	p := 1.0
	var total, waitMass, queue float64
	for n := 0; n < 200_000; n++ {
		total += p
		if n >= c {
			waitMass += p
			queue += float64(n-c) * p
		}
		p *= lambda / (float64(min(n+1, c)) * mu)
		if p < 1e-300 {
			break
		}
	}
	return waitMass / total, queue / total
}

func TestMMcAgainstBirthDeath(t *testing.T) {
	for _, q := range []MMc{
		{1, 0.5, 1}, {1, 0.9, 1}, {3, 2, 1}, {10, 9, 1}, {10, 9.5, 1}, {12, 9, 1},
		{55, 48 * 2, 15}, {200, 190, 1},
	} {
		pw, lq := birthDeath(q.Servers, q.ArrivalRate, q.ServiceRate)
		if got := q.ProbWait(); !near(got, pw, 1e-9) {
			t.Errorf("%+v: ProbWait %g, birth-death chain %g", q, got, pw)
		}
		if got, want := q.MeanWait(), lq/q.ArrivalRate; !near(got, want, 1e-9) {
			t.Errorf("%+v: MeanWait %g, Lq/λ from the chain %g", q, got, want)
		}
		if got := q.MeanQueueLength(); !near(got, lq, 1e-9) {
			t.Errorf("%+v: MeanQueueLength %g, chain %g", q, got, lq)
		}
		if got, want := q.ProbEmpty(), birthDeathEmpty(q.Servers, q.ArrivalRate, q.ServiceRate); !near(got, want, 1e-9) {
			t.Errorf("%+v: ProbEmpty %g, chain %g", q, got, want)
		}
	}
	// M/M/1: 1 - ρ; M/M/2 at ρ = 1/2: (1-ρ)/(1+ρ) = 1/3.
	if got := (MMc{1, 0.3, 1}).ProbEmpty(); !near(got, 0.7, 1e-12) {
		t.Errorf("M/M/1 at 0.3: ProbEmpty %g, want 0.7", got)
	}
	if got := (MMc{2, 1, 1}).ProbEmpty(); !near(got, 1.0/3, 1e-12) {
		t.Errorf("M/M/2 at 1/2: ProbEmpty %g, want 1/3", got)
	}
}

// birthDeathEmpty is the chain's probability of state 0.
func birthDeathEmpty(c int, lambda, mu float64) float64 {
	p, total := 1.0, 0.0
	for n := 0; n < 100000; n++ {
		total += p
		p *= lambda / (float64(min(n+1, c)) * mu)
		if p < 1e-300 {
			break
		}
	}
	return 1 / total
}

func TestMMcWaitAtMost(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    MMc
		t    float64
		want float64
	}{
		{"peer model: c=10, λ=9/h, μ=1/h, P(W<=1h)", MMc{10, 9, 1}, 1, 0.7540},
		{"peer model at 15 min", MMc{10, 9, 1}, 0.25, 1 - 0.668732*math.Exp(-0.25)},
		{"t = 0: 1 - C", MMc{10, 9, 1}, 0, 1 - 0.668732},
		{"call centre: 14 agents, 10 E, AHT 180 s, within 20 s", MMc{14, 10.0 / 180, 1.0 / 180}, 20, 1 - 0.174132*math.Exp(-4*20.0/180)},
		{"call centre: 55 agents, 48 E, AHT 240 s, within 15 s", MMc{55, 48.0 / 240, 1.0 / 240}, 15, 0.845883},
		{"M/M/1: 1 - ρe^{-(μ-λ)t}", MMc{1, 0.8, 1}, 2, 1 - 0.8*math.Exp(-0.4)},
		{"t < 0", MMc{10, 9, 1}, -1, 0},
		{"t = +Inf", MMc{10, 9, 1}, math.Inf(1), 1},
		{"unstable", MMc{10, 10, 1}, 5, 0},
		{"unstable, t = +Inf", MMc{10, 11, 1}, math.Inf(1), 1},
		{"no arrivals", MMc{2, 0, 1}, 0, 1},
	} {
		if got := tc.q.WaitAtMost(tc.t); !near(got, tc.want, 5e-5) {
			t.Errorf("%s: WaitAtMost(%g) = %.6f, want %.6f", tc.name, tc.t, got, tc.want)
		}
	}
	// The peer model's published figure to four places.
	if got := (MMc{10, 9, 1}).WaitAtMost(1); math.Round(got*1e4) != 7540 {
		t.Errorf("P(W <= 1h) = %.6f, published 0.7540", got)
	}
}

func TestMMcMeanWaitAndQuantile(t *testing.T) {
	for _, tc := range []struct {
		q    MMc
		want float64
	}{
		{MMc{1, 0.8, 1}, 0.8 / 0.2},                     // ρ/(μ-λ)
		{MMc{2, 1.5, 1}, 0.642857 / 0.5},                // C/(cμ-λ)
		{MMc{10, 9, 1}, 0.668732},                       // C/(10-9)
		{MMc{55, 48.0 / 240, 1.0 / 240}, 8.184032},      // ASA in seconds
		{MMc{14, 10.0 / 180, 1.0 / 180}, 0.174132 * 45}, // C·180/4 s
		{MMc{3, 3, 1}, math.Inf(1)},
	} {
		if got := tc.q.MeanWait(); !near(got, tc.want, 1e-5) {
			t.Errorf("%+v: MeanWait %.7g, want %.7g", tc.q, got, tc.want)
		}
	}
	q := MMc{10, 9, 1}
	for _, p := range []float64{0, 0.2, 0.331268, 0.5, 0.754, 0.95, 0.999} {
		w := q.WaitQuantile(p)
		if w < 0 || (w > 0 && !near(q.WaitAtMost(w), p, 1e-12)) || (w == 0 && q.WaitAtMost(0) < p) {
			t.Errorf("WaitQuantile(%g) = %g, WaitAtMost of it %g", p, w, q.WaitAtMost(w))
		}
	}
	if w := q.WaitQuantile(0.754); !near(w, 1, 1e-3) {
		t.Errorf("WaitQuantile(0.754) = %g, want about 1h", w)
	}
	if !math.IsInf(q.WaitQuantile(1), 1) || !math.IsInf((MMc{1, 1, 1}).WaitQuantile(0.5), 1) {
		t.Error("WaitQuantile should be +Inf for p = 1 and for an unstable queue")
	}
}

func TestServersFor(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		lambda, mu, t, level float64
		want                 int
	}{
		{"peer model: 75% within 1h", 9, 1, 1, 0.75, 10},
		{"peer model: 76% within 1h", 9, 1, 1, 0.76, 11},
		{"30 calls/h, 5 min each, 90% not delayed", 30, 12, 0, 0.9, 6},
		{"call centre 80/20: 100 calls/30 min, AHT 3 min (13 give 79.6%)", 100.0 / 1800, 1.0 / 180, 20, 0.8, 14},
		{"no arrivals", 0, 1, 0, 0.99, 1},
		{"large", 9000, 1, 0.01, 0.9, 9000 + 70},
	} {
		got, err := ServersFor(tc.lambda, tc.mu, tc.t, tc.level)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		q := MMc{got, tc.lambda, tc.mu}
		below := MMc{got - 1, tc.lambda, tc.mu}
		// Minimal: the answer meets the level and one fewer does not.
		if q.WaitAtMost(tc.t) < tc.level || got > 1 && below.WaitAtMost(tc.t) >= tc.level {
			t.Errorf("%s: ServersFor = %d is not the smallest meeting the level (%g with it, %g with one fewer)",
				tc.name, got, q.WaitAtMost(tc.t), below.WaitAtMost(tc.t))
		}
		if tc.name != "large" && got != tc.want {
			t.Errorf("%s: ServersFor = %d, want %d", tc.name, got, tc.want)
		}
	}
	for _, bad := range [][4]float64{{-1, 1, 1, .5}, {1, 0, 1, .5}, {1, 1, -1, .5}, {1, 1, 1, 1}, {1, 1, 1, 0}, {math.NaN(), 1, 1, .5}, {1, 1, math.Inf(1), .5}} {
		if _, err := ServersFor(bad[0], bad[1], bad[2], bad[3]); !errors.Is(err, ErrInvalid) {
			t.Errorf("ServersFor%v: err %v, want ErrInvalid", bad, err)
		}
	}
}

func TestInvalidGiveNaN(t *testing.T) {
	nan := []float64{
		ErlangB(-1, 1), ErlangB(1, -1), ErlangB(1, math.NaN()), ErlangB(1, math.Inf(1)),
		ErlangC(0, 0.5), ErlangC(1, -0.5), ErlangC(1, math.NaN()),
		MMc{0, 1, 1}.WaitAtMost(1), MMc{1, 0.5, 0}.MeanWait(), MMc{1, -1, 1}.ProbWait(),
		MMc{1, 0.5, 1}.WaitAtMost(math.NaN()), MMc{1, 0.5, 1}.WaitQuantile(2),
		MG1MeanWait(1, 0, 1), MG1MeanWait(1, 1, -1), MG1MeanWait(-1, 1, 1),
	}
	for i, v := range nan {
		if !math.IsNaN(v) {
			t.Errorf("case %d: got %g, want NaN", i, v)
		}
	}
}

func TestMMcPriorityWaits(t *testing.T) {
	// Hand-computed M/M/1: μ=1, λ = .2, .3, .4; σ = .2, .5, .9; W0 = ρ/μ = .9.
	w, err := MMcPriorityWaits(1, []float64{0.2, 0.3, 0.4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []float64{0.9 / 0.8, 0.9 / (0.8 * 0.5), 0.9 / (0.5 * 0.1)} {
		if !near(w[k], want, 1e-12) {
			t.Errorf("M/M/1 class %d: %g, want %g", k, w[k], want)
		}
	}
	for _, tc := range []struct {
		c     int
		rates []float64
		mu    float64
	}{
		{12, []float64{0.45, 1.35, 7.2}, 1}, // the peer priority model
		{10, []float64{1, 2, 3, 2.5}, 1},
		{3, []float64{0.5, 2}, 1},
		{1, []float64{0.2, 0.3, 0.4}, 1},
		{20, []float64{4, 14}, 1},
	} {
		w, err := MMcPriorityWaits(tc.c, tc.rates, tc.mu)
		if err != nil {
			t.Fatal(err)
		}
		// Conservation: with one service rate the total queue does not depend
		// on the (work-conserving, non-preemptive) order of service, so the
		// arrival-weighted mean of the class waits is the FCFS mean wait.
		var lambda, weighted float64
		for k, l := range tc.rates {
			lambda += l
			weighted += l * w[k]
		}
		fcfs := MMc{tc.c, lambda, tc.mu}.MeanWait()
		if !near(weighted/lambda, fcfs, 1e-12) {
			t.Errorf("%+v: weighted mean wait %g, FCFS %g", tc, weighted/lambda, fcfs)
		}
		// Higher classes wait less.
		for k := 1; k < len(w); k++ {
			if w[k] < w[k-1] {
				t.Errorf("%+v: class %d waits %g < class %d's %g", tc, k, w[k], k-1, w[k-1])
			}
		}
		// One class is plain M/M/c.
		one, _ := MMcPriorityWaits(tc.c, []float64{lambda}, tc.mu)
		if !near(one[0], fcfs, 1e-12) {
			t.Errorf("single class %g, FCFS %g", one[0], fcfs)
		}
	}
	// With one server, Cobham for M/M/c equals the M/G/1 version with CV 1.
	mg1, _ := MG1PriorityWaits([]Class{{0.2, 1, 1}, {0.3, 1, 1}, {0.4, 1, 1}})
	for k := range w {
		if !near(mg1[k], w[k], 1e-12) {
			t.Errorf("class %d: M/G/1 %g, M/M/1 %g", k, mg1[k], w[k])
		}
	}
	// Overload: classes within capacity keep a finite wait (all servers are
	// busy for good, so C = 1), the rest are +Inf. c = 2, μ = 1, λ = .5, 1,
	// 1: ρ_k = .25, .5, .5, σ_k = .25, .75, 1.25, W0 = 1/(cμ) = .5.
	w, err = MMcPriorityWaits(2, []float64{0.5, 1, 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if w0, w1 := 0.5/0.75, 0.5/(0.75*0.25); !near(w[0], w0, 1e-12) || !near(w[1], w1, 1e-12) || !math.IsInf(w[2], 1) {
		t.Errorf("overloaded: %v, want [%g %g +Inf]", w, w0, w1)
	}
	for _, bad := range []struct {
		c     int
		rates []float64
		mu    float64
	}{{0, []float64{1}, 1}, {1, nil, 1}, {1, []float64{-1}, 1}, {1, []float64{1}, 0}, {1, []float64{math.NaN()}, 1}} {
		if _, err := MMcPriorityWaits(bad.c, bad.rates, bad.mu); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err %v, want ErrInvalid", bad, err)
		}
	}
}

func TestMG1PreemptiveSojourns(t *testing.T) {
	// Hand-computed M/M/1, μ = 1: λ = .2, .3, .4, σ = .2, .5, .9.
	//   T1 = 1/(1-0) + .2/(1·.8)           = 1.25 = 1/(μ-λ1)
	//   T2 = 1/.8 + (.2+.3)/(.8·.5)       = 1.25 + 1.25 = 2.5
	//   T3 = 1/.5 + (.2+.3+.4)/(.5·.1)    = 2 + 18 = 20
	cls := []Class{{0.2, 1, 1}, {0.3, 1, 1}, {0.4, 1, 1}}
	got, err := MG1PreemptiveSojourns(cls)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []float64{1.25, 2.5, 20} {
		if !near(got[k], want, 1e-12) {
			t.Errorf("class %d: %g, want %g", k, got[k], want)
		}
	}
	// Exponential service with one rate: the total number in system is that
	// of FCFS M/M/1, so the arrival-weighted mean sojourn is 1/(μ-λ).
	if mean := (0.2*got[0] + 0.3*got[1] + 0.4*got[2]) / 0.9; !near(mean, 1/(1-0.9), 1e-12) {
		t.Errorf("weighted mean sojourn %g, M/M/1 %g", mean, 10.0)
	}
	// Class 1 ignores the others: its sojourn is that of an M/G/1 queue alone.
	for _, cv := range []float64{0, 0.5, 1, 2} {
		c := []Class{{0.3, 2, cv}, {0.1, 0.5, 1}}
		got, _ := MG1PreemptiveSojourns(c)
		if want := MG1MeanWait(0.3, 2, cv) + 2; !near(got[0], want, 1e-12) {
			t.Errorf("cv %g: class 1 %g, alone %g", cv, got[0], want)
		}
	}
	// Time to first service: class 1 waits as in M/G/1 alone; every class's
	// sojourn is its wait plus its service stretched by higher arrivals.
	waits, err := MG1PreemptiveWaits(cls)
	if err != nil {
		t.Fatal(err)
	}
	if !near(waits[0], MG1MeanWait(0.2, 1, 1), 1e-12) {
		t.Errorf("class 1 wait %g, M/M/1 alone %g", waits[0], MG1MeanWait(0.2, 1, 1))
	}
	prev := 0.0
	for k, c := range cls {
		if want := waits[k] + c.Mean/(1-prev); !near(got[k], want, 1e-12) {
			t.Errorf("class %d: sojourn %g, wait + stretched service %g", k, got[k], want)
		}
		prev += c.Rate * c.Mean
	}
	// With two classes: W_2 = (.2+.3)/(.8·.5) = 1.25 by hand.
	if !near(waits[1], 1.25, 1e-12) {
		t.Errorf("class 2 wait %g, want 1.25", waits[1])
	}
	got, _ = MG1PreemptiveSojourns([]Class{{0.5, 1, 1}, {0.6, 1, 1}})
	if !near(got[0], 2, 1e-12) || !math.IsInf(got[1], 1) {
		t.Errorf("overload: %v, want [2 +Inf]", got)
	}
	if _, err := MG1PreemptiveSojourns([]Class{{1, -1, 1}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid class: err %v", err)
	}
}

func TestMG1MeanWait(t *testing.T) {
	for _, tc := range []struct {
		name             string
		lambda, mean, cv float64
		want             float64
	}{
		{"M/M/1: ρ/(μ-λ)", 0.8, 1, 1, 4},
		{"M/D/1: half of M/M/1", 0.8, 1, 0, 2},
		{"M/E2/1: (1+1/2)/2 of M/M/1", 0.8, 1, math.Sqrt(0.5), 3},
		{"cv 2: (1+4)/2 of M/M/1", 0.5, 1, 2, 2.5},
		{"hours: λ=4/h, E[S]=12 min, cv 1.5", 4, 0.2, 1.5, 4 * 0.04 * 3.25 / (2 * 0.2)},
		{"unstable", 1, 1, 1, math.Inf(1)},
		{"no arrivals", 0, 1, 1, 0},
	} {
		if got := MG1MeanWait(tc.lambda, tc.mean, tc.cv); !near(got, tc.want, 1e-12) {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
	// M/G/1 priority with one class is Pollaczek–Khinchine.
	w, _ := MG1PriorityWaits([]Class{{0.7, 1.2, 0.8}})
	if want := MG1MeanWait(0.7, 1.2, 0.8); !near(w[0], want, 1e-12) {
		t.Errorf("one-class priority %g, P-K %g", w[0], want)
	}
}

func TestMMcSojournAtMost(t *testing.T) {
	// The erlang-c example scenario: θ = cμ - λ = μ, where the formula's
	// factor (1 - e^{-(θ-μ)t})/(θ-μ) is t: P(T > 4h) = e^-4·(1 + 4C).
	q := MMc{Servers: 10, ArrivalRate: 9, ServiceRate: 1}
	if got, want := q.SojournAtMost(4), 1-math.Exp(-4)*(1+4*q.ProbWait()); math.Abs(got-want) > 1e-15 {
		t.Errorf("erlang-c example: P(T <= 4h) = %.16f, want %.16f", got, want)
	}
	if got := q.SojournAtMost(4); math.Abs(got-0.9327) > 5e-5 {
		t.Errorf("erlang-c example: P(T <= 4h) = %.5f, the scenario's comment says 0.9327", got)
	}
	// Against the convolution of the wait and the service, integrated
	// numerically, on either side of θ = μ and close to it; and the mean of
	// the distribution, ∫ P(T > t) dt, against MeanResponse.
	for _, q := range []MMc{
		{Servers: 10, ArrivalRate: 9, ServiceRate: 1},
		{Servers: 10, ArrivalRate: 9 - 1e-9, ServiceRate: 1},
		{Servers: 3, ArrivalRate: 2.5, ServiceRate: 1.2},
		{Servers: 50, ArrivalRate: 30, ServiceRate: 1},
		{Servers: 1, ArrivalRate: 0.5, ServiceRate: 1},
	} {
		c, theta, mu := q.ProbWait(), q.decay(), q.ServiceRate
		for _, tt := range []float64{0, 0.1, 1, 3, 10} {
			// (1-C)(1 - e^{-μt}) + C ∫_0^t θe^{-θw}(1 - e^{-μ(t-w)}) dw, Simpson.
			const n = 4000
			var sum float64
			for i := 0; i <= n; i++ {
				w := tt * float64(i) / n
				f := theta * math.Exp(-theta*w) * (1 - math.Exp(-mu*(tt-w)))
				switch {
				case i == 0 || i == n:
				case i%2 == 1:
					f *= 4
				default:
					f *= 2
				}
				sum += f
			}
			want := (1-c)*(1-math.Exp(-mu*tt)) + c*sum*tt/n/3
			if got := q.SojournAtMost(tt); math.Abs(got-want) > 1e-9 {
				t.Errorf("%+v: P(T <= %g) = %.12f, convolution %.12f", q, tt, got, want)
			}
		}
		var mean float64
		const step, end = 1e-3, 200.0
		for x := step / 2; x < end; x += step {
			mean += (1 - q.SojournAtMost(x)) * step
		}
		if math.Abs(mean-q.MeanResponse()) > 1e-6*q.MeanResponse() {
			t.Errorf("%+v: ∫ P(T > t) dt = %.9f, MeanResponse %.9f", q, mean, q.MeanResponse())
		}
	}
	unstable := MMc{Servers: 2, ArrivalRate: 3, ServiceRate: 1}
	for _, c := range []struct {
		q    MMc
		t    float64
		want float64
	}{{q, -1, 0}, {q, math.Inf(1), 1}, {unstable, 5, 0}} {
		if got := c.q.SojournAtMost(c.t); got != c.want {
			t.Errorf("%+v: P(T <= %g) = %g, want %g", c.q, c.t, got, c.want)
		}
	}
	if got := (MMc{}).SojournAtMost(1); !math.IsNaN(got) {
		t.Errorf("invalid queue: %g, want NaN", got)
	}
}
