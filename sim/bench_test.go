package sim

// Benchmarks of the engine (issue 2, "Speed and memory"). Figures are
// measured and reported, never asserted: see docs/benchmarks.md and
// .ci/bench for how they are run and what they were on one machine.
//
//	go test -run '^$' -bench . -benchmem ./sim/
//
// Custom metrics: tickets/s counts measured tickets resolved per second of
// wall time, allocs/ticket the heap allocations of the timed loop divided
// by those tickets.

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// benchReferenceModel is the reference model: 9 tickets/h split 5% / 15% /
// 80% over three tiers, 12 agents, exponential handling with mean 1 h,
// non-preemptive priority. Response targets match the SimPy peer's
// (0.25 h, 0.5 h, 1 h).
func benchReferenceModel(horizon time.Duration) *Model {
	return benchModel(horizon, func(time.Duration) Distribution { return Exponential{Mu: time.Hour} }, false)
}

// benchModel is the reference model with another handling distribution of
// mean 1 h and, if preempt, tier 0 preempting the others.
func benchModel(horizon time.Duration, handling func(mean time.Duration) Distribution, preempt bool) *Model {
	shares := []float64{0.05, 0.15, 0.80}
	response := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour}
	resolution := []time.Duration{4 * time.Hour, 8 * time.Hour, 24 * time.Hour}
	names := []string{"P1", "P2", "P3"}
	m := &Model{Agents: 12, Horizon: horizon}
	for i, s := range shares {
		m.Tiers = append(m.Tiers, Tier{
			Name:       names[i],
			Arrivals:   ConstantRate(9 * s),
			Handling:   handling(time.Hour),
			Response:   response[i],
			Resolution: resolution[i],
			Preempts:   preempt && i == 0,
		})
	}
	return m
}

// featuresModel is the reference model with every part of the engine at
// work: teams with changing shifts, shrinkage, hand-back and an on-call
// team, preemption, escalation, pending, misclassification, deflection, the
// automated channel with a line, bursts, daily volume factors, a service
// whose outages bring tickets and stop the automated channel, and results
// by date.
func featuresModel(horizon time.Duration) *Model {
	exp := func(mu time.Duration) Distribution { return Exponential{Mu: mu} }
	m := benchModel(horizon, exp, true)
	m.Agents = 0
	m.WarmUp = 48 * time.Hour
	m.DailyCV = 0.3
	m.Bursts = []Burst{{Tier: 1, PerWeek: 3, MeanSize: 6, Spread: 15 * time.Minute}}
	m.Automation = Automation{Capacity: 2, CountsAsResponse: true}
	m.Tiers[0].Escalation = []Escalation{{Probability: 0.3, Handling: exp(time.Hour)}}
	m.Tiers[1].Misclassified = 0.1
	m.Tiers[1].Pending = Pending{Probability: 0.2, Wait: exp(4 * time.Hour), FollowUp: exp(10 * time.Minute)}
	m.Tiers[2].Deflected = 0.1
	m.Tiers[2].Automation = TierAutomation{Eligible: 0.4, Success: 0.6, Processing: exp(20 * time.Minute)}
	// The desk alternates between 9 and 12 agents every 12 hours.
	desk := Steps{}
	for h := time.Duration(0); h < m.WarmUp+horizon; h += 12 * time.Hour {
		desk.At = append(desk.At, h)
		desk.Value = append(desk.Value, 9+3*(len(desk.Value)%2))
	}
	m.Services = []Service{{Name: "gateway", Tier: 1, Up: Exponential{Mu: 60 * time.Hour}, Restore: NewLogNormal(2*time.Hour, 1),
		Failover: Failover{Probability: 0.5, Time: Deterministic{Value: 30 * time.Minute}},
		Tickets:  OutageTickets{MeanSize: 4, Spread: 20 * time.Minute}, Automation: OutageAutomation{Stop: true},
		Periods: []Window{{m.WarmUp, m.WarmUp + horizon}}, Levels: []float64{0.99, 0.999}}}
	for d := time.Duration(0); d < horizon; d += 24 * time.Hour {
		m.Dates.Starts = append(m.Dates.Starts, m.WarmUp+d)
		m.Dates.Labels = append(m.Dates.Labels, "")
		m.Dates.Periods = append(m.Dates.Periods, Period{Kind: "day", First: len(m.Dates.Starts) - 1, End: len(m.Dates.Starts)})
	}
	m.Teams = []Team{
		{Name: "desk", Levels: []int{0}, OnSite: desk, Shrinkage: 0.1, HandBack: true},
		{Name: "experts", OnSite: Steps{At: []time.Duration{0}, Value: []int{3}}},
		{Name: "on call", OnCall: Steps{At: []time.Duration{0}, Value: []int{2}}, OnCallDelay: Deterministic{Value: 20 * time.Minute}},
	}
	return m
}

// frontDoorModel is featuresModel with the front door's parts at work
// too: customers who give up (on a tier with misclassified and pending
// tickets, and on chats), a limited line with priority aging, travel to
// site on the preempting tier, a random on-call delay, and a chat team
// holding three chats an agent under shrinkage.
func frontDoorModel(horizon time.Duration) *Model {
	m := featuresModel(horizon)
	exp := func(mu time.Duration) Distribution { return Exponential{Mu: mu} }
	m.Tiers[0].Travel = NewLogNormal(20*time.Minute, 0.5)
	m.Tiers[1].Patience = exp(30 * time.Minute)
	m.Tiers[2].Blocking, m.Tiers[2].QueueCapacity = true, 20
	m.Tiers[2].Aging = Aging{After: 2 * time.Hour, To: 1}
	m.Tiers = append(m.Tiers, Tier{Name: "chat", Arrivals: ConstantRate(6), Handling: exp(20 * time.Minute),
		Response: time.Minute, Resolution: time.Hour, Patience: exp(5 * time.Minute), Concurrent: true})
	m.Teams[2].OnCallDelay = NewLogNormal(20*time.Minute, 0.5)
	m.Teams = append(m.Teams, Team{Name: "chat", Tiers: []int{3}, Concurrency: 3, Shrinkage: 0.1,
		OnSite: Steps{At: []time.Duration{0}, Value: []int{2}}})
	return m
}

// BenchmarkFrontDoor: frontDoorModel on one engine, 10,000 simulated
// hours per replication, beside BenchmarkReferenceModel's features.
func BenchmarkFrontDoor(b *testing.B) { benchEngine(b, frontDoorModel(10_000*time.Hour)) }

// measuredTickets is the number of measured tickets resolved in s.
func measuredTickets(s *Summary) int64 {
	var n int64
	for i := range s.Tiers {
		n += s.Tiers[i].Resolution.Tickets
	}
	return n
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// benchEngine times one replication engine, reused from one replication to
// the next as a worker does, on a long horizon so that set-up and the
// per-replication folding are amortised.
func benchEngine(b *testing.B, m *Model) {
	if err := m.Validate(); err != nil {
		b.Fatal(err)
	}
	benchEngineOn(b, newEngine(m), m)
}

// benchEngineOn is benchEngine on engine e of model m.
func benchEngineOn(b *testing.B, e *replication, m *Model) {
	e.ctx = context.Background()
	s := NewSummary(m)
	// One untimed replication grows the engine's slices to the model's size.
	if err := e.run(1, -1, s); err != nil {
		b.Fatal(err)
	}
	s = NewSummary(m)
	b.ReportAllocs()
	a0 := mallocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := e.run(1, i, s); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	allocs := mallocs() - a0
	n := float64(measuredTickets(s))
	b.ReportMetric(n/b.Elapsed().Seconds(), "tickets/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/ticket")
	b.ReportMetric(float64(allocs)/n, "allocs/ticket")
	b.ReportMetric(n/float64(b.N), "tickets/op")
}

// BenchmarkReferenceModel: the reference model on one engine (one core),
// 10,000 simulated hours (about 90,000 tickets) per replication.
func BenchmarkReferenceModel(b *testing.B) {
	benchEngine(b, benchReferenceModel(10_000*time.Hour))
}

// BenchmarkReferenceModelGeneral: the reference model through the general
// path, which it would take with any optional part (lean.go): what the
// lean path saves.
func BenchmarkReferenceModelGeneral(b *testing.B) {
	m := benchReferenceModel(10_000 * time.Hour)
	e := newEngine(m)
	e.lean = false
	benchEngineOn(b, e, m)
}

// BenchmarkHandling: the reference model with other handling-time
// distributions (mean 1 h, CV 1.5 for the lognormal and gamma, so that the
// gamma's shape is below 1), and with tier 0 preempting.
func BenchmarkHandling(b *testing.B) {
	const h = 10_000 * time.Hour
	cases := []struct {
		name     string
		handling func(time.Duration) Distribution
		preempt  bool
	}{
		{"exponential/preemptive", func(mu time.Duration) Distribution { return Exponential{Mu: mu} }, true},
		{"lognormal", func(mu time.Duration) Distribution { return NewLogNormal(mu, 1.5) }, false},
		{"gamma", func(mu time.Duration) Distribution { return NewGamma(mu, 1.5) }, false},
		{"gamma-cv0.5", func(mu time.Duration) Distribution { return NewGamma(mu, 0.5) }, false},
		{"erlang3", func(mu time.Duration) Distribution { return Erlang{Phases: 3, Mu: mu} }, false},
		{"lognormal/preemptive", func(mu time.Duration) Distribution { return NewLogNormal(mu, 1.5) }, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchEngine(b, benchModel(h, c.handling, c.preempt)) })
	}
}

var sampleSink time.Duration

// BenchmarkSample: one handling-time draw per distribution, mean 1 h. The
// gamma goes through gonum's distuv.Gamma, whose Rand wraps the source in
// rand.New on every call; allocs/op shows whether that reaches the heap.
func BenchmarkSample(b *testing.B) {
	// The names as Distribution.String gives them, e.g. "gamma(mean 1h0m0s, cv 1.5)".
	dists := []Distribution{
		Exponential{Mu: time.Hour},
		NewLogNormal(time.Hour, 1.5),
		NewGamma(time.Hour, 1.5),
		NewGamma(time.Hour, 0.5),
		Erlang{Phases: 3, Mu: time.Hour},
		HyperExponential{Probs: []float64{0.8, 0.2}, Means: []time.Duration{30 * time.Minute, 3 * time.Hour}},
	}
	for _, d := range dists {
		b.Run(d.String(), func(b *testing.B) {
			src := newSource()
			src.seed(1, 0, StreamHandling, 0)
			b.ReportAllocs()
			var x time.Duration
			for b.Loop() {
				x ^= d.Sample(src.Rand)
			}
			sampleSink = x
		})
	}
}

// BenchmarkShortReplications: the reference model over one simulated week,
// where the per-replication cost (reset, folding into the Summary's exact
// sums) weighs more than on a long horizon.
func BenchmarkShortReplications(b *testing.B) {
	benchEngine(b, benchReferenceModel(Week))
}

// BenchmarkRun: sim.Run on 64 replications of 2,000 simulated hours with 1
// and 2 workers; the ratio of their tickets/s is the parallel speed-up on
// an idle machine, and that of their tickets/cpu-s the work parallelism
// adds (2 workers reach twice one's speed only if it adds none).
func BenchmarkRun(b *testing.B) {
	m := benchReferenceModel(2_000 * time.Hour)
	for _, workers := range []int{1, 2} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			b.ReportAllocs()
			var n int64
			cpu0 := cpuTime()
			for i := 0; b.Loop(); i++ {
				res, err := Run(context.Background(), m, Options{Seed: uint64(i), Replications: 64, Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				n += measuredTickets(res.Summary)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tickets/s")
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(n)/cpu.Seconds(), "tickets/cpu-s")
			}
		})
	}
}

// BenchmarkPeerMMCPriority is the slasim side of the SimPy peer's
// "mmc-priority 10 10000 1" (../shared/peers/simpy_mmc.py): the reference
// model, 10 replications of 10,000 h one after another (one worker), seed
// 1; tickets/s is measured over the whole Run as the peer measures its
// replication loop. att0..att2 are the pooled response attainments
// (W <= 15m, 30m, 1h), to check that both sides simulate the same system.
func BenchmarkPeerMMCPriority(b *testing.B) {
	m := benchReferenceModel(10_000 * time.Hour)
	var res *Result
	var n int64
	for b.Loop() {
		var err error
		res, err = Run(context.Background(), m, Options{Seed: 1, Replications: 10, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		n += measuredTickets(res.Summary)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tickets/s")
	for i := range res.Summary.Tiers {
		r := &res.Summary.Tiers[i].Response
		b.ReportMetric(float64(r.Met)/float64(r.Tickets), "att"+strconv.Itoa(i))
	}
}

// BenchmarkRunMonth: sim.Run on 1,000 replications of a 30-day month with
// every CPU, the shape of a typical capacity study.
func BenchmarkRunMonth(b *testing.B) {
	m := benchReferenceModel(30 * 24 * time.Hour)
	b.ReportAllocs()
	var n int64
	for i := 0; b.Loop(); i++ {
		res, err := Run(context.Background(), m, Options{Seed: uint64(i), Replications: 1000})
		if err != nil {
			b.Fatal(err)
		}
		n += measuredTickets(res.Summary)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tickets/s")
	b.ReportMetric(float64(n)/float64(b.N)/1000, "tickets/rep")
}

// TestHotLoopAllocationFree checks that a reused engine's allocations per
// replication do not grow with the number of tickets: a replication ten
// times longer may allocate no more than a short one (what is left is the
// per-replication folding into the Summary). Not timed.
func TestHotLoopAllocationFree(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates about a million tickets")
	}
	cases := []struct {
		name     string
		handling func(time.Duration) Distribution
		preempt  bool
	}{
		{"exponential", func(mu time.Duration) Distribution { return Exponential{Mu: mu} }, false},
		{"exponential/preemptive", func(mu time.Duration) Distribution { return Exponential{Mu: mu} }, true},
		{"lognormal", func(mu time.Duration) Distribution { return NewLogNormal(mu, 1.5) }, false},
		{"gamma", func(mu time.Duration) Distribution { return NewGamma(mu, 1.5) }, false},
		{"gamma-cv0.5", func(mu time.Duration) Distribution { return NewGamma(mu, 0.5) }, false},
		{"erlang3", func(mu time.Duration) Distribution { return Erlang{Phases: 3, Mu: mu} }, false},
		{"hyperexponential", func(mu time.Duration) Distribution {
			return HyperExponential{Probs: []float64{0.8, 0.2}, Means: []time.Duration{mu / 2, 3 * mu}}
		}, false},
		{"deterministic", func(mu time.Duration) Distribution { return Deterministic{Value: mu} }, false},
		{"empirical", func(mu time.Duration) Distribution {
			return Empirical{Values: []time.Duration{mu / 4, mu / 2, mu, 2 * mu, mu / 4}}
		}, false},
	}
	perRep := func(m *Model) float64 {
		e := newEngine(m)
		e.ctx = context.Background()
		s := NewSummary(m)
		// AllocsPerRun runs once untimed first, which grows the engine's
		// slices and the Summary's histograms; every run replays the same
		// replication, so later runs need no more room.
		return testing.AllocsPerRun(3, func() {
			if err := e.run(7, 3, s); err != nil {
				t.Fatal(err)
			}
		})
	}
	const short = 1_000 * time.Hour // about 9,000 tickets
	check := func(t *testing.T, model func(horizon time.Duration) *Model) {
		a, b := perRep(model(short)), perRep(model(10*short))
		t.Logf("allocations per replication: %v for %v, %v for %v", a, short, b, 10*short)
		if b > a {
			t.Errorf("allocations per replication grow with the number of tickets: %v for %v, %v for %v (about %.3g per extra ticket)",
				a, short, b, 10*short, (b-a)/(9*9*short.Hours()))
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, func(h time.Duration) *Model { return benchModel(h, c.handling, c.preempt) })
		})
	}
	t.Run("every-part", func(t *testing.T) { check(t, featuresModel) })
	t.Run("front-door", func(t *testing.T) { check(t, frontDoorModel) })
	t.Run("journeys", func(t *testing.T) {
		check(t, func(h time.Duration) *Model {
			m := randomJourneyModel(rand.New(rand.NewPCG(14, 3)), 2)
			m.Horizon = h
			m.Tiers[0].Updates = Updates{Every: 30 * time.Minute, Target: 10 * time.Minute, Handling: Exponential{Mu: 3 * time.Minute}}
			return m
		})
	})
}
