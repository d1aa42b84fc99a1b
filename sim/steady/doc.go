// Package steady reads a simulation's output series for the two questions
// of steady state: where the start-up transient ends, and whether a
// backlog keeps growing.
//
// A replication starts empty, so its first observations (queue lengths,
// waits) are biased low; averaging them in biases every estimate towards
// a quieter desk. Truncation finds how many leading observations to drop
// with the MSER rule (White 1997; Franklin and White 2008), the rule the
// Java Modelling Tools apply automatically: drop the d observations that
// minimise the squared standard error of the mean of the rest,
//
//	MSER(d) = Σ_{i>d} (Y_i − Ȳ_d)² / (n − d)²,
//
// computed on batch means of b observations (MSER-5 with b = 5), which
// smooths the noise. The minimum is searched over the first half of the
// series only: when it lies at that half's end the series is too short to
// show its steady state, and Truncation says so.
//
// Trend fits a straight line to a series by least squares and gives its
// slope with the slope's standard error, for telling a backlog that grows
// week after week from one that only varies.
package steady
