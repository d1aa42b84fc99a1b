package queueing_test

import (
	"fmt"

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
