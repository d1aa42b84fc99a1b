package sim

import "context"

// CPUTime is cpuTime for the benchmarks of package sim_test.
var CPUTime = cpuTime

// newEngine makes an engine for m as Run does for each of its workers.
func newEngine(m *Model) *replication { return newReplication(m, m.unserved(m.expose())) }

// LeanModel is leanModel for the tests of package sim_test.
var LeanModel = leanModel

// TakesLeanPath reports whether a replication of m run by sim.Run without
// a collector takes the lean path.
func TakesLeanPath(m *Model) bool { return newEngine(m).leanRun() }

// RunRedraws runs replications 0 to reps-1 of m with the seed as Run's
// engines do, without a collector, leaving out the redraws of a quiet
// team under shrinkage that change nothing (skip, as Run does) or keeping
// them all; it stops at the first error.
func RunRedraws(m *Model, seed uint64, reps int, skip bool) (*Summary, error) {
	r := newEngine(m)
	r.ctx = context.Background()
	for k := range r.rosters {
		r.rosters[k].quiet = r.rosters[k].quiet && skip
	}
	s := NewSummary(m)
	for rep := range reps {
		if err := r.run(seed, rep, s); err != nil {
			return s, err
		}
	}
	return s, nil
}
