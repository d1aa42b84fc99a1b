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
	// Deterministic is a point mass: every time the same.
	Deterministic
	Empirical
)

var familyNames = [...]string{"exponential", "lognormal", "gamma", "hyperexponential", "deterministic", "empirical"}

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
	// Clock is that resolution, in hours: the fits are compared with the
	// sample as a clock of this resolution records times (Gap).
	Clock float64
	// Fits are the maximum-likelihood fits, one per family, indexed by
	// Family; a fit the sample cannot support (a lognormal of equal values)
	// has OK false. Best indexes the fit with the smallest
	// Kolmogorov–Smirnov distance.
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
	// probabilities, then their means (hours); deterministic: the time
	// (hours), its standard error the sample's over √n. A standard error
	// is NaN where the information is singular.
	Params, SE []float64
	// Mean in hours and coefficient of variation of the fitted distribution.
	Mean, CV float64
	// KS is the Kolmogorov–Smirnov distance between the sample and the
	// fitted distribution as the export's clock records it: the largest gap
	// between their cumulative distribution functions (Durations.Gap).
	KS float64
	// LogLik is the maximised log-likelihood, AIC = 2·(parameters) −
	// 2·LogLik; NaN for a point mass, which has no density to compare.
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
	fd := &Durations{Hours: x, Zeros: zeros, Clock: clock.Hours()}
	fd.Fits = []Candidate{fitExponential(x), fitLogNormal(x), fitGamma(x), fitHyperExponential(ctx, x, hyperPhases), fitDeterministic(x, zeros)}
	fd.Best = 0 // the exponential fit is always OK: every value is > 0
	for i := range fd.Fits {
		c := &fd.Fits[i]
		switch {
		case !c.OK:
		case c.CV > scenarios.MaxCV:
			c.OK, c.Unusable = false, fmt.Sprintf("cv %.3g, beyond the %d a scenario takes", c.CV, scenarios.MaxCV)
		case c.Mean > maxMeanHours:
			c.OK, c.Unusable = false, fmt.Sprintf("mean %s, beyond the 100 years a scenario takes", format.Hours(c.Mean))
		case len(x) < MinFit && len(c.Params) > 1:
			// A shape from a handful of times is noise: five
			// exponential times gave a lognormal of cv 6.7.
			c.OK, c.Unusable = false, fmt.Sprintf("a shape needs %d times, not %d", MinFit, len(x))
		}
		if !c.OK {
			continue
		}
		_, lo, hi := fd.Gap(c)
		c.KS = hi - lo
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
		// Equal values have sigma 0, or rounding error from their logs.
		Family: LogNormal, OK: len(x) >= 2 && x[0] < x[len(x)-1],
		Params: []float64{mu, sigma},
		SE:     []float64{sigma / math.Sqrt(n), sigma / math.Sqrt(2*n)},
		Mean:   math.Exp(mu + sigma*sigma/2),
		CV:     math.Sqrt(math.Expm1(sigma * sigma)),
		LogLik: ll, AIC: 4 - 2*ll,
	}
}

// fitDeterministic fits a point mass to the sorted sample x, whose first
// zeros values, under the clock's resolution, were counted as half of it.
// Through a clock (Gap), a time m between ticks k and k+1 is recorded as
// either, k+1 in the share m/r − k of tickets: the time is the mean of
// the times as recorded, zeros counted as 0, which is the maximum
// likelihood when they fall on two neighbouring ticks, and the only
// unbiased estimate otherwise.
func fitDeterministic(x []float64, zeros int) Candidate {
	recorded := func(i int) float64 {
		if i < zeros {
			return 0
		}
		return x[i]
	}
	// Sums about one of the times, so that equal times give exactly
	// that time, with a standard error of 0.
	n, base := float64(len(x)), recorded(len(x)-1)
	var sum, ss float64
	for i := range x {
		sum += recorded(i) - base
	}
	m := base + sum/n
	for i := range x {
		ss += (recorded(i) - m) * (recorded(i) - m)
	}
	return Candidate{
		Family: Deterministic, OK: len(x) >= 2,
		Params: []float64{m}, SE: []float64{math.Sqrt(ss/(n-1)) / math.Sqrt(n)},
		Mean: m, CV: 0,
		LogLik: math.NaN(), AIC: math.NaN(),
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
	case Deterministic:
		m := c.Params[0]
		return func(h float64) float64 {
			if h < m {
				return 0
			}
			return 1
		}
	}
	panic(fmt.Sprintf("fit: no distribution function for %v", c.Family))
}

// limitedMean is the fitted E[min(T, h)] = ∫₀ʰ S(t) dt, in hours, of h
// hours: bounded by the mean, so that differences over one tick of the
// clock keep their precision.
func (c *Candidate) limitedMean() func(float64) float64 {
	switch c.Family {
	case Exponential:
		m := c.Params[0]
		return func(h float64) float64 { return -m * math.Expm1(-h/m) }
	case LogNormal:
		mu, sigma := c.Params[0], c.Params[1]
		return func(h float64) float64 {
			if h <= 0 {
				return 0
			}
			z := (math.Log(h) - mu) / sigma
			return c.Mean*distuv.UnitNormal.CDF(z-sigma) + h*distuv.UnitNormal.Survival(z)
		}
	case Gamma:
		// mean·P(k+1, x) + h·Q(k, x), x = h·k/mean, with one incomplete
		// gamma function: P(k+1, x) = P(k, x) − xᵏe⁻ˣ/Γ(k+1).
		k, mean := c.Params[0], c.Params[1]
		lg, _ := math.Lgamma(k + 1)
		return func(h float64) float64 {
			if h <= 0 {
				return 0
			}
			x := h * k / mean
			q := mathext.GammaIncRegComp(k, x)
			return mean*(1-q-math.Exp(k*math.Log(x)-x-lg)) + h*q
		}
	case HyperExponential:
		k := len(c.Params) / 2
		probs, means := c.Params[:k], c.Params[k:]
		return func(h float64) float64 {
			var s float64
			for j, p := range probs {
				s -= p * means[j] * math.Expm1(-h/means[j])
			}
			return s
		}
	case Deterministic:
		m := c.Params[0]
		return func(h float64) float64 { return min(h, m) }
	}
	panic(fmt.Sprintf("fit: no limited mean for %v", c.Family))
}

// Survival is the fitted probability of a duration longer than h hours.
func (c *Candidate) Survival(h float64) float64 { return 1 - c.cdf()(h) }

// Gap is where the sample and the fitted distribution c are farthest
// apart, as a clock of the export's resolution records times: at the
// sample value at, the one's distribution function is lo and the other's
// hi, and hi − lo is c's Kolmogorov–Smirnov distance.
//
// A duration recorded to a clock of resolution r is floor(T/r + U)·r, U
// uniform on [0, 1) being where the opening fell within its tick, so it is
// at most k·r with probability G(k) = 1 − ∫ₖᵣ⁽ᵏ⁺¹⁾ʳ S(t) dt / r, S the
// survival function of T. The sample and G are both distributions on the
// ticks, and their distance is the largest gap at a tick the sample
// holds, or just below it. Compared with T's own distribution function
// instead, a point mass at m is at the largest distance, 1, from the
// identical times that record it, and a time to the minute from times of
// a few minutes counts each tie as a misfit. A value under the
// resolution, counted as half of it, is on tick 0.
func (d *Durations) Gap(c *Candidate) (at, lo, hi float64) {
	x, r := d.Hours, d.Clock
	limited := c.limitedMean()
	// The limited mean at the last ticks' ends, which neighbouring ticks
	// share.
	memo := [2]struct{ tick, at float64 }{{-1, 0}, {-1, 0}}
	limitedAt := func(tick float64) float64 {
		for _, m := range memo {
			if m.tick == tick {
				return m.at
			}
		}
		v := limited(tick * r)
		memo[0], memo[1] = memo[1], struct{ tick, at float64 }{tick, v}
		return v
	}
	atMost := func(k float64) float64 {
		return min(max(1-(limitedAt(k+1)-limitedAt(k))/r, 0), 1)
	}
	n := float64(len(x))
	best := -1.0
	gap := func(g, from, to float64, v float64) {
		if g > best {
			best, at, lo, hi = g, v, from, to
		}
	}
	for i := 0; i < len(x); {
		j := i + 1
		for j < len(x) && x[j] == x[i] {
			j++
		}
		k := math.Floor(x[i]/r + 1e-6) // the tick, despite rounding in hours
		below, upto := float64(i)/n, float64(j)/n
		if k > 0 {
			g := atMost(k - 1)
			gap(g-below, below, g, x[i])
		}
		g := atMost(k)
		gap(upto-g, g, upto, x[i])
		gap(g-upto, upto, g, x[i])
		i = j
	}
	return at, lo, hi
}

// Describe says what the candidate is, with its parameters and their
// standard errors, in the units a planner reads.
func (c *Candidate) Describe() string {
	switch c.Family {
	case Exponential:
		return "mean " + hoursSE(c.Params[0], c.SE[0])
	case LogNormal:
		return fmt.Sprintf("mu %s, sigma %s (ln hours): mean %s, cv %.3g",
			numberSE(c.Params[0], c.SE[0], "%.3f", "%.3f"), numberSE(c.Params[1], c.SE[1], "%.3f", "%.3f"), format.Hours(c.Mean), c.CV)
	case Gamma:
		return fmt.Sprintf("shape %s, mean %s: cv %.3g",
			numberSE(c.Params[0], c.SE[0], "%.3g", "%.2g"), hoursSE(c.Params[1], c.SE[1]), c.CV)
	case HyperExponential:
		k := len(c.Params) / 2
		var phases []string
		for j := range k {
			phases = append(phases, fmt.Sprintf("%s of mean %s", numberSE(c.Params[j], c.SE[j], "%.3g", "%.2g"), hoursSE(c.Params[k+j], c.SE[k+j])))
		}
		return fmt.Sprintf("%s: mean %s, cv %.3g", strings.Join(phases, "; "), format.Hours(c.Mean), c.CV)
	case Deterministic:
		return "every time " + hoursSE(c.Params[0], c.SE[0])
	}
	return c.Family.String()
}

// numberSE writes v ± se in their formats, and v alone when its standard
// error is unknown (phases a sample cannot tell apart).
func numberSE(v, se float64, form, seForm string) string {
	if math.IsNaN(se) {
		return fmt.Sprintf(form, v)
	}
	return fmt.Sprintf(form+" ± "+seForm, v, se)
}

// hoursSE writes a time in hours ± its standard error as numberSE does.
func hoursSE(h, se float64) string {
	if math.IsNaN(se) {
		return format.Hours(h)
	}
	return format.Hours(h) + " ± " + format.Hours(se)
}
