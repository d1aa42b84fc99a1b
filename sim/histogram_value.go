package sim

import "time"

// AddValue counts one integer value, such as an amount of money in cents,
// in the same log-linear buckets Add uses for nanoseconds: exact below 256,
// within HistogramRelativeError above. Negative values count as 0. A
// histogram should hold either durations or values, not both.
func (h *Histogram) AddValue(v int64) { h.Add(time.Duration(v)) }

// ValueQuantile is Quantile for a histogram of values added with AddValue.
func (h *Histogram) ValueQuantile(q float64) int64 { return int64(h.Quantile(q)) }
