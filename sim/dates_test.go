package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// datedModel is a desk of two tiers over three weeks, with days, weeks and
// the whole window as periods.
func datedModel() *Model {
	m := &Model{
		Tiers: []Tier{
			{Name: "urgent", Arrivals: ConstantRate(1), Handling: Exponential{Mu: time.Hour}, Response: 15 * time.Minute, Resolution: 4 * time.Hour},
			{Name: "routine", Arrivals: ConstantRate(3), Handling: Exponential{Mu: 40 * time.Minute}, Response: time.Hour, Resolution: 8 * time.Hour},
		},
		Agents: 4, WarmUp: 24 * time.Hour, Horizon: 3 * Week,
	}
	for d := range 21 {
		m.Dates.Starts = append(m.Dates.Starts, m.WarmUp+time.Duration(d)*24*time.Hour)
		m.Dates.Labels = append(m.Dates.Labels, fmt.Sprintf("day %d", d))
		m.Dates.Periods = append(m.Dates.Periods, Period{Kind: "day", Label: fmt.Sprintf("day %d", d), First: d, End: d + 1})
	}
	for w := range 3 {
		m.Dates.Periods = append(m.Dates.Periods, Period{Kind: "week", Label: fmt.Sprintf("week %d", w), First: 7 * w, End: 7*w + 7})
	}
	m.Dates.Periods = append(m.Dates.Periods, Period{Kind: "all", Label: "all", First: 0, End: 21})
	return m
}

// TestDates checks results by date against the figures of the whole
// window: every ticket counted on one day, a period of every day holding
// exactly each replication's attainment, and nothing else changed.
func TestDates(t *testing.T) {
	m := datedModel()
	res, err := Run(context.Background(), m, Options{Seed: 3, Replications: 12, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	all := len(m.Dates.Periods) - 1
	for i, ts := range s.Tiers {
		for k, ms := range []*MetricStats{&ts.Response, &ts.Resolution} {
			c := s.Dates.Tiers[i].clocks()[k]
			var n, met int64
			for d := range c.Tickets {
				n += c.Tickets[d]
				met += c.Met[d]
				if c.Tickets[d] == 0 {
					t.Errorf("tier %d clock %d: no tickets on day %d", i, k, d)
				}
			}
			if n != ms.Tickets || met != ms.Met {
				t.Errorf("tier %d clock %d: %d tickets, %d met by day; %d and %d in all", i, k, n, met, ms.Tickets, ms.Met)
			}
			whole, want := c.Attainment[all], ms.Attainment
			if whole.N != want.N || whole.Mean() != want.Mean() || whole.Variance() != want.Variance() {
				t.Errorf("tier %d clock %d: the whole window as a period %.9g (%d), the summary %.9g (%d)", i, k, whole.Mean(), whole.N, want.Mean(), want.N)
			}
			for p := range 21 {
				if c.Attainment[p].N != 12 {
					t.Errorf("tier %d clock %d: day %d has %d replications", i, k, p, c.Attainment[p].N)
				}
			}
		}
	}
	// Dates draw no random numbers and change no other figure.
	plain := datedModel()
	plain.Dates = Dates{}
	res2, err := Run(context.Background(), plain, Options{Seed: 3, Replications: 12, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.Dates = nil
	a, _ := json.Marshal(s)
	b, _ := json.Marshal(res2.Summary)
	if string(a) != string(b) {
		t.Error("results by date changed the other figures")
	}
}

// TestDatesMerge checks that two shards' summaries, through JSON, merge
// into the single run's, and that summaries of other shapes are refused.
func TestDatesMerge(t *testing.T) {
	m := datedModel()
	whole, err := Run(context.Background(), m, Options{Seed: 5, Replications: 6})
	if err != nil {
		t.Fatal(err)
	}
	merged := NewSummary(m)
	for _, shard := range [][2]int{{0, 4}, {4, 2}} {
		part, err := Run(context.Background(), m, Options{Seed: 5, FirstReplication: shard[0], Replications: shard[1]})
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(part.Summary)
		read, err := DecodeSummary(data, m)
		if err != nil {
			t.Fatal(err)
		}
		if err := merged.Merge(read); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := json.Marshal(whole.Summary)
	b, _ := json.Marshal(merged)
	if string(a) != string(b) {
		t.Error("merged shards differ from the single run")
	}
	plain := *m
	plain.Dates = Dates{}
	if err := NewSummary(m).Merge(NewSummary(&plain)); err == nil || !strings.Contains(err.Error(), "by date") {
		t.Errorf("merging a summary without dates: %v", err)
	}
	short := *m
	short.Dates.Periods = short.Dates.Periods[:3]
	if err := NewSummary(m).Merge(NewSummary(&short)); err == nil || !strings.Contains(err.Error(), "periods") {
		t.Errorf("merging a summary of other periods: %v", err)
	}
	data, _ := json.Marshal(NewSummary(&short))
	if _, err := DecodeSummary(data, m); err == nil {
		t.Error("a shard of other periods was read")
	}
}

func TestDatesValidate(t *testing.T) {
	for _, c := range []struct {
		change func(*Dates)
		want   string
	}{
		{func(d *Dates) { d.Starts[0] = 0 }, "the first day must start the window"},
		{func(d *Dates) { d.Labels = d.Labels[1:] }, "labels"},
		{func(d *Dates) { d.Starts[3] = d.Starts[2] }, "day 3 starts"},
		{func(d *Dates) { d.Starts, d.Labels = append(d.Starts, 30*Week), append(d.Labels, "late") }, "day 21 starts"},
		{func(d *Dates) { d.Periods[0].End = 22 }, "period 0"},
		{func(d *Dates) { d.Periods[1].End = d.Periods[1].First }, "period 1"},
		{func(d *Dates) { d.Starts, d.Labels = nil, nil }, "without days"},
	} {
		m := datedModel()
		c.change(&m.Dates)
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
