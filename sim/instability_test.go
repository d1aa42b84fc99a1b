package sim

import (
	"strings"
	"testing"
	"time"
)

// TestInstabilityWords reads an instability's message at the figures a
// reader meets at the edges: one of each noun, and thousands, which %.3g
// wrote with an exponent ("2e+03 Erlangs"); the time it stopped, which
// read as a program's ("at 1680h0m0s").
func TestInstabilityWords(t *testing.T) {
	for _, c := range []struct {
		name string
		u    Instability
		want []string
	}{
		{"one Erlang on one agent", Instability{Load: 1, Capacity: 1},
			[]string{"offered load 1 Erlang >= capacity of 1 agent on"}},
		{"thousands of Erlangs", Instability{Load: 2000, Capacity: 1999.6},
			[]string{"offered load 2000 Erlangs >= capacity of 2000 agents on"}},
		{"a tier's work", Instability{Load: 1, Capacity: 0.5, Work: []string{"P1"}, Teams: []string{"front"}},
			[]string{"P1: 1 Erlang of work that only front may take, with 0.5 agents on"}},
		{"a tier's work, thousands", Instability{Load: 1500, Capacity: 1234, Work: []string{"P1"}, Teams: []string{"front"}},
			[]string{"P1: 1500 Erlangs of work that only front may take, with 1234 agents on"}},
		{"automation, one slot", Instability{AutomationLoad: 1, AutomationCapacity: 1},
			[]string{"need 1 slot on average, the engine has 1 slot"}},
		{"automation, thousands", Instability{AutomationLoad: 12345, AutomationCapacity: 10000},
			[]string{"need 12345 slots on average, the engine has 10000 slots"}},
		{"a backlog's trend", Instability{Replication: 3, InSystem: 5000, Work: []string{"P4"}, GrowthPerHour: 1.0 / 168, Waiting: 4000, At: 10 * Week, Load: 1, Capacity: 1},
			[]string{"grew week after week, by 1 ticket a week", "to 4000 waiting after 10 weeks (offered load 1 Erlang, capacity 1 agent on average)"}},
		{"a backlog's trend, thousands", Instability{Replication: 3, InSystem: 50000, Work: []string{"P4"}, GrowthPerHour: 12, Waiting: 40000, At: 10 * Week, Load: 2500, Capacity: 2400},
			[]string{"by 2016 tickets a week", "(offered load 2500 Erlangs, capacity 2400 agents on average)"}},
		{"the cap on tickets", Instability{Replication: 1, InSystem: 1000001, Limit: 1000000, GrowthPerHour: 1, At: time.Hour, Load: 1500, Capacity: 1000},
			[]string{"held 1000001 tickets after 1 hour, more than", "growing by 1 ticket/h", "(offered load 1500 Erlangs, capacity 1000 agents on average)"}},
		{"the cap on tickets, fast", Instability{Replication: 1, InSystem: 1000001, Limit: 1000000, GrowthPerHour: 2500, At: 36*time.Hour + 12*time.Minute, Load: 1, Capacity: 0.9},
			[]string{"held 1000001 tickets after 36.2 hours, more than", "growing by 2500 tickets/h"}},
	} {
		msg := c.u.Error()
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", c.name, msg, w)
			}
		}
		if strings.Contains(msg, "e+") {
			t.Errorf("%s: %q has an exponent", c.name, msg)
		}
	}
}
