package reports

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

func TestMeanTargetVerdict(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		e      *Estimate
		target time.Duration
		want   Verdict
	}{
		{&Estimate{Mean: 3000, Lo: f(2900), Hi: f(3100)}, time.Hour, Meets},
		{&Estimate{Mean: 3600, Lo: f(3500), Hi: f(3600)}, time.Hour, Meets}, // at the target
		{&Estimate{Mean: 3700, Lo: f(3601), Hi: f(3800)}, time.Hour, Fails},
		{&Estimate{Mean: 3600, Lo: f(3500), Hi: f(3700)}, time.Hour, NotDetermined},
		{&Estimate{Mean: 3000}, time.Hour, NotDetermined}, // one replication
		{nil, time.Hour, NotDetermined},                   // no ticket
	} {
		if got := meanTarget(c.e, c.target); got == nil || got.Verdict != c.want || got.TargetS != 3600 {
			t.Errorf("%+v against %v: %+v, want %s", c.e, c.target, got, c.want)
		}
	}
	if meanTarget(&Estimate{Mean: 1}, 0) != nil {
		t.Error("a verdict without a target")
	}
}

// TestMeans: an M/M/1 desk's mean resolution (the sojourn, 1/(μ − λ) = 2 h
// at λ = 0.5, μ = 1 an hour) meets a 3 h target and fails a 1 h 30 m one,
// per tier and over all tickets, in the JSON and the text; over all
// tickets pooled it is the one tier's pooled mean.
func TestMeans(t *testing.T) {
	h := time.Hour
	m := &sim.Model{WarmUp: 100 * h, Horizon: 4000 * h, Agents: 1,
		Tiers: []sim.Tier{{Name: "urgent", Arrivals: sim.ConstantRate(0.5), Handling: sim.Exponential{Mu: h}, Response: h, Resolution: 4 * h,
			Mean: sim.MeanTargets{Resolution: 3 * h}}},
		Mean: sim.MeanTargets{Resolution: 90 * time.Minute}}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 2, Replications: 20})
	if err != nil {
		t.Fatal(err)
	}
	r := New(t.Context(), res, Meta{Version: "test", Scenario: "means", File: "test", Model: m, Level: 0.95})
	tier, all := r.Tiers[0].Resolution, r.Overall.Resolution
	if tier.MeanTarget == nil || tier.MeanTarget.Verdict != Meets || all.MeanTarget == nil || all.MeanTarget.Verdict != Fails ||
		r.Tiers[0].Response.MeanTarget != nil || r.Overall.Response.MeanTarget != nil || all.MeanS.Mean != tier.MeanS.Mean {
		t.Errorf("tier %+v, overall %+v", tier.MeanTarget, all)
	}
	if lo, hi := *all.MeanS.Lo, *all.MeanS.Hi; lo > 7200 || hi < 7200 {
		t.Errorf("mean resolution [%v, %v] s misses the exact 7200 s", lo, hi)
	}
	// Over all tickets, pooled: one tier's own.
	if p, q := all.PooledMeanS, tier.PooledMeanS; p == nil || p.Lo == nil || p.Mean != q.Mean || *p.Lo != *q.Lo || *p.Hi != *q.Hi || *p.Lo > 7200 || *p.Hi < 7200 {
		t.Errorf("pooled mean resolution over all tickets %+v, the tier's %+v, the exact 7200 s", p, q)
	}
	var text strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Mean targets", "urgent, mean resolution: ", "against 3h: yes", "all tickets, mean resolution: ", "against 1h30m: no"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, text.String())
		}
	}
	var page strings.Builder
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<ul id="means">`, "<b>urgent, mean resolution</b>: ", "against 3h: yes", "<b>all tickets, mean resolution</b>: "} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
}
