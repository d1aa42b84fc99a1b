package queueing_test

import (
	"fmt"
	"math"

	"github.com/slasim/slasim/sim/queueing"
)

// A help desk receives 9 tickets an hour; a ticket takes an engineer an
// hour on average. With 10 engineers, what share of tickets is picked up
// within the hour, and how many engineers would 80% within 30 minutes need?
func Example() {
	desk := queueing.MMc{Servers: 10, ArrivalRate: 9, ServiceRate: 1} // per hour
	fmt.Printf("utilisation %.0f%%\n", 100*desk.Utilisation())
	fmt.Printf("P(wait)      = %.4f\n", desk.ProbWait())
	fmt.Printf("P(W <= 1h)   = %.4f\n", desk.WaitAtMost(1))
	fmt.Printf("mean wait    = %.1f min\n", 60*desk.MeanWait())
	fmt.Printf("95%% wait     = %.2f h\n", desk.WaitQuantile(0.95))

	n, err := queueing.ServersFor(9, 1, 0.5, 0.8)
	if err != nil {
		panic(err)
	}
	fmt.Println("engineers for 80% within 30 min:", n)

	// Three priority tiers sharing 12 engineers (5% / 15% / 80% of the
	// tickets), served without preemption: Cobham's per-tier mean waits.
	w, err := queueing.MMcPriorityWaits(12, []float64{0.45, 1.35, 7.2}, 1)
	if err != nil {
		panic(err)
	}
	for k, wk := range w {
		fmt.Printf("tier %d waits %.1f min on average\n", k, 60*wk)
	}
	// Output:
	// utilisation 90%
	// P(wait)      = 0.6687
	// P(W <= 1h)   = 0.7540
	// mean wait    = 40.1 min
	// 95% wait     = 2.59 h
	// engineers for 80% within 30 min: 11
	// tier 0 waits 1.4 min on average
	// tier 1 waits 1.6 min on average
	// tier 2 waits 6.3 min on average
}

func ExampleMG1MeanWait() {
	// One engineer, 4 tickets an hour, 12 minutes each on average: the
	// variability of the handling time drives the wait (Pollaczek–Khinchine).
	for _, cv := range []float64{0, 1, 2} {
		fmt.Printf("cv %.0f: mean wait %.0f min\n", cv, 60*queueing.MG1MeanWait(4, 0.2, cv))
	}
	// Output:
	// cv 0: mean wait 24 min
	// cv 1: mean wait 48 min
	// cv 2: mean wait 120 min
}

// Mandelbaum and Zeltyn's call centre: 50 agents, 48 calls a minute, a
// minute per call, and callers who hang up after two minutes of waiting on
// average. Erlang C ignores the hang-ups; Erlang A counts them, and still
// answers when the calls outnumber the agents.
func ExampleMMcM() {
	c := queueing.MMc{Servers: 50, ArrivalRate: 48, ServiceRate: 1} // per minute
	a := queueing.MMcM{Servers: 50, ArrivalRate: 48, ServiceRate: 1, AbandonRate: 0.5}
	fmt.Printf("Erlang C: P(wait) %.2f, mean wait %4.1f s, answered within 20 s %.1f%%\n",
		c.ProbWait(), 60*c.MeanWait(), 100*c.WaitAtMost(20.0/60))
	fmt.Printf("Erlang A: P(wait) %.2f, mean wait %4.1f s, answered within 20 s %.1f%%, abandoned %.1f%%\n",
		a.ProbWait(), 60*a.MeanWait(), 100*a.AnsweredWithin(20.0/60), 100*a.ProbAbandon())
	fmt.Printf("occupancy: Erlang C %.0f%%, Erlang A %.0f%%\n", 100*c.Utilisation(), 100*a.Occupancy())

	a.ArrivalRate = 60 // 20% more calls than the agents can take
	fmt.Printf("at 60 calls/min: abandoned %.1f%%, mean wait of answered calls %.0f s\n",
		100*a.ProbAbandon(), 60*a.MeanServedWait())
	// Output:
	// Erlang C: P(wait) 0.69, mean wait 20.8 s, answered within 20 s 64.3%
	// Erlang A: P(wait) 0.47, mean wait  3.7 s, answered within 20 s 94.3%, abandoned 3.1%
	// occupancy: Erlang C 96%, Erlang A 93%
	// at 60 calls/min: abandoned 16.8%, mean wait of answered calls 22 s
}

// A hotline with 8 agents and room for 4 callers on hold takes 6 calls a
// minute of a minute each; callers who find every line taken hear a busy
// signal. How many are lost, how long do the others hold, and how many
// lines would a pure loss system (no hold) need to lose at most 1%?
func ExampleMMcK() {
	q := queueing.MMcK{Servers: 8, Capacity: 12, ArrivalRate: 6, ServiceRate: 1} // per minute
	fmt.Printf("busy signal  %.1f%%\n", 100*q.Blocking())
	fmt.Printf("on hold      %.1f%% of those let in, %.1f s on average\n", 100*q.ProbWait(), 60*q.MeanWait())
	fmt.Printf("held <= 20 s %.1f%%\n", 100*q.WaitAtMost(20.0/60))

	lines, err := queueing.ServersForBlocking(q.Load(), 0.01)
	if err != nil {
		panic(err)
	}
	fmt.Println("lines for 1% blocking without hold:", lines)
	// Output:
	// busy signal  3.1%
	// on hold      27.5% of those let in, 4.4 s on average
	// held <= 20 s 91.5%
	// lines for 1% blocking without hold: 13
}

// The classic half-hour of a call-centre planner: 100 calls of 180 s, 80%
// to be answered within 20 s, agents busy at most 85% of the time, 30% of
// paid time lost to breaks, meetings and training. Then the same with
// callers who hang up after two minutes on average (Erlang A), and what
// one agent fewer would do.
func ExampleCallCentre() {
	cc := queueing.CallCentre{Calls: 100, Interval: 1800, HandlingTime: 180, Target: 20,
		Shrinkage: 0.3, MaxOccupancy: 0.85} // times in seconds
	for _, patience := range []float64{0, 120} {
		cc.Patience = patience
		p, err := cc.AgentsFor(0.8)
		if err != nil {
			panic(err)
		}
		fmt.Printf("patience %3.0f s: %d agents (%d scheduled), %.1f%% within 20 s, ASA %.1f s, P(wait) %.1f%%, occupancy %.1f%%, abandoned %.1f%%\n",
			patience, p.Agents, p.Scheduled, 100*p.ServiceLevel, p.ASA, 100*p.ProbWait, 100*p.Occupancy, 100*p.Abandoned)
		fewer, _ := cc.Evaluate(p.Agents - 1)
		fmt.Printf("    %d agents: %.1f%% within 20 s\n", fewer.Agents, 100*fewer.ServiceLevel)
	}
	// Output:
	// patience   0 s: 14 agents (20 scheduled), 88.8% within 20 s, ASA 7.8 s, P(wait) 17.4%, occupancy 71.4%, abandoned 0.0%
	//     13 agents: 79.6% within 20 s
	// patience 120 s: 12 agents (18 scheduled), 82.6% within 20 s, ASA 6.3 s, P(wait) 28.0%, occupancy 78.2%, abandoned 6.2%
	//     11 agents: 74.2% within 20 s
}

// Chat: c agents each holding N chats at once, every chat taking as long
// as it would alone, are Erlang C with c·N servers, M/M/(cN). A desk with
// 120 chats an hour of 6 minutes, 3 at a time per agent, 80% answered
// within 30 s:
func ExampleCallCentre_chat() {
	const perAgent = 3
	chats := queueing.CallCentre{Calls: 120, Interval: 3600, HandlingTime: 360, Target: 30}
	slots, err := chats.AgentsFor(0.8)
	if err != nil {
		panic(err)
	}
	agents := (slots.Agents + perAgent - 1) / perAgent
	p, _ := chats.Evaluate(agents * perAgent)
	fmt.Printf("%d slots: %d agents, %d chat slots, %.1f%% within 30 s, each slot busy %.0f%% of the time\n",
		slots.Agents, agents, agents*perAgent, 100*p.ServiceLevel, 100*p.Occupancy)
	// Output:
	// 16 slots: 6 agents, 18 chat slots, 95.4% within 30 s, each slot busy 67% of the time
}

// A service fails every 30 days on average and takes 4 hours to restore.
// What availability does that give, and how much does a month's downtime
// vary around its mean — from a fresh start, and for a month picked at
// random in the service's life? Over a year, how much wider is the spread
// when restore times vary more than exponential ones (cv 1.5)?
func ExampleFailureRepair() {
	svc := queueing.FailureRepair{MTBF: 720, MTTR: 4} // hours
	fmt.Printf("availability %.3f%%\n", 100*svc.Availability())
	const month, year = 730.0, 8760.0
	for _, start := range []queueing.Start{queueing.StartUp, queueing.StartStationary} {
		fmt.Printf("a month: downtime %.2f h ± %.2f h, %.2f outages\n", svc.DowntimeMean(month, start),
			math.Sqrt(svc.DowntimeVariance(month, start)), svc.OutagesMean(month, start))
	}
	fmt.Printf("a year: downtime sd %.1f h with exponential restores, %.1f h with cv 1.5\n",
		math.Sqrt(svc.DowntimeVariance(year, queueing.StartStationary)), math.Sqrt(svc.DowntimeVarianceLimit(year, 1, 1.5)))
	// Output:
	// availability 99.448%
	// a month: downtime 4.01 h ± 5.62 h, 1.01 outages
	// a month: downtime 4.03 h ± 5.63 h, 1.01 outages
	// a year: downtime sd 19.6 h with exponential restores, 24.9 h with cv 1.5
}
