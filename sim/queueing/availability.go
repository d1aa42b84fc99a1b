package queueing

import (
	"fmt"
	"math"
)

// FailureRepair is a service that alternates between up and down: up for
// times of mean MTBF (from the end of one repair to the next failure), then
// down for repair times of mean MTTR, independently — the alternating
// renewal process of reliability theory.
//
// Availability holds for any distributions of the two times. The downtime
// moments assume exponential times, the two-state Markov process with
// failure rate λ = 1/MTBF and repair rate μ = 1/MTTR: with s = λ + μ,
// a = λ/s the long-run share of downtime, b = μ/s and x = sT, the downtime
// D in a period [0, T] has
//
//	starting in the long-run state:  E[D] = aT,  Var[D] = (2ab/s²)·g(x)
//	starting up:  E[D] = (a/s)·g(x),  Var[D] = (a²/s²)·k(x) + (2ab/s²)·h(x)
//
// with g(x) = x − 1 + e^{-x}, k(x) = 1 − 2x·e^{-x} − e^{-2x} and
// h(x) = x − 2 + (2 + x)·e^{-x}, from E[D²] = 2∫∫_{u<v} P(down at u and
// at v) du dv and P(down at v | down at u) = a + b·e^{-s(v−u)} (the
// occupation time of a two-state Markov process; L. Takács, "On certain
// sojourn time problems in the theory of stochastic processes", Acta Math.
// Acad. Sci. Hungar. 8, 1957). For small x the three functions are summed
// as their Taylor series, where the closed forms would cancel. As T grows
// the variance tends to Takács's 2λμT/s³, the exponential case of
// DowntimeVarianceLimit.
//
// Methods return NaN for parameters that Validate rejects, and for a
// period that is negative or not finite.
type FailureRepair struct {
	MTBF float64 // mean up time, > 0
	MTTR float64 // mean down (repair) time, >= 0
}

// Start is the state of a FailureRepair service when a period begins.
type Start int

const (
	// StartUp begins the period with the service just repaired or new.
	StartUp Start = iota
	// StartStationary begins it in the long-run state: down with
	// probability 1 − Availability, as a period picked at random in a
	// long life.
	StartStationary
)

// Validate reports why the parameters are outside the formulas' domain: a
// mean up time that is not positive and finite, or a mean repair time that
// is negative or not finite.
func (f FailureRepair) Validate() error {
	switch {
	case !(f.MTBF > 0) || math.IsInf(f.MTBF, 1):
		return fmt.Errorf("%w: MTBF %v, need a finite time > 0", ErrInvalid, f.MTBF)
	case !finiteNonNeg(f.MTTR):
		return fmt.Errorf("%w: MTTR %v, need a finite time >= 0", ErrInvalid, f.MTTR)
	}
	return nil
}

// Availability is the long-run share of time up, MTBF/(MTBF + MTTR), for
// any distributions of up and repair times (the renewal–reward theorem).
func (f FailureRepair) Availability() float64 {
	if f.Validate() != nil {
		return math.NaN()
	}
	return f.MTBF / (f.MTBF + f.MTTR)
}

// downtime is the two-state Markov process behind the downtime moments: a
// = λ/s, b = μ/s, s = λ + μ, and x = s·period. ok is false when the moments
// are not defined (invalid parameters, a negative or NaN period, an unknown
// start); idle is true when there is never downtime (no repair time or an
// empty period).
func (f FailureRepair) downtime(period float64, start Start) (a, b, s, x float64, ok, idle bool) {
	if f.Validate() != nil || !finiteNonNeg(period) || (start != StartUp && start != StartStationary) {
		return 0, 0, 0, 0, false, false
	}
	if f.MTTR == 0 || period == 0 {
		return 0, 0, 0, 0, true, true
	}
	a = f.MTTR / (f.MTBF + f.MTTR)
	b = f.MTBF / (f.MTBF + f.MTTR)
	s = 1/f.MTBF + 1/f.MTTR
	return a, b, s, s * period, true, false
}

// DowntimeMean is the mean total downtime in a period of the given length
// from the given start, with exponential up and repair times. From the
// long-run state it is (1 − Availability)·period for any distributions.
func (f FailureRepair) DowntimeMean(period float64, start Start) float64 {
	a, _, s, x, ok, idle := f.downtime(period, start)
	switch {
	case !ok:
		return math.NaN()
	case idle:
		return 0
	case start == StartStationary:
		return a * period
	}
	return a / s * occupationG(x)
}

// DowntimeVariance is the variance of the total downtime in a period of the
// given length from the given start, with exponential up and repair times.
func (f FailureRepair) DowntimeVariance(period float64, start Start) float64 {
	a, b, s, x, ok, idle := f.downtime(period, start)
	switch {
	case !ok:
		return math.NaN()
	case idle:
		return 0
	case start == StartStationary:
		return 2 * a * b / (s * s) * occupationG(x)
	}
	return (a*a*occupationK(x) + 2*a*b*occupationH(x)) / (s * s)
}

// OutagesMean is the mean number of failures in a period of the given
// length from the given start, with exponential up times: failures come at
// rate 1/MTBF while up, so it is (period − mean downtime)/MTBF.
func (f FailureRepair) OutagesMean(period float64, start Start) float64 {
	return (period - f.DowntimeMean(period, start)) / f.MTBF
}

// DowntimeVarianceLimit is the variance of the downtime in a long period
// for any distributions of up and repair times, given their coefficients of
// variation (standard deviation over mean; 1 for exponential times):
// Takács's (1957) asymptotic variance
//
//	Var[D(T)] ≈ (m_u²·σ_d² + m_d²·σ_u²)·T / (m_u + m_d)³
//
// with means m_u = MTBF, m_d = MTTR and standard deviations σ. The downtime
// is asymptotically normal with this variance and mean (1 − A)·T; the
// relative error is of order (MTBF + MTTR)/T.
func (f FailureRepair) DowntimeVarianceLimit(period, cvUp, cvDown float64) float64 {
	if f.Validate() != nil || !finiteNonNeg(period) || !finiteNonNeg(cvUp) || !finiteNonNeg(cvDown) {
		return math.NaN()
	}
	mu, md := f.MTBF, f.MTTR
	cycle := mu + md
	return (mu * mu * md * md * (cvDown*cvDown + cvUp*cvUp) / (cycle * cycle * cycle)) * period
}

// The functions of the downtime moments, by their Taylor series below
// x = 1 (terms c_m x^m/m! with c_m given) and in closed form above, where
// each loses at most one digit.

// occupationG is x − 1 + e^{-x}: c_m = (−1)^m for m >= 2.
func occupationG(x float64) float64 {
	if x >= 1 {
		return x - 1 + math.Exp(-x)
	}
	return taylor(x, 2, func(m float64) float64 { return 1 })
}

// occupationK is 1 − 2x·e^{-x} − e^{-2x}: c_m = (−1)^m (2m − 2^m), m >= 3.
func occupationK(x float64) float64 {
	if x >= 1 {
		return 1 - 2*x*math.Exp(-x) - math.Exp(-2*x)
	}
	return taylor(x, 3, func(m float64) float64 { return 2*m - math.Exp2(m) })
}

// occupationH is x − 2 + (2 + x)·e^{-x}: c_m = (−1)^m (2 − m), m >= 3.
func occupationH(x float64) float64 {
	if x >= 1 {
		return x - 2 + (2+x)*math.Exp(-x)
	}
	return taylor(x, 3, func(m float64) float64 { return 2 - m })
}

// taylor sums Σ_{m>=first} (−1)^m c(m) x^m/m! for 0 <= x < 1.
func taylor(x float64, first int, c func(m float64) float64) float64 {
	power := 1.0 // x^m/m!
	for m := 1; m < first; m++ {
		power *= x / float64(m)
	}
	var sum float64
	sign := 1.0
	if first%2 == 1 {
		sign = -1
	}
	for m := float64(first); m < 60; m++ {
		power *= x / m
		term := sign * c(m) * power
		sum += term
		if math.Abs(term) <= 1e-18*math.Abs(sum) {
			break
		}
		sign = -sign
	}
	return sum
}
