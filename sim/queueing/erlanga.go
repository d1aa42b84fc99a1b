package queueing

import (
	"fmt"
	"math"
)

// MaxPatienceScale bounds the two sizes that set the cost of the Erlang A
// formulas, c·μ/θ and λ/θ (servers times mean patience over mean service
// time, and arrivals during one mean patience): their series take about
// 9·√(size) terms at worst. Beyond it abandonment is so slow that the queue
// is Erlang C's (AbandonRate 0) where that is stable.
const MaxPatienceScale = 1e9

// MMcM is the Erlang A queue M/M/c+M, Palm's model: Poisson arrivals at
// ArrivalRate, exponential services at ServiceRate per server, Servers
// identical servers, first come first served, and callers who hang up when
// their wait exceeds an exponential patience of mean 1/AbandonRate
// (AbandonRate 0: nobody hangs up, and MMcM is MMc). Abandonment keeps the
// queue stable at any load, so every figure is finite even when the load
// exceeds the servers.
//
// With a = λ/μ, ρ = λ/(cμ), x = cμ/θ, y = λ/θ, B the Erlang B probability
// B(c, a) and P(x, y) = γ(x, y)/Γ(x) the regularised lower incomplete gamma
// function, the formulas are those of A. Mandelbaum and S. Zeltyn, "The
// Palm/Erlang-A queue, with applications to call centers" (2007), and O.
// Garnett, A. Mandelbaum and M. Reiman, "Designing a call center with
// impatient customers", MSOM 4(3), 2002:
//
//	A = x·e^y·y^-x·γ(x, y)                  (= Σ_j y^j / Π_{k=1..j}(x+k))
//	P(W > 0) = A·B / (1 + (A − 1)·B)
//	P(Ab | W > 0) = 1/(ρA) + 1 − 1/ρ        (= E[Q | W > 0]/y)
//	P(Ab) = θ·E[W],  E[Q] = λ·E[W]
//	P(V > t | V > 0) = P(x, y·e^{-θt}) / P(x, y)
//
// where V is the offered wait (the wait of a caller who would never hang
// up) and W = min(V, patience) the time actually spent waiting. A caller
// who finds k others waiting is served with probability x/(x+k+1) and, if
// served, has waited Σ_{j=1..k+1} 1/(θ(x+j)) on average; summing over the
// queue gives the mean wait of served callers. Each quantity is computed
// in log space from the terms of the series of A (see scanPoissonTail)
// rather than from factorials and differences, so that it keeps its digits
// for any number of servers and any load (the tests compare it with the
// birth–death chain solved numerically, to 1e-10).
//
// Methods return NaN for parameters that Validate rejects.
type MMcM struct {
	Servers     int
	ArrivalRate float64
	ServiceRate float64
	AbandonRate float64
}

// Validate reports why the parameters are outside the formulas' domain:
// fewer than one server, a negative or non-finite rate, a service rate that
// is not positive, or c·μ/θ or λ/θ beyond MaxPatienceScale.
func (q MMcM) Validate() error {
	switch {
	case q.Servers < 1:
		return fmt.Errorf("%w: %d servers, need at least 1", ErrInvalid, q.Servers)
	case !finiteNonNeg(q.ArrivalRate):
		return fmt.Errorf("%w: arrival rate %v, need a finite rate >= 0", ErrInvalid, q.ArrivalRate)
	case !(q.ServiceRate > 0) || math.IsInf(q.ServiceRate, 1):
		return fmt.Errorf("%w: service rate %v, need a finite rate > 0", ErrInvalid, q.ServiceRate)
	case !finiteNonNeg(q.AbandonRate):
		return fmt.Errorf("%w: abandonment rate %v, need a finite rate >= 0", ErrInvalid, q.AbandonRate)
	}
	if q.AbandonRate > 0 {
		x, y := q.scales()
		if !(x <= MaxPatienceScale && y <= MaxPatienceScale) {
			return fmt.Errorf("%w: patience too long for the Erlang A series (servers·service rate/abandonment rate %.3g, arrival rate/abandonment rate %.3g, at most %g each): use abandonment rate 0 (Erlang C)",
				ErrInvalid, x, y, float64(MaxPatienceScale))
		}
	}
	return nil
}

func (q MMcM) scales() (x, y float64) {
	return float64(q.Servers) * q.ServiceRate / q.AbandonRate, q.ArrivalRate / q.AbandonRate
}

func (q MMcM) erlangC() MMc { return MMc{q.Servers, q.ArrivalRate, q.ServiceRate} }

// Load is the offered load in Erlangs, λ/μ (NaN if invalid).
func (q MMcM) Load() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	return q.ArrivalRate / q.ServiceRate
}

// erlangA is the state every Erlang A measure is derived from.
type erlangA struct {
	x, y  float64
	wait  float64     // P(W > 0)
	idle  float64     // P(W = 0), formed apart so that it keeps its digits when tiny
	queue poissonTail // the series of A, at (x, y)
}

// solve evaluates the series of A once. ok is false when the queue is
// degenerate (nobody abandons or nobody arrives) and the caller must use the
// Erlang C or empty-queue value.
func (q MMcM) solve() (s erlangA, ok bool) {
	if q.AbandonRate == 0 || q.ArrivalRate == 0 {
		return s, false
	}
	s.x, s.y = q.scales()
	s.queue = scanPoissonTail(s.x, s.y)
	// ln A = ln P(x, y) − ln p(x); P(W > 0) = 1/(1 + (1/B − 1)/A).
	logA := s.queue.logSum - logPoisson(s.x, s.y)
	if s.queue.peak == 0 {
		logA = s.queue.logTerms // the same without the difference of two large logs
	}
	logB := logErlangB(q.Servers, q.ArrivalRate/q.ServiceRate)
	logIdle := math.Log1p(-math.Exp(logB)) - logB
	r := math.Exp(logIdle - logA)
	s.wait, s.idle = 1/(1+r), r/(1+r)
	if math.IsInf(r, 1) {
		s.idle = 1
	}
	return s, true
}

// ProbWait is the probability that an arrival finds every server busy and
// waits, P(W > 0).
func (q MMcM) ProbWait() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	s, ok := q.solve()
	if !ok {
		return q.erlangC().ProbWait()
	}
	return s.wait
}

// ProbAbandonGivenWait is the probability that a caller who has to wait
// hangs up before being served, P(Ab | W > 0). It is 0 when nobody
// abandons, and with no arrivals it is the limit θ/(cμ + θ) of a lone
// caller who finds every server busy.
func (q MMcM) ProbAbandonGivenWait() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	s, ok := q.solve()
	switch {
	case q.AbandonRate == 0:
		return 0
	case !ok:
		return q.AbandonRate / (float64(q.Servers)*q.ServiceRate + q.AbandonRate)
	}
	return s.queue.mean / s.y
}

// ProbAbandon is the share of callers who hang up before being served,
// P(Ab) = P(W > 0)·P(Ab | W > 0).
func (q MMcM) ProbAbandon() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	s, ok := q.solve()
	if !ok {
		return 0
	}
	return s.wait * s.queue.mean / s.y
}

// ProbServed is the share of callers who are served, 1 − P(Ab).
func (q MMcM) ProbServed() float64 { return 1 - q.ProbAbandon() }

// Throughput is the rate at which callers are served, λ·(1 − P(Ab)); with
// nobody abandoning and the queue unstable, it is the capacity c·μ.
func (q MMcM) Throughput() float64 {
	if q.Validate() == nil && q.AbandonRate == 0 && !q.erlangC().Stable() {
		return float64(q.Servers) * q.ServiceRate
	}
	return q.ArrivalRate * q.ProbServed()
}

// Occupancy is the share of server time spent serving, the throughput over
// the capacity c·μ; unlike Erlang C's λ/(cμ) it stays below 1 in overload
// (rounding is kept from pushing it above).
func (q MMcM) Occupancy() float64 {
	return min(1, q.Throughput()/(float64(q.Servers)*q.ServiceRate))
}

// MeanWait is the mean time an arrival spends waiting, whether it is then
// served or hangs up: E[W] = P(Ab)/θ (Erlang C's mean wait when nobody
// abandons, +Inf if that queue is unstable).
func (q MMcM) MeanWait() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	s, ok := q.solve()
	if !ok {
		return q.erlangC().MeanWait()
	}
	return s.wait * s.queue.mean / s.y / q.AbandonRate
}

// MeanQueueLength is the time-average number waiting, λ·E[W] (Little).
func (q MMcM) MeanQueueLength() float64 {
	if q.AbandonRate == 0 {
		return q.erlangC().MeanQueueLength()
	}
	return q.ArrivalRate * q.MeanWait()
}

// MeanServedWait is the mean wait of the callers who are served, E[W |
// served]: the average speed of answer of call-centre reports. With no
// arrivals it is 0.
func (q MMcM) MeanServedWait() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	s, ok := q.solve()
	if !ok {
		return q.erlangC().MeanWait()
	}
	// E[W·1{served} | W > 0] = (x/(θy))·Σ_k π_k H_k over the queue
	// distribution π; divided by P(served).
	servedWait := s.wait * s.x / (q.AbandonRate * s.y) * s.queue.harmonic
	return servedWait / (1 - s.wait*s.queue.mean/s.y)
}

// WaitAtMost is the probability that an arrival waits at most t, whether it
// is then served or hangs up: P(W <= t) = 1 − P(V > t)·e^{-θt}. It is 0 for
// t < 0, 1 for t = +Inf, NaN for invalid parameters or a NaN t.
func (q MMcM) WaitAtMost(t float64) float64 {
	if q.Validate() != nil || math.IsNaN(t) {
		return math.NaN()
	}
	if t < 0 {
		return 0
	}
	s, ok := q.solve()
	if !ok {
		return q.erlangC().WaitAtMost(t)
	}
	return 1 - s.wait*q.offeredTail(s, t)*math.Exp(-q.AbandonRate*t)
}

// offeredTail is P(V > t | V > 0) = P(x, y·e^{-θt}) / P(x, y).
func (q MMcM) offeredTail(s erlangA, t float64) float64 {
	return math.Exp(logTailRatio(s.x, s.y, q.AbandonRate*t, s.queue))
}

// AnsweredWithin is the share of all arrivals that are served after a wait
// of at most t, P(served, W <= t): the service level of a call centre that
// counts abandoned calls as failures. Among the served it is
// AnsweredWithin(t)/ProbServed(). It is 0 for t < 0, ProbServed() for
// t = +Inf, NaN for invalid parameters or a NaN t.
//
// From the density of V, P(served, V > t | V > 0) =
// (x/y)·P(x+1, y·e^{-θt}) / P(x, y).
func (q MMcM) AnsweredWithin(t float64) float64 {
	if q.Validate() != nil || math.IsNaN(t) {
		return math.NaN()
	}
	return q.answeredWithin()(t)
}

// answeredWithin is AnsweredWithin of a valid queue as a function of t,
// what does not depend on t computed once.
func (q MMcM) answeredWithin() func(t float64) float64 {
	s, ok := q.solve()
	if !ok {
		return q.erlangC().WaitAtMost
	}
	// P(served | W > 0)·P(V <= t | served, W > 0), the second as
	// 1 − P(x+1, y·e^{-θt})/P(x+1, y) without cancellation for small t.
	all := scanPoissonTail(s.x+1, s.y)
	served := s.x / s.y * math.Exp(logNextTailRatio(s.x, s.y, all, s.queue))
	return func(t float64) float64 {
		if t < 0 {
			return 0
		}
		late := logTailRatio(s.x+1, s.y, q.AbandonRate*t, all)
		return s.idle + s.wait*served*-math.Expm1(min(late, 0))
	}
}
