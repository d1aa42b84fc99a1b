package analytic

import (
	"context"
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

// An Answer is the closed-form figures of a single pool's queue, in its
// steady state. Shares are between 0 and 1.
type Answer struct {
	// Formula names the model: "Erlang C" (M/M/c), "Erlang A" (M/M/c+M:
	// callers hang up after an exponential Patience), "Erlang B" (M/M/c/c:
	// a line with no room to wait) or "M/M/c/K" (room for WaitingRoom).
	Formula string
	// Agents serve Tier, whose tickets arrive at ArrivalRate an hour and
	// take HandlingTime on average.
	Agents       int
	Tier         string
	ArrivalRate  float64
	HandlingTime time.Duration
	Patience     time.Duration
	WaitingRoom  int
	// Leaves is set where tickets leave unanswered: Erlang A, a finite
	// line.
	Leaves bool
	// Load is the offered load in Erlangs; Stable is false when it reaches
	// the agents of Erlang C, and then no figure below is finite but the
	// shares (0) and the occupancy (1). Erlang A and a finite line are
	// stable at any load.
	Load   float64
	Stable bool
	// Response is the share of tickets answered within the response
	// target, those that leave unanswered counted as missed; Resolution
	// the share resolved within the resolution target of those that do not
	// leave: as the simulation counts them (0 for a tier that promises no
	// resolution, ResolutionTarget 0).
	Response, Resolution             float64
	ResponseTarget, ResolutionTarget time.Duration
	// AnsweredResponse is, where tickets leave (Leaves), the share of the
	// answered tickets answered within the response target: Erlang A's
	// answered within it over answered, a call centre's service level of
	// the answered calls; a finite line's of the tickets admitted.
	AnsweredResponse float64
	// ProbWait is the share of answered tickets that waited at all, and
	// MeanWait their mean wait (ASA; the longest duration when unstable).
	ProbWait  float64
	MeanWait  time.Duration
	Occupancy float64
	// ProbAbandon (Erlang A) and ProbBlocked (a finite line) are the
	// shares of tickets that hang up and that are turned away.
	ProbAbandon, ProbBlocked float64
	Level                    float64
	// AgentsForResponse and AgentsForResolved are the fewest agents
	// meeting Level on each clock; 0 when no number of agents can. Where
	// tickets leave, the resolution clock is not sized (AgentsForResolved
	// 0): fewer agents lose more tickets but resolve those they answer
	// sooner, so its share among the resolved does not call for agents;
	// nor is it for a tier that promises no resolution.
	AgentsForResponse, AgentsForResolved int
}

// For returns the closed-form answer of model m, with the agents each
// clock needs to reach level (0 < level < 1), or an error wrapping
// ErrNoClosedForm saying why m has none. It stops, with the context's
// cause, between one figure and the next once ctx is done: each figure
// takes milliseconds, at most about a second at the extremes of the
// scenario limits (100,000 agents, patience of 10^9 services).
func For(ctx context.Context, m *sim.Model, level float64) (*Answer, error) {
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	agents, err := pool(m)
	if err != nil {
		return nil, err
	}
	if len(m.Tiers) != 1 {
		return nil, noClosedForm("%d tiers served by priority", len(m.Tiers))
	}
	t := &m.Tiers[0]
	exp, ok := t.Handling.(sim.Exponential)
	patience, patient := t.Patience.(sim.Exponential)
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
	case t.Patience != nil && !patient:
		return nil, noClosedForm("callers' patience is %s, not exponential", t.Patience)
	case t.Patience != nil && t.Blocking:
		return nil, noClosedForm("callers hang up and a full line turns tickets away (M/M/c/K+M)")
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
	mu := 1 / exp.Mu.Hours()
	a := &Answer{
		Agents:           agents,
		Tier:             t.Name,
		ArrivalRate:      rate,
		HandlingTime:     exp.Mu,
		Load:             rate / mu,
		Stable:           true,
		ResponseTarget:   t.Response,
		ResolutionTarget: t.Resolution,
		Level:            level,
	}
	switch {
	case patient:
		a.Patience = patience.Mu
		err = a.erlangA(ctx, queueing.MMcM{Servers: agents, ArrivalRate: rate, ServiceRate: mu, AbandonRate: 1 / patience.Mu.Hours()})
	case t.Blocking:
		a.WaitingRoom = t.QueueCapacity
		err = a.finite(ctx, queueing.MMcK{Servers: agents, Capacity: agents + t.QueueCapacity, ArrivalRate: rate, ServiceRate: mu})
	default:
		err = a.erlangC(ctx, queueing.MMc{Servers: agents, ArrivalRate: rate, ServiceRate: mu})
	}
	if err == nil {
		err = stopped(ctx)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// stopped is the context's cause once it is done, as For returns it.
func stopped(ctx context.Context) error {
	if ctx.Err() != nil {
		return fmt.Errorf("analytic: %w", context.Cause(ctx))
	}
	return nil
}

// erlangC answers for M/M/c.
func (a *Answer) erlangC(ctx context.Context, q queueing.MMc) error {
	a.Formula, a.WaitingRoom = "Erlang C", -1
	a.Load, a.Stable = q.Load(), q.Stable()
	a.Response = q.WaitAtMost(a.ResponseTarget.Hours())
	a.ProbWait, a.Occupancy, a.MeanWait = q.ProbWait(), min(q.Utilisation(), 1), hours(q.MeanWait())
	var err error
	if a.AgentsForResponse, err = queueing.ServersFor(q.ArrivalRate, q.ServiceRate, a.ResponseTarget.Hours(), a.Level); err != nil {
		return fmt.Errorf("analytic: %w", err)
	}
	if a.ResolutionTarget > 0 {
		a.Resolution = q.SojournAtMost(a.ResolutionTarget.Hours())
		a.AgentsForResolved = agentsForSojourn(ctx, q, a.ResolutionTarget.Hours(), a.Level)
	}
	return nil
}

// erlangA answers for M/M/c+M: response is answered within the target, of
// all callers (MMcM.AnsweredWithin); resolution is among the served.
func (a *Answer) erlangA(ctx context.Context, q queueing.MMcM) error {
	if err := q.Validate(); err != nil {
		return noClosedForm("%v", err)
	}
	a.Formula, a.Leaves, a.WaitingRoom = "Erlang A", true, -1
	served := q.ProbServed()
	a.Response = q.AnsweredWithin(a.ResponseTarget.Hours())
	a.AnsweredResponse = a.Response / served
	if err := stopped(ctx); err != nil {
		return err
	}
	if a.ResolutionTarget > 0 {
		a.Resolution = q.ServedSojournAtMost(a.ResolutionTarget.Hours()) / served
	}
	// Every caller finding an agent free is served: P(W = 0 | served).
	a.ProbWait = 1 - (1-q.ProbWait())/served
	a.MeanWait, a.Occupancy, a.ProbAbandon = hours(q.MeanServedWait()), q.Occupancy(), q.ProbAbandon()
	a.AgentsForResponse = fewest(ctx, func(c int) bool {
		q.Servers = c
		return q.AnsweredWithin(a.ResponseTarget.Hours()) >= a.Level
	})
	return nil
}

// finite answers for M/M/c/K (Erlang B when nobody may wait): response is
// answered within the target, of all tickets; waits and resolution are
// among those admitted.
func (a *Answer) finite(ctx context.Context, q queueing.MMcK) error {
	if err := q.Validate(); err != nil {
		return noClosedForm("%v", err)
	}
	a.Formula, a.Leaves = "M/M/c/K", true
	if q.Capacity == q.Servers {
		a.Formula = "Erlang B"
	}
	a.ProbBlocked = q.Blocking()
	a.AnsweredResponse = q.WaitAtMost(a.ResponseTarget.Hours())
	a.Response = (1 - a.ProbBlocked) * a.AnsweredResponse
	if a.ResolutionTarget > 0 {
		a.Resolution = q.SojournAtMost(a.ResolutionTarget.Hours())
	}
	a.ProbWait, a.MeanWait, a.Occupancy = q.ProbWait(), hours(q.MeanWait()), q.Utilisation()
	room := q.Capacity - q.Servers
	a.AgentsForResponse = fewest(ctx, func(c int) bool {
		q.Servers, q.Capacity = c, c+room
		return (1-q.Blocking())*q.WaitAtMost(a.ResponseTarget.Hours()) >= a.Level
	})
	return nil
}

// fewest is the fewest servers, from 1, for which ok holds, given that it
// holds for more once it holds; 0 if it does not for a million, or once ctx
// is done.
func fewest(ctx context.Context, ok func(servers int) bool) int {
	const most = 1 << 20
	hi := 1
	for !ok(hi) {
		if hi >= most || ctx.Err() != nil {
			return 0
		}
		hi = min(2*hi, most)
	}
	lo := hi / 2 // ok(lo) is false, or lo is 0
	for lo+1 < hi && ctx.Err() == nil {
		if mid := (lo + hi) / 2; ok(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
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
// if even no wait at all misses it: P(S <= t) < level, or once ctx is done.
func agentsForSojourn(ctx context.Context, q queueing.MMc, t, level float64) int {
	if 1-math.Exp(-q.ServiceRate*t) < level {
		return 0
	}
	q.Servers = max(1, int(math.Floor(q.Load()))+1)
	for q.SojournAtMost(t) < level {
		if ctx.Err() != nil {
			return 0
		}
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
