package scenarios

import (
	"time"

	"github.com/slasim/slasim/sim"
)

// A Scenario is a parsed and validated scenario file: the tiers of tickets
// and their targets, the agents, and how to simulate them.
type Scenario struct {
	// File is the file the scenario was read from, as given to Parse; empty
	// for an embedded example.
	File        string
	Name        string
	Description string
	Simulation  Simulation
	Arrivals    Arrivals
	// Tiers in priority order: the first is served first.
	Tiers []Tier
	// Agents is the number of identical agents, each able to work on any
	// tier, on duty around the clock.
	Agents int
	// Warnings are doubts that do not stop a run, such as an offered load
	// the agents cannot carry.
	Warnings []Problem
}

// Simulation says how long and how often to simulate.
type Simulation struct {
	// Horizon is the measured window, which starts on a Monday at 00:00;
	// WarmUp is simulated before it and not measured.
	Horizon, WarmUp time.Duration
	// Replications is the number of independent replications, or with
	// Precision the number to start with.
	Replications int
	// Precision, when > 0, adds replications until every attainment's 95%
	// confidence interval has a half-width at most this (0.005 is half a
	// percentage point), or MaxReplications is reached.
	Precision       float64
	MaxReplications int
	Seed            uint64
}

// Arrivals is the total ticket volume that tiers with a share divide.
type Arrivals struct {
	// Volume is the mean number of tickets per hour over the week, before
	// Scale; 0 when every tier has its own rate.
	Volume float64
	// Scale multiplies every tier's volume, shares and rates alike.
	Scale   float64
	Profile Profile
}

// A Tier is one priority class of tickets.
type Tier struct {
	Name string
	// Share is the tier's share of Arrivals.Volume, or 0 if the tier has its
	// own Rate in tickets per hour instead.
	Share, Rate float64
	// Profile is the tier's weekly shape: its own, else the arrivals
	// profile.
	Profile  Profile
	Targets  Targets
	Handling sim.Distribution
	// Preempt lets the tier's tickets interrupt work on lower tiers when no
	// agent is free; the interrupted ticket resumes later where it stopped.
	Preempt bool
}

// Targets are a tier's SLA clocks: from arrival until an agent starts work
// (response), and until the ticket is done (resolution).
type Targets struct {
	Response, Resolution time.Duration
}

// Model returns the engine's model of the scenario. It reads the fields
// afresh, so that a caller may change, say, Agents or Arrivals.Scale first.
// The measured window starts at Monday 00:00 of the profiles' week.
func (s *Scenario) Model() *sim.Model {
	m := &sim.Model{
		Agents:  s.Agents,
		WarmUp:  s.Simulation.WarmUp,
		Horizon: s.Simulation.Horizon,
		Tiers:   make([]sim.Tier, len(s.Tiers)),
	}
	for i, t := range s.Tiers {
		m.Tiers[i] = sim.Tier{
			Name:       t.Name,
			Arrivals:   s.arrivals(&t),
			Handling:   t.Handling,
			Response:   t.Targets.Response,
			Resolution: t.Targets.Resolution,
			Preempts:   t.Preempt,
		}
	}
	return m
}

// arrivals is tier t's arrival process: its mean rate in tickets per hour,
// shaped by its profile.
func (s *Scenario) arrivals(t *Tier) sim.ArrivalProfile {
	rate := t.Rate
	if t.Share > 0 {
		rate = s.Arrivals.Volume * t.Share
	}
	rate *= s.Arrivals.Scale
	if t.Profile.Flat() {
		return sim.ConstantRate(rate)
	}
	rates := make([]float64, len(t.Profile.Weights))
	for i, w := range t.Profile.Weights {
		rates[i] = rate * w
	}
	return sim.ArrivalProfile{Interval: t.Profile.Interval, Rates: rates}
}

// Options returns the engine's run options: seed, replications and
// precision.
func (s *Scenario) Options() sim.Options {
	return sim.Options{
		Seed:            s.Simulation.Seed,
		Replications:    s.Simulation.Replications,
		Precision:       s.Simulation.Precision,
		MaxReplications: s.Simulation.MaxReplications,
	}
}
