package queueing

import (
	"fmt"
	"math"

	"github.com/slasim/slasim/internal/plural"
)

// MaxCallCentreLoad bounds the offered load, in Erlangs, of a CallCentre:
// each evaluation costs a few operations per agent, and a million agents
// busy at once is beyond any single pool.
const MaxCallCentreLoad = 1e6

// CallCentre is one planning interval of a call centre, with the inputs of
// an Erlang calculator. Times are in one unit of the caller's choosing
// (seconds, say: an Interval of 1800 and a HandlingTime of 180).
//
// With no Patience the calls are an Erlang C queue (MMc): callers wait as
// long as it takes. With a Patience they are an Erlang A queue (MMcM):
// callers hang up after an exponential time of that mean, and abandoned
// calls count against the service level.
//
// Chat works the same way with concurrency: c agents each holding N chats
// at once, every chat handled in the same time as it would be alone, are
// c·N servers (M/M/(cN)); ask for agents in slots and divide by N.
type CallCentre struct {
	Calls        float64 // calls offered in the interval, >= 0
	Interval     float64 // length of the interval, > 0
	HandlingTime float64 // mean handling time of a call (talk and wrap-up, AHT), > 0
	Patience     float64 // mean time a caller waits before hanging up; 0: never (Erlang C)
	Target       float64 // answer-time target of the service level, >= 0 (0: answered at once)
	Shrinkage    float64 // share of paid agent time not available for calls, in [0, 1)
	MaxOccupancy float64 // highest occupancy accepted, in (0, 1]; 0: no cap
}

// Performance is what a number of agents achieves in a CallCentre interval.
// Under Erlang C with no more agents than the load the queue grows without
// bound: the service level is then 0, the ASA +Inf and P(wait) 1.
type Performance struct {
	Agents          int     // agents taking calls
	Scheduled       int     // agents to schedule, Agents/(1 − Shrinkage) rounded up
	Load            float64 // offered traffic, Erlangs: calls × handling time / interval
	ServiceLevel    float64 // share of all calls answered within Target
	ASA             float64 // average speed of answer: mean wait of answered calls
	ProbWait        float64 // share of calls that find every agent busy
	ImmediateAnswer float64 // share answered at once, 1 − ProbWait
	Occupancy       float64 // share of agent time spent on calls
	Abandoned       float64 // share of calls that hang up (0 under Erlang C)
}

// Validate reports the first field outside its domain, by name.
func (cc CallCentre) Validate() error {
	check := func(name string, v float64, ok bool, want string) error {
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: %s %v, need %s", ErrInvalid, name, v, want)
		}
		return nil
	}
	for _, err := range []error{
		check("calls", cc.Calls, cc.Calls >= 0, "a number >= 0"),
		check("interval", cc.Interval, cc.Interval > 0, "a time > 0"),
		check("handling time", cc.HandlingTime, cc.HandlingTime > 0, "a time > 0"),
		check("patience", cc.Patience, cc.Patience >= 0, "a time >= 0 (0: callers never hang up)"),
		check("target", cc.Target, cc.Target >= 0, "a time >= 0"),
		check("shrinkage", cc.Shrinkage, cc.Shrinkage >= 0 && cc.Shrinkage < 1, "a share in [0, 1)"),
		check("max occupancy", cc.MaxOccupancy, cc.MaxOccupancy >= 0 && cc.MaxOccupancy <= 1, "a share in (0, 1], or 0 for no cap"),
	} {
		if err != nil {
			return err
		}
	}
	if load := cc.load(); !(load <= MaxCallCentreLoad) {
		return fmt.Errorf("%w: offered load %s Erlangs, at most %s", ErrInvalid, plural.Figure(load, 4), plural.Figure(MaxCallCentreLoad, 4))
	}
	return nil
}

func (cc CallCentre) load() float64 { return cc.Calls * cc.HandlingTime / cc.Interval }

// queue is the Erlang A queue of the interval with the given agents; its
// AbandonRate is 0 (Erlang C) without a patience. Its times are in
// handling times, so that its load is the offered load itself, and as
// many agents as a whole load are unstable: in seconds, 100 calls of 180 s
// in 1800 s had λ/μ = 9.999999999999998 Erlangs, stable on 10 agents.
func (cc CallCentre) queue(agents int) MMcM {
	q := MMcM{Servers: agents, ArrivalRate: cc.load(), ServiceRate: 1}
	if cc.Patience > 0 {
		q.AbandonRate = cc.HandlingTime / cc.Patience
	}
	return q
}

// Evaluate is what the given number of agents (at least 1) achieves.
func (cc CallCentre) Evaluate(agents int) (Performance, error) {
	if err := cc.Validate(); err != nil {
		return Performance{}, err
	}
	q := cc.queue(agents)
	if err := q.Validate(); err != nil {
		return Performance{}, err
	}
	p := Performance{
		Agents:    agents,
		Scheduled: scheduled(agents, cc.Shrinkage),
		Load:      cc.load(),
		ProbWait:  q.ProbWait(),
		Occupancy: q.Occupancy(),
		Abandoned: q.ProbAbandon(),
	}
	p.ImmediateAnswer = 1 - p.ProbWait
	p.ServiceLevel = q.AnsweredWithin(cc.Target / cc.HandlingTime)
	p.ASA = q.MeanServedWait() * cc.HandlingTime
	return p, nil
}

// scheduled is agents/(1 − shrinkage) rounded up, ignoring the rounding
// error of the division: 14 agents at 30% shrinkage are 20 to schedule,
// although 14/0.7 is 20.000000000000004 in floating point.
func scheduled(agents int, shrinkage float64) int {
	v := float64(agents) / (1 - shrinkage)
	return int(math.Ceil(v - 1e-9*v))
}

// AgentsFor is the smallest number of agents whose service level is at
// least level (0 < level < 1) and whose occupancy is at most the cap, with
// what it achieves. With no calls it is 0 agents, an idle desk.
//
// Both conditions are monotone in the number of agents (more agents answer
// more calls sooner and are each busy less; the tests compare the answer
// with a scan), so it is found by bisection: a few dozen evaluations
// whatever the load.
func (cc CallCentre) AgentsFor(level float64) (Performance, error) {
	if err := cc.Validate(); err != nil {
		return Performance{}, err
	}
	if !(level > 0 && level < 1) {
		return Performance{}, fmt.Errorf("%w: service level goal %v, need a share in (0, 1)", ErrInvalid, level)
	}
	if cc.Calls == 0 {
		return Performance{ServiceLevel: 1, ImmediateAnswer: 1}, nil
	}
	meets := func(agents int) (bool, error) {
		p, err := cc.Evaluate(agents)
		return p.ServiceLevel >= level && (cc.MaxOccupancy == 0 || p.Occupancy <= cc.MaxOccupancy), err
	}
	// Below lo the goal is missed; at hi it is met.
	lo, hi := 0, max(1, int(math.Ceil(cc.load())))
	for {
		ok, err := meets(hi)
		if err != nil {
			return Performance{}, err
		}
		if ok {
			break
		}
		lo, hi = hi, 2*hi
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := meets(mid)
		if err != nil {
			return Performance{}, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	return cc.Evaluate(hi)
}
