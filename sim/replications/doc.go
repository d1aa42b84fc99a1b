// Package replications keeps each replication's own attainment counts, by
// tier and clock, beside the merged statistics of package sim: what a run's
// intervals are computed from, for output by replication
// (replications.csv).
package replications
