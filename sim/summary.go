package sim

import (
	"fmt"
	"time"
)

// Summary is the mergeable statistics of a set of replications. Merging two
// summaries of disjoint replication sets gives, bit for bit, the summary of
// their union, whatever the order.
type Summary struct {
	Replications int64       `json:"replications"`
	Tiers        []TierStats `json:"tiers"`
	// Per replication, over the measured window: the share of agent time
	// spent working, and the time-average numbers of tickets in the system
	// and waiting.
	Utilisation Tally `json:"utilisation"`
	InSystem    Tally `json:"in_system"`
	Waiting     Tally `json:"waiting"`
	// ArrivalRate is measured tickets per hour of the measured window.
	ArrivalRate Tally `json:"arrival_rate"`
}

// TierStats is one tier's statistics.
type TierStats struct {
	Name string `json:"name"`
	// Tickets is the number of measured tickets per replication.
	Tickets    Tally       `json:"tickets"`
	Response   MetricStats `json:"response"`
	Resolution MetricStats `json:"resolution"`
}

// MetricStats is one SLA clock's statistics for one tier.
type MetricStats struct {
	Target time.Duration `json:"target_ns"`
	// Tickets and Met count measured tickets and those within the target,
	// pooled over all replications.
	Tickets int64 `json:"tickets"`
	Met     int64 `json:"met"`
	// Attainment is each replication's share of tickets within the target;
	// replications without tickets of the tier are left out.
	Attainment Tally `json:"attainment"`
	// MeanHours is each replication's mean clock time in hours.
	MeanHours Tally `json:"mean_hours"`
	// LateHours sums, over breached tickets, the time beyond the target.
	LateHours ExactSum `json:"late_hours"`
	// Times is the pooled distribution of clock times.
	Times Histogram `json:"times"`
}

// NewSummary returns an empty summary shaped for the model.
func NewSummary(m *Model) *Summary {
	s := &Summary{Tiers: make([]TierStats, len(m.Tiers))}
	for i, t := range m.Tiers {
		s.Tiers[i].Name = t.Name
		s.Tiers[i].Response.Target = t.Response
		s.Tiers[i].Resolution.Target = t.Resolution
	}
	return s
}

// Merge adds the replications of o to s. Both must come from the same model.
func (s *Summary) Merge(o *Summary) error {
	if len(s.Tiers) != len(o.Tiers) {
		return fmt.Errorf("merge: %d tiers against %d", len(s.Tiers), len(o.Tiers))
	}
	for i := range s.Tiers {
		a, b := &s.Tiers[i], &o.Tiers[i]
		if a.Name != b.Name || a.Response.Target != b.Response.Target || a.Resolution.Target != b.Resolution.Target {
			return fmt.Errorf("merge: tier %d differs (%q against %q)", i, a.Name, b.Name)
		}
		a.Tickets.Merge(&b.Tickets)
		a.Response.merge(&b.Response)
		a.Resolution.merge(&b.Resolution)
	}
	s.Replications += o.Replications
	s.Utilisation.Merge(&o.Utilisation)
	s.InSystem.Merge(&o.InSystem)
	s.Waiting.Merge(&o.Waiting)
	s.ArrivalRate.Merge(&o.ArrivalRate)
	return nil
}

func (m *MetricStats) merge(o *MetricStats) {
	m.Tickets += o.Tickets
	m.Met += o.Met
	m.Attainment.Merge(&o.Attainment)
	m.MeanHours.Merge(&o.MeanHours)
	m.LateHours.Merge(o.LateHours)
	m.Times.Merge(&o.Times)
}

// MeanLateness is the mean time beyond the target of breached tickets.
func (m *MetricStats) MeanLateness() time.Duration {
	breached := m.Tickets - m.Met
	if breached == 0 {
		return 0
	}
	return time.Duration(m.LateHours.Float64() / float64(breached) * float64(time.Hour))
}
