package replications

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

func TestStateRoundTrip(t *testing.T) {
	c := Collect(2)().(*Collector)
	for rep := 3; rep < 6; rep++ {
		c.Begin(1, rep)
		for i := range 5 * rep {
			c.Ticket(&sim.TicketRecord{Tier: i % 2, Response: time.Duration(i) * time.Minute, ResponseTarget: 5 * time.Minute,
				Resolution: time.Duration(i) * 1234567 * time.Microsecond, ResolutionTarget: time.Hour})
		}
		if rep == 4 {
			// A caller who hung up: a missed response with no time, and
			// no resolution.
			c.Ticket(&sim.TicketRecord{Tier: 1, Response: time.Minute, ResponseTarget: 5 * time.Minute, Abandoned: true, Unanswered: true})
		}
		c.End()
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back := Collect(2)().(*Collector)
	if err := json.Unmarshal(data, back); err != nil {
		t.Fatal(err)
	}
	if got, want := allRows(t, back), allRows(t, c); !slices.Equal(got, want) {
		t.Errorf("rows differ after a round trip:\n%v\n%v", got, want)
	}
	if r := allRows(t, c)[6]; r.Replication != 4 || r.Clock != "response" || r.Tickets != 11 || r.Met != 3 || r.MeanS != 600 {
		t.Errorf("replication 4, tier 1's response with an unanswered ticket: %+v", r)
	}
	if n, lo, hi := back.Ended(); n != 3 || lo != 3 || hi != 5 {
		t.Errorf("Ended() = %d, %d, %d", n, lo, hi)
	}
	for _, tt := range []struct{ doc, err string }{
		{`[{"replication":1,"tickets":[1,1],"met":[1,1],"seconds":[1,1]}]`, "2, 2 and 2 counts, the model 4 clocks"},
		{`[{"replication":1,"tickets":[1,1,1,1],"met":[2,1,1,1],"seconds":[1,1,1,1]}]`, "impossible counts"},
		{`[{"replication":1,"tickets":[1,1,1,1],"met":[1,1,1,1],"seconds":[-1,1,1,1]}]`, "impossible counts"},
		{`[{"replication":1,"tickets":[1,1,1,1],"met":[1,1,1,1],"seconds":[1,1,1,1],"unanswered":[1,0,0,0]}]`, "impossible counts"},
		{`[{"replication":1,"tickets":[1,1,1,1],"met":[0,1,1,1],"seconds":[1,1,1,1],"unanswered":[1,0,0]}]`, "3 unanswered counts, the model 4 clocks"},
		{`[{"replication":1,"tickets":[0,0,0,0],"met":[0,0,0,0],"seconds":[0,0,0,0]},{"replication":1,"tickets":[0,0,0,0],"met":[0,0,0,0],"seconds":[0,0,0,0]}]`, "replication 1 is repeated"},
		{`[{}` + strings.Repeat(`,{}`, 100000) + `]`, "0, 0 and 0 counts"},
		{`{}`, "not an array"},
		{`[] []`, "data after the array"},
	} {
		err := Collect(2)().(*Collector).UnmarshalJSON([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%.60s: got %v, want %q", tt.doc, err, tt.err)
		}
	}
}
