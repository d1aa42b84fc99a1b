package reports

import (
	"math"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replications"
)

// A Comparison sets two runs of what-ifs side by side, clock by clock:
// runs with the same seed see the same tickets (common random numbers),
// so the difference of their attainments, replication by replication, is
// measured much more precisely than either attainment.
type Comparison struct {
	Clocks []ClockDifference `json:"clocks"`
}

// ClockDifference is one tier's clock in both runs, and B's attainment
// less A's: the mean over the replications both ran of the per-replication
// differences, with its interval (null without two such replications, or
// without the runs' per-replication figures).
type ClockDifference struct {
	Tier       string    `json:"tier"`
	Clock      string    `json:"clock"`
	A          *Estimate `json:"a"`
	B          *Estimate `json:"b"`
	Difference *Estimate `json:"difference"`
}

// Compare compares run b with run a, matching tiers by name. Each run
// needs its per-replication figures (scenarios.RunSettings.ByReplication)
// for the differences.
func Compare(a, b *Report) *Comparison {
	c := &Comparison{}
	for i, ta := range a.Tiers {
		j := -1
		for k, tb := range b.Tiers {
			if tb.Name == ta.Name {
				j = k
			}
		}
		if j < 0 {
			continue
		}
		tb := b.Tiers[j]
		for k, clock := range clockNames {
			ma, mb := ta.clock(k), tb.clock(k)
			if ma == nil || mb == nil {
				continue // a tier that promises no resolution has no clock to compare
			}
			c.Clocks = append(c.Clocks, ClockDifference{
				Tier: ta.Name, Clock: clock, A: ma.Attainment, B: mb.Attainment,
				Difference: pairedDifference(a, i, b, j, clock),
			})
		}
	}
	return c
}

// pairedDifference is the mean of b's attainment less a's over the
// replications both ran with tickets, for tier i of a and j of b.
func pairedDifference(a *Report, i int, b *Report, j int, clock string) *Estimate {
	if a.replications == nil || b.replications == nil {
		return nil
	}
	byRep := map[int]float64{}
	err := a.replications.Rows(func(row replications.Row) error {
		if row.Tier == i && row.Clock == clock && row.Tickets > 0 {
			byRep[row.Replication] = row.Attainment()
		}
		return nil
	})
	var t sim.Tally
	if err == nil {
		err = b.replications.Rows(func(row replications.Row) error {
			if x, ok := byRep[row.Replication]; ok && row.Tier == j && row.Clock == clock && row.Tickets > 0 {
				t.Add(row.Attainment() - x)
			}
			return nil
		})
	}
	if err != nil || t.N == 0 || math.IsNaN(t.Mean()) {
		return nil
	}
	return estimate(&t, 1)
}
