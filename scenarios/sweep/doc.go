// Package sweep runs what-if studies: a scenario at each combination of the
// values of one or two settings, every point on the same seed, so that the
// differences between points come from the change rather than from noise
// (common random numbers).
//
// ParseAxis reads a varied setting as a user writes it (agents=9..13,
// arrivals.scale=0.8..1.2:0.1, tiers[0].targets.response=15m,30m,1h) into an
// Axis: the field's path, its values as they go into the file, and what the
// values measure, for plotting them to scale. Grid lists the points of one
// or two axes.
package sweep
