package fit

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
)

// A Family is a parametric family of durations.
type Family int

// The families Fit tries, and Empirical for the observed values
// themselves.
const (
	Exponential Family = iota
	LogNormal
	Gamma
	HyperExponential
	Empirical
)

var familyNames = [...]string{"exponential", "lognormal", "gamma", "hyperexponential", "empirical"}

// String is the family's name in a scenario file.
func (f Family) String() string { return familyNames[f] }

// maxMeanHours is the largest mean the engine takes.
const maxMeanHours = 100 * 365 * 24

// maxEmpirical is the most values an empirical distribution writes; a
// larger sample is written as this many evenly spaced quantiles.
const maxEmpirical = 1000

// Durations is the fit of a sample of durations, in hours.
type Durations struct {
	// Hours holds the sample, sorted. Values below the export's clock
	// resolution (a ticket resolved in the minute it opened) are counted as
	// half of it, Zeros of them.
	Hours []float64
	Zeros int
	// Fits are the maximum-likelihood fits, one per family; a fit the
	// sample cannot support (a lognormal of equal values) has OK false.
	// Best indexes the fit with the smallest Kolmogorov–Smirnov distance.
	Fits []Candidate
	Best int
}

// A Candidate is the maximum-likelihood fit of one family.
type Candidate struct {
	Family Family
	// OK says whether the fit can be used; Unusable says why not when the
	// fit exists but a scenario cannot take it.
	OK       bool
	Unusable string
	// Params and their standard errors (from the Fisher information):
	// exponential: mean (hours); lognormal: mu, sigma of the log of the
	// hours; gamma: shape, mean (hours); hyperexponential: the phases'
	// probabilities, then their means (hours).
	Params, SE []float64
	// Mean in hours and coefficient of variation of the fitted distribution.
	Mean, CV float64
	// KS is the Kolmogorov–Smirnov distance between the sample and the
	// fitted distribution: the largest gap between their cumulative
	// distribution functions.
	KS float64
	// LogLik is the maximised log-likelihood, AIC = 2·(parameters) −
	// 2·LogLik.
	LogLik, AIC float64
}

// fitDurations fits the durations x, in hours (any order; sorted in
// place and kept), clock being the resolution of the times they came from.
// It needs at least two values. Cancelling ctx cuts the iterative fits
// short, to be discarded.
func fitDurations(ctx context.Context, x []float64, clock time.Duration) *Durations {
	half := (clock / 2).Hours()
	zeros := 0
	for i, v := range x {
		if v < half {
			x[i] = half
			zeros++
		}
	}
	slices.Sort(x)
	fd := &Durations{Hours: x, Zeros: zeros}
	fd.Fits = []Candidate{fitExponential(x), fitLogNormal(x), fitGamma(x), fitHyperExponential(ctx, x, hyperPhases)}
	fd.Best = 0 // the exponential fit is always OK: every value is > 0
	for i := range fd.Fits {
		c := &fd.Fits[i]
		switch {
		case !c.OK:
		case c.CV > scenarios.MaxCV:
			c.OK, c.Unusable = false, fmt.Sprintf("cv %.3g, beyond the %d a scenario takes", c.CV, scenarios.MaxCV)
		case c.Mean > maxMeanHours:
			c.OK, c.Unusable = false, fmt.Sprintf("mean %s, beyond the 100 years a scenario takes", format.Hours(c.Mean))
		}
		if !c.OK {
			continue
		}
		c.KS = ksDistance(x, c.cdf())
		if c.KS < fd.Fits[fd.Best].KS {
			fd.Best = i
		}
	}
	return fd
}

// Chosen is the best fit.
func (d *Durations) Chosen() *Candidate { return &d.Fits[d.Best] }

// Quantile is the sample's p-quantile in hours (the order statistic at
// rank ⌈p·n⌉).
func (d *Durations) Quantile(p float64) float64 {
	i := int(math.Ceil(p*float64(len(d.Hours)))) - 1
	return d.Hours[min(max(i, 0), len(d.Hours)-1)]
}

// Mean is the sample mean in hours.
func (d *Durations) Mean() float64 {
	var s float64
	for _, x := range d.Hours {
		s += x
	}
	return s / float64(len(d.Hours))
}

// EmpiricalValues are the values an empirical distribution of the sample
// writes: every value, or maxEmpirical quantiles at (i+½)/maxEmpirical for a
// larger sample.
func (d *Durations) EmpiricalValues() []float64 {
	n := len(d.Hours)
	if n <= maxEmpirical {
		return d.Hours
	}
	v := make([]float64, maxEmpirical)
	for i := range v {
		v[i] = d.Hours[int((float64(i)+0.5)*float64(n)/maxEmpirical)]
	}
	return v
}

func fitExponential(x []float64) Candidate {
	var e distuv.Exponential
	e.Fit(x, nil)
	n := float64(len(x))
	mean := 1 / e.Rate
	return Candidate{
		Family: Exponential, OK: mean > 0 && !math.IsInf(mean, 0),
		Params: []float64{mean}, SE: []float64{mean / math.Sqrt(n)},
		Mean: mean, CV: 1,
		LogLik: n*math.Log(e.Rate) - n,
		AIC:    2 - 2*(n*math.Log(e.Rate)-n),
	}
}

func fitLogNormal(x []float64) Candidate {
	logs := make([]float64, len(x))
	var sumLog float64
	for i, v := range x {
		logs[i] = math.Log(v)
		sumLog += logs[i]
	}
	// The normal fit of the logs is the lognormal's maximum likelihood
	// (gonum's Fit divides the variance by n, as the likelihood does).
	var nd distuv.Normal
	nd.Fit(logs, nil)
	n := float64(len(x))
	mu, sigma := nd.Mu, nd.Sigma
	ll := -sumLog - n*math.Log(sigma) - n/2*math.Log(2*math.Pi) - n/2
	return Candidate{
		Family: LogNormal, OK: sigma > 0 && len(x) >= 2,
		Params: []float64{mu, sigma},
		SE:     []float64{sigma / math.Sqrt(n), sigma / math.Sqrt(2*n)},
		Mean:   math.Exp(mu + sigma*sigma/2),
		CV:     math.Sqrt(math.Expm1(sigma * sigma)),
		LogLik: ll, AIC: 4 - 2*ll,
	}
}

// fitGamma finds the gamma maximum likelihood: the mean is the sample mean
// and the shape k solves ln k − ψ(k) = ln(mean) − mean(ln x), found by
// Newton's method kept inside a bracket.
func fitGamma(x []float64) Candidate {
	n := float64(len(x))
	var sum, sumLog float64
	for _, v := range x {
		sum += v
		sumLog += math.Log(v)
	}
	mean := sum / n
	s := math.Log(mean) - sumLog/n
	if !(s > 1e-12) || len(x) < 2 {
		return Candidate{Family: Gamma}
	}
	k := gammaShape(s)
	trigamma := mathext.Zeta(2, k)
	theta := mean / k
	lg, _ := math.Lgamma(k)
	ll := (k-1)*sumLog - n*k - n*k*math.Log(theta) - n*lg
	return Candidate{
		Family: Gamma, OK: k > 0 && !math.IsInf(k, 0),
		Params: []float64{k, mean},
		SE:     []float64{math.Sqrt(k / (n * (k*trigamma - 1))), mean / math.Sqrt(n*k)},
		Mean:   mean, CV: 1 / math.Sqrt(k),
		LogLik: ll, AIC: 4 - 2*ll,
	}
}

// gammaShape solves ln k − ψ(k) = s for s > 0. The left side falls from +∞
// to 0 as k grows, so the root is bracketed; Newton steps that leave the
// bracket are replaced by bisection (in log k).
func gammaShape(s float64) float64 {
	f := func(k float64) float64 { return math.Log(k) - mathext.Digamma(k) - s }
	lo, hi := 1e-12, 1e12
	// Minka's approximation, within 1.5% of the root.
	k := (3 - s + math.Sqrt((s-3)*(s-3)+24*s)) / (12 * s)
	k = min(max(k, lo*10), hi/10)
	for range 100 {
		fk := f(k)
		if fk > 0 {
			lo = k
		} else {
			hi = k
		}
		next := k - fk/(1/k-mathext.Zeta(2, k))
		if !(next > lo && next < hi) {
			next = math.Sqrt(lo * hi)
		}
		if math.Abs(next-k) <= 1e-12*k {
			return next
		}
		k = next
	}
	return k
}

// cdf is the fitted distribution function, in hours.
func (c *Candidate) cdf() func(float64) float64 {
	switch c.Family {
	case Exponential:
		return distuv.Exponential{Rate: 1 / c.Params[0]}.CDF
	case LogNormal:
		return distuv.LogNormal{Mu: c.Params[0], Sigma: c.Params[1]}.CDF
	case Gamma:
		return distuv.Gamma{Alpha: c.Params[0], Beta: c.Params[0] / c.Params[1]}.CDF
	case HyperExponential:
		k := len(c.Params) / 2
		probs, means := c.Params[:k], c.Params[k:]
		return func(h float64) float64 {
			var f float64
			for j, p := range probs {
				f -= p * math.Expm1(-h/means[j])
			}
			return f
		}
	}
	panic(fmt.Sprintf("fit: no distribution function for %v", c.Family))
}

// Survival is the fitted probability of a duration longer than h hours.
func (c *Candidate) Survival(h float64) float64 { return 1 - c.cdf()(h) }

// ksDistance is the Kolmogorov–Smirnov distance between the sorted sample
// x and the distribution function F: sup |F_n − F|, reached just before or
// at a sample point.
func ksDistance(x []float64, F func(float64) float64) float64 {
	n := float64(len(x))
	d := 0.0
	for i, v := range x {
		p := F(v)
		d = max(d, float64(i+1)/n-p, p-float64(i)/n)
	}
	return d
}

// Describe says what the candidate is, with its parameters and their
// standard errors, in the units a planner reads.
func (c *Candidate) Describe() string {
	switch c.Family {
	case Exponential:
		return fmt.Sprintf("mean %s ± %s", format.Hours(c.Params[0]), format.Hours(c.SE[0]))
	case LogNormal:
		return fmt.Sprintf("mu %.3f ± %.3f, sigma %.3f ± %.3f (ln hours): mean %s, cv %.3g",
			c.Params[0], c.SE[0], c.Params[1], c.SE[1], format.Hours(c.Mean), c.CV)
	case Gamma:
		return fmt.Sprintf("shape %.3g ± %.2g, mean %s ± %s: cv %.3g",
			c.Params[0], c.SE[0], format.Hours(c.Params[1]), format.Hours(c.SE[1]), c.CV)
	case HyperExponential:
		k := len(c.Params) / 2
		var phases []string
		for j := range k {
			phases = append(phases, fmt.Sprintf("%.3g ± %.2g of mean %s ± %s", c.Params[j], c.SE[j], format.Hours(c.Params[k+j]), format.Hours(c.SE[k+j])))
		}
		return fmt.Sprintf("%s: mean %s, cv %.3g", strings.Join(phases, "; "), format.Hours(c.Mean), c.CV)
	}
	return c.Family.String()
}
