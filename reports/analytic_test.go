package reports

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// TestAnalyticBesidePooled: the closed-form box (text, HTML, the JSON the
// desk draws it from) puts Erlang C beside the pooled share and the
// pooled mean wait, the per-ticket figures it gives, and says so; not
// beside the mean of replications' shares and means, which one-day
// replications of 12 tickets lift well above it (M/M/1 at load 0.5,
// answer within 15 minutes). Its lede names the one agent in the
// singular.
func TestAnalyticBesidePooled(t *testing.T) {
	m := &sim.Model{Agents: 1, WarmUp: 4 * sim.Week, Horizon: 24 * time.Hour,
		Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(0.5), Handling: sim.Exponential{Mu: time.Hour},
			Response: 15 * time.Minute, Resolution: 2 * time.Hour}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 400})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "mm1", File: "test", Model: m, Level: 0.95})
	if r.Analytic == nil {
		t.Fatalf("no closed form: %s", r.NoClosedForm())
	}
	resp := &r.Tiers[0].Response
	pooled, perRep := format.Percent(resp.PooledAttainment.Mean), format.Percent(resp.Attainment.Mean)
	wait, repWait := format.Duration(seconds(resp.PooledMeanS.Mean)), format.Duration(seconds(resp.MeanS.Mean))
	if pooled == perRep || wait == repWait {
		t.Fatalf("pooled %s and %s read as the means of replications' %s and %s: no test", pooled, wait, perRep, repWait)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	box := text.String()[strings.Index(text.String(), "Erlang C, exact"):]
	box = box[:strings.Index(box, "\n\n")]
	row := func(name string) string {
		for _, line := range strings.Split(box, "\n") {
			if strings.HasPrefix(line, "  "+name) {
				return line
			}
		}
		return ""
	}
	if got := row("response within 15m"); !strings.Contains(got, " 55.9% ") || !strings.Contains(got, " "+pooled+" [") {
		t.Errorf("response row %q, want Erlang C's 55.9%% beside the pooled %s:\n%s", got, pooled, box)
	}
	if got := row("ASA (mean wait)"); !strings.Contains(got, " 1h ") || !strings.Contains(got, " "+wait+" [") {
		t.Errorf("ASA row %q, want Erlang C's 1h beside the pooled %s:\n%s", got, wait, box)
	}
	for _, want := range []string{"simulated, pooled", "pooled: all the replications' tickets together"} {
		if !strings.Contains(box, want) {
			t.Errorf("the box lacks %q:\n%s", want, box)
		}
	}
	html := r.htmlAnalytic()
	if got := html.Rows[0].Simulated; !strings.HasPrefix(got, pooled+" [") {
		t.Errorf("HTML response row %q, want the pooled %s", got, pooled)
	}
	if got := html.Rows[3].Simulated; !strings.HasPrefix(got, wait+" [") {
		t.Errorf("HTML ASA row %q, want the pooled %s", got, wait)
	}
	if !strings.Contains(html.Lede, "the figures of all the replications' tickets pooled") {
		t.Errorf("the HTML lede does not say the figures are pooled: %s", html.Lede)
	}
	if !strings.Contains(html.Lede, "one pool of 1 agent on duty") {
		t.Errorf("the HTML lede does not say one agent in the singular: %s", html.Lede)
	}
}

// TestAnalyticLedeOfBigDesk: a desk of thousands reads its figures whole
// in the box's lede (12,000 an hour read "1.2e+04 an hour").
func TestAnalyticLedeOfBigDesk(t *testing.T) {
	m := &sim.Model{Agents: 1, Horizon: 24 * time.Hour,
		Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(0.5), Handling: sim.Exponential{Mu: time.Hour},
			Response: 15 * time.Minute, Resolution: 2 * time.Hour}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "mm1", File: "test", Model: m, Level: 0.95})
	if r.Analytic == nil {
		t.Fatalf("no closed form: %s", r.NoClosedForm())
	}
	r.Analytic.Agents, r.Analytic.ArrivalRate = 10200, 12000
	lede := r.htmlAnalytic().Lede
	if !strings.Contains(lede, "one pool of 10200 agents on duty around the clock, Poisson arrivals at 12000 an hour") || strings.Contains(lede, "e+") {
		t.Errorf("the lede does not write the desk's figures whole: %s", lede)
	}
}

// TestAnalyticAnswered: where callers hang up (M/M/2+M), the box adds
// Erlang A's share of answered calls answered within the target, beside
// the pooled share of answered tickets, in the text, the HTML and the
// JSON; Erlang C's box has no such row.
func TestAnalyticAnswered(t *testing.T) {
	m := &sim.Model{Agents: 2, WarmUp: 24 * time.Hour, Horizon: 24 * time.Hour,
		Tiers: []sim.Tier{{Name: "calls", Arrivals: sim.ConstantRate(2), Handling: sim.Exponential{Mu: time.Hour},
			Response: 15 * time.Minute, Resolution: 2 * time.Hour, Patience: sim.Exponential{Mu: 30 * time.Minute}}}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 200})
	if err != nil || res.Unstable != nil {
		t.Fatal(err, res.Unstable)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "mm2m", File: "test", Model: m, Level: 0.95})
	if r.Analytic == nil || r.Analytic.AnsweredResponse == nil {
		t.Fatalf("no Erlang A answered share: %+v (%s)", r.Analytic, r.NoClosedForm())
	}
	q := queueing.MMcM{Servers: 2, ArrivalRate: 2, ServiceRate: 1, AbandonRate: 2}
	exact := q.AnsweredWithin(0.25) / q.ProbServed()
	if got := *r.Analytic.AnsweredResponse; math.Abs(got-exact) > 1e-12 {
		t.Errorf("answered_response %v, want Erlang A's %v", got, exact)
	}
	p := r.Tiers[0].Response.PooledAnsweredAttainment
	want := "response within 15m, of answered tickets"
	simulated := format.Percent(p.Mean) + " " + interval(p)
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if !strings.Contains(words(text.String()), words(want+" "+format.Percent(exact)+" "+simulated)) {
		t.Errorf("the text box lacks %q beside %s and %s:\n%s", want, format.Percent(exact), simulated, text.String())
	}
	if row := r.htmlAnalytic().Rows[1]; row.Name != want || row.Exact != format.Percent(exact) || row.Simulated != simulated {
		t.Errorf("HTML row %+v, want %q, %s, %s", row, want, format.Percent(exact), simulated)
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"answered_response": `) {
		t.Error("the JSON's analytic lacks answered_response")
	}
	m.Tiers[0].Patience = nil
	res, err = sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := New(t.Context(), res, Meta{Version: "test", Scenario: "mm2", File: "test", Model: m, Level: 0.95})
	for _, row := range c.analyticRows() {
		if strings.Contains(row.Name, "answered") {
			t.Errorf("Erlang C's box has a row %q", row.Name)
		}
	}
}
