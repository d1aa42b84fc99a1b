package queueing

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestMMcMPublished reproduces the Erlang A column of Mandelbaum and
// Zeltyn's comparison of Erlang C and Erlang A ("The Palm/Erlang-A queue,
// with applications to call centers", 2007, section 1; the same case is
// quoted by Zinnov's "Introduction to Erlang"): 50 agents, 48 calls a
// minute (2,880 an hour), 1 minute mean service, 2 minutes mean patience.
// Published, to the digits shown: 3.1% abandon, average wait 3.7 s, agent
// occupancy 93%.
func TestMMcMPublished(t *testing.T) {
	q := MMcM{Servers: 50, ArrivalRate: 48, ServiceRate: 1, AbandonRate: 0.5} // per minute
	for _, tc := range []struct {
		name      string
		got, want float64
		digits    float64 // the published figure's last digit
	}{
		{"fraction abandoning (%)", 100 * q.ProbAbandon(), 3.1, 0.1},
		{"average wait (s)", 60 * q.MeanWait(), 3.7, 0.1},
		{"agent occupancy (%)", 100 * q.Occupancy(), 93, 1},
	} {
		if math.Abs(tc.got-tc.want) > tc.digits/2 {
			t.Errorf("%s = %.4f, published %g", tc.name, tc.got, tc.want)
		}
	}
}

// erlangAChain is the stationary distribution of the M/M/c+M birth–death
// chain (death rate min(j, c)μ + max(j − c, 0)θ), solved numerically in log
// space and truncated where the probabilities are negligible: an
// independent check of the closed forms.
func erlangAChain(q MMcM) []float64 {
	logp := []float64{0}
	peak := 0.0
	for j := 1; ; j++ {
		death := float64(min(j, q.Servers))*q.ServiceRate + float64(max(j-q.Servers, 0))*q.AbandonRate
		l := logp[j-1] + math.Log(q.ArrivalRate/death)
		logp = append(logp, l)
		peak = max(peak, l)
		if j > q.Servers && l < peak-50 {
			break
		}
	}
	return normalise(logp, peak)
}

// normalise turns the logs of unnormalised probabilities, the largest
// being peak, into probabilities.
func normalise(logp []float64, peak float64) []float64 {
	p := make([]float64, len(logp))
	var total float64
	for j, l := range logp {
		p[j] = math.Exp(l - peak)
		total += p[j]
	}
	for j := range p {
		p[j] /= total
	}
	return p
}

// chainMeasures derives P(W > 0), P(Ab), E[W] and the occupancy from the
// chain: P(Ab) = θE[Q]/λ by flow balance, E[W] = E[Q]/λ by Little.
func chainMeasures(q MMcM, p []float64) (wait, abandon, meanWait, occupancy float64) {
	var queue, busy float64
	for j, pj := range p {
		if j >= q.Servers {
			wait += pj
			queue += float64(j-q.Servers) * pj
		}
		busy += float64(min(j, q.Servers)) * pj
	}
	return wait, q.AbandonRate * queue / q.ArrivalRate, queue / q.ArrivalRate, busy / float64(q.Servers)
}

// erlangAUniformized follows an arriving caller through its wait, by
// uniformization of the chain of the number of callers ahead of it (they
// leave at rate cμ + jθ, the caller itself hangs up at rate θ), starting
// from the stationary distribution seen on arrival. It returns, for each t,
// P(W > t) and P(served, W <= t), and E[W·1{served}]: an independent check
// of the waiting-time formulas.
func erlangAUniformized(q MMcM, p []float64, ts []float64) (waitMore, answered []float64, servedWait float64) {
	c := q.Servers
	ahead := p[c:]
	rate := float64(c)*q.ServiceRate + float64(len(ahead))*q.AbandonRate
	v := append([]float64(nil), ahead...)
	next := make([]float64, len(v))
	var immediate float64
	for _, pj := range p[:c] {
		immediate += pj
	}
	var waiting, served []float64 // after each uniformized step
	done := 0.0
	for {
		var w float64
		for _, x := range v {
			w += x
		}
		waiting = append(waiting, w)
		served = append(served, done)
		if w < 1e-17 {
			break
		}
		clear(next)
		for j, x := range v {
			progress := (float64(c)*q.ServiceRate + float64(j)*q.AbandonRate) / rate
			if j == 0 {
				done += x * progress
			} else {
				next[j-1] += x * progress
			}
			next[j] += x * (1 - progress - q.AbandonRate/rate)
		}
		v, next = next, v
	}
	for _, s := range served {
		servedWait += (done - s) / rate
	}
	for _, t := range ts {
		// After the last step nobody waits and the served share is final.
		var more, ans, mass float64
		for i := range waiting {
			w := 1.0
			if t > 0 {
				w = distuv.Poisson{Lambda: rate * t}.Prob(float64(i))
			} else if i > 0 {
				w = 0
			}
			more += w * waiting[i]
			ans += w * served[i]
			mass += w
		}
		waitMore = append(waitMore, more)
		answered = append(answered, immediate+ans+max(0, 1-mass)*done)
	}
	return waitMore, answered, servedWait
}

// TestMMcMAgainstChain checks every measure against the numerically solved
// chain over loads from light to three times capacity, patience from
// tenths to thousands of service times, and up to 2,000 servers.
func TestMMcMAgainstChain(t *testing.T) {
	for _, q := range []MMcM{
		{50, 48, 1, 0.5},                         // Mandelbaum and Zeltyn's example
		{1, 0.5, 1, 1},                           // M/M/1+M
		{1, 3, 1, 0.2},                           // M/M/1+M at three times capacity
		{10, 9, 1, 0.01},                         // patience of 100 services: near Erlang C
		{10, 12, 1, 0.1},                         // load 1.2: Erlang C is unstable here
		{10, 30, 1, 2},                           // load 3, impatient
		{20, 5, 1, 3},                            // light load, callers who give up fast
		{200, 190, 1, 0.05},                      // large desk near capacity
		{2000, 2100, 1, 0.2},                     // 2,000 agents in overload
		{14, 100.0 / 1800, 1.0 / 180, 1.0 / 120}, // 100 calls/30 min, AHT 180 s, patience 2 min
	} {
		p := erlangAChain(q)
		wait, abandon, meanWait, occupancy := chainMeasures(q, p)
		for _, m := range []struct {
			name      string
			got, want float64
		}{
			{"P(W > 0)", q.ProbWait(), wait},
			{"P(Ab)", q.ProbAbandon(), abandon},
			{"P(Ab | W > 0)", q.ProbAbandonGivenWait(), abandon / wait},
			{"E[W]", q.MeanWait(), meanWait},
			{"E[Q]", q.MeanQueueLength(), meanWait * q.ArrivalRate},
			{"occupancy", q.Occupancy(), occupancy},
			{"throughput", q.Throughput(), occupancy * float64(q.Servers) * q.ServiceRate},
		} {
			if !near(m.got, m.want, 1e-10) {
				t.Errorf("%+v: %s = %.15g, chain %.15g", q, m.name, m.got, m.want)
			}
		}
		if q.Servers > 200 {
			continue // the uniformized walk is slow for thousands of states
		}
		mean := q.MeanWait()
		ts := []float64{0, mean / 4, mean, 3 * mean, 10 * mean}
		waitMore, answered, servedWait := erlangAUniformized(q, p, ts)
		if got, want := q.MeanServedWait(), servedWait/(1-abandon); !near(got, want, 1e-9) {
			t.Errorf("%+v: E[W | served] = %.15g, uniformized chain %.15g", q, got, want)
		}
		for i, x := range ts {
			if got := q.WaitAtMost(x); !near(got, 1-waitMore[i], 1e-9) {
				t.Errorf("%+v: P(W <= %g) = %.15g, uniformized chain %.15g", q, x, got, 1-waitMore[i])
			}
			if got := q.AnsweredWithin(x); !near(got, answered[i], 1e-9) {
				t.Errorf("%+v: P(served, W <= %g) = %.15g, uniformized chain %.15g", q, x, got, answered[i])
			}
		}
	}
}

// TestMMcMPoissonCase checks the case patience mean = service mean (θ = μ),
// where every caller present leaves at rate μ whether served or waiting, so
// the number in system is Poisson with mean a = λ/μ, as in M/M/∞. Then
// P(W > 0) = P(N >= c), E[Q] = E[(N − c)+], and a caller is still waiting
// at t exactly when at least c of the others present on its arrival are
// still there, so P(V > t) = P(Poisson(a·e^{-μt}) >= c).
func TestMMcMPoissonCase(t *testing.T) {
	for _, tc := range []struct {
		c    int
		a, μ float64
	}{
		{1, 0.5, 1}, {5, 4, 2}, {10, 15, 1}, {50, 48, 1}, {100, 80, 0.25}, {300, 330, 1},
	} {
		q := MMcM{tc.c, tc.a * tc.μ, tc.μ, tc.μ}
		n := distuv.Poisson{Lambda: tc.a}
		atLeast := func(p distuv.Poisson, k int) float64 { return 1 - p.CDF(float64(k-1)) }
		var excess float64 // E[(N − c)+]
		for k := tc.c + 1; k < tc.c+int(10*tc.a)+100; k++ {
			excess += float64(k-tc.c) * n.Prob(float64(k))
		}
		if got, want := q.ProbWait(), atLeast(n, tc.c); !near(got, want, 1e-9) {
			t.Errorf("%+v: P(W > 0) = %.12g, Poisson %.12g", tc, got, want)
		}
		if got, want := q.MeanQueueLength(), excess; !near(got, want, 1e-9) {
			t.Errorf("%+v: E[Q] = %.12g, Poisson %.12g", tc, got, want)
		}
		for _, x := range []float64{0.01, 0.1, 0.5, 2} {
			tail := atLeast(distuv.Poisson{Lambda: tc.a * math.Exp(-tc.μ*x)}, tc.c)
			if got, want := q.WaitAtMost(x), 1-tail*math.Exp(-tc.μ*x); !near(got, want, 1e-9) {
				t.Errorf("%+v: P(W <= %g) = %.12g, Poisson %.12g", tc, x, got, want)
			}
		}
	}
}

// TestMMcMLimits checks the limits of slow and of no abandonment: Erlang C
// where it is stable, and in overload a share 1 − 1/ρ abandoning, the
// excess the servers cannot take.
func TestMMcMLimits(t *testing.T) {
	for _, c := range []MMc{{1, 0.7, 1}, {10, 9, 1}, {14, 10, 1}, {500, 480, 1}} {
		// The gap to Erlang C closes in proportion to θ (down to θ = 1e-6,
		// a patience of a million services; c·μ/θ up to 5e8).
		gap := func(theta float64) [4]float64 {
			q := MMcM{c.Servers, c.ArrivalRate, c.ServiceRate, theta}
			return [4]float64{
				math.Abs(q.ProbWait()/c.ProbWait() - 1), math.Abs(q.MeanWait()/c.MeanWait() - 1),
				math.Abs(q.MeanServedWait()/c.MeanWait() - 1), math.Abs(q.AnsweredWithin(0.5)/c.WaitAtMost(0.5) - 1),
			}
		}
		g5, g6 := gap(1e-5), gap(1e-6)
		for i, name := range []string{"P(W>0)", "E[W]", "E[W|served]", "P(served, W<=0.5)"} {
			if g6[i] > 1e-4 || g6[i] > g5[i]/5 {
				t.Errorf("%+v: %s relative gap to Erlang C %.3g at θ = 1e-5, %.3g at θ = 1e-6", c, name, g5[i], g6[i])
			}
		}
		// AbandonRate 0 is Erlang C itself.
		q := MMcM{c.Servers, c.ArrivalRate, c.ServiceRate, 0}
		if q.ProbWait() != c.ProbWait() || q.MeanWait() != c.MeanWait() || q.WaitAtMost(0.5) != c.WaitAtMost(0.5) ||
			q.ProbAbandon() != 0 || q.Occupancy() != c.Utilisation() {
			t.Errorf("%+v with no abandonment differs from Erlang C", c)
		}
	}
	for _, rho := range []float64{1.2, 2, 5} {
		q := MMcM{100, 100 * rho, 1, 1e-6}
		if got, want := q.ProbAbandon(), 1-1/rho; !near(got, want, 1e-4) || !near(q.Occupancy(), 1, 1e-4) {
			t.Errorf("ρ = %g, θ → 0: P(Ab) = %g (want %g), occupancy %g", rho, got, want, q.Occupancy())
		}
		// Erlang C has no answer here; without abandonment the queue is
		// saturated: everyone waits, forever, servers always busy.
		q.AbandonRate = 0
		if q.ProbWait() != 1 || !math.IsInf(q.MeanWait(), 1) || q.WaitAtMost(1) != 0 || q.Occupancy() != 1 {
			t.Errorf("ρ = %g, no abandonment: P(W>0) %g, E[W] %g, P(W<=1) %g, occupancy %g",
				rho, q.ProbWait(), q.MeanWait(), q.WaitAtMost(1), q.Occupancy())
		}
	}
}

// TestMMcMProperties checks identities and monotonicity over a grid that
// includes thousands of servers, overload and the edges of t.
func TestMMcMProperties(t *testing.T) {
	for _, c := range []int{1, 3, 10, 100, 1000, 5000} {
		for _, rho := range []float64{0.3, 0.9, 1, 1.1, 2} {
			for _, theta := range []float64{0.01, 0.5, 1, 20} {
				q := MMcM{c, rho * float64(c), 1, theta}
				wait, ab, served := q.ProbWait(), q.ProbAbandon(), q.ProbServed()
				for name, v := range map[string]float64{"P(W>0)": wait, "P(Ab)": ab, "P(served)": served,
					"P(Ab|W>0)": q.ProbAbandonGivenWait(), "occupancy": q.Occupancy()} {
					if !(v >= 0 && v <= 1) {
						t.Fatalf("%+v: %s = %v", q, name, v)
					}
				}
				if !near(ab, theta*q.MeanWait(), 1e-12) || !near(ab, wait*q.ProbAbandonGivenWait(), 1e-12) {
					t.Errorf("%+v: P(Ab) %g, θE[W] %g, P(W>0)P(Ab|W>0) %g", q, ab, theta*q.MeanWait(), wait*q.ProbAbandonGivenWait())
				}
				if !near(q.WaitAtMost(0), 1-wait, 1e-12) || !near(q.AnsweredWithin(0), 1-wait, 1e-12) ||
					!near(q.AnsweredWithin(math.Inf(1)), served, 1e-12) || q.WaitAtMost(math.Inf(1)) != 1 ||
					q.WaitAtMost(-1) != 0 || q.AnsweredWithin(-1) != 0 {
					t.Errorf("%+v: edges of t: P(W<=0) %g, SL(0) %g, SL(∞) %g vs P(served) %g",
						q, q.WaitAtMost(0), q.AnsweredWithin(0), q.AnsweredWithin(math.Inf(1)), served)
				}
				// In t: both distributions rise; the answered share stays
				// below the share done waiting.
				mean := q.MeanWait()
				prevW, prevA := q.WaitAtMost(0), q.AnsweredWithin(0)
				for _, f := range []float64{0.1, 0.5, 1, 2, 5, 20} {
					w, a := q.WaitAtMost(f*mean), q.AnsweredWithin(f*mean)
					if w < prevW-1e-12 || a < prevA-1e-12 || a > w+1e-12 {
						t.Errorf("%+v at t = %g·E[W]: P(W<=t) %g (before %g), SL %g (before %g)", q, f, w, prevW, a, prevA)
					}
					prevW, prevA = w, a
				}
				// One more server: less waiting, less abandonment, a better
				// service level, a lower occupancy (to rounding).
				more := q
				more.Servers++
				for _, m := range []struct {
					name        string
					before, now float64
				}{
					{"P(W>0)", wait, more.ProbWait()}, {"P(Ab)", ab, more.ProbAbandon()},
					{"E[W]", q.MeanWait(), more.MeanWait()}, {"occupancy", q.Occupancy(), more.Occupancy()},
					{"1 - SL", 1 - q.AnsweredWithin(0.1), 1 - more.AnsweredWithin(0.1)},
				} {
					if m.now > m.before*(1+1e-12) {
						t.Errorf("%+v: one more server raises %s from %.17g to %.17g", q, m.name, m.before, m.now)
					}
				}
			}
		}
	}
}

func TestMMcMNoArrivals(t *testing.T) {
	q := MMcM{Servers: 3, ArrivalRate: 0, ServiceRate: 1, AbandonRate: 0.5}
	if q.ProbWait() != 0 || q.ProbAbandon() != 0 || q.MeanWait() != 0 || q.MeanServedWait() != 0 ||
		q.WaitAtMost(0) != 1 || q.AnsweredWithin(0) != 1 || q.Occupancy() != 0 {
		t.Errorf("no arrivals: P(W>0) %g, P(Ab) %g, E[W] %g, E[W|served] %g, P(W<=0) %g, SL %g, occupancy %g",
			q.ProbWait(), q.ProbAbandon(), q.MeanWait(), q.MeanServedWait(), q.WaitAtMost(0), q.AnsweredWithin(0), q.Occupancy())
	}
	// A lone caller who found the servers busy races 3 services against
	// its patience.
	if got := q.ProbAbandonGivenWait(); !near(got, 0.5/3.5, 1e-15) {
		t.Errorf("P(Ab | W > 0) with no arrivals = %g, want θ/(cμ+θ) = %g", got, 0.5/3.5)
	}
	if got := (MMcM{3, 1e-12, 1, 0.5}).ProbAbandonGivenWait(); !near(got, 0.5/3.5, 1e-9) {
		t.Errorf("P(Ab | W > 0) as λ → 0 = %g, want %g", got, 0.5/3.5)
	}
}

func TestMMcMInvalid(t *testing.T) {
	for _, q := range []MMcM{
		{0, 1, 1, 1}, {1, -1, 1, 1}, {1, math.NaN(), 1, 1}, {1, math.Inf(1), 1, 1},
		{1, 1, 0, 1}, {1, 1, math.Inf(1), 1}, {1, 1, 1, -1}, {1, 1, 1, math.NaN()},
		{1, 1, 1, math.Inf(1)}, {1000, 1, 1, 1e-7}, {1, 1e10, 1, 1},
	} {
		if err := q.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: Validate() = %v, want ErrInvalid", q, err)
		}
		for name, v := range map[string]float64{
			"ProbWait": q.ProbWait(), "ProbAbandon": q.ProbAbandon(), "ProbAbandonGivenWait": q.ProbAbandonGivenWait(),
			"MeanWait": q.MeanWait(), "MeanServedWait": q.MeanServedWait(), "MeanQueueLength": q.MeanQueueLength(),
			"WaitAtMost": q.WaitAtMost(1), "AnsweredWithin": q.AnsweredWithin(1), "Throughput": q.Throughput(),
			"Occupancy": q.Occupancy(), "Load": q.Load(),
		} {
			if !math.IsNaN(v) {
				t.Errorf("%+v: %s = %g, want NaN", q, name, v)
			}
		}
	}
	if q := (MMcM{2, 1, 1, 1}); !math.IsNaN(q.WaitAtMost(math.NaN())) || !math.IsNaN(q.AnsweredWithin(math.NaN())) {
		t.Error("a NaN t should give NaN")
	}
}

// TestMMcMLongPatience checks Erlang A where callers wait a million
// services before hanging up: the logs of its incomplete gamma sums are
// then in the millions, and the figures must come from their ratios, not
// the differences of those logs.
func TestMMcMLongPatience(t *testing.T) {
	for _, c := range []int{1, 2, 10, 100} {
		for _, rho := range []float64{0.1, 0.5, 0.9, 1.6} {
			for _, theta := range []float64{1e-4, 1e-6, 1e-7} {
				q := MMcM{c, rho * float64(c), 1, theta}
				if q.Validate() != nil {
					continue
				}
				if rho < 1 { // in overload the chain is millions of states long
					wait, abandon, _, _ := chainMeasures(q, erlangAChain(q))
					if got := q.ProbWait(); !near(got, wait, 1e-12) {
						t.Errorf("%+v: P(W > 0) = %.15g, chain %.15g", q, got, wait)
					}
					if got := q.ProbAbandon(); !near(got, abandon, 1e-12) {
						t.Errorf("%+v: P(Ab) = %.15g, chain %.15g", q, got, abandon)
					}
				}
				served := q.ProbServed()
				if got := q.AnsweredWithin(100 / theta); !near(got, served, 1e-12) {
					t.Errorf("%+v: P(served, W <= 100 patiences) = %.15g, P(served) %.15g", q, got, served)
				}
				if got := q.ServedSojournAtMost(100 / theta); got > served {
					t.Errorf("%+v: P(served, W + S <= 100 patiences) = %.15g, above P(served) %.15g", q, got, served)
				}
			}
		}
	}
}
