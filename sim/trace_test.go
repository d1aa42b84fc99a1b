package sim

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// traceRows traces replications reps of m and returns copies of the
// records, with the summary Trace gives.
func traceRows(t *testing.T, m *Model, seed uint64, reps []int) ([]TraceRecord, *Summary) {
	t.Helper()
	var rows []TraceRecord
	s, err := Trace(context.Background(), m, seed, m.WarmUp, reps, func(batch []TraceRecord) error {
		for _, r := range batch {
			r.Clocks = slices.Clone(r.Clocks) // the batch's, reused
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows, s
}

// TestTraceAgreesWithRun: the trace of replications 2 to 5 of the front
// door's model (every part of the engine at work: patience, a limited line,
// aging, travel, paging, chats, automation, pending, escalation, hand-back,
// preemption) recomputes exactly what a run of those replications on two
// workers reports: per tier and clock the tickets, those within target and
// the attainment of each replication (their Tally, bit for bit); the
// abandoned and blocked counts and shares; the flow (arrived = resolved by
// automation + by people + abandoned + blocked + open at the horizon, with
// misclassified, aged and unresolved tickets); and the trace's own summary
// is the run's. Each ticket's time in the system is the sum of its times
// waiting, paged for, travelled to, worked on and pending. The flow's escalated and pending tickets are those drawn
// to, not those that got there, and deflected issues are no tickets: the
// trace does not give them.
func TestTraceAgreesWithRun(t *testing.T) {
	m := frontDoorModel(300 * time.Hour)
	const seed, first, n = 7, 2, 4
	res, err := Run(context.Background(), m, Options{Seed: seed, FirstReplication: first, Replications: n, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	rows, traced := traceRows(t, m, seed, []int{2, 3, 4, 5})
	w1 := m.WarmUp + m.Horizon

	// Per replication and tier: tickets and met of each clock.
	type counts struct{ resp, respMet, resol, resolMet, answered, abandoned, blocked int64 }
	per := map[[2]int]*counts{}
	want := NewSummary(m)
	ids := map[[2]int64]bool{}
	for i := range rows {
		r := &rows[i]
		if r.Replication < first || r.Replication >= first+n {
			t.Fatalf("row of replication %d", r.Replication)
		}
		if k := [2]int64{int64(r.Replication), r.Ticket}; ids[k] || r.Ticket < 1 {
			t.Fatalf("ticket %d of replication %d twice, or numbered below 1", r.Ticket, r.Replication)
		} else {
			ids[k] = true
		}
		if r.Arrival < m.WarmUp || r.End < r.Arrival || r.Start >= 0 && (r.Start < r.Arrival || r.Start > r.End) {
			t.Fatalf("row %+v: times out of order", *r)
		}
		checkTimeSpent(t, r)
		c := per[[2]int{r.Replication, r.Tier}]
		if c == nil {
			c = &counts{}
			per[[2]int{r.Replication, r.Tier}] = c
		}
		c.resp++
		if r.ResponseMet() {
			c.respMet++
		}
		if !r.Unanswered {
			c.answered++
		}
		if !r.Left() {
			c.resol++
			if r.Resolution <= r.ResolutionTarget {
				c.resolMet++
			}
		}
		st := &want.Tiers[r.Tier]
		f := &st.Flow
		f.Arrived++
		switch {
		case r.End >= w1:
			f.OpenAtHorizon++
		case r.Abandoned:
			f.Abandoned++
		case r.Blocked:
			f.Blocked++
		case r.Automated:
			f.ByAutomation++
		default:
			f.ByPeople++
		}
		if r.ArrivedAs != r.Tier {
			f.Misclassified++
		}
		if r.Aged {
			f.Aged++
		}
		if r.Unresolved {
			f.Unresolved++
		}
		if r.Abandoned {
			c.abandoned++
		}
		if r.Blocked {
			c.blocked++
		}
	}
	for rep := first; rep < first+n; rep++ {
		for tier := range m.Tiers {
			st := &want.Tiers[tier]
			c := per[[2]int{rep, tier}]
			if c == nil {
				// A replication without tickets of the tier is one of the
				// pooled shares' draws all the same.
				st.Response.Pooled.Add(0, 0)
				st.Resolution.Pooled.Add(0, 0)
				if st.Response.PooledAnswered != nil {
					st.Response.PooledAnswered.Add(0, 0)
				}
				for _, o := range []*Outcome{st.Abandoned, st.Blocked} {
					if o != nil {
						o.Pooled.Add(0, 0)
					}
				}
				continue
			}
			st.Response.Pooled.Add(float64(c.respMet), float64(c.resp))
			st.Resolution.Pooled.Add(float64(c.resolMet), float64(c.resol))
			st.Response.Tickets += c.resp
			st.Response.Met += c.respMet
			st.Resolution.Tickets += c.resol
			st.Resolution.Met += c.resolMet
			st.Response.Attainment.Add(float64(c.respMet) / float64(c.resp))
			if c.resol > 0 {
				st.Resolution.Attainment.Add(float64(c.resolMet) / float64(c.resol))
			}
			if st.Response.AnsweredAttainment != nil && c.answered > 0 {
				st.Response.AnsweredAttainment.Add(float64(c.respMet) / float64(c.answered))
			}
			if st.Response.PooledAnswered != nil {
				st.Response.PooledAnswered.Add(float64(c.respMet), float64(c.answered))
			}
			for _, o := range []struct {
				out *Outcome
				n   int64
			}{{st.Abandoned, c.abandoned}, {st.Blocked, c.blocked}} {
				if o.out != nil {
					o.out.Tickets += o.n
					o.out.Share.Add(float64(o.n) / float64(c.resp))
					o.out.Pooled.Add(float64(o.n), float64(c.resp))
				}
			}
		}
	}
	got := res.Summary
	var abandoned, blocked int64
	for i := range m.Tiers {
		g, w := &got.Tiers[i], &want.Tiers[i]
		for _, c := range []struct {
			name      string
			got, want *MetricStats
		}{{"response", &g.Response, &w.Response}, {"resolution", &g.Resolution, &w.Resolution}} {
			if c.got.Tickets != c.want.Tickets || c.got.Met != c.want.Met || c.got.Attainment != c.want.Attainment || c.got.Pooled != c.want.Pooled {
				t.Errorf("%s %s: run %d tickets, %d met, attainment %v; trace %d, %d, %v", g.Name, c.name,
					c.got.Tickets, c.got.Met, c.got.Attainment.Mean(), c.want.Tickets, c.want.Met, c.want.Attainment.Mean())
			}
			if (c.got.AnsweredAttainment == nil) != (c.want.AnsweredAttainment == nil) ||
				c.got.AnsweredAttainment != nil && *c.got.AnsweredAttainment != *c.want.AnsweredAttainment {
				t.Errorf("%s %s: answered attainment differs", g.Name, c.name)
			}
			if (c.got.PooledAnswered == nil) != (c.want.PooledAnswered == nil) ||
				c.got.PooledAnswered != nil && *c.got.PooledAnswered != *c.want.PooledAnswered {
				t.Errorf("%s %s: pooled answered attainment differs", g.Name, c.name)
			}
		}
		// Deflected issues never became tickets, and the flow counts the
		// escalations and pending waits drawn, not those reached.
		w.Flow.Deflected, w.Flow.Escalated, w.Flow.Pending = g.Flow.Deflected, g.Flow.Escalated, g.Flow.Pending
		if g.Flow != w.Flow {
			t.Errorf("%s: run's flow %+v, trace's %+v", g.Name, g.Flow, w.Flow)
		}
		f := g.Flow
		if f.Arrived != f.ByAutomation+f.ByPeople+f.Abandoned+f.Blocked+f.OpenAtHorizon {
			t.Errorf("%s: flow %+v does not conserve tickets", g.Name, f)
		}
		for _, o := range []struct {
			name      string
			got, want *Outcome
		}{{"abandoned", g.Abandoned, w.Abandoned}, {"blocked", g.Blocked, w.Blocked}} {
			if (o.got == nil) != (o.want == nil) || o.got != nil && *o.got != *o.want {
				t.Errorf("%s: %s %v in the run, %v in the trace", g.Name, o.name, o.got, o.want)
			}
		}
		if g.Abandoned != nil {
			abandoned += g.Abandoned.Tickets
		}
		if g.Blocked != nil {
			blocked += g.Blocked.Tickets
		}
	}
	if abandoned == 0 || blocked == 0 {
		t.Errorf("%d abandoned and %d blocked tickets: the test should see both", abandoned, blocked)
	}
	if !reflect.DeepEqual(traced.Tiers, got.Tiers) {
		t.Error("the trace's summary differs from the run's")
	}
}

// checkTimeSpent checks that, in a model without calendars, a ticket's
// time in the system is spent waiting, paged for, travelled to, worked on
// or pending.
func checkTimeSpent(t *testing.T, r *TraceRecord) {
	t.Helper()
	if spent := r.Waiting + r.Paging + r.Travel + r.Handling + r.Pending; !r.Unresolved && spent != r.End-r.Arrival ||
		r.Waiting < 0 || r.Paging < 0 || r.Travel < 0 || r.Handling < 0 {
		t.Fatalf("row %+v: %v spent in the system of %v", *r, spent, r.End-r.Arrival)
	}
}

// TestTraceClocks: over random journeys, the named clocks of the trace's
// rows (copies: rows are batched, the engine's slice reused) count the
// tickets and those within target each clock of the run's summary counts,
// and each ticket's time is spent as checkTimeSpent says.
func TestTraceClocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 1))
	for k := range 5 {
		m := randomJourneyModel(rng, 2)
		res, err := Run(context.Background(), m, Options{Seed: uint64(k), Replications: 2, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := traceRows(t, m, uint64(k), []int{0, 1})
		names := m.ClockNames()
		for ti, ts := range res.Summary.Tiers {
			timed, met := make([]int64, len(ts.Clocks)), make([]int64, len(ts.Clocks))
			for i := range rows {
				r := &rows[i]
				checkTimeSpent(t, r)
				if r.Tier != ti {
					continue
				}
				if len(r.Clocks) != len(names) {
					t.Fatalf("model %d: a row has %d clocks, the model %d", k, len(r.Clocks), len(names))
				}
				for c := range ts.Clocks {
					ct := r.Clocks[slices.Index(names, ts.Clocks[c].Name)]
					if ct.Timed {
						timed[c]++
					}
					if ct.Met() {
						met[c]++
					}
				}
			}
			for c, cs := range ts.Clocks {
				if cs.Tickets != timed[c] || cs.Met != met[c] || timed[c] == 0 {
					t.Errorf("model %d, tier %d, clock %q: %d tickets, %d met; the trace %d, %d", k, ti, cs.Name, cs.Tickets, cs.Met, timed[c], met[c])
				}
			}
		}
	}
}

// TestTraceStops: an error from emit stops the trace with it, and so does
// a cancelled context.
func TestTraceStops(t *testing.T) {
	m := frontDoorModel(2000 * time.Hour)
	full := errors.New("disk full")
	calls := 0
	_, err := Trace(context.Background(), m, 1, m.WarmUp, []int{0}, func([]TraceRecord) error {
		calls++
		return full
	})
	if !errors.Is(err, full) || calls != 1 {
		t.Errorf("Trace = %v after %d batches, want the emit's error after one", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Trace(ctx, m, 1, m.WarmUp, []int{0}, func([]TraceRecord) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Trace on a cancelled context = %v", err)
	}
	for _, reps := range [][]int{{-1}, {3, 3}} {
		if _, err := Trace(context.Background(), m, 1, m.WarmUp, reps, nil); err == nil {
			t.Errorf("Trace of replications %v: no error", reps)
		}
	}
}

// TestTraceTimes: in the reference model (one team, no paging, travel,
// pending or escalation), a ticket's response is its wait in line, people
// start on it when the wait ends, and its resolution ends when it leaves;
// an agent of the team's 24 (twice the head count) worked on it.
func TestTraceTimes(t *testing.T) {
	m := benchReferenceModel(500 * time.Hour)
	rows, _ := traceRows(t, m, 3, []int{0})
	if len(rows) < 4000 {
		t.Fatalf("%d rows", len(rows))
	}
	waited := 0
	for _, r := range rows {
		if r.Start-r.Arrival != r.Waiting || r.Response != r.Waiting || r.End-r.Arrival != r.Resolution ||
			r.Paging != 0 || r.Travel != 0 || r.Pending != 0 || r.Team != "agents" || r.Agent < 0 || r.Agent >= 24 ||
			r.ArrivedAs != r.Tier || r.ServedAs != r.Tier || r.Level != 0 || r.Left() || r.Automated {
			t.Fatalf("row %+v", r)
		}
		if r.Waiting > 0 {
			waited++
		}
	}
	if waited == 0 {
		t.Error("no ticket waited")
	}
}

// TestTraceUpdates: a model with recurring duties traces as it runs (the
// update tasks, tickets of the store that are no tickets, once indexed
// past the tracer's paths and crashed it): a row per measured ticket, the
// tickets and attainment of the run.
func TestTraceUpdates(t *testing.T) {
	m := benchReferenceModel(300 * time.Hour)
	for i := range m.Tiers {
		m.Tiers[i].Updates = Updates{Every: 30 * time.Minute, Target: 10 * time.Minute, Handling: Exponential{Mu: 3 * time.Minute}}
	}
	res, err := Run(context.Background(), m, Options{Seed: 5, Replications: 1})
	if err != nil {
		t.Fatal(err)
	}
	rows, traced := traceRows(t, m, 5, []int{0})
	var tickets, met int64
	for i := range rows {
		checkTimeSpent(t, &rows[i])
		tickets++
		if rows[i].ResponseMet() {
			met++
		}
	}
	var want, wantMet int64
	for i := range res.Summary.Tiers {
		s, tr := &res.Summary.Tiers[i].Response, &traced.Tiers[i].Response
		want += s.Tickets
		wantMet += s.Met
		if s.Attainment.Mean() != tr.Attainment.Mean() {
			t.Errorf("tier %d: attainment %v traced, %v run", i, tr.Attainment.Mean(), s.Attainment.Mean())
		}
	}
	if tickets != want || met != wantMet || tickets < 1000 {
		t.Errorf("%d rows, %d within the response target; the run: %d tickets, %d within", tickets, met, want, wantMet)
	}
}
