package sim

import (
	"fmt"
	"slices"
	"time"
)

// Steps is a piecewise-constant whole-number function of simulation time:
// Value[i] holds from At[i] until At[i+1] (the last value holds on). Before
// At[0] the value is 0. Package staffing builds them from shifts.
type Steps struct {
	At    []time.Duration
	Value []int
}

// Set makes v the value from at on, at or after the last step: a step at
// the last step's time is replaced, and one equal to the last value is
// left out.
func (s *Steps) Set(at time.Duration, v int) {
	switch last := len(s.At) - 1; {
	case last >= 0 && s.Value[last] == v:
	case last >= 0 && s.At[last] == at:
		s.Value[last] = v
	default:
		s.At = append(s.At, at)
		s.Value = append(s.Value, v)
	}
}

// validate checks the steps are usable by the engine.
func (s *Steps) validate() error {
	if len(s.At) != len(s.Value) {
		return fmt.Errorf("%d step times for %d values", len(s.At), len(s.Value))
	}
	for i := range s.At {
		if i > 0 && s.At[i] <= s.At[i-1] {
			return fmt.Errorf("step times must increase: %v after %v", s.At[i], s.At[i-1])
		}
		if s.Value[i] < 0 {
			return fmt.Errorf("step %d: value must be >= 0, got %d", i, s.Value[i])
		}
	}
	return nil
}

// walk returns the value at now, found from step *next on, which it moves
// to the first step after now: read at times that never go back, as a
// roster reads its team's schedule, the steps cost one pass in all.
func (s *Steps) walk(next *int, now time.Duration) int {
	for *next < len(s.At) && s.At[*next] <= now {
		*next++
	}
	if *next == 0 {
		return 0
	}
	return s.Value[*next-1]
}

// Mean is the time-average value over [from, to).
func (s *Steps) Mean(from, to time.Duration) float64 {
	if to <= from {
		return 0
	}
	var area float64
	for i, a := range s.At {
		end := to
		if i+1 < len(s.At) {
			end = min(end, s.At[i+1])
		}
		lo := max(a, from)
		if end > lo {
			area += float64(s.Value[i]) * float64(end-lo)
		}
	}
	return area / float64(to-from)
}

// Calendar is the set of simulation times during which an SLA clock runs
// (business hours): sorted, disjoint, half-open intervals [Open[i],
// Close[i]). It answers how much calendar time lies between two instants
// and when a target falls due, each in O(log n).
type Calendar struct {
	open, close []time.Duration
	cum         []time.Duration // open time before interval i
}

// NewCalendar builds a calendar from sorted, disjoint intervals.
func NewCalendar(open, close []time.Duration) (*Calendar, error) {
	if len(open) != len(close) {
		return nil, fmt.Errorf("calendar: %d openings for %d closings", len(open), len(close))
	}
	c := &Calendar{open: open, close: close, cum: make([]time.Duration, len(open))}
	var total time.Duration
	for i := range open {
		if close[i] <= open[i] || i > 0 && open[i] < close[i-1] {
			return nil, fmt.Errorf("calendar: interval %d [%v, %v) is empty or out of order", i, open[i], close[i])
		}
		c.cum[i] = total
		total += close[i] - open[i]
	}
	return c, nil
}

// cumulative is the calendar time in [0, t).
func (c *Calendar) cumulative(t time.Duration) time.Duration {
	// i is the first interval opening after t; interval i-1 opened at or
	// before t.
	i, _ := slices.BinarySearch(c.open, t+1)
	if i == 0 {
		return 0
	}
	i--
	return c.cum[i] + min(t, c.close[i]) - c.open[i]
}

// Elapsed is the calendar time between a and b (a <= b).
func (c *Calendar) Elapsed(a, b time.Duration) time.Duration {
	return c.cumulative(b) - c.cumulative(a)
}

// IsOpen reports whether the clock runs at t.
func (c *Calendar) IsOpen(t time.Duration) bool {
	i, _ := slices.BinarySearch(c.open, t+1)
	return i > 0 && t < c.close[i-1]
}

// Due is the instant at which d of calendar time will have passed since a,
// or false if the calendar ends first.
func (c *Calendar) Due(a, d time.Duration) (time.Duration, bool) {
	if d == 0 {
		// Nothing to wait for, open or closed (the search below would
		// give the last closing at or before a).
		return a, true
	}
	want := c.cumulative(a) + d
	// The first interval whose end reaches the wanted cumulative time.
	i, _ := slices.BinarySearchFunc(c.cum, want, func(cum, w time.Duration) int {
		if cum < w {
			return -1
		}
		return 1
	})
	// Interval i-1 starts with cum < want; the due time lies inside it or
	// the calendar has run out.
	if i == 0 {
		return a, d == 0
	}
	i--
	t := c.open[i] + want - c.cum[i]
	if t > c.close[i] {
		return 0, false
	}
	return t, true
}
