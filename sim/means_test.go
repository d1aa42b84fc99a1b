package sim

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestOverallMeans: each replication's mean clock time over every tier is
// the tiers' means weighted by their tickets with a time, and with one
// tier it is that tier's, replication by replication.
func TestOverallMeans(t *testing.T) {
	m := datedModel()
	m.Dates = Dates{}
	for rep := range 3 {
		res, err := Run(context.Background(), m, Options{Seed: 6, FirstReplication: rep, Replications: 1})
		if err != nil {
			t.Fatal(err)
		}
		s := res.Summary
		for _, c := range []struct {
			name    string
			overall *Tally
			clock   func(*TierStats) *MetricStats
		}{
			{"response", &s.Overall.ResponseMeanHours, func(ts *TierStats) *MetricStats { return &ts.Response }},
			{"resolution", &s.Overall.ResolutionMeanHours, func(ts *TierStats) *MetricStats { return &ts.Resolution }},
		} {
			var sum, n float64
			for i := range s.Tiers {
				ms := c.clock(&s.Tiers[i])
				k := float64(ms.Tickets - ms.Unanswered)
				sum += ms.MeanHours.Mean() * k
				n += k
			}
			if got, want := c.overall.Mean(), sum/n; c.overall.N != 1 || math.Abs(got-want) > 1e-12*want {
				t.Errorf("replication %d, %s: overall mean %v h (%d), want %v h", rep, c.name, got, c.overall.N, want)
			}
		}
	}
	m.Tiers = m.Tiers[:1]
	s := runServices(t, m, Options{Seed: 6, Replications: 5})
	if s.Overall.ResolutionMeanHours != s.Tiers[0].Resolution.MeanHours || s.Overall.ResponseMeanHours != s.Tiers[0].Response.MeanHours {
		t.Errorf("one tier: overall %+v, tier's %+v, %+v", s.Overall, s.Tiers[0].Response.MeanHours, s.Tiers[0].Resolution.MeanHours)
	}
}

func TestMeanTargetsValidate(t *testing.T) {
	m := datedModel()
	m.Mean.Resolution = -time.Hour
	if err := m.Validate(); err == nil {
		t.Error("a negative mean target passed")
	}
	m.Mean.Resolution = 0
	m.Tiers[1].Mean.Response = -time.Minute
	if err := m.Validate(); err == nil {
		t.Error("a tier's negative mean target passed")
	}
}
