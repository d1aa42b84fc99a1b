package sim

// CPUTime is cpuTime for the benchmarks of package sim_test.
var CPUTime = cpuTime
