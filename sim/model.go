package sim

import (
	"errors"
	"fmt"
	"time"
)

// Week is the period of an arrival profile given by hour or quarter-hour of
// the week.
const Week = 7 * 24 * time.Hour

// DefaultMaxInSystem bounds the number of tickets a replication may hold at
// once before it is declared unstable.
const DefaultMaxInSystem = 200_000

// Model is everything a replication needs: the tiers in priority order, the
// agents, and the simulated period.
type Model struct {
	// Tiers in priority order: tier 0 is served first.
	Tiers []Tier
	// Agents is the number of identical agents, each able to work on any tier.
	Agents int
	// WarmUp is simulated before the measured window; tickets that arrive
	// during it are served but not counted.
	WarmUp time.Duration
	// Horizon is the length of the measured window. Tickets arriving in it
	// are followed until they are resolved, even past its end.
	Horizon time.Duration
	// Start is where in the arrival profile's period the measured window
	// begins (0: Monday 00:00 for a weekly profile).
	Start time.Duration
	// MaxInSystem bounds the tickets in the system at once; a replication
	// exceeding it stops and reports the system unstable. Zero means
	// DefaultMaxInSystem.
	MaxInSystem int
}

// Tier is one priority class of tickets.
type Tier struct {
	Name     string
	Arrivals ArrivalProfile
	Handling Distribution
	// Targets for the response clock (arrival until an agent starts work)
	// and the resolution clock (arrival until done).
	Response, Resolution time.Duration
	// Preempts lets tickets of this tier interrupt the service of a ticket
	// of a lower-priority tier when no agent is free (preemptive-resume: the
	// interrupted ticket later continues where it stopped).
	Preempts bool
}

// ArrivalProfile is a Poisson process whose rate is piecewise constant:
// Rates[i] tickets per hour during the i-th interval of length Interval,
// repeating with period len(Rates)*Interval (a week for 168 hourly rates).
type ArrivalProfile struct {
	Interval time.Duration
	Rates    []float64
}

// ConstantRate returns the profile of a homogeneous Poisson process with
// the given number of arrivals per hour.
func ConstantRate(perHour float64) ArrivalProfile {
	return ArrivalProfile{Interval: time.Hour, Rates: []float64{perHour}}
}

// Period is the length after which the profile repeats.
func (p ArrivalProfile) Period() time.Duration {
	return p.Interval * time.Duration(len(p.Rates))
}

// MeanRate is the average number of arrivals per hour over the period.
func (p ArrivalProfile) MeanRate() float64 {
	if len(p.Rates) == 0 {
		return 0
	}
	var s float64
	for _, r := range p.Rates {
		s += r
	}
	return s / float64(len(p.Rates))
}

// Scaled returns a copy of the profile with every rate multiplied by f.
func (p ArrivalProfile) Scaled(f float64) ArrivalProfile {
	rates := make([]float64, len(p.Rates))
	for i, r := range p.Rates {
		rates[i] = r * f
	}
	return ArrivalProfile{Interval: p.Interval, Rates: rates}
}

// OfferedLoad is the mean work arriving per hour, in agent-hours per hour
// (Erlangs), averaged over the arrival profiles' periods.
func (m *Model) OfferedLoad() float64 {
	var load float64
	for _, t := range m.Tiers {
		load += t.Arrivals.MeanRate() * t.Handling.Mean().Hours()
	}
	return load
}

// Validate reports the first reason the model cannot be simulated. Scenario
// files get friendlier, positioned messages from package scenarios; this is
// the engine's own guard.
func (m *Model) Validate() error {
	if len(m.Tiers) == 0 {
		return errors.New("model has no tiers")
	}
	if m.Agents <= 0 {
		return fmt.Errorf("agents must be > 0, got %d", m.Agents)
	}
	if m.Horizon <= 0 {
		return fmt.Errorf("horizon must be > 0, got %v", m.Horizon)
	}
	if m.WarmUp < 0 {
		return fmt.Errorf("warm-up must be >= 0, got %v", m.WarmUp)
	}
	if m.MaxInSystem < 0 {
		return fmt.Errorf("max in system must be >= 0, got %d", m.MaxInSystem)
	}
	for i, t := range m.Tiers {
		if err := t.validate(); err != nil {
			return fmt.Errorf("tier %d (%q): %w", i, t.Name, err)
		}
	}
	return nil
}

func (t *Tier) validate() error {
	if t.Handling == nil {
		return errors.New("no handling-time distribution")
	}
	if t.Response <= 0 || t.Resolution <= 0 {
		return fmt.Errorf("targets must be > 0, got response %v, resolution %v", t.Response, t.Resolution)
	}
	p := t.Arrivals
	if p.Interval <= 0 || len(p.Rates) == 0 {
		return errors.New("arrival profile needs an interval > 0 and at least one rate")
	}
	for i, r := range p.Rates {
		if !(r >= 0) || r > 1e12 {
			return fmt.Errorf("arrival rate %d must be finite and >= 0, got %v", i, r)
		}
	}
	return nil
}
