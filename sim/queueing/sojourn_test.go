package queueing

import (
	"math"
	"testing"
)

// The convolution of a wait with an exponential service, checked where the
// answer is known in closed form: Erlang C's sojourn P(W + S <= t) from its
// wait, which is Erlang A without abandonment and M/M/c/K with an endless
// room; a loss system's admitted customers, who are done when their
// service is; and Erlang A at θ = μ, where a caller leaves at rate μ
// whether waiting or served.
func TestSojourn(t *testing.T) {
	for _, q := range []MMc{{1, 0.5, 1}, {10, 9, 1}, {10, 9.9, 1}, {50, 45, 6}, {1000, 950, 6}, {3, 1, 0.25}} {
		// P(W <= t) = 1 − C·e^{-(cμ − λ)t}, C computed once.
		c, decay := q.ProbWait(), float64(q.Servers)*q.ServiceRate-q.ArrivalRate
		wait := func(t float64) float64 { return 1 - c*math.Exp(-decay*t) }
		for _, target := range []float64{0.01, 0.5, 1, 4, 24} {
			want := q.SojournAtMost(target)
			if got := sojourn(q.ServiceRate, target, wait); math.Abs(got-want) > 1e-10 {
				t.Errorf("M/M/%d at %v/%v within %vh: convolved %.12f, Erlang C %.12f", q.Servers, q.ArrivalRate, q.ServiceRate, target, got, want)
			}
			room := MMcK{q.Servers, q.Servers + 5000, q.ArrivalRate, q.ServiceRate}
			if got := room.SojournAtMost(target); math.Abs(got-want) > 1e-10 {
				t.Errorf("M/M/%d/%d within %vh: %.12f, Erlang C %.12f", q.Servers, room.Capacity, target, got, want)
			}
			loss := MMcK{q.Servers, q.Servers, q.ArrivalRate, q.ServiceRate}
			if got, want := loss.SojournAtMost(target), -math.Expm1(-q.ServiceRate*target); math.Abs(got-want) > 1e-10 {
				t.Errorf("M/M/%d/%d within %vh: %.12f, the service alone %.12f", q.Servers, q.Servers, target, got, want)
			}
		}
	}
	// θ = μ: a caller leaves at rate μ from arrival on, hanging up while
	// waiting or done while served, so that its time in the system is
	// exponential of rate μ; those leaving by t unserved are the callers
	// who hung up by t, P(W <= t) − P(served, W <= t).
	for _, q := range []MMcM{{10, 9, 1, 1}, {10, 12, 1, 1}, {50, 48, 1, 1}, {3, 0.5, 6, 6}} {
		for _, target := range []float64{0.1, 0.5, 1, 2, 8} {
			abandoned := q.WaitAtMost(target) - q.AnsweredWithin(target)
			want := -math.Expm1(-q.ServiceRate*target) - abandoned
			if got := q.ServedSojournAtMost(target); math.Abs(got-want) > 1e-10 {
				t.Errorf("M/M/%d+M at %v/%v, θ = μ, within %v: %.12f, want %.12f", q.Servers, q.ArrivalRate, q.ServiceRate, target, got, want)
			}
		}
		if got := q.ServedSojournAtMost(math.Inf(1)); got != q.ProbServed() {
			t.Errorf("within ever: %v, P(served) %v", got, q.ProbServed())
		}
	}
}
