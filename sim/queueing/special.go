package queueing

import "math"

// The helpers in this file evaluate Poisson probabilities, and the sums of
// them that the Erlang formulas are made of, in log space: the formulas then
// hold for thousands of servers and for loads far beyond capacity, with no
// factorial, no overflow and no cancellation between large terms.

// lnSqrt2Pi is ln √(2π).
const lnSqrt2Pi = 0.918938533204672741780329736405617639861397473637783412817

// negligible is the relative size below which a term no longer changes a
// float64 sum.
const negligible = 0x1p-60

// stirlerr is ln Γ(k+1) − (k+½)·ln k + k − ln √(2π), the error of Stirling's
// formula, for k > 0 (C. Loader, "Fast and accurate computation of binomial
// probabilities", 2000): its series for large k is what lets logPoisson avoid
// the cancellation between k·ln m and ln Γ(k+1).
func stirlerr(k float64) float64 {
	if k <= 15 {
		lg, _ := math.Lgamma(k + 1)
		return lg - (k+0.5)*math.Log(k) + k - lnSqrt2Pi
	}
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	k2 := k * k
	switch {
	case k > 500:
		return (s0 - s1/k2) / k
	case k > 80:
		return (s0 - (s1-s2/k2)/k2) / k
	case k > 35:
		return (s0 - (s1-(s2-s3/k2)/k2)/k2) / k
	}
	return (s0 - (s1-(s2-(s3-s4/k2)/k2)/k2)/k2) / k
}

// bd0 is k·ln(k/m) + m − k for k, m > 0, the deviance term of Loader's
// method, summed as a series when k is close to m where the direct form
// cancels.
func bd0(k, m float64) float64 {
	if math.Abs(k-m) < 0.1*(k+m) {
		v := (k - m) / (k + m)
		s := (k - m) * v
		term := 2 * k * v
		v *= v
		for j := 3.0; ; j += 2 {
			term *= v
			next := s + term/j
			if next == s {
				return s
			}
			s = next
		}
	}
	return k*(math.Log(k)-math.Log(m)) + m - k
}

// logPoisson is ln(m^k e^{-m} / Γ(k+1)), the Poisson probability of k with
// mean m extended to real k >= 0, accurate to a few ulps of its value.
func logPoisson(k, m float64) float64 {
	switch {
	case m == 0 && k == 0:
		return 0
	case m == 0:
		return math.Inf(-1)
	case k == 0:
		return -m
	}
	return -stirlerr(k) - bd0(k, m) - lnSqrt2Pi - 0.5*math.Log(k)
}

// poissonTail describes the sum S = Σ_{i>=0} p(x+i) of the extended Poisson
// probabilities p(k) = m^k e^{-m}/Γ(k+1), for x > 0 and m >= 0. S is the
// regularised lower incomplete gamma function P(x, m) = γ(x, m)/Γ(x) (for
// integer x, the probability that a Poisson variable of mean m is at least
// x), and the terms, normalised by S, are the distribution of the queue in
// M/M/c+M when all servers are busy (see MMcM).
type poissonTail struct {
	logSum   float64 // ln S
	peak     float64 // i of the largest term
	logTerms float64 // ln(S / p(x+peak))
	mean     float64 // Σ i·p(x+i) / S
	harmonic float64 // Σ H_i·p(x+i) / S, with H_i = Σ_{j=1..i} 1/(x+j)
}

// scanPoissonTail sums the series from its largest term outwards, each term
// from its neighbour by the ratio m/(x+i), until the terms are negligible:
// about 9·√m terms when x and m are close, fewer otherwise.
func scanPoissonTail(x, m float64) poissonTail {
	peak := 0.0
	if m > x+1 {
		peak = math.Floor(m - x)
	}
	hPeak := harmonic(x+1, peak)
	sum, first, second := 1.0, peak, hPeak
	w, h := 1.0, hPeak
	for i := peak + 1; ; i++ {
		w *= m / (x + i)
		if w < negligible*sum {
			break
		}
		h += 1 / (x + i)
		sum += w
		first += i * w
		second += h * w
	}
	w, h = 1.0, hPeak
	for i := peak; i > 0; i-- {
		w *= (x + i) / m
		if w < negligible*sum {
			break
		}
		h -= 1 / (x + i)
		sum += w
		first += (i - 1) * w
		second += h * w
	}
	return poissonTail{
		logSum:   logPoisson(x+peak, m) + math.Log(sum),
		peak:     peak,
		logTerms: math.Log(sum),
		mean:     first / sum,
		harmonic: second / sum,
	}
}

// harmonic is Σ_{j=0..n-1} 1/(a+j) = ψ(a+n) − ψ(a) for a > 0 and an integer
// n >= 0: summed directly for few terms, otherwise by the asymptotic
// expansion of the digamma function ψ with each difference formed without
// cancellation.
func harmonic(a, n float64) float64 {
	var s float64
	for n > 0 && (a < 32 || n <= 64) {
		s += 1 / a
		a++
		n--
	}
	if n == 0 {
		return s
	}
	b := a + n
	return s + math.Log1p(n/a) + n/(2*a*b) + digammaTail(b) - digammaTail(a)
}

// digammaTail is ψ(z) − ln z + 1/(2z) for z >= 32, to 1e-17.
func digammaTail(z float64) float64 {
	z2 := 1 / (z * z)
	return z2 * (-1.0/12 + z2*(1.0/120+z2*(-1.0/252+z2*(1.0/240+z2*(-1.0/132)))))
}

// logErlangB is ln B(c, a), the log of the Erlang B blocking probability by
// the usual recursion, finite even where B itself underflows (many servers,
// little load).
func logErlangB(servers int, load float64) float64 {
	if load == 0 {
		if servers == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	// B = b·e^shift; once B is below 2^-900 it no longer changes k + a·B.
	b, shift, scale := 1.0, 0.0, 1.0
	for k := 1; k <= servers; k++ {
		b = load * b / (float64(k) + load*b*scale)
		if b < 0x1p-900 {
			b *= 0x1p900
			shift -= 900 * math.Ln2
			scale = math.Exp(shift)
		}
	}
	return math.Log(b) + shift
}

// logGeometric is ln Σ_{k=0..n-1} e^{u·(k − top)} for n >= 1: the log of a
// geometric sum measured against its term at top, so that sums of 2^40
// terms of ratio 1.5 keep their digits when compared with each other. It
// neither overflows for large n·u nor cancels for u near 0.
func logGeometric(u, n, top float64) float64 {
	switch {
	case u == 0:
		return math.Log(n)
	case u < 0:
		return -top*u + math.Log(-math.Expm1(n*u)) - math.Log(-math.Expm1(u))
	}
	return (n-1-top)*u + math.Log(-math.Expm1(-n*u)) - math.Log(-math.Expm1(-u))
}

// meanGeometric is the mean of k over 0..n-1 with weights e^{u·k}:
// (φ(n·u) − φ(u))/u with φ(z) = z/(1 − e^{-z}), by its Taylor series where
// n·u is small and that difference would cancel.
func meanGeometric(u, n float64) float64 {
	if z := math.Abs(u) * n; z < 1e-2 {
		n2 := n * n
		u2 := u * u
		return (n-1)/2 + u*((n2-1)/12+u2*(-(n2*n2-1)/720+u2*(n2*n2*n2-1)/30240))
	}
	phi := func(z float64) float64 { return z / -math.Expm1(-z) }
	return (phi(n*u) - phi(u)) / u
}

// logAddExp is ln(e^a + e^b).
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// logNextTailRatio is ln(S_{x+1} / S_x) for the sums of scanPoissonTail at
// x+1 and x with the same m, given both: where both peak at their first
// term (below capacity), the ratio of those terms is m/(x+1) exactly, for
// the reason logTailRatio gives.
func logNextTailRatio(x, m float64, next, tail poissonTail) float64 {
	if next.peak != 0 || tail.peak != 0 {
		return next.logSum - tail.logSum
	}
	return math.Log(m/(x+1)) + next.logTerms - tail.logTerms
}

// logTailRatio is ln(S(m·e^{-d}) / S(m)) for the sums S of scanPoissonTail
// at x, given tail = scanPoissonTail(x, m) and d >= 0. Where both sums
// peak at the same term, as they do below capacity, the ratio of their
// peak terms, e^{m(1−e^{-d})}·e^{-d(x+peak)}, is taken exactly: ln S is
// then a large negative number, and the difference of two such logs would
// keep only its first digits, too few for an integral of the ratio over t
// (see sojourn) to converge.
func logTailRatio(x, m, d float64, tail poissonTail) float64 {
	shifted := scanPoissonTail(x, m*math.Exp(-d))
	if shifted.peak != tail.peak {
		return shifted.logSum - tail.logSum
	}
	return -m*math.Expm1(-d) - d*(x+tail.peak) + shifted.logTerms - tail.logTerms
}
