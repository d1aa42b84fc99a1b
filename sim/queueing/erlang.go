package queueing

import (
	"errors"
	"math"
)

func finiteNonNeg(x float64) bool { return x >= 0 && !math.IsInf(x, 1) }

// ErlangB is the probability that an arrival finds all servers busy in the
// loss system M/M/c/c with the given offered load in Erlangs. It is NaN for
// servers < 0 or a load that is negative or not finite.
func ErlangB(servers int, load float64) float64 {
	if servers < 0 || !finiteNonNeg(load) {
		return math.NaN()
	}
	b := 1.0
	for k := 1; k <= servers; k++ {
		b = load * b / (float64(k) + load*b)
	}
	return b
}

// ErlangC is the probability that an arrival to the M/M/c queue with the
// given number of servers and offered load (Erlangs) has to wait. It is 1
// when load >= servers (the queue is unstable and every arrival eventually
// waits), and NaN for servers < 1 or a load that is negative or not finite.
func ErlangC(servers int, load float64) float64 {
	if servers < 1 || !finiteNonNeg(load) {
		return math.NaN()
	}
	c := float64(servers)
	if load >= c {
		return 1
	}
	return erlangCFromB(ErlangB(servers, load), load/c)
}

// erlangCFromB is Erlang C from Erlang B for the same servers and load, at
// utilisation ρ < 1.
func erlangCFromB(b, rho float64) float64 { return b / (1 - rho*(1-b)) }

// MMc is the M/M/c queue served first come, first served: Poisson arrivals
// at ArrivalRate, exponential services at ServiceRate per server (the
// reciprocal of the mean service time), Servers identical servers and an
// unlimited queue. Rates are per unit of time; times are in that unit.
type MMc struct {
	Servers     int
	ArrivalRate float64
	ServiceRate float64
}

func (q MMc) valid() bool {
	return q.Servers >= 1 && finiteNonNeg(q.ArrivalRate) && q.ServiceRate > 0 && !math.IsInf(q.ServiceRate, 1)
}

// Load is the offered load in Erlangs, λ/μ (NaN if invalid).
func (q MMc) Load() float64 {
	if !q.valid() {
		return math.NaN()
	}
	return q.ArrivalRate / q.ServiceRate
}

// Utilisation is the share of server time spent serving, λ/(cμ); at or
// above 1 the queue is unstable.
func (q MMc) Utilisation() float64 { return q.Load() / float64(q.Servers) }

// Stable reports whether the queue has a steady state (load < servers).
func (q MMc) Stable() bool { return q.Utilisation() < 1 }

// ProbWait is the probability that an arrival waits (Erlang C).
func (q MMc) ProbWait() float64 { return ErlangC(q.Servers, q.Load()) }

// ProbEmpty is the probability that the system is empty, every server
// idle: π₀ = (1-C) / Σ_{k<c} aᵏ/k!, the states below c being Poisson
// weighted. It is 0 for an unstable queue, NaN for invalid parameters.
func (q MMc) ProbEmpty() float64 {
	if !q.valid() {
		return math.NaN()
	}
	if !q.Stable() {
		return 0
	}
	a := q.Load()
	if a == 0 {
		return 1
	}
	// The sum in logarithms, scaled by its largest term.
	logTerm := func(k int) float64 { lg, _ := math.Lgamma(float64(k + 1)); return float64(k)*math.Log(a) - lg }
	top := math.Inf(-1)
	for k := range q.Servers {
		top = max(top, logTerm(k))
	}
	var sum float64
	for k := range q.Servers {
		sum += math.Exp(logTerm(k) - top)
	}
	return (1 - q.ProbWait()) * math.Exp(-top) / sum
}

// decay is the rate cμ - λ at which the tail of the wait decays.
func (q MMc) decay() float64 {
	return float64(q.Servers)*q.ServiceRate - q.ArrivalRate
}

// WaitAtMost is the probability that an arrival waits at most t before its
// service starts: 1 - C·exp(-(cμ-λ)t), the service level "X% answered
// within t". It is 0 for t < 0 and for an unstable queue (1 if t is +Inf),
// NaN for invalid parameters or a NaN t.
func (q MMc) WaitAtMost(t float64) float64 {
	if !q.valid() || math.IsNaN(t) {
		return math.NaN()
	}
	switch {
	case t < 0:
		return 0
	case math.IsInf(t, 1):
		return 1
	case !q.Stable():
		return 0
	}
	return 1 - q.ProbWait()*math.Exp(-q.decay()*t)
}

// MeanWait is the mean time an arrival waits before its service starts,
// C/(cμ-λ); +Inf for an unstable queue, NaN for invalid parameters.
func (q MMc) MeanWait() float64 {
	if !q.valid() {
		return math.NaN()
	}
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.ProbWait() / q.decay()
}

// MeanResponse is the mean time in system, MeanWait + 1/μ.
func (q MMc) MeanResponse() float64 { return q.MeanWait() + 1/q.ServiceRate }

// SojournAtMost is the probability that an arrival is done within t of
// arriving, its wait and its service together: P(W + S <= t). With θ = cμ
// - λ, a wait that is 0 with probability 1 - C and otherwise exponential at
// rate θ, and an independent exponential service at rate μ,
//
//	P(W + S > t) = e^{-μt}·(1 + C·μ·(1 - e^{-(θ-μ)t})/(θ - μ))
//
// whose last factor tends to t as θ approaches μ (computed with expm1, so
// that it keeps its digits there). It is 0 for t < 0 and for an unstable
// queue, 1 for t = +Inf, NaN for invalid parameters or a NaN t.
func (q MMc) SojournAtMost(t float64) float64 {
	if !q.valid() || math.IsNaN(t) {
		return math.NaN()
	}
	switch {
	case t < 0:
		return 0
	case math.IsInf(t, 1):
		return 1
	case !q.Stable():
		return 0
	}
	mu, d := q.ServiceRate, q.decay()-q.ServiceRate
	// (1 - e^{-dt})/d, which is t at d = 0.
	spread := t
	if x := d * t; x != 0 {
		spread = -math.Expm1(-x) / d
	}
	return 1 - math.Exp(-mu*t)*(1+q.ProbWait()*mu*spread)
}

// MeanQueueLength is the time-average number waiting, λ·E[W] (Little).
func (q MMc) MeanQueueLength() float64 {
	return q.ArrivalRate * q.MeanWait()
}

// WaitQuantile is the p-quantile of the waiting time (0 <= p < 1): the
// smallest t with WaitAtMost(t) >= p, which is 0 when at least a share p of
// arrivals does not wait. It is +Inf for an unstable queue or p = 1, NaN for
// invalid parameters or p outside [0, 1].
func (q MMc) WaitQuantile(p float64) float64 {
	if !q.valid() || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	if !q.Stable() || p == 1 {
		return math.Inf(1)
	}
	c := q.ProbWait()
	if c <= 1-p {
		return 0
	}
	return math.Log(c/(1-p)) / q.decay()
}

// ErrInvalid reports parameters outside a formula's domain.
var ErrInvalid = errors.New("queueing: invalid parameters")

// ServersFor is the smallest number of servers for which the M/M/c queue
// with the given arrival and service rates answers at least a share level of
// arrivals within t (WaitAtMost(t) >= level): the Erlang C staffing
// estimate, before shrinkage or occupancy caps. It needs an arrival rate
// >= 0, a service rate > 0, t >= 0 and 0 < level < 1, and returns
// ErrInvalid otherwise. With no arrivals it returns 1.
func ServersFor(arrivalRate, serviceRate, t, level float64) (int, error) {
	q := MMc{Servers: 1, ArrivalRate: arrivalRate, ServiceRate: serviceRate}
	if !q.valid() || !finiteNonNeg(t) || !(level > 0 && level < 1) {
		return 0, ErrInvalid
	}
	a := q.Load()
	if a >= math.MaxInt32 {
		return 0, ErrInvalid
	}
	// The smallest stable staffing, then upward: WaitAtMost grows with the
	// number of servers and tends to 1, so the loop ends; for large loads
	// the answer is within a few √a of a. Erlang B is carried from one
	// count to the next by its recursion, so the search costs O(a) in all.
	c := max(1, int(math.Floor(a))+1)
	b := ErlangB(c, a)
	for {
		decay := float64(c)*serviceRate - arrivalRate
		if 1-erlangCFromB(b, a/float64(c))*math.Exp(-decay*t) >= level {
			return c, nil
		}
		c++
		b = a * b / (float64(c) + a*b)
	}
}
