package queueing

import (
	"math"
	"testing"
)

// moments integrates the distribution DowntimeAtMost gives: E[D] =
// ∫_0^T P(D > d) dd and E[D²] = 2∫_0^T d·P(D > d) dd, by Simpson's rule on
// n intervals over [0, top], beyond which P(D > d) must be negligible, or
// [0, T]; P(D > d) is smooth inside (0, T), with atoms at 0 and T.
func moments(f FailureRepair, period, top float64, start Start, n int) (mean, second float64) {
	top = min(top, period)
	h := top / float64(n)
	for i := 0; i <= n; i++ {
		d := float64(i) * h
		tail := 1 - f.DowntimeAtMost(period, d, start)
		if i == n && top == period {
			// Just below T: the atom at T (down throughout) counts.
			tail = 1 - f.DowntimeAtMost(period, d*(1-1e-12), start)
		}
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		mean += w * tail
		second += w * 2 * d * tail
	}
	return mean * h / 3, second * h / 3
}

// TestDowntimeDistributionMoments checks the uniformized distribution
// against the closed-form mean and variance (themselves checked against
// Van Loan's matrix exponential): integrating one reproduces the others.
func TestDowntimeDistributionMoments(t *testing.T) {
	for _, c := range []struct {
		f      FailureRepair
		period float64
	}{
		{FailureRepair{100, 4}, 720},
		{FailureRepair{10, 10}, 24},
		{FailureRepair{1, 3}, 5},
		{FailureRepair{720, 2}, 720},
		{FailureRepair{8760, 0.5}, 200},
	} {
		for _, start := range []Start{StartUp, StartStationary} {
			wantMean := c.f.DowntimeMean(c.period, start)
			wantVar := c.f.DowntimeVariance(c.period, start)
			// Far beyond the mean the tail is below 1e-12: the downtime is
			// at most the sum of the repairs begun, light-tailed.
			top := wantMean + 30*math.Sqrt(wantVar) + 30*c.f.MTTR
			// Simpson's error falls as n⁻⁴: Richardson's extrapolation
			// from n and 2n leaves an error of order n⁻⁶.
			m1, s1 := moments(c.f, c.period, top, start, 200)
			m2, s2 := moments(c.f, c.period, top, start, 400)
			mean, second := (16*m2-m1)/15, (16*s2-s1)/15
			if math.Abs(mean-wantMean) > 1e-8*wantMean {
				t.Errorf("%+v, T = %g, start %d: ∫P(D > d) = %.9g, E[D] = %.9g", c.f, c.period, start, mean, wantMean)
			}
			if v := second - mean*mean; math.Abs(v-wantVar) > 1e-7*wantVar {
				t.Errorf("%+v, T = %g, start %d: variance from the distribution %.9g, closed form %.9g", c.f, c.period, start, v, wantVar)
			}
		}
	}
}

// TestDowntimeDistributionAtoms checks the atoms: no failure in the period
// (from up, e^{-λT}; from the long-run state, A·e^{-λT}) and, from the
// long-run state, down throughout (the rest of the mass at T).
func TestDowntimeDistributionAtoms(t *testing.T) {
	f := FailureRepair{MTBF: 50, MTTR: 5}
	for _, period := range []float64{1, 24, 200} {
		none := math.Exp(-period / f.MTBF)
		if got := f.DowntimeAtMost(period, 0, StartUp); math.Abs(got-none) > 1e-12 {
			t.Errorf("T = %g: P(D = 0) from up %.15g, e^{-λT} %.15g", period, got, none)
		}
		if got, want := f.DowntimeAtMost(period, 0, StartStationary), f.Availability()*none; math.Abs(got-want) > 1e-12 {
			t.Errorf("T = %g: P(D = 0) from the long-run state %.15g, A·e^{-λT} %.15g", period, got, want)
		}
		throughout := (1 - f.Availability()) * math.Exp(-period/f.MTTR)
		if got := 1 - f.DowntimeAtMost(period, period*(1-1e-12), StartStationary); math.Abs(got-throughout) > 1e-12 {
			t.Errorf("T = %g: P(D = T) %.15g, (1 − A)·e^{-μT} %.15g", period, got, throughout)
		}
	}
}

func TestDowntimeDistributionShape(t *testing.T) {
	f := FailureRepair{MTBF: 100, MTTR: 4}
	prev := 0.0
	for d := 0.0; d <= 200; d += 2 {
		p := f.DowntimeAtMost(720, d, StartStationary)
		if p < prev-1e-13 || p > 1 {
			t.Fatalf("P(D <= %g) = %.15g after %.15g", d, p, prev)
		}
		prev = p
	}
	if prev < 1-1e-9 {
		t.Errorf("P(D <= 200 h) = %g in a month with 27.7 h expected (sd 14 h): the tail is too heavy", prev)
	}
	for _, c := range []struct {
		period, d, want float64
	}{{720, -1, 0}, {720, 720, 1}, {720, 1e9, 1}, {0, 0, 1}} {
		if got := f.DowntimeAtMost(c.period, c.d, StartUp); got != c.want {
			t.Errorf("P(D <= %g) in %g = %g, want %g", c.d, c.period, got, c.want)
		}
	}
	if got := (FailureRepair{MTBF: 10, MTTR: 0}).DowntimeAtMost(100, 0, StartUp); got != 1 {
		t.Errorf("instant repairs: P(D = 0) = %g", got)
	}
	for _, bad := range []float64{
		FailureRepair{MTBF: 0, MTTR: 1}.DowntimeAtMost(1, 0.5, StartUp),
		f.DowntimeAtMost(-1, 0, StartUp),
		f.DowntimeAtMost(math.Inf(1), 0, StartUp),
		f.DowntimeAtMost(10, math.NaN(), StartUp),
		f.DowntimeAtMost(10, 1, Start(9)),
		FailureRepair{MTBF: 1, MTTR: 1e-3}.DowntimeAtMost(1e3, 0.1, StartUp), // 1e6 epochs
	} {
		if !math.IsNaN(bad) {
			t.Errorf("want NaN, got %g", bad)
		}
	}
}

// TestDowntimeDistributionLevels gives the figure a contract asks for: the
// chance that a month (720 h) of a service failing every 100 h on average
// and repaired in 1 h meets 99% and 99.9% availability, which the central
// limit (mean 7.13 h, sd 3.2 h) puts near 0.5 and 0.003.
func TestDowntimeDistributionLevels(t *testing.T) {
	f := FailureRepair{MTBF: 100, MTTR: 1}
	mean, sd := f.DowntimeMean(720, StartStationary), math.Sqrt(f.DowntimeVariance(720, StartStationary))
	for _, level := range []float64{0.99, 0.999} {
		d := (1 - level) * 720
		p := f.DowntimeAtMost(720, d, StartStationary)
		normal := 0.5 * math.Erfc(-(d-mean)/sd/math.Sqrt2)
		if math.Abs(p-normal) > 0.08 {
			t.Errorf("level %g: P(meets) %.4f, normal approximation %.4f", level, p, normal)
		}
	}
}
