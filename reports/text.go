package reports

import (
	"cmp"
	"slices"

	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	return writeJSON(w, r)
}

// WriteText writes the report as a table for people: per tier and clock,
// attainment with its interval, mean and 95th percentile times, breaches,
// and a verdict against the level.
func (r *Report) WriteText(w io.Writer) error { return format.Text(w, r.writeText) }

func (r *Report) writeText(w io.Writer) error {
	p := &printer{w: w}
	p.f("slasim %s · scenario %s (%s)\n", r.Version, r.Scenario, r.File)
	p.f("seed %d · %d %s", r.Seed, r.Replications, plural.Of(int(r.Replications), "replication", "replications"))
	if r.Precision != nil {
		state := "reached"
		if !*r.PrecisionMet {
			state = "not reached"
		}
		p.f(" · precision ±%s %s", format.Level(*r.Precision), state)
	}
	p.f(" · %s measured after %s\n", format.Duration(seconds(r.HorizonS)), r.warmUpText())
	if note := r.warmUpNote(); note != "" {
		p.f("WARM-UP: %s\n", note)
	}
	if r.Partial {
		p.f("PARTIAL: interrupted after %d of %d planned %s; the figures cover those only.\n", r.Replications, r.Planned, plural.Of(r.Planned, "replication", "replications"))
	}
	if r.Unstable != nil {
		p.f("\nUNSTABLE: %s.\nNo figures: %s.\n", r.Unstable.Reason(), unstableAdvice(r.Unstable))
		return p.err
	}
	p.f("%s on average · offered load %.2f Erlangs\n", plural.Count(r.Capacity, "agent", "agents"), r.OfferedLoad)
	if u := r.Utilisation; u != nil {
		p.f("utilisation %s\n", pctCI(u))
	}
	p.f("\n")

	tw := newTextTable(w)
	fmt.Fprintf(tw, "tier\tclock\ttarget\tattainment\t95%% interval\tmean\tp95\tbreached\tlate by (mean)\tmeets %s?\n", format.Level(r.Level))
	for _, t := range r.Tiers {
		for i, m := range t.metrics() {
			name := t.Name
			if i > 0 {
				name = ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				name, m.name, format.Duration(seconds(m.TargetS)), mean(m.Attainment), judgedInterval(m.Attainment, r.Level),
				clockMean(m.Metric), durationOf(m.P95S), breached(m.Metric), lateness(m.Metric), verdictText[m.Verdict])
			if i == 0 && t.Resolution == nil {
				// Every cell, the seven after it empty (see textTable).
				fmt.Fprintf(tw, "\tresolution\t%s%s\n", noTarget, strings.Repeat("\t", 7))
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	p.f("\nmeets %s?: yes = the whole 95%% interval of attainment is at or above %s; no = it is below;\n", format.Level(r.Level), format.Level(r.Level))
	p.f("not determined = the interval straddles the level: run more replications (--replications or --precision).\n")
	if note := r.censoredNote(); note != "" {
		p.f("%s\n", note)
	}
	if p.err == nil {
		p.err = r.writeAnalytic(w)
	}
	r.writeWhere(p)
	r.writeUnanswered(p)
	r.writePeriods(p)
	r.writeServices(p)
	r.writeMeans(p)
	r.writeFlow(p)
	if p.err == nil {
		p.err = r.writeTeams(w)
	}
	r.writeContract(p)
	return p.err
}

var verdictText = map[Verdict]string{Meets: "yes", Fails: "no", NotDetermined: "not determined"}

// writeWhere names, for each target not met over the window or in some
// period, the hours of the week whose tickets fare worst, and the dates
// when there are results by date: where the promise breaks.
func (r *Report) writeWhere(p *printer) {
	by, missed := r.whereMissed()
	if len(missed) == 0 {
		return
	}
	p.f("\nWhere targets are missed (attainment by %s the tickets arrived in):\n", by)
	for _, m := range missed {
		label := fmt.Sprintf("  %s:", m.Clock)
		p.f("%s", label)
		if len(m.Hours) > 0 {
			p.f(" %s", strings.Join(m.Hours, ", "))
		}
		if len(m.Dates) > 0 && len(m.Hours) > 0 {
			p.f("\n%*s", utf8.RuneCountInString(label), "")
		}
		if len(m.Dates) > 0 {
			p.f(" %s", strings.Join(m.Dates, ", "))
		}
		p.f("\n")
	}
}

// missedClock is a tier's clock not met, over the window or in some
// period, with the hours of the week (and dates) whose tickets fare worst:
// "Mon 22:00 0% (3 tickets)".
type missedClock struct {
	Clock        string // "urgent response"
	Hours, Dates []string
}

// whereMissed lists the clocks not met with their worst hours and dates,
// and says what they are by: the hour of the week, then the date.
func (r *Report) whereMissed() (by string, missed []missedClock) {
	by = "the hour of the week"
	if len(r.Dates) > 0 {
		by = "the hour of the week, then the date"
	}
	for ti, t := range r.Tiers {
		for k, name := range clockNames {
			m := t.clock(k)
			if m == nil || m.Verdict == Meets && !r.periodMissed(ti, k) {
				continue
			}
			mc := missedClock{Clock: t.Name + " " + name}
			for _, h := range worstHours(m, 3) {
				mc.Hours = append(mc.Hours, fmt.Sprintf("%s %.0f%% (%s)", format.HourOfWeek(h), 100**m.AttainmentByHour[h], ticketCount(m.TicketsByHour[h])))
			}
			if len(r.Dates) > 0 {
				for _, d := range r.worstDates(ti, k, 3) {
					c := r.Dates[d].Tiers[ti].clocks()[k]
					mc.Dates = append(mc.Dates, fmt.Sprintf("%s %.0f%% (%s)", dateText(r.Dates[d].Date), 100*float64(c.Met)/float64(c.Tickets), ticketCount(c.Tickets)))
				}
			}
			if len(mc.Hours)+len(mc.Dates) > 0 {
				missed = append(missed, mc)
			}
		}
	}
	return by, missed
}

func ticketCount(n int64) string {
	if n == 1 {
		return "1 ticket"
	}
	return fmt.Sprintf("%d tickets", n)
}

// worstHours returns up to n hours of the week with the lowest attainment,
// among hours holding at least a tenth of an average hour's tickets.
func worstHours(m *Metric, n int) []int {
	var hours []int
	minTickets := max(m.Tickets/sim.HoursPerWeek/10, 1)
	for h, a := range m.AttainmentByHour {
		if a != nil && m.TicketsByHour[h] >= minTickets && *a < 1 {
			hours = append(hours, h)
		}
	}
	slices.SortStableFunc(hours, func(a, b int) int { return cmp.Compare(*m.AttainmentByHour[a], *m.AttainmentByHour[b]) })
	return hours[:min(n, len(hours))]
}

// writeFlow says what became of the tickets, for tiers where more happens
// than people resolving them.
func (r *Report) writeFlow(p *printer) {
	lines := r.flow()
	if len(lines) == 0 {
		return
	}
	p.f("\nTicket flow (shares of tickets arriving in the measured window):\n")
	for _, l := range lines {
		p.f("  %s\n", l)
	}
}

// flow says for each tier where more happens than people resolving them
// what became of its tickets: "urgent: 0.0% resolved by automation, …".
func (r *Report) flow() []string {
	var lines []string
	for _, t := range r.Tiers {
		f := t.Flow
		if f.ByAutomation+f.Abandoned+f.Blocked+f.Escalated+f.Pending+f.Misclassified+f.Deflected+f.Unresolved == 0 || f.Arrived == 0 {
			continue
		}
		share := func(n int64) string { return format.Percent(float64(n) / float64(f.Arrived)) }
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s resolved by automation, %s by people", t.Name, share(f.ByAutomation), share(f.ByPeople))
		if f.Abandoned > 0 || t.Abandoned != nil {
			fmt.Fprintf(&b, ", %s abandoned", share(f.Abandoned))
		}
		if f.Blocked > 0 || t.Blocked != nil {
			fmt.Fprintf(&b, ", %s blocked", share(f.Blocked))
		}
		fmt.Fprintf(&b, ", %s open at the horizon", share(f.OpenAtHorizon))
		for _, x := range []struct {
			n    int64
			what string
		}{{f.Escalated, "escalated"}, {f.Pending, "waited on the customer"}, {f.Misclassified, "entered at a wrong tier"}, {f.Unresolved, "still open when the simulation stopped"}} {
			if x.n > 0 {
				fmt.Fprintf(&b, "; %s %s", share(x.n), x.what)
			}
		}
		if f.Deflected > 0 {
			fmt.Fprintf(&b, "; and %.1f issues per replication deflected by self-service", float64(f.Deflected)/float64(r.Replications))
		}
		lines = append(lines, b.String())
	}
	return lines
}

// writeUnanswered gives, for tiers whose tickets may leave unanswered, the
// share abandoned and blocked, and the response attainment among the
// answered tickets.
func (r *Report) writeUnanswered(p *printer) {
	header := false
	for _, t := range r.Tiers {
		if t.Abandoned == nil && t.Blocked == nil {
			continue
		}
		if !header {
			p.f("\nTickets that left unanswered (share of the tier's tickets, 95%% interval; they miss the response target and are never resolved):\n")
			header = true
		}
		p.f("  %s:", t.Name)
		sep := ""
		for _, o := range []struct {
			*Outcome
			what string
		}{{t.Abandoned, "abandoned"}, {t.Blocked, "blocked by a full line"}} {
			if o.Outcome == nil {
				continue
			}
			p.f("%s %s %s %s (%s)", sep, mean(o.Share), interval(o.Share), o.what, ticketCount(o.Tickets))
			sep = ";"
		}
		if a := t.Response.AnsweredAttainment; a != nil {
			p.f("; answered within %s: %s %s of answered tickets", format.Duration(seconds(t.Response.TargetS)), mean(a), interval(a))
		}
		p.f("\n")
	}
}

// writeTeams lists the teams' utilisation and overtime.
func (r *Report) writeTeams(w io.Writer) error {
	rows := r.teamRows()
	if len(rows) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\n"); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "team\tutilisation\tovertime per replication\n")
	for _, t := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Utilisation, t.Overtime)
	}
	return tw.Flush()
}

// teamRow is a team's utilisation and overtime, as the reports write them.
type teamRow struct{ Name, Utilisation, Overtime string }

// teamRows are the teams' rows, when there is more than one team or some
// overtime to tell of.
func (r *Report) teamRows() []teamRow {
	if len(r.Teams) < 2 && (len(r.Teams) == 0 || r.Teams[0].AgentUtilisation == nil && (r.Teams[0].OvertimeHours == nil || r.Teams[0].OvertimeHours.Mean == 0)) {
		return nil
	}
	var rows []teamRow
	for _, t := range r.Teams {
		row := teamRow{t.Name, format.Unknown, format.Unknown}
		if t.Utilisation != nil {
			row.Utilisation = pctCI(t.Utilisation)
		}
		if t.AgentUtilisation != nil && t.Utilisation != nil {
			row.Utilisation = fmt.Sprintf("%s of %d slots an agent; agents engaged %s", pctCI(t.Utilisation), t.Concurrency, pctCI(t.AgentUtilisation))
		}
		if t.OvertimeHours != nil {
			row.Overtime = fmt.Sprintf("%.1f agent-hours", t.OvertimeHours.Mean)
		}
		rows = append(rows, row)
	}
	return rows
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}

func seconds(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

// durationOf writes a time in seconds that may be missing (Unknown).
func durationOf(s *float64) string {
	if s == nil {
		return format.Unknown
	}
	return format.Duration(seconds(*s))
}

func mean(e *Estimate) string {
	if e == nil {
		return format.Unknown
	}
	return format.Percent(e.Mean)
}

func interval(e *Estimate) string {
	if e == nil || e.Lo == nil {
		return format.Unknown
	}
	return format.Interval(*e.Lo, *e.Hi)
}

// judgedInterval is interval for an attainment judged against level: its
// ends never round onto the other side of it (format.Judged).
func judgedInterval(e *Estimate, level float64) string {
	if e == nil || e.Lo == nil {
		return format.Unknown
	}
	return format.Judged(*e.Lo, *e.Hi, level)
}

// pctCI writes a share and its confidence interval, which need not be
// symmetric about it: the skewness-corrected interval of a few
// replications can reach much further on one side (a mean of 55.2% with
// [50.6%, 79.3%] would read "55.2% ± 14.4%").
func pctCI(e *Estimate) string {
	if e.Lo == nil || e.Hi == nil {
		return format.Percent(e.Mean)
	}
	return format.Percent(e.Mean) + " " + format.Interval(*e.Lo, *e.Hi)
}

func meanDuration(e *Estimate) string {
	if e == nil {
		return format.Unknown
	}
	return format.Duration(seconds(e.Mean))
}

func breached(m *Metric) string {
	if m.Tickets == 0 {
		return format.Unknown
	}
	if m.Censored > 0 {
		return fmt.Sprintf("%d of %d, %d open", m.Breached, m.Tickets, m.Censored)
	}
	return fmt.Sprintf("%d of %d", m.Breached, m.Tickets)
}

// lowerBound marks a figure made of censored times: a lower bound.
func lowerBound(m *Metric, s string) string {
	if m.Censored > 0 && s != format.Unknown {
		return "≥" + s
	}
	return s
}

func clockMean(m *Metric) string { return lowerBound(m, meanDuration(m.MeanS)) }

func lateness(m *Metric) string {
	if m.Breached == m.Unanswered {
		return format.Unknown
	}
	return lowerBound(m, durationOf(m.MeanLatenessS))
}

// warmUpText says what warm-up the replications simulated: "a 1w
// warm-up", "a 5d warm-up (detected)".
func (r *Report) warmUpText() string {
	if r.WarmUpAuto && r.WarmUpCheck == nil {
		return "a warm-up to be detected" // the run stopped before it was
	}
	if r.WarmUpAuto && r.WarmUpS == 0 {
		return noWarmUp
	}
	s := fmt.Sprintf("a %s warm-up", format.Duration(seconds(r.WarmUpS)))
	switch {
	case r.WarmUpAuto && !r.WarmUpCheck.Found:
		s += notFound
	case r.WarmUpAuto:
		s += " (detected)"
	}
	return s
}

// notFound marks a warm-up auto that is all the model allows, the pilots
// having run out before the transient's end (the warm-up note says more).
const notFound = " (the most allowed: the pilot replications found no end to the transient)"

// noWarmUp is a warm-up detected as none: the pilots had no ticket (or,
// on a desk of the automated channel alone, which has no least warm-up,
// showed no transient).
const noWarmUp = "no warm-up (the pilot replications found nothing to warm up)"

// warmUpNote warns of a warm-up shorter than the start-up transient; ""
// when there is nothing to say.
func (r *Report) warmUpNote() string {
	c := r.WarmUpCheck
	switch {
	case c == nil:
		return ""
	case !c.Found && (r.WarmUpAuto || c.DetectedS > r.WarmUpS):
		// Where the pilots stopped is no figure to write as the warm-up.
		// They ran the warm-up allowed and the horizon: a fixed warm-up's,
		// or auto's, up to a year. A warm-up auto short of a year is what
		// the limits leave beside the horizon, whose length then takes as
		// much from the warm-up.
		advice := "a longer horizon lets the pilots run longer"
		switch {
		case !r.WarmUpAuto:
			advice = "set simulation.warm_up to auto, whose pilots may run up to a year beside the horizon"
		case r.WarmUpS < scenarios.MaxAutoWarmUp.Seconds():
			advice = "the limits (20 years with horizon and drain, a billion tickets with the horizon) let them run no longer, and a shorter horizon or drain leaves a longer warm-up, up to a year"
		}
		// The least warm-up, the queue's time scale, is known however
		// short the pilots.
		least := ""
		if c.LeastS > r.WarmUpS {
			least = fmt.Sprintf(" (five relaxation times of the desk's queue at its mean staffing are %s)", format.Duration(seconds(c.LeastS)))
		}
		return fmt.Sprintf("the start-up transient may last longer than the %s the %d pilot replications ran%s, so the %s warm-up may be short and the figures lean optimistic; %s.",
			format.Duration(seconds(c.SpanS)), c.Pilots, least, format.Duration(seconds(r.WarmUpS)), advice)
	case c.DetectedS <= r.WarmUpS:
		return ""
	}
	what, lean := c.transient()
	if r.WarmUpAuto {
		return fmt.Sprintf("%s, longer than the %s warm-up the limits leave (a year at most, 20 years with horizon and drain, a billion tickets with the horizon): the figures %s optimistic; shorten the horizon or the drain.",
			what, format.Duration(seconds(r.WarmUpS)), lean)
	}
	return fmt.Sprintf("%s, longer than the %s warm-up: the figures %s optimistic; set simulation.warm_up to %s, or to auto.",
		what, format.Duration(seconds(r.WarmUpS)), lean, exact(c.DetectedS))
}

// transient says how long the start-up lasts by the pilots, and how the
// figures of a shorter warm-up lean: optimistic for a transient found,
// maybe for the least warm-up, which is a time scale, not a transient.
// The figure is exact, as the warm-up to write: rounded, 7d10h read 1w,
// "longer than the 1w warm-up".
func (c *WarmUpCheck) transient() (what, lean string) {
	if c.DetectedS > c.LeastS {
		return fmt.Sprintf("the start-up transient lasts about %s (found in %d pilot replications)", exact(c.DetectedS), c.Pilots), "lean"
	}
	return fmt.Sprintf("the desk's queue takes about %s to forget its empty start (five relaxation times at its mean staffing; the %d pilot replications showed no longer transient)",
		exact(c.DetectedS), c.Pilots), "may lean"
}

// exact writes a warm-up of s seconds to the second, as a scenario takes
// it (7d10h): what a reader is told to write, which Duration's rounding
// could give short (1w).
func exact(s float64) string { return scenarios.FormatDuration(seconds(s).Round(time.Second)) }

// UnstableNote is what an unstable run shows instead of figures: why, and
// what to change; "" for a stable one.
func (r *Report) UnstableNote() string {
	if r.Unstable == nil {
		return ""
	}
	return fmt.Sprintf("Unstable: %s. No figures: %s.", r.Unstable.Reason(), unstableAdvice(r.Unstable))
}

// unstableAdvice says what an instability means for the user.
func unstableAdvice(u *sim.Instability) string {
	if u.InSystem == 0 && u.AutomationCapacity > 0 && u.AutomationLoad >= u.AutomationCapacity {
		return "the automated attempts' queue grows without bound. Raise automation.capacity or send fewer tickets to automation"
	}
	if u.Limit > 0 {
		return "the backlog outgrew what a replication may hold; if the desk clears it later, shorten the peak or add agents to it"
	}
	return "the backlog grows without bound. Add agents or reduce the volume"
}

// censoredNote explains the tickets still open when the simulation
// stopped, if there were any; "" otherwise.
func (r *Report) censoredNote() string {
	var open []string
	for _, t := range r.Tiers {
		n := t.Response.Censored // a tier that promises no resolution: the unanswered
		if t.Resolution != nil {
			n = t.Resolution.Censored
		}
		if n > 0 {
			open = append(open, fmt.Sprintf("%d %s", n, t.Name))
		}
	}
	if len(open) == 0 {
		return ""
	}
	return fmt.Sprintf("open = still open when the simulation stopped, %s after the horizon (%s tickets in all replications): counted as breached,\n"+
		"their clock times to that point, so the mean and lateness (marked ≥) are lower bounds; a longer simulation.drain follows them further.",
		format.Duration(seconds(r.DrainS)), strings.Join(open, ", "))
}

// writeJSON writes v as the indented JSON every command's document is
// printed in.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
