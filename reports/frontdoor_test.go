package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestUnansweredFigures: a hotline whose callers hang up and a chat line
// that turns chats away when full show, in every format, how many left
// unanswered, their share with its interval, and the response attainment
// among answered tickets (and, in the JSON and CSV, pooled: met over
// answered); and the figures agree across formats.
func TestUnansweredFigures(t *testing.T) {
	m := &sim.Model{Agents: 3, WarmUp: 10 * time.Hour, Horizon: 200 * time.Hour,
		Tiers: []sim.Tier{
			{Name: "hotline", Arrivals: sim.ConstantRate(30), Handling: sim.Exponential{Mu: 4 * time.Minute},
				Response: 20 * time.Second, Resolution: time.Hour, Patience: sim.Exponential{Mu: time.Minute}},
			{Name: "chat", Arrivals: sim.ConstantRate(20), Handling: sim.Exponential{Mu: 3 * time.Minute},
				Response: 30 * time.Second, Resolution: time.Hour, Blocking: true, QueueCapacity: 2},
		}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 5, Replications: 4})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "front", File: "test", Model: m, Level: DefaultLevel})
	hot, chat := &r.Tiers[0], &r.Tiers[1]
	if hot.Abandoned == nil || hot.Blocked != nil || chat.Blocked == nil || chat.Abandoned != nil {
		t.Fatalf("outcomes: hotline %+v %+v, chat %+v %+v", hot.Abandoned, hot.Blocked, chat.Abandoned, chat.Blocked)
	}
	if hot.Abandoned.Tickets == 0 || chat.Blocked.Tickets == 0 || hot.Response.Unanswered != hot.Abandoned.Tickets ||
		chat.Response.Unanswered != chat.Blocked.Tickets || hot.Response.AnsweredAttainment == nil {
		t.Fatalf("hotline %d abandoned, %d unanswered; chat %d blocked, %d unanswered", hot.Abandoned.Tickets,
			hot.Response.Unanswered, chat.Blocked.Tickets, chat.Response.Unanswered)
	}

	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Tickets that left unanswered",
		"  hotline: " + mean(hot.Abandoned.Share) + " " + interval(hot.Abandoned.Share) + " abandoned (" + strconv.FormatInt(hot.Abandoned.Tickets, 10) + " tickets); answered within 20s: ",
		"  chat: " + mean(chat.Blocked.Share) + " " + interval(chat.Blocked.Share) + " blocked by a full line (" + strconv.FormatInt(chat.Blocked.Tickets, 10) + " tickets)",
		"of answered tickets",
		"abandoned, ",
		"blocked, ",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}

	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tiers []struct {
			Abandoned *struct {
				Tickets int64
				Share   struct{ Mean float64 }
			}
			Response struct {
				Unanswered               int64
				AnsweredAttainment       *struct{ Mean float64 } `json:"answered_attainment"`
				PooledAnsweredAttainment *struct{ Mean float64 } `json:"pooled_answered_attainment"`
			}
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if d := doc.Tiers[0]; d.Abandoned == nil || d.Abandoned.Tickets != hot.Abandoned.Tickets || d.Abandoned.Share.Mean != hot.Abandoned.Share.Mean ||
		d.Response.Unanswered != hot.Response.Unanswered || d.Response.AnsweredAttainment == nil {
		t.Errorf("JSON hotline: %+v", d)
	}
	// The pooled share of answered tickets is the met over the answered.
	answered := func(m *Metric) float64 {
		return float64(m.Tickets-m.Breached) / float64(m.Tickets-m.Unanswered)
	}
	for i, m := range []*Metric{&hot.Response, &chat.Response} {
		if p := doc.Tiers[i].Response.PooledAnsweredAttainment; p == nil || p.Mean != answered(m) {
			t.Errorf("JSON tier %d: pooled answered attainment %+v, want %v", i, p, answered(m))
		}
	}

	var c bytes.Buffer
	if err := r.WriteTiersCSV(&c); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	if got := rows[1][col("abandoned")]; got != strconv.FormatInt(hot.Abandoned.Tickets, 10) {
		t.Errorf("tiers.csv: hotline abandoned %q", got)
	}
	if got := rows[3][col("blocked")]; got != strconv.FormatInt(chat.Blocked.Tickets, 10) || rows[3][col("abandoned")] != "" {
		t.Errorf("tiers.csv: chat blocked %q, abandoned %q", got, rows[3][col("abandoned")])
	}
	if rows[1][col("answered_attainment")] == "" || rows[2][col("answered_attainment")] != "" {
		t.Errorf("tiers.csv: answered attainment %q (response), %q (resolution)", rows[1][col("answered_attainment")], rows[2][col("answered_attainment")])
	}
	if got, err := strconv.ParseFloat(rows[1][col("pooled_answered_attainment")], 64); err != nil || got != answered(&hot.Response) ||
		rows[1][col("pooled_answered_attainment_lo")] == "" || rows[2][col("pooled_answered_attainment")] != "" {
		t.Errorf("tiers.csv: pooled answered attainment %q [%q] (response), %q (resolution), want %v", rows[1][col("pooled_answered_attainment")],
			rows[1][col("pooled_answered_attainment_lo")], rows[2][col("pooled_answered_attainment")], answered(&hot.Response))
	}

	var html bytes.Buffer
	if err := r.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Abandoned, hotline", "Blocked by a full line, chat", "customers give up after exponential(mean 1m)", "at most 2 waiting"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
}

// TestRareOutcomeInterval: where no customer gave up in any replication,
// the share who give up is not known to be 0: its interval holds the
// pooled tickets' Wilson interval, as an attainment's does
// (sim.ShareCI). Patient callers on an idle line, 20 replications:
// [0.0%, 0.0%] before.
func TestRareOutcomeInterval(t *testing.T) {
	m := &sim.Model{Agents: 5, Horizon: 24 * time.Hour,
		Tiers: []sim.Tier{{Name: "hotline", Arrivals: sim.ConstantRate(2), Handling: sim.Exponential{Mu: 4 * time.Minute},
			Response: 20 * time.Second, Resolution: time.Hour, Patience: sim.Deterministic{Value: 100 * time.Hour}}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 5, Replications: 20})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "patient", File: "test", Model: m, Level: DefaultLevel})
	a, tickets := r.Tiers[0].Abandoned, r.Tiers[0].Response.Tickets
	if a == nil || a.Tickets != 0 || a.Share.Hi == nil {
		t.Fatalf("abandoned %+v: the case tests nothing", a)
	}
	if _, hi := sim.Wilson(0, tickets, sim.Confidence); *a.Share.Hi != hi {
		t.Errorf("none of %d tickets gave up: share %v [%v, %v], want the upper end %v", tickets, a.Share.Mean, *a.Share.Lo, *a.Share.Hi, hi)
	}
}

// TestSummaryWithoutPooledAnswered: a library caller's summary built by
// hand (or read with encoding/json, not sim.DecodeSummary) may have the
// answered attainment of a tier whose callers hang up but not its pooled
// ratio. The report leaves that figure out in every format, closed-form
// box included; it panicked on the nil ratio.
func TestSummaryWithoutPooledAnswered(t *testing.T) {
	m := &sim.Model{Agents: 2, Horizon: 50 * time.Hour,
		Tiers: []sim.Tier{{Name: "hotline", Arrivals: sim.ConstantRate(20), Handling: sim.Exponential{Mu: 5 * time.Minute},
			Response: 20 * time.Second, Resolution: time.Hour, Patience: sim.Exponential{Mu: time.Minute}}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 3, Replications: 3})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	ms := &res.Summary.Tiers[0].Response
	if ms.AnsweredAttainment == nil || ms.PooledAnswered == nil {
		t.Fatal("the model's tier has no answered attainment")
	}
	ms.PooledAnswered = nil
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "old", File: "test", Model: m, Level: DefaultLevel})
	if r.Tiers[0].Response.AnsweredAttainment == nil || r.Tiers[0].Response.PooledAnsweredAttainment != nil {
		t.Fatalf("answered attainment %+v, pooled %+v", r.Tiers[0].Response.AnsweredAttainment, r.Tiers[0].Response.PooledAnsweredAttainment)
	}
	var js, text, html, tiers bytes.Buffer
	for _, w := range []func() error{
		func() error { return r.WriteJSON(&js) },
		func() error { return r.WriteText(&text) },
		func() error { return r.WriteHTML(&html) },
		func() error { return r.WriteTiersCSV(&tiers) },
	} {
		if err := w(); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(js.String(), "pooled_answered_attainment") || !strings.Contains(js.String(), "answered_attainment") {
		t.Errorf("JSON: pooled_answered_attainment given, or answered_attainment not")
	}
	if !strings.Contains(text.String(), "of answered tickets") {
		t.Errorf("text report has no closed-form row of answered tickets:\n%s", text.String())
	}
}
