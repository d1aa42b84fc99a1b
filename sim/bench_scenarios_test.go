package sim_test

import (
	"context"
	"testing"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

// BenchmarkScenario runs each embedded example scenario (teams, schedules,
// weekly profiles, preemption, escalation: the engine's full path) for 8
// replications of its own horizon and warm-up on one worker, and reports
// resolved measured tickets per second of wall time and per second of the
// process's CPU time (tickets/cpu-s), which a shared machine's load does
// not lower as much. See docs/benchmarks.md.
func BenchmarkScenario(b *testing.B) {
	for _, name := range scenarios.Names() {
		b.Run(name, func(b *testing.B) {
			sc, err := scenarios.Open(name)
			if err != nil {
				b.Fatal(err)
			}
			m := sc.Model()
			b.ReportAllocs()
			var n int64
			cpu0 := sim.CPUTime()
			for i := 0; b.Loop(); i++ {
				res, err := sim.Run(context.Background(), m, sim.Options{Seed: uint64(i), Replications: 8, Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
				if res.Unstable != nil {
					b.Skipf("unstable: %v", res.Unstable)
				}
				for j := range res.Summary.Tiers {
					n += res.Summary.Tiers[j].Resolution.Tickets
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tickets/s")
			b.ReportMetric(float64(n)/float64(b.N), "tickets/op")
			if cpu := sim.CPUTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(n)/cpu.Seconds(), "tickets/cpu-s")
			}
		})
	}
}
