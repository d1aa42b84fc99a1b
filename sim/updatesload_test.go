package sim

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestUpdatesLoad: updates are agent work in the offered load, and it is
// what the engine measures. M/M/c with agents to spare (c = 30 at 10
// Erlangs: P(wait) = 3e-7), exponential handling of mean 1 h, an update
// every 30 minutes taking 3: a ticket open for S ~ Exp(1 h) is given
// Σ_k P(S > k·30m) = 1/(e^(1/2) − 1) = 1.5415 updates, 4.62 minutes of
// work, so the load is 10 × (1 + 0.05 × 1.5415) = 10.771 Erlangs and the
// utilisation 10.771/30 = 35.90%. The measured utilisation must hold it
// within 4 standard errors of its mean over replications, and the
// updates clock count 1.5415 updates a ticket within 4 of its own.
func TestUpdatesLoad(t *testing.T) {
	const c, lambda = 30, 10.0
	tier := Tier{Name: "faults", Arrivals: ConstantRate(lambda), Handling: Exponential{Mu: time.Hour},
		Response: time.Hour, Resolution: 8 * time.Hour,
		Updates: Updates{Every: 30 * time.Minute, Target: 10 * time.Minute, Handling: Deterministic{Value: 3 * time.Minute}}}
	perTicket := 1 / math.Expm1(0.5)
	if got := tier.UpdatesPerTicket(); math.Abs(got-perTicket) > 1e-12 {
		t.Fatalf("UpdatesPerTicket %v, want %v", got, perTicket)
	}
	m := &Model{Tiers: []Tier{tier}, Agents: c, WarmUp: 24 * time.Hour, Horizon: 4 * Week}
	load := lambda * (1 + 0.05*perTicket)
	if got := m.OfferedLoad(); math.Abs(got-load) > 1e-9 {
		t.Errorf("offered load %v, want %v", got, load)
	}
	w := m.Workload()
	if n := len(w.Window.Load); n != 2 || math.Abs(w.Window.Load[0]+w.Window.Load[1]-load) > 1e-9 || math.Abs(w.Window.Load[1]-lambda*0.05*perTicket) > 1e-9 {
		t.Errorf("the workload's classes carry %v, want the tickets' %v and the updates' %v", w.Window.Load, lambda, lambda*0.05*perTicket)
	}
	res, err := Run(context.Background(), m, Options{Seed: 7, Replications: 12})
	if err != nil {
		t.Fatal(err)
	}
	u := &res.Summary.Utilisation
	se := math.Sqrt(u.Variance() / float64(u.N))
	if want := load / c; math.Abs(u.Mean()-want) > 4*se {
		t.Errorf("utilisation %.5f ± %.5f (SE), closed form %.5f", u.Mean(), se, want)
	}
	ts := &res.Summary.Tiers[0]
	up := &ts.Clocks[0].MetricStats
	// Updates per ticket, pooled: a ticket's count ⌊S/30m⌋ is geometric,
	// P(N ≥ k) = p^k with p = e^(-1/2), of variance p/(1−p)².
	p := math.Exp(-0.5)
	n := float64(ts.Response.Tickets)
	seCount := math.Sqrt(p / ((1 - p) * (1 - p)) / n)
	if got := float64(up.Tickets) / n; math.Abs(got-perTicket) > 4*seCount {
		t.Errorf("%.4f updates a ticket (of %v tickets), closed form %.4f ± %.4f", got, n, perTicket, seCount)
	}
}
