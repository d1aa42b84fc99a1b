package reports

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios/fit"
)

// Fit is the report of a calibration (slasim fit): what was read and
// fitted, and, when the fit was tested on held-out days, the back-test.
type Fit struct {
	Result *fit.Result
	// Backtest is nil without a back-test.
	Backtest *fit.Backtest
}

// WriteText writes a short text report of the fit, then the back-test's
// comparison.
func (f *Fit) WriteText(w io.Writer) error { return format.Text(w, f.writeText) }

func (f *Fit) writeText(w io.Writer) error {
	if err := writeFitText(w, f.Result); err != nil {
		return err
	}
	if f.Backtest == nil {
		return nil
	}
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	return writeBacktestText(w, f.Backtest)
}

func writeFitText(w io.Writer, res *fit.Result) error {
	ex := res.Export
	win := &res.Window
	a := &res.Total
	var b strings.Builder
	fmt.Fprintf(&b, "fit of %s: preset %s, dates %s read as %s time\n", filepath.Base(ex.File), ex.Mapping.Name, ex.DateFormat(), ex.Location)
	fmt.Fprintf(&b, "  rows     %d read, %d unreadable, %d superseded by a later update of the same ticket\n", ex.Rows, ex.BadRows, ex.Superseded)
	fmt.Fprintf(&b, "  tickets  %d opened %s to %s (%.1f weeks, %d whole %s)", a.Tickets,
		win.Start.Format("2006-01-02 15:04"), win.End.Format("2006-01-02 15:04 MST"), win.Weeks(), len(win.Days), plural.Of(len(win.Days), "day", "days"))
	if res.Outside > 0 {
		fmt.Fprintf(&b, "; %d outside left out", res.Outside)
	}
	fmt.Fprintf(&b, "\n  volume   %.1f a day", a.PerDay())
	if a.Trend.OK {
		fmt.Fprintf(&b, "; trend %s", a.Trend.Describe(a.PerDay()))
	}
	peak, low := 0, 0
	for h := range a.Rate {
		if a.Rate[h] > a.Rate[peak] {
			peak = h
		}
		if a.Rate[h] < a.Rate[low] {
			low = h
		}
	}
	if a.Rate[peak] == a.Rate[low] {
		// An export of a few hours gives every hour the window's rate.
		fmt.Fprintf(&b, "\n  weekly   flat, %.1f an hour in every hour; Monday to Friday %s of tickets\n", a.Rate[peak], format.Percent(a.WeekdayShare()))
	} else {
		fmt.Fprintf(&b, "\n  weekly   peak %s (%.1f an hour), lowest %s (%s); Monday to Friday %s of tickets\n",
			format.HourOfWeek(peak), a.Rate[peak], format.HourOfWeek(low), plural.Figure(a.Rate[low], 2), format.Percent(a.WeekdayShare()))
	}
	if a.DF > 0 {
		fmt.Fprintf(&b, "  daily    %s\n", a.Dispersion.Describe())
	}
	if q := a.QuietDays(); len(q) > 0 {
		var days []string
		for _, i := range q {
			days = append(days, fmt.Sprintf("%s (%d, expected %.0f)", win.Days[i].Format("Mon 2006-01-02"), a.Daily[i], a.Expected[i]))
		}
		fmt.Fprintf(&b, "  quiet    days under half their expected volume (holidays?): %s\n", strings.Join(days, ", "))
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "tier\ttickets\tshare\ttimes\thandling fit\tKS\tnext best\tmade_sla\treassigned\treopened\n")
	for _, t := range res.Tiers {
		d := t.Handling
		c := d.Chosen()
		chosen := fmt.Sprintf("%s mean %s cv %.3g", c.Family, format.Hours(c.Mean), c.CV)
		if res.Options.Empirical {
			chosen = fmt.Sprintf("empirical (%d values)", len(d.EmpiricalValues()))
		}
		if t.HandlingPooled {
			chosen += " (all tiers)"
		}
		next := format.Unknown
		if order := d.Ranked(); len(order) > 1 {
			n := &d.Fits[order[1]]
			next = fmt.Sprintf("%s %.3f", n.Family, n.KS)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%.3f\t%s\t%s\t%s\t%s\n", t.Name, t.Arrivals.Tickets,
			ratio(t.Arrivals.Tickets, a.Tickets), t.HandlingN, chosen, c.KS, next,
			ratio(t.Met, t.MetKnown), ratio(t.Reassigned, t.ReassignKnown), ratio(t.Reopened, t.ReopenKnown))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.Reset()
	fmt.Fprintf(&b, "  (times: the %s times fitted; KS: Kolmogorov-Smirnov distance of the fit)\n\n", res.Options.HandlingFrom)
	for _, s := range fitNotes(res) {
		fmt.Fprintf(&b, "note: %s\n", s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fitNotes are what the user of a fit must know: what the scenario could
// not take from the export, and what went wrong reading it.
func fitNotes(res *fit.Result) []string {
	ex := res.Export
	var ws []string
	ws = append(ws, fmt.Sprintf("staffing is not in a ticket export: the scenario's agents: %d is a PLACEHOLDER, ample so that nothing queues; replace it with your agents or teams", res.PlaceholderAgents()))
	ws = append(ws, "the export has no SLA targets: the scenario's targets are PLACEHOLDERS from the commitment letter (15m/4h, 30m/8h, 1h/24h by tier rank)")
	switch res.Options.HandlingFrom {
	case fit.HandlingResolution:
		ws = append(ws, "handling times are resolution times (opened -> resolved), waiting included: the scenario reproduces today's resolution times but cannot say what other staffing would do (docs/fit.md)")
	case fit.HandlingResponse:
		ws = append(ws, "handling times are first response -> resolved, which still includes waiting on the customer (docs/fit.md)")
	}
	if d := &res.Drift; d.Drifted() {
		ws = append(ws, "handling times changed over the period: "+d.Describe()+"; a fit assumes they did not (fit recent weeks only with --since)")
	}
	if len(res.Window.Gaps) > 0 {
		ws = append(ws, res.Window.DescribeGaps())
	}
	implausible := 0
	for _, t := range res.Tiers {
		implausible += t.Implausible
	}
	if implausible > 0 {
		ws = append(ws, fit.DescribeImplausible(implausible)+" of the fits of resolution times (is the mapping right?)")
	}
	if u := res.Window.DescribeUnobserved(); u != "" {
		ws = append(ws, u)
	}
	if ex.BadRows > 0 {
		ws = append(ws, ex.BadSummary())
	}
	for _, s := range []string{ex.BadValueSummary(), ex.MarkerSummary()} {
		if s != "" {
			ws = append(ws, s)
		}
	}
	if ex.OtherChannel > 0 {
		ws = append(ws, fmt.Sprintf("%d %s of channels beyond the first %d counted as %s", ex.OtherChannel, plural.Of(ex.OtherChannel, "ticket", "tickets"), fit.MaxChannels, fit.OtherChannel))
	}
	if len(ex.Absent) > 0 {
		ws = append(ws, "columns of the preset not in the export, not fitted: "+strings.Join(ex.Absent, ", "))
	}
	return ws
}

// ratio writes k of n as a percentage; a dash when n is 0.
func ratio(k, n int) string {
	if n == 0 {
		return format.Unknown
	}
	return format.Percent(float64(k) / float64(n))
}

// maxDaysShown is how many held-out days outside their simulated range a
// back-test lists: a wrong model can miss every day of years.
const maxDaysShown = 10

// writeBacktestText writes the comparison of a back-test.
func writeBacktestText(w io.Writer, bt *fit.Backtest) error {
	var b strings.Builder
	win := &bt.Window
	fmt.Fprintf(&b, "back-test: %d held-out whole %s from %s, against %d simulated %s of the fitted scenario\n",
		len(bt.Days), plural.Of(len(bt.Days), "day", "days"), win.Days[0].Format("Mon 2006-01-02"), bt.Replications, plural.Of(bt.Replications, "replication", "replications"))
	fmt.Fprintf(&b, "  daily volume   observed mean %.1f sd %.1f; simulated mean %.1f sd %.1f\n", bt.ObsMean, bt.ObsSD, bt.SimMean, bt.SimSD)
	fmt.Fprintf(&b, "  coverage       %d of %d %s (%.0f%%) inside the simulated central 95%% range (a right model: about 95%%)\n",
		bt.Covered, len(bt.Days), plural.Of(len(bt.Days), "day", "days"), 100*float64(bt.Covered)/float64(len(bt.Days)))
	var out []string
	outside := 0
	for _, d := range bt.Days {
		if float64(d.Observed) < d.Lo || float64(d.Observed) > d.Hi {
			if outside++; outside <= maxDaysShown {
				out = append(out, fmt.Sprintf("%s %d (%.0f-%.0f)", d.Day.Format("Mon 01-02"), d.Observed, d.Lo, d.Hi))
			}
		}
	}
	if more := outside - maxDaysShown; more > 0 {
		out = append(out, fmt.Sprintf("and %d more", more))
	}
	if len(win.Gaps) > 0 {
		fmt.Fprintf(&b, "  gaps           %s\n", bt.DescribeGaps())
	}
	if len(out) > 0 {
		fmt.Fprintf(&b, "  outside        %s\n", strings.Join(out, ", "))
	}
	b.WriteString("  tier volumes   ")
	for i, t := range bt.Tiers {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %d (simulated %.0f, 95%% %.0f-%.0f)", t.Name, t.Observed, t.Mean, t.Lo, t.Hi)
	}
	rc := &bt.Resolution
	switch {
	case rc.N == 0:
		b.WriteString("\n  resolution times: no held-out ticket is resolved yet, none compared\n")
	case len(rc.Levels) == 0:
		fmt.Fprintf(&b, "\n  resolution times of %d held-out %s: none in the fit's period or the simulation to compare with\n", rc.N, plural.Of(rc.N, "ticket", "tickets"))
	}
	if len(rc.Levels) == 0 {
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "\n  resolution times of %d held-out %s (hours):\n", rc.N, plural.Of(rc.N, "ticket", "tickets"))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "    quantile\t")
	for _, q := range rc.Levels {
		fmt.Fprintf(tw, "%g%%\t", 100*q)
	}
	for _, row := range []struct {
		name string
		v    []float64
	}{{"held out", rc.Observed}, {"simulated", rc.Simulated}, {"fit period", rc.Training}} {
		fmt.Fprintf(tw, "\n    %s\t", row.name)
		for _, x := range row.v {
			fmt.Fprintf(tw, "%s\t", plural.Figure(x, 3))
		}
	}
	fmt.Fprintf(tw, "\n")
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "  KS distance    simulated vs held out %.3f; fit period's own times vs held out %.3f\n", rc.KS, rc.KSTraining)
	return err
}
