package queueing

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestAvailabilityPublished reproduces K. S. Trivedi's two-state Markov
// availability model (Probability and Statistics with Reliability, Queuing,
// and Computer Science Applications, 2nd ed., 2001, ch. 8): a steady-state
// availability of 0.99999 is 5.256 minutes of downtime a year (8,760 h).
func TestAvailabilityPublished(t *testing.T) {
	f := FailureRepair{MTBF: 99_999, MTTR: 1} // hours
	if got := f.Availability(); got != 0.99999 {
		t.Errorf("availability %.17g, want 0.99999", got)
	}
	if got := 60 * f.DowntimeMean(8760, StartStationary); math.Abs(got-5.256) > 5e-4 {
		t.Errorf("downtime %.4f min a year, published 5.256", got)
	}
	// From a fresh start the first year loses a little less: the first
	// failure is MTBF away, not already under way.
	if up := 60 * f.DowntimeMean(8760, StartUp); !(up < 5.256 && up > 5.2) {
		t.Errorf("downtime from up %.4f min a year", up)
	}
}

// vanLoan computes the first two moments of the downtime by the matrix
// exponential of the block matrix [[Q, R, 0], [0, Q, R], [0, 0, Q]]·T
// (C. F. Van Loan, "Computing integrals involving the matrix exponential",
// 1978), whose blocks (1,2) and (1,3) are ∫ e^{Qu} R e^{Q(T−u)} du and the
// double integral ∫∫_{u<v} e^{Qu} R e^{Q(v−u)} R e^{Q(T−v)}, with Q the
// generator of the up/down chain and R the indicator of down: an
// independent computation of E[D] and E[D²]/2 from the initial law.
func vanLoan(f FailureRepair, period float64, initial [2]float64, reward [2]float64) (mean, second float64) {
	l, m := 1/f.MTBF, 1/f.MTTR
	q := [2][2]float64{{-l, l}, {m, -m}}
	big := mat.NewDense(6, 6, nil)
	for blk := 0; blk < 3; blk++ {
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				big.Set(2*blk+i, 2*blk+j, q[i][j]*period)
			}
			if blk < 2 {
				big.Set(2*blk+i, 2*blk+2+i, reward[i]*period)
			}
		}
	}
	var e mat.Dense
	e.Exp(big)
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			mean += initial[i] * e.At(i, 2+j)
			second += initial[i] * e.At(i, 4+j)
		}
	}
	return mean, 2 * second
}

func TestDowntimeAgainstMatrixExponential(t *testing.T) {
	for _, f := range []FailureRepair{{720, 4}, {100, 1}, {10, 10}, {1, 3}, {8760, 0.5}} {
		avail := f.Availability()
		for _, period := range []float64{0.02, 0.5, 3, 24, 720, 8760} {
			x := period * (1/f.MTBF + 1/f.MTTR)
			if x < 0.05 {
				continue // the block exponential is only accurate to 1e-16 of its largest entry
			}
			for _, start := range []struct {
				name    string
				s       Start
				initial [2]float64
			}{{"up", StartUp, [2]float64{1, 0}}, {"stationary", StartStationary, [2]float64{avail, 1 - avail}}} {
				mean, second := vanLoan(f, period, start.initial, [2]float64{0, 1})
				variance := second - mean*mean
				if got := f.DowntimeMean(period, start.s); !near(got, mean, 1e-9) || math.Abs(got/mean-1) > 1e-9 {
					t.Errorf("%+v, T = %g, from %s: E[D] = %.15g, matrix exponential %.15g", f, period, start.name, got, mean)
				}
				if got := f.DowntimeVariance(period, start.s); math.Abs(got/variance-1) > 1e-7 {
					t.Errorf("%+v, T = %g, from %s: Var[D] = %.15g, matrix exponential %.15g", f, period, start.name, got, variance)
				}
				// Failures come at rate 1/MTBF while up.
				outages, _ := vanLoan(f, period, start.initial, [2]float64{1 / f.MTBF, 0})
				if got := f.OutagesMean(period, start.s); math.Abs(got/outages-1) > 1e-9 {
					t.Errorf("%+v, T = %g, from %s: E[failures] = %.15g, matrix exponential %.15g", f, period, start.name, got, outages)
				}
			}
		}
	}
}

// TestDowntimeShortAndLong checks the two ends: a period much shorter than
// an up time (from up, one failure at a uniform time at most, so E[D] ≈
// λT²/2 and E[D²] ≈ λT³/3) and much longer (Takács's asymptotic variance
// 2λμT/(λ+μ)³, the exponential case of DowntimeVarianceLimit).
func TestDowntimeShortAndLong(t *testing.T) {
	f := FailureRepair{MTBF: 500, MTTR: 2}
	l, s := 1/f.MTBF, 1/f.MTBF+1/f.MTTR
	for _, period := range []float64{1e-9, 1e-6, 1e-3} {
		// The next terms are of relative order sT.
		if got, want := f.DowntimeMean(period, StartUp), l*period*period/2; math.Abs(got/want-1) > s*period {
			t.Errorf("T = %g: E[D] from up %.15g, λT²/2 = %.15g", period, got, want)
		}
		if got, want := f.DowntimeVariance(period, StartUp), l*period*period*period/3; math.Abs(got/want-1) > s*period {
			t.Errorf("T = %g: Var[D] from up %.15g, λT³/3 = %.15g", period, got, want)
		}
	}
	// Both sides of x = 1, where the series hands over to the closed form.
	for _, start := range []Start{StartUp, StartStationary} {
		below, at := f.DowntimeVariance((1-1e-13)/s, start), f.DowntimeVariance(1/s, start)
		if math.Abs(below/at-1) > 1e-12 {
			t.Errorf("start %d: variance %.17g just below x = 1, %.17g at it", start, below, at)
		}
	}
	for _, start := range []Start{StartUp, StartStationary} {
		period := 1e7
		limit := f.DowntimeVarianceLimit(period, 1, 1)
		if got := f.DowntimeVariance(period, start); math.Abs(got/limit-1) > 1e-3 {
			t.Errorf("start %d, T = %g: Var[D] %.6g, Takács's limit %.6g", start, period, got, limit)
		}
		if got, want := f.DowntimeMean(period, start), (1-f.Availability())*period; math.Abs(got/want-1) > 1e-3 {
			t.Errorf("start %d, T = %g: E[D] %.6g, (1 − A)·T %.6g", start, period, got, want)
		}
	}
	// Takács's formula: deterministic repairs (cv 0) halve the variance of
	// exponential ones when the up time is the main source (m_u >> m_d).
	if got, want := f.DowntimeVarianceLimit(1000, 1, 0), 500.0*500*2*2*1/(502*502*502)*1000; !near(got, want, 1e-12) {
		t.Errorf("variance limit %g, want %g", got, want)
	}
}

func TestDowntimeEdges(t *testing.T) {
	f := FailureRepair{MTBF: 100, MTTR: 5}
	for _, start := range []Start{StartUp, StartStationary} {
		if f.DowntimeMean(0, start) != 0 || f.DowntimeVariance(0, start) != 0 || f.OutagesMean(0, start) != 0 {
			t.Errorf("start %d: an empty period has downtime", start)
		}
		perfect := FailureRepair{MTBF: 100, MTTR: 0}
		if perfect.Availability() != 1 || perfect.DowntimeMean(50, start) != 0 || perfect.DowntimeVariance(50, start) != 0 ||
			perfect.OutagesMean(50, start) != 0.5 {
			t.Errorf("start %d: instant repair: A %g, E[D] %g, Var %g, outages %g", start, perfect.Availability(),
				perfect.DowntimeMean(50, start), perfect.DowntimeVariance(50, start), perfect.OutagesMean(50, start))
		}
		// Downtime grows with the period, and the fresh start never has more.
		prev := 0.0
		for _, period := range []float64{0.1, 1, 10, 100, 1000} {
			d := f.DowntimeMean(period, start)
			if d < prev || f.DowntimeVariance(period, start) < 0 || f.DowntimeMean(period, StartUp) > f.DowntimeMean(period, StartStationary) {
				t.Errorf("start %d, T = %g: E[D] %g after %g", start, period, d, prev)
			}
			prev = d
		}
	}
	for _, bad := range []FailureRepair{{0, 1}, {-1, 1}, {math.Inf(1), 1}, {math.NaN(), 1}, {1, -1}, {1, math.Inf(1)}, {1, math.NaN()}} {
		if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: Validate() = %v", bad, err)
		}
		if !math.IsNaN(bad.Availability()) || !math.IsNaN(bad.DowntimeMean(1, StartUp)) || !math.IsNaN(bad.DowntimeVariance(1, StartUp)) ||
			!math.IsNaN(bad.DowntimeVarianceLimit(1, 1, 1)) || !math.IsNaN(bad.OutagesMean(1, StartUp)) {
			t.Errorf("%+v: want NaN", bad)
		}
	}
	for _, period := range []float64{-1, math.NaN(), math.Inf(1)} {
		if !math.IsNaN(f.DowntimeMean(period, StartUp)) || !math.IsNaN(f.DowntimeVariance(period, StartStationary)) {
			t.Errorf("period %g: want NaN", period)
		}
	}
	if !math.IsNaN(f.DowntimeMean(1, Start(7))) || !math.IsNaN(f.DowntimeVarianceLimit(1, -1, 1)) {
		t.Error("an unknown start or a negative cv should give NaN")
	}
}
