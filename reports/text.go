package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as a table for people: per tier and clock,
// attainment with its interval, mean and 95th percentile times, breaches,
// and a verdict against the level.
func (r *Report) WriteText(w io.Writer) error {
	p := &printer{w: w}
	p.f("slasim %s · scenario %s (%s)\n", r.Version, r.Scenario, r.File)
	p.f("seed %d · %d replications", r.Seed, r.Replications)
	if r.Precision != nil {
		state := "reached"
		if !*r.PrecisionMet {
			state = "not reached"
		}
		p.f(" · precision ±%s %s", pct(*r.Precision), state)
	}
	p.f(" · %s measured after a %s warm-up\n", Duration(seconds(r.HorizonS)), Duration(seconds(r.WarmUpS)))
	if r.Partial {
		p.f("PARTIAL: interrupted after %d of %d planned replications; the figures cover those only.\n", r.Replications, r.Planned)
	}
	if r.Unstable != nil {
		p.f("\nUNSTABLE: %s.\nNo figures: the backlog grows without bound. Add agents or reduce the volume.\n", r.Unstable.Error())
		return p.err
	}
	p.f("%d agents · offered load %.2f Erlangs", r.Agents, r.OfferedLoad)
	if u := r.Utilisation; u != nil {
		p.f(" · utilisation %s", pctCI(u))
	}
	p.f("\n\n")

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "tier\tclock\ttarget\tattainment\t95%% interval\tmean\tp95\tbreached\tlate by (mean)\tmeets %s?\n", pct(r.Level))
	for _, t := range r.Tiers {
		for i, m := range []struct {
			name string
			*Metric
		}{{"response", &t.Response}, {"resolution", &t.Resolution}} {
			name := t.Name
			if i > 0 {
				name = ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				name, m.name, Duration(seconds(m.TargetS)), mean(m.Attainment), interval(m.Attainment),
				meanDuration(m.MeanS), Duration(seconds(m.P95S)), breached(m.Metric), lateness(m.Metric), verdictText[m.Verdict])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	p.f("\nmeets %s?: yes = the whole 95%% interval of attainment is at or above %s; no = it is below;\n", pct(r.Level), pct(r.Level))
	p.f("not determined = the interval straddles the level: run more replications (--replications or --precision).\n")
	return p.err
}

var verdictText = map[Verdict]string{Meets: "yes", Fails: "no", NotDetermined: "not determined"}

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

func pct(x float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", 100*x), "0"), ".")
	return s + "%"
}

func mean(e *Estimate) string {
	if e == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*e.Mean)
}

func interval(e *Estimate) string {
	if e == nil || e.Lo == nil {
		return "-"
	}
	return fmt.Sprintf("[%.1f%%, %.1f%%]", 100*max(*e.Lo, 0), 100*min(*e.Hi, 1))
}

func pctCI(e *Estimate) string {
	if e.HalfWidth == nil {
		return fmt.Sprintf("%.1f%%", 100*e.Mean)
	}
	return fmt.Sprintf("%.1f%% ± %.1f%%", 100*e.Mean, 100**e.HalfWidth)
}

func meanDuration(e *Estimate) string {
	if e == nil {
		return "-"
	}
	return Duration(seconds(e.Mean))
}

func breached(m *Metric) string {
	if m.Tickets == 0 {
		return "-"
	}
	return fmt.Sprintf("%d of %d", m.Breached, m.Tickets)
}

func lateness(m *Metric) string {
	if m.Breached == 0 {
		return "-"
	}
	return Duration(seconds(m.MeanLatenessS))
}

// Duration formats a duration for reading: two units at most, rounded to
// the smaller (45s, 14m30s, 2h05m, 3d4h, 2w1d); <1s for a positive time
// that would round to zero.
func Duration(d time.Duration) string {
	if d < 0 {
		return "-" + Duration(-d)
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
