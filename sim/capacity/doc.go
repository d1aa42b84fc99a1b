// Package capacity tells whether a desk's pools of agents can carry the
// work its tiers bring, when each kind of work may go only to the pools
// skilled for it: the load-per-pool check that a comparison of total load
// with total capacity misses (a front-line team at 110% beside an idle
// expert team still looks fine in total).
//
// A Problem has classes of work (a tier at a level, say), each with a load
// in Erlangs (agent-hours of work arriving per hour), and pools (teams),
// each with a capacity in agents; a class may be served by some pools
// only. The work can be carried at a utilisation u when it can be spread
// over the pools so that no pool is busier than u of its capacity. Solve
// finds the smallest such u, the desk's bottleneck utilisation, as the
// densest set S of classes (Hall's condition for supply and demand):
//
//	u* = max over S of load(S) / capacity(pools that may serve S)
//
// computed by a Newton (Dinkelbach) iteration on maximum flows: at a trial
// u, the minimum cut of the network source → class (its load) → pool
// (unlimited, where skilled) → sink (u × capacity) either passes all the
// load, and u ≥ u*, or its source side is a set of classes whose ratio
// exceeds u, the next trial. Each step raises u to the ratio of a cut, so
// the iteration ends, exactly, after a few maximum flows.
//
// The cut at u = 1 names the classes that cannot all be carried (Short),
// and the pools they would need beyond full time (Saturated). A class with
// load but no pool with any capacity is Unserved: nobody can take it, and
// u* is +Inf.
package capacity
