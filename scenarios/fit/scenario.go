package fit

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
)

// A placeholder is a tier's SLA targets when the export has none: the
// documents' figures by rank, highest tier first.
type placeholder struct {
	source               string
	response, resolution time.Duration
}

var rankTargets = []placeholder{
	{"the commitment letter's urgent tier", 15 * time.Minute, 4 * time.Hour},
	{"the commitment letter's high tier", 30 * time.Minute, 8 * time.Hour},
	{"the commitment letter's routine tier", time.Hour, 24 * time.Hour},
	{"the p0-p4 example's P3", 8 * time.Hour, 3 * 24 * time.Hour},
	{"the p0-p4 example's P4", 24 * time.Hour, 14 * 24 * time.Hour},
}

// placeholderTargets returns the targets the scenario gives the tier of the
// given rank (0 for the highest), and where they come from.
func placeholderTargets(rank int) (response, resolution time.Duration, source string) {
	p := rankTargets[min(rank, len(rankTargets)-1)]
	return p.response, p.resolution, p.source
}

// DefaultName is the scenario name for an export file: its base name
// without .csv or .gz.
func DefaultName(file string) string {
	name := filepath.Base(file)
	for _, ext := range []string{".gz", ".csv", ".txt"} {
		name = strings.TrimSuffix(name, ext)
	}
	return name
}

// Scenario writes the fit as a scenario file named name, with comments
// saying where each number came from, and parses it back: the scenario
// returned is what a run of the file simulates. An error means the written
// file would not parse, which is a bug in this package.
func Scenario(res *Result, name string) ([]byte, *scenarios.Scenario, error) {
	var b bytes.Buffer
	w := &writer{b: &b, res: res}
	w.write(name)
	sc, err := scenarios.Parse(name+".yaml", b.Bytes())
	if err != nil {
		return nil, nil, fmt.Errorf("the fitted scenario does not parse (a bug in slasim fit): %w", err)
	}
	return b.Bytes(), sc, nil
}

type writer struct {
	b   *bytes.Buffer
	res *Result
}

func (w *writer) printf(format string, a ...any) { fmt.Fprintf(w.b, format, a...) }

// comment writes text as comment lines of at most 76 columns, indented.
func (w *writer) comment(indent, text string) { w.wrap(indent+"#", text) }

// wrap writes text in lines of at most 76 columns, each starting with
// prefix. Names from the export in it are escaped as for a terminal, which
// leaves text a YAML comment may hold (a channel named "pho\x99e" made
// the scenario invalid YAML).
func (w *writer) wrap(prefix, text string) {
	line := prefix
	for _, word := range strings.Fields(format.Printable(text)) {
		if len(line)+1+len(word) > 76 && len(line) > len(prefix) {
			w.b.WriteString(line + "\n")
			line = prefix
		}
		line += " " + word
	}
	w.b.WriteString(line + "\n")
}

func (w *writer) write(name string) {
	res, ex := w.res, w.res.Export
	win := &res.Window
	w.printf("# Calibrated by `slasim fit` from %s (preset %s; dates %s, read as %s time).\n",
		format.Printable(filepath.Base(ex.File)), ex.Mapping.Name, format.Printable(ex.DateFormat()), ex.Location)
	w.printf("#   rows:    %d read, %d unreadable, %d earlier %s of a ticket superseded\n", ex.Rows, ex.BadRows, ex.Superseded, plural.Of(ex.Superseded, "update", "updates"))
	w.printf("#   tickets: %d opened %s to %s (%.1f weeks, %d whole %s)", res.Total.Tickets,
		win.Start.Format("2006-01-02 15:04"), win.End.Format("2006-01-02 15:04 MST"), win.Weeks(), len(win.Days), plural.Of(len(win.Days), "day", "days"))
	if res.Outside > 0 {
		w.printf("; %d outside the period left out", res.Outside)
	}
	w.printf("\n")
	if len(win.Gaps) > 0 {
		w.comment("", "WARNING: "+win.DescribeGaps()+".")
	}
	if u := win.DescribeUnobserved(); u != "" {
		w.comment("", "WARNING: "+u+".")
	}
	if d := &res.Drift; d.Drifted() {
		w.comment("", "WARNING: handling times changed over the period: "+d.Describe()+". The fits below assume they did not; fit recent weeks only with --since.")
	}
	w.comment("", "Each number below says where it came from. A ticket export cannot tell who worked, how long the work itself took, or what was promised: the agents, the targets and the meaning of the handling times are marked PLACEHOLDER or ASSUMPTION, to replace (docs/fit.md).")
	w.printf("name: %s\n", strconv.Quote(name))
	w.printf("description: %s\n\n", strconv.Quote(fmt.Sprintf("Fitted from %s: %s a day, %d %s; agents and targets are placeholders",
		filepath.Base(ex.File), plural.Count(res.Total.PerDay(), "ticket", "tickets"), len(res.Tiers), plural.Of(len(res.Tiers), "tier", "tiers"))))

	weeks := max(1, int(win.Weeks()))
	next := nextMonday(win.End)
	w.printf("simulation:\n")
	w.comment("  ", fmt.Sprintf("The weeks right after the export, as long as the observed period in whole weeks (%.1f weeks observed), in the export's time zone.", win.Weeks()))
	w.printf("  start: %s\n  timezone: %s\n", next.Format(time.DateOnly), strconv.Quote(ex.Location.String()))
	w.printf("  horizon: %dw\n", weeks)
	w.comment("  ", "Found from pilot replications: tickets that take days to resolve need weeks of warm-up.")
	w.printf("  warm_up: auto\n  replications: 20\n  seed: 1\n\n")

	w.arrivals()
	w.printf("\ntiers:                 # highest priority first\n")
	for i, t := range res.Tiers {
		w.tier(i, t)
	}
	w.agents()
}

func (w *writer) arrivals() {
	res := w.res
	win := &res.Window
	a := &res.Total
	w.printf("arrivals:\n")
	w.comment("  ", fmt.Sprintf("%s over %.0f hours: %.1f a day over the average week (the mean of the 168 hourly rates below, times 24).",
		ticketCount(a.Tickets), win.Hours(), a.PerDay()))
	w.printf("  volume: %s/day\n", strconv.FormatFloat(a.PerDay(), 'g', 4, 64))
	if a.Trend.OK {
		w.comment("  ", "Trend, not applied (use scale for growth): "+a.Trend.Describe(a.PerDay())+".")
	}
	d := &a.Dispersion
	if d.DF > 0 {
		w.comment("  ", "Day-to-day variation: "+d.Describe()+".")
		if cv := res.DailyCV(); cv > 0 {
			w.printf("  daily_cv: %.3g\n", cv)
		}
	}
	w.printf("  profile:\n")
	w.comment("    ", fmt.Sprintf("Tickets per hour in each hour of the week, from Monday 00:00, fitted as count / hours observed (each hour of the week was observed %s times). Only their shape matters: volume sets the total. Above each line, the tickets counted in each hour.",
		exposureRange(win)))
	w.weekly("    ", &a.Count, &a.Rate)
}

// weekly writes a 168-weight profile, the counts behind each line above it.
func (w *writer) weekly(indent string, count *[HoursPerWeek]int, rate *[HoursPerWeek]float64) {
	w.printf("%sweekly: [\n", indent)
	days := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	for line := range HoursPerWeek / 12 {
		from := line * 12
		counts := make([]string, 12)
		rates := make([]string, 12)
		for i := range 12 {
			counts[i] = strconv.Itoa(count[from+i])
			rates[i] = strconv.FormatFloat(rate[from+i], 'g', 3, 64)
		}
		w.printf("%s  # %s %02d-%02d: %s\n", indent, days[from/24], from%24, from%24+11, strings.Join(counts, " "))
		sep := ","
		if line == HoursPerWeek/12-1 {
			sep = ""
		}
		w.printf("%s  %s%s\n", indent, strings.Join(rates, ", "), sep)
	}
	w.printf("%s]\n", indent)
}

func exposureRange(win *Window) string {
	lo, hi := math.Inf(1), 0.0
	for _, e := range win.Exposure {
		lo, hi = min(lo, e), max(hi, e)
	}
	if math.Round(lo) == math.Round(hi) {
		return fmt.Sprintf("%.0f", lo)
	}
	return fmt.Sprintf("%.0f to %.0f", lo, hi)
}

func (w *writer) tier(rank int, t *Tier) {
	res := w.res
	w.printf("  - name: %s\n", strconv.Quote(t.Name))
	share := float64(t.Arrivals.Tickets) / float64(res.Total.Tickets)
	text := fmt.Sprintf("%s, %.2f%% of all.", ticketCount(t.Arrivals.Tickets), 100*share)
	switch {
	case len(res.Tiers) == 1:
	case t.OwnProfile:
		text += fmt.Sprintf(" Its hour-of-week shape differs from the other tiers' (chi-square p = %.2g), so it has its own profile.", t.ProfileP)
	case t.ProfileP < 0.001:
		text += fmt.Sprintf(" Its hour-of-week shape differs from the other tiers' (chi-square p = %.2g), but %s too few for a profile of its own (%d needed): it follows the shared one.", t.ProfileP, ticketCount(t.Arrivals.Tickets)+plural.Of(t.Arrivals.Tickets, " is", " are"), ownProfileTickets)
	default:
		text += fmt.Sprintf(" Its hour-of-week shape is consistent with the other tiers' (chi-square p = %.2g): it follows the shared profile.", t.ProfileP)
	}
	if t.Arrivals.Trend.OK {
		text += " Trend: " + t.Arrivals.Trend.Describe(t.Arrivals.PerDay()) + "."
	}
	w.comment("    ", text)
	w.printf("    share: %s\n", w.shareOf(t))
	if t.OwnProfile {
		w.printf("    profile:\n")
		w.weekly("      ", &t.Arrivals.Count, &t.Arrivals.Rate)
	}

	resp, resol, source := placeholderTargets(rank)
	text = fmt.Sprintf("PLACEHOLDER targets: the export has none; these are %s (%s / %s).", source, scenarios.FormatDuration(resp), scenarios.FormatDuration(resol))
	if t.MetKnown > 0 {
		lo, hi := wilson(t.Met, t.MetKnown)
		text += fmt.Sprintf(" Observed: %.1f%% of %s met the export's own SLA (made_sla; 95%% interval %.1f-%.1f%%).",
			100*float64(t.Met)/float64(t.MetKnown), ticketCount(t.MetKnown), 100*lo, 100*hi)
	}
	w.comment("    ", text)
	w.printf("    targets: {response: %s, resolution: %s}\n", scenarios.FormatDuration(resp), scenarios.FormatDuration(resol))

	w.comment("    ", w.handlingSource(t))
	d := t.Handling
	for i, c := range d.Fits {
		if c.Unusable != "" {
			w.wrap("    #  ", fmt.Sprintf("%s: not usable, %s", c.Family, c.Unusable))
		}
		if !c.OK {
			continue
		}
		mark := ""
		if i == d.Best && !res.Options.Empirical {
			mark = "  <- chosen"
		}
		w.printf("    #   %s: KS %.3f%s\n", c.Family, c.KS, mark)
		w.wrap("    #     ", c.Describe())
	}
	w.comment("    ", "Observed: "+describeSample(d, res.Export.Clock)+".")
	if t.Response != nil && res.Options.HandlingFrom == HandlingResolution {
		c := t.Response.Chosen()
		w.comment("    ", fmt.Sprintf("Response times (opened -> first response), for comparison with simulated responses: %s; best fit %s, KS %.3f.",
			describeSample(t.Response, res.Export.Clock), c.Family, c.KS))
	}
	if res.Options.Empirical {
		w.empirical(d)
	} else {
		c := d.Chosen()
		switch c.Family {
		case Exponential, Deterministic:
			w.printf("    handling: {distribution: %s, mean: %s}\n", c.Family, durationOf(c.Mean))
		case HyperExponential:
			k := len(c.Params) / 2
			means := make([]string, k)
			for j, m := range c.Params[k:] {
				means[j] = durationOf(m)
			}
			w.printf("    handling: {distribution: hyperexponential, probs: [%s], means: [%s]}\n",
				strings.Join(exactPercents(c.Params[:k]), ", "), strings.Join(means, ", "))
		default:
			if c.CV < scenarios.MinCV {
				// A scenario refuses a lognormal or gamma this narrow:
				// its times are as good as one value.
				w.comment("    ", fmt.Sprintf("the %s fit's cv %.3g is below the %g a scenario takes: written as deterministic", c.Family, c.CV, scenarios.MinCV))
				w.printf("    handling: {distribution: deterministic, mean: %s}\n", durationOf(c.Mean))
				break
			}
			w.printf("    handling: {distribution: %s, mean: %s, cv: %.3g}\n", c.Family, durationOf(c.Mean), c.CV)
		}
	}
	if extra := escalation(t); extra != "" {
		w.comment("    ", extra)
	}
}

// shareOf writes the tier's share of all tickets; see exactPercents.
func (w *writer) shareOf(t *Tier) string {
	shares := make([]float64, len(w.res.Tiers))
	i := 0
	for j, x := range w.res.Tiers {
		shares[j] = float64(x.Arrivals.Tickets) / float64(w.res.Total.Tickets)
		if x == t {
			i = j
		}
	}
	return exactPercents(shares)[i]
}

// exactPercents writes shares that sum to 1 as percentages with four
// decimals that sum to exactly 100%: the largest takes what the others
// leave after rounding.
func exactPercents(shares []float64) []string {
	const unit = 1e6 // 100% in steps of 0.0001%
	units := make([]int64, len(shares))
	largest := 0
	rest := int64(unit)
	for i, s := range shares {
		units[i] = int64(math.Round(unit * s))
		rest -= units[i]
		if s > shares[largest] {
			largest = i
		}
	}
	units[largest] += rest
	out := make([]string, len(shares))
	for i, u := range units {
		out[i] = fmt.Sprintf("%d.%04d%%", u/10000, u%10000)
	}
	return out
}

// handlingSource explains which times the handling fit is of, and the
// assumption that makes them handling times.
func (w *writer) handlingSource(t *Tier) string {
	res := w.res
	var s string
	switch res.Options.HandlingFrom {
	case HandlingResolution:
		s = fmt.Sprintf("Handling: ASSUMPTION: the resolution times (opened -> resolved) of the %d resolved %s", t.HandlingN, plural.Of(t.HandlingN, "ticket", "tickets"))
		if t.Open > 0 {
			s += fmt.Sprintf(" (%d without a resolution time left out)", t.Open)
		}
		s += " stand for handling times. They include queueing, waiting on the customer and nights, so with the ample agents below a run reproduces them; replace them with work times to ask staffing questions."
	case HandlingResponse:
		s = fmt.Sprintf("Handling: ASSUMPTION: the times from first response to resolution of %s stand for handling times; they still include any waiting on the customer.", ticketCount(t.HandlingN))
	}
	if t.Implausible > 0 {
		s += " " + DescribeImplausible(t.Implausible) + "."
	}
	if t.HandlingPooled {
		s += fmt.Sprintf(" With fewer than %d of its own, the tier uses the fit of all tiers' %d times.", MinFit, len(res.Pooled.Hours))
	}
	if res.Options.Empirical {
		return s + " Written as the empirical distribution (--empirical); the maximum-likelihood fits, for reference (KS: the largest gap between fitted and observed distribution functions):"
	}
	return s + " Maximum-likelihood fits, the closest by Kolmogorov-Smirnov distance (KS: the largest gap between fitted and observed distribution functions) chosen:"
}

func (w *writer) empirical(d *Durations) {
	v := d.EmpiricalValues()
	what := "every observed value"
	if len(v) < len(d.Hours) {
		what = fmt.Sprintf("%d evenly spaced quantiles of the %d observed values", len(v), len(d.Hours))
	}
	w.comment("    ", "The empirical distribution: "+what+".")
	w.printf("    handling:\n      distribution: empirical\n      values: [\n")
	for i := 0; i < len(v); i += 10 {
		parts := make([]string, 0, 10)
		for _, x := range v[i:min(i+10, len(v))] {
			parts = append(parts, durationOf(x))
		}
		sep := ","
		if i+10 >= len(v) {
			sep = ""
		}
		w.printf("        %s%s\n", strings.Join(parts, ", "), sep)
	}
	w.printf("      ]\n")
}

func (w *writer) agents() {
	res := w.res
	w.printf("\n")
	w.comment("", fmt.Sprintf("PLACEHOLDER staffing. A ticket export does not say who worked, when, or for how long, so it cannot give agents, teams or shifts. The handling times above are whole resolution times, so this many agents around the clock keeps tickets from queueing: the peak over the week of the mean number of tickets in service with unlimited agents (from the fitted rates and times), times 1 + 2 x daily cv (%.2g) for busy days, plus four standard deviations. A run then reproduces the observed resolution times. It is not a staffing recommendation: replace the handling times with work times and this with your agents or teams.", res.DailyCV()))
	w.printf("agents: %d\n", res.PlaceholderAgents())
}

// nextMonday is the first Monday 00:00 at or after t, on t's clock.
func nextMonday(t time.Time) time.Time {
	d := localDay(t)
	if d.Before(t) {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, (8-int(d.Weekday()))%7)
}

// durationOf writes h hours as a scenario duration: to the minute from an
// hour up, to the second below, never 0.
func durationOf(h float64) string {
	d := time.Duration(h * float64(time.Hour))
	if d >= time.Hour {
		d = d.Round(time.Minute)
	} else {
		d = d.Round(time.Second)
	}
	return scenarios.FormatDuration(max(d, time.Second))
}

func describeSample(d *Durations, clock time.Duration) string {
	s := fmt.Sprintf("n %d, mean %s, median %s, 90th percentile %s",
		len(d.Hours), format.Hours(d.Mean()), format.Hours(d.Quantile(0.5)), format.Hours(d.Quantile(0.9)))
	if d.Zeros > 0 {
		half := scenarios.FormatDuration(clock / 2)
		s += fmt.Sprintf("; %d under %s, counted as %s", d.Zeros, half, half)
	}
	return s
}

func escalation(t *Tier) string {
	var parts []string
	if t.ReassignKnown > 0 {
		parts = append(parts, fmt.Sprintf("%.1f%% reassigned at least once (%.2f reassignments a ticket)",
			100*float64(t.Reassigned)/float64(t.ReassignKnown), float64(t.Reassignments)/float64(t.ReassignKnown)))
	}
	if t.ReopenKnown > 0 {
		parts = append(parts, fmt.Sprintf("%.1f%% reopened", 100*float64(t.Reopened)/float64(t.ReopenKnown)))
	}
	s := ""
	if len(parts) > 0 {
		s = "Escalation and reopening, for reference: " + strings.Join(parts, "; ") + ". Not written as escalation: the resolution times above already include the work after each reassignment, and escalation would add more."
	}
	if len(t.Channels) > 0 {
		var ch []string
		for _, c := range t.Channels {
			ch = append(ch, fmt.Sprintf("%s %.1f%%", c.Value, 100*float64(c.N)/float64(t.Arrivals.Tickets)))
		}
		s += " Channels: " + strings.Join(ch, ", ") + "."
	}
	return strings.TrimSpace(s)
}

// wilson is the 95% Wilson score interval of k successes in n.
func wilson(k, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	den := 1 + z*z/nf
	mid := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return max(0, mid-half), min(1, mid+half)
}
