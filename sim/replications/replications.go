package replications

import (
	"fmt"
	"math"
	"sync"
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
	// MeanS is the mean clock time in seconds, over the tickets with one
	// (those that left unanswered have none); 0 without tickets.
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
// The collectors of one run, one per worker, share their store.
func Collect(tiers int) func() sim.Collector {
	var (
		once  sync.Once
		ended *store
	)
	return func() sim.Collector {
		once.Do(func() { ended = newStore(2 * tiers) })
		return &Collector{cur: make([]clockCounts, 2*tiers), ended: ended}
	}
}

// Collector is a sim.Collector of per-replication counts.
type Collector struct {
	rep int
	// cur counts the replication under way: response of tier i at 2i,
	// resolution at 2i+1.
	cur []clockCounts
	// ended holds the counts of the replications ended, out of memory.
	ended *store
	// err is the first error storing them.
	err error
}

// clockCounts counts one clock's tickets as the summary does: n tickets,
// met of them within the target, unanswered of them without a time (they
// left before an answer); sumS sums the others' times.
type clockCounts struct {
	n, met, unanswered int64
	sumS               float64
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
	// A ticket that left unanswered counts as a missed response with no
	// time; one that left unresolved is no resolution.
	if t.Unanswered {
		r.cur[2*t.Tier].n++
		r.cur[2*t.Tier].unanswered++
	} else {
		r.cur[2*t.Tier].add(t.Response, t.ResponseTarget)
	}
	if !t.Left() {
		r.cur[2*t.Tier+1].add(t.Resolution, t.ResolutionTarget)
	}
}

func (r *Collector) End() {
	if err := r.ended.put(r.rep, r.cur); err != nil && r.err == nil {
		r.err = err
	}
}

// Merge adds the replications another collector ended; the workers of a
// run share their store, and have nothing to add.
func (r *Collector) Merge(o sim.Collector) error {
	other, ok := o.(*Collector)
	if !ok || len(other.cur) != len(r.cur) {
		return fmt.Errorf("replication rows: cannot merge %T", o)
	}
	if r.err == nil {
		r.err = other.err
	}
	if other.ended == r.ended {
		return r.err
	}
	cs := make([]clockCounts, len(r.cur))
	for _, rep := range other.ended.ended() {
		if err := other.ended.get(rep, cs); err != nil {
			return err
		}
		if err := r.ended.put(rep, cs); err != nil {
			return err
		}
	}
	return r.err
}

// Rows calls each with the counts by replication, tier and clock, in
// that order, one at a time: memory does not grow with replications.
func (r *Collector) Rows(each func(Row) error) error {
	if r.err != nil {
		return fmt.Errorf("replication rows: %w", r.err)
	}
	cs := make([]clockCounts, len(r.cur))
	for _, rep := range r.ended.ended() {
		if err := r.ended.get(rep, cs); err != nil {
			return fmt.Errorf("replication rows: %w", err)
		}
		for i, c := range cs {
			row := Row{Replication: rep, Tier: i / 2, Clock: clockNames[i%2], Tickets: c.n, Met: c.met}
			if timed := c.n - c.unanswered; timed > 0 {
				row.MeanS = c.sumS / float64(timed)
			}
			if err := each(row); err != nil {
				return err
			}
		}
	}
	return nil
}

var clockNames = [2]string{"response", "resolution"}
