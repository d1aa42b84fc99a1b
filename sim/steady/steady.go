package steady

import "math"

// Truncation returns how many leading observations of x to discard: a
// multiple of batch, chosen by MSER on the means of consecutive batches of
// batch observations (an incomplete last batch is left out). ok is false
// when the series is too short to tell: fewer than minBatches batches, or
// the minimum at the end of the first half, where the transient may go on.
func Truncation(x []float64, batch int) (drop int, ok bool) {
	if batch < 1 {
		batch = 1
	}
	m := len(x) / batch
	if m < minBatches {
		return 0, false
	}
	means := make([]float64, m)
	for k := range means {
		var s float64
		for _, v := range x[k*batch : (k+1)*batch] {
			s += v
		}
		means[k] = s / float64(batch)
	}
	// Welford's update from the end: after adding means[d], mean and sq
	// describe means[d:], without the cancellation of Σy² − (Σy)²/n.
	half := m / 2
	best, bestD := math.Inf(1), 0
	var mean, sq float64
	for d := m - 1; d >= 0; d-- {
		k := float64(m - d)
		delta := means[d] - mean
		mean += delta / k
		sq += delta * (means[d] - mean)
		if d <= half {
			if v := sq / (k * k); v <= best {
				best, bestD = v, d
			}
		}
	}
	return bestD * batch, bestD < half
}

// minBatches is the fewest batch means MSER is applied to.
const minBatches = 10

// Trend is the least-squares slope of y against its index (y per step),
// with its standard error; the error is NaN with fewer than three points.
func Trend(y []float64) (slope, se float64) {
	n := float64(len(y))
	if len(y) < 2 {
		return 0, math.NaN()
	}
	xMean := (n - 1) / 2
	var yMean float64
	for _, v := range y {
		yMean += v
	}
	yMean /= n
	var sxy, sxx float64
	for i, v := range y {
		dx := float64(i) - xMean
		sxy += dx * (v - yMean)
		sxx += dx * dx
	}
	slope = sxy / sxx
	if len(y) < 3 {
		return slope, math.NaN()
	}
	var rss float64
	for i, v := range y {
		r := v - yMean - slope*(float64(i)-xMean)
		rss += r * r
	}
	return slope, math.Sqrt(rss / (n - 2) / sxx)
}
