package sim

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestOverallMeans: each replication's mean clock time over every tier is
// the tiers' means weighted by their tickets with a time, its pooled sum
// and count the tiers' sums and counts; and with one tier both are that
// tier's, replication by replication.
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
			pooled  *Ratio
			clock   func(*TierStats) *MetricStats
		}{
			{"response", &s.Overall.ResponseMeanHours, &s.Overall.ResponsePooledHours, func(ts *TierStats) *MetricStats { return &ts.Response }},
			{"resolution", &s.Overall.ResolutionMeanHours, &s.Overall.ResolutionPooledHours, func(ts *TierStats) *MetricStats { return &ts.Resolution }},
		} {
			var sum, n, hours float64
			for i := range s.Tiers {
				ms := c.clock(&s.Tiers[i])
				k := float64(ms.Tickets - ms.Unanswered)
				sum += ms.MeanHours.Mean() * k
				n += k
				hours += ms.PooledHours.X.Float64()
			}
			if got, want := c.overall.Mean(), sum/n; c.overall.N != 1 || math.Abs(got-want) > 1e-12*want {
				t.Errorf("replication %d, %s: overall mean %v h (%d), want %v h", rep, c.name, got, c.overall.N, want)
			}
			if x, y := c.pooled.X.Float64(), c.pooled.Y.Float64(); c.pooled.N != 1 || y != n || math.Abs(x-hours) > 1e-12*hours {
				t.Errorf("replication %d, %s: overall pooled %v h over %v (%d), want %v h over %v", rep, c.name, x, y, c.pooled.N, hours, n)
			}
		}
	}
	m.Tiers = m.Tiers[:1]
	s := runServices(t, m, Options{Seed: 6, Replications: 5})
	if s.Overall.ResolutionMeanHours != s.Tiers[0].Resolution.MeanHours || s.Overall.ResponseMeanHours != s.Tiers[0].Response.MeanHours ||
		s.Overall.ResolutionPooledHours != s.Tiers[0].Resolution.PooledHours || s.Overall.ResponsePooledHours != s.Tiers[0].Response.PooledHours {
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

// TestRatiosCountEveryReplication: a replication without tickets is a
// draw of (0, 0) in every pooled ratio, tiers' and overall alike, so each
// ratio counts every replication; left out, the delta method's intervals
// would use too few replications.
func TestRatiosCountEveryReplication(t *testing.T) {
	m := &Model{Agents: 2, Horizon: 10 * time.Hour, Tiers: []Tier{
		{Name: "rare", Arrivals: ConstantRate(0.05), Handling: Exponential{Mu: time.Hour},
			Response: time.Hour, Resolution: 4 * time.Hour, Patience: Exponential{Mu: time.Hour}},
		{Name: "rarer", Arrivals: ConstantRate(0.02), Handling: Exponential{Mu: time.Hour},
			Response: time.Hour, Resolution: 4 * time.Hour},
	}}
	const reps = 40
	res, err := Run(context.Background(), m, Options{Seed: 2, Replications: reps})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	empty := 0
	ratios := map[string]*Ratio{
		"overall response":   &s.Overall.ResponsePooledHours,
		"overall resolution": &s.Overall.ResolutionPooledHours,
	}
	for i := range s.Tiers {
		ts := &s.Tiers[i]
		for _, c := range []struct {
			clock string
			ms    *MetricStats
		}{{"response", &ts.Response}, {"resolution", &ts.Resolution}} {
			ratios[ts.Name+" "+c.clock+" pooled"] = &c.ms.Pooled
			ratios[ts.Name+" "+c.clock+" pooled hours"] = &c.ms.PooledHours
			if c.ms.PooledAnswered != nil {
				ratios[ts.Name+" "+c.clock+" pooled answered"] = c.ms.PooledAnswered
			}
		}
		if ts.Abandoned != nil {
			ratios[ts.Name+" abandoned"] = &ts.Abandoned.Pooled
		}
		if ts.Response.Tickets < reps {
			empty++ // so some replication had none
		}
	}
	if empty == 0 {
		t.Fatal("every replication of every tier had tickets: the test shows nothing")
	}
	for name, r := range ratios {
		if r.N != reps {
			t.Errorf("%s: %d replications, want %d", name, r.N, reps)
		}
	}
}
