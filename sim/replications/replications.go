package replications

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
)

// A Row is one replication's figures for one tier and clock: what the
// run's intervals are computed from.
type Row struct {
	Replication int
	Tier        int
	Clock       string // response or resolution
	Tickets     int64
	Met         int64
	// MeanS is the mean clock time in seconds; 0 without tickets.
	MeanS float64
}

// Attainment is the share of tickets within the target; NaN without
// tickets.
func (r *Row) Attainment() float64 {
	if r.Tickets == 0 {
		return math.NaN()
	}
	return float64(r.Met) / float64(r.Tickets)
}

// Collect returns the sim.Options.Collector factory that keeps each
// replication's own figures for a model with the given number of tiers; the
// run's result holds them in a *Collector (sim.FindCollector).
func Collect(tiers int) func() sim.Collector {
	return func() sim.Collector {
		return &Collector{cur: make([]clockCounts, 2*tiers), done: make(map[int][]clockCounts)}
	}
}

// Collector is a sim.Collector of per-replication counts.
type Collector struct {
	rep int
	// cur counts the replication under way: response of tier i at 2i,
	// resolution at 2i+1.
	cur  []clockCounts
	done map[int][]clockCounts
}

type clockCounts struct {
	n, met int64
	sumS   float64
}

func (c *clockCounts) add(d, target time.Duration) {
	c.n++
	c.sumS += d.Seconds()
	if d <= target {
		c.met++
	}
}

func (r *Collector) Begin(seed uint64, rep int) {
	r.rep = rep
	clear(r.cur)
}

func (r *Collector) Ticket(t *sim.TicketRecord) {
	if 2*t.Tier+1 >= len(r.cur) {
		return
	}
	r.cur[2*t.Tier].add(t.Response, t.ResponseTarget)
	r.cur[2*t.Tier+1].add(t.Resolution, t.ResolutionTarget)
}

func (r *Collector) End() { r.done[r.rep] = slices.Clone(r.cur) }

func (r *Collector) Merge(o sim.Collector) error {
	other, ok := o.(*Collector)
	if !ok || len(other.cur) != len(r.cur) {
		return fmt.Errorf("replication rows: cannot merge %T", o)
	}
	maps.Copy(r.done, other.done)
	return nil
}

// Rows lists the counts by replication, tier and clock.
func (r *Collector) Rows() []Row {
	var rows []Row
	for _, rep := range slices.Sorted(maps.Keys(r.done)) {
		for i, c := range r.done[rep] {
			row := Row{Replication: rep, Tier: i / 2, Clock: clockNames[i%2], Tickets: c.n, Met: c.met}
			if c.n > 0 {
				row.MeanS = c.sumS / float64(c.n)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

var clockNames = [2]string{"response", "resolution"}
