package queueing

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestLogPoisson compares Loader's form with the direct one where the
// direct one is accurate, and checks the ratio of neighbours and the total
// probability where it is not (millions and billions).
func TestLogPoisson(t *testing.T) {
	for _, k := range []float64{0, 0.25, 1, 2.5, 7, 15, 16, 40, 90, 100} {
		for _, m := range []float64{1e-3, 0.5, 3, 20, 99.5, 150} {
			lg, _ := math.Lgamma(k + 1)
			want := k*math.Log(m) - m - lg
			if got := logPoisson(k, m); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("logPoisson(%g, %g) = %.16g, direct %.16g", k, m, got, want)
			}
		}
	}
	for _, m := range []float64{1e3, 1e5, 1e9} {
		var total float64
		sd := math.Sqrt(m)
		step := 1.0
		if m >= 1e9 {
			step = math.Floor(sd / 100) // neighbours only: the total needs every term
		}
		for k := math.Floor(m - 9*sd); k <= m+9*sd; k += step {
			l := logPoisson(k, m)
			if d := logPoisson(k+1, m) - l - math.Log(m/(k+1)); math.Abs(d) > 1e-12 {
				t.Fatalf("m = %g, k = %g: neighbours off by %g", m, k, d)
			}
			total += math.Exp(l)
		}
		if m < 1e9 && math.Abs(total-1) > 1e-9 {
			t.Errorf("m = %g: probabilities sum to 1 %+.3g", m, total-1)
		}
	}
	if logPoisson(0, 0) != 0 || !math.IsInf(logPoisson(3, 0), -1) || logPoisson(0, 2) != -2 {
		t.Error("logPoisson at m = 0 or k = 0")
	}
}

// TestScanPoissonTail checks the sum against gonum's regularised incomplete
// gamma function and its moments against the terms summed one by one.
func TestScanPoissonTail(t *testing.T) {
	for _, x := range []float64{0.3, 1, 5, 50, 180} {
		for _, m := range []float64{0.01, 1, 4.9, 50, 60, 250} {
			s := scanPoissonTail(x, m)
			if want := math.Log(mathext.GammaIncReg(x, m)); math.Abs(s.logSum-want) > 1e-11*math.Max(1, math.Abs(want)) {
				t.Errorf("x %g, m %g: ln P = %.15g, gonum %.15g", x, m, s.logSum, want)
			}
			var sum, first, second, h float64
			for i := 0.0; i < 2000; i++ {
				if i > 0 {
					h += 1 / (x + i)
				}
				w := math.Exp(logPoisson(x+i, m) - s.logSum)
				sum += w
				first += i * w
				second += h * w
			}
			if !near(sum, 1, 1e-11) || !near(s.mean, first, 1e-11) || !near(s.harmonic, second, 1e-11) {
				t.Errorf("x %g, m %g: terms sum to %g, mean %g (direct %g), harmonic %g (direct %g)",
					x, m, sum, s.mean, first, s.harmonic, second)
			}
		}
	}
}

func TestHarmonic(t *testing.T) {
	for _, a := range []float64{0.5, 1, 10.5, 31, 32, 1e3, 1e9} {
		for _, n := range []float64{0, 1, 64, 65, 1000, 1e5} {
			var want float64
			for j := n - 1; j >= 0; j-- {
				want += 1 / (a + j)
			}
			if got := harmonic(a, n); !near(got, want, 1e-13) || math.Abs(got-want) > 1e-13*want {
				t.Errorf("harmonic(%g, %g) = %.16g, summed %.16g", a, n, got, want)
			}
		}
	}
	// H_n = ln n + γ + 1/(2n) − 1/(12n²) + O(n⁻⁴).
	if got, want := harmonic(1, 1e12), math.Log(1e12)+0.57721566490153286061+0.5e-12; !near(got, want, 1e-15) {
		t.Errorf("harmonic(1, 1e12) = %.16g, H_n expansion %.16g", got, want)
	}
}

// TestLogErlangB checks the log form against ErlangB where B is
// representable, and against ln(a^c/c!) − a where B underflows (there the
// sum Σ_{k<=c} a^k/k! is e^a to double precision).
func TestLogErlangB(t *testing.T) {
	for _, c := range []int{0, 1, 5, 50, 400} {
		for _, a := range []float64{0.5, 10, 45, 390, 1000} {
			if ErlangB(c, a) < 1e-300 {
				continue // below, where only the log form is exact
			}
			if got, want := logErlangB(c, a), math.Log(ErlangB(c, a)); !near(got, want, 1e-13) {
				t.Errorf("logErlangB(%d, %g) = %.16g, ln ErlangB %.16g", c, a, got, want)
			}
		}
	}
	for _, tc := range []struct {
		c int
		a float64
	}{{1000, 10}, {5000, 100}, {1_000_000, 2}} {
		lg, _ := math.Lgamma(float64(tc.c) + 1)
		want := float64(tc.c)*math.Log(tc.a) - lg - tc.a
		if got := logErlangB(tc.c, tc.a); !near(got, want, 1e-12) {
			t.Errorf("logErlangB(%d, %g) = %.16g, want %.16g (ErlangB underflows to %g)", tc.c, tc.a, got, want, ErlangB(tc.c, tc.a))
		}
	}
	if !math.IsInf(logErlangB(3, 0), -1) || logErlangB(0, 0) != 0 {
		t.Error("logErlangB with no load")
	}
}

func TestGeometric(t *testing.T) {
	for _, u := range []float64{-800, -1, -1e-3, -1e-9, 0, 1e-12, 1e-5, 0.7, 3} {
		for _, n := range []float64{1, 2, 10, 999, 1e5} {
			var sum, first, peak float64
			peak = math.Max(0, u*(n-1)) // scale by the largest term
			for k := 0.0; k < n; k++ {
				w := math.Exp(u*k - peak)
				sum += w
				first += k * w
			}
			if got, want := logGeometric(u, n, 0), math.Log(sum)+peak; !near(got, want, 1e-12) {
				t.Errorf("logGeometric(%g, %g, 0) = %.16g, summed %.16g", u, n, got, want)
			}
			var fromTop float64 // Σ e^{u(k − (n−1))}, summed as it stands
			for k := 0.0; k < n; k++ {
				fromTop += math.Exp(u * (k - (n - 1)))
			}
			if got, want := logGeometric(u, n, n-1), math.Log(fromTop); u > -700/n && !near(got, want, 1e-12) {
				t.Errorf("logGeometric(%g, %g, %g) = %.16g, summed %.16g", u, n, n-1, got, want)
			}
			if got, want := meanGeometric(u, n), first/sum; !near(got, want, 1e-11) {
				t.Errorf("meanGeometric(%g, %g) = %.16g, summed %.16g", u, n, got, want)
			}
		}
	}
}
