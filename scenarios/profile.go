package scenarios

import (
	"math"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// A Profile is the shape of arrivals over the week: Weights[i] is the
// relative volume of the i-th interval of length Interval, counting from
// Monday 00:00. The weights are normalised to mean 1, so that a profile
// moves volume around the week without changing the total. A profile
// without weights is flat.
type Profile struct {
	Interval time.Duration
	Weights  []float64
}

// Flat reports whether the profile spreads arrivals evenly over the week.
func (p Profile) Flat() bool { return len(p.Weights) == 0 }

// weight is the profile's weight on the given weekday at the time of day.
func (p *Profile) weight(day time.Weekday, timeOfDay time.Duration) float64 {
	if p.Flat() {
		return 1
	}
	offset := time.Duration((int(day)+6)%7)*24*time.Hour + timeOfDay
	return p.Weights[offset/p.Interval]
}

var weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

const (
	hoursPerWeek    = 7 * 24
	quartersPerWeek = 4 * hoursPerWeek
)

// profile reads a profile section; an absent or empty one is flat.
func (d *decoder) profile(r *rawProfile) (Profile, bool) {
	if r.Weekly.node != nil {
		if r.ByDay.node != nil || r.ByHour.node != nil {
			d.errorf(r.Weekly, "cannot be combined with by_day or by_hour: weekly gives the whole week")
			return Profile{}, false
		}
		w, ok := d.weights(r.Weekly, "one weight per hour of the week (168) or per quarter-hour (672), from Monday 00:00", hoursPerWeek, quartersPerWeek)
		if !ok {
			return Profile{}, false
		}
		interval := time.Hour
		if len(w) == quartersPerWeek {
			interval = 15 * time.Minute
		}
		return d.normalised(r.Weekly, interval, w)
	}
	if r.ByDay.node == nil && r.ByHour.node == nil {
		return Profile{}, true
	}
	byDay, okDay := d.byDay(r.ByDay)
	byHour, okHour := []float64(nil), true
	if r.ByHour.node != nil {
		byHour, okHour = d.weights(r.ByHour, "one weight per hour of the day (24), from 00:00", 24)
	}
	if !okDay || !okHour {
		return Profile{}, false
	}
	w := make([]float64, hoursPerWeek)
	for i := range w {
		w[i] = 1
		if byDay != nil {
			w[i] *= byDay[i/24]
		}
		if byHour != nil {
			w[i] *= byHour[i%24]
		}
	}
	return d.normalised(r.Self, time.Hour, w)
}

// normalised scales the weights to mean 1; v is blamed if they are all 0.
func (d *decoder) normalised(v value, interval time.Duration, w []float64) (Profile, bool) {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	switch {
	case sum == 0:
		d.errorf(v, "weights must not all be 0: no tickets would arrive")
		return Profile{}, false
	case math.IsInf(sum, 1):
		d.errorf(v, "weights are too large to add up; only their ratios matter, so scale them down")
		return Profile{}, false
	}
	mean := sum / float64(len(w))
	for i := range w {
		w[i] /= mean
	}
	return Profile{Interval: interval, Weights: w}, true
}

// byDay reads the seven weekday weights; all seven are required, since a
// day left out could mean either "as usual" or "closed". It returns nil
// when by_day is absent.
func (d *decoder) byDay(v value) ([]float64, bool) {
	n := v.node
	if n == nil {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(v, "must be a mapping of weekdays to weights, such as {mon: 1.2, tue: 1, …, sun: 0.3}, got %s", describe(n))
		return nil, false
	}
	w := make([]float64, len(weekdays))
	seen := make([]bool, len(weekdays))
	es, ok := d.entries(v)
	for _, e := range es {
		day := slices.Index(weekdays, e.key.Value)
		if day < 0 {
			d.errorf(e.at(), "unknown weekday%s", suggestion(e.key.Value, weekdays))
			ok = false
			continue
		}
		seen[day] = true
		x, good := d.weight(e.value)
		w[day] = x
		ok = ok && good
	}
	var missing []string
	for j, s := range seen {
		if !s {
			missing = append(missing, weekdays[j])
		}
	}
	if len(missing) > 0 {
		d.errorf(v, "missing %s: give a weight for every day, 0 for a day without tickets", strings.Join(missing, ", "))
		ok = false
	}
	return w, ok
}

// weights reads a list of weights whose length is one of lengths.
func (d *decoder) weights(v value, what string, lengths ...int) ([]float64, bool) {
	vs, ok := d.items(v, "weights", "[1, 2, 3]")
	if !ok {
		return nil, false
	}
	if !slices.Contains(lengths, len(vs)) {
		d.errorf(v, "must have %s; got %d", what, len(vs))
		return nil, false
	}
	w := make([]float64, len(vs))
	for i, e := range vs {
		x, good := d.weight(e)
		w[i] = x
		ok = ok && good
	}
	return w, ok
}

// weight reads one relative weight, a number >= 0.
func (d *decoder) weight(v value) (float64, bool) {
	x, ok := d.number(v)
	if ok && x < 0 {
		d.errorf(v, "must be >= 0, got %s", v.node.Value)
		return 0, false
	}
	return x, ok
}
