// Command slasim simulates a service desk described by a scenario file and
// reports, with confidence intervals, whether its SLA targets are met.
//
// Usage:
//
//	slasim run [FILE|NAME] [flags]    simulate a scenario (default: the embedded "default")
//	slasim sweep [FILE|NAME] --vary PATH=VALUES   what-if: one or two settings over values, same seed
//	slasim size [FILE|NAME]           the cheapest staffing per shift that keeps every promise
//	slasim fit EXPORT.csv[.gz]        calibrate a scenario from a ticket export
//	slasim validate FILE...           check scenario files and report every problem
//	slasim scenarios                  list the embedded example scenarios
//	slasim scenarios show NAME        print an embedded scenario, to start from
//	slasim version                    print the version
//
// Exit status: 0 success, 1 the run failed (unstable system, interrupted,
// output not written), 2 bad usage or an invalid scenario.
package main
