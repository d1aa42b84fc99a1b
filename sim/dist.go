package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/sim/internal/fastexp"
)

// Distribution is a handling-time distribution. Sample must draw only from
// the given source, so that every replication is reproducible.
type Distribution interface {
	Sample(r *rand.Rand) time.Duration
	Mean() time.Duration
	// CV is the coefficient of variation, standard deviation over mean.
	CV() float64
	String() string
	// Validate reports parameters that cannot be sampled.
	Validate() error
}

func validDistribution(d Distribution) error {
	if d == nil {
		return errors.New("no distribution")
	}
	return d.Validate()
}

func positiveMean(mean time.Duration) error {
	if mean <= 0 || mean > maxSample {
		return fmt.Errorf("mean must be > 0 and at most %v, got %v", maxSample, mean)
	}
	return nil
}

func positiveCV(cv float64) error {
	if !(cv > 0 && cv <= 100) {
		return fmt.Errorf("coefficient of variation must be in (0, 100], got %v", cv)
	}
	return nil
}

// maxSample caps a drawn duration, far beyond any horizon, so that the
// conversion from a heavy-tailed float never overflows.
const maxSample = 100 * 365 * 24 * time.Hour

func duration(ns float64) time.Duration {
	if !(ns < float64(maxSample)) {
		return maxSample
	}
	if ns < 0 {
		return 0
	}
	return time.Duration(ns)
}

// Exponential handling times with the given mean.
type Exponential struct{ Mu time.Duration }

// sampler is a distribution the engine's hot loop draws from: an
// exponential, the most common, and a lognormal in line (intake.draw: the
// same draws as their Sample), any other through the interface.
type sampler struct {
	dist  Distribution
	expMu float64 // the exponential's mean in ns; 0 for another distribution
	// lnMu and lnSigma are a lognormal's parameters; lnSigma is 0 for
	// another distribution.
	lnMu, lnSigma float64
}

func newSampler(d Distribution) sampler {
	s := sampler{dist: d}
	switch e := d.(type) {
	case Exponential:
		s.expMu = float64(e.Mu)
	case *Exponential:
		s.expMu = float64(e.Mu)
	case LogNormal:
		s.lnMu, s.lnSigma = e.mu, e.sigma
	case *LogNormal:
		s.lnMu, s.lnSigma = e.mu, e.sigma
	}
	return s
}

// draw is a draw of the distribution from src, the same as its Sample's:
// for an automated attempt's processing and an update's handling, which
// come one at a time (intake.draw has the loop over a ticket's levels in
// line).
func (s *sampler) draw(src *source) time.Duration {
	switch {
	case s.expMu > 0:
		return duration(src.exp() * s.expMu)
	case s.lnSigma > 0:
		return duration(fastexp.Exp(s.lnMu + float64(s.lnSigma*src.normal())))
	}
	return s.dist.Sample(src.Rand)
}

func (d Exponential) Sample(r *rand.Rand) time.Duration {
	return duration(r.ExpFloat64() * float64(d.Mu))
}
func (d Exponential) Mean() time.Duration { return d.Mu }
func (d Exponential) CV() float64         { return 1 }
func (d Exponential) Validate() error     { return positiveMean(d.Mu) }
func (d Exponential) String() string      { return fmt.Sprintf("exponential(mean %v)", d.Mu) }

// Deterministic handling times: always Value.
type Deterministic struct{ Value time.Duration }

func (d Deterministic) Sample(*rand.Rand) time.Duration { return d.Value }
func (d Deterministic) Mean() time.Duration             { return d.Value }
func (d Deterministic) CV() float64                     { return 0 }
func (d Deterministic) Validate() error {
	if d.Value < 0 || d.Value > maxSample {
		return fmt.Errorf("value must be >= 0 and at most %v, got %v", maxSample, d.Value)
	}
	return nil
}
func (d Deterministic) String() string { return fmt.Sprintf("deterministic(%v)", d.Value) }

// LogNormal handling times, given by mean and coefficient of variation.
type LogNormal struct {
	mean      time.Duration
	cv        float64
	mu, sigma float64 // of the underlying normal, in log-nanoseconds
}

// NewLogNormal returns the lognormal distribution with the given mean and
// coefficient of variation (both > 0).
func NewLogNormal(mean time.Duration, cv float64) LogNormal {
	s2 := math.Log1p(cv * cv)
	return LogNormal{mean: mean, cv: cv, mu: math.Log(float64(mean)) - s2/2, sigma: math.Sqrt(s2)}
}

func (d LogNormal) Sample(r *rand.Rand) time.Duration {
	return duration(fastexp.Exp(d.mu + float64(d.sigma*r.NormFloat64())))
}
func (d LogNormal) Mean() time.Duration { return d.mean }
func (d LogNormal) CV() float64         { return d.cv }
func (d LogNormal) Validate() error {
	return errors.Join(positiveMean(d.mean), positiveCV(d.cv))
}
func (d LogNormal) String() string {
	return fmt.Sprintf("lognormal(mean %v, cv %g)", d.mean, d.cv)
}

// Gamma handling times, given by mean and coefficient of variation; drawn
// with gonum's generator.
type Gamma struct {
	mean time.Duration
	cv   float64
}

// NewGamma returns the gamma distribution with the given mean and
// coefficient of variation (both > 0): shape 1/cv², scale mean·cv².
func NewGamma(mean time.Duration, cv float64) Gamma { return Gamma{mean: mean, cv: cv} }

func (d Gamma) Sample(r *rand.Rand) time.Duration {
	shape := 1 / (d.cv * d.cv)
	g := distuv.Gamma{Alpha: shape, Beta: shape / float64(d.mean), Src: r}
	return duration(g.Rand())
}
func (d Gamma) Mean() time.Duration { return d.mean }
func (d Gamma) CV() float64         { return d.cv }
func (d Gamma) Validate() error     { return errors.Join(positiveMean(d.mean), positiveCV(d.cv)) }
func (d Gamma) String() string      { return fmt.Sprintf("gamma(mean %v, cv %g)", d.mean, d.cv) }

// Erlang handling times: the sum of Phases exponential phases, with total
// mean Mu.
type Erlang struct {
	Phases int
	Mu     time.Duration
}

func (d Erlang) Sample(r *rand.Rand) time.Duration {
	var s float64
	for range d.Phases {
		s += r.ExpFloat64()
	}
	return duration(s * float64(d.Mu) / float64(d.Phases))
}
func (d Erlang) Mean() time.Duration { return d.Mu }
func (d Erlang) CV() float64         { return 1 / math.Sqrt(float64(d.Phases)) }
func (d Erlang) Validate() error {
	if d.Phases < 1 || d.Phases > 1000 {
		return fmt.Errorf("phases must be from 1 to 1000, got %d", d.Phases)
	}
	return positiveMean(d.Mu)
}
func (d Erlang) String() string { return fmt.Sprintf("erlang(%d phases, mean %v)", d.Phases, d.Mu) }

// HyperExponential is a phase-type mixture: with probability Probs[i] the
// handling time is exponential with mean Means[i]. It models a population of
// quick and slow tickets (CV > 1).
type HyperExponential struct {
	Probs []float64
	Means []time.Duration
}

func (d HyperExponential) Sample(r *rand.Rand) time.Duration {
	u := r.Float64()
	i := 0
	for ; i < len(d.Probs)-1; i++ {
		if u < d.Probs[i] {
			break
		}
		u -= d.Probs[i]
	}
	return duration(r.ExpFloat64() * float64(d.Means[i]))
}

func (d HyperExponential) Mean() time.Duration {
	var m float64
	for i, p := range d.Probs {
		m += p * float64(d.Means[i])
	}
	return time.Duration(m)
}

func (d HyperExponential) CV() float64 {
	var m1, m2 float64
	for i, p := range d.Probs {
		mu := float64(d.Means[i])
		m1 += p * mu
		m2 += p * 2 * mu * mu
	}
	return math.Sqrt(m2-m1*m1) / m1
}

func (d HyperExponential) Validate() error {
	if len(d.Probs) == 0 || len(d.Probs) != len(d.Means) {
		return fmt.Errorf("needs as many probabilities as means, at least one; got %d and %d", len(d.Probs), len(d.Means))
	}
	var sum float64
	for i, p := range d.Probs {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("probability %d must be in [0, 1], got %v", i, p)
		}
		if err := positiveMean(d.Means[i]); err != nil {
			return fmt.Errorf("phase %d: %w", i, err)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("probabilities must sum to 1, got %v", sum)
	}
	return nil
}

func (d HyperExponential) String() string {
	return fmt.Sprintf("hyperexponential(probs %v, means %v)", d.Probs, d.Means)
}

// Empirical handling times, resampled uniformly from observed values.
type Empirical struct{ Values []time.Duration }

func (d Empirical) Sample(r *rand.Rand) time.Duration { return d.Values[r.IntN(len(d.Values))] }

func (d Empirical) Mean() time.Duration {
	var s float64
	for _, v := range d.Values {
		s += float64(v)
	}
	return time.Duration(s / float64(len(d.Values)))
}

func (d Empirical) CV() float64 {
	m := float64(d.Mean())
	var ss float64
	for _, v := range d.Values {
		x := float64(v) - m
		ss += x * x
	}
	return math.Sqrt(ss/float64(len(d.Values))) / m
}

func (d Empirical) Validate() error {
	if len(d.Values) == 0 {
		return errors.New("needs at least one value")
	}
	for i, v := range d.Values {
		if v < 0 || v > maxSample {
			return fmt.Errorf("value %d must be >= 0 and at most %v, got %v", i, maxSample, v)
		}
	}
	if d.Mean() == 0 {
		return errors.New("values must not all be 0")
	}
	return nil
}

func (d Empirical) String() string {
	if len(d.Values) == 0 {
		return "empirical(no values)"
	}
	s := slices.Clone(d.Values)
	slices.Sort(s)
	return fmt.Sprintf("empirical(%d values, median %v)", len(s), s[len(s)/2])
}
