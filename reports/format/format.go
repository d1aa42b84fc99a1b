package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/plural"
)

// Unknown stands for a value that cannot be known: a share of no tickets,
// the interval of a single replication, a fit with nothing to fit.
const Unknown = "-"

// Percent writes a share as a percentage with one decimal: 94.9%; Unknown
// for NaN.
func Percent(x float64) string {
	if math.IsNaN(x) {
		return Unknown
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// Availability writes a share of time up as a percentage with three
// decimals, enough to tell 99.99% from 99.995%: 99.953%; Unknown for NaN.
func Availability(x float64) string {
	if math.IsNaN(x) {
		return Unknown
	}
	return fmt.Sprintf("%.3f%%", 100*x)
}

// Level writes a level or a confidence, a share someone chose, as a
// percentage without trailing zeros: 95%, 99.5%, 99.25%, and five nines as
// 99.999% (up to four decimals, as chosen). Other shares get two decimals,
// or as many more as keep a share short of 100% or above 0% from reading
// as either.
func Level(x float64) string {
	p := 100 * x
	misreads := func(d int) bool {
		r := roundTo(p, d)
		return x < 1 && r >= 100 || x > 0 && r <= 0
	}
	d := 0
	for ; d <= 4 && (math.Abs(p-roundTo(p, d)) > 1e-9 || misreads(d)); d++ {
	}
	if d > 4 {
		for d = 2; d < 15 && misreads(d); d++ {
		}
	}
	s := strconv.FormatFloat(p, 'f', d, 64)
	if d > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}

// roundTo rounds x to d decimals.
func roundTo(x float64, d int) float64 {
	k := math.Pow10(d)
	return math.Round(x*k) / k
}

// Interval writes an interval of shares clipped to [0, 100%], each end as
// Percent does: [94.3%, 95.4%].
func Interval(lo, hi float64) string {
	return "[" + Percent(max(lo, 0)) + ", " + Percent(min(hi, 1)) + "]"
}

// Judged is Interval for an interval judged against a level: each end
// is written with one decimal, or as many more as keep it on the side of
// the level (as Level writes it) that the exact end is on, at or above it
// or below. An upper end of 0.9499992 under a 95% level reads 94.9999%,
// not 95.0%: its interval does not reach the level, and the verdict says
// so.
func Judged(lo, hi, level float64) string {
	return "[" + judged(max(lo, 0), level) + ", " + judged(min(hi, 1), level) + "]"
}

// judged writes share x as a percentage to the fewest decimals, from one,
// that keep it on x's side of level.
func judged(x, level float64) string {
	if math.IsNaN(x) {
		return Unknown
	}
	at, _ := strconv.ParseFloat(strings.TrimSuffix(Level(level), "%"), 64)
	above := x >= level
	var s string
	for d := 1; d <= 15; d++ {
		s = strconv.FormatFloat(100*x, 'f', d, 64)
		if v, _ := strconv.ParseFloat(s, 64); (v >= at) == above {
			break
		}
	}
	return s + "%"
}

// Money writes an amount: whole units with thousands separators from 100
// up (12,400), two decimals below (42.50); Unknown for NaN.
func Money(x float64) string {
	switch {
	case math.IsNaN(x):
		return Unknown
	case x == 0:
		return "0"
	case math.Abs(x) < 100:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	s := strconv.FormatFloat(math.Round(math.Abs(x)), 'f', 0, 64)
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// Seconds writes a time given in seconds as Duration does. A time past
// what a time.Duration holds (292 years), such as the mean wait of a queue
// a hair's breadth from unstable, is written in weeks to three digits
// (2.38e+11w): converted, it wrapped round to -15250w1d. Unknown for NaN
// and infinities.
func Seconds(s float64) string {
	const week = 7 * 24 * 3600
	switch ns := math.Round(s * 1e9); {
	case math.IsNaN(s) || math.IsInf(s, 0):
		return Unknown
	case !(math.Abs(ns) < math.MaxInt64):
		return strconv.FormatFloat(s/week, 'g', 3, 64) + "w"
	default:
		return Duration(time.Duration(ns))
	}
}

// Duration writes a measured time for reading: two units at most, rounded
// to the smaller (45s, 14m30s, 2h05m, 3d4h, 2w1d); <1s for a positive time
// that would round to zero.
func Duration(d time.Duration) string {
	if d < 0 {
		// The most negative duration has no opposite: take the next.
		return "-" + Duration(-max(d, -math.MaxInt64))
	}
	units := []struct {
		size time.Duration
		name string
	}{{7 * 24 * time.Hour, "w"}, {24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}}
	switch {
	case d == 0:
		return "0s"
	case d < time.Second/2:
		return "<1s"
	}
	for i, u := range units[:len(units)-1] {
		if d < u.size {
			continue
		}
		next := units[i+1]
		d = d.Round(next.size)
		hi, lo := d/u.size, (d%u.size)/next.size
		if lo == 0 {
			return fmt.Sprintf("%d%s", hi, u.name)
		}
		if next.name == "m" || next.name == "s" {
			return fmt.Sprintf("%d%s%02d%s", hi, u.name, lo, next.name)
		}
		return fmt.Sprintf("%d%s%d%s", hi, u.name, lo, next.name)
	}
	return fmt.Sprintf("%ds", d.Round(time.Second)/time.Second)
}

// Hours writes an estimate given in hours to three significant figures, in
// the unit a planner reads it in: 45m, 26.4h, 3.2d, and 2740d without the
// exponent %.3g gave from 1,000 days (1e+03d); Unknown for NaN. Estimates
// are read by their significant figures, measured times (Duration) by
// their units.
func Hours(h float64) string {
	switch {
	case math.IsNaN(h):
		return Unknown
	case h < 1:
		return plural.Figure(h*60, 3) + "m"
	case h < 48:
		return plural.Figure(h, 3) + "h"
	default:
		return plural.Figure(h/24, 3) + "d"
	}
}

// HourOfWeek names an hour of the week, hour 0 being Monday 00:00: Thu
// 22:00.
func HourOfWeek(h int) string {
	days := [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	return fmt.Sprintf("%s %02d:00", days[h/24%7], h%24)
}
