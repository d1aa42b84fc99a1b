package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// TestPooledAgreesWithErlangC: on M/M/c queues of 1, 10 and 100 agents
// (1-hour handling, one-week replications, the warm-up slasim detects),
// the pooled share of tickets answered within the target and the pooled
// mean wait (all waits over all tickets) agree with Erlang C within
// their delta-method intervals taken at 4 standard errors (a 95% interval
// leaves out the exact value in one fixed seed of twenty by design).
// The pooled share is made of the summary's own counts: its x and y are
// Met and Tickets, and share × tickets gives Met back exactly. The
// interval is the delta method computed here from each replication's
// counts, to rounding.
func TestPooledAgreesWithErlangC(t *testing.T) {
	t.Parallel()
	const z = 4
	level := 1 - 2*distuv.UnitNormal.CDF(-z)
	for _, tc := range []struct {
		servers      int
		load         float64
		target       time.Duration
		replications int
	}{
		{1, 0.5, 15 * time.Minute, 20000},
		{10, 0.8, 15 * time.Minute, 2000},
		{100, 0.95, 5 * time.Minute, 200},
	} {
		t.Run(fmt.Sprint(tc.servers, " agents"), func(t *testing.T) {
			t.Parallel()
			lambda := tc.load * float64(tc.servers)
			q := queueing.MMc{Servers: tc.servers, ArrivalRate: lambda, ServiceRate: 1}
			m := &sim.Model{Agents: tc.servers, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: sim.Week,
				Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Hour},
					Response: tc.target, Resolution: 100 * time.Hour}}}
			res, err := sim.Run(context.Background(), m, sim.Options{Seed: 3, Replications: tc.replications,
				Collector: func() sim.Collector { return &replicationValues{target: tc.target} }})
			if err != nil || res.Unstable != nil {
				t.Fatal(err, res.Unstable)
			}
			r := &res.Summary.Tiers[0].Response
			share := r.Pooled.Value()
			if r.Pooled.N != int64(tc.replications) || r.Pooled.X.Float64() != float64(r.Met) || r.Pooled.Y.Float64() != float64(r.Tickets) ||
				int64(math.Round(share*float64(r.Tickets))) != r.Met {
				t.Errorf("pooled share %v of %d replications is not %d met of %d tickets", share, r.Pooled.N, r.Met, r.Tickets)
			}
			// The delta method by hand, from the collector's counts, with
			// Hall's correction for the residuals' skewness.
			counts := res.Collected.(*replicationValues).counts
			var d2, d3 float64
			for _, c := range counts {
				d := float64(c[0]) - share*float64(c[1])
				d2 += d * d
				d3 += d * d * d
			}
			k := float64(len(counts))
			se := math.Sqrt(d2/(k*(k-1))) / (float64(r.Tickets) / k)
			a := (d3 / k) / math.Pow(d2/k, 1.5) / (3 * math.Sqrt(k))
			inverse := func(x float64) float64 { return (math.Cbrt(1+3*a*(x-a/2)) - 1) / a }
			tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: k - 1}.Quantile(0.975)
			lo, hi := r.Pooled.CI(sim.Confidence)
			if wlo, whi := share-inverse(tq)*se, share-inverse(-tq)*se; math.Abs(lo-wlo) > 1e-6*se || math.Abs(hi-whi) > 1e-6*se {
				t.Errorf("interval [%v, %v], by hand [%v, %v]", lo, hi, wlo, whi)
			}
			exact := map[string]float64{"share": q.WaitAtMost(tc.target.Hours()), "mean wait": q.MeanWait()}
			for what, p := range map[string]*sim.Ratio{"share": &r.Pooled, "mean wait": &r.PooledHours} {
				lo, hi := p.CI(level)
				t.Logf("%s: pooled %.5f [%.5f, %.5f] at %d SE, Erlang C %.5f, %.0f tickets a replication", what, p.Value(), lo, hi, z, exact[what], float64(r.Tickets)/k)
				if !(lo <= exact[what] && exact[what] <= hi) {
					t.Errorf("%s: Erlang C's %.5f is outside the pooled %.5f's interval [%.5f, %.5f] at %d SE", what, exact[what], p.Value(), lo, hi, z)
				}
			}
		})
	}
}

// TestRatioMerge: a ratio merged from parts in any order is the ratio of
// all the pairs, bit for bit, as summaries merge.
func TestRatioMerge(t *testing.T) {
	t.Parallel()
	pairs := [][2]float64{{3, 4}, {0, 0}, {17.25, 20}, {1e-3, 7}, {5, 5}, {0, 9}}
	var all sim.Ratio
	for _, p := range pairs {
		all.Add(p[0], p[1])
	}
	for split := range pairs {
		var a, b sim.Ratio
		for i, p := range pairs {
			if i < split {
				a.Add(p[0], p[1])
			} else {
				b.Add(p[0], p[1])
			}
		}
		b.Merge(&a)
		if b != all {
			t.Errorf("split at %d: merged ratio differs from the whole", split)
		}
	}
	if v := all.Value(); v != (3+17.25+1e-3+5)/(4+20+7+5+9) {
		t.Errorf("value %v", v)
	}
	var none sim.Ratio
	none.Add(0, 0)
	none.Add(0, 0)
	if lo, hi := none.CI(0.95); !math.IsNaN(none.Value()) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no tickets: %v [%v, %v], want NaN", none.Value(), lo, hi)
	}
}

// TestPooledBlockedAgreesWithErlangB: the pooled share of tickets turned
// away by a line with no room to wait (M/M/10/10 at 8 Erlangs, one-week
// replications) agrees with Erlang B within its interval at 4 standard
// errors, and is made of the blocked tickets and all tickets.
func TestPooledBlockedAgreesWithErlangB(t *testing.T) {
	t.Parallel()
	const servers, lambda, z = 10, 8.0, 4
	m := &sim.Model{Agents: servers, WarmUp: sim.Week, Horizon: sim.Week,
		Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Hour},
			Response: 15 * time.Minute, Resolution: 100 * time.Hour, Blocking: true}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 4, Replications: 400})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	ts := &res.Summary.Tiers[0]
	b := &ts.Blocked.Pooled
	if b.X.Float64() != float64(ts.Blocked.Tickets) || b.Y.Float64() != float64(ts.Response.Tickets) {
		t.Errorf("pooled blocked share of %v over %v, want %d of %d", b.X.Float64(), b.Y.Float64(), ts.Blocked.Tickets, ts.Response.Tickets)
	}
	exact := queueing.ErlangB(servers, lambda)
	lo, hi := sim.PooledShareCI(b, 1-2*distuv.UnitNormal.CDF(-z))
	t.Logf("blocked: pooled %.5f [%.5f, %.5f] at %d SE, Erlang B %.5f", b.Value(), lo, hi, z, exact)
	if !(lo <= exact && exact <= hi) {
		t.Errorf("Erlang B's %.5f is outside the pooled %.5f's interval [%.5f, %.5f]", exact, b.Value(), lo, hi)
	}
}

// TestPooledAnsweredAgreesWithErlangA: where tickets leave unanswered, the
// pooled share of the answered tickets answered within the target agrees
// with the closed form within its interval at 4 standard errors: Erlang
// A's answered within the target over answered (M/M/c+M of 1, 10 and 100
// agents), and M/M/c/K's wait within the target of the admitted tickets.
// It is made of the summary's counts: Met over the answered tickets,
// Tickets − Unanswered. Each case's share of all tickets in time lies
// outside that interval: a denominator of every ticket fails.
func TestPooledAnsweredAgreesWithErlangA(t *testing.T) {
	t.Parallel()
	const z = 4
	level := 1 - 2*distuv.UnitNormal.CDF(-z)
	for _, tc := range []struct {
		name         string
		servers      int
		lambda       float64 // an hour; handling 1 h
		patience     time.Duration
		room         int // queue capacity of a limited line, without patience
		target       time.Duration
		replications int
	}{
		{"M/M/1+M", 1, 0.8, time.Hour, 0, 15 * time.Minute, 4000},
		{"M/M/10+M", 10, 10, time.Hour, 0, 5 * time.Minute, 400},
		{"M/M/100+M", 100, 100, 15 * time.Minute, 0, 5 * time.Minute, 50},
		{"M/M/10/15", 10, 9, 0, 5, 5 * time.Minute, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tier := sim.Tier{Name: "all", Arrivals: sim.ConstantRate(tc.lambda), Handling: sim.Exponential{Mu: time.Hour},
				Response: tc.target, Resolution: 100 * time.Hour}
			var exact float64
			if tc.patience > 0 {
				tier.Patience = sim.Exponential{Mu: tc.patience}
				q := queueing.MMcM{Servers: tc.servers, ArrivalRate: tc.lambda, ServiceRate: 1, AbandonRate: 1 / tc.patience.Hours()}
				exact = q.AnsweredWithin(tc.target.Hours()) / q.ProbServed()
			} else {
				tier.Blocking, tier.QueueCapacity = true, tc.room
				q := queueing.MMcK{Servers: tc.servers, Capacity: tc.servers + tc.room, ArrivalRate: tc.lambda, ServiceRate: 1}
				exact = q.WaitAtMost(tc.target.Hours())
			}
			m := &sim.Model{Agents: tc.servers, WarmUp: 2 * 24 * time.Hour, Horizon: sim.Week, Tiers: []sim.Tier{tier}}
			res, err := sim.Run(context.Background(), m, sim.Options{Seed: 5, Replications: tc.replications})
			if err != nil || res.Unstable != nil {
				t.Fatal(err, res.Unstable)
			}
			r := &res.Summary.Tiers[0].Response
			p := r.PooledAnswered
			if p == nil {
				t.Fatal("no pooled answered share")
			}
			if p.N != int64(tc.replications) || p.X.Float64() != float64(r.Met) || p.Y.Float64() != float64(r.Tickets-r.Unanswered) {
				t.Errorf("pooled answered share of %v over %v in %d replications, want %d met of %d answered in %d",
					p.X.Float64(), p.Y.Float64(), p.N, r.Met, r.Tickets-r.Unanswered, tc.replications)
			}
			lo, hi := sim.PooledShareCI(p, level)
			all := r.Pooled.Value()
			t.Logf("pooled %.5f [%.5f, %.5f] at %d SE, closed form %.5f; of all tickets %.5f, %.0f answered a replication",
				p.Value(), lo, hi, z, exact, all, p.Y.Float64()/float64(p.N))
			if !(lo <= exact && exact <= hi) {
				t.Errorf("the closed form's %.5f is outside the pooled %.5f's interval [%.5f, %.5f] at %d SE", exact, p.Value(), lo, hi, z)
			}
			if lo <= all && all <= hi {
				t.Errorf("the share of all tickets, %.5f, is inside the interval [%.5f, %.5f]: no test of the denominator", all, lo, hi)
			}
		})
	}
}

// TestDecodeWithoutPooledAnswered: a shard's summary of a tier whose
// tickets may leave unanswered, with its answered attainment but not the
// pooled one (an older or a hostile writer's), is refused, where merging
// its missing ratio would panic; with both, it reads back as written.
func TestDecodeWithoutPooledAnswered(t *testing.T) {
	t.Parallel()
	m := &sim.Model{Agents: 2, Horizon: 24 * time.Hour,
		Tiers: []sim.Tier{{Name: "hotline", Arrivals: sim.ConstantRate(3), Handling: sim.Exponential{Mu: 30 * time.Minute},
			Response: time.Minute, Resolution: time.Hour, Patience: sim.Exponential{Mu: 5 * time.Minute}}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 3})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res.Summary)
	if err != nil {
		t.Fatal(err)
	}
	read, err := sim.DecodeSummary(data, m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := read.Tiers[0].Response.PooledAnswered, res.Summary.Tiers[0].Response.PooledAnswered; got == nil || *got != *want {
		t.Errorf("pooled answered share read back as %+v, written %+v", got, want)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var doc map[string]any
	if err := d.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	delete(doc["tiers"].([]any)[0].(map[string]any)["response"].(map[string]any), "pooled_answered")
	if data, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.DecodeSummary(data, m); err == nil || !strings.Contains(err.Error(), "leave unanswered") {
		t.Errorf("a summary without its pooled answered share: %v, want it refused", err)
	}
}
