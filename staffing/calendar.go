package staffing

import (
	"cmp"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
)

// Calendar is a business calendar: the weekly working hours in a time zone
// during which a business-hours SLA clock runs, less holidays.
type Calendar struct {
	Week
}

// Open reports whether the calendar is open at t.
func (c *Calendar) Open(t time.Time) bool {
	end := t.Add(time.Nanosecond)
	// The day before t may hold a span running past midnight into t.
	clock := Epoch{Origin: t.Add(-48 * time.Hour)}
	for _, s := range c.spans(clock, clock.Sim(end)) {
		if s[0] <= clock.Sim(t) && clock.Sim(t) < s[1] {
			return true
		}
	}
	return false
}

// Timeline returns the calendar's open intervals over simulation time
// [0, end), for the engine.
func (c *Calendar) Timeline(clock Epoch, end time.Duration) (*sim.Calendar, error) {
	spans := c.spans(clock, end)
	slices.SortFunc(spans, func(a, b [2]time.Duration) int { return cmp.Compare(a[0], b[0]) })
	var open, close []time.Duration
	for _, s := range spans {
		if n := len(close); n > 0 && s[0] <= close[n-1] {
			close[n-1] = max(close[n-1], s[1])
			continue
		}
		open, close = append(open, s[0]), append(close, s[1])
	}
	return sim.NewCalendar(open, close)
}
