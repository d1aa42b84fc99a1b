package queueing

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// The classic half-hour: 100 calls in 30 minutes, 180 s handling time,
// 20 s answer target (10 Erlangs). Times in seconds.
var classic = CallCentre{Calls: 100, Interval: 1800, HandlingTime: 180, Target: 20}

// TestCallCentrePublishedErlangC reproduces the worked example of the CRAN
// package ErlangC 0.1.0 (README, erlang_c and calculate_agents), the same
// case as pyworkforce's README (PyPI 0.1.0–0.2.1): per agent count, the
// wait probability, service level, ASA, immediate answer and occupancy to
// the seven digits R prints, and the agents for 80% within 20 s with at
// most 85% occupancy and 30% shrinkage: 14 agents, 20 scheduled.
func TestCallCentrePublishedErlangC(t *testing.T) {
	for _, tc := range []struct {
		agents                                 int
		wait, level, asa, immediate, occupancy float64
	}{
		{11, 0.6821182, 0.3896138, 122.78127684408, 0.3178818, 0.9090909},
		{12, 0.4493882, 0.640158, 40.4449401868444, 0.5506118, 0.8333333},
		{13, 0.2852705, 0.7955948, 17.1162271821896, 0.7147295, 0.7692308},
		{14, 0.1741319, 0.88835, 7.83593701177724, 0.8258681, 0.7142857},
	} {
		p, err := classic.Evaluate(tc.agents)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			name      string
			got, want float64
		}{
			{"P(wait)", p.ProbWait, tc.wait}, {"service level", p.ServiceLevel, tc.level},
			{"immediate answer", p.ImmediateAnswer, tc.immediate}, {"occupancy", p.Occupancy, tc.occupancy},
		} {
			if math.Abs(m.got-m.want) > 5e-8 {
				t.Errorf("%d agents: %s %.9f, published %g", tc.agents, m.name, m.got, m.want)
			}
		}
		if !near(p.ASA, tc.asa, 1e-12) { // printed to 15 digits
			t.Errorf("%d agents: ASA %.15g s, published %.15g", tc.agents, p.ASA, tc.asa)
		}
		if p.Load != 10 || p.Abandoned != 0 {
			t.Errorf("%d agents: load %g, abandoned %g", tc.agents, p.Load, p.Abandoned)
		}
	}
	cc := classic
	cc.MaxOccupancy, cc.Shrinkage = 0.85, 0.3
	p, err := cc.AgentsFor(0.8)
	if err != nil {
		t.Fatal(err)
	}
	if p.Agents != 14 || p.Scheduled != 20 {
		t.Errorf("80/20 with 85%% occupancy and 30%% shrinkage: %d agents, %d scheduled; published 14 and 20", p.Agents, p.Scheduled)
	}
	// pyworkforce prints the same case to 16 digits.
	if !near(p.ServiceLevel, 0.8883500191794669, 1e-14) || !near(p.Occupancy, 0.7142857142857143, 1e-15) ||
		!near(p.ProbWait, 0.1741319335950498, 1e-14) {
		t.Errorf("service level %.16g, occupancy %.16g, P(wait) %.16g; pyworkforce 0.8883500191794669, 0.7142857142857143, 0.1741319335950498",
			p.ServiceLevel, p.Occupancy, p.ProbWait)
	}
}

// TestCallCentrePublishedDelay reproduces the example of V. R.'s Erlang C
// calculator (personal.telefonica.terra.es/web/vr/erlang): 600 calls an
// hour of 120 s (20 Erlangs) need 26 agents for at most 15% of calls
// delayed, with an average delay of 3 s per call; 30 agents cut the delay
// probability to 2.5%.
func TestCallCentrePublishedDelay(t *testing.T) {
	cc := CallCentre{Calls: 600, Interval: 3600, HandlingTime: 120, Target: 0}
	p, err := cc.AgentsFor(0.85) // answered at once: 1 − P(wait)
	if err != nil {
		t.Fatal(err)
	}
	if p.Agents != 26 || math.Round(p.ASA) != 3 {
		t.Errorf("15%% delayed: %d agents, ASA %.2f s; published 26 agents, 3 s", p.Agents, p.ASA)
	}
	if p, _ := cc.Evaluate(30); math.Abs(p.ProbWait-0.025) > 0.0005 {
		t.Errorf("30 agents: P(wait) %.4f, published 2.5%%", p.ProbWait)
	}
}

// TestCallCentreAgentsFor checks that AgentsFor is the smallest count
// meeting both the goal and the cap, against a linear scan, for Erlang C
// and Erlang A, from a handful of calls to a thousand agents.
func TestCallCentreAgentsFor(t *testing.T) {
	for _, calls := range []float64{3, 100, 2000} {
		for _, patience := range []float64{0, 30, 180, 600} {
			for _, occ := range []float64{0, 0.85} {
				for _, level := range []float64{0.5, 0.8, 0.95} {
					cc := CallCentre{Calls: calls, Interval: 1800, HandlingTime: 180, Patience: patience, Target: 20, MaxOccupancy: occ}
					got, err := cc.AgentsFor(level)
					if err != nil {
						t.Fatalf("%+v: %v", cc, err)
					}
					if got.ServiceLevel < level || occ > 0 && got.Occupancy > occ {
						t.Errorf("%+v at %g: %d agents give %g, occupancy %g", cc, level, got.Agents, got.ServiceLevel, got.Occupancy)
					}
					// Every smaller count misses the goal or the cap.
					for c := max(1, got.Agents-40); c < got.Agents; c++ {
						p, _ := cc.Evaluate(c)
						if p.ServiceLevel >= level && (occ == 0 || p.Occupancy <= occ) {
							t.Errorf("%+v at %g: %d agents already meet it (AgentsFor %d)", cc, level, c, got.Agents)
						}
					}
					if occ > 0 && patience == 0 && got.Agents < int(math.Ceil(got.Load/occ-1e-9)) {
						t.Errorf("%+v: %d agents above the cap", cc, got.Agents)
					}
				}
			}
		}
	}
}

// TestCallCentreErlangA checks the calculator against MMcM on Mandelbaum
// and Zeltyn's example, and what patience changes: fewer agents for the
// same service level, finite figures in overload.
func TestCallCentreErlangA(t *testing.T) {
	cc := CallCentre{Calls: 2880, Interval: 60, HandlingTime: 1, Patience: 2, Target: 20.0 / 60} // minutes
	p, err := cc.Evaluate(50)
	if err != nil {
		t.Fatal(err)
	}
	q := MMcM{50, 48, 1, 0.5}
	if p.ServiceLevel != q.AnsweredWithin(20.0/60) || p.ASA != q.MeanServedWait() || p.Abandoned != q.ProbAbandon() ||
		p.Occupancy != q.Occupancy() || p.ProbWait != q.ProbWait() {
		t.Errorf("calculator %+v differs from MMcM", p)
	}
	withA, _ := cc.AgentsFor(0.8)
	cc.Patience = 0
	withC, _ := cc.AgentsFor(0.8)
	if !(withA.Agents < withC.Agents) {
		t.Errorf("80%% in 20 s: Erlang A %d agents, Erlang C %d; abandonment should need fewer", withA.Agents, withC.Agents)
	}
	// Fewer agents than the load: Erlang C has no steady state, Erlang A does.
	over, _ := cc.Evaluate(40)
	if over.ServiceLevel != 0 || !math.IsInf(over.ASA, 1) || over.ProbWait != 1 || over.Occupancy != 1 {
		t.Errorf("Erlang C at 40 agents for 48 Erlangs: %+v", over)
	}
	cc.Patience = 2
	over, _ = cc.Evaluate(40)
	if !(over.ServiceLevel > 0 && over.ServiceLevel < 1) || math.IsInf(over.ASA, 0) || !(over.Abandoned > 1-40.0/48) {
		t.Errorf("Erlang A at 40 agents for 48 Erlangs: %+v", over)
	}
}

func TestCallCentreEdges(t *testing.T) {
	idle := classic
	idle.Calls = 0
	p, err := idle.AgentsFor(0.9)
	if err != nil || p.Agents != 0 || p.ServiceLevel != 1 || p.ProbWait != 0 {
		t.Errorf("no calls: %+v, %v", p, err)
	}
	if p, err := idle.Evaluate(2); err != nil || p.ServiceLevel != 1 || p.ASA != 0 || p.Occupancy != 0 {
		t.Errorf("no calls, 2 agents: %+v, %v", p, err)
	}
	for _, tc := range []struct {
		agents    int
		shrinkage float64
		want      int
	}{{14, 0.3, 20}, {17, 0.156, 21}, {10, 0, 10}, {10, 0.5, 20}, {1, 0.99, 100}} {
		if got := scheduled(tc.agents, tc.shrinkage); got != tc.want {
			t.Errorf("%d agents at %g shrinkage: %d scheduled, want %d", tc.agents, tc.shrinkage, got, tc.want)
		}
	}
	for _, tc := range []struct {
		field string
		edit  func(*CallCentre)
	}{
		{"calls", func(c *CallCentre) { c.Calls = -1 }},
		{"calls", func(c *CallCentre) { c.Calls = math.NaN() }},
		{"interval", func(c *CallCentre) { c.Interval = 0 }},
		{"handling time", func(c *CallCentre) { c.HandlingTime = math.Inf(1) }},
		{"patience", func(c *CallCentre) { c.Patience = -3 }},
		{"target", func(c *CallCentre) { c.Target = math.NaN() }},
		{"shrinkage", func(c *CallCentre) { c.Shrinkage = 1 }},
		{"max occupancy", func(c *CallCentre) { c.MaxOccupancy = 1.5 }},
		{"offered load", func(c *CallCentre) { c.Calls = 1e12 }},
		{"patience too long", func(c *CallCentre) { c.Patience = 1e12 }},
	} {
		cc := classic
		tc.edit(&cc)
		_, err1 := cc.Evaluate(14)
		_, err2 := cc.AgentsFor(0.8)
		for _, err := range []error{err1, err2} {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("%s: error %v, want ErrInvalid naming it", tc.field, err)
			}
		}
	}
	for _, level := range []float64{0, 1, -0.5, math.NaN()} {
		if _, err := classic.AgentsFor(level); !errors.Is(err, ErrInvalid) {
			t.Errorf("goal %g: error %v", level, err)
		}
	}
	if _, err := classic.Evaluate(0); !errors.Is(err, ErrInvalid) {
		t.Errorf("0 agents: error %v", err)
	}
}

// TestCallCentreAsManyAgentsAsTheLoad: as many agents as the offered load
// are an unstable Erlang C queue, however the rates round. The classic
// half-hour on 10 agents read λ/μ as 9.999999999999998 Erlangs: a service
// level of 1.1·10⁻¹⁵ and an ASA of 1.4·10¹⁷ s, where it is unstable. Every
// whole load of up to 300 calls in half an hour or an hour, with handling
// times from 10 s to 10 minutes.
func TestCallCentreAsManyAgentsAsTheLoad(t *testing.T) {
	rounded := 0
	for _, interval := range []float64{1800, 3600} {
		for calls := 1.0; calls <= 300; calls++ {
			for aht := 10.0; aht <= 600; aht += 10 {
				cc := CallCentre{Calls: calls, Interval: interval, HandlingTime: aht, Target: 20}
				load := calls * aht / interval
				if load != math.Trunc(load) {
					continue
				}
				if calls/interval/(1/aht) < load {
					rounded++
				}
				p, err := cc.Evaluate(int(load))
				if err != nil || p.ServiceLevel != 0 || !math.IsInf(p.ASA, 1) || p.ProbWait != 1 {
					t.Errorf("%v calls of %v s in %v s on %v agents: %+v, %v; want unstable", calls, aht, interval, load, p, err)
				}
			}
		}
	}
	if rounded == 0 {
		t.Error("no rates round below the load: the case tests nothing")
	}
	t.Logf("%d loads whose rates round below them", rounded)
}
