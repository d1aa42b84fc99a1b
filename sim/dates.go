package sim

import (
	"fmt"
	"time"
)

// Dates are the days of the measured window on the calendar, and the
// periods (weeks, months) made of them. With them, each tier's clocks are
// counted by the day their tickets arrived on, and each replication's
// attainment is kept per period: results by date, and the chance that a
// period meets a level. Package scenarios lays them out from the
// scenario's start date and time zone.
type Dates struct {
	// Starts[i] is the simulation time the i-th day begins at, Starts[0]
	// the measured window's start; the last day ends with the window.
	Starts []time.Duration
	// Labels name the days, such as 2024-02-04.
	Labels  []string
	Periods []Period
}

// Period is a run of whole days of the measured window: days First to
// End-1.
type Period struct {
	// Kind names the periods it is one of: day, week or month.
	Kind       string
	Label      string
	First, End int
}

// on reports whether results by date are kept.
func (d *Dates) on() bool { return len(d.Starts) > 0 }

func (d *Dates) validate(w0, w1 time.Duration) error {
	if !d.on() {
		if len(d.Labels)+len(d.Periods) > 0 {
			return fmt.Errorf("dates: periods or labels without days")
		}
		return nil
	}
	if d.Starts[0] != w0 || len(d.Labels) != len(d.Starts) {
		return fmt.Errorf("dates: %d days from %v, %d labels; the first day must start the window at %v", len(d.Starts), d.Starts[0], len(d.Labels), w0)
	}
	for i := 1; i < len(d.Starts); i++ {
		if d.Starts[i] <= d.Starts[i-1] || d.Starts[i] >= w1 {
			return fmt.Errorf("dates: day %d starts at %v, after %v and before the window ends at %v", i, d.Starts[i], d.Starts[i-1], w1)
		}
	}
	for i, p := range d.Periods {
		if p.First < 0 || p.End <= p.First || p.End > len(d.Starts) {
			return fmt.Errorf("dates: period %d (%s) holds days %d to %d of %d", i, p.Label, p.First, p.End, len(d.Starts))
		}
	}
	return nil
}

// DateStats are the tiers' clocks by date and by period, as Model.Dates
// lays them out.
type DateStats struct {
	Tiers []TierDates `json:"tiers"`
}

// TierDates are one tier's two clocks by date and period.
type TierDates struct {
	Response   ClockDates `json:"response"`
	Resolution ClockDates `json:"resolution"`
}

// ClockDates are one clock of one tier by date and period.
type ClockDates struct {
	// Tickets and Met count, by the day the tickets arrived on, the
	// measured tickets and those within the target, pooled over
	// replications.
	Tickets []int64 `json:"tickets"`
	Met     []int64 `json:"met"`
	// Attainment holds, by period, each replication's share of the
	// period's tickets within the target; replications without tickets of
	// the tier in the period are left out.
	Attainment []Tally `json:"attainment"`
}

func newDateStats(m *Model) *DateStats {
	if !m.Dates.on() {
		return nil
	}
	days, periods := len(m.Dates.Starts), len(m.Dates.Periods)
	ds := &DateStats{Tiers: make([]TierDates, len(m.Tiers))}
	for i := range ds.Tiers {
		for _, c := range ds.Tiers[i].clocks() {
			*c = ClockDates{Tickets: make([]int64, days), Met: make([]int64, days), Attainment: make([]Tally, periods)}
		}
	}
	return ds
}

func (t *TierDates) clocks() [2]*ClockDates { return [2]*ClockDates{&t.Response, &t.Resolution} }

// matches reports how o is not shaped like d, as the date statistics of
// one model are.
func (d *DateStats) matches(o *DateStats) error {
	if (d == nil) != (o == nil) {
		return fmt.Errorf("one summary has results by date, the other not")
	}
	if d == nil {
		return nil
	}
	if len(d.Tiers) != len(o.Tiers) {
		return fmt.Errorf("dates: %d tiers against %d", len(d.Tiers), len(o.Tiers))
	}
	for i := range d.Tiers {
		for k, c := range d.Tiers[i].clocks() {
			oc := o.Tiers[i].clocks()[k]
			if len(c.Tickets) != len(oc.Tickets) || len(c.Met) != len(oc.Met) || len(c.Attainment) != len(oc.Attainment) {
				return fmt.Errorf("dates: tier %d has %d days and %d periods against %d and %d",
					i, len(c.Tickets), len(c.Attainment), len(oc.Tickets), len(oc.Attainment))
			}
		}
	}
	return nil
}

// merge adds o, whose shape matches.
func (d *DateStats) merge(o *DateStats) {
	if d == nil {
		return
	}
	for i := range d.Tiers {
		for k, c := range d.Tiers[i].clocks() {
			oc := o.Tiers[i].clocks()[k]
			for j := range c.Tickets {
				c.Tickets[j] += oc.Tickets[j]
				c.Met[j] += oc.Met[j]
			}
			for j := range c.Attainment {
				c.Attainment[j].Merge(&oc.Attainment[j])
			}
		}
	}
}

// dateMeasure counts a replication's clocks by date: n and met by tier,
// clock and day.
type dateMeasure struct {
	dates  *Dates
	day    int // the day of the latest measured arrival
	n, met []int64
}

func newDateMeasure(m *Model) *dateMeasure {
	if !m.Dates.on() {
		return nil
	}
	size := len(m.Tiers) * 2 * len(m.Dates.Starts)
	return &dateMeasure{dates: &m.Dates, n: make([]int64, size), met: make([]int64, size)}
}

// dayOf returns the day of a measured arrival at now, arrivals coming in
// time order.
func (dm *dateMeasure) dayOf(now time.Duration) int32 {
	s := dm.dates.Starts
	for dm.day+1 < len(s) && now >= s[dm.day+1] {
		dm.day++
	}
	return int32(dm.day)
}

// count counts a stopped clock (0 response, 1 resolution) of a ticket of
// the tier that arrived on day.
func (dm *dateMeasure) count(tier int8, clock int, day int32, met bool) {
	i := (int(tier)*2+clock)*len(dm.dates.Starts) + int(day)
	dm.n[i]++
	if met {
		dm.met[i]++
	}
}

// fold adds the replication's counts to ds.
func (dm *dateMeasure) fold(ds *DateStats) {
	days := len(dm.dates.Starts)
	for tier := range ds.Tiers {
		for clock, c := range ds.Tiers[tier].clocks() {
			n := dm.n[(tier*2+clock)*days:][:days]
			met := dm.met[(tier*2+clock)*days:][:days]
			for j := range n {
				c.Tickets[j] += n[j]
				c.Met[j] += met[j]
			}
			for j, p := range dm.dates.Periods {
				var pn, pm int64
				for k := p.First; k < p.End; k++ {
					pn += n[k]
					pm += met[k]
				}
				if pn > 0 {
					c.Attainment[j].Add(float64(pm) / float64(pn))
				}
			}
		}
	}
}

// reset empties the counts for a new replication.
func (dm *dateMeasure) reset() {
	clear(dm.n)
	clear(dm.met)
	dm.day = 0
}
