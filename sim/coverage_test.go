package sim_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// longTests makes the statistical experiments of this package several
// times longer, for tighter bounds; .ci/run sets it.
var longTests = os.Getenv("SLASIM_LONG_TESTS") != ""

// replicationValues records, per replication index, the two figures whose
// intervals TestCoverageErlangC checks: the share of tickets answered
// within the target and the mean wait, as the engine's summary computes
// them from the same tickets; and the counts the share is made of, met
// and tickets.
type replicationValues struct {
	target time.Duration
	rep    int
	n, met int64
	wait   time.Duration
	values map[int][2]float64
	counts map[int][2]int64
}

func (c *replicationValues) Begin(_ uint64, rep int) { c.rep, c.n, c.met, c.wait = rep, 0, 0, 0 }
func (c *replicationValues) Ticket(t *sim.TicketRecord) {
	c.n++
	if t.Response <= c.target {
		c.met++
	}
	c.wait += t.Response
}
func (c *replicationValues) End() {
	if c.values == nil {
		c.values, c.counts = map[int][2]float64{}, map[int][2]int64{}
	}
	c.values[c.rep] = [2]float64{float64(c.met) / float64(c.n), c.wait.Hours() / float64(c.n)}
	c.counts[c.rep] = [2]int64{c.met, c.n}
}
func (c *replicationValues) Merge(o sim.Collector) error {
	if c.values == nil {
		c.values, c.counts = map[int][2]float64{}, map[int][2]int64{}
	}
	for k, v := range o.(*replicationValues).values {
		c.values[k] = v
	}
	for k, v := range o.(*replicationValues).counts {
		c.counts[k] = v
	}
	return nil
}

// TestCoverageErlangC: the 95% intervals slasim reports, of attainment and
// of the mean wait, contain the exact Erlang C values 93–97% of the time
// with one-week replications, at loads 0.5, 0.8 and 0.95; and so do those
// of the pooled share and the pooled mean wait (sim.Ratio.CI, the delta
// method corrected for skewness), made of the same replications.
//
// Design. M/M/10 with 1-hour handling; 20 one-week replications per
// experiment, the default of a scenario. The target is 5 minutes at load
// 0.5 (the light-load case, where waits are rare), 15 minutes at 0.8 and
// 1 hour at 0.95. Experiments are independent groups of 20 consecutive
// replications of one long run (replications are independent by
// construction, so this is the same as a run per experiment, at the cost
// of one). The warm-up is the one slasim detects (Model.AutoWarmUp, as a
// scenario's default warm_up: auto): the start-up bias it leaves is part
// of what is tested, and the mean over all replications must agree with
// Erlang C within 4 of its standard errors.
//
// The coverage count is binomial(E, p): each coverage must lie within 93–97%
// widened by 3 of its binomial standard errors, √(0.95·0.05/E): 1.3 points
// for the 300 experiments at load 0.5, 1.5 for the 200 at 0.8, 2.8 for the
// 60 at 0.95, where each replication needs a long warm-up. .ci/run sets
// SLASIM_LONG_TESTS for eight times as many (0.4, 0.5 and 1.0 points).
// Measured in 1,500, 1,500 and 500 experiments: attainment covered 94.4%,
// 95.1% and 97.0% of the time, the mean wait 94.2%, 94.0% and 92.8%. A
// failure is then a real miss, not chance (p < 0.3% per check). With
// SLASIM_LONG_TESTS (2,400, 1,600 and 480 experiments, seed 11) the
// pooled share covered 94.0%, 94.9% and 97.3%, the pooled mean wait
// 93.4%, 93.2% and 92.9%; without the skewness correction the pooled
// mean wait covered 91.0%, 92.4% and 87.9%, which fails.
//
// Why the interval needs Hall's skewness correction (sim.Tally.CI): the
// replication means of a wait are strongly right-skewed (skewness 2.5 at
// load 0.5, where a week's mean wait is made by a few busy hours, and 3 at
// load 0.95). Measured on 16,000 replications (8,000 at 0.95) grouped by
// 20, the plain Student t interval of the mean wait covered 91.2% at load
// 0.5, 93.1% at 0.8 and 90.2% at 0.95; the corrected one 93.8%, 93.4% and
// 93.0%. Attainment is less skewed: t 93.4%, 95.0%, 95.8%; corrected
// 95.1%, 94.5%, 96.8%. With 5 or 10 replications even the corrected
// interval of the mean wait covers only 88–92% at loads 0.5 and 0.95.
//
// Cost: about 24 million tickets, 4 s of one core (eight times as much
// with SLASIM_LONG_TESTS), half of them at load 0.95, where a replication
// needs its 780-hour warm-up.
func TestCoverageErlangC(t *testing.T) {
	t.Parallel()
	const servers, reps, z = 10, 20, 3
	for _, tc := range []struct {
		load        float64
		target      time.Duration
		experiments int
	}{
		{0.5, 5 * time.Minute, 300},
		{0.8, 15 * time.Minute, 200},
		{0.95, time.Hour, 60},
	} {
		t.Run(fmt.Sprint("load ", tc.load), func(t *testing.T) {
			t.Parallel()
			if longTests {
				tc.experiments *= 8
			}
			lambda := tc.load * servers
			q := queueing.MMc{Servers: servers, ArrivalRate: lambda, ServiceRate: 1}
			m := &sim.Model{Agents: servers, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: sim.Week,
				Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Hour},
					Response: tc.target, Resolution: 100 * time.Hour}}}
			res, err := sim.Run(context.Background(), m, sim.Options{Seed: 11, Replications: tc.experiments * reps,
				Collector: func() sim.Collector { return &replicationValues{target: tc.target} }})
			if err != nil || res.Unstable != nil {
				t.Fatal(err, res.Unstable)
			}
			values := res.Collected.(*replicationValues).values
			counts := res.Collected.(*replicationValues).counts
			exact := [2]float64{q.WaitAtMost(tc.target.Hours()), q.MeanWait()}
			var covered, pooledCovered [2]int
			var all [2]sim.Tally
			for e := range tc.experiments {
				var x [2]sim.Tally
				var pooled [2]sim.Ratio
				for r := e * reps; r < (e+1)*reps; r++ {
					for k, v := range values[r] {
						x[k].Add(v)
						all[k].Add(v)
					}
					n := float64(counts[r][1])
					pooled[0].Add(float64(counts[r][0]), n)
					pooled[1].Add(values[r][1]*n, n)
				}
				for k := range x {
					if lo, hi := x[k].CI(sim.Confidence); lo <= exact[k] && exact[k] <= hi {
						covered[k]++
					}
					if lo, hi := pooled[k].CI(sim.Confidence); lo <= exact[k] && exact[k] <= hi {
						pooledCovered[k]++
					}
				}
			}
			// The values are the report's: the same tickets, the same
			// per-replication figures.
			r := &res.Summary.Tiers[0].Response
			for k, want := range []*sim.Tally{&r.Attainment, &r.MeanHours} {
				if all[k].N != want.N || math.Abs(all[k].Mean()-want.Mean()) > 1e-12*math.Abs(want.Mean()) {
					t.Fatalf("per-replication values differ from the summary's: %v over %d against %v over %d", all[k].Mean(), all[k].N, want.Mean(), want.N)
				}
			}
			se := math.Sqrt(0.95 * 0.05 / float64(tc.experiments))
			t.Logf("warm-up %v (%+v)", res.WarmUp, *res.Detection)
			for k, what := range []string{"attainment", "mean wait"} {
				p := float64(covered[k]) / float64(tc.experiments)
				mean, meanSE := all[k].Mean(), math.Sqrt(all[k].Variance()/float64(all[k].N))
				t.Logf("%-10s covered by %d of %d intervals: %.1f%% (binomial SE %.1f points); exact %.5f, mean of all %d replications %.5f ± %.5f (SE)",
					what, covered[k], tc.experiments, 100*p, 100*se, exact[k], all[k].N, mean, meanSE)
				if p < 0.93-z*se || p > 0.97+z*se {
					t.Errorf("%s: coverage %.1f%% outside 93–97%% ± %d SE", what, 100*p, z)
				}
				pp := float64(pooledCovered[k]) / float64(tc.experiments)
				t.Logf("pooled %-10s covered by %d of %d intervals: %.1f%%", what, pooledCovered[k], tc.experiments, 100*pp)
				if pp < 0.93-z*se || pp > 0.97+z*se {
					t.Errorf("pooled %s: coverage %.1f%% outside 93–97%% ± %d SE", what, 100*pp, z)
				}
				if math.Abs(mean-exact[k]) > 4*meanSE {
					t.Errorf("%s: the mean of all replications, %.5f, is %.1f SE from Erlang C's %.5f: a bias the warm-up left", what, mean, (mean-exact[k])/meanSE, exact[k])
				}
			}
		})
	}
}

// TestCoverageRareTier: the attainment interval of a tier with a few
// tickets a replication, nearly all in time, covers the exact value at
// least 95% of the time, less 3 binomial standard errors of the coverage.
// M/M/1 at 0.02 tickets an hour with 1-hour handling (Erlang C: 98.43%
// answered within 15 minutes), 20 one-week replications, 3.4 tickets
// each: in a third of the runs every ticket is in time, the replications'
// shares are all 1 and their interval [100%, 100%]: it covered 248 of 400
// runs (62%; 76 of 400 with 5 replications). The pooled tickets' Wilson
// interval bounds what they can claim (sim.ShareCI): 398 of
// 400 (and 400 of 400 with 5 replications).
func TestCoverageRareTier(t *testing.T) {
	t.Parallel()
	const lambda, target, runs, z = 0.02, 15 * time.Minute, 400, 3
	exact := queueing.MMc{Servers: 1, ArrivalRate: lambda, ServiceRate: 1}.WaitAtMost(target.Hours())
	m := &sim.Model{Agents: 1, WarmUp: 24 * time.Hour, Horizon: sim.Week,
		Tiers: []sim.Tier{{Name: "rare", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Hour},
			Response: target, Resolution: 100 * time.Hour}}}
	covered := 0
	for run := range runs {
		res, err := sim.Run(context.Background(), m, sim.Options{Seed: uint64(run), Replications: 20, Workers: 1})
		if err != nil || res.Unstable != nil {
			t.Fatal(err, res.Unstable)
		}
		r := &res.Summary.Tiers[0].Response
		if lo, hi := sim.ShareCI(&r.Attainment, r.Met, r.Tickets, sim.Confidence); lo <= exact && exact <= hi {
			covered++
		}
	}
	p, se := float64(covered)/runs, math.Sqrt(0.95*0.05/runs)
	t.Logf("covered %d of %d runs (%.1f%%), exact %.4f", covered, runs, 100*p, exact)
	if p < 0.95-z*se {
		t.Errorf("coverage %.1f%%, below 95%% - %d SE (%.1f%%)", 100*p, z, 100*(0.95-z*se))
	}
}

// TestAttainmentEstimand: a clock's attainment is the mean over
// replications of each replication's share of tickets within the target,
// the expected share of a period as long as the horizon, and not the
// pooled share of all tickets, 1 - breached/tickets, which estimates the
// per-ticket probability of steady-state theory such as Erlang C; the two
// differ by a bias of order 1/(tickets per replication), as
// docs/reports.md and docs/json.md say. A busy week has more tickets and
// a lower share: in the pooled share it weighs more, in the mean of shares
// no more than a quiet one.
//
// M/M/1 at load 0.5 (0.5 tickets an hour, 1-hour handling), 15-minute
// response target: Erlang C 0.55875. One-week replications (84 tickets
// each): the mean of shares stands more than 4 of its standard errors
// above Erlang C, the pooled share within 4 of its own. Four-week ones:
// the bias is about a quarter as large (within 4 SE of a quarter), and the
// pooled share still agrees. The warm-up is the one slasim detects, as a
// scenario's default. Figures are logged (go test -v -run
// TestAttainmentEstimand ./sim), and docs/reports.md and docs/json.md
// quote them.
func TestAttainmentEstimand(t *testing.T) {
	t.Parallel()
	const lambda, target, z = 0.5, 15 * time.Minute, 4
	exact := queueing.MMc{Servers: 1, ArrivalRate: lambda, ServiceRate: 1}.WaitAtMost(target.Hours())
	type estimate struct{ mean, bias, biasSE, pooled, pooledSE float64 }
	run := func(weeks, reps int) estimate {
		m := &sim.Model{Agents: 1, WarmUp: 52 * sim.Week, AutoWarmUp: true, Horizon: time.Duration(weeks) * sim.Week,
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Hour},
				Response: target, Resolution: 100 * time.Hour}}}
		res, err := sim.Run(context.Background(), m, sim.Options{Seed: 5, Replications: reps,
			Collector: func() sim.Collector { return &replicationValues{target: target} }})
		if err != nil || res.Unstable != nil {
			t.Fatal(err, res.Unstable)
		}
		r := &res.Summary.Tiers[0].Response
		counts := res.Collected.(*replicationValues).counts
		// The pooled share's standard error by the delta method, from
		// each replication's residual met - pooled·tickets.
		pooled := float64(r.Met) / float64(r.Tickets)
		var ss float64
		for _, c := range counts {
			d := float64(c[0]) - pooled*float64(c[1])
			ss += d * d
		}
		k := float64(len(counts))
		e := estimate{mean: r.Attainment.Mean(), bias: r.Attainment.Mean() - exact, biasSE: math.Sqrt(r.Attainment.Variance() / k),
			pooled: pooled, pooledSE: math.Sqrt(ss/(k*(k-1))) / (float64(r.Tickets) / k)}
		t.Logf("%d-week replications, %d of them, %.0f tickets each, warm-up %v: mean of shares %.5f (bias %+.5f ± %.5f SE), pooled share %.5f ± %.5f, Erlang C %.5f",
			weeks, reps, float64(r.Tickets)/k, res.WarmUp, r.Attainment.Mean(), e.bias, e.biasSE, pooled, e.pooledSE, exact)
		if math.Abs(pooled-exact) > z*e.pooledSE {
			t.Errorf("%d weeks: the pooled share %.5f is %.1f SE from Erlang C's %.5f", weeks, pooled, (pooled-exact)/e.pooledSE, exact)
		}
		return e
	}
	week, month := run(1, 60_000), run(4, 15_000)
	if week.bias < z*week.biasSE {
		t.Errorf("one week: the mean of shares is only %.1f SE above Erlang C", week.bias/week.biasSE)
	}
	if d, se := 4*month.bias-week.bias, math.Hypot(4*month.biasSE, week.biasSE); math.Abs(d) > z*se {
		t.Errorf("four weeks: the bias %+.5f is not a quarter of one week's %+.5f (4 x differs by %.1f SE)", month.bias, week.bias, d/se)
	}
	if d, se := week.bias-month.bias, math.Hypot(month.biasSE, week.biasSE); d < z*se {
		t.Errorf("four weeks: the bias %+.5f is not clearly below one week's %+.5f (%.1f SE)", month.bias, week.bias, d/se)
	}
	for file, quotes := range map[string][]string{
		"../docs/reports.md": {
			fmt.Sprintf("Erlang C %.2f%%", 100*exact),
			fmt.Sprintf("(84 tickets each) average %.2f%% ± %.2f", 100*week.mean, 100*week.biasSE),
			fmt.Sprintf("%.0f standard errors above Erlang C", week.bias/week.biasSE),
			fmt.Sprintf("pooled share is %.2f%%", 100*week.pooled),
			fmt.Sprintf("(336 tickets) average %.2f%%", 100*month.mean),
		},
		"../docs/json.md": {fmt.Sprintf("%.2f%% against a pooled %.2f%% and Erlang C's %.2f%%", 100*week.mean, 100*week.pooled, 100*exact)},
	} {
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(doc)), " ")
		for _, quote := range quotes {
			if !strings.Contains(text, quote) {
				t.Errorf("%s does not say %q", file, quote)
			}
		}
	}
}

// pooledFigure is a pooled figure of a summary whose interval a coverage
// test checks: its ratio, whether it is a share (its interval widened to
// the tickets' Wilson interval, as the report's), and the exact value.
type pooledFigure struct {
	name  string
	ratio func(*sim.Summary) *sim.Ratio
	share bool
	exact float64
}

func (f *pooledFigure) ci(s *sim.Summary, level float64) (lo, hi float64) {
	if f.share {
		return sim.PooledShareCI(f.ratio(s), level)
	}
	return f.ratio(s).CI(level)
}

// pooledCoverage runs m in experiments of reps replications, each its own
// sim.Run (replications e·reps onwards, as a run split in shards has
// them), and checks that each figure's 95% interval, made from the
// summary as the report makes it, contains the exact value 93–97% of the
// time, less or more 3 binomial standard errors; and that the figure
// pooled over every experiment is within 4 of its standard errors of it
// (a bias the warm-up left would show there first).
func pooledCoverage(t *testing.T, m *sim.Model, seed uint64, experiments, reps int, figures []pooledFigure) {
	t.Helper()
	const z = 3
	covered := make([]int, len(figures))
	all := sim.NewSummary(m)
	for e := range experiments {
		res, err := sim.Run(context.Background(), m, sim.Options{Seed: seed, FirstReplication: e * reps, Replications: reps})
		if err != nil || res.Unstable != nil {
			t.Fatal(err, res.Unstable)
		}
		for k := range figures {
			if lo, hi := figures[k].ci(res.Summary, sim.Confidence); lo <= figures[k].exact && figures[k].exact <= hi {
				covered[k]++
			}
		}
		if err := all.Merge(res.Summary); err != nil {
			t.Fatal(err)
		}
	}
	se := math.Sqrt(0.95 * 0.05 / float64(experiments))
	for k, f := range figures {
		p := float64(covered[k]) / float64(experiments)
		lo, hi := f.ci(all, 1-2*distuv.UnitNormal.CDF(-4))
		t.Logf("%-22s covered by %d of %d intervals: %.1f%% (binomial SE %.1f points); exact %.5f, all %d replications %.5f [%.5f, %.5f] at 4 SE",
			f.name, covered[k], experiments, 100*p, 100*se, f.exact, experiments*reps, f.ratio(all).Value(), lo, hi)
		if p < 0.93-z*se || p > 0.97+z*se {
			t.Errorf("%s: coverage %.1f%% outside 93–97%% ± %d SE", f.name, 100*p, z)
		}
		if !(lo <= f.exact && f.exact <= hi) {
			t.Errorf("%s: the exact %.5f is outside the interval of all replications, [%.5f, %.5f] at 4 SE", f.name, f.exact, lo, hi)
		}
	}
}

// TestCoveragePooledErlangA: the 95% intervals of the pooled share of
// answered tickets answered within the target and of the pooled share of
// tickets abandoned contain Erlang A's (answered within the target over
// answered, and the probability of abandoning) 93–97% of the time: M/M/c+M
// with 1-hour handling, 20 one-week replications per experiment, at one
// agent (93 answered tickets a replication, whose counts are skewed) and
// at ten, below and above their capacity. Two days of warm-up: relaxation
// with callers hanging up takes hours.
//
// Measured with SLASIM_LONG_TESTS (1,600 experiments each, seed 13):
// answered in time covered 96.2% (one agent), 95.4% and 94.1% (ten, at 9
// and 12 an hour), abandoned 95.8%, 95.4% and 94.8%.
func TestCoveragePooledErlangA(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		servers  int
		lambda   float64
		patience time.Duration
		target   time.Duration
	}{
		{1, 0.8, time.Hour, 15 * time.Minute},
		{10, 9, 30 * time.Minute, 5 * time.Minute},
		{10, 12, 30 * time.Minute, 5 * time.Minute},
	} {
		t.Run(fmt.Sprintf("M/M/%d+M at %g an hour", tc.servers, tc.lambda), func(t *testing.T) {
			t.Parallel()
			experiments := 200
			if longTests {
				experiments *= 8
			}
			q := queueing.MMcM{Servers: tc.servers, ArrivalRate: tc.lambda, ServiceRate: 1, AbandonRate: 1 / tc.patience.Hours()}
			m := &sim.Model{Agents: tc.servers, WarmUp: 2 * 24 * time.Hour, Horizon: sim.Week,
				Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(tc.lambda), Handling: sim.Exponential{Mu: time.Hour},
					Patience: sim.Exponential{Mu: tc.patience}, Response: tc.target, Resolution: 100 * time.Hour}}}
			pooledCoverage(t, m, 13, experiments, 20, []pooledFigure{
				{"answered in time", func(s *sim.Summary) *sim.Ratio { return s.Tiers[0].Response.PooledAnswered }, true,
					q.AnsweredWithin(tc.target.Hours()) / q.ProbServed()},
				{"abandoned", func(s *sim.Summary) *sim.Ratio { return &s.Tiers[0].Abandoned.Pooled }, true, q.ProbAbandon()},
			})
		})
	}
}

// TestCoveragePooledOverall: the 95% intervals of the pooled mean
// response and resolution times over every tier's tickets contain the
// exact values 93–97% of the time. Two tiers share ten agents by
// non-preemptive priority, with one exponential handling time of an hour:
// the number of tickets in the system is then that of one M/M/10 queue,
// so the mean wait over all tickets is Erlang C's (Cobham's waits of the
// two tiers, weighted by their rates) and the mean time to resolve it
// plus the hour. Rates 3:5 at loads 0.5 and 0.8, 20 one-week replications
// per experiment, a week of warm-up (some twenty relaxation times at
// 0.8).
//
// Measured with SLASIM_LONG_TESTS (1,600 experiments each, seed 17):
// the mean response covered 93.1% at both loads, the mean resolution
// 94.1% and 93.0%. The pooled mean response of all 32,000 replications at
// 0.8, 0.20296 h against 0.20459, is 2.8 of its standard errors low;
// with seeds 18 and 19, 1.2 and 0.5 low, and 100,000 replications of
// seed 23 0.20518, 1.8 high: chance, not a bias.
func TestCoveragePooledOverall(t *testing.T) {
	t.Parallel()
	for _, load := range []float64{0.5, 0.8} {
		t.Run(fmt.Sprint("load ", load), func(t *testing.T) {
			t.Parallel()
			experiments := 200
			if longTests {
				experiments *= 8
			}
			rates := []float64{10 * load * 3 / 8, 10 * load * 5 / 8} // 10 agents, an hour each
			w, err := queueing.MMcPriorityWaits(10, rates, 1)
			if err != nil {
				t.Fatal(err)
			}
			wait := (rates[0]*w[0] + rates[1]*w[1]) / (rates[0] + rates[1])
			m := &sim.Model{Agents: 10, WarmUp: sim.Week, Horizon: sim.Week}
			for k, l := range rates {
				m.Tiers = append(m.Tiers, sim.Tier{Name: fmt.Sprint("P", k+1), Arrivals: sim.ConstantRate(l), Handling: sim.Exponential{Mu: time.Hour},
					Response: 15 * time.Minute, Resolution: 4 * time.Hour})
			}
			pooledCoverage(t, m, 17, experiments, 20, []pooledFigure{
				{"mean response", func(s *sim.Summary) *sim.Ratio { return &s.Overall.ResponsePooledHours }, false, wait},
				{"mean resolution", func(s *sim.Summary) *sim.Ratio { return &s.Overall.ResolutionPooledHours }, false, wait + 1},
			})
		})
	}
}
