package queueing

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestMMcKPublished reproduces P. Jensen's "Operations Research Models and
// Methods" exercise (University of Texas, queueing unit, "finite and
// infinite queues"), which tabulates an M/M/2 and an M/M/2/5 queue with
// arrivals at 5 an hour and services at 3 an hour: for M/M/2/5, mean time
// in queue 0.178 h, in system 0.511 h, throughput 4.424 an hour, P(0) =
// 0.143 and P(5) = 0.115 (the blocking probability); for M/M/2, mean time
// in queue 0.758 h.
func TestMMcKPublished(t *testing.T) {
	q := MMcK{Servers: 2, Capacity: 5, ArrivalRate: 5, ServiceRate: 3}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"mean time in queue (h)", q.MeanWait(), 0.178},
		{"mean time in system (h)", q.MeanWait() + 1.0/3, 0.511},
		{"throughput (/h)", q.Throughput(), 4.424},
		{"P(5) = blocking", q.Blocking(), 0.115},
		{"M/M/2 mean time in queue (h)", MMc{2, 5, 3}.MeanWait(), 0.758},
	} {
		if math.Abs(tc.got-tc.want) > 0.0005 {
			t.Errorf("%s = %.5f, published %g", tc.name, tc.got, tc.want)
		}
	}
	// P(0): the system is empty when an arrival would find 0 of c busy;
	// from the admitted distribution, P(0) = (1 − P(wait))·p0/Σ_{j<c} pj·(1 − P(5)).
	p0 := (1 - q.ProbWait()) * (1 - q.Blocking()) / (1 + 5.0/3) // p1 = (5/3)·p0
	if math.Abs(p0-0.143) > 0.0005 {
		t.Errorf("P(0) = %.5f, published 0.143", p0)
	}
}

// mmckChain solves the finite birth–death chain directly (in log space)
// and returns its stationary distribution: an independent check.
func mmckChain(q MMcK) []float64 {
	logp := make([]float64, q.Capacity+1)
	peak := 0.0
	for n := 1; n <= q.Capacity; n++ {
		logp[n] = logp[n-1] + math.Log(q.ArrivalRate/(float64(min(n, q.Servers))*q.ServiceRate))
		peak = max(peak, logp[n])
	}
	return normalise(logp, peak)
}

func TestMMcKAgainstChain(t *testing.T) {
	for _, q := range []MMcK{
		{2, 5, 5, 3}, {1, 1, 0.5, 1}, {1, 10, 0.9, 1}, {3, 3, 2, 1}, {10, 25, 12, 1},
		{10, 40, 10, 1},                                              // ρ = 1 exactly
		{10, 40, 10 * (1 + 1e-13), 1}, {10, 40, 10 * (1 - 1e-13), 1}, // either side of ρ = 1
		{50, 60, 150, 1},   // three times capacity
		{200, 400, 180, 1}, // many servers, a long waiting room
		{5, 2000, 4.5, 1},  // a waiting room so long it is M/M/5
	} {
		p := mmckChain(q)
		c, K := q.Servers, q.Capacity
		var lq, wait float64
		for n := c; n <= K; n++ {
			lq += float64(n-c) * p[n]
			if n < K {
				wait += p[n]
			}
		}
		admitted := 1 - p[K]
		for _, m := range []struct {
			name      string
			got, want float64
		}{
			{"blocking", q.Blocking(), p[K]},
			{"E[Lq]", q.MeanQueueLength(), lq},
			{"P(wait | admitted)", q.ProbWait(), wait / admitted},
			{"E[W | admitted]", q.MeanWait(), lq / (q.ArrivalRate * admitted)},
			{"throughput", q.Throughput(), q.ArrivalRate * admitted},
		} {
			if !near(m.got, m.want, 1e-10) {
				t.Errorf("%+v: %s = %.15g, chain %.15g", q, m.name, m.got, m.want)
			}
		}
		// An admitted customer finding n >= c waits an Erlang(n−c+1, cμ) time.
		mean := q.MeanWait()
		for _, x := range []float64{0, mean / 3, mean, 4 * mean} {
			late := 0.0
			for n := c; n < K; n++ {
				if x == 0 {
					late += p[n] / admitted
					continue
				}
				erlang := distuv.Gamma{Alpha: float64(n - c + 1), Beta: float64(c) * q.ServiceRate}
				late += p[n] / admitted * erlang.Survival(x)
			}
			if got := q.WaitAtMost(x); !near(got, 1-late, 1e-9) {
				t.Errorf("%+v: P(W <= %g) = %.15g, Erlang mixture %.15g", q, x, got, 1-late)
			}
		}
	}
}

// TestMMcKLimits checks that the finite queue is Erlang B with no waiting
// room and Erlang C with an unbounded one, and stays finite in overload,
// with huge capacities and thousands of servers.
func TestMMcKLimits(t *testing.T) {
	for _, c := range []int{1, 2, 10, 100, 1000} {
		for _, a := range []float64{0.3, 5, 99, 1500} {
			q := MMcK{c, c, a, 1}
			if got, want := q.Blocking(), ErlangB(c, a); !near(got, want, 1e-12) {
				t.Errorf("M/M/%d/%d at %g E: blocking %.15g, Erlang B %.15g", c, c, a, got, want)
			}
			if q.ProbWait() != 0 || q.MeanWait() != 0 || q.WaitAtMost(0) != 1 {
				t.Errorf("loss system %+v waits", q)
			}
		}
	}
	for _, c := range []MMc{{1, 0.8, 1}, {10, 9, 1}, {500, 480, 1}} {
		q := MMcK{c.Servers, c.Servers + MaxWaitingRoom, c.ArrivalRate, c.ServiceRate}
		if !near(q.ProbWait(), c.ProbWait(), 1e-12) || !near(q.MeanWait(), c.MeanWait(), 1e-12) ||
			!near(q.WaitAtMost(0.3), c.WaitAtMost(0.3), 1e-12) || q.Blocking() != 0 {
			t.Errorf("%+v with the largest room: P(W>0) %g, E[W] %g, P(W<=0.3) %g, blocking %g; Erlang C %g, %g, %g",
				c, q.ProbWait(), q.MeanWait(), q.WaitAtMost(0.3), q.Blocking(), c.ProbWait(), c.MeanWait(), c.WaitAtMost(0.3))
		}
	}
	// Overload with a huge waiting room: the room stays full, the excess
	// 1 − 1/ρ is blocked, and the servers never rest.
	q := MMcK{100, 100 + MaxWaitingRoom, 150, 1}
	if b, u := q.Blocking(), q.Utilisation(); !near(b, 1.0/3, 1e-12) || !near(u, 1, 1e-12) || q.ProbWait() != 1 {
		t.Errorf("%+v: blocking %g (want 1/3), utilisation %g, P(wait) %g", q, b, u, q.ProbWait())
	}
	// Admitted customers find the room all but full: m − 1 − 2 waiting on
	// average (a shortfall geometric of ratio 1/ρ, mean 2), so they wait for
	// m − 2 services, (m − 2)/(cμ).
	m := float64(q.Capacity - q.Servers)
	if w := q.MeanWait(); !near(w, (m-2)/100, 1e-12) {
		t.Errorf("%+v: E[W] = %.15g, want %.15g", q, w, (m-2)/100)
	}
	for _, tc := range []struct{ t, want float64 }{{m / 200, 0}, {m / 50, 1}, {(m + 1) / 100, 0.5}} {
		if got := q.WaitAtMost(tc.t); math.Abs(got-tc.want) > 1e-3 {
			t.Errorf("%+v: P(W <= %g) = %g, want about %g", q, tc.t, got, tc.want)
		}
	}
	none := MMcK{3, 10, 0, 1}
	if none.Blocking() != 0 || none.MeanWait() != 0 || none.WaitAtMost(0) != 1 || none.Utilisation() != 0 || none.ProbWait() != 0 {
		t.Error("no arrivals: every measure should be that of an empty system")
	}
}

func TestMMcKInvalid(t *testing.T) {
	for _, q := range []MMcK{{0, 1, 1, 1}, {2, 1, 1, 1}, {1, 2 + MaxWaitingRoom, 1, 1}, {1, 1, -1, 1}, {1, 1, math.Inf(1), 1}, {1, 1, 1, 0}, {1, 1, math.NaN(), 1}} {
		if err := q.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: Validate() = %v, want ErrInvalid", q, err)
		}
		for name, v := range map[string]float64{"Blocking": q.Blocking(), "ProbWait": q.ProbWait(), "MeanWait": q.MeanWait(),
			"MeanQueueLength": q.MeanQueueLength(), "WaitAtMost": q.WaitAtMost(1), "Throughput": q.Throughput(),
			"Utilisation": q.Utilisation(), "Load": q.Load()} {
			if !math.IsNaN(v) {
				t.Errorf("%+v: %s = %g, want NaN", q, name, v)
			}
		}
	}
	q := MMcK{2, 4, 1, 1}
	if !math.IsNaN(q.WaitAtMost(math.NaN())) || q.WaitAtMost(-1) != 0 || q.WaitAtMost(math.Inf(1)) != 1 {
		t.Error("edges of t")
	}
}

// TestServersForBlocking reproduces Westbay Engineers' Erlang B calculator
// manual ("How much traffic can a trunk group handle?"): 15 lines at 1%
// blocking carry 8.108 Erlangs, so 8.108 Erlangs need 15 lines.
func TestServersForBlocking(t *testing.T) {
	for _, tc := range []struct {
		load, blocking float64
		want           int
	}{
		{8.108, 0.01, 15},
		{0, 0.01, 0},
		{1, 0.5, 1},  // B(1, 1) = 1/2
		{1, 0.49, 2}, // B(2, 1) = 1/5
		{25, 0.06, 30},
	} {
		got, err := ServersForBlocking(tc.load, tc.blocking)
		if err != nil || got != tc.want {
			t.Errorf("ServersForBlocking(%g, %g) = %d, %v; want %d", tc.load, tc.blocking, got, err, tc.want)
		}
		if got > 0 && (ErlangB(got, tc.load) > tc.blocking || ErlangB(got-1, tc.load) <= tc.blocking) {
			t.Errorf("ServersForBlocking(%g, %g) = %d is not the smallest", tc.load, tc.blocking, got)
		}
	}
	for _, bad := range [][2]float64{{-1, 0.1}, {math.NaN(), 0.1}, {math.Inf(1), 0.1}, {1, 0}, {1, 1}, {1e10, 0.1}} {
		if _, err := ServersForBlocking(bad[0], bad[1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("ServersForBlocking%v: err %v, want ErrInvalid", bad, err)
		}
	}
}

// TestMMcKSojournAgainstIntegral checks the closed form of
// MMcK.SojournAtMost against the convolution of WaitAtMost with the
// service, integrated numerically (sojourn, as Erlang A's resolution is
// computed): one to two hundred servers (TestSojournAgainstChain has a
// thousand), light load, ρ = (c−1)/c (where the
// closed form's two geometric ratios meet), capacity exactly, just above it
// and three times it, rooms of none to 300, targets from a millionth of a
// service to beyond the time the room takes to empty. (The integral is
// slow at longer rooms; TestMMcKSojournByPlaces goes up to the longest.)
func TestMMcKSojournAgainstIntegral(t *testing.T) {
	for _, c := range []int{1, 2, 10, 200} {
		rhos := []float64{0.3, 1, 1.001, 3}
		if c > 1 {
			rhos = append(rhos, float64(c-1)/float64(c))
		}
		for _, rho := range rhos {
			for _, room := range []int{0, 7, 300} {
				q := MMcK{c, c + room, rho * float64(c) * 2, 2}
				wait := func(w float64) float64 { return q.WaitAtMost(w) }
				for _, x := range []float64{1e-6, 0.3, 5, 1.2 * float64(room) / float64(c)} {
					x /= q.ServiceRate
					if got, want := q.SojournAtMost(x), sojourn(q.ServiceRate, x, wait); !near(got, want, 1e-9) {
						t.Errorf("%+v: P(W + S <= %g) = %.15g, integral %.15g", q, x, got, want)
					}
				}
			}
		}
	}
}

// sojournByPlaces is P(W + S > t | admitted) summed over the places an
// admitted customer may find, from the chain's stationary distribution p:
// finding k waiting (k = −1: a server free), it is not done by t if fewer
// than k + 1 of the N_t completions at rate cμ have come, or if its
// service, begun at the (k+1)-th, survived the remaining ones, each its own
// with chance 1/c: h(k) = P(N_t <= k) + S(k), with S(k) = Σ_{j>k}
// P(N_t = j)·q^{j−k−1}, q = (c−1)/c, so that S(k−1) = P(N_t = k) + q·S(k).
// The Poisson probabilities are formed by their ratios from the mode and
// normalised over ±20 standard deviations: an independent route to the
// closed form, which sums over completions instead, with none of its
// special functions.
func sojournByPlaces(q MMcK, p []float64, t float64) float64 {
	c := q.Servers
	nu := float64(c) * q.ServiceRate * t
	mode := int(nu)
	lo, hi := max(0, mode-int(20*math.Sqrt(nu))-40), mode+int(20*math.Sqrt(nu))+40
	prob := make([]float64, hi-lo+1)
	prob[mode-lo] = 1
	total := 1.0
	for j := mode + 1; j <= hi; j++ {
		prob[j-lo] = prob[j-1-lo] * nu / float64(j)
		total += prob[j-lo]
	}
	for j := mode - 1; j >= lo; j-- {
		prob[j-lo] = prob[j+1-lo] * float64(j+1) / nu
		total += prob[j-lo]
	}
	poisson := func(j int) float64 {
		if j < lo || j > hi {
			return 0
		}
		return prob[j-lo] / total
	}
	ratio := float64(c-1) / float64(c)
	admitted := 1 - p[q.Capacity]
	// From the last place down, with S(k) and P(N_t > k) built as k falls.
	var late, s, above float64
	for k := max(hi, q.Capacity-c-1); k >= -1; k-- {
		switch {
		case k == -1:
			var free float64
			for _, pn := range p[:c] {
				free += pn
			}
			late += free * s
		case k < q.Capacity-c:
			late += p[c+k] * (1 - above + s)
		}
		s = poisson(k) + ratio*s
		above += poisson(k)
	}
	return late / admitted
}

// TestMMcKSojournByPlaces checks MMcK.SojournAtMost against sojournByPlaces
// up to the largest waiting room, where the integral took 97 s a call: at
// 1.001 times capacity the room of ten million stays all but full, and
// customers wait about m/(cμ), the targets around it.
func TestMMcKSojournByPlaces(t *testing.T) {
	for _, q := range []MMcK{
		{1, 1 + 3000, 1.001, 1}, {1, 1 + 3000, 0.999, 1}, {10, 10 + 3000, 10.01, 1}, {10, 10 + 3000, 9, 1},
		{10, 10 + MaxWaitingRoom, 10.01, 1},
	} {
		p := mmckChain(q)
		empty := float64(q.Capacity-q.Servers) / (float64(q.Servers) * q.ServiceRate)
		for _, x := range []float64{0.5, empty / 2, empty * 0.999, empty * 1.001, empty * 2} {
			if got, want := q.SojournAtMost(x), 1-sojournByPlaces(q, p, x); !near(got, want, 1e-9) {
				t.Errorf("%+v: P(W + S <= %g) = %.15g, summed over places %.15g", q, x, got, want)
			}
		}
	}
}

// BenchmarkMMcKSojournLongRoom is the resolution figure of the longest
// room at 1.001 times capacity, the target at the time the room takes to
// empty (the integral took 97 s a call there).
func BenchmarkMMcKSojournLongRoom(b *testing.B) {
	q := MMcK{10, 10 + MaxWaitingRoom, 10.01, 1}
	for b.Loop() {
		q.SojournAtMost(1e6)
	}
}
