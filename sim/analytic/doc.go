// Package analytic gives the closed-form answer of a model that has one,
// the first answer a planner checks before simulating: a single pool of
// agents on duty around the clock, one tier of tickets arriving as a
// Poisson process at a constant rate, exponential handling, nothing else
// (no escalation, automation, pending time, business-hours clocks, daily
// factors or bursts). That model is the M/M/c queue, and Erlang C (package
// sim/queueing) gives its service level, ASA, probability of waiting,
// occupancy and the agents a level needs, exactly, in the steady state.
// Where callers hang up after an exponential patience it is Erlang A
// (M/M/c+M), and where a full line turns tickets away M/M/c/K (Erlang B
// with no room to wait): the answer then adds the share that leaves, and
// counts it as the simulation does (a missed response, never resolved).
//
// A simulation of the same model agrees with it within its intervals, once
// the warm-up has let the queue fill; where a model departs from these
// queues (travel to site, patience of another distribution, both patience
// and a limited line) the answer says why there is no closed form, and the
// simulation alone answers.
package analytic
