package fit

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// syntheticFit fits a 12-week synthetic export of three tiers, with
// responses 20 minutes after opening on average.
func syntheticFit(t *testing.T, o FitOptions, dailyCV float64) *Result {
	t.Helper()
	s := &synth{start: monday(), weeks: 12, rate: weeklyRate(), tiers: threeTiers(), dailyCV: dailyCV, response: 20 * time.Minute, seed: 11}
	res, err := Fit(context.Background(), s.export(t), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScenarioRoundTrip(t *testing.T) {
	res := syntheticFit(t, FitOptions{}, 0.3)
	yaml, sc, err := Scenario(res, "synthetic")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "synthetic" || len(sc.Tiers) != 3 || sc.Agents != res.PlaceholderAgents() {
		t.Errorf("name %q, %d tiers, %d agents", sc.Name, len(sc.Tiers), sc.Agents)
	}
	if got, want := sc.Arrivals.Volume*24, res.Total.PerDay(); math.Abs(got-want) > 0.05 {
		t.Errorf("volume %.2f a day, fitted %.2f", got, want)
	}
	if got := sc.Arrivals.DailyCV; math.Abs(got-res.DailyCV()) > 0.001 || got == 0 {
		t.Errorf("daily_cv %g, fitted %g", got, res.DailyCV())
	}
	if got := sc.Simulation.Start; got.Year != 2024 || got.Month != time.March || got.Day != 25 {
		t.Errorf("start %v, want the Monday after the 12 weeks from 1 January 2024", got)
	}
	var shares float64
	for i, tier := range sc.Tiers {
		shares += tier.Share
		fitted := res.Tiers[i]
		if want := float64(fitted.Arrivals.Tickets) / float64(res.Total.Tickets); math.Abs(tier.Share-want) > 1e-6 {
			t.Errorf("%s: share %g, fitted %g", tier.Name, tier.Share, want)
		}
		if got, want := tier.Handling.Mean().Hours(), fitted.Handling.Chosen().Mean; math.Abs(got-want) > 1.0/60 {
			t.Errorf("%s: handling mean %.3fh, fitted %.3fh", tier.Name, got, want)
		}
		// The profile's weights are the fitted hourly rates, scaled.
		w := tier.Profile.Weights
		for _, h := range []int{9, 30, 130} {
			if got, want := w[h]/w[10], res.Total.Rate[h]/res.Total.Rate[10]; math.Abs(got/want-1) > 0.01 {
				t.Errorf("%s: weight of %s relative to Mon 10:00 %.4f, fitted %.4f", tier.Name, hourName(h), got, want)
			}
		}
	}
	if shares != 1 {
		t.Errorf("shares sum to %.17g", shares)
	}
	for _, want := range []string{"PLACEHOLDER targets", "PLACEHOLDER staffing", "ASSUMPTION", "<- chosen", "# Mon 12-23:", "daily_cv:"} {
		if !strings.Contains(string(yaml), want) {
			t.Errorf("the scenario does not say %q", want)
		}
	}
}

func TestScenarioOptions(t *testing.T) {
	t.Run("empirical", func(t *testing.T) {
		res := syntheticFit(t, FitOptions{Empirical: true}, 0)
		_, sc, err := Scenario(res, "e")
		if err != nil {
			t.Fatal(err)
		}
		for i, tier := range sc.Tiers {
			e, ok := tier.Handling.(sim.Empirical)
			if !ok {
				t.Fatalf("%s: handling %v, want empirical", tier.Name, tier.Handling)
			}
			n := len(res.Tiers[i].Handling.Hours)
			if len(e.Values) != min(n, maxEmpirical) {
				t.Errorf("%s: %d values of %d observed", tier.Name, len(e.Values), n)
			}
			// The empirical mean is the sample's, to within the quantile
			// grid and rounding to the second.
			if got, want := e.Mean().Hours(), res.Tiers[i].Handling.Mean(); math.Abs(got/want-1) > 0.02 {
				t.Errorf("%s: empirical mean %.3fh, sample %.3fh", tier.Name, got, want)
			}
		}
	})
	t.Run("response", func(t *testing.T) {
		res := syntheticFit(t, FitOptions{HandlingFrom: HandlingResponse}, 0)
		// Response → resolved is the tiers' handling distribution;
		// opened → resolved adds the response time, 20 minutes on average.
		tiers := threeTiers()
		for i, tier := range res.Tiers {
			c := tier.Handling.Chosen()
			want := tiers[i].handling.Mean().Hours()
			within(t, tier.Name+" handling mean", tier.Handling.Mean(), want, want*tiers[i].handling.CV()/math.Sqrt(float64(tier.HandlingN)), 4)
			if c.Family == Exponential && i != 2 {
				t.Errorf("%s: chose exponential", tier.Name)
			}
			within(t, tier.Name+" resolution − handling mean", tier.Resolution.Mean()-tier.Handling.Mean(), 1.0/3, 1.0/3/math.Sqrt(float64(tier.HandlingN)), 4)
			if tier.Response == nil || math.Abs(tier.Response.Mean()-1.0/3) > 0.05 {
				t.Errorf("%s: response times %v", tier.Name, tier.Response)
			}
		}
		if _, _, err := Scenario(res, "r"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("response without the column", func(t *testing.T) {
		ex, err := read(t, genericHeader+genericRows(30), Options{Overrides: Overrides{Columns: map[Field]string{Response: ""}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Fit(context.Background(), ex, FitOptions{HandlingFrom: HandlingResponse}); err == nil || !strings.Contains(err.Error(), "--response") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("window", func(t *testing.T) {
		ex, err := read(t, genericHeader+genericRows(30), Options{})
		if err != nil {
			t.Fatal(err)
		}
		since := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
		res, err := Fit(context.Background(), ex, FitOptions{Since: since, Until: since.Add(10 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total.Tickets != 10 || res.Outside != 20 || res.Window.Hours() != 10 {
			t.Errorf("%d tickets, %d outside, %.1f hours; want 10, 20, 10", res.Total.Tickets, res.Outside, res.Window.Hours())
		}
		// Few tickets per tier: each uses the pooled fit.
		if !res.Tiers[0].HandlingPooled || res.Pooled == nil {
			t.Error("a tier with 4 times did not use the pooled fit")
		}
		if _, _, err := Scenario(res, "w"); err != nil {
			t.Fatal(err)
		}
		if _, err := Fit(context.Background(), ex, FitOptions{Since: since.AddDate(1, 0, 0)}); err == nil || !strings.Contains(err.Error(), "no tickets opened from 2025-01-01 12:00") {
			t.Errorf("empty window: error %v", err)
		}
	})
}

// TestPlaceholderAgentsAvoidQueueing simulates the fitted scenario: with
// the placeholder agents, tickets almost never wait, so the simulated
// resolution times are the handling times.
func TestPlaceholderAgentsAvoidQueueing(t *testing.T) {
	res := syntheticFit(t, FitOptions{}, 0.3)
	_, sc, err := Scenario(res, "s")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model()
	m.Horizon = 4 * sim.Week
	run, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 5})
	if err != nil {
		t.Fatal(err)
	}
	if run.Unstable != nil {
		t.Fatal(run.Unstable)
	}
	for _, tier := range run.Summary.Tiers {
		r := &tier.Response
		if share := float64(r.Met) / float64(r.Tickets); share < 0.999 {
			t.Errorf("%s: %.4f of responses within %v: the placeholder agents let tickets queue", tier.Name, share, r.Target)
		}
	}
	t.Logf("%d agents; utilisation %.2f", sc.Agents, run.Summary.Utilisation.Mean())
}

// TestScenarioHostileNames writes a scenario from an export whose file
// name, channels and priorities hold line breaks, bytes that are not UTF-8
// and characters YAML refuses: the scenario stays the fit, with nothing
// injected (a channel "pho\x99e", found by FuzzRead, made it invalid YAML).
func TestScenarioHostileNames(t *testing.T) {
	names := []string{"pho\x99e", "a\nagents: 999", "x\u2028agents: 998", "\x1b]0;t\a", "\ufffe", "e\u0085f"}
	var b strings.Builder
	b.WriteString(genericHeader)
	start := monday()
	for i := range 400 {
		at := start.Add(time.Duration(i) * 37 * time.Minute)
		fmt.Fprintf(&b, "T%d,%s,%q,,%s,%q\n", i, at.Format("2006-01-02 15:04"), names[i%2+2*(i%3%2)],
			at.Add(time.Duration(1+i%5)*time.Hour).Format("2006-01-02 15:04"), names[i%len(names)])
	}
	ex, err := Read(context.Background(), strings.NewReader(b.String()), "export\nagents: 997\u2029.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, sc, err := Scenario(res, "hostile")
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if sc.Agents != res.PlaceholderAgents() || len(sc.Tiers) != len(res.Tiers) {
		t.Errorf("agents %d, %d tiers; want %d, %d", sc.Agents, len(sc.Tiers), res.PlaceholderAgents(), len(res.Tiers))
	}
	for i, tier := range sc.Tiers {
		if tier.Name != res.Tiers[i].Name {
			t.Errorf("tier %d named %q, want %q", i, tier.Name, res.Tiers[i].Name)
		}
	}
}
