package sim_test

// Tests of the ticket lifecycle and of staffing in the engine (issue 4):
// shifts and on-call cover, shift-end policies, shrinkage, escalation,
// pending, misclassification, the automation channel, business-hours
// clocks and off-hours targets, daily overdispersion, bursts, conservation
// of tickets and reproducibility.
//
// Two kinds of test. Deterministic ones build scenarios whose outcome is
// known ticket by ticket (deterministic handling, enough agents that no one
// waits for another ticket, arrivals confined to one-minute windows of the
// week) and check every ticket through the histogram of clock times, the
// flow counts and the counts by hour of week: one misplaced ticket fails
// them. Statistical ones compare an estimate with its exact expectation to
// within zMax = 4 of the estimate's own standard error, as validation_test.go
// does: a binomial SE for shares of independent tickets, the SE of the mean
// over independent replications otherwise, and the exact sampling variance
// of the sample variance for the overdispersion test. Seeds are fixed.
//
// Time. Simulation time 0 is the start of the warm-up and the measured
// window starts WarmUp later at week time Model.WeekOffset (0 is Monday
// 00:00), so week time w falls on simulation times w − (WeekOffset −
// WarmUp) + k·Week. Steps and calendars are laid out in simulation time by
// laidOut; most models below use a warm-up that is not a whole number of
// weeks so that a slip in that offset shows.

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/queueing"
)

const day = 24 * time.Hour

var (
	monFri   = []int{0, 1, 2, 3, 4}
	everyDay = []int{0, 1, 2, 3, 4, 5, 6}
)

// span is a stretch of week time [from, to), 0 being Monday 00:00; to may
// pass the end of the week (Friday evening to Monday morning).
type span struct{ from, to time.Duration }

// wk is the week time of a weekday (0 Monday) and time of day.
func wk(weekday int, tod time.Duration) time.Duration { return time.Duration(weekday)*day + tod }

// daily is the span from..to (times of day; to may exceed 24 h) on each of
// the weekdays.
func daily(from, to time.Duration, weekdays ...int) []span {
	var s []span
	for _, d := range weekdays {
		s = append(s, span{wk(d, from), wk(d, to)})
	}
	return s
}

// inSpans reports whether week time w lies in one of the spans.
func inSpans(spans []span, w time.Duration) bool {
	w = mod(w, sim.Week)
	for _, s := range spans {
		if w >= s.from && w < s.to || w+sim.Week >= s.from && w+sim.Week < s.to {
			return true
		}
	}
	return false
}

func mod(a, b time.Duration) time.Duration { return (a%b + b) % b }

// phase is the week time of simulation time 0.
func phase(m *sim.Model) time.Duration { return mod(m.WeekOffset-m.WarmUp, sim.Week) }

// simEnd is past any time a replication of m can reach.
func simEnd(m *sim.Model) time.Duration {
	drain := m.Drain
	if drain == 0 {
		drain = sim.DefaultDrain
	}
	return m.WarmUp + m.Horizon + drain + sim.Week
}

// laidOut lays the weekly spans out in simulation time from 0 to simEnd(m):
// sorted intervals, touching or overlapping ones merged.
func laidOut(m *sim.Model, spans []span) (open, close []time.Duration) {
	ph, end := phase(m), simEnd(m)
	type iv struct{ a, b time.Duration }
	var ivs []iv
	for k := time.Duration(-1); k*sim.Week-ph <= end; k++ {
		for _, s := range spans {
			a, b := max(s.from-ph+k*sim.Week, 0), min(s.to-ph+k*sim.Week, end)
			if a < b {
				ivs = append(ivs, iv{a, b})
			}
		}
	}
	slices.SortFunc(ivs, func(x, y iv) int { return int(x.a - y.a) })
	for _, v := range ivs {
		if n := len(close); n > 0 && v.a <= close[n-1] {
			close[n-1] = max(close[n-1], v.b)
			continue
		}
		open, close = append(open, v.a), append(close, v.b)
	}
	return open, close
}

// staffed is n agents during the spans, none otherwise, in simulation time.
func staffed(m *sim.Model, n int, spans []span) sim.Steps {
	open, close := laidOut(m, spans)
	var s sim.Steps
	for i := range open {
		if k := len(s.At); k > 0 && s.At[k-1] == open[i] {
			s.Value[k-1] = n // cannot happen after merging; kept for safety
		} else {
			s.At, s.Value = append(s.At, open[i]), append(s.Value, n)
		}
		s.At, s.Value = append(s.At, close[i]), append(s.Value, 0)
	}
	return s
}

// calendar is the business calendar open during the spans.
func calendar(t *testing.T, m *sim.Model, spans []span) *sim.Calendar {
	t.Helper()
	c, err := sim.NewCalendar(laidOut(m, spans))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// windows is a Poisson arrival profile at perHour inside the weekly spans
// (whole minutes) and 0 outside.
func windows(perHour float64, spans ...span) sim.ArrivalProfile {
	rates := make([]float64, sim.Week/time.Minute)
	for _, s := range spans {
		for w := s.from; w < s.to; w += time.Minute {
			rates[mod(w, sim.Week)/time.Minute] = perHour
		}
	}
	return sim.ArrivalProfile{Interval: time.Minute, Rates: rates}
}

// minuteAt is a one-minute window starting at week time w.
func minuteAt(w time.Duration) span { return span{w, w + time.Minute} }

func det(d time.Duration) sim.Distribution { return sim.Deterministic{Value: d} }

// The histogram of clock times keeps values below 256 ns exactly and
// splits each larger power of two into 128 buckets (HistogramRelativeError
// = 1/256). bucketStart and bucketEnd are the smallest and largest value of
// d's bucket.
func bucketStart(d time.Duration) time.Duration {
	u := uint64(d)
	if u < 256 {
		return d
	}
	shift := bits.Len64(u) - 8
	return time.Duration(u >> shift << shift)
}

func bucketEnd(d time.Duration) time.Duration {
	u := uint64(d)
	if u < 256 {
		return d
	}
	shift := bits.Len64(u) - 8
	return time.Duration((u>>shift+1)<<shift - 1)
}

// countIn is the number of clock times in the buckets from lo's to hi's:
// the values in [lo, hi], give or take a bucket (under 0.8%) at each end.
// It is exact: Histogram.AtMost is exact just below a bucket boundary.
func countIn(h *sim.Histogram, lo, hi time.Duration) int64 {
	if h.Count() == 0 {
		return 0
	}
	below := 0.0
	if s := bucketStart(lo); s > 0 {
		below = h.AtMost(s - 1)
	}
	return int64(math.Round((h.AtMost(bucketEnd(hi)) - below) * float64(h.Count())))
}

// checkAllIn fails unless every one of the metric's clock times (and at
// least one) lies in [lo, hi], to the histogram's resolution.
func checkAllIn(t *testing.T, what string, ms *sim.MetricStats, lo, hi time.Duration) {
	t.Helper()
	n, in := ms.Tickets, countIn(&ms.Times, lo, hi)
	t.Logf("%-40s %6d tickets, %6d in [%v, %v]", what, n, in, lo, hi)
	if n == 0 || in != n {
		t.Errorf("%s: %d of %d clock times in [%v, %v]; quantiles 0, 0.5, 1: %v, %v, %v",
			what, in, n, lo, hi, ms.Times.Quantile(0), ms.Times.Quantile(0.5), ms.Times.Quantile(1))
	}
}

// compareShare checks a share of independent trials against p to within
// zMax binomial standard errors.
func compareShare(t *testing.T, what string, k, n int64, p float64) {
	t.Helper()
	if n == 0 {
		t.Errorf("%s: no trials", what)
		return
	}
	got := float64(k) / float64(n)
	s := math.Sqrt(p * (1 - p) / float64(n))
	z := (got - p) / s
	t.Logf("%-44s %11.6f ± %.6f (binomial SE, n=%d)  exact %11.6f  z=%+.2f", what, got, s, n, p, z)
	if !(math.Abs(got-p) <= zMax*s) {
		t.Errorf("%s: share %.6f (%d of %d), exact %.6f: %.1f standard errors apart, more than %d", what, got, k, n, p, math.Abs(z), zMax)
	}
}

// hourSpan is hour h of the week as a span.
func hourSpan(h int) span { return span{time.Duration(h) * time.Hour, time.Duration(h+1) * time.Hour} }

// within reports whether all of [from, to) lies in the spans (checked at
// minute steps, enough for the whole-minute spans used here).
func within(spans []span, s span) bool {
	for w := s.from; w < s.to; w += time.Minute {
		if !inSpans(spans, w) {
			return false
		}
	}
	return true
}

// outside reports whether none of [from, to) lies in the spans.
func outside(spans []span, s span) bool {
	for w := s.from; w < s.to; w += time.Minute {
		if inSpans(spans, w) {
			return false
		}
	}
	return true
}

// untilOpen is the time from week time w to the next instant in the spans.
func untilOpen(spans []span, w time.Duration) time.Duration {
	for d := time.Duration(0); d <= sim.Week; d += time.Minute {
		if inSpans(spans, w+d) {
			return d
		}
	}
	return sim.Week
}

func sumHours(h *sim.HourOfWeek, pick func(int) bool) int64 {
	var s int64
	for i, v := range h {
		if pick(i) {
			s += v
		}
	}
	return s
}

// ticketLog is a Collector keeping every ticket record of the replications
// it saw, for checks ticket by ticket. Its order depends on the workers.
type ticketLog struct{ all, cur []sim.TicketRecord }

func (c *ticketLog) Begin(uint64, int)          { c.cur = c.cur[:0] }
func (c *ticketLog) Ticket(r *sim.TicketRecord) { c.cur = append(c.cur, *r) }
func (c *ticketLog) End()                       { c.all, c.cur = append(c.all, c.cur...), c.cur[:0] }
func (c *ticketLog) Merge(o sim.Collector) error {
	c.all = append(c.all, o.(*ticketLog).all...)
	return nil
}

// runLog is run that also returns every measured ticket's record.
func runLog(t *testing.T, m *sim.Model, o sim.Options) (*sim.Summary, []sim.TicketRecord) {
	t.Helper()
	o.Collector = func() sim.Collector { return &ticketLog{} }
	res, err := sim.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unstable != nil || res.Partial {
		t.Fatalf("unexpected result: unstable %v, partial %v", res.Unstable, res.Partial)
	}
	log := res.Collected.(*ticketLog).all
	var n int64
	for _, ts := range res.Summary.Tiers {
		n += ts.Resolution.Tickets
	}
	if int64(len(log)) != n {
		t.Errorf("collector saw %d tickets, the summary %d", len(log), n)
	}
	return res.Summary, log
}

// TestShiftCoverage: a team on site only Monday to Friday 09:00–17:00
// starts no work outside its shift. Deterministic: tickets arriving in
// one-minute windows at night, at the weekend, just before and inside the
// shift get their response exactly when the shift opens (or at once), and
// a ticket in hand at 17:00 under the hand-back policy resumes the next
// morning. By hour of week, under random load and both shift-end policies:
// available and busy agent time are zero outside the shift (hand back) or
// equal (finish: only agents finishing a ticket are there), available time
// is the head count inside it, and no ticket arriving an hour or more
// before the shift opens meets a one-hour response target.
func TestShiftCoverage(t *testing.T) {
	t.Parallel()
	shift := daily(9*time.Hour, 17*time.Hour, monFri...)
	t.Run("windows", func(t *testing.T) {
		t.Parallel()
		const work = 10 * time.Minute
		m := &sim.Model{WarmUp: 59 * time.Hour, Horizon: 6 * sim.Week}
		m.Teams = []sim.Team{{Name: "day", OnSite: staffed(m, 30, shift), HandBack: true}}
		cases := []struct {
			name         string
			arrive       time.Duration // start of the one-minute window
			resp, resol  [2]time.Duration
			respExpected string
		}{
			{"Tue 02:00", wk(1, 2*time.Hour), [2]time.Duration{7*time.Hour - time.Minute, 7 * time.Hour}, [2]time.Duration{}, "Tue 09:00"},
			{"Fri 17:30", wk(4, 17*time.Hour+30*time.Minute), [2]time.Duration{63*time.Hour + 29*time.Minute, 63*time.Hour + 30*time.Minute}, [2]time.Duration{}, "Mon 09:00"},
			{"Sat 12:00", wk(5, 12*time.Hour), [2]time.Duration{45*time.Hour - time.Minute, 45 * time.Hour}, [2]time.Duration{}, "Mon 09:00"},
			{"Mon 08:59", wk(0, 8*time.Hour+59*time.Minute), [2]time.Duration{0, time.Minute}, [2]time.Duration{}, "Mon 09:00"},
			{"Wed 12:00", wk(2, 12*time.Hour), [2]time.Duration{0, 0}, [2]time.Duration{}, "at once"},
			// 5 minutes of work before 17:00, handed back, 5 more from
			// Friday 09:00: resolved 16 h 10 min after arrival, exactly.
			{"Thu 16:55", wk(3, 16*time.Hour+55*time.Minute), [2]time.Duration{0, 0}, [2]time.Duration{16*time.Hour + 10*time.Minute, 16*time.Hour + 10*time.Minute}, "at once, resumed Fri 09:00"},
		}
		for _, c := range cases {
			m.Tiers = append(m.Tiers, sim.Tier{Name: c.name, Arrivals: windows(120, minuteAt(c.arrive)), Handling: det(work),
				Response: time.Hour, Resolution: 4 * time.Hour})
		}
		s := run(t, m, sim.Options{Seed: 1, Replications: 4})
		for k, c := range cases {
			checkAllIn(t, c.name+" response ("+c.respExpected+")", &s.Tiers[k].Response, c.resp[0], c.resp[1])
			resol := c.resol
			if resol == [2]time.Duration{} {
				resol = [2]time.Duration{c.resp[0] + work, c.resp[1] + work}
			}
			checkAllIn(t, c.name+" resolution", &s.Tiers[k].Resolution, resol[0], resol[1])
		}
	})
	for _, handBack := range []bool{true, false} {
		t.Run(fmt.Sprintf("hand-back=%v", handBack), func(t *testing.T) {
			t.Parallel()
			const agents = 4
			m := &sim.Model{WarmUp: 59 * time.Hour, Horizon: 4 * sim.Week,
				Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(1), Handling: sim.Exponential{Mu: 30 * time.Minute},
					Response: time.Hour, Resolution: 8 * time.Hour}}}
			m.Teams = []sim.Team{{Name: "day", OnSite: staffed(m, agents, shift), HandBack: handBack}}
			s := run(t, m, sim.Options{Seed: 2, Replications: 6})
			team, resp := &s.Teams[0], &s.Tiers[0].Response
			var offShift, nightTickets int64
			for h := range sim.HoursPerWeek {
				hs := hourSpan(h)
				in := within(shift, hs)
				avail, busy, window := team.AvailableMs[h], team.BusyMs[h], s.WindowMs[h]
				switch {
				case in && avail != agents*window:
					t.Errorf("hour %d (in shift): available %d agent-ms, want %d agents × %d ms", h, avail, agents, window)
				case !in && handBack && (avail != 0 || busy != 0):
					t.Errorf("hour %d (outside shift, hand back): available %d, busy %d agent-ms, want 0", h, avail, busy)
				case !in && !handBack && avail != busy:
					t.Errorf("hour %d (outside shift, finish): available %d agent-ms but busy %d: an agent there without work", h, avail, busy)
				}
				if in && busy == 0 {
					t.Errorf("hour %d (in shift): no work done", h)
				}
				if !in {
					offShift += avail
				}
				// Arrivals in this hour wait at least until the shift opens.
				if outside(shift, hs) && untilOpen(shift, hs.to) >= time.Hour {
					nightTickets += resp.ByHour.Tickets[h]
					if resp.ByHour.Met[h] != 0 {
						t.Errorf("hour %d: %d of %d tickets met a 1 h response target, but the shift opens %v after the hour ends",
							h, resp.ByHour.Met[h], resp.ByHour.Tickets[h], untilOpen(shift, hs.to))
					}
				}
			}
			t.Logf("agent-hours present outside the shift %.1f; overtime %.1f h per replication; %d tickets from hours ≥ 1 h before opening, none met",
				float64(offShift)/3.6e6, team.OvertimeHours.Mean(), nightTickets)
			if nightTickets == 0 {
				t.Error("no tickets arrived in the hours checked")
			}
			if !handBack && offShift == 0 {
				t.Error("finish policy: no agent ever finished a ticket after 17:00")
			}
		})
	}
}

// TestOnCallDelay: a day team on site Monday to Friday 09:00–17:00 and a
// night team on call the rest of the week, paged with a 45-minute call-out
// delay. With deterministic work and many agents, every ticket arriving by
// day is answered at once and every one arriving at night exactly 45
// minutes later: two tiers with the same traffic and response targets of
// 45 minutes and 45 minutes less a nanosecond separate them hour by hour.
func TestOnCallDelay(t *testing.T) {
	t.Parallel()
	const delay = 45 * time.Minute
	dayShift := daily(9*time.Hour, 17*time.Hour, monFri...)
	night := append(daily(17*time.Hour, 33*time.Hour, 0, 1, 2, 3), span{wk(4, 17*time.Hour), sim.Week + 9*time.Hour})
	m := &sim.Model{WarmUp: 3*day + 5*time.Hour, Horizon: 4 * sim.Week}
	m.Teams = []sim.Team{
		{Name: "day", OnSite: staffed(m, 20, dayShift)},
		{Name: "night", OnCall: staffed(m, 20, night), OnCallDelay: sim.Deterministic{Value: delay}},
	}
	for _, target := range []time.Duration{delay, delay - 1} {
		m.Tiers = append(m.Tiers, sim.Tier{Name: fmt.Sprint("target ", target), Arrivals: sim.ConstantRate(0.5),
			Handling: det(30 * time.Minute), Response: target, Resolution: 4 * time.Hour})
	}
	s := run(t, m, sim.Options{Seed: 3, Replications: 8})
	var nightN int64
	for k := range m.Tiers {
		ms := &s.Tiers[k].Response
		zero, delayed := countIn(&ms.Times, 0, 0), countIn(&ms.Times, delay, delay)
		if zero+delayed != ms.Tickets {
			t.Errorf("tier %d: %d responses at once and %d after the delay, of %d tickets", k, zero, delayed, ms.Tickets)
		}
		var byNight int64
		for h := range sim.HoursPerWeek {
			n, met := ms.ByHour.Tickets[h], ms.ByHour.Met[h]
			isNight := within(night, hourSpan(h))
			if isNight {
				byNight += n
			}
			if want := n; k == 1 && isNight {
				want = 0
				if met != want {
					t.Errorf("tier %d, hour %d (night): %d of %d tickets answered within %v", k, h, met, n, m.Tiers[k].Response)
				}
			} else if met != want {
				t.Errorf("tier %d, hour %d: %d of %d tickets answered within %v", k, h, met, n, m.Tiers[k].Response)
			}
		}
		if byNight != delayed {
			t.Errorf("tier %d: %d tickets arrived at night, %d were answered after the delay", k, byNight, delayed)
		}
		nightN += byNight
		t.Logf("tier %d: %d tickets, %d answered at once, %d after exactly %v", k, ms.Tickets, zero, delayed, delay)
	}
	if nightN == 0 {
		t.Error("no night tickets")
	}
	if s.Teams[1].BusyMs == (sim.HourOfWeek{}) {
		t.Error("the on-call team never worked")
	}
}

// TestOnCallHandBack: a ticket arriving Tuesday 08:50 pages the night's
// on-call agent, due at 09:35; at 09:00 the on-call period ends. Finishing,
// the agent comes and works: answered after 45 minutes, resolved 30 minutes
// later. Handing back, the ticket goes to the day team at 09:00: it is
// answered then, 10 minutes after it arrived (the paged agent never
// started), and resolved at 09:30.
func TestOnCallHandBack(t *testing.T) {
	t.Parallel()
	const work = 30 * time.Minute
	dayShift := daily(9*time.Hour, 17*time.Hour, monFri...)
	night := append(daily(17*time.Hour, 33*time.Hour, 0, 1, 2, 3), span{wk(4, 17*time.Hour), sim.Week + 9*time.Hour})
	for _, handBack := range []bool{false, true} {
		t.Run(fmt.Sprintf("hand-back=%v", handBack), func(t *testing.T) {
			t.Parallel()
			m := &sim.Model{WarmUp: sim.Week + 5*time.Hour, Horizon: 6 * sim.Week,
				Tiers: []sim.Tier{{Name: "all", Arrivals: windows(120, minuteAt(wk(1, 8*time.Hour+50*time.Minute))), Handling: det(work),
					Response: time.Hour, Resolution: 2 * time.Hour}}}
			m.Teams = []sim.Team{
				{Name: "day", OnSite: staffed(m, 20, dayShift)},
				{Name: "night", OnCall: staffed(m, 20, night), OnCallDelay: sim.Deterministic{Value: 45 * time.Minute}, HandBack: handBack},
			}
			s := run(t, m, sim.Options{Seed: 24, Replications: 4})
			ts := &s.Tiers[0]
			resp, resol := [2]time.Duration{45 * time.Minute, 45 * time.Minute}, [2]time.Duration{75 * time.Minute, 75 * time.Minute}
			if handBack {
				resp, resol = [2]time.Duration{9 * time.Minute, 10 * time.Minute}, [2]time.Duration{39 * time.Minute, 40 * time.Minute}
			}
			n := ts.Response.Tickets
			if handBack && countIn(&ts.Response.Times, 45*time.Minute, 45*time.Minute) == n && n > 0 {
				checkAllIn(t, "resolution", &ts.Resolution, resol[0], resol[1])
				t.Errorf("a paged agent's response is recorded when paged, for the instant it will arrive (engine.go start: respond(t, now+delay)); when the on-call period ends first under hand-back, the ticket is handed back before that instant and answered by someone else, but the response stays at the call-out delay: %d tickets answered after 45 min, resolved after 40", n)
				return
			}
			checkAllIn(t, "response", &ts.Response, resp[0], resp[1])
			checkAllIn(t, "resolution", &ts.Resolution, resol[0], resol[1])
		})
	}
}

// TestShiftEndPolicies: one week from Monday 00:00, tickets arriving Monday
// and Tuesday (0.5 an hour) with 3 hours of work each, four agents on
// site Monday to Friday 09:00–17:00; everything is resolved by Friday, so
// the week holds all the work. Under both policies the agents' busy time is
// exactly the work brought (3 h a ticket, to the millisecond the hour-of-week
// integrals keep). Finishing: the hours outside the shift hold only agents
// finishing a ticket, busy all the while, and the overtime recorded equals
// that busy time; no ticket is interrupted, so every resolution is its
// response plus 3 hours. Handing back: no agent is there outside the shift,
// no overtime, and tickets handed back at 17:00 resume the next morning, so
// resolutions come later than response plus 3 hours.
func TestShiftEndPolicies(t *testing.T) {
	t.Parallel()
	const (
		work   = 3 * time.Hour
		agents = 4
		reps   = 40
	)
	shift := daily(9*time.Hour, 17*time.Hour, monFri...)
	for _, handBack := range []bool{false, true} {
		t.Run(fmt.Sprintf("hand-back=%v", handBack), func(t *testing.T) {
			t.Parallel()
			m := &sim.Model{Horizon: sim.Week, Tiers: []sim.Tier{{Name: "all", Arrivals: windows(0.5, span{0, 2 * day}),
				Handling: det(work), Response: time.Hour, Resolution: 8 * time.Hour}}}
			m.Teams = []sim.Team{{Name: "day", OnSite: staffed(m, agents, shift), HandBack: handBack}}
			s, log := runLog(t, m, sim.Options{Seed: 4, Replications: reps})
			team, flow := &s.Teams[0], &s.Tiers[0].Flow
			if flow.OpenAtHorizon != 0 || flow.ByPeople != flow.Arrived {
				t.Fatalf("scenario: %d of %d tickets still open at the end of the week; the checks below need none", flow.OpenAtHorizon, flow.Arrived)
			}
			// Each replication truncates each hour's integral to the
			// millisecond: at most reps × 168 ms lost per sum.
			const slackMs = reps * sim.HoursPerWeek
			busy := sumHours(&team.BusyMs, func(int) bool { return true })
			wantMs := flow.Arrived * work.Milliseconds()
			t.Logf("%d tickets, %d agent-ms of work, %d busy", flow.Arrived, wantMs, busy)
			if busy > wantMs || busy < wantMs-slackMs {
				t.Errorf("busy %d agent-ms for %d tickets of %v: %+d ms, work not conserved", busy, flow.Arrived, work, busy-wantMs)
			}
			off := func(h int) bool { return outside(shift, hourSpan(h)) }
			busyOff, availOff := sumHours(&team.BusyMs, off), sumHours(&team.AvailableMs, off)
			overtimeMs := team.OvertimeHours.Mean() * float64(team.OvertimeHours.N) * 3.6e6
			extra := s.Tiers[0].Resolution.MeanHours.Mean() - s.Tiers[0].Response.MeanHours.Mean() - work.Hours()
			t.Logf("outside the shift: busy %.2f, present %.2f agent-hours; overtime %.2f h in all (max %.2f h in a replication); mean resolution − response − work = %.4f h",
				float64(busyOff)/3.6e6, float64(availOff)/3.6e6, overtimeMs/3.6e6, team.OvertimeHours.Max, extra)
			if !handBack {
				if busyOff != availOff {
					t.Errorf("outside the shift %d agent-ms present but %d busy", availOff, busyOff)
				}
				if overtimeMs <= 0 || math.Abs(overtimeMs-float64(busyOff)) > slackMs {
					t.Errorf("overtime %.0f ms, busy time outside the shift %d ms: they should be the same, and > 0", overtimeMs, busyOff)
				}
				// Overtime by hour: all the time present outside the shift,
				// none inside, the overtime hours in all.
				if o := sumHours(&team.OvertimeMs, off); o != availOff {
					t.Errorf("overtime by hour outside the shift %d agent-ms, present %d", o, availOff)
				}
				if o := sumHours(&team.OvertimeMs, func(h int) bool { return !off(h) }); o != 0 {
					t.Errorf("overtime by hour within the shift %d agent-ms, want 0", o)
				}
				if o := sumHours(&team.OvertimeMs, func(int) bool { return true }); math.Abs(overtimeMs-float64(o)) > slackMs {
					t.Errorf("overtime by hour %d agent-ms in all, overtime %.0f ms", o, overtimeMs)
				}
				for _, r := range log {
					if r.Resolution-r.Response != work {
						t.Errorf("ticket arriving at %v: response %v, resolution %v: interrupted", r.Arrival, r.Response, r.Resolution)
						break
					}
				}
			} else {
				if availOff != 0 || busyOff != 0 || team.OvertimeHours.Max != 0 || sumHours(&team.OvertimeMs, func(int) bool { return true }) != 0 {
					t.Errorf("hand back: %d agent-ms present and %d busy outside the shift, overtime up to %v h, want none", availOff, busyOff, team.OvertimeHours.Max)
				}
				// A ticket handed back at 17:00 goes to the front of the
				// queue and resumes when the shift opens, 16 hours later.
				var resumed int
				for _, r := range log {
					switch r.Resolution - r.Response {
					case work:
					case work + 16*time.Hour:
						resumed++
					default:
						t.Errorf("ticket arriving at %v: response %v, resolution %v: want the work or the work and a night", r.Arrival, r.Response, r.Resolution)
					}
				}
				t.Logf("%d tickets handed back and resumed at 09:00", resumed)
				if resumed == 0 {
					t.Error("no ticket handed back and resumed later")
				}
			}
		})
	}
}

// TestShrinkage: each half hour each scheduled agent is away with the
// shrinkage probability, so the agent time available is a binomial share
// 1 − s of the scheduled time (ten agents around the clock, s = 0.25, the
// hand-back policy so that no one finishing a ticket is counted present),
// and Model.Capacity says the same. An agent going away finishes the
// ticket in hand first (Team.Shrinkage): with a round-the-clock schedule
// no shift ever ends, so there is no overtime and no ticket is interrupted,
// whatever the shift-end policy.
func TestShrinkage(t *testing.T) {
	t.Parallel()
	const (
		agents    = 10
		shrinkage = 0.25
		reps      = 10
	)
	newModel := func(handBack bool, perHour float64) *sim.Model {
		m := &sim.Model{WarmUp: sim.Week + 5*time.Hour, Horizon: 2 * sim.Week,
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(perHour), Handling: det(40 * time.Minute),
				Response: time.Hour, Resolution: 8 * time.Hour}}}
		m.Teams = []sim.Team{{Name: "all", OnSite: staffed(m, agents, daily(0, day, everyDay...)), Shrinkage: shrinkage, HandBack: handBack}}
		return m
	}
	t.Run("available", func(t *testing.T) {
		t.Parallel()
		m := newModel(true, 0.1)
		if c := m.Capacity(); math.Abs(c-agents*(1-shrinkage)) > 1e-9 {
			t.Errorf("Capacity %v, want %v", c, agents*(1-shrinkage))
		}
		s := run(t, m, sim.Options{Seed: 5, Replications: reps})
		avail := sumHours(&s.Teams[0].AvailableMs, func(int) bool { return true })
		window := sumHours(&s.WindowMs, func(int) bool { return true })
		// One Bernoulli trial per agent per half hour of the window.
		slots := agents * window / (30 * time.Minute).Milliseconds()
		compareShare(t, "share of agent time available", avail/(30*time.Minute).Milliseconds(), slots, 1-shrinkage)
	})
	for _, handBack := range []bool{false, true} {
		t.Run(fmt.Sprintf("no shift end, hand-back=%v", handBack), func(t *testing.T) {
			t.Parallel()
			const work = 40 * time.Minute
			s, log := runLog(t, newModel(handBack, 3), sim.Options{Seed: 6, Replications: reps})
			var interrupted int
			for _, r := range log {
				if r.Resolution-r.Response != work {
					interrupted++
				}
			}
			ot := &s.Teams[0].OvertimeHours
			t.Logf("overtime %.2f h per replication (max %.2f); %d of %d tickets interrupted", ot.Mean(), ot.Max, interrupted, len(log))
			switch {
			case !handBack && ot.Max != 0:
				t.Errorf("shrinkage taken as a shift end (engine.go roster/adjust/release): agents going away under shrinkage record overtime with no shift ending: %.2f h per replication", ot.Mean())
			case handBack && interrupted != 0:
				t.Errorf("shrinkage taken as a shift end (engine.go roster/adjust): under hand-back, agents going away under shrinkage hand their ticket back instead of finishing it: %d of %d tickets interrupted", interrupted, len(log))
			case ot.Max != 0 || interrupted != 0:
				t.Errorf("overtime up to %.2f h, %d tickets interrupted; want none", ot.Max, interrupted)
			}
		})
	}
}

// richModel uses every feature of the engine at once: three tiers with
// escalation, pending, misclassification, deflection, automation, a
// business-hours clock and off-hours targets, preemption; teams by level
// with shifts, shrinkage, on-call cover and both shift-end policies; daily
// overdispersion and bursts.
func richModel(t *testing.T, horizon time.Duration) *sim.Model {
	m := &sim.Model{WarmUp: sim.Week + 7*time.Hour, Horizon: horizon, DailyCV: 0.2,
		Automation: sim.Automation{Capacity: 3, CountsAsResponse: true},
		Bursts:     []sim.Burst{{Tier: 1, PerWeek: 2, MeanSize: 4, Spread: 30 * time.Minute}}}
	biz := calendar(t, m, daily(9*time.Hour, 18*time.Hour, monFri...))
	m.Tiers = []sim.Tier{
		{Name: "urgent", Arrivals: weeklyProfile(0.3), Handling: sim.Exponential{Mu: time.Hour},
			Escalation:    []sim.Escalation{{Probability: 0.3, Handling: sim.Exponential{Mu: time.Hour}}, {Probability: 0.3, Handling: sim.Exponential{Mu: 2 * time.Hour}}},
			Misclassified: 0.05, Preempts: true, Response: 15 * time.Minute, Resolution: 4 * time.Hour,
			OffHours: sim.OffHours{Calendar: biz, Response: time.Hour, Resolution: 8 * time.Hour}},
		{Name: "high", Arrivals: weeklyProfile(0.8), Handling: sim.NewLogNormal(time.Hour, 1.2),
			Escalation:    []sim.Escalation{{Probability: 0.2, Handling: sim.Exponential{Mu: time.Hour}}},
			Pending:       sim.Pending{Probability: 0.2, Wait: sim.Exponential{Mu: 4 * time.Hour}, FollowUp: det(20 * time.Minute)},
			Misclassified: 0.05, Deflected: 0.1, Response: 30 * time.Minute, Resolution: 8 * time.Hour},
		{Name: "routine", Arrivals: weeklyProfile(3), Handling: sim.Exponential{Mu: 30 * time.Minute},
			Automation:    sim.TierAutomation{Eligible: 0.6, Success: 0.7, Processing: sim.Exponential{Mu: 10 * time.Minute}},
			Pending:       sim.Pending{Probability: 0.1, Wait: sim.Exponential{Mu: 8 * time.Hour}, FollowUp: det(10 * time.Minute)},
			Misclassified: 0.02, Deflected: 0.2, Response: time.Hour, Resolution: 24 * time.Hour,
			ResponseCalendar: biz, ResolutionCalendar: biz},
	}
	offDay := append(daily(17*time.Hour, 33*time.Hour, 0, 1, 2, 3), span{wk(4, 17*time.Hour), sim.Week + 9*time.Hour})
	m.Teams = []sim.Team{
		{Name: "L1 day", Levels: []int{0}, OnSite: staffed(m, 5, daily(8*time.Hour, 20*time.Hour, monFri...)), Shrinkage: 0.15},
		{Name: "duty rota", Tiers: []int{0, 1}, OnSite: staffed(m, 2, daily(0, day, everyDay...))},
		{Name: "experts", Levels: []int{1, 2}, OnSite: staffed(m, 2, daily(9*time.Hour, 17*time.Hour, monFri...)),
			OnCall: staffed(m, 1, offDay), OnCallDelay: sim.Deterministic{Value: 30 * time.Minute}, HandBack: true},
	}
	return m
}

// TestConservation: in a scenario with every feature, per tier and pooled
// over replications, tickets in = resolved by automation + resolved by
// people + still open at the horizon; every measured ticket gets exactly
// one response and one resolution record (summary counts, hour-of-week
// counts, the collector's records, no ticket twice); and each path was
// taken, so that the identities are not trivially true.
func TestConservation(t *testing.T) {
	t.Parallel()
	m := richModel(t, 2*sim.Week)
	s, log := runLog(t, m, sim.Options{Seed: 8, Replications: 8, Workers: 1})
	var total sim.Flow
	for k, ts := range s.Tiers {
		f := ts.Flow
		t.Logf("%-8s %+v", ts.Name, f)
		if f.Arrived != f.ByAutomation+f.ByPeople+f.OpenAtHorizon {
			t.Errorf("%s: %d arrived, but %d resolved by automation + %d by people + %d open at the horizon = %d",
				ts.Name, f.Arrived, f.ByAutomation, f.ByPeople, f.OpenAtHorizon, f.ByAutomation+f.ByPeople+f.OpenAtHorizon)
		}
		byHour := func(h *sim.HourOfWeek) int64 { return sumHours(h, func(int) bool { return true }) }
		counts := []int64{ts.Resolution.Tickets, ts.Response.Tickets, int64(math.Round(ts.Tickets.Mean() * float64(ts.Tickets.N))),
			byHour(&ts.Resolution.ByHour.Tickets), byHour(&ts.Response.ByHour.Tickets),
			int64(ts.Resolution.Times.Count()), int64(ts.Response.Times.Count())}
		for i, c := range counts {
			if c != f.Arrived {
				t.Errorf("%s: %d tickets arrived, count %d of the clocks' records is %d", ts.Name, f.Arrived, i, c)
			}
		}
		var logged int64
		for _, r := range log {
			if r.Tier == k {
				logged++
			}
		}
		if logged != f.Arrived {
			t.Errorf("%s: %d tickets arrived, the collector saw %d", ts.Name, f.Arrived, logged)
		}
		total.Arrived += f.Arrived
		total.ByAutomation += f.ByAutomation
		total.ByPeople += f.ByPeople
		total.OpenAtHorizon += f.OpenAtHorizon
		total.Deflected += f.Deflected
		total.Escalated += f.Escalated
		total.Pending += f.Pending
		total.Misclassified += f.Misclassified
		total.Unresolved += f.Unresolved
	}
	// No ticket twice: its tier and arrival instant, to the nanosecond,
	// identify a ticket (two tickets sharing both, even in different
	// replications, would be a coincidence of continuous draws).
	seen := map[[2]int64]bool{}
	for _, r := range log {
		key := [2]int64{int64(r.Tier), int64(r.Arrival)}
		if seen[key] {
			t.Errorf("tier %d ticket arriving at %v recorded twice", r.Tier, r.Arrival)
		}
		seen[key] = true
	}
	for _, c := range []struct {
		what string
		n    int64
	}{{"resolved by automation", total.ByAutomation}, {"resolved by people", total.ByPeople}, {"open at the horizon", total.OpenAtHorizon},
		{"deflected", total.Deflected}, {"escalated", total.Escalated}, {"pending", total.Pending}, {"misclassified", total.Misclassified}} {
		if c.n == 0 {
			t.Errorf("no ticket %s: the scenario does not exercise that path", c.what)
		}
	}
	if total.Unresolved != 0 {
		t.Errorf("%d tickets unresolved when the drain ended", total.Unresolved)
	}
}

// TestEscalation: with ample agents and deterministic work per level (30
// min, 1 h, 2 h; L1→L2 with probability 0.3, L2→L3 0.4) every resolution
// is one of three values, the share escalated is binomial around 0.3, the
// escalated tickets are exactly those resolved after L2 or L3 work, and
// the mean resolution time is the levels' work weighted by the chance of
// reaching them. With teams by level under load, each team does exactly
// its levels' share of the work (utilisation against offered load).
func TestEscalation(t *testing.T) {
	t.Parallel()
	t.Run("deterministic", func(t *testing.T) {
		t.Parallel()
		const p1, p2 = 0.3, 0.4
		h := []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour}
		m := &sim.Model{Agents: 30, WarmUp: 10 * time.Hour, Horizon: 400 * time.Hour,
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(3), Handling: det(h[0]),
				Escalation: []sim.Escalation{{Probability: p1, Handling: det(h[1])}, {Probability: p2, Handling: det(h[2])}},
				Response:   time.Minute, Resolution: 4 * time.Hour}}}
		reps := 20
		if testing.Short() {
			reps = 8
		}
		s := run(t, m, sim.Options{Seed: 9, Replications: reps})
		ts := &s.Tiers[0]
		f, res := &ts.Flow, &ts.Resolution
		compareShare(t, "share escalated", f.Escalated, f.Arrived, p1)
		l1, l2, l3 := countIn(&res.Times, h[0], h[0]), countIn(&res.Times, h[0]+h[1], h[0]+h[1]), countIn(&res.Times, h[0]+h[1]+h[2], h[0]+h[1]+h[2])
		t.Logf("resolved after L1 %d, L2 %d, L3 %d of %d; escalated %d", l1, l2, l3, res.Tickets, f.Escalated)
		if l1+l2+l3 != res.Tickets || l2+l3 != f.Escalated {
			t.Errorf("resolutions: %d after L1, %d after L2, %d after L3, of %d tickets, %d escalated", l1, l2, l3, res.Tickets, f.Escalated)
		}
		compareShare(t, "share reaching L3 among the escalated", l3, l2+l3, p2)
		if ts.Response.Met != ts.Response.Tickets {
			t.Errorf("%d of %d responses at once: agents were not ample", ts.Response.Met, ts.Response.Tickets)
		}
		compare(t, "mean resolution (hours)", &res.MeanHours, h[0].Hours()+p1*h[1].Hours()+p1*p2*h[2].Hours())
	})
	t.Run("teams by level", func(t *testing.T) {
		t.Parallel()
		const lambda, p1, p2 = 3.0, 0.4, 0.5
		h := []time.Duration{time.Hour, 90 * time.Minute, 2 * time.Hour}
		m := &sim.Model{WarmUp: sim.Week, Horizon: 2 * sim.Week,
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: h[0]},
				Escalation: []sim.Escalation{{Probability: p1, Handling: sim.Exponential{Mu: h[1]}}, {Probability: p2, Handling: sim.Exponential{Mu: h[2]}}},
				Response:   time.Hour, Resolution: 8 * time.Hour}}}
		always := daily(0, day, everyDay...)
		const n1, n2 = 6, 4
		m.Teams = []sim.Team{
			{Name: "L2-L3", Levels: []int{1, 2}, OnSite: staffed(m, n2, always)},
			{Name: "L1", Levels: []int{0}, OnSite: staffed(m, n1, always)},
		}
		reps := 20
		if testing.Short() {
			reps = 10
		}
		s := run(t, m, sim.Options{Seed: 10, Replications: reps})
		compare(t, "L2-L3 team utilisation", &s.Teams[0].Utilisation, lambda*(p1*h[1].Hours()+p1*p2*h[2].Hours())/n2)
		compare(t, "L1 team utilisation", &s.Teams[1].Utilisation, lambda*h[0].Hours()/n1)
	})
}

// TestPending: with ample agents and deterministic work, a ticket that
// waits on the customer is resolved, on its clock, after exactly its work
// and follow-up: the wait is excluded; the response is immediate all the
// same. Every ticket pending (30 min + 20 min follow-up, 5 h wait): every
// resolution is 50 min. A share of 0.3 pending with exponential waits: the
// pending share is binomial, the tickets resolved in 50 min are exactly the
// pending ones, the rest in 30 min, and the mean is 30 + 0.3 × 20 min.
func TestPending(t *testing.T) {
	t.Parallel()
	const work, followUp = 30 * time.Minute, 20 * time.Minute
	m := &sim.Model{Agents: 40, WarmUp: 10 * time.Hour, Horizon: 300 * time.Hour}
	for _, p := range []float64{1, 0.3} {
		wait := sim.Distribution(det(5 * time.Hour))
		if p < 1 {
			wait = sim.Exponential{Mu: 5 * time.Hour}
		}
		m.Tiers = append(m.Tiers, sim.Tier{Name: fmt.Sprint("pending ", p), Arrivals: sim.ConstantRate(2), Handling: det(work),
			Pending:  sim.Pending{Probability: p, Wait: wait, FollowUp: det(followUp)},
			Response: time.Minute, Resolution: time.Hour})
	}
	reps := 20
	if testing.Short() {
		reps = 8
	}
	s := run(t, m, sim.Options{Seed: 11, Replications: reps})
	for k, ts := range s.Tiers {
		p := m.Tiers[k].Pending.Probability
		checkAllIn(t, ts.Name+" response", &ts.Response, 0, 0)
		pending, plain := countIn(&ts.Resolution.Times, work+followUp, work+followUp), countIn(&ts.Resolution.Times, work, work)
		t.Logf("%s: %d resolved in %v, %d in %v, %d pending", ts.Name, pending, work+followUp, plain, work, ts.Flow.Pending)
		if pending != ts.Flow.Pending || pending+plain != ts.Resolution.Tickets {
			t.Errorf("%s: %d pending, %d resolutions after work and follow-up, %d after the work alone, of %d",
				ts.Name, ts.Flow.Pending, pending, plain, ts.Resolution.Tickets)
		}
		if p < 1 {
			compareShare(t, "share pending", ts.Flow.Pending, ts.Flow.Arrived, p)
			compare(t, "mean resolution (hours)", &ts.Resolution.MeanHours, work.Hours()+p*followUp.Hours())
		}
	}
}

// TestMisclassification: a ticket entering at the wrong tier is served as
// the tier it carries and judged by the tier it is.
//
// Deterministic: urgent and high tickets arrive in one-minute windows at
// Tuesday 02:00; a team for urgent tickets is there around the clock, the
// team for high ones only from 09:00. A third of urgent tickets carry the
// high tier: they wait until 09:00 like every high ticket, and breach the
// urgent 15-minute target, while the high ones meet their 8-hour target; the
// rest are answered at once.
//
// Statistical: one agent, non-preemptive priority, exponential work; half
// the urgent tickets carried as high. Cobham's formula for the classes as
// carried gives the mean wait of urgent tickets, a mix of the two classes'
// waits, and of high ones.
func TestMisclassification(t *testing.T) {
	t.Parallel()
	t.Run("served as carried, judged as true", func(t *testing.T) {
		t.Parallel()
		const p = 1.0 / 3
		window := minuteAt(wk(1, 2*time.Hour))
		m := &sim.Model{WarmUp: 2*sim.Week + 11*time.Hour, Horizon: 8 * sim.Week, Tiers: []sim.Tier{
			{Name: "urgent", Arrivals: windows(240, window), Handling: det(20 * time.Minute), Misclassified: p,
				Response: 15 * time.Minute, Resolution: 4 * time.Hour},
			{Name: "high", Arrivals: windows(120, window), Handling: det(20 * time.Minute),
				Response: 8 * time.Hour, Resolution: 12 * time.Hour},
		}}
		m.Teams = []sim.Team{
			{Name: "urgent desk", Tiers: []int{0}, OnSite: staffed(m, 20, daily(0, day, everyDay...))},
			{Name: "high desk", Tiers: []int{1}, OnSite: staffed(m, 20, daily(9*time.Hour, 17*time.Hour, everyDay...))},
		}
		s := run(t, m, sim.Options{Seed: 12, Replications: 6})
		u, hi := &s.Tiers[0], &s.Tiers[1]
		wait := [2]time.Duration{7*time.Hour - time.Minute, 7 * time.Hour}
		checkAllIn(t, "high response (09:00)", &hi.Response, wait[0], wait[1])
		late := countIn(&u.Response.Times, wait[0], wait[1])
		atOnce := countIn(&u.Response.Times, 0, 0)
		t.Logf("urgent: %d tickets, %d misclassified, %d answered at once, %d at 09:00, %d within 15 min", u.Flow.Arrived, u.Flow.Misclassified, atOnce, late, u.Response.Met)
		if late != u.Flow.Misclassified || atOnce+late != u.Response.Tickets {
			t.Errorf("urgent: %d misclassified but %d answered at 09:00 and %d at once, of %d", u.Flow.Misclassified, late, atOnce, u.Response.Tickets)
		}
		if u.Response.Met != atOnce {
			t.Errorf("urgent: %d tickets met the 15-minute target, want the %d answered at once (misclassified ones judged as urgent)", u.Response.Met, atOnce)
		}
		if hi.Response.Met != hi.Response.Tickets || hi.Flow.Misclassified != 0 {
			t.Errorf("high: %d of %d met the 8-hour target, %d misclassified", hi.Response.Met, hi.Response.Tickets, hi.Flow.Misclassified)
		}
		compareShare(t, "share of urgent misclassified", u.Flow.Misclassified, u.Flow.Arrived, p)
	})
	t.Run("Cobham", func(t *testing.T) {
		t.Parallel()
		const lu, lh, p = 0.2, 0.5, 0.5
		horizon := 20_000.0
		if testing.Short() {
			horizon = 5_000
		}
		m := &sim.Model{Agents: 1, WarmUp: hours(1000), Horizon: hours(horizon), Tiers: []sim.Tier{
			{Name: "urgent", Arrivals: sim.ConstantRate(lu), Handling: sim.Exponential{Mu: time.Hour}, Misclassified: p,
				Response: 15 * time.Minute, Resolution: 4 * time.Hour},
			{Name: "high", Arrivals: sim.ConstantRate(lh), Handling: sim.Exponential{Mu: time.Hour},
				Response: 30 * time.Minute, Resolution: 8 * time.Hour},
		}}
		w, err := queueing.MG1PriorityWaits([]queueing.Class{{Rate: (1 - p) * lu, Mean: 1, CV: 1}, {Rate: lh + p*lu, Mean: 1, CV: 1}})
		if err != nil {
			t.Fatal(err)
		}
		s := run(t, m, sim.Options{Seed: 13, Replications: 20})
		compareShare(t, "share of urgent misclassified", s.Tiers[0].Flow.Misclassified, s.Tiers[0].Flow.Arrived, p)
		compare(t, "urgent mean wait (h), half carried as high", &s.Tiers[0].Response.MeanHours, (1-p)*w[0]+p*w[1])
		compare(t, "high mean wait (h)", &s.Tiers[1].Response.MeanHours, w[1])
	})
}

// TestAutomation: the automated channel.
//
//   - Share: tickets resolved by automation are binomial around eligible ×
//     success.
//   - Response setting: every ticket tried (processing 10 min), half
//     succeed, failures go to agents on call with a 20-minute delay, then
//     30 minutes of work. With CountsAsResponse every response is the
//     processing time; without, failed tickets are answered when an agent
//     starts, 30 minutes in. Resolutions are 10 min (automated, exactly
//     Flow.ByAutomation of them, the collector agreeing ticket by ticket) or
//     1 h. Arrivals stop on Saturday night so that the week resolves all.
//   - Capacity: one attempt at a time, deterministic processing, every
//     ticket automated: an M/D/1 queue, whose mean response (wait plus
//     processing, the automated reply counting) is Pollaczek–Khinchine's.
func TestAutomation(t *testing.T) {
	t.Parallel()
	t.Run("share", func(t *testing.T) {
		t.Parallel()
		const eligible, success = 0.6, 0.7
		m := &sim.Model{Agents: 10, WarmUp: 10 * time.Hour, Horizon: 500 * time.Hour, Automation: sim.Automation{Capacity: 50},
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(5), Handling: sim.Exponential{Mu: 30 * time.Minute},
				Automation: sim.TierAutomation{Eligible: eligible, Success: success, Processing: det(5 * time.Minute)},
				Response:   time.Hour, Resolution: 4 * time.Hour}}}
		reps := 20
		if testing.Short() {
			reps = 8
		}
		s := run(t, m, sim.Options{Seed: 14, Replications: reps})
		f := &s.Tiers[0].Flow
		compareShare(t, "share resolved by automation", f.ByAutomation, f.Arrived, eligible*success)
	})
	for _, counts := range []bool{true, false} {
		t.Run(fmt.Sprintf("counts-as-response=%v", counts), func(t *testing.T) {
			t.Parallel()
			const (
				processing = 10 * time.Minute
				delay      = 20 * time.Minute
				work       = 30 * time.Minute
			)
			m := &sim.Model{WarmUp: 3*day + 2*time.Hour, Horizon: sim.Week,
				Automation: sim.Automation{Capacity: 100, CountsAsResponse: counts},
				Tiers: []sim.Tier{{Name: "all", Arrivals: windows(2, span{0, 6 * day}), Handling: det(work),
					Automation: sim.TierAutomation{Eligible: 1, Success: 0.5, Processing: det(processing)},
					Response:   15 * time.Minute, Resolution: 4 * time.Hour}}}
			m.Teams = []sim.Team{{Name: "on call", OnCall: staffed(m, 30, daily(0, day, everyDay...)), OnCallDelay: sim.Deterministic{Value: delay}}}
			s, log := runLog(t, m, sim.Options{Seed: 15, Replications: 10})
			ts := &s.Tiers[0]
			f := &ts.Flow
			if f.OpenAtHorizon != 0 || f.ByAutomation+f.ByPeople != f.Arrived {
				t.Fatalf("scenario: %+v; every ticket should be resolved in the window", *f)
			}
			compareShare(t, "share resolved by automation", f.ByAutomation, f.Arrived, 0.5)
			failedResponse := processing + delay
			if counts {
				failedResponse = processing
			}
			quick := countIn(&ts.Response.Times, processing, processing)
			slow := countIn(&ts.Response.Times, failedResponse, failedResponse)
			if counts && quick != f.Arrived || !counts && (quick != f.ByAutomation || slow != f.ByPeople) {
				t.Errorf("responses: %d after %v, %d after %v; %d automated, %d by people", quick, processing, slow, failedResponse, f.ByAutomation, f.ByPeople)
			}
			if n := countIn(&ts.Resolution.Times, processing, processing); n != f.ByAutomation {
				t.Errorf("%d resolutions after %v, %d resolved by automation", n, processing, f.ByAutomation)
			}
			if n := countIn(&ts.Resolution.Times, processing+delay+work, processing+delay+work); n != f.ByPeople {
				t.Errorf("%d resolutions after %v, %d resolved by people", n, processing+delay+work, f.ByPeople)
			}
			for _, r := range log {
				want := sim.TicketRecord{Tier: r.Tier, Arrival: r.Arrival, Response: processing, Resolution: processing,
					ResponseTarget: 15 * time.Minute, ResolutionTarget: 4 * time.Hour, Automated: true}
				if !r.Automated {
					want.Response, want.Resolution, want.Automated = failedResponse, processing+delay+work, false
				}
				if !reflect.DeepEqual(r, want) {
					t.Errorf("ticket %+v, want %+v", r, want)
					break
				}
			}
			t.Logf("%d tickets: %d automated, %d failed over to people, answered after %v", f.Arrived, f.ByAutomation, f.ByPeople, failedResponse)
		})
	}
	t.Run("capacity M/D/1", func(t *testing.T) {
		t.Parallel()
		const lambda = 0.8
		horizon := 10_000.0
		if testing.Short() {
			horizon = 3_000
		}
		m := &sim.Model{Agents: 1, WarmUp: hours(500), Horizon: hours(horizon), Automation: sim.Automation{Capacity: 1, CountsAsResponse: true},
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(lambda), Handling: sim.Exponential{Mu: time.Hour},
				Automation: sim.TierAutomation{Eligible: 1, Success: 1, Processing: det(time.Hour)},
				Response:   time.Hour, Resolution: 4 * time.Hour}}}
		s := run(t, m, sim.Options{Seed: 16, Replications: 20})
		exact := queueing.MG1MeanWait(lambda, 1, 0) + 1
		compare(t, "M/D/1 response = wait + processing (h)", &s.Tiers[0].Response.MeanHours, exact)
		compare(t, "M/D/1 resolution (h)", &s.Tiers[0].Resolution.MeanHours, exact)
		if f := s.Tiers[0].Flow; f.ByPeople != 0 {
			t.Errorf("%d tickets resolved by people, want none", f.ByPeople)
		}
	})
	t.Run("flow counts", func(t *testing.T) {
		t.Parallel()
		// Half the tickets are automated; the others may escalate or go
		// pending: the flow counts only tickets that did.
		const success, pEsc, pPend = 0.5, 0.4, 0.3
		m := &sim.Model{Agents: 20, WarmUp: 10 * time.Hour, Horizon: 300 * time.Hour, Automation: sim.Automation{Capacity: 20},
			Tiers: []sim.Tier{{Name: "all", Arrivals: sim.ConstantRate(3), Handling: det(20 * time.Minute),
				Escalation: []sim.Escalation{{Probability: pEsc, Handling: det(20 * time.Minute)}},
				Pending:    sim.Pending{Probability: pPend, Wait: det(time.Hour), FollowUp: det(10 * time.Minute)},
				Automation: sim.TierAutomation{Eligible: 1, Success: success, Processing: det(5 * time.Minute)},
				Response:   time.Hour, Resolution: 4 * time.Hour}}}
		s := run(t, m, sim.Options{Seed: 17, Replications: 10})
		f := &s.Tiers[0].Flow
		compareShare(t, "share escalated", f.Escalated, f.Arrived, (1-success)*pEsc)
		compareShare(t, "share pending", f.Pending, f.Arrived, (1-success)*pPend)
	})
}

// TestBusinessHours: clocks that run only inside a calendar open Monday to
// Friday 09:00–18:00, with agents on site Monday to Friday 09:00–17:00
// and deterministic work, tickets arriving in one-minute windows.
// A ticket opened Friday 17:30 is answered Monday 09:00: 30 business
// minutes on a business-hours response clock (within a 1-hour target, due
// Monday 09:30), 63 h 30 min on a 24x7 clock; resolved at 10:00: 90
// business minutes. (100 agents, so that no ticket waits for another.) Each clock follows its own calendar; a holiday (a
// calendar without Mondays) stops it for the day; a ticket opened on
// Saturday has used no business time when it is answered; and pending time
// is excluded in business time too.
func TestBusinessHours(t *testing.T) {
	t.Parallel()
	const work = time.Hour
	m := &sim.Model{WarmUp: sim.Week + 31*time.Hour, Horizon: 6 * sim.Week}
	m.Teams = []sim.Team{{Name: "day", OnSite: staffed(m, 100, daily(9*time.Hour, 17*time.Hour, monFri...))}}
	biz := calendar(t, m, daily(9*time.Hour, 18*time.Hour, monFri...))
	noMondays := calendar(t, m, daily(9*time.Hour, 18*time.Hour, 1, 2, 3, 4))
	fri1730, sat1200, tue1600 := wk(4, 17*time.Hour+30*time.Minute), wk(5, 12*time.Hour), wk(1, 16*time.Hour)
	minute := time.Minute
	cases := []struct {
		name          string
		arrive        time.Duration
		resp, resol   *sim.Calendar
		pending       bool
		respAt, resAt time.Duration // the clocks' latest values; the earliest are a minute less, unless exact
		exact         bool
		respMet       bool
	}{
		{name: "Fri 17:30, business clocks", arrive: fri1730, resp: biz, resol: biz, respAt: 30 * minute, resAt: 90 * minute, respMet: true},
		{name: "Fri 17:30, 24x7 clocks", arrive: fri1730, respAt: 63*time.Hour + 30*minute, resAt: 64*time.Hour + 30*minute},
		{name: "Fri 17:30, business response only", arrive: fri1730, resp: biz, respAt: 30 * minute, resAt: 64*time.Hour + 30*minute, respMet: true},
		{name: "Fri 17:30, business resolution only", arrive: fri1730, resol: biz, respAt: 63*time.Hour + 30*minute, resAt: 90 * minute},
		{name: "Fri 17:30, Monday a holiday", arrive: fri1730, resp: noMondays, resol: noMondays, respAt: 30 * minute, resAt: 30 * minute, respMet: true},
		{name: "Sat 12:00, business clocks", arrive: sat1200, resp: biz, resol: biz, respAt: 0, resAt: work, exact: true, respMet: true},
		// Tue 16:00 + 30 min of work, pending 20 h until Wed 12:30, 30 min
		// follow-up: 6 business hours elapse, 5 of them pending.
		{name: "Tue 16:00, pending overnight", arrive: tue1600, resp: biz, resol: biz, pending: true, respAt: 0, resAt: work, exact: true, respMet: true},
	}
	for _, c := range cases {
		tier := sim.Tier{Name: c.name, Arrivals: windows(240, minuteAt(c.arrive)), Handling: det(work),
			Response: time.Hour, Resolution: time.Hour, ResponseCalendar: c.resp, ResolutionCalendar: c.resol}
		if c.pending {
			tier.Handling = det(work / 2)
			tier.Pending = sim.Pending{Probability: 1, Wait: det(20 * time.Hour), FollowUp: det(work / 2)}
		}
		m.Tiers = append(m.Tiers, tier)
	}
	s := run(t, m, sim.Options{Seed: 18, Replications: 4})
	for k, c := range cases {
		ts := &s.Tiers[k]
		slack := minute
		if c.exact {
			slack = 0
		}
		checkAllIn(t, c.name+": response", &ts.Response, max(c.respAt-slack, 0), c.respAt)
		checkAllIn(t, c.name+": resolution", &ts.Resolution, max(c.resAt-slack, 0), c.resAt)
		if want := map[bool]int64{true: ts.Response.Tickets, false: 0}[c.respMet]; ts.Response.Met != want {
			t.Errorf("%s: %d of %d responses within the 1-hour target, want %d", c.name, ts.Response.Met, ts.Response.Tickets, want)
		}
	}
}

// TestOffHours: targets for tickets arriving while the calendar is closed.
// Every ticket is answered by an agent on call an hour after it arrives and
// resolved an hour later, on 24x7 clocks. Arriving Monday to Friday
// 09:00–18:00 it is judged by 15 min / 90 min and breaches both; arriving
// outside, by 4 h / 3 h and meets both: hour by hour of the week.
func TestOffHours(t *testing.T) {
	t.Parallel()
	open := daily(9*time.Hour, 18*time.Hour, monFri...)
	m := &sim.Model{WarmUp: 3*day + 13*time.Hour, Horizon: 4 * sim.Week}
	m.Teams = []sim.Team{{Name: "on call", OnCall: staffed(m, 30, daily(0, day, everyDay...)), OnCallDelay: sim.Deterministic{Value: time.Hour}}}
	m.Tiers = []sim.Tier{{Name: "P0", Arrivals: sim.ConstantRate(1), Handling: det(time.Hour),
		Response: 15 * time.Minute, Resolution: 90 * time.Minute,
		OffHours: sim.OffHours{Calendar: calendar(t, m, open), Response: 4 * time.Hour, Resolution: 3 * time.Hour}}}
	s := run(t, m, sim.Options{Seed: 19, Replications: 4})
	ts := &s.Tiers[0]
	checkAllIn(t, "response", &ts.Response, time.Hour, time.Hour)
	checkAllIn(t, "resolution", &ts.Resolution, 2*time.Hour, 2*time.Hour)
	var inHours, offHours int64
	for h := range sim.HoursPerWeek {
		isOpen := within(open, hourSpan(h))
		for _, ms := range []*sim.MetricStats{&ts.Response, &ts.Resolution} {
			n, met := ms.ByHour.Tickets[h], ms.ByHour.Met[h]
			if isOpen && met != 0 || !isOpen && met != n {
				t.Errorf("hour %d (open %v): %d of %d tickets met the target", h, isOpen, met, n)
			}
		}
		if isOpen {
			inHours += ts.Response.ByHour.Tickets[h]
		} else {
			offHours += ts.Response.ByHour.Tickets[h]
		}
	}
	t.Logf("%d tickets in business hours, all breached; %d outside, all met", inHours, offHours)
	if inHours == 0 || offHours == 0 || ts.Response.Met != offHours || ts.Resolution.Met != offHours {
		t.Errorf("%d tickets in business hours, %d outside; %d and %d met the response and resolution targets", inHours, offHours, ts.Response.Met, ts.Resolution.Met)
	}
}

// TestCalendar: the calendar arithmetic the clocks use, on a calendar open
// Monday to Friday 09:00–18:00 (simulation time = week time here).
func TestCalendar(t *testing.T) {
	t.Parallel()
	m := &sim.Model{Horizon: 2 * sim.Week, Drain: sim.Week}
	c := calendar(t, m, daily(9*time.Hour, 18*time.Hour, monFri...))
	fri1730 := wk(4, 17*time.Hour+30*time.Minute)
	nextMon := func(tod time.Duration) time.Duration { return sim.Week + tod }
	for _, e := range []struct {
		a, b, want time.Duration
	}{
		{fri1730, nextMon(9*time.Hour + 30*time.Minute), time.Hour},
		{wk(5, 10*time.Hour), nextMon(9 * time.Hour), 0},
		{wk(0, 8*time.Hour), wk(0, 19*time.Hour), 9 * time.Hour},
		{wk(0, 12*time.Hour), wk(2, 12*time.Hour), 18 * time.Hour},
		{wk(0, 0), sim.Week, 45 * time.Hour},
		{wk(3, 10*time.Hour), wk(3, 10*time.Hour), 0},
	} {
		if got := c.Elapsed(e.a, e.b); got != e.want {
			t.Errorf("Elapsed(%v, %v) = %v, want %v", e.a, e.b, got, e.want)
		}
	}
	for _, e := range []struct {
		at   time.Duration
		want bool
	}{{wk(0, 9*time.Hour), true}, {wk(0, 9*time.Hour) - 1, false}, {wk(4, 18*time.Hour) - 1, true}, {wk(4, 18*time.Hour), false}, {wk(5, 12*time.Hour), false}} {
		if got := c.IsOpen(e.at); got != e.want {
			t.Errorf("IsOpen(%v) = %v, want %v", e.at, got, e.want)
		}
	}
	for _, e := range []struct {
		a, d, want time.Duration
	}{
		{fri1730, time.Hour, nextMon(9*time.Hour + 30*time.Minute)}, // the ITSM convention
		{fri1730, 30 * time.Minute, wk(4, 18*time.Hour)},
		{wk(5, 10*time.Hour), time.Hour, nextMon(10 * time.Hour)},
		{wk(1, 10*time.Hour), 9 * time.Hour, wk(2, 10*time.Hour)},
		{wk(1, 10*time.Hour), 0, wk(1, 10*time.Hour)},
		{wk(5, 10*time.Hour), 0, wk(5, 10*time.Hour)}, // nothing to wait for, even when closed
	} {
		got, ok := c.Due(e.a, e.d)
		if !ok || got != e.want {
			t.Errorf("Due(%v, %v) = %v, %v; want %v", e.a, e.d, got, ok, e.want)
		}
		if ok && c.Elapsed(e.a, got) != e.d {
			t.Errorf("Elapsed(%v, Due(%v, %v) = %v) = %v", e.a, e.a, e.d, got, c.Elapsed(e.a, got))
		}
	}
	if _, ok := c.Due(wk(0, 0), 1000*time.Hour); ok {
		t.Error("Due past the calendar's end reported ok")
	}
	if _, err := sim.NewCalendar([]time.Duration{0, 5}, []time.Duration{10, 20}); err == nil {
		t.Error("overlapping intervals accepted")
	}
}

// TestDailyOverdispersion: with DailyCV = c each day's rates are scaled by
// an independent gamma factor of mean 1 and CV c, so a day's count is
// negative binomial: mean m, variance m + m²c². A week's count, the sum of
// seven independent days, has mean 7m and variance 7(m + m²c²). The
// sample variance over R one-week replications is compared with it to
// within zMax of its exact standard error, √(κ4/R + 2σ⁴/(R−1)), with κ4
// the fourth cumulant of the week's count (7 times the day's, m + 7m²/k +
// 12m³/k² + 6m⁴/k³ with k = 1/c²). The profile is hourly, or a single rate
// for the whole week, whose interval spans several days.
func TestDailyOverdispersion(t *testing.T) {
	t.Parallel()
	const perHour = 2.0
	reps := 400
	if testing.Short() {
		reps = 200
	}
	for _, c := range []float64{0, 0.3, 1} {
		for _, profile := range []struct {
			name string
			p    sim.ArrivalProfile
		}{{"hourly", sim.ConstantRate(perHour)}, {"weekly interval", sim.ArrivalProfile{Interval: sim.Week, Rates: []float64{perHour}}}} {
			t.Run(fmt.Sprintf("cv=%v/%s", c, profile.name), func(t *testing.T) {
				t.Parallel()
				m := &sim.Model{Agents: 3, WarmUp: 2*day + 7*time.Hour, Horizon: sim.Week, DailyCV: c,
					Tiers: []sim.Tier{{Name: "all", Arrivals: profile.p, Handling: det(time.Minute), Response: time.Hour, Resolution: time.Hour}}}
				s := run(t, m, sim.Options{Seed: 20, Replications: reps})
				// ArrivalRate is the week's count over 168 hours.
				hoursPerWeek := sim.Week.Hours()
				var count sim.Tally
				count.Merge(&s.ArrivalRate)
				mean := s.ArrivalRate.Mean() * hoursPerWeek
				variance := s.ArrivalRate.Variance() * hoursPerWeek * hoursPerWeek
				md := perHour * 24
				wantMean, wantVar := 7*md, 7*(md+md*md*c*c)
				k4 := md // Poisson
				if c > 0 {
					k := 1 / (c * c)
					k4 = md + 7*md*md/k + 12*md*md*md/(k*k) + 6*md*md*md*md/(k*k*k)
				}
				k4 *= 7
				R := float64(s.ArrivalRate.N)
				seVar := math.Sqrt(k4/R + 2*wantVar*wantVar/(R-1))
				seMean := math.Sqrt(variance / R)
				t.Logf("weekly count: mean %.2f ± %.2f (exact %.1f), variance %.1f ± %.1f (exact %.1f, z=%+.2f; Poisson would be %.0f)",
					mean, seMean, wantMean, variance, seVar, wantVar, (variance-wantVar)/seVar, wantMean)
				if math.Abs(mean-wantMean) > zMax*seMean {
					t.Errorf("mean weekly count %.2f, exact %.1f: more than %d SE (%.2f) apart", mean, wantMean, zMax, seMean)
				}
				if math.Abs(variance-wantVar) > zMax*seVar {
					t.Errorf("variance of the weekly count %.1f, exact %.1f: %.1f SE (%.1f) apart, more than %d", variance, wantVar, math.Abs(variance-wantVar)/seVar, seVar, zMax)
				}
			})
		}
	}
}

// TestBursts: a burst stream of PerWeek incidents a week, each bringing
// MeanSize tickets on average (at least one), brings PerWeek × max(MeanSize,
// 1) tickets a week, less the deflected share: the mean weekly count of a
// tier with bursts only, against its SE over replications. Its variance is
// logged beside the Poisson variance (the mean) to show the clustering.
// Another tier's Poisson arrivals are unaffected.
func TestBursts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		perWeek, size, deflected float64
	}{{3, 5, 0}, {10, 0.5, 0}, {4, 6, 0.25}} {
		t.Run(fmt.Sprintf("%v a week of %v, %v deflected", c.perWeek, c.size, c.deflected), func(t *testing.T) {
			t.Parallel()
			const perHour = 1.0
			m := &sim.Model{Agents: 40, WarmUp: sim.Week + 3*time.Hour, Horizon: sim.Week,
				Tiers: []sim.Tier{
					{Name: "other", Arrivals: sim.ConstantRate(perHour), Handling: det(10 * time.Minute), Response: time.Hour, Resolution: time.Hour},
					{Name: "burst", Arrivals: sim.ConstantRate(0), Handling: det(10 * time.Minute), Deflected: c.deflected, Response: time.Hour, Resolution: time.Hour},
				},
				Bursts: []sim.Burst{{Tier: 1, PerWeek: c.perWeek, MeanSize: c.size, Spread: time.Hour}}}
			reps := 1000
			if testing.Short() {
				reps = 400
			}
			s := run(t, m, sim.Options{Seed: 21, Replications: reps})
			compare(t, "burst tickets a week", &s.Tiers[1].Tickets, c.perWeek*max(c.size, 1)*(1-c.deflected))
			compare(t, "other tier's tickets a week", &s.Tiers[0].Tickets, perHour*sim.Week.Hours())
			t.Logf("burst tickets a week: variance %.1f against a mean of %.1f", s.Tiers[1].Tickets.Variance(), s.Tiers[1].Tickets.Mean())
		})
	}
}

// urgentAttainment is the urgent tier's response attainment of each
// replication over the hours of the week for which pick is true.
func urgentAttainment(t *testing.T, m *sim.Model, reps int, pick func(h int) bool) (tally sim.Tally, met, n int64) {
	t.Helper()
	replicate(t, m, reps, func(s *sim.Summary) {
		r := &s.Tiers[0].Response
		a, b := sumHours(&r.ByHour.Met, pick), sumHours(&r.ByHour.Tickets, pick)
		met += a
		n += b
		if b > 0 {
			tally.Add(float64(a) / float64(b))
		}
	})
	return tally, met, n
}

// TestNightCoverage: a desk staffed 08:00–20:00 every day (6 agents, three
// tiers, urgent preempting) and nobody at night: no urgent ticket arriving
// between 20:00 and 07:00 is answered within 15 minutes, while by day they
// are. Adding a 24-hour duty rota of two experts for urgent tickets makes
// the night an M/M/2 queue for them (λ = 0.25/h, 1 h mean work): the night
// attainment is then at least Erlang C's P(wait ≤ 15 min) less zMax SE
// (at least: the night starts from the lighter load of the day). By day
// attainment is at least as good in both.
func TestNightCoverage(t *testing.T) {
	t.Parallel()
	const lu = 0.25
	dayShift := daily(8*time.Hour, 20*time.Hour, everyDay...)
	night := func(h int) bool {
		hs := hourSpan(h)
		return outside(dayShift, hs) && untilOpen(dayShift, hs.to) >= 15*time.Minute
	}
	byDay := func(h int) bool { hod := h % 24; return hod >= 10 && hod < 20 }
	exact := queueing.MMc{Servers: 2, ArrivalRate: lu, ServiceRate: 1}.WaitAtMost(0.25)
	reps := 30
	if testing.Short() {
		reps = 15
	}
	for _, rota := range []bool{false, true} {
		t.Run(fmt.Sprintf("duty rota=%v", rota), func(t *testing.T) {
			t.Parallel()
			m := &sim.Model{WarmUp: sim.Week + 3*time.Hour, Horizon: 4 * sim.Week}
			for k, c := range []struct {
				rate   float64
				target time.Duration
			}{{lu, 15 * time.Minute}, {0.5, 30 * time.Minute}, {1.5, time.Hour}} {
				m.Tiers = append(m.Tiers, sim.Tier{Name: fmt.Sprint("P", k), Arrivals: sim.ConstantRate(c.rate), Handling: sim.Exponential{Mu: time.Hour},
					Response: c.target, Resolution: 8 * time.Hour, Preempts: k == 0})
			}
			m.Teams = []sim.Team{{Name: "day desk", OnSite: staffed(m, 6, dayShift)}}
			if rota {
				m.Teams = append(m.Teams, sim.Team{Name: "duty rota", Tiers: []int{0}, OnSite: staffed(m, 2, daily(0, day, everyDay...))})
			}
			nightA, nightMet, nightN := urgentAttainment(t, m, reps, night)
			dayA, _, _ := urgentAttainment(t, m, reps, byDay)
			var table []string
			s := run(t, m, sim.Options{Seed: 22, Replications: reps})
			r := &s.Tiers[0].Response
			for hod := range 24 {
				var met, n int64
				for d := range 7 {
					met += r.ByHour.Met[d*24+hod]
					n += r.ByHour.Tickets[d*24+hod]
				}
				table = append(table, fmt.Sprintf("%02d:%3.0f%%", hod, 100*float64(met)/float64(n)))
			}
			t.Logf("urgent response attainment by hour of day: %v", table)
			t.Logf("night: %d of %d met, per replication %.4f ± %.4f; by day %.4f ± %.4f; M/M/2 P(wait ≤ 15 min) = %.4f",
				nightMet, nightN, nightA.Mean(), se(&nightA), dayA.Mean(), se(&dayA), exact)
			if nightN == 0 {
				t.Fatal("no urgent tickets at night")
			}
			if !rota && nightMet != 0 {
				t.Errorf("no one on duty at night, yet %d of %d urgent tickets arriving then were answered within 15 minutes", nightMet, nightN)
			}
			if rota && nightA.Mean() < exact-zMax*se(&nightA) {
				t.Errorf("with the duty rota, night attainment %.4f is more than %d SE (%.4f) below the M/M/2 value %.4f", nightA.Mean(), zMax, se(&nightA), exact)
			}
			if dayA.Mean() < exact-zMax*se(&dayA) {
				t.Errorf("by day, attainment %.4f is more than %d SE (%.4f) below the M/M/2 value %.4f", dayA.Mean(), zMax, se(&dayA), exact)
			}
		})
	}
}

// TestReproducibleTeams: a scenario with every feature gives the same
// summary, byte for byte, with 1 and 2 workers, and a run split into
// replications [0, 5) and [5, 10) merges into the 10-replication run.
func TestReproducibleTeams(t *testing.T) {
	t.Parallel()
	m := richModel(t, sim.Week)
	whole := mustJSON(t, run(t, m, sim.Options{Seed: 23, Replications: 10, Workers: 1}))
	if two := mustJSON(t, run(t, m, sim.Options{Seed: 23, Replications: 10, Workers: 2})); string(two) != string(whole) {
		t.Error("2 workers gave another summary than 1")
	}
	merged := run(t, m, sim.Options{Seed: 23, Replications: 5, Workers: 2})
	if err := merged.Merge(run(t, m, sim.Options{Seed: 23, Replications: 5, FirstReplication: 5, Workers: 2})); err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, merged); string(got) != string(whole) {
		t.Error("replications [0, 5) and [5, 10) merged differ from the 10-replication run")
	}
	if other := mustJSON(t, run(t, m, sim.Options{Seed: 24, Replications: 10})); string(other) == string(whole) {
		t.Error("seeds 23 and 24 gave the same summary")
	}
}
