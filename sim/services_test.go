package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/queueing"
)

// serviceModel is a quiet desk (no tickets of its own) with one service.
func serviceModel(s Service, warmUp, horizon time.Duration) *Model {
	if s.Periods == nil {
		s.Periods = []Window{{warmUp, warmUp + horizon}}
	}
	return &Model{
		Tiers:    []Tier{{Name: "urgent", Arrivals: ConstantRate(0), Handling: Exponential{Mu: time.Hour}, Response: time.Hour, Resolution: 4 * time.Hour}},
		Agents:   2,
		WarmUp:   warmUp,
		Horizon:  horizon,
		Services: []Service{s},
	}
}

func runServices(t *testing.T, m *Model, o Options) *Summary {
	t.Helper()
	res, err := Run(context.Background(), m, o)
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	return res.Summary
}

// checkMean fails unless the tally's mean is within 4 standard errors of
// want (4: several figures are checked at once).
func checkMean(t *testing.T, what string, x *Tally, want float64) {
	t.Helper()
	se := math.Sqrt(x.Variance() / float64(x.N))
	t.Logf("%s: %.6g ± %.2g (SE), exact %.6g", what, x.Mean(), se, want)
	if math.Abs(x.Mean()-want) > 4*se {
		t.Errorf("%s: %.6g, exact %.6g: %.1f standard errors away", what, x.Mean(), want, math.Abs(x.Mean()-want)/se)
	}
}

// TestServiceTwoStateMarkov checks the downtime of a service with
// exponential up and repair times in a month against the exact formulas
// of the two-state Markov process (sim/queueing): its mean, its variance
// (from batches of replications), the number of outages, and the chance
// the month meets each availability level (uniformization). A week's
// warm-up, many mean cycles, leaves the process in its long-run state.
func TestServiceTwoStateMarkov(t *testing.T) {
	const month = 720.0 // hours
	f := queueing.FailureRepair{MTBF: 100, MTTR: 4}
	levels := []float64{0.95, 0.97, 0.99}
	m := serviceModel(Service{Name: "payments", Up: Exponential{Mu: 100 * time.Hour}, Restore: Exponential{Mu: 4 * time.Hour}, Levels: levels},
		Week, month*time.Hour)
	const batches, perBatch = 10, 400
	var all Summary
	var variances Tally
	for b := range batches {
		s := runServices(t, m, Options{Seed: 11, FirstReplication: b * perBatch, Replications: perBatch})
		variances.Add(s.Services[0].PeriodDowntime.Variance())
		if b == 0 {
			all = *s
			continue
		}
		if err := all.Merge(s); err != nil {
			t.Fatal(err)
		}
	}
	ss := &all.Services[0]
	checkMean(t, "availability", &ss.Availability, f.Availability())
	checkMean(t, "downtime in a month (h)", &ss.PeriodDowntime, f.DowntimeMean(month, queueing.StartStationary))
	checkMean(t, "variance of the downtime (h², batch means)", &variances, f.DowntimeVariance(month, queueing.StartStationary))
	checkMean(t, "outages in a month", &ss.PeriodOutages, f.OutagesMean(month, queueing.StartStationary))
	for j, l := range levels {
		p := f.DowntimeAtMost(month, (1-l)*month, queueing.StartStationary)
		checkMean(t, fmt.Sprintf("months meeting %g", l), &ss.Meets[j], p)
	}
	if ss.Downtime.Count() != batches*perBatch {
		t.Errorf("%d periods' downtimes, want %d", ss.Downtime.Count(), batches*perBatch)
	}
}

// TestServiceAvailabilityRenewal checks MTBF/(MTBF + MTTR) for skewed up
// and repair times, and with a failover that ends outages after 30
// minutes: the mean downtime is then E[min(R, 30m)] = 4h·(1 − e^{−1/8}).
func TestServiceAvailabilityRenewal(t *testing.T) {
	for _, c := range []struct {
		name     string
		s        Service
		mtbf, dt float64 // hours
	}{
		{"lognormal", Service{Name: "lognormal", Up: NewLogNormal(50*time.Hour, 2), Restore: NewGamma(2*time.Hour, 0.5)}, 50, 2},
		{"failover", Service{Name: "failover", Up: Exponential{Mu: 100 * time.Hour}, Restore: Exponential{Mu: 4 * time.Hour},
			Failover: Failover{Probability: 1, Time: Deterministic{Value: 30 * time.Minute}}}, 100, 4 * (1 - math.Exp(-0.125))},
	} {
		m := serviceModel(c.s, 4*Week, 10*720*time.Hour)
		s := runServices(t, m, Options{Seed: 5, Replications: 300})
		checkMean(t, c.name+" availability", &s.Services[0].Availability, c.mtbf/(c.mtbf+c.dt))
	}
}

// outageLog keeps the outages a run hands its collector.
type outageLog struct {
	countingCollector
	outages []OutageRecord
}

func (c *outageLog) Outage(o *OutageRecord) { c.outages = append(c.outages, *o) }

// TestServiceByHand follows a service failing every 10 hours for 2 hours,
// with planned maintenance over part of an outage, worked out by hand:
// from time 0, outages [10, 12), [22, 24), [34, 36), [46, 48), [58, 60),
// [70, 72); the window is [24, 72) in two periods of a day, maintenance
// [35, 37) and [60, 61).
func TestServiceByHand(t *testing.T) {
	h := time.Hour
	maint, err := NewCalendar([]time.Duration{35 * h, 60 * h}, []time.Duration{37 * h, 61 * h})
	if err != nil {
		t.Fatal(err)
	}
	m := serviceModel(Service{Name: "det", Up: Deterministic{Value: 10 * h}, Restore: Deterministic{Value: 2 * h}, Maintenance: maint,
		Tickets: OutageTickets{MeanSize: 1}, Periods: []Window{{24 * h, 48 * h}, {48 * h, 72 * h}}, Levels: []float64{0.85, 0.8}},
		24*h, 48*h)
	log := &outageLog{}
	res, err := Run(context.Background(), m, Options{Seed: 1, Replications: 1, Workers: 1, Collector: func() Collector { return log }})
	if err != nil {
		t.Fatal(err)
	}
	ss := res.Summary.Services[0]
	// Downtime outside maintenance: [34, 35), [46, 48), [58, 60), [70, 72):
	// 7 h of 45 agreed; by day 3 h of 22 and 4 h of 23.
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"availability", ss.Availability.Mean(), 1 - 7.0/45},
		{"outages", ss.Outages.Mean(), 4},
		{"downtime a day (h)", ss.PeriodDowntime.Mean(), 3.5},
		{"outages a day", ss.PeriodOutages.Mean(), 2},
		{"days meeting 85%", ss.Meets[0].Mean(), 0.5}, // 86.4% and 82.6%
		{"days meeting 80%", ss.Meets[1].Mean(), 1},
		{"tickets", float64(res.Summary.Tiers[0].Resolution.Tickets), 4},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	want := []OutageRecord{{0, 0, 34 * h, 2 * h, h}, {0, 0, 46 * h, 2 * h, 2 * h}, {0, 0, 58 * h, 2 * h, 2 * h}, {0, 0, 70 * h, 2 * h, 2 * h}}
	if len(log.outages) != len(want) {
		t.Fatalf("outages %v, want %v", log.outages, want)
	}
	for i := range want {
		if log.outages[i] != want[i] {
			t.Errorf("outage %d: %+v, want %+v", i, log.outages[i], want[i])
		}
	}
}

// TestServicePeriodAllMaintenance: a period that is all planned
// maintenance has no availability and counts neither way in the share of
// periods meeting a level. TestServiceByHand's outages ([34, 36), [46,
// 48), [58, 60), [70, 72)) with the second day [48, 72) all maintenance:
// the first day is up 20 h of 24 (83.3%), so 0 of the one day judged
// meets 85% and 1 of 1 meets 80% (counted as meeting, the second day made
// them 1/2 and 2/2). With both days maintenance, no share is known.
func TestServicePeriodAllMaintenance(t *testing.T) {
	h := time.Hour
	for _, c := range []struct {
		name          string
		from, to      time.Duration
		meets, judged []float64 // by level; judged: the replications counted
	}{
		{"second day", 48 * h, 72 * h, []float64{0, 1}, []float64{1, 1}},
		{"both days", 24 * h, 72 * h, []float64{0, 0}, []float64{0, 0}},
	} {
		maint, err := NewCalendar([]time.Duration{c.from}, []time.Duration{c.to})
		if err != nil {
			t.Fatal(err)
		}
		m := serviceModel(Service{Name: "det", Up: Deterministic{Value: 10 * h}, Restore: Deterministic{Value: 2 * h}, Maintenance: maint,
			Periods: []Window{{24 * h, 48 * h}, {48 * h, 72 * h}}, Levels: []float64{0.85, 0.8}}, 24*h, 48*h)
		ss := runServices(t, m, Options{Seed: 1, Replications: 1, Workers: 1}).Services[0]
		for j := range ss.Meets {
			if got := ss.Meets[j]; float64(got.N) != c.judged[j] || got.N > 0 && got.Mean() != c.meets[j] {
				t.Errorf("%s: level %v: met in %v of the periods over %d replications, want %v over %v", c.name, m.Services[0].Levels[j], got.Mean(), got.N, c.meets[j], c.judged[j])
			}
		}
	}
}

// TestServiceStopsAndSlowsAutomation: a service down half the time (10
// hours up, 10 down) that stops the automated channel sends about half the
// tickets to people; one that slows it makes about half the attempts take
// three times as long.
func TestServiceStopsAndSlowsAutomation(t *testing.T) {
	h := time.Hour
	base := func(a OutageAutomation) *Model {
		m := serviceModel(Service{Name: "engine", Up: Deterministic{Value: 10 * h}, Restore: Deterministic{Value: 10 * h}, Automation: a}, Week, 4*Week)
		m.Tiers[0].Arrivals = ConstantRate(2)
		m.Tiers[0].Resolution = 90 * time.Minute
		m.Tiers[0].Automation = TierAutomation{Eligible: 1, Success: 1, Processing: Deterministic{Value: h}}
		m.Automation = Automation{Capacity: 100}
		return m
	}
	s := runServices(t, base(OutageAutomation{Stop: true}), Options{Seed: 2, Replications: 4})
	f := s.Tiers[0].Flow
	if share := float64(f.ByPeople) / float64(f.Arrived); math.Abs(share-0.5) > 0.03 {
		t.Errorf("stopped half the time: %.3f of tickets to people (%+v)", share, f)
	}
	s = runServices(t, base(OutageAutomation{Slowdown: 3}), Options{Seed: 2, Replications: 4})
	r := &s.Tiers[0].Resolution
	if f := s.Tiers[0].Flow; f.ByPeople != 0 {
		t.Errorf("slowed: %d tickets to people", f.ByPeople)
	}
	// Resolution is the attempt: 1 h, or 3 h when it started while the
	// service was down (beyond the 90-minute target).
	if share := float64(r.Met) / float64(r.Tickets); math.Abs(share-0.5) > 0.03 || r.Times.Quantile(1) < 179*time.Minute {
		t.Errorf("slowed half the time: %.3f of tickets within 90 minutes, the longest %v", share, r.Times.Quantile(1))
	}
}

// TestServiceCommonRandomNumbers: a service draws from streams of its
// own, so adding one that brings no tickets and leaves automation alone
// changes no ticket; and its outages are the same whatever the staffing.
func TestServiceCommonRandomNumbers(t *testing.T) {
	m := datedModel()
	m.Dates = Dates{}
	plain := runServices(t, m, Options{Seed: 4, Replications: 6})
	m.Services = []Service{{Name: "quiet", Up: Exponential{Mu: 50 * time.Hour}, Restore: Exponential{Mu: time.Hour},
		Periods: []Window{{m.WarmUp, m.WarmUp + m.Horizon}}, Levels: []float64{0.99}}}
	with := runServices(t, m, Options{Seed: 4, Replications: 6})
	a, _ := json.Marshal(plain.Tiers)
	b, _ := json.Marshal(with.Tiers)
	if string(a) != string(b) {
		t.Error("a service without tickets changed the tiers' figures")
	}
	m.Agents = 9
	more := runServices(t, m, Options{Seed: 4, Replications: 6})
	a, _ = json.Marshal(with.Services)
	b, _ = json.Marshal(more.Services)
	if string(a) != string(b) {
		t.Error("the staffing changed the outages")
	}
}

// TestServicesMerge: two shards' summaries through JSON merge into the
// single run's.
func TestServicesMerge(t *testing.T) {
	m := serviceModel(Service{Name: "s", Up: Exponential{Mu: 30 * time.Hour}, Restore: NewLogNormal(time.Hour, 1),
		Tickets: OutageTickets{MeanSize: 3, Spread: 10 * time.Minute}, Levels: []float64{0.99, 0.999}}, Week, 4*Week)
	whole := runServices(t, m, Options{Seed: 8, Replications: 5})
	merged := NewSummary(m)
	for _, shard := range [][2]int{{0, 2}, {2, 3}} {
		part := runServices(t, m, Options{Seed: 8, FirstReplication: shard[0], Replications: shard[1]})
		data, _ := json.Marshal(part)
		read, err := DecodeSummary(data, m)
		if err != nil {
			t.Fatal(err)
		}
		if err := merged.Merge(read); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := json.Marshal(whole)
	b, _ := json.Marshal(merged)
	if string(a) != string(b) {
		t.Error("merged shards differ from the single run")
	}
	other := *m
	other.Services = nil
	if err := NewSummary(m).Merge(NewSummary(&other)); err == nil {
		t.Error("merged a summary without the service")
	}
}

func TestServiceValidate(t *testing.T) {
	for _, c := range []struct {
		change func(*Service)
		want   string
	}{
		{func(s *Service) { s.Tier = 3 }, "no tier 3"},
		{func(s *Service) { s.Up = nil }, "up"},
		{func(s *Service) { s.Failover = Failover{Probability: 1.5} }, "failover"},
		{func(s *Service) { s.Failover = Failover{Probability: 0.5} }, "failover time"},
		{func(s *Service) { s.Tickets.MeanSize = -1 }, "tickets"},
		{func(s *Service) { s.Automation.Slowdown = 0.5 }, "slowdown"},
		{func(s *Service) { s.Periods = []Window{{0, time.Hour}} }, "outside the window"},
		{func(s *Service) { s.Levels = []float64{1.5} }, "levels"},
	} {
		s := Service{Name: "s", Up: Exponential{Mu: time.Hour}, Restore: Exponential{Mu: time.Hour}}
		c.change(&s)
		m := serviceModel(s, Week, Week)
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
