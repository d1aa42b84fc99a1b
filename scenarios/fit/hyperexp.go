package fit

import (
	"context"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// hyperPhases is the number of exponential phases of the hyperexponential
// fit: three capture the quick fixes, the day-long tickets and the long
// tail real resolution times mix.
const hyperPhases = 3

// maxEM bounds the iterations of expectation–maximisation, which converges
// slowly only when phases are redundant (an exponential sample), where the
// last digits do not matter.
const maxEM = 500

// fitHyperExponential fits a mixture of k exponentials to the sorted
// sample x by expectation–maximisation, started from the sample's
// quantiles at (j+½)/k. EM keeps the mixture's mean equal to the sample
// mean at every step. Standard errors come from the observed information,
// the Hessian of the log-likelihood computed by finite differences in the
// unconstrained parameters (softmax weights, log means). Both go over the
// sample's distinct values, each weighted by its count: times written to
// the minute or the second repeat, and a large sample has far fewer
// distinct values than values.
func fitHyperExponential(ctx context.Context, x []float64, k int) Candidate {
	n := len(x)
	c := Candidate{Family: HyperExponential}
	if n < 4*k {
		return c
	}
	probs := make([]float64, k)
	means := make([]float64, k)
	for j := range k {
		probs[j] = 1 / float64(k)
		means[j] = max(x[int((float64(j)+0.5)*float64(n)/float64(k))], 1e-9)
	}
	values, counts := distinct(x)
	w := make([]float64, k)
	sumW := make([]float64, k)
	sumWX := make([]float64, k)
	prev := math.Inf(-1)
	var ll float64
	for range maxEM {
		if ctx.Err() != nil {
			return c
		}
		ll = 0
		clear(sumW)
		clear(sumWX)
		for i, v := range values {
			var s float64
			for j := range k {
				w[j] = probs[j] / means[j] * math.Exp(-v/means[j])
				s += w[j]
			}
			if s <= 0 {
				return c
			}
			n := counts[i]
			ll += n * math.Log(s)
			for j := range k {
				r := n * w[j] / s
				sumW[j] += r
				sumWX[j] += r * v
			}
		}
		for j := range k {
			if sumW[j] <= 0 {
				return c
			}
			probs[j] = sumW[j] / float64(n)
			means[j] = sumWX[j] / sumW[j]
		}
		if ll-prev <= 1e-9*math.Abs(ll) {
			break
		}
		prev = ll
	}
	// Order the phases by mean, as a planner reads them.
	order := make([]int, k)
	for j := range order {
		order[j] = j
	}
	for i := 1; i < k; i++ {
		for j := i; j > 0 && means[order[j]] < means[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	c.Params = make([]float64, 2*k)
	var m1, m2 float64
	for i, j := range order {
		c.Params[i], c.Params[k+i] = probs[j], means[j]
		m1 += probs[j] * means[j]
		m2 += 2 * probs[j] * means[j] * means[j]
	}
	c.Mean, c.CV = m1, math.Sqrt(m2-m1*m1)/m1
	c.LogLik = ll
	c.AIC = 2*float64(2*k-1) - 2*ll
	c.SE = hyperSE(ctx, values, counts, c.Params)
	c.OK = true
	return c
}

// hyperSE returns the standard errors of a hyperexponential fit's
// probabilities and means (NaN where the information is singular), from
// the sample's distinct values and their counts.
func hyperSE(ctx context.Context, values, counts, params []float64) []float64 {
	k := len(params) / 2
	// θ = (a_0 … a_{k-2}, ln m_0 … ln m_{k-1}) with p_j ∝ e^{a_j}, a_{k-1} = 0.
	theta := make([]float64, 2*k-1)
	for j := range k - 1 {
		theta[j] = math.Log(params[j] / params[k-1])
	}
	for j := range k {
		theta[k-1+j] = math.Log(params[k+j])
	}
	unpack := func(t []float64, p, m []float64) {
		var s float64
		for j := range k {
			a := 0.0
			if j < k-1 {
				a = t[j]
			}
			p[j] = math.Exp(a)
			s += p[j]
			m[j] = math.Exp(t[k-1+j])
		}
		for j := range p {
			p[j] /= s
		}
	}
	p, m := make([]float64, k), make([]float64, k)
	negLL := func(t []float64) float64 {
		if ctx.Err() != nil {
			return math.NaN()
		}
		unpack(t, p, m)
		var ll float64
		for i, v := range values {
			var s float64
			for j := range k {
				s += p[j] / m[j] * math.Exp(-v/m[j])
			}
			ll += counts[i] * math.Log(s)
		}
		return -ll
	}
	se := make([]float64, 2*k)
	for i := range se {
		se[i] = math.NaN()
	}
	var h mat.SymDense
	fd.Hessian(&h, negLL, theta, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	var chol mat.Cholesky
	if !chol.Factorize(&h) {
		return se
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return se
	}
	unpack(theta, p, m)
	// The probabilities' Jacobian with respect to a: ∂p_i/∂a_j = p_i(δ_ij − p_j).
	for i := range k {
		var v float64
		for a := range k - 1 {
			for b := range k - 1 {
				da := p[i] * (delta(i, a) - p[a])
				db := p[i] * (delta(i, b) - p[b])
				v += da * db * cov.At(a, b)
			}
		}
		se[i] = math.Sqrt(v)
		se[k+i] = m[i] * math.Sqrt(cov.At(k-1+i, k-1+i))
	}
	return se
}

func delta(i, j int) float64 {
	if i == j {
		return 1
	}
	return 0
}

// distinct returns the distinct values of the sorted x, and how many times
// each occurs.
func distinct(x []float64) (values, counts []float64) {
	for i := 0; i < len(x); {
		j := i + 1
		for j < len(x) && x[j] == x[i] {
			j++
		}
		values = append(values, x[i])
		counts = append(counts, float64(j-i))
		i = j
	}
	return values, counts
}
