package sim

// CPUTime is cpuTime for the benchmarks of package sim_test.
var CPUTime = cpuTime

// newEngine makes an engine for m as Run does for each of its workers.
func newEngine(m *Model) *replication { return newReplication(m, m.unserved(m.expose())) }

// LeanModel is leanModel for the tests of package sim_test.
var LeanModel = leanModel

// TakesLeanPath reports whether a replication of m run by sim.Run without
// a collector takes the lean path.
func TakesLeanPath(m *Model) bool { return newEngine(m).leanRun() }
