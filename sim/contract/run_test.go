package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

// runPlan simulates m with the plan's collectors and returns the results.
func runPlan(t *testing.T, m *sim.Model, p *Plan, o sim.Options) *Results {
	t.Helper()
	o.Collector = p.NewCollector
	res, err := sim.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	return res.Collected.(*Collector).Results()
}

// TestErlangC checks the per-breach credits of an M/M/c queue against the
// closed form: each month, λ × hours × P(wait > target) breached tickets,
// each credited the rule's share of the per-ticket fee, P from Erlang C.
func TestErlangC(t *testing.T) {
	if testing.Short() {
		t.Skip("Monte Carlo check")
	}
	const (
		lambda, agents = 9.0, 10 // tickets an hour; exponential 1 h handling
		fee, credit    = 100.0, 0.5
	)
	target := time.Hour
	m := &sim.Model{
		Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Hour},
			Response: target, Resolution: 1000 * time.Hour}},
		Agents: agents, WarmUp: 2 * day, Horizon: 91 * day,
	}
	// The window runs from 1 January to 2 April 2024: January, February
	// (29 days) and March.
	origin := jan2024.Add(-m.WarmUp)
	periods := CalendarPeriods(origin, 1, m.WarmUp, m.WarmUp+m.Horizon)
	c := &Contract{Fee: Fee{PerTicket: fee}, PeriodMonths: 1, Term: 3,
		Credits: []Credit{&PerBreach{Clock: Response, Credit: []float64{credit}}}}
	p, err := NewPlan(c, []string{"all"}, periods)
	if err != nil {
		t.Fatal(err)
	}
	r := runPlan(t, m, p, sim.Options{Seed: 11, Replications: 400})

	pLate := 1 - queueing.MMc{Servers: agents, ArrivalRate: lambda, ServiceRate: 1}.WaitAtMost(target.Hours())
	hours := 0.0
	for _, per := range periods {
		hours += per.Hours()
	}
	want := lambda * hours / float64(len(periods)) * pLate * credit * fee
	got, se := r.Cost.Mean.Mean(), math.Sqrt(r.Cost.Mean.Variance()/float64(r.Cost.Mean.N))
	t.Logf("credits per month %.1f ± %.1f (SE, %d replications of %d months); Erlang C: %.1f (P(wait > 1h) = %.4f)",
		got, se, r.Replications, len(periods), want, pLate)
	if math.Abs(got-want) > 4*se {
		t.Errorf("credits per month %.1f, Erlang C %.1f: %.1f standard errors apart", got, want, math.Abs(got-want)/se)
	}
}

// riskyModel and everyRule exercise every rule, the outage's random
// coefficients included.
func riskyModel() *sim.Model {
	return &sim.Model{
		Tiers: []sim.Tier{
			{Name: "urgent", Arrivals: sim.ConstantRate(0.5), Handling: sim.Exponential{Mu: time.Hour},
				Response: 15 * time.Minute, Resolution: 2 * time.Hour, Preempts: true},
			{Name: "routine", Arrivals: sim.ConstantRate(3), Handling: sim.Exponential{Mu: time.Hour},
				Response: time.Hour, Resolution: 8 * time.Hour},
		},
		Agents: 4, WarmUp: 2 * day, Horizon: 70 * day,
	}
}

func everyRulePlan(t *testing.T, m *sim.Model) *Plan {
	t.Helper()
	c := &Contract{
		Currency: "EUR", Fee: Fee{Monthly: 20000, PerTicket: 5}, PeriodMonths: 1, Term: 2,
		Levels: []Levels{{Response: 0.95, Resolution: 0.95}, {Response: 0.9}},
		Credits: []Credit{&PerBreach{Clock: Either, Credit: []float64{2, 0.5}},
			&Lateness{Clock: Resolution, Step: 30 * time.Minute, Credit: []float64{0.05, 0.05}, Cap: []float64{1, 0.5}},
			&Outage{Clock: Resolution, Coefficient: []Range{{1.5, 2}, {0.2, 0.5}}},
			&Attainment{Credit: []float64{0.02, 0.01}, Step: 0.01, Max: []float64{0.1, 0.05}}},
		Escalation: &Ladder{Counts: MissedLevel, Steps: []Step{{Cost: 1000}, {Credit: 0.2}, {Terminate: true}}},
		Cap:        0.5, Reserve: 0.03,
	}
	origin := jan2024.Add(-m.WarmUp)
	p, err := NewPlan(c, []string{"urgent", "routine"}, CalendarPeriods(origin, 1, m.WarmUp, m.WarmUp+m.Horizon))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func jsonOf(t *testing.T, r *Results) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWorkersDoNotMatter(t *testing.T) {
	m := riskyModel()
	p := everyRulePlan(t, m)
	one := runPlan(t, m, p, sim.Options{Seed: 5, Replications: 12, Workers: 1})
	two := runPlan(t, m, p, sim.Options{Seed: 5, Replications: 12, Workers: 2})
	if one.Replications != 12 || one.Cost.Mean.Mean() == 0 {
		t.Fatalf("%d replications costing %v a month: the test shows nothing", one.Replications, one.Cost.Mean.Mean())
	}
	if !bytes.Equal(jsonOf(t, one), jsonOf(t, two)) {
		t.Error("results differ between 1 and 2 workers")
	}
}

func TestMergeOrder(t *testing.T) {
	m := riskyModel()
	p := everyRulePlan(t, m)
	whole := jsonOf(t, runPlan(t, m, p, sim.Options{Seed: 5, Replications: 9, Workers: 1}))
	parts := func() []*Results {
		var rs []*Results
		for first := 0; first < 9; first += 3 {
			rs = append(rs, runPlan(t, m, p, sim.Options{Seed: 5, FirstReplication: first, Replications: 3, Workers: 1}))
		}
		return rs
	}
	for _, order := range [][3]int{{0, 1, 2}, {2, 0, 1}, {1, 2, 0}} {
		rs := parts()
		acc := rs[order[0]]
		for _, i := range order[1:] {
			if err := acc.Merge(rs[i]); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(jsonOf(t, acc), whole) {
			t.Errorf("merged in order %v: results differ from a single run", order)
		}
	}
	other := everyRulePlan(t, &sim.Model{WarmUp: day, Horizon: 40 * day})
	if err := parts()[0].Merge(newResults(other)); err == nil {
		t.Error("merged results of different windows")
	}
}

// TestAgreesWithSummary checks that the contract sees every measured ticket
// once: over a window of whole months, a credit of one per-ticket fee of 1
// per resolution breach adds up to the summary's breaches, and the
// revenue to its tickets.
func TestAgreesWithSummary(t *testing.T) {
	m := riskyModel()
	m.Horizon = 60 * day // January and February 2024, exactly
	origin := jan2024.Add(-m.WarmUp)
	periods := CalendarPeriods(origin, 1, m.WarmUp, m.WarmUp+m.Horizon)
	if len(periods) != 2 || periods[0].Start != m.WarmUp || periods[1].End != m.WarmUp+m.Horizon {
		t.Fatalf("periods %v do not cover the window", periods)
	}
	c := &Contract{Fee: Fee{PerTicket: 1}, PeriodMonths: 1, Term: 2,
		Credits: []Credit{&PerBreach{Clock: Resolution, Credit: []float64{1, 1}}}}
	p, err := NewPlan(c, []string{"urgent", "routine"}, periods)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), m, sim.Options{Seed: 3, Replications: 6, Collector: p.NewCollector})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Collected.(*Collector).Results()
	var tickets, breached int64
	for _, ts := range res.Summary.Tiers {
		tickets += ts.Resolution.Tickets
		breached += ts.Resolution.Tickets - ts.Resolution.Met
	}
	perPeriods := float64(len(periods)) * float64(r.Replications)
	if got := r.Cost.Mean.Mean() * perPeriods; math.Abs(got-float64(breached)) > 1e-6 || breached == 0 {
		t.Errorf("credits add up to %v, the summary has %d breaches", got, breached)
	}
	if got := r.Revenue.Mean() * perPeriods; math.Abs(got-float64(tickets)) > 1e-6 {
		t.Errorf("revenue adds up to %v, the summary has %d tickets", got, tickets)
	}
}
