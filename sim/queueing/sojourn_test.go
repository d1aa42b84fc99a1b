package queueing

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
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

// sojournUniformized follows a customer from arrival to the end of its
// service by uniformization of its own chain: waiting with j others ahead
// (they go at rate cμ + jθ, the customer itself hangs up at rate θ), then
// in service (done at rate μ). start[j] is the chance of arriving with j
// ahead, inService that of being served at once. It returns P(done by t)
// for each t: an independent check of the convolution in sojourn.
func sojournUniformized(c int, mu, theta float64, start []float64, inService float64, ts []float64) []float64 {
	rate := float64(c)*mu + float64(len(start))*theta
	v, next := append([]float64(nil), start...), make([]float64, len(start))
	service, done := inService, []float64{0}
	steps := int(rate*slices.Max(ts) + 20*math.Sqrt(rate*slices.Max(ts)) + 100)
	for range steps {
		clear(next)
		nextService := service * (1 - mu/rate)
		finished := done[len(done)-1] + service*mu/rate
		for j, x := range v {
			progress := (float64(c)*mu + float64(j)*theta) / rate
			if j == 0 {
				nextService += x * progress
			} else {
				next[j-1] += x * progress
			}
			next[j] += x * (1 - progress - theta/rate)
		}
		v, next, service = next, v, nextService
		done = append(done, finished)
	}
	var within []float64
	for _, t := range ts {
		var p float64
		if t > 0 {
			for i, d := range done {
				p += distuv.Poisson{Lambda: rate * t}.Prob(float64(i)) * d
			}
		}
		within = append(within, p)
	}
	return within
}

// TestSojournAgainstChain checks MMcM.ServedSojournAtMost and
// MMcK.SojournAtMost against the uniformized chain of a customer's wait and
// service, at the edges planners reach: one agent, overload with patience,
// patience from a thousandth of a service to ten million services (where
// Erlang A is Erlang C), a thousand agents, no room to wait and long rooms,
// and targets from a millionth of a service to many.
func TestSojournAgainstChain(t *testing.T) {
	targets := func(mu float64) []float64 { return []float64{1e-6 / mu, 0.1 / mu, 1 / mu, 3 / mu, 10 / mu} }
	for _, q := range []MMcM{
		{1, 0.5, 1, 1}, {1, 3, 1, 0.2}, {10, 9, 1, 1}, {10, 30, 1, 2}, {10, 12, 1, 0.1},
		{10, 9, 1, 1e3}, {10, 9, 1, 1e-7}, {100, 90, 1, 1e-7}, {1, 0.5, 1, 1e-6}, {50, 45, 1, 1e-4},
		{1000, 950, 1, 0.5}, {1000, 1100, 1, 1},
	} {
		p := erlangAChain(q)
		var immediate float64
		for _, pj := range p[:q.Servers] {
			immediate += pj
		}
		ts := targets(q.ServiceRate)
		want := sojournUniformized(q.Servers, q.ServiceRate, q.AbandonRate, p[q.Servers:], immediate, ts)
		for i, x := range ts {
			if got := q.ServedSojournAtMost(x); !near(got, want[i], 1e-9) {
				t.Errorf("%+v: P(served, W + S <= %g) = %.15g, uniformized chain %.15g", q, x, got, want[i])
			}
		}
	}
	for _, q := range []MMcK{
		{1, 1, 0.5, 1}, {1, 2, 3, 1}, {10, 10, 12, 1}, {10, 11, 9, 1}, {10, 60, 9.9, 1}, {10, 60, 30, 1},
		{5, 2000, 4.5, 1}, {1000, 1000, 950, 1}, {1000, 1200, 1100, 1},
	} {
		p := mmckChain(q)
		admitted := 1 - p[q.Capacity]
		start := make([]float64, q.Capacity-q.Servers)
		for j := range start {
			start[j] = p[q.Servers+j] / admitted
		}
		var immediate float64
		for _, pj := range p[:q.Servers] {
			immediate += pj / admitted
		}
		ts := targets(q.ServiceRate)
		want := sojournUniformized(q.Servers, q.ServiceRate, 0, start, immediate, ts)
		for i, x := range ts {
			if got := q.SojournAtMost(x); !near(got, want[i], 1e-9) {
				t.Errorf("%+v: P(W + S <= %g | admitted) = %.15g, uniformized chain %.15g", q, x, got, want[i])
			}
		}
	}
}
