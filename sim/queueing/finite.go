package queueing

import (
	"fmt"
	"math"
)

// MMcK is the M/M/c/K queue: as MMc, but with room for at most Capacity
// customers in the system, Servers in service and Capacity − Servers
// waiting; an arrival that finds it full is blocked and lost (a busy
// signal, a full ticket queue). Capacity == Servers is the loss system
// M/M/c/c of Erlang B. Being finite, the queue has a steady state at any
// load. Waits are those of admitted customers, first come first served.
//
// With a = λ/μ, ρ = λ/(cμ), m = K − c waiting places and B = B(c, a), the
// stationary probabilities relative to that of c in system are
// (1/B − 1) for fewer than c in all, and ρ^k for c + k (k = 0..m), so that
//
//	P(blocked) = ρ^m / Z,   Z = 1/B − 1 + Σ_{k=0..m} ρ^k
//	E[Lq] = Σ_k k·ρ^k / Z,   E[W] = E[Lq] / (λ(1 − P(blocked)))   (Little)
//	P(W > t) = Σ_{j=0..m-1} P(N_t = j) Σ_{k=j..m-1} ρ^k / (Z − ρ^m)
//
// where N_t is Poisson with mean cμt: an admitted customer who finds k
// waiting waits for k + 1 service completions, which come at rate cμ (D.
// Gross and C. M. Harris, Fundamentals of Queueing Theory, 3rd ed., 1998,
// section 2.5). The geometric sums are taken in closed form in log space
// (no overflow for ρ > 1 and huge K, no cancellation for ρ near 1), and the
// waiting-time sum over the Poisson terms that matter only.
//
// Methods return NaN for parameters that Validate rejects.
type MMcK struct {
	Servers     int
	Capacity    int
	ArrivalRate float64
	ServiceRate float64
}

// MaxWaitingRoom bounds the waiting places of MMcK, Capacity − Servers.
// WaitAtMost sums about 18·√(waiting places) terms at worst (when t is
// close to the time the room takes to empty); a room of ten million is
// unlimited for any desk, and MMc is the queue without limit.
const MaxWaitingRoom = 10_000_000

// Validate reports why the parameters are outside the formulas' domain:
// fewer than one server, a capacity below the number of servers or more
// than MaxWaitingRoom above it, a negative or non-finite arrival rate, or a
// service rate that is not positive.
func (q MMcK) Validate() error {
	switch {
	case q.Servers < 1:
		return fmt.Errorf("%w: %d servers, need at least 1", ErrInvalid, q.Servers)
	case q.Capacity < q.Servers:
		return fmt.Errorf("%w: capacity %d below the %d servers", ErrInvalid, q.Capacity, q.Servers)
	case q.Capacity-q.Servers > MaxWaitingRoom:
		return fmt.Errorf("%w: %d waiting places, at most %d (use MMc for an unlimited queue)", ErrInvalid, q.Capacity-q.Servers, MaxWaitingRoom)
	case !finiteNonNeg(q.ArrivalRate):
		return fmt.Errorf("%w: arrival rate %v, need a finite rate >= 0", ErrInvalid, q.ArrivalRate)
	case !(q.ServiceRate > 0) || math.IsInf(q.ServiceRate, 1):
		return fmt.Errorf("%w: service rate %v, need a finite rate > 0", ErrInvalid, q.ServiceRate)
	}
	return nil
}

// Load is the offered load in Erlangs, λ/μ (NaN if invalid).
func (q MMcK) Load() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	return q.ArrivalRate / q.ServiceRate
}

// finite holds the logs of the stationary masses that every MMcK measure is
// formed from, measured against the larger of those of c and of K in
// system (c + top), so that ρ^m never overflows and the huge exponents of
// long waiting rooms cancel exactly.
type finite struct {
	u        float64 // ln ρ
	waiting  float64 // m = K − c
	top      float64 // m if ρ > 1, else 0
	all      float64 // ln Z
	admitted float64 // ln(Z − ρ^m), the states an arrival may join
}

// solve is false when nobody arrives (every measure is then that of an
// empty system).
func (q MMcK) solve() (f finite, ok bool) {
	if q.ArrivalRate == 0 {
		return f, false
	}
	capacity := float64(q.Servers) * q.ServiceRate
	f.u = math.Log1p((q.ArrivalRate - capacity) / capacity)
	f.waiting = float64(q.Capacity - q.Servers)
	if f.u > 0 {
		f.top = f.waiting
	}
	logB := logErlangB(q.Servers, q.ArrivalRate/q.ServiceRate)
	idle := math.Log1p(-math.Exp(logB)) - logB - f.top*f.u
	f.all = logAddExp(idle, logGeometric(f.u, f.waiting+1, f.top))
	f.admitted = idle
	if f.waiting > 0 {
		f.admitted = logAddExp(idle, logGeometric(f.u, f.waiting, f.top))
	}
	return f, true
}

// Blocking is the probability that an arrival finds the system full and is
// lost, P(K in system) (Erlang B's B(c, a) when Capacity == Servers).
func (q MMcK) Blocking() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	f, ok := q.solve()
	if !ok {
		return 0
	}
	return math.Exp((f.waiting-f.top)*f.u - f.all)
}

// Throughput is the rate of admitted (and so of served) customers,
// λ·(1 − P(blocked)).
func (q MMcK) Throughput() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	f, ok := q.solve()
	if !ok {
		return 0
	}
	return q.ArrivalRate * math.Exp(f.admitted-f.all)
}

// Utilisation is the share of server time spent serving, the throughput
// over the capacity c·μ (rounding is kept from pushing it above 1).
func (q MMcK) Utilisation() float64 {
	return min(1, q.Throughput()/(float64(q.Servers)*q.ServiceRate))
}

// ProbWait is the probability that an admitted customer has to wait.
func (q MMcK) ProbWait() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	f, ok := q.solve()
	if !ok || f.waiting == 0 {
		return 0
	}
	return math.Exp(logGeometric(f.u, f.waiting, f.top) - f.admitted)
}

// MeanQueueLength is the time-average number waiting.
func (q MMcK) MeanQueueLength() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	f, ok := q.solve()
	if !ok {
		return 0
	}
	n := f.waiting + 1
	return math.Exp(logGeometric(f.u, n, f.top)-f.all) * meanGeometric(f.u, n)
}

// MeanWait is the mean wait of admitted customers before their service
// starts, E[Lq] over the throughput (Little).
func (q MMcK) MeanWait() float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	if q.ArrivalRate == 0 {
		return 0
	}
	return q.MeanQueueLength() / q.Throughput()
}

// WaitAtMost is the probability that an admitted customer waits at most t
// before its service starts. It is 0 for t < 0, 1 for t = +Inf, NaN for
// invalid parameters or a NaN t.
func (q MMcK) WaitAtMost(t float64) float64 {
	if q.Validate() != nil || math.IsNaN(t) {
		return math.NaN()
	}
	return q.waitAtMost()(t)
}

// waitAtMost is WaitAtMost of a valid queue as a function of t, the
// stationary masses computed once.
func (q MMcK) waitAtMost() func(t float64) float64 {
	f, ok := q.solve()
	return func(t float64) float64 {
		switch {
		case t < 0:
			return 0
		case math.IsInf(t, 1) || !ok || f.waiting == 0:
			return 1
		}
		return q.waitAtMostSolved(f, t)
	}
}

// waitAtMostSolved is WaitAtMost(t) from the solved masses f, 0 <= t < ∞.
func (q MMcK) waitAtMostSolved(f finite, t float64) float64 {
	// P(W > t) = Σ_{j<m} T_j, T_j = P(N_t = j)·ρ^j·Σ_{k<m−j} ρ^k / (Z − ρ^m).
	// T is log-concave in j (a Poisson probability times a geometric sum),
	// so it is summed from its mode outwards until the terms fall below
	// 1e-22: a few √(cμt) terms whatever the capacity.
	nu := float64(q.Servers) * q.ServiceRate * t
	logTerm := func(j float64) float64 {
		return logPoisson(j, nu) + logGeometric(f.u, f.waiting-j, f.top-j) - f.admitted
	}
	lo, hi := 0.0, f.waiting-1
	for lo < hi {
		mid := math.Floor((lo + hi) / 2)
		if logTerm(mid+1) > logTerm(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	const negligibleTerm = -50.66 // ln 1e-22
	var late float64
	for j := lo; j < f.waiting; j++ {
		l := logTerm(j)
		late += math.Exp(l)
		if l < negligibleTerm {
			break
		}
	}
	for j := lo - 1; j >= 0; j-- {
		l := logTerm(j)
		late += math.Exp(l)
		if l < negligibleTerm {
			break
		}
	}
	return max(0, 1-late)
}

// ServersForBlocking is the smallest number of servers for which the loss
// system M/M/c/c with the given offered load (Erlangs) blocks at most a
// share blocking of arrivals (ErlangB(c, load) <= blocking): the classic
// trunk-group sizing. It needs a finite load >= 0 and 0 < blocking < 1,
// and returns ErrInvalid otherwise. With no load it returns 0.
func ServersForBlocking(load, blocking float64) (int, error) {
	if !finiteNonNeg(load) || !(blocking > 0 && blocking < 1) {
		return 0, fmt.Errorf("%w: load %v, blocking %v", ErrInvalid, load, blocking)
	}
	if load == 0 {
		return 0, nil
	}
	if load >= math.MaxInt32 {
		return 0, fmt.Errorf("%w: load %v Erlangs is beyond the %d servers this searches", ErrInvalid, load, math.MaxInt32)
	}
	// B decreases with each server and tends to 0, so the recursion ends,
	// for large loads within a few √load of the load.
	b, c := 1.0, 0
	for b > blocking {
		c++
		b = load * b / (float64(c) + load*b)
	}
	return c, nil
}
