package queueing

import "math"

// MaxUniformized bounds period × max(1/MTBF, 1/MTTR) in DowntimeAtMost,
// whose cost grows as its square: a year of repairs of five minutes each.
const MaxUniformized = 1.2e5

// DowntimeAtMost is the probability that the total downtime in a period of
// the given length, from the given start, is at most d, with exponential
// up and repair times: the distribution of the occupation time of the
// two-state Markov process, exactly (to about 1e-13), by uniformization.
// A period whose availability must reach the level L meets it when its
// downtime is at most (1 − L)·period.
//
// With q = max(λ, μ), the process is a discrete chain with transition
// matrix I + Q/q whose steps come at the epochs of a Poisson process of
// rate q. Given n epochs in the period, they cut it into n + 1 intervals
// whose lengths are the spacings of n uniform points, so the time spent in
// k of them is the period times a Beta(k, n + 1 − k) variable, at most d
// with probability P(Bin(n, d/T) >= k); the chain gives the law of K_n,
// the number of intervals down. Then
//
//	P(D <= d) = Σ_n e^{−qT}(qT)^n/n! · P(K_n <= Bin(n, d/T))
//
// (E. de Souza e Silva and H. R. Gail, "Calculating cumulative operational
// time distributions of repairable computer systems", IEEE Trans.
// Computers 35, 1986). The law of K_n is carried from one n to the next,
// dropping counts of intervals below 1e-30 in probability: the cost is
// O(n) per n for a service mostly up, O(n²) at worst.
//
// It returns NaN for invalid parameters, a negative or non-finite period,
// an unknown start, a NaN d, or when period·q exceeds MaxUniformized.
func (f FailureRepair) DowntimeAtMost(period, d float64, start Start) float64 {
	a, b, _, _, ok, idle := f.downtime(period, start)
	switch {
	case !ok || math.IsNaN(d):
		return math.NaN()
	case d < 0:
		return 0
	case idle || d >= period:
		return 1
	}
	l, m := 1/f.MTBF, 1/f.MTTR
	q := max(l, m)
	qt := q * period
	if qt > MaxUniformized {
		return math.NaN()
	}
	up0, down0 := 1.0, 0.0
	if start == StartStationary {
		up0, down0 = b, a
	}
	// Transition probabilities of the uniformized chain.
	upDown, downUp := l/q, m/q
	upUp, downDown := 1-upDown, 1-downUp
	// Poisson weights matter from lo to hi epochs: the terms beyond are
	// below e^{-40} of the largest.
	cut := -40 - math.Log(1+qt)
	mode := math.Floor(qt)
	hi := int(mode)
	for logPoisson(float64(hi), qt) > cut {
		hi++
	}
	lo := int(mode)
	for lo > 0 && logPoisson(float64(lo-1), qt) > cut {
		lo--
	}
	x := d / period
	logOdds := math.Log(x) - math.Log1p(-x)
	logInt := make([]float64, hi+2) // logInt[i] = ln i
	for i := 1; i < len(logInt); i++ {
		logInt[i] = math.Log(float64(i))
	}
	// up[k] and down[k]: the probability that after the intervals so far
	// k of them were down and the chain is up, or down, now; none beyond
	// top.
	up := make([]float64, hi+3)
	down := make([]float64, hi+3)
	next := make([]float64, hi+3)
	up[0], down[1] = up0, down0
	top := 1
	var sum float64
	for n := 0; n <= hi; n++ {
		if n >= lo {
			// P(K_n <= B) = Σ_j P(B = j)·P(K_n <= j), with K_n = n + 1 (down
			// throughout) never at most B <= n; from j = kmax on, P(K_n <=
			// j) no longer grows, so the rest is P(K_n <= kmax)·P(B >= kmax).
			kmax := min(n, top)
			logB := float64(n) * math.Log1p(-x) // ln P(B = 0)
			var atMost, below, cond float64
			for j := range kmax {
				atMost += up[j] + down[j]
				pb := math.Exp(logB)
				cond += pb * atMost
				below += pb
				logB += logInt[n-j] - logInt[j+1] + logOdds
			}
			atMost += up[kmax] + down[kmax]
			cond += atMost * max(1-below, 0)
			sum += math.Exp(logPoisson(float64(n), qt)) * cond
		}
		// One more interval: the chain steps, and a down interval adds one.
		// Descending, so that down[k] is read before it is overwritten.
		for k := top; k >= 0; k-- {
			u, dn := up[k], down[k]
			next[k] = u*upUp + dn*downUp
			down[k+1] = u*upDown + dn*downDown
		}
		next[top+1] = 0 // nothing is up having been down more than top times
		down[0] = 0
		up, next = next, up
		top = min(top+1, hi+1)
		for top > 1 && up[top]+down[top] < 1e-30 {
			up[top], down[top] = 0, 0
			top--
		}
	}
	return min(max(sum, 0), 1)
}
