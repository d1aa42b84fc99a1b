package scenarios

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/sim"
)

// handlingParams are a handling section's parameters, read but not yet
// checked against the distribution.
type handlingParams struct {
	mean   time.Duration
	cv     float64
	phases int
	probs  []float64
	means  []time.Duration
	values []time.Duration
}

// maxPhases bounds an Erlang distribution's phases: sampling costs one
// random draw per phase, and beyond this the distribution is as good as
// deterministic.
const maxPhases = 1000

// MinCV and MaxCV bound a lognormal or gamma coefficient of variation.
// Below MinCV a gamma's shape (1/cv²) is so large that sampling loses all
// precision, and overflows below 1e-154; such times are as good as
// deterministic. Beyond MaxCV nearly all the probability sits at 0 and
// the mean rests on draws of years, cut short at the engine's cap.
const (
	MinCV = 0.001
	MaxCV = 100
)

// A distribution is one handling-time distribution a scenario can name.
type distribution struct {
	name string
	// params are the handling fields it takes, all required.
	params []string
	build  func(p *handlingParams) sim.Distribution
}

var distributions = []distribution{
	{"exponential", []string{"mean"}, func(p *handlingParams) sim.Distribution {
		return sim.Exponential{Mu: p.mean}
	}},
	{"deterministic", []string{"mean"}, func(p *handlingParams) sim.Distribution {
		return sim.Deterministic{Value: p.mean}
	}},
	{"lognormal", []string{"mean", "cv"}, func(p *handlingParams) sim.Distribution {
		return sim.NewLogNormal(p.mean, p.cv)
	}},
	{"gamma", []string{"mean", "cv"}, func(p *handlingParams) sim.Distribution {
		return sim.NewGamma(p.mean, p.cv)
	}},
	{"erlang", []string{"mean", "phases"}, func(p *handlingParams) sim.Distribution {
		return sim.Erlang{Phases: p.phases, Mu: p.mean}
	}},
	{"hyperexponential", []string{"probs", "means"}, func(p *handlingParams) sim.Distribution {
		return sim.HyperExponential{Probs: p.probs, Means: p.means}
	}},
	{"empirical", []string{"values"}, func(p *handlingParams) sim.Distribution {
		return sim.Empirical{Values: p.values}
	}},
}

func distributionNames() []string {
	names := make([]string, len(distributions))
	for i, d := range distributions {
		names[i] = d.name
	}
	return names
}

// handling reads a handling-time distribution; hint says what to give
// when it is missing.
func (d *decoder) handling(h *rawHandling, hint string) (sim.Distribution, bool) {
	if !d.required(h.Self, hint) {
		return nil, false
	}
	// Read every parameter given before looking at the distribution, so that
	// their problems are reported even when its name is wrong.
	p, ok := d.params(h)
	name, good := d.text(h.Distribution)
	if !good {
		return nil, false
	}
	i := slices.IndexFunc(distributions, func(dist distribution) bool { return dist.name == name })
	if i < 0 {
		d.errorf(h.Distribution, "unknown distribution %q%s", name, suggestion(name, distributionNames()))
		return nil, false
	}
	dist := &distributions[i]
	takes := strings.Join(dist.params, " and ")
	for _, v := range h.params() {
		switch wanted := slices.Contains(dist.params, v.key()); {
		case wanted && v.node == nil:
			d.required(v, name+" takes "+takes)
			ok = false
		case !wanted && v.node != nil:
			d.errorf(v, "does not apply to %s, which takes %s", name, takes)
			ok = false
		}
	}
	if !ok {
		return nil, false
	}
	if len(p.probs) != len(p.means) {
		d.errorf(h.Means, "must have one mean per probability: %d %s, %d %s", len(p.means), plural.Of(len(p.means), "mean", "means"), len(p.probs), plural.Of(len(p.probs), "prob", "probs"))
		return nil, false
	}
	return dist.build(&p), true
}

// params reads the distribution parameters that are given, whatever the
// distribution.
func (d *decoder) params(h *rawHandling) (handlingParams, bool) {
	var p handlingParams
	ok := true
	if h.Mean.node != nil {
		var good bool
		p.mean, good = d.duration(h.Mean, false)
		ok = good && ok
	}
	if h.CV.node != nil {
		cv, good := d.number(h.CV)
		switch {
		case good && cv < MinCV:
			d.errorf(h.CV, "must be at least %g, got %s; for times that hardly vary, use distribution: deterministic", MinCV, h.CV.node.Value)
			good = false
		case good && cv > MaxCV:
			d.errorf(h.CV, "must be at most %d, got %s; beyond it nearly every time is 0 and a rare one lasts years", MaxCV, h.CV.node.Value)
			good = false
		}
		p.cv = cv
		ok = good && ok
	}
	if h.Phases.node != nil {
		n, good := d.integer(h.Phases, 1, maxPhases)
		p.phases = int(n)
		ok = good && ok
	}
	if h.Probs.node != nil {
		ok = d.probs(h.Probs, &p) && ok
	}
	if h.Means.node != nil {
		ok = d.durations(h.Means, &p.means, false) && ok
	}
	if h.Values.node != nil {
		ok = d.empirical(h.Values, &p) && ok
	}
	return p, ok
}

// probs reads a hyperexponential's branch probabilities, which must sum to 1.
func (d *decoder) probs(v value, p *handlingParams) bool {
	vs, ok := d.items(v, "probabilities", "[80%, 20%]")
	if !ok {
		return false
	}
	if len(vs) == 0 {
		d.errorf(v, "must not be empty")
		return false
	}
	sum := 0.0
	for _, e := range vs {
		f, good := d.fraction(e)
		if good && (f < 0 || f > 1) {
			d.errorf(e, "must be from 0 to 1, got %s", e.node.Value)
			good = false
		}
		ok = ok && good
		p.probs = append(p.probs, f)
		sum += f
	}
	if ok && math.Abs(sum-1) > shareTolerance {
		d.errorf(v, "must sum to 1 (100%%), got %s", percent(sum))
		return false
	}
	return ok
}

// durations reads a list of durations, each > 0, or >= 0 if zeroOK.
func (d *decoder) durations(v value, into *[]time.Duration, zeroOK bool) bool {
	vs, ok := d.items(v, "durations", "[20m, 1h]")
	if !ok {
		return false
	}
	if len(vs) == 0 {
		d.errorf(v, "must not be empty")
		return false
	}
	for _, e := range vs {
		t, good := d.duration(e, zeroOK)
		ok = ok && good
		*into = append(*into, t)
	}
	return ok
}

// empirical reads observed handling times; zero durations are allowed (a
// ticket closed at once) as long as the mean is not.
func (d *decoder) empirical(v value, p *handlingParams) bool {
	if !d.durations(v, &p.values, true) {
		return false
	}
	for _, t := range p.values {
		if t > 0 {
			return true
		}
	}
	d.errorf(v, "must not all be 0")
	return false
}
