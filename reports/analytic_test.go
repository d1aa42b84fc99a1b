package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
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
