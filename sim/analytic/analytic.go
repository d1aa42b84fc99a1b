package analytic

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// ErrNoClosedForm wraps the reason a model has no closed-form answer.
var ErrNoClosedForm = errors.New("no closed form")

// An Answer is the closed-form figures of an M/M/c model, in its steady
// state. Shares are between 0 and 1.
type Answer struct {
	// Formula names the model: "Erlang C".
	Formula string
	// Agents serve Tier, whose tickets arrive at ArrivalRate an hour and
	// take HandlingTime on average.
	Agents       int
	Tier         string
	ArrivalRate  float64
	HandlingTime time.Duration
	// Load is the offered load in Erlangs; Stable is false when it reaches
	// the agents, and then no figure below is finite but the shares (0) and
	// the occupancy (1).
	Load   float64
	Stable bool
	// Response and Resolution are the shares of tickets whose clocks stop
	// within the targets: P(W <= response target), P(W + S <= resolution
	// target).
	Response, Resolution                 float64
	ResponseTarget, ResolutionTarget     time.Duration
	ProbWait, Occupancy                  float64
	MeanWait                             time.Duration // ASA: average speed of answer; the longest duration when unstable
	Level                                float64
	AgentsForResponse, AgentsForResolved int // the fewest agents meeting Level on each clock; 0 when no number of agents can
}

// For returns the closed-form answer of model m, with the agents each
// clock needs to reach level (0 < level < 1), or an error wrapping
// ErrNoClosedForm saying why m has none.
func For(m *sim.Model, level float64) (*Answer, error) {
	agents, err := pool(m)
	if err != nil {
		return nil, err
	}
	if len(m.Tiers) != 1 {
		return nil, noClosedForm("%d tiers served by priority", len(m.Tiers))
	}
	t := &m.Tiers[0]
	exp, ok := t.Handling.(sim.Exponential)
	switch {
	case !ok:
		return nil, noClosedForm("handling times are %s, not exponential", t.Handling)
	case len(t.Escalation) > 0:
		return nil, noClosedForm("tickets escalate")
	case t.Automation.Eligible > 0:
		return nil, noClosedForm("automation tries tickets first")
	case t.Pending.Probability > 0:
		return nil, noClosedForm("tickets wait on the customer")
	case t.Deflected > 0 || t.Misclassified > 0:
		return nil, noClosedForm("tickets are deflected or misclassified")
	case t.ResponseCalendar != nil || t.ResolutionCalendar != nil || t.OffHours.Calendar != nil:
		return nil, noClosedForm("clocks run in business hours")
	case t.Patience != nil:
		return nil, noClosedForm("callers hang up: Erlang A (slasim erlang --patience) gives the response figures")
	case t.Blocking:
		return nil, noClosedForm("a full line turns tickets away")
	case t.Travel != nil:
		return nil, noClosedForm("agents travel to site")
	case m.DailyCV > 0:
		return nil, noClosedForm("daily volumes vary more than Poisson")
	case len(m.Bursts) > 0:
		return nil, noClosedForm("major incidents bring bursts of tickets")
	case !constant(t.Arrivals.Rates):
		return nil, noClosedForm("the arrival rate varies over the week")
	case !(level > 0 && level < 1):
		return nil, fmt.Errorf("analytic: level %v, need a share in (0, 1)", level)
	}
	rate := t.Arrivals.MeanRate()
	q := queueing.MMc{Servers: agents, ArrivalRate: rate, ServiceRate: 1 / exp.Mu.Hours()}
	a := &Answer{
		Formula:          "Erlang C",
		Agents:           agents,
		Tier:             t.Name,
		ArrivalRate:      rate,
		HandlingTime:     exp.Mu,
		Load:             q.Load(),
		Stable:           q.Stable(),
		ResponseTarget:   t.Response,
		ResolutionTarget: t.Resolution,
		Response:         q.WaitAtMost(t.Response.Hours()),
		Resolution:       q.SojournAtMost(t.Resolution.Hours()),
		ProbWait:         q.ProbWait(),
		Occupancy:        min(q.Utilisation(), 1),
		MeanWait:         hours(q.MeanWait()),
		Level:            level,
	}
	if a.AgentsForResponse, err = queueing.ServersFor(rate, q.ServiceRate, t.Response.Hours(), level); err != nil {
		return nil, fmt.Errorf("analytic: %w", err)
	}
	a.AgentsForResolved = agentsForSojourn(q, t.Resolution.Hours(), level)
	return a, nil
}

// pool is the number of agents of m's single pool on duty around the clock
// at full strength: Agents, or teams whose head count never changes, none
// on call or away.
func pool(m *sim.Model) (int, error) {
	if len(m.Teams) == 0 {
		if m.Agents < 1 {
			return 0, noClosedForm("no agents")
		}
		return m.Agents, nil
	}
	drain := m.Drain
	if drain == 0 {
		drain = sim.DefaultDrain
	}
	end := m.WarmUp + m.Horizon + drain
	total := 0
	for _, t := range m.Teams {
		// The steps that hold during the simulated period.
		onSite := t.OnSite.Value[:countBefore(t.OnSite.At, end)]
		switch {
		case t.Shrinkage > 0:
			return 0, noClosedForm("team %s loses %.0f%% of its time to shrinkage", t.Name, 100*t.Shrinkage)
		case len(t.OnCall.Value) > 0 && slices.Max(t.OnCall.Value) > 0:
			return 0, noClosedForm("team %s has agents on call", t.Name)
		case len(onSite) == 0 || t.OnSite.At[0] > 0 || !constant(onSite):
			return 0, noClosedForm("team %s is not on duty at full strength around the clock", t.Name)
		}
		total += t.OnSite.Value[0] * max(t.Concurrency, 1) // M/M/(cN): a slot serves as an agent
	}
	if total < 1 {
		return 0, noClosedForm("no agents")
	}
	return total, nil
}

// agentsForSojourn is the fewest servers with P(W + S <= t) >= level, or 0
// if even no wait at all misses it: P(S <= t) < level.
func agentsForSojourn(q queueing.MMc, t, level float64) int {
	if 1-math.Exp(-q.ServiceRate*t) < level {
		return 0
	}
	q.Servers = max(1, int(math.Floor(q.Load()))+1)
	for q.SojournAtMost(t) < level {
		q.Servers++
	}
	return q.Servers
}

func noClosedForm(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrNoClosedForm, fmt.Sprintf(format, a...))
}

// countBefore is the number of times before end.
func countBefore(at []time.Duration, end time.Duration) int {
	n, _ := slices.BinarySearch(at, end)
	return n
}

// constant reports whether every value is the first.
func constant[T comparable](v []T) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

// hours converts hours to a duration, the longest one for +Inf.
func hours(h float64) time.Duration {
	if h >= float64(math.MaxInt64)/float64(time.Hour) {
		return math.MaxInt64
	}
	return time.Duration(math.Round(h * float64(time.Hour)))
}
