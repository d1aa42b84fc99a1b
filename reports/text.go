package reports

import (
	"cmp"
	"slices"

	"encoding/json"
	"fmt"
	"github.com/slasim/slasim/sim"
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
	p.f("%.3g agents on average · offered load %.2f Erlangs", r.Capacity, r.OfferedLoad)
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
	r.writeWhere(p)
	r.writeFlow(p)
	if p.err == nil {
		p.err = r.writeTeams(w)
	}
	r.writeContract(p)
	return p.err
}

var verdictText = map[Verdict]string{Meets: "yes", Fails: "no", NotDetermined: "not determined"}

// writeWhere names, for each target not met, the hours of the week whose
// tickets fare worst: where the promise breaks.
func (r *Report) writeWhere(p *printer) {
	header := false
	for _, t := range r.Tiers {
		for _, m := range []struct {
			name string
			*Metric
		}{{"response", &t.Response}, {"resolution", &t.Resolution}} {
			if m.Verdict == Meets {
				continue
			}
			worst := worstHours(m.Metric, 3)
			if len(worst) == 0 {
				continue
			}
			if !header {
				p.f("\nWhere targets are missed (attainment by the hour of the week the tickets arrived in):\n")
				header = true
			}
			p.f("  %s %s:", t.Name, m.name)
			for i, h := range worst {
				sep := ","
				if i == 0 {
					sep = ""
				}
				p.f("%s %s %.0f%% (%d tickets)", sep, HourOfWeek(h), 100**m.AttainmentByHour[h], m.TicketsByHour[h])
			}
			p.f("\n")
		}
	}
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

// HourOfWeek names an hour of the week, hour 0 being Monday 00:00.
func HourOfWeek(h int) string {
	days := [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	return fmt.Sprintf("%s %02d:00", days[h/24%7], h%24)
}

// writeFlow says what became of the tickets, for tiers where more happens
// than people resolving them.
func (r *Report) writeFlow(p *printer) {
	header := false
	for _, t := range r.Tiers {
		f := t.Flow
		if f.ByAutomation+f.Escalated+f.Pending+f.Misclassified+f.Deflected+f.Unresolved == 0 || f.Arrived == 0 {
			continue
		}
		if !header {
			p.f("\nTicket flow (shares of tickets arriving in the measured window):\n")
			header = true
		}
		share := func(n int64) string { return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(f.Arrived)) }
		p.f("  %s: %s resolved by automation, %s by people, %s open at the horizon", t.Name, share(f.ByAutomation), share(f.ByPeople), share(f.OpenAtHorizon))
		for _, x := range []struct {
			n    int64
			what string
		}{{f.Escalated, "escalated"}, {f.Pending, "waited on the customer"}, {f.Misclassified, "entered at a wrong tier"}, {f.Unresolved, "still open when the simulation stopped"}} {
			if x.n > 0 {
				p.f("; %s %s", share(x.n), x.what)
			}
		}
		if f.Deflected > 0 {
			p.f("; and %.1f issues per replication deflected by self-service", float64(f.Deflected)/float64(r.Replications))
		}
		p.f("\n")
	}
}

// writeTeams lists the teams' utilisation and overtime.
func (r *Report) writeTeams(w io.Writer) error {
	if len(r.Teams) < 2 && (len(r.Teams) == 0 || r.Teams[0].OvertimeHours == nil || r.Teams[0].OvertimeHours.Mean == 0) {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\n"); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "team\tutilisation\tovertime per replication\n")
	for _, t := range r.Teams {
		u, o := "-", "-"
		if t.Utilisation != nil {
			u = pctCI(t.Utilisation)
		}
		if t.OvertimeHours != nil {
			o = fmt.Sprintf("%.1f agent-hours", t.OvertimeHours.Mean)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, u, o)
	}
	return tw.Flush()
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
