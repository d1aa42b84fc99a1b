package replications

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestRows: each replication keeps its own counts by tier and clock, two
// collectors merge into the rows of their union, ordered by replication,
// and a tier without tickets has no attainment.
func TestRows(t *testing.T) {
	ticket := func(tier int, response, resolution time.Duration) *sim.TicketRecord {
		return &sim.TicketRecord{Tier: tier, Response: response, Resolution: resolution, ResponseTarget: time.Hour, ResolutionTarget: 4 * time.Hour}
	}
	a, b := Collect(2)(), Collect(2)()
	b.Begin(1, 1)
	b.Ticket(ticket(0, 2*time.Hour, 3*time.Hour))
	b.End()
	a.Begin(1, 0)
	a.Ticket(ticket(0, 30*time.Minute, 5*time.Hour))
	a.Ticket(ticket(0, 90*time.Minute, 2*time.Hour))
	a.Ticket(ticket(7, 0, 0)) // a tier the model does not have: left out
	a.End()
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Replication: 0, Tier: 0, Clock: "response", Tickets: 2, Met: 1, MeanS: 3600},
		{Replication: 0, Tier: 0, Clock: "resolution", Tickets: 2, Met: 1, MeanS: 3.5 * 3600},
		{Replication: 0, Tier: 1, Clock: "response"},
		{Replication: 0, Tier: 1, Clock: "resolution"},
		{Replication: 1, Tier: 0, Clock: "response", Tickets: 1, MeanS: 7200},
		{Replication: 1, Tier: 0, Clock: "resolution", Tickets: 1, Met: 1, MeanS: 3 * 3600},
		{Replication: 1, Tier: 1, Clock: "response"},
		{Replication: 1, Tier: 1, Clock: "resolution"},
	}
	rows := allRows(t, a.(*Collector))
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n%+v\nwant\n%+v", rows, want)
	}
	if got := rows[0].Attainment(); got != 0.5 {
		t.Errorf("attainment %v, want 0.5", got)
	}
	if got := rows[2].Attainment(); !math.IsNaN(got) {
		t.Errorf("attainment without tickets %v, want NaN", got)
	}
	if err := a.Merge(Collect(3)()); err == nil {
		t.Error("merged collectors of models with different tiers")
	}
}

// TestRowsMemoryFlat: the counts of ended replications are kept out of
// memory, whatever their number: 20,000 replications of 64 tiers (82 MB of
// counts) leave the heap growing by the index of where each is, about 1 MB.
func TestRowsMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 replications of 64 tiers")
	}
	const reps, tiers = 20_000, 64
	collect := Collect(tiers)
	c := collect().(*Collector)
	rec := &sim.TicketRecord{Response: time.Minute, Resolution: time.Hour, ResponseTarget: time.Hour, ResolutionTarget: time.Hour}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for rep := range reps {
		c.Begin(1, rep)
		for tier := range tiers {
			rec.Tier = tier
			c.Ticket(rec)
		}
		c.End()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4<<20 {
		t.Errorf("the heap grew by %d MB over %d replications", grew>>20, reps)
	}
	n := 0
	err := c.Rows(func(r Row) error {
		if r.Replication != n/(2*tiers) || r.Tickets != 1 || r.Met != 1 {
			return fmt.Errorf("row %d: %+v", n, r)
		}
		n++
		return nil
	})
	if err != nil || n != reps*tiers*2 {
		t.Errorf("%d rows, %v", n, err)
	}
}

// allRows collects the rows of c.
func allRows(t *testing.T, c *Collector) []Row {
	t.Helper()
	var rows []Row
	if err := c.Rows(func(r Row) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}
