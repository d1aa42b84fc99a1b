package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/staffing/roster"
)

// Roster is the report of slasim roster: each team's people and who works
// which shift on which day, or why no roster could be made.
type Roster struct {
	Version, Scenario, File string
	Weeks                   int
	Start                   string
	Rules                   roster.Rules
	Teams                   []RosterTeam
	// Notes say what was left out, such as interval staffing.
	Notes []string
}

// RosterTeam is one team's roster, or why none was made.
type RosterTeam struct {
	Name string
	*roster.Result
}

// Infeasible reports whether some team has no roster.
func (d *Roster) Infeasible() bool {
	return slices.ContainsFunc(d.Teams, func(t RosterTeam) bool { return t.Roster == nil })
}

// tally is what a person works over the plan.
type tally struct {
	days, nights, weekends, onCall int
	hours                          time.Duration
}

func personTally(r *roster.Roster, p int) tally {
	var t tally
	for _, k := range r.Work[p] {
		if k < 0 {
			continue
		}
		duty := &r.Duties[k]
		t.days++
		t.hours += duty.Length
		if duty.Night {
			t.nights++
		}
		if duty.Weekend {
			t.weekends++
		}
		if duty.OnCall {
			t.onCall++
		}
	}
	return t
}

func (d *Roster) rulesText() string {
	r := d.Rules
	var parts []string
	if r.DaysOff > 0 {
		parts = append(parts, fmt.Sprintf("at least %d %s off a week", r.DaysOff, plural.Of(r.DaysOff, "day", "days")))
	}
	if r.MaxConsecutive > 0 {
		parts = append(parts, fmt.Sprintf("at most %d %s in a row", r.MaxConsecutive, plural.Of(r.MaxConsecutive, "day", "days")))
	}
	parts = append(parts, "at least "+format.Duration(r.MinRest)+" between shifts")
	switch {
	case r.MinHours > 0 && r.MaxHours > 0:
		parts = append(parts, fmt.Sprintf("%g to %g hours a week", r.MinHours, r.MaxHours))
	case r.MaxHours > 0:
		parts = append(parts, fmt.Sprintf("at most %g hours a week", r.MaxHours))
	case r.MinHours > 0:
		parts = append(parts, fmt.Sprintf("at least %g hours a week", r.MinHours))
	}
	return strings.Join(parts, ", ")
}

func (d *Roster) lede() string {
	return fmt.Sprintf("%d %s from %s; rules: %s; one shift a day each.", d.Weeks, plural.Of(d.Weeks, "week", "weeks"), d.Start, d.rulesText())
}

// teamLine says how many people a team has, and whence.
func teamLine(t *RosterTeam) string {
	r := t.Roster
	line := fmt.Sprintf("%s: %d %s", t.Name, len(r.People), plural.Of(len(r.People), "person", "people"))
	if t.Fewest {
		line += " (the fewest the method rosters the team with; roster.teams or --people set them)"
	}
	return line
}

// infeasibleLine says why a team has no roster.
func infeasibleLine(t *RosterTeam) string {
	f := t.Infeasible
	s := fmt.Sprintf("%s: no roster. %s", t.Name, strings.TrimPrefix(f.Error(), "team "+t.Name+", "))
	return s
}

// WriteText writes each team's people with what they work, and the spread
// of nights, weekends and on-call turns between them.
func (d *Roster) WriteText(w io.Writer) error { return format.Text(w, d.writeText) }

func (d *Roster) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "slasim %s · roster %s (%s)\n\n%s\n", d.Version, d.Scenario, d.File, d.lede())
	for _, n := range d.Notes {
		b.WriteString("Note: " + n + "\n")
	}
	for i := range d.Teams {
		t := &d.Teams[i]
		b.WriteString("\n")
		if t.Roster == nil {
			b.WriteString(infeasibleLine(t) + "\n")
			continue
		}
		b.WriteString(teamLine(t) + "\n")
		r := t.Roster
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "person\tdays\thours\tnights\tweekends\ton call\t")
		var lo, hi tally
		for p, name := range r.People {
			c := personTally(r, p)
			fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\t\n", name, c.days, hoursText(c.hours), c.nights, c.weekends, c.onCall)
			if p == 0 {
				lo, hi = c, c
			}
			lo = tally{min(lo.days, c.days), min(lo.nights, c.nights), min(lo.weekends, c.weekends), min(lo.onCall, c.onCall), min(lo.hours, c.hours)}
			hi = tally{max(hi.days, c.days), max(hi.nights, c.nights), max(hi.weekends, c.weekends), max(hi.onCall, c.onCall), max(hi.hours, c.hours)}
		}
		if len(r.People) > 0 {
			fmt.Fprintf(tw, "spread (most − fewest)\t%d\t%s\t%d\t%d\t%d\t\n", hi.days-lo.days, hoursText(hi.hours-lo.hours), hi.nights-lo.nights, hi.weekends-lo.weekends, hi.onCall-lo.onCall)
		}
		tw.Flush()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func hoursText(d time.Duration) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Hours()), ".0")
}

// RosterCSVHeader is the header of the roster's CSV file: one row per
// person per day of the plan.
var RosterCSVHeader = []string{"date", "weekday", "week", "team", "person", "shift", "start", "end", "hours", "on_call", "night", "weekend", "slasim_version"}

// WriteCSV writes the rosters as one row per person per day, a day off
// with the shift "off" and empty times: the long layout spreadsheets
// filter and pivot (a person × date grid is one pivot away).
func (d *Roster) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(RosterCSVHeader)
	for _, t := range d.Teams {
		r := t.Roster
		if r == nil {
			continue
		}
		for p, name := range r.People {
			for day, k := range r.Work[p] {
				dy := r.Days[day]
				row := []string{dy.Date.String(), dy.Weekday.String()[:3], fmt.Sprint(dy.Week + 1), format.Cell(t.Name), format.Cell(name)}
				if k < 0 {
					row = append(row, "off", "", "", "0", "", "", "")
				} else {
					duty := &r.Duties[k]
					end := duty.Start + duty.Length
					row = append(row, format.Cell(r.Shifts[duty.Shift]), clockText(duty.Start), clockText(end), hoursText(duty.Length),
						yesNo(duty.OnCall), yesNo(duty.Night), yesNo(duty.Weekend))
				}
				if err := cw.Write(append(row, d.Version)); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// clockText writes a time from the day's midnight as HH:MM, with +1 for a
// time on the next day.
func clockText(t time.Duration) string {
	day := t / (24 * time.Hour)
	t %= 24 * time.Hour
	s := fmt.Sprintf("%02d:%02d", int(t/time.Hour), int(t%time.Hour/time.Minute))
	if day > 0 {
		s += fmt.Sprintf("+%d", day)
	}
	return s
}

// WriteHTML writes a page with a grid per team, people by dates, and each
// person's days, hours, nights, weekends and on-call turns.
func (d *Roster) WriteHTML(w io.Writer) error {
	p := &tablePage{
		Title:   "slasim roster: " + d.Scenario,
		Heading: "Roster of " + d.Scenario,
		Byline:  fmt.Sprintf("slasim %s · %s · %s", d.Version, d.File, d.lede()),
		Version: d.Version,
		Width:   "none",
		Notices: d.Notes,
	}
	for i := range d.Teams {
		t := &d.Teams[i]
		sec := tableSection{ID: fmt.Sprintf("team-%d", i+1), Title: t.Name}
		if t.Roster == nil {
			p.Notices = append(p.Notices, infeasibleLine(t))
			sec.Paragraphs = []string{infeasibleLine(t)}
			p.Sections = append(p.Sections, sec)
			continue
		}
		r := t.Roster
		sec.Paragraphs = []string{teamLine(t) + ". Shifts: " + strings.Join(r.Shifts, ", ") + "; blue: nights, amber: on call."}
		grid := &htmlTable{Class: "grid", Head: []htmlTd{{Text: "person", Class: "name"}}}
		for _, dy := range r.Days {
			class := ""
			if dy.Weekday == time.Saturday || dy.Weekday == time.Sunday {
				class = "weekend"
			}
			grid.Head = append(grid.Head, htmlTd{Text: fmt.Sprintf("%s %02d", dy.Weekday.String()[:2], dy.Date.Day), Class: class})
		}
		grid.Head = append(grid.Head, htmlTd{Text: "days"}, htmlTd{Text: "hours"}, htmlTd{Text: "nights"}, htmlTd{Text: "weekends"}, htmlTd{Text: "on call"})
		for pi, name := range r.People {
			row := []htmlTd{{Text: name, Class: "name"}}
			for _, k := range r.Work[pi] {
				if k < 0 {
					row = append(row, htmlTd{Text: "·", Class: "off"})
					continue
				}
				duty := &r.Duties[k]
				class := ""
				switch {
				case duty.OnCall:
					class = "oncall"
				case duty.Night:
					class = "night"
				}
				row = append(row, htmlTd{Text: clockText(duty.Start)[:2] + "–" + clockText((duty.Start + duty.Length) % (24 * time.Hour))[:2], Class: class})
			}
			c := personTally(r, pi)
			row = append(row, htmlTd{Text: fmt.Sprint(c.days)}, htmlTd{Text: hoursText(c.hours)}, htmlTd{Text: fmt.Sprint(c.nights)}, htmlTd{Text: fmt.Sprint(c.weekends)}, htmlTd{Text: fmt.Sprint(c.onCall)})
			grid.Rows = append(grid.Rows, row)
		}
		sec.Table = grid
		sec.After = []string{"Each cell gives the hours of the shift worked that day (from–to); · is a day off."}
		p.Sections = append(p.Sections, sec)
	}
	return p.write(w)
}
