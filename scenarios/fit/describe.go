package fit

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
)

// What a fit found, in words: shared by the scenario it writes (as
// comments) and by its report (package reports).

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

// DateFormat names the format the export's opening dates were read in, the
// way a person writes it: d/m/yyyy HH:MM.
func (ex *Export) DateFormat() string { return humanLayout(ex.Layouts[Opened]) }

// Describe says how daily volume trends, and whether that is significant.
func (t *Trend) Describe(perDay float64) string {
	sig := "not significant"
	if math.Abs(t.Slope) > 2*t.SE {
		sig = "significant at 5%"
	}
	return fmt.Sprintf("%s tickets a day per week ± %s (%s%% a week), %s",
		signed(7*t.Slope), plural.Figure(7*t.SE, 2), signed(100*7*t.Slope/perDay), sig)
}

// signed writes x to two significant digits, with its sign: +0.21, -150.
func signed(x float64) string {
	s := plural.Figure(x, 2)
	if strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}

// Describe says how much daily counts vary beyond Poisson.
func (d *Dispersion) Describe() string {
	s := fmt.Sprintf("index of dispersion %s over %d whole %s (Poisson: 1; chi-square p = %.2g)", plural.Figure(d.Index, 3), d.Days, plural.Of(d.Days, "day", "days"), d.P)
	if d.Overdispersed() {
		return s + fmt.Sprintf(", overdispersed: as a gamma factor on each day's volume, cv %.3g ± %.2g (negative binomial size %s)", d.CV, d.CVSE, plural.Figure(1/(d.CV*d.CV), 3))
	}
	return s + ", no more than Poisson"
}

// Describe says how handling times differ between the window's halves.
func (d *Drift) Describe() string {
	return fmt.Sprintf("median %s in the first half (%d tickets), %s in the second (%d); KS distance %.3f, p = %.2g",
		format.Hours(d.Median[0]), d.N[0], format.Hours(d.Median[1]), d.N[1], d.KS, d.P)
}

// Ranked lists the indexes of the usable fits, closest to the data (by
// Kolmogorov–Smirnov distance) first.
func (d *Durations) Ranked() []int {
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

// DescribeUnobserved says which hours of the week the window never holds
// outside its gaps, and what rates they were given (arrivalCount.fit);
// "" when it holds them all.
func (w *Window) DescribeUnobserved() string {
	spans := w.unobserved()
	if spans == "" {
		return ""
	}
	given := "the rate of their hour of the day on the days it holds"
	var held [24]bool
	for h, e := range w.Exposure {
		held[h%24] = held[h%24] || e > 0
	}
	if slices.Contains(held[:], false) {
		given += " (the mean rate of the hours it holds, for an hour of the day it never holds)"
	}
	return "hours of the week the export never holds (" + spans + ") are given " + given + ": export a whole week or more to fit them"
}

// maxGapsShown is how many gaps DescribeGaps lists.
const maxGapsShown = 10

// DescribeGaps lists the window's gaps, the first maxGapsShown of them.
func (w *Window) DescribeGaps() string { return w.describeGaps("the rates and the daily counts") }

// DescribeGaps lists the gaps of the held-out period, left out of the
// days compared.
func (bt *Backtest) DescribeGaps() string { return bt.Window.describeGaps("the days compared") }

// describeGaps lists the window's gaps, left out of what leftOutOf says.
func (w *Window) describeGaps(leftOutOf string) string {
	var parts []string
	var hours float64
	for i, g := range w.Gaps {
		h := g.End.Sub(g.Start).Hours()
		hours += h
		if i < maxGapsShown {
			parts = append(parts, fmt.Sprintf("%s to %s (%.0f hours, %.0f tickets expected)", g.Start.Format("Mon 2006-01-02 15:04"), g.End.Format("Mon 2006-01-02 15:04"), h, g.Expected))
		}
	}
	if more := len(w.Gaps) - maxGapsShown; more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", more))
	}
	return fmt.Sprintf("%d %s without a single ticket, %.0f hours in all, where the rates expect many (missing weeks? an outage?), left out of %s: %s",
		len(w.Gaps), plural.Of(len(w.Gaps), "gap", "gaps"), hours, leftOutOf, strings.Join(parts, ", "))
}

// DescribeImplausible says that n tickets resolved before they opened, or
// more than ten years after, are left out.
func DescribeImplausible(n int) string {
	return fmt.Sprintf("%s resolved before %s opened, or more than ten years after, %s left out", ticketCount(n), plural.Of(n, "it", "they"), plural.Of(n, "is", "are"))
}

// ticketCount writes n tickets: "1 ticket", "2 tickets".
func ticketCount(n int) string { return fmt.Sprintf("%d %s", n, plural.Of(n, "ticket", "tickets")) }
