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
// waiting-time sum over the Poisson terms that matter only; SojournAtMost,
// the wait and the service together, is a sum of the same kind.
//
// Methods return NaN for parameters that Validate rejects.
type MMcK struct {
	Servers     int
	Capacity    int
	ArrivalRate float64
	ServiceRate float64
}

// MaxWaitingRoom bounds the waiting places of MMcK, Capacity − Servers.
// WaitAtMost and SojournAtMost sum about 20·√(cμt) terms, with cμt at most
// about 1.4 times the waiting places plus 51 per server (beyond, the
// answer is 1): at most a few hundred thousand terms, tens of milliseconds
// at the longest room. A room of ten million is unlimited for any desk,
// and MMc is the queue without limit.
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
	idle     float64 // ln(1/B − 1), the states with a server free
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
	f.idle = math.Log1p(-math.Exp(logB)) - logB - f.top*f.u
	f.all = logAddExp(f.idle, logGeometric(f.u, f.waiting+1, f.top))
	f.admitted = f.idle
	if f.waiting > 0 {
		f.admitted = logAddExp(f.idle, logGeometric(f.u, f.waiting, f.top))
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
	f, ok := q.solve()
	switch {
	case t < 0:
		return 0
	case math.IsInf(t, 1) || !ok || f.waiting == 0:
		return 1
	}
	// P(W > t) = E[A(N)], A(j) the chance of finding at least j waiting
	// (nonincreasing, 0 from j = m on), N the service completions by t.
	late := poissonMean(float64(q.Servers)*q.ServiceRate*t, f.waiting-1, f.logWaitingAtLeast)
	return max(0, 1-late)
}

// SojournAtMost is the probability that an admitted customer is done
// within t of arriving, P(W + S <= t | admitted): the resolution clock of a
// line that turns customers away, whose blocked customers are never done.
// It is 0 for t <= 0, 1 for t = +Inf, NaN for invalid parameters or a NaN
// t.
//
// It is a closed form, not an integral. Count time in the events of a
// Poisson process of rate ν = cμ: while the customer waits with all c
// servers busy, each event is a service completion and moves it up one
// place; once in service, each event is its own completion with chance
// 1/c (rate μ of ν) and otherwise leaves it in service. After j events
// the customer is not done with chance
//
//	G(j) = A(j) + B(j),   A(j) = Σ_{k=j..m-1} π_k,
//	B(j) = Σ_{k=-1..min(j,m)-1} π_k·q^{j-1-k},   q = (c − 1)/c,
//
// where π_k is the chance that an admitted customer finds k waiting (it
// starts service after k + 1 events) and π_{-1} that it finds a server
// free: A the chance of still waiting, B of having started and survived
// since. Then P(W + S > t) = Σ_j P(N_t = j)·G(j), N_t Poisson of mean νt.
// A and B's inner sums are geometric and taken in closed form in log
// space, and G is nonincreasing (done stays done), which bounds what the
// sum leaves out (see poissonMean). Where νt exceeds both 1.4m + 51c and
// m + 10√(νt), the customer is surely done (to 1e-22, by Chernoff's bound
// on P(N_t < m) and B(j) = q^{j-m}·B(m) for j >= m), so that about 20√(νt)
// terms are summed for νt below that at most: milliseconds for the
// longest rooms.
func (q MMcK) SojournAtMost(t float64) float64 {
	if q.Validate() != nil || math.IsNaN(t) {
		return math.NaN()
	}
	switch {
	case !(t > 0):
		return 0
	case math.IsInf(t, 1):
		return 1
	}
	f, ok := q.solve()
	if !ok { // an empty system: the service alone
		return -math.Expm1(-q.ServiceRate * t)
	}
	c := float64(q.Servers)
	n := c * q.ServiceRate * t
	if c == 1 {
		// Served at the next event: B(j) = π_{j-1}, nothing past j = m.
		late := poissonMean(n, f.waiting, func(j float64) float64 {
			return logAddExp(f.logWaitingAtLeast(j), f.logFinding(j-1))
		})
		return max(0, 1-late)
	}
	w := math.Log1p(-1 / c) // ln q
	logStarted := func(j float64) float64 {
		// ln B(j): π_{-1}·q^j and Σ_{k<min(j,m)} π_k·q^{j-1-k}, the
		// latter q^{j-1}·Σ_k (ρ/q)^k measured against its largest term.
		l := f.idle + j*w - f.admitted
		if terms := min(j, f.waiting); terms > 0 {
			v, top := f.u-w, 0.0
			if v > 0 {
				top = terms - 1
			}
			l = logAddExp(l, (j-1-top)*w+(top-f.top)*f.u+logGeometric(v, terms, top)-f.admitted)
		}
		return l
	}
	// Surely done: P(N_t < m) and Σ_{j>=m} P(N_t = j)·q^{j-m}·B(m) <=
	// B(m)·q^{-m}·e^{-μt} both negligible.
	upper := logStarted(f.waiting) - f.waiting*w - n/c
	if f.waiting < n && logAddExp(upper, logPoissonAtMost(f.waiting-1, n)) < negligibleTerm {
		return 1
	}
	late := poissonMean(n, math.Inf(1), func(j float64) float64 {
		return logAddExp(f.logWaitingAtLeast(j), logStarted(j))
	})
	return max(0, 1-late)
}

// logWaitingAtLeast is ln A(j), the log of the chance that an admitted
// customer finds at least j waiting, j >= 0 (−Inf from m on).
func (f finite) logWaitingAtLeast(j float64) float64 {
	if j >= f.waiting {
		return math.Inf(-1)
	}
	return logGeometric(f.u, f.waiting-j, f.top-j) - f.admitted
}

// logFinding is ln π_k, the log of the chance that an admitted customer
// finds k waiting (0 <= k < m), or a server free (k = −1).
func (f finite) logFinding(k float64) float64 {
	if k < 0 {
		return f.idle - f.admitted
	}
	return (k-f.top)*f.u - f.admitted
}

// negligibleTerm is ln 1e-22: a probability below it is left out of a sum
// of probabilities.
const negligibleTerm = -50.66

// poissonMean is E[g(N)] = Σ_j P(N = j)·g(j) for N Poisson of mean n and g
// nonincreasing with values in [0, 1], 0 past last; logG(j) = ln g(j).
// The terms are summed from the mode of N (or last, if before it) outwards,
// and each way stops once what it leaves out is provably negligible: above
// j it is at most g(j)·P(N > j) (g is nonincreasing), below j at most
// P(N < j), and the Poisson tails are bounded by geometric series of
// ratio n/(j+1) and j/n. About 20√n terms at most.
func poissonMean(n, last float64, logG func(j float64) float64) float64 {
	start := min(math.Floor(n), last)
	var sum float64
	for j := start; j <= last; j++ {
		lp := logPoisson(j, n)
		lg := logG(j)
		sum += math.Exp(lp + lg)
		// P(N > j) <= P(N = j)·n/(j+1−n) once j+1 > n.
		if j+1 > n && lg+lp+math.Log(n/(j+1-n)) < negligibleTerm {
			break
		}
	}
	for j := start - 1; j >= 0; j-- {
		lp := logPoisson(j, n)
		sum += math.Exp(lp + logG(j))
		// P(N < j) <= P(N = j)·j/(n−j), j < n.
		if j == 0 || lp+math.Log(j/(n-j)) < negligibleTerm {
			break
		}
	}
	return sum
}

// logPoissonAtMost bounds ln P(N <= k) for N Poisson of mean n > k >= 0
// from above (Chernoff): −(n − k) − k·ln(k/n).
func logPoissonAtMost(k, n float64) float64 {
	if k <= 0 {
		return -n
	}
	return -bd0(k, n)
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
