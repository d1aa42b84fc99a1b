package contract

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// jan2024 is simulation time 0 of the hand-computed cases: periods are
// January (744 h), February (a leap year's, 696 h), March (744 h)… of 2024.
var jan2024 = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// months returns the first n calendar months of 2024 as periods.
func months(n int) []Period {
	end := time.Date(2024, time.Month(1+n), 1, 0, 0, 0, 0, time.UTC)
	return CalendarPeriods(jan2024, 1, 0, end.Sub(jan2024))
}

// Targets of every hand-made ticket.
const (
	respTarget  = time.Hour
	resolTarget = 4 * time.Hour
)

// tk is a ticket of the tier arriving on the day (from 0), whose response
// and resolution clocks stop respLate and resolLate past their targets
// (negative: that much early).
func tk(tier int, onDay float64, respLate, resolLate time.Duration) sim.TicketRecord {
	return sim.TicketRecord{
		Tier:             tier,
		Arrival:          time.Duration(onDay * float64(day)),
		Response:         respTarget + respLate,
		Resolution:       resolTarget + resolLate,
		ResponseTarget:   respTarget,
		ResolutionTarget: resolTarget,
	}
}

var twoTiers = []string{"urgent", "routine"}

// evaluate feeds the tickets to one replication of c over the periods and
// returns the results.
func evaluate(t *testing.T, c *Contract, periods []Period, tickets ...sim.TicketRecord) *Results {
	t.Helper()
	p, err := NewPlan(c, twoTiers, periods)
	if err != nil {
		t.Fatal(err)
	}
	col := p.NewCollector()
	col.Begin(1, 0)
	for i := range tickets {
		col.Ticket(&tickets[i])
	}
	col.End()
	return col.(*Collector).Results()
}

func near(got, want float64) bool { return math.Abs(got-want) <= 1e-9*max(1, math.Abs(want)) }

// checkPeriods compares each period's cost (one replication: the mean is
// the value) with the hand-computed figures.
func checkPeriods(t *testing.T, r *Results, want ...float64) {
	t.Helper()
	if len(r.ByPeriod) != len(want) {
		t.Fatalf("%d periods, want %d", len(r.ByPeriod), len(want))
	}
	for i, w := range want {
		if got := r.ByPeriod[i].Mean(); !near(got, w) {
			t.Errorf("period %s costs %v, want %v", r.Periods[i].Label(), got, w)
		}
	}
}

func TestPerBreachPerTicketFee(t *testing.T) {
	c := &Contract{
		Fee: Fee{PerTicket: 100}, PeriodMonths: 1, Term: 12,
		Credits: []Credit{&PerBreach{Clock: Either, Credit: []float64{2, 0}}},
	}
	tickets := []sim.TicketRecord{
		// January: three urgent breaches (response, resolution, both),
		// one urgent on time, one exactly on its targets (met), and a
		// routine breach credited 0%.
		tk(0, 1, time.Minute, -time.Hour),
		tk(0, 2, -time.Minute, time.Nanosecond),
		tk(0, 3, time.Hour, time.Hour),
		tk(0, 4, -time.Minute, -time.Hour),
		tk(0, 5, 0, 0),
		tk(1, 6, time.Hour, time.Hour),
		// February: one urgent breach.
		tk(0, 40, time.Hour, 0),
	}
	r := evaluate(t, c, months(2), tickets...)
	checkPeriods(t, r, 3*2*100, 1*2*100)
	if got := r.ByTier[1].Mean.Mean(); got != 0 {
		t.Errorf("routine credits %v, want 0", got)
	}

	// The same tickets judged on the response clock only: two January
	// breaches of urgent tickets.
	c.Credits[0].(*PerBreach).Clock = Response
	r = evaluate(t, c, months(2), tickets...)
	checkPeriods(t, r, 2*2*100, 1*2*100)
}

func TestPerBreachMonthlyFee(t *testing.T) {
	// Without a per-ticket fee, a ticket's fee is the month's fee over its
	// tickets: 3000 / 10 in January, 3000 / 5 in February.
	c := &Contract{
		Fee: Fee{Monthly: 3000}, PeriodMonths: 1, Term: 12,
		Credits: []Credit{&PerBreach{Clock: Resolution, Credit: []float64{2, 0.5}}},
	}
	var tickets []sim.TicketRecord
	for i := range 10 {
		late := -time.Hour
		if i < 2 {
			late = time.Hour // two urgent breaches
		}
		tickets = append(tickets, tk(0, float64(i), 0, late))
	}
	tickets[9].Tier = 1
	tickets[9].Resolution += 2 * time.Hour // and a routine breach
	for i := range 5 {
		late := -time.Hour
		if i == 0 {
			late = time.Minute
		}
		tickets = append(tickets, tk(0, float64(31+i), 0, late))
	}
	r := evaluate(t, c, months(2), tickets...)
	checkPeriods(t, r, (2*2+0.5)*300, 1*2*600)
	if got, want := r.Revenue.Mean(), 3000.0; got != want {
		t.Errorf("revenue per month %v, want %v", got, want)
	}
}

func TestLateness(t *testing.T) {
	c := &Contract{
		Fee: Fee{PerTicket: 100}, PeriodMonths: 1, Term: 12,
		Credits: []Credit{&Lateness{Clock: Resolution, Step: 30 * time.Minute, Credit: []float64{0.05, 0.01}, Cap: []float64{0.2, 0}}},
	}
	r := evaluate(t, c, months(1),
		tk(0, 1, 0, time.Nanosecond),                // 1 started step: 5%
		tk(0, 1, 0, 30*time.Minute),                 // exactly 1 step: 5%
		tk(0, 1, 0, 30*time.Minute+time.Nanosecond), // 2 steps: 10%
		tk(0, 1, 0, 5*time.Hour),                    // 10 steps, capped at 20%
		tk(0, 1, time.Hour, 0),                      // late on the response clock only: 0
		tk(1, 1, 0, 5*time.Hour),                    // routine, no cap: 10 × 1%
	)
	checkPeriods(t, r, (0.05+0.05+0.10+0.20+0.10)*100)
	if got, want := r.ByTier[0].Mean.Mean(), 40.0; !near(got, want) {
		t.Errorf("urgent lateness credits %v, want %v", got, want)
	}

	// Either: the larger lateness of the two clocks.
	c.Credits[0].(*Lateness).Clock = Either
	r = evaluate(t, c, months(1), tk(0, 1, 61*time.Minute, 10*time.Minute))
	checkPeriods(t, r, 3*0.05*100)
}

func TestOutageFixed(t *testing.T) {
	// January's fee of 744 over its 744 hours is a fee rate of 1 an hour;
	// February's 744 over 696 hours is 744/696.
	c := &Contract{
		Fee: Fee{Monthly: 744}, PeriodMonths: 1, Term: 12,
		Credits: []Credit{&Outage{Clock: Resolution, Coefficient: []Range{{2, 2}, {0, 0}}}},
	}
	tickets := []sim.TicketRecord{
		tk(0, 1, 0, 3*time.Hour),     // 3 h late × 1/h × 2
		tk(0, 2, 0, -time.Hour),      // on time: nothing
		tk(1, 3, 0, 10*time.Hour),    // routine has no coefficient
		tk(0, 35, 0, 90*time.Minute), // 1.5 h × 744/696 × 2
	}
	r := evaluate(t, c, months(2), tickets...)
	checkPeriods(t, r, 3*1*2, 1.5*744.0/696*2)

	// Whole: the whole resolution time, 4 h more than the lateness, and
	// the on-time ticket's 3 h.
	c.Credits[0].(*Outage).Whole = true
	r = evaluate(t, c, months(2), tickets...)
	checkPeriods(t, r, (7+3)*1*2, 5.5*744.0/696*2)
}

func TestOutageRange(t *testing.T) {
	c := &Contract{
		Fee: Fee{Monthly: 744}, PeriodMonths: 1, Term: 12,
		Credits: []Credit{&Outage{Clock: Response, Coefficient: []Range{{1.5, 2}, {0.2, 0.5}}}},
	}
	// Coefficients come from the collector's stream, one per ticket of a
	// tier with a coefficient, late or not, in the order the collector
	// sees them: the second ticket's, on time, is drawn and unused.
	rng := sim.NewStream(1, 0, sim.StreamCollector, 0)
	c1 := 1.5 + 0.5*rng.Float64()
	rng.Float64()
	c2 := 0.2 + 0.3*rng.Float64()
	r := evaluate(t, c, months(1),
		tk(0, 1, 2*time.Hour, 0),
		tk(0, 1, -time.Minute, 0),
		tk(1, 2, time.Hour, 0),
	)
	checkPeriods(t, r, 2*c1+1*c2)
	if !(c1 >= 1.5 && c1 <= 2 && c2 >= 0.2 && c2 <= 0.5) {
		t.Errorf("coefficients %v, %v outside their ranges", c1, c2)
	}
}

func TestAttainment(t *testing.T) {
	c := &Contract{
		Fee: Fee{Monthly: 1000}, PeriodMonths: 1, Term: 12,
		Levels:  []Levels{{Response: 0.9, Resolution: 0.9}, {}},
		Credits: []Credit{&Attainment{Credit: []float64{0.05, 0}, Step: 0.025, Max: []float64{0.15, 0}}},
	}
	var tickets []sim.TicketRecord
	// January: 10 urgent tickets; 8 responded in time (80%: 10 points
	// short, 4 started steps of 2.5 points, 20% capped at 15%); 9 resolved
	// in time (90%: meets its level exactly).
	for i := range 10 {
		resp, resol := -time.Minute, -time.Minute
		if i < 2 {
			resp = time.Minute
		}
		if i == 0 {
			resol = time.Minute
		}
		tickets = append(tickets, tk(0, float64(i), resp, resol))
	}
	// February: no urgent tickets, so no attainment; a routine ticket.
	tickets = append(tickets, tk(1, 40, time.Hour, time.Hour))
	// March: 20 urgent tickets, 17 responded in time (85%: 5 points short
	// = 2 steps, 10%), all resolved in time.
	for i := range 20 {
		resp := -time.Minute
		if i < 3 {
			resp = time.Minute
		}
		tickets = append(tickets, tk(0, 61+float64(i)/10, resp, 0))
	}
	r := evaluate(t, c, months(3), tickets...)
	checkPeriods(t, r, 0.15*1000, 0, 0.10*1000)
	resp, resol := r.Meets[0][Response], r.Meets[0][Resolution]
	if resp.Hits != 0 || resp.Trials != 2 || resp.NoTickets != 1 {
		t.Errorf("urgent response: %+v, want 0 of 2 periods met, 1 without tickets", resp)
	}
	if resol.Hits != 2 || resol.Trials != 2 || resol.NoTickets != 1 {
		t.Errorf("urgent resolution: %+v, want 2 of 2 periods met, 1 without tickets", resol)
	}
	if m := r.Meets[1][Response]; m.Trials != 0 || m.NoTickets != 0 || m.Level != 0 {
		t.Errorf("routine has no level, yet %+v", m)
	}
	// Every level in a period: January and March miss urgent response;
	// February has no tickets with a level.
	if a := r.AllMet; a.Hits != 0 || a.Trials != 2 {
		t.Errorf("periods meeting every level: %+v, want 0 of 2", a)
	}
	better := slices.Clone(tickets)
	better[0] = tk(0, 0, -time.Minute, time.Minute) // January: 9 of 10 answered, urgent response met
	if r := evaluate(t, c, months(3), better...); r.AllMet.Hits != 1 || r.AllMet.Trials != 2 || r.Meets[0][Response].Hits != 1 {
		t.Errorf("periods meeting every level: %+v (response %+v), want January's alone of 2", r.AllMet, r.Meets[0][Response])
	}

	// Without a step the credit is flat: 5% per miss.
	c.Credits[0].(*Attainment).Step = 0
	r = evaluate(t, c, months(3), tickets...)
	checkPeriods(t, r, 0.05*1000, 0, 0.05*1000)
}

// missMonths returns tickets that make urgent miss its 90% response level
// in each listed month (index from 0) and meet it in the others up to n.
func missMonths(n int, missed ...int) []sim.TicketRecord {
	var ts []sim.TicketRecord
	for m := range n {
		start := float64(time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC).Sub(jan2024) / day)
		late := -time.Minute
		for _, x := range missed {
			if x == m {
				late = time.Minute
			}
		}
		ts = append(ts, tk(0, start+1, late, -time.Hour), tk(1, start+2, time.Hour, time.Hour))
	}
	return ts
}

func TestEscalationPerContract(t *testing.T) {
	c := &Contract{
		Fee: Fee{Monthly: 1000}, PeriodMonths: 1, Term: 3,
		Levels: []Levels{{Response: 0.9}, {Response: 0.9}},
		Escalation: &Ladder{
			Counts: MissedPeriod, Tiers: []bool{true, false},
			Steps: []Step{{Action: "double service time", Cost: 500}, {Credit: 0.2}, {Terminate: true}},
		},
	}
	// Routine misses every month but does not count. Urgent misses
	// January, February, March (the first term: cost, credit, termination)
	// and May (the second term starts afresh in April).
	r := evaluate(t, c, months(6), missMonths(6, 0, 1, 2, 4)...)
	checkPeriods(t, r, 500, 0.2*1000, 0, 0, 500, 0)
	if r.Terminated != (Proportion{1, 1}) {
		t.Errorf("terminated %+v, want 1 of 1", r.Terminated)
	}
	for s, want := range []Proportion{{1, 1}, {1, 1}, {1, 1}} {
		if r.Ladder[s] != want {
			t.Errorf("ladder step %d reached %+v, want %+v", s+1, r.Ladder[s], want)
		}
	}
	// A miss in May alone is the first rung: no termination in the term.
	r = evaluate(t, c, months(6), missMonths(6, 4)...)
	checkPeriods(t, r, 0, 0, 0, 0, 500, 0)
	if r.Terminated != (Proportion{0, 1}) || r.Ladder[0] != (Proportion{0, 1}) {
		t.Errorf("terminated %+v, ladder %+v; want none in the first term", r.Terminated, r.Ladder)
	}

	// Counting each tier and clock: routine now counts too, so January
	// alone holds two breaches (cost, credit), February two more
	// (termination, and the last step again).
	c.Escalation.Counts, c.Escalation.Tiers = MissedLevel, nil
	r = evaluate(t, c, months(3), missMonths(3, 0, 1)...)
	checkPeriods(t, r, 500+0.2*1000, 0, 0)
	if r.Terminated != (Proportion{1, 1}) {
		t.Errorf("terminated %+v, want 1 of 1", r.Terminated)
	}
}

func TestEscalationPerPeriodTickets(t *testing.T) {
	c := &Contract{
		Fee: Fee{Monthly: 1000}, PeriodMonths: 1, Term: 2,
		Escalation: &Ladder{
			PerPeriod: true, Counts: BreachedTicket, Clock: Resolution,
			Steps: []Step{{Cost: 100}, {Credit: 0.1}, {Cost: 50, Credit: 0.05}},
		},
	}
	// January: 4 breached tickets (cost, credit, last step twice);
	// February: 1; March (past the term): 2.
	var ts []sim.TicketRecord
	for _, x := range []struct{ day, n int }{{1, 4}, {40, 1}, {70, 2}} {
		for i := range x.n {
			ts = append(ts, tk(i%2, float64(x.day), 0, time.Minute))
		}
		ts = append(ts, tk(0, float64(x.day), 0, 0)) // on time
	}
	r := evaluate(t, c, months(3), ts...)
	checkPeriods(t, r, 100+100+2*(50+50), 100, 100+100)
	if r.Terminated != (Proportion{0, 1}) {
		t.Errorf("terminated %+v, want 0 of 1", r.Terminated)
	}
	// Per period: step 1 reached in all three, step 2 in January and
	// March, step 3 in January.
	for s, want := range []Proportion{{3, 3}, {2, 3}, {1, 3}} {
		if r.Ladder[s] != want {
			t.Errorf("ladder step %d reached %+v, want %+v", s+1, r.Ladder[s], want)
		}
	}
}

func TestCap(t *testing.T) {
	// Per-breach credits of 2 × 100 per urgent breach, a ladder credit of
	// 50% and a cost of 300, capped at 30% of revenue (1000 + 100/ticket).
	c := &Contract{
		Fee: Fee{Monthly: 1000, PerTicket: 100}, PeriodMonths: 1, Term: 12,
		Levels:     []Levels{{Resolution: 0.99}, {}},
		Credits:    []Credit{&PerBreach{Clock: Resolution, Credit: []float64{2, 1}}},
		Escalation: &Ladder{Counts: MissedPeriod, Steps: []Step{{Cost: 300, Credit: 0.5}}},
		Cap:        0.3,
	}
	// January: 3 urgent breaches, 1 routine breach, 1 urgent on time:
	// revenue 1500, credits 600 + 100 + 750 = 1450, capped at 450; the
	// cost of 300 is not capped. February: one routine breach, 100,
	// under the cap of 0.3 × 1100 = 330.
	r := evaluate(t, c, months(2),
		tk(0, 1, 0, time.Hour), tk(0, 1, 0, time.Hour), tk(0, 1, 0, time.Hour),
		tk(1, 1, 0, time.Hour), tk(0, 1, 0, 0),
		tk(1, 40, 0, time.Hour),
	)
	checkPeriods(t, r, 450+300, 100)
	if r.Capped != (Proportion{1, 2}) {
		t.Errorf("capped %+v, want 1 of 2 periods", r.Capped)
	}
	// Every rule is scaled by 450/1450: the split still adds up.
	f := 450.0 / 1450
	rule := func(name string) float64 { return r.ByRule[slices.Index(r.Rules, name)].Mean.Mean() * 2 } // two periods
	if got, want := rule("per_breach"), 700*f+100; !near(got, want) {
		t.Errorf("per-breach credits %v, want %v", got, want)
	}
	if got, want := rule("escalation"), 750*f+300; !near(got, want) {
		t.Errorf("escalation %v, want %v", got, want)
	}
	if got, want := r.ByTier[0].Mean.Mean()*2, 600*f; !near(got, want) {
		t.Errorf("urgent credits %v, want %v", got, want)
	}
}

func TestReserve(t *testing.T) {
	// 24 months, two contract years: a fund of 3% of 12 × 1000 = 360 a
	// year. Year one has 4 routine breaches at 100% of the per-ticket fee
	// (100) = 400 > 360; year two 3 = 300.
	c := &Contract{
		Fee: Fee{Monthly: 1000}, PeriodMonths: 1, Term: 12, Reserve: 0.03,
		Credits: []Credit{&PerBreach{Clock: Resolution, Credit: []float64{0, 1}}},
	}
	var ts []sim.TicketRecord
	for m := range 24 {
		start := float64(time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC).Sub(jan2024) / day)
		// Ten tickets a month: a ticket's fee is 100.
		for i := range 10 {
			late := -time.Hour
			if i == 0 && (m < 4 || m >= 12 && m < 15) {
				late = time.Hour
			}
			ts = append(ts, tk(1, start+float64(i), 0, late))
		}
	}
	r := evaluate(t, c, months(24), ts...)
	if r.OverFund != (Proportion{1, 2}) {
		t.Errorf("years over the fund %+v, want 1 of 2", r.OverFund)
	}
	if got := r.YearCost.Mean(); !near(got, 350) {
		t.Errorf("mean year cost %v, want 350", got)
	}
	if got := r.Fund.Mean(); !near(got, 360) {
		t.Errorf("fund %v, want 360", got)
	}
}

func TestCalendarPeriods(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	// The measured window starts on 15 January 2024 after a week's
	// warm-up and lasts 113 days, to 7 May: full months are February
	// (leap, 29 days) to April; March has 743 hours in Paris (summer time starts on the
	// 31st), and April 720.
	origin := time.Date(2024, time.January, 8, 0, 0, 0, 0, paris)
	ps := CalendarPeriods(origin, 1, 7*day, 120*day)
	var labels []string
	var hours []float64
	for _, p := range ps {
		labels = append(labels, p.Label())
		hours = append(hours, p.Hours())
	}
	if want := []string{"2024-02", "2024-03", "2024-04"}; !equal(labels, want) {
		t.Fatalf("periods %v, want %v", labels, want)
	}
	if want := []float64{696, 743, 720}; !equal(hours, want) {
		t.Errorf("hours %v, want %v", hours, want)
	}
	if ps[0].Start != time.Date(2024, time.February, 1, 0, 0, 0, 0, paris).Sub(origin) {
		t.Errorf("February starts at %v", ps[0].Start)
	}

	// A window starting on the first of a month counts that month; one
	// ending on the first of a month counts the month before.
	origin = time.Date(2023, time.December, 31, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, time.July, 1, 0, 0, 0, 0, time.UTC).Sub(origin)
	if got := len(CalendarPeriods(origin, 1, day, end)); got != 6 {
		t.Errorf("%d months in January to June, want 6", got)
	}
	qs := CalendarPeriods(origin, 3, day, end)
	labels = labels[:0]
	for _, q := range qs {
		labels = append(labels, q.Label())
	}
	if want := []string{"2024-Q1", "2024-Q2"}; !equal(labels, want) {
		t.Errorf("quarters %v, want %v", labels, want)
	}
	// Quarters begin in January, April, July, October: a window from
	// 1 February holds Q2 only.
	feb := time.Date(2024, time.February, 1, 0, 0, 0, 0, time.UTC).Sub(origin)
	if qs := CalendarPeriods(origin, 3, feb, end); len(qs) != 1 || qs[0].Label() != "2024-Q2" {
		t.Errorf("quarters from February: %v", qs)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPeriodBoundaries(t *testing.T) {
	// A ticket arriving at the last nanosecond of January is January's; at
	// 00:00 on 1 February, February's; before or after every period,
	// nobody's.
	c := &Contract{
		Fee: Fee{PerTicket: 10}, PeriodMonths: 1, Term: 12,
		Credits: []Credit{&PerBreach{Clock: Response, Credit: []float64{1, 1}}},
	}
	ps := CalendarPeriods(jan2024, 1, day, 61*day) // February only
	if len(ps) != 1 {
		t.Fatalf("%d periods, want February", len(ps))
	}
	feb := ps[0]
	mk := func(at time.Duration) sim.TicketRecord {
		x := tk(0, 0, time.Minute, 0)
		x.Arrival = at
		return x
	}
	r := evaluate(t, c, ps, mk(feb.Start-1), mk(feb.Start), mk(feb.End-1), mk(feb.End))
	checkPeriods(t, r, 2*10)
}

func TestProportionInterval(t *testing.T) {
	// Wilson's interval for none of 10 is [0, z²/(n + z²)].
	lo, hi := Proportion{0, 10}.Interval(0.95)
	z := 1.959963984540054
	if lo != 0 || !near(hi, z*z/(10+z*z)) {
		t.Errorf("0 of 10: [%v, %v]", lo, hi)
	}
	lo, hi = Proportion{10, 10}.Interval(0.95)
	if hi != 1 || !near(lo, 10/(10+z*z)) {
		t.Errorf("10 of 10: [%v, %v]", lo, hi)
	}
	if lo, hi := (Proportion{}).Interval(0.95); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no trials: [%v, %v]", lo, hi)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []*Contract{
		{Fee: Fee{}, PeriodMonths: 1, Term: 1},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 2, Term: 1},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 0},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 1, Levels: []Levels{{Response: 1.5}, {}}},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 1, Credits: []Credit{&PerBreach{Credit: []float64{1}}}},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 1, Credits: []Credit{&Lateness{Credit: []float64{1, 1}}}},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 1, Credits: []Credit{&Outage{Coefficient: []Range{{2, 1}, {}}}}},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 1, Credits: []Credit{&PerBreach{}, &PerBreach{}}},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 1, Escalation: &Ladder{}},
		{Fee: Fee{Monthly: math.NaN()}, PeriodMonths: 1, Term: 1},
		{Fee: Fee{Monthly: 1}, PeriodMonths: 1, Term: 1, Cap: -1},
	} {
		if err := c.Validate(2); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	ok := &Contract{Fee: Fee{Monthly: 1}, PeriodMonths: 3, Term: 4, Credits: []Credit{&PerBreach{}}}
	if err := ok.Validate(2); err != nil {
		t.Error(err)
	}
}

// TestNamedClocks: rules reading a named clock credit the tickets it timed
// past its target: a ticket it did not time never, one that left while
// it ran as a breach without lateness.
func TestNamedClocks(t *testing.T) {
	onSite := func(tk sim.TicketRecord, c sim.ClockTime) sim.TicketRecord {
		tk.Clocks = []sim.ClockTime{{}, c} // the model's second named clock
		return tk
	}
	timed := func(d time.Duration) sim.ClockTime { return sim.ClockTime{Timed: true, Time: d, Target: 4 * time.Hour} }
	tickets := []sim.TicketRecord{
		onSite(tk(0, 1, 0, 0), timed(5*time.Hour)),                           // 1 h late: breach, 2 steps
		onSite(tk(0, 2, 0, 0), timed(4*time.Hour)),                           // on its target
		onSite(tk(0, 3, time.Hour, time.Hour), sim.ClockTime{}),              // not timed: never
		onSite(tk(0, 4, 0, 0), sim.ClockTime{Timed: true, Unanswered: true}), // left while it ran: a breach, no lateness
	}
	c := &Contract{
		Fee: Fee{PerTicket: 100}, PeriodMonths: 1, Term: 12, Clocks: []string{"remote fix", "on site"},
		Credits: []Credit{&PerBreach{Clock: Named(1), Credit: []float64{2, 0}}},
	}
	checkPeriods(t, evaluate(t, c, months(1), tickets...), 2*2*100)
	c.Credits[0] = &Lateness{Clock: Named(1), Step: 30 * time.Minute, Credit: []float64{0.05, 0}}
	checkPeriods(t, evaluate(t, c, months(1), tickets...), 2*0.05*100)
	w := &Wording{Tiers: twoTiers, Clocks: c.Clocks, Share: func(x float64) string { return "x" }, Duration: func(d time.Duration) string { return d.String() }}
	if got := c.Credits[0].Terms(w); !strings.Contains(got, "its on site target") {
		t.Errorf("terms %q do not name the clock", got)
	}
}

// TestNoResolutionClock: a ticket of a tier that promises no resolution
// (ResolutionTarget 0) never misses that clock, however long it took or
// if it left; either clock judges it by its response alone.
func TestNoResolutionClock(t *testing.T) {
	for _, tt := range []struct {
		name                      string
		rec                       sim.TicketRecord
		resolution, either        bool
		eitherLate, eitherClockAt time.Duration
	}{
		{"answered late", sim.TicketRecord{Response: 3 * time.Minute, ResponseTarget: time.Minute, Resolution: 10 * time.Hour},
			false, true, 2 * time.Minute, 3 * time.Minute},
		{"answered in time", sim.TicketRecord{Response: 30 * time.Second, ResponseTarget: time.Minute, Resolution: 10 * time.Hour},
			false, false, -30 * time.Second, 30 * time.Second},
		{"abandoned", sim.TicketRecord{Response: 2 * time.Minute, ResponseTarget: time.Minute, Resolution: 2 * time.Minute, Abandoned: true, Unanswered: true},
			false, true, time.Minute, 2 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := missed(&tt.rec, Resolution); got != tt.resolution {
				t.Errorf("missed resolution: %v", got)
			}
			if got := missed(&tt.rec, Either); got != tt.either {
				t.Errorf("missed either: %v, want %v", got, tt.either)
			}
			if late, at := late(&tt.rec, Either); late != tt.eitherLate || at != tt.eitherClockAt {
				t.Errorf("either: late by %v at %v, want %v at %v", late, at, tt.eitherLate, tt.eitherClockAt)
			}
		})
	}
}

// TestNamedClockLevels: a level on a named clock is judged on the tickets
// the clock timed. Urgent promises 80% of its faults "on site" within
// target. January: 10 urgent tickets, 5 timed by the clock (the others
// never needed the stage), 4 of them on time: 80%, met. February: 5
// timed, 3 on time: 60%, 20 points short, 2 started steps of 10 points,
// 2 × 5% of the revenue (1000). March: urgent tickets but none timed: no
// attainment, neither met nor missed. The response clock has no level:
// every ticket answered late changes nothing.
func TestNamedClockLevels(t *testing.T) {
	c := &Contract{
		Fee: Fee{Monthly: 1000}, PeriodMonths: 1, Term: 12, Clocks: []string{"fix", "on site"},
		Levels:  []Levels{{Clocks: []float64{0, 0.8}}, {}},
		Credits: []Credit{&Attainment{Credit: []float64{0.05, 0}, Step: 0.1}},
	}
	onSite := func(tk sim.TicketRecord, timed, met bool) sim.TicketRecord {
		tk.Clocks = []sim.ClockTime{{}, {Timed: timed, Time: 3 * time.Hour, Target: 4 * time.Hour}}
		if !met {
			tk.Clocks[1].Time = 5 * time.Hour
		}
		return tk
	}
	var tickets []sim.TicketRecord
	for i := range 10 {
		tickets = append(tickets, onSite(tk(0, float64(i), time.Hour, 0), i < 5, i != 0))
	}
	for i := range 5 {
		tickets = append(tickets, onSite(tk(0, 31+float64(i), time.Hour, 0), true, i < 3))
	}
	tickets = append(tickets, onSite(tk(0, 61, time.Hour, 0), false, false))
	r := evaluate(t, c, months(3), tickets...)
	checkPeriods(t, r, 0, 2*0.05*1000, 0)
	m := r.Meets[0][2+1] // after response and resolution, the second named clock
	if m.Level != 0.8 || m.Hits != 1 || m.Trials != 2 || m.NoTickets != 1 {
		t.Errorf("urgent on site: %+v, want level 80%%, 1 of 2 periods met, 1 without timed tickets", m)
	}
	if len(r.Meets[0]) != 4 || r.Meets[0][2].Trials != 0 || r.Meets[0][Response].Trials != 0 {
		t.Errorf("urgent's other clocks judged: %+v", r.Meets[0])
	}
	if got := c.ClockName(Named(1)); got != "on site" {
		t.Errorf("clock name %q", got)
	}
	bad := *c
	bad.Levels = []Levels{{Clocks: []float64{0, 0, 0.5}}, {}}
	if err := bad.Validate(2); err == nil || !strings.Contains(err.Error(), "3 named clocks' levels") {
		t.Errorf("levels on more clocks than the contract names: %v", err)
	}
}

// TestCutShortMissed: a ticket still open as the simulation stopped misses
// the clocks that were still running, even when their times so far are
// within targets longer than the drain; one answered in time before that
// keeps its response met.
func TestCutShortMissed(t *testing.T) {
	open := sim.TicketRecord{Response: time.Hour, ResponseTarget: sim.Week, Resolution: time.Hour, ResolutionTarget: sim.Week, Unresolved: true}
	answered := open
	open.ResponseCensored = true
	for _, tt := range []struct {
		name                         string
		rec                          sim.TicketRecord
		response, resolution, either bool
	}{
		{"nobody answered", open, true, true, true},
		{"answered in time", answered, false, true, true},
	} {
		if got := [3]bool{missed(&tt.rec, Response), missed(&tt.rec, Resolution), missed(&tt.rec, Either)}; got != [3]bool{tt.response, tt.resolution, tt.either} {
			t.Errorf("%s: missed response, resolution, either: %v, want %v", tt.name, got, [3]bool{tt.response, tt.resolution, tt.either})
		}
	}
}

// TestOutageBreachNeverLowersCost: one more late ticket never lowers a
// period's outage credits. Coefficients were drawn for late tickets only,
// so a ticket turning late took the draw of the next late one and moved
// every later draw: a minute's lateness could lower the month's credits by
// far more than it added. 300 random months of 2 to 30 tickets, each
// ticket in turn made a minute late.
func TestOutageBreachNeverLowersCost(t *testing.T) {
	c := &Contract{
		Fee: Fee{Monthly: 744}, PeriodMonths: 1, Term: 12,
		Credits: []Credit{&Outage{Clock: Resolution, Coefficient: []Range{{0, 10}, {0.5, 2}}}},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	lowered := 0
	for range 300 {
		tickets := make([]sim.TicketRecord, 2+rng.IntN(29))
		for i := range tickets {
			late := -time.Hour
			if rng.IntN(2) == 0 {
				late = time.Duration(rng.IntN(100*60)) * time.Minute
			}
			tickets[i] = tk(rng.IntN(2), float64(i)/2, 0, late)
		}
		base := evaluate(t, c, months(1), tickets...).Cost.Mean.Mean()
		for i := range tickets {
			if tickets[i].Resolution > tickets[i].ResolutionTarget {
				continue
			}
			more := slices.Clone(tickets)
			more[i].Resolution = more[i].ResolutionTarget + time.Minute
			if got := evaluate(t, c, months(1), more...).Cost.Mean.Mean(); got < base {
				lowered++
				if lowered <= 3 {
					t.Errorf("ticket %d of %d a minute late: the month's credits fall from %.2f to %.2f", i, len(tickets), base, got)
				}
			}
		}
	}
	if lowered > 0 {
		t.Errorf("%d breaches lowered the credits", lowered)
	}
}
