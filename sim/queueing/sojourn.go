package queueing

import "math"

// ServedSojournAtMost is the probability that a caller is served and done
// within t of arriving, P(served, W + S <= t): the resolution clock of
// Erlang A, whose callers who hang up are never done. Among the served it
// is ServedSojournAtMost(t)/ProbServed(). It is 0 for t <= 0, ProbServed()
// for t = +Inf, NaN for invalid parameters or a NaN t.
//
// With F(w) = AnsweredWithin(w) and the service S exponential of rate μ and
// independent of the wait, P(served, W + S <= t) = ∫ F'(w)·(1 − e^{-μ(t−w)})
// dw over [0, t], the atom F(0) of callers served at once included, which
// integration by parts turns into μ∫ e^{-μ(t−w)}·F(w) dw (see sojourn).
func (q MMcM) ServedSojournAtMost(t float64) float64 {
	if q.Validate() != nil || math.IsNaN(t) {
		return math.NaN()
	}
	if math.IsInf(t, 1) {
		return q.ProbServed()
	}
	// Kept within P(served), rounding apart, so that the share among the
	// served never exceeds 1.
	return min(sojourn(q.ServiceRate, t, q.answeredWithin()), q.ProbServed())
}

// sojourn is P(W + S <= t) for a wait W with distribution function F
// (defective where some never start service) and an independent
// exponential service S of rate mu: μ∫_0^t e^{-μ(t−w)}·F(w) dw. The part
// of the integral more than 40 mean services before t weighs less than
// e^{-40} and is left out; the rest is integrated by adaptive Simpson's
// rule to 1e-12, from 64 panels so that no feature of F on the scale of a
// service is stepped over.
func sojourn(mu, t float64, f func(float64) float64) float64 {
	if !(t > 0) {
		return 0
	}
	lo := max(0, t-40/mu)
	g := func(w float64) float64 { return mu * math.Exp(-mu*(t-w)) * f(w) }
	const panels = 64
	h := (t - lo) / panels
	var sum float64
	for i := range panels {
		a, b := lo+float64(i)*h, lo+float64(i+1)*h
		if i == panels-1 {
			b = t
		}
		sum += simpson(g, a, b, 1e-12/panels)
	}
	return min(max(sum, 0), 1)
}

// simpson integrates f over [a, b] by adaptive Simpson's rule to an
// absolute error of about tol.
func simpson(f func(float64) float64, a, b, tol float64) float64 {
	fa, fm, fb := f(a), f((a+b)/2), f(b)
	return simpsonStep(f, a, b, fa, fm, fb, (b-a)/6*(fa+4*fm+fb), tol, 40)
}

func simpsonStep(f func(float64) float64, a, b, fa, fm, fb, whole, tol float64, depth int) float64 {
	m := (a + b) / 2
	flm, frm := f((a+m)/2), f((m+b)/2)
	left, right := (m-a)/6*(fa+4*flm+fm), (b-m)/6*(fm+4*frm+fb)
	if depth == 0 || math.Abs(left+right-whole) <= 15*tol {
		return left + right + (left+right-whole)/15
	}
	return simpsonStep(f, a, m, fa, flm, fm, left, tol/2, depth-1) + simpsonStep(f, m, b, fm, frm, fb, right, tol/2, depth-1)
}
