// Package sim is slasim's discrete-event engine: it simulates tickets of
// several priority tiers arriving at a pool of agents, measures each ticket
// against its tier's response and resolution targets, and runs independent
// replications in parallel to give confidence intervals on SLA attainment.
//
// Simulation time is an integer (time.Duration since the start of the
// replication), so schedules and calendars never drift. Events live in a
// typed heap ordered by time, then kind (completions before arrivals), then
// sequence number, which makes every replication a pure function of the
// model, the master seed and the replication index.
//
// Each replication draws from its own random streams, one per purpose and
// tier, derived from (master seed, replication index, stream). Two models run
// with the same seed therefore share random numbers (common random numbers),
// and the result does not depend on the number of workers.
//
// Statistics are streamed: counts, exact sums and log-linear histograms that
// merge exactly and in any order, so partial results from different workers,
// processes or machines combine into the same answer.
package sim
