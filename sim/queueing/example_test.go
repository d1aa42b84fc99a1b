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
