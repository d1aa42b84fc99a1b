package fit

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

var weekdayNames = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// hourName names hour-of-week h: "Mon 09:00".
func hourName(h int) string { return fmt.Sprintf("%s %02d:00", weekdayNames[h/24], h%24) }

// QuietDays are the whole days whose volume was under half of what the
// weekly profile expects (holidays, outages of the ticketing tool), as
// indexes into the window's days; days expecting fewer than 20 tickets are
// not judged.
func (a *Arrivals) QuietDays() []int {
	var q []int
	for i, n := range a.Daily {
		if e := a.Expected[i]; e >= 20 && float64(n) < e/2 {
			q = append(q, i)
		}
	}
	return q
}

// WeekdayShare is the share of tickets that arrived Monday to Friday.
func (a *Arrivals) WeekdayShare() float64 {
	n := 0
	for h := range 5 * 24 {
		n += a.Count[h]
	}
	return float64(n) / float64(a.Tickets)
}

// Warnings are what the user of a fit must know: what the scenario could
// not take from the export, and what went wrong reading it.
func (res *Result) Warnings() []string {
	ex := res.Export
	var ws []string
	ws = append(ws, fmt.Sprintf("staffing is not in a ticket export: the scenario's agents: %d is a PLACEHOLDER, ample so that nothing queues; replace it with your agents or teams", res.PlaceholderAgents()))
	ws = append(ws, "the export has no SLA targets: the scenario's targets are PLACEHOLDERS from the commitment letter (15m/4h, 30m/8h, 1h/24h by tier rank)")
	switch res.Options.HandlingFrom {
	case HandlingResolution:
		ws = append(ws, "handling times are resolution times (opened -> resolved), waiting included: the scenario reproduces today's resolution times but cannot say what other staffing would do (docs/fit.md)")
	case HandlingResponse:
		ws = append(ws, "handling times are first response -> resolved, which still includes waiting on the customer (docs/fit.md)")
	}
	if d := &res.Drift; d.Drifted() {
		ws = append(ws, "handling times changed over the period: "+describeDrift(d)+"; a fit assumes they did not (fit recent weeks only with --since)")
	}
	if ex.BadRows > 0 {
		ws = append(ws, ex.BadSummary())
	}
	if len(ex.Absent) > 0 {
		ws = append(ws, "columns of the preset not in the export, not fitted: "+strings.Join(ex.Absent, ", "))
	}
	return ws
}

// WriteReport writes a short text report of the fit.
func (res *Result) WriteReport(w io.Writer) error {
	ex := res.Export
	win := &res.Window
	a := &res.Total
	var b strings.Builder
	fmt.Fprintf(&b, "fit of %s: preset %s, dates %s read as %s time\n", filepath.Base(ex.File), ex.Mapping.Name, humanLayout(ex.Layouts[Opened]), ex.Location)
	fmt.Fprintf(&b, "  rows     %d read, %d unreadable, %d superseded by a later update of the same ticket\n", ex.Rows, ex.BadRows, ex.Superseded)
	fmt.Fprintf(&b, "  tickets  %d opened %s to %s (%.1f weeks, %d whole days)", a.Tickets,
		win.Start.Format("2006-01-02 15:04"), win.End.Format("2006-01-02 15:04 MST"), win.Weeks(), len(win.Days))
	if res.Outside > 0 {
		fmt.Fprintf(&b, "; %d outside left out", res.Outside)
	}
	fmt.Fprintf(&b, "\n  volume   %.1f a day", a.PerDay())
	if a.Trend.OK {
		fmt.Fprintf(&b, "; trend %s", describeTrend(&a.Trend, a.PerDay()))
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
	fmt.Fprintf(&b, "\n  weekly   peak %s (%.1f an hour), lowest %s (%.2g); Monday to Friday %.1f%% of tickets\n",
		hourName(peak), a.Rate[peak], hourName(low), a.Rate[low], 100*a.WeekdayShare())
	if a.DF > 0 {
		fmt.Fprintf(&b, "  daily    %s\n", describeDispersion(&a.Dispersion))
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
		chosen := fmt.Sprintf("%s mean %s cv %.3g", c.Family, hours(c.Mean), c.CV)
		if res.Options.Empirical {
			chosen = fmt.Sprintf("empirical (%d values)", len(d.EmpiricalValues()))
		}
		if t.HandlingPooled {
			chosen += " (all tiers)"
		}
		next := "-"
		if order := d.byKS(); len(order) > 1 {
			n := &d.Fits[order[1]]
			next = fmt.Sprintf("%s %.3f", n.Family, n.KS)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%d\t%s\t%.3f\t%s\t%s\t%s\t%s\n", t.Name, t.Arrivals.Tickets,
			100*float64(t.Arrivals.Tickets)/float64(a.Tickets), t.HandlingN, chosen, c.KS, next,
			pct(t.Met, t.MetKnown), pct(t.Reassigned, t.ReassignKnown), pct(t.Reopened, t.ReopenKnown))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.Reset()
	fmt.Fprintf(&b, "  (times: the %s times fitted; KS: Kolmogorov-Smirnov distance of the fit)\n\n", res.Options.HandlingFrom)
	for _, s := range res.Warnings() {
		fmt.Fprintf(&b, "note: %s\n", s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func describeDrift(d *Drift) string {
	return fmt.Sprintf("median %s in the first half (%d tickets), %s in the second (%d); KS distance %.3f, p = %.2g",
		hours(d.Median[0]), d.N[0], hours(d.Median[1]), d.N[1], d.KS, d.P)
}

// byKS lists the OK fits' indexes, closest first.
func (d *Durations) byKS() []int {
	var order []int
	for i := range d.Fits {
		if d.Fits[i].OK {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(i, j int) int {
		switch {
		case d.Fits[i].KS < d.Fits[j].KS:
			return -1
		case d.Fits[i].KS > d.Fits[j].KS:
			return 1
		}
		return 0
	})
	return order
}

func pct(k, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(k)/float64(n))
}

// ParseTime reads a --since or --until time in loc: a date (2016-04-15,
// midnight), a date and time (2016-04-15 08:00), or RFC 3339.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.In(loc), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a time: write 2016-04-15, 2016-04-15 08:00 or RFC 3339", s)
}
