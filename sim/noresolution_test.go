package sim

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestNoResolutionTier: a tier that promises no resolution is worked and
// counted as any other (every measured ticket resolved or open at the
// end, its resolution times kept), its records carry no resolution
// target, and a resolution calendar or off-hours target for it is refused.
func TestNoResolutionTier(t *testing.T) {
	m := &Model{
		Tiers: []Tier{
			{Name: "hotline", Arrivals: ConstantRate(6), Handling: Exponential{10 * time.Minute}, Response: time.Minute},
			{Name: "routine", Arrivals: ConstantRate(1), Handling: Exponential{time.Hour}, Response: time.Hour, Resolution: 8 * time.Hour},
		},
		Agents: 3, WarmUp: 24 * time.Hour, Horizon: 2 * Week,
	}
	res, err := Run(context.Background(), m, Options{Seed: 4, Replications: 3, Workers: 1,
		Collector: func() Collector { return &tierTargets{} }})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Collected.(*tierTargets)
	if got.zero[0] == 0 || got.nonZero[0] != 0 || got.zero[1] != 0 || got.nonZero[1] == 0 {
		t.Errorf("resolution targets of records: hotline %d zero, %d not; routine %d zero, %d not", got.zero[0], got.nonZero[0], got.zero[1], got.nonZero[1])
	}
	hot := &res.Summary.Tiers[0]
	f := hot.Flow
	if f.Arrived == 0 || f.Arrived != f.ByPeople+f.ByAutomation+f.Abandoned+f.Blocked+f.OpenAtHorizon || int64(hot.Resolution.Times.Count()) != hot.Response.Tickets {
		t.Errorf("hotline flow %+v, %d resolution times of %d tickets", f, hot.Resolution.Times.Count(), hot.Response.Tickets)
	}
	cal, err := NewCalendar([]time.Duration{9 * time.Hour}, []time.Duration{17 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		edit func(*Tier)
		want string
	}{
		{"negative", func(t *Tier) { t.Resolution = -time.Minute }, "targets must be > 0"},
		{"calendar", func(t *Tier) { t.ResolutionCalendar = cal }, "no resolution calendar"},
		{"off hours", func(t *Tier) { t.OffHours = OffHours{Calendar: cal, Resolution: time.Hour} }, "off-hours resolution"},
	} {
		bad := *m
		bad.Tiers = append([]Tier(nil), m.Tiers...)
		tt.edit(&bad.Tiers[0])
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

// tierTargets counts, by tier (of two), the records with and without a
// resolution target.
type tierTargets struct{ zero, nonZero [2]int64 }

func (c *tierTargets) Begin(uint64, int) {}
func (c *tierTargets) End()              {}
func (c *tierTargets) Ticket(t *TicketRecord) {
	if t.ResolutionTarget == 0 {
		c.zero[t.Tier]++
	} else {
		c.nonZero[t.Tier]++
	}
}
func (c *tierTargets) Merge(o Collector) error {
	oc := o.(*tierTargets)
	for i := range c.zero {
		c.zero[i] += oc.zero[i]
		c.nonZero[i] += oc.nonZero[i]
	}
	return nil
}
