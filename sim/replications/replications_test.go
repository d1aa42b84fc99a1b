package replications

import (
	"math"
	"reflect"
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
	rows := a.(*Collector).Rows()
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
