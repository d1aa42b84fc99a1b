package reports

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// PeriodFigures are the tiers' figures over one period (a day, an ISO
// week, a calendar month) of the measured window.
type PeriodFigures struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	// From and To are the period's first and last dates.
	From  string       `json:"from"`
	To    string       `json:"to"`
	Tiers []PeriodTier `json:"tiers"`
}

// PeriodTier is one tier's two clocks over a period; Resolution is absent
// for a tier that promises no resolution.
type PeriodTier struct {
	Name       string       `json:"name"`
	Response   PeriodClock  `json:"response"`
	Resolution *PeriodClock `json:"resolution,omitempty"`
}

// tickets is the tier's count of tickets in the period: those the
// resolution clock judges, or without one those the response clock does.
func (t *PeriodTier) tickets() int64 {
	if t.Resolution != nil {
		return t.Resolution.Tickets
	}
	return t.Response.Tickets
}

// PeriodClock is one clock over a period: its tickets, pooled, and each
// replication's attainment in the period, with the verdict against the
// level.
type PeriodClock struct {
	Tickets    int64     `json:"tickets"`
	Met        int64     `json:"met"`
	Attainment *Estimate `json:"attainment"`
	Verdict    Verdict   `json:"verdict"`
}

// DateFigures count one date's tickets by tier and clock.
type DateFigures struct {
	Date  string     `json:"date"`
	Tiers []DateTier `json:"tiers"`
}

// DateTier is one tier's tickets arriving on a date, and how many met
// each target, pooled over replications; Resolution is absent for a tier
// that promises no resolution.
type DateTier struct {
	Name       string     `json:"name"`
	Response   DateClock  `json:"response"`
	Resolution *DateClock `json:"resolution,omitempty"`
}

// tickets is the tier's count of tickets of the date, as
// PeriodTier.tickets.
func (t *DateTier) tickets() int64 {
	if t.Resolution != nil {
		return t.Resolution.Tickets
	}
	return t.Response.Tickets
}

// clocks are the tier's clocks of clockNames, nil where it has none.
func (t *DateTier) clocks() [2]*DateClock { return [2]*DateClock{&t.Response, t.Resolution} }

// clocks are the tier's clocks of clockNames, nil where it has none.
func (t *PeriodTier) clocks() [2]*PeriodClock { return [2]*PeriodClock{&t.Response, t.Resolution} }

// DateClock counts one clock's tickets of a date.
type DateClock struct {
	Tickets int64 `json:"tickets"`
	Met     int64 `json:"met"`
}

// newDates fills the report's periods and dates from the summary, when
// the model keeps results by date.
func (r *Report) newDates(s *sim.Summary, m *sim.Model, level float64) {
	if s.Dates == nil {
		return
	}
	d := &m.Dates
	for i, label := range d.Labels {
		df := DateFigures{Date: label}
		for t, td := range s.Dates.Tiers {
			dt := DateTier{Name: s.Tiers[t].Name, Response: DateClock{td.Response.Tickets[i], td.Response.Met[i]}}
			if m.Tiers[t].HasResolution() {
				dt.Resolution = &DateClock{td.Resolution.Tickets[i], td.Resolution.Met[i]}
			}
			df.Tiers = append(df.Tiers, dt)
		}
		r.Dates = append(r.Dates, df)
	}
	for j, p := range d.Periods {
		pf := PeriodFigures{Kind: p.Kind, Label: p.Label, From: d.Labels[p.First], To: d.Labels[p.End-1]}
		for t, td := range s.Dates.Tiers {
			clock := func(c *sim.ClockDates) PeriodClock {
				var pc PeriodClock
				for k := p.First; k < p.End; k++ {
					pc.Tickets += c.Tickets[k]
					pc.Met += c.Met[k]
				}
				pc.Attainment = ticketShare(&c.Attainment[j], pc.Met, pc.Tickets)
				pc.Verdict = verdict(pc.Attainment, level)
				return pc
			}
			pt := PeriodTier{Name: s.Tiers[t].Name, Response: clock(&td.Response)}
			if m.Tiers[t].HasResolution() {
				res := clock(&td.Resolution)
				pt.Resolution = &res
			}
			pf.Tiers = append(pf.Tiers, pt)
		}
		r.Periods = append(r.Periods, pf)
	}
}

// writePeriods writes a table of each kind of period: per period and
// tier, each clock's attainment with its interval and verdict; without
// resolution columns when no tier promises a resolution.
func (r *Report) writePeriods(p *printer) {
	resolved := r.anyResolution()
	for i := 0; i < len(r.Periods); {
		kind := r.Periods[i].Kind
		if p.err != nil {
			return
		}
		p.f("\nAttainment by %s (mean over replications of each %s's share of tickets within the target):\n", kind, kind)
		tw := newTextTable(p.w)
		head := fmt.Sprintf("%s\ttier\ttickets\tresponse\t95%% interval\tmeets %s?", kind, format.Level(r.Level))
		if resolved {
			head += fmt.Sprintf("\tresolution\t95%% interval\tmeets %s?", format.Level(r.Level))
		}
		fmt.Fprintln(tw, head)
		for ; i < len(r.Periods) && r.Periods[i].Kind == kind; i++ {
			pf := &r.Periods[i]
			for j, t := range pf.Tiers {
				label := pf.Label
				if j > 0 {
					label = ""
				}
				line := fmt.Sprintf("%s\t%s\t%d\t%s\t%s\t%s", label, t.Name, t.tickets(),
					mean(t.Response.Attainment), judgedInterval(t.Response.Attainment, r.Level), verdictText[t.Response.Verdict])
				switch c := t.Resolution; {
				case c != nil:
					line += "\t" + mean(c.Attainment) + "\t" + judgedInterval(c.Attainment, r.Level) + "\t" + verdictText[c.Verdict]
				case resolved:
					line += "\t" + noTarget + "\t\t" // every cell (see textTable)
				}
				fmt.Fprintln(tw, line)
			}
		}
		if err := tw.Flush(); err != nil && p.err == nil {
			p.err = err
		}
	}
}

// periodMissed reports whether tier t's clock k missed the level in some
// period.
func (r *Report) periodMissed(t, k int) bool {
	for _, p := range r.Periods {
		if c := p.Tiers[t].clocks()[k]; c != nil && c.Verdict == Fails {
			return true
		}
	}
	return false
}

// worstDates returns up to n dates on which tier t's clock k fared worst,
// among dates holding at least a tenth of an average date's tickets.
func (r *Report) worstDates(t, k, n int) []int {
	if r.Dates[0].Tiers[t].clocks()[k] == nil {
		return nil
	}
	var total int64
	count := func(i int) DateClock { return *r.Dates[i].Tiers[t].clocks()[k] }
	for i := range r.Dates {
		total += count(i).Tickets
	}
	minTickets := max(total/int64(len(r.Dates))/10, 1)
	share := func(i int) float64 { c := count(i); return float64(c.Met) / float64(c.Tickets) }
	var dates []int
	for i := range r.Dates {
		if c := count(i); c.Tickets >= minTickets && c.Met < c.Tickets {
			dates = append(dates, i)
		}
	}
	slices.SortStableFunc(dates, func(a, b int) int { return cmp.Compare(share(a), share(b)) })
	return dates[:min(n, len(dates))]
}

// dateText writes a date with its weekday: Mon 2024-02-19.
func dateText(label string) string {
	d, err := time.Parse(time.DateOnly, label)
	if err != nil {
		return label
	}
	return d.Format("Mon 2006-01-02")
}

// WritePeriodsCSV writes periods.csv: a row per period, tier and clock,
// periods in the order of Report.Periods.
func (r *Report) WritePeriodsCSV(w io.Writer) error {
	t := newTable(w, []string{"kind", "period", "from", "to", "tier", "clock", "replications", "attainment", "attainment_lo", "attainment_hi", "verdict", "tickets", "met"},
		&r.Envelope, r.Partial)
	for _, p := range r.Periods {
		for _, pt := range p.Tiers {
			for i, c := range pt.clocks() {
				if c == nil {
					continue // no resolution promised: no row
				}
				n := int64(0)
				if c.Attainment != nil {
					n = c.Attainment.N
				}
				t.row([]string{p.Kind, p.Label, p.From, p.To, format.Cell(pt.Name), clockNames[i], strconv.FormatInt(n, 10),
					csvMean(c.Attainment), csvLo(c.Attainment), csvHi(c.Attainment), string(c.Verdict),
					strconv.FormatInt(c.Tickets, 10), strconv.FormatInt(c.Met, 10)})
			}
		}
	}
	return t.close()
}

// WriteDatesCSV writes dates.csv: a row per date, tier and clock, with the
// tickets that arrived on the date and those within the target, pooled
// over replications.
func (r *Report) WriteDatesCSV(w io.Writer) error {
	t := newTable(w, []string{"date", "tier", "clock", "tickets", "met"}, &r.Envelope, r.Partial)
	for _, d := range r.Dates {
		for _, dt := range d.Tiers {
			for i, c := range dt.clocks() {
				if c == nil {
					continue // no resolution promised: no row
				}
				t.row([]string{d.Date, format.Cell(dt.Name), clockNames[i], strconv.FormatInt(c.Tickets, 10), strconv.FormatInt(c.Met, 10)})
			}
		}
	}
	return t.close()
}

// htmlPeriods is a table of one kind of period, as the text has it;
// Resolution says it has the resolution clock's columns.
type htmlPeriods struct {
	Kind       string
	Resolution bool
	Rows       []htmlPeriodRow
}

// htmlPeriodRow is one period's tier: its tickets, pooled over
// replications, and each clock's attainment with interval and verdict.
type htmlPeriodRow struct {
	Period, Dates string
	First         bool // the period's first row
	Tier, Tickets string
	Clocks        []htmlPeriodCell
}

type htmlPeriodCell struct{ Attainment, Interval, Verdict, Class string }

func (r *Report) htmlPeriods() []htmlPeriods {
	var tables []htmlPeriods
	resolved, shown := r.anyResolution(), r.shownClocks()
	for _, pf := range r.Periods {
		if n := len(tables); n == 0 || tables[n-1].Kind != pf.Kind {
			tables = append(tables, htmlPeriods{Kind: pf.Kind, Resolution: resolved})
		}
		tb := &tables[len(tables)-1]
		for j, t := range pf.Tiers {
			row := htmlPeriodRow{Period: pf.Label, Dates: pf.From + " to " + pf.To, First: j == 0, Tier: t.Name, Tickets: fmt.Sprint(t.tickets())}
			clocks := t.clocks()
			for _, c := range clocks[:shown] {
				if c == nil {
					row.Clocks = append(row.Clocks, htmlPeriodCell{Attainment: noTarget})
					continue
				}
				row.Clocks = append(row.Clocks, htmlPeriodCell{mean(c.Attainment), judgedInterval(c.Attainment, r.Level), verdictText[c.Verdict], verdictClass[c.Verdict]})
			}
			tb.Rows = append(tb.Rows, row)
		}
	}
	return tables
}

// htmlDates is the table of results by date: per date and tier, the
// tickets arriving on it and the share of them within each target, pooled
// over replications; Resolution says it has the resolution clock's
// columns.
type htmlDates struct {
	Tiers      []string
	Resolution bool
	Rows       []htmlDateRow
}

type htmlDateRow struct {
	Date  string
	Tiers []htmlDateTier
}

type htmlDateTier struct {
	Tickets string
	Clocks  []htmlDateCell
}

// htmlDateCell is a share met, marked "no" when below the level.
type htmlDateCell struct{ Share, Class string }

func (r *Report) htmlDates() *htmlDates {
	if len(r.Dates) == 0 {
		return nil
	}
	d := &htmlDates{Resolution: r.anyResolution()}
	shown := r.shownClocks()
	for _, t := range r.Dates[0].Tiers {
		d.Tiers = append(d.Tiers, t.Name)
	}
	for _, df := range r.Dates {
		row := htmlDateRow{Date: dateText(df.Date)}
		for _, t := range df.Tiers {
			dt := htmlDateTier{Tickets: fmt.Sprint(t.tickets())}
			clocks := t.clocks()
			for _, c := range clocks[:shown] {
				cell := htmlDateCell{Share: format.Unknown}
				switch {
				case c == nil:
					cell.Share = noTarget
				case c.Tickets > 0:
					share := float64(c.Met) / float64(c.Tickets)
					cell.Share = format.Percent(share)
					if share < r.Level {
						cell.Class = "no"
					}
				}
				dt.Clocks = append(dt.Clocks, cell)
			}
			row.Tiers = append(row.Tiers, dt)
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// anyResolution reports whether some tier promises a resolution: the
// tables by period and date have no resolution columns otherwise, which
// would read "no target" on every row.
func (r *Report) anyResolution() bool {
	for i := range r.Tiers {
		if r.Tiers[i].Resolution != nil {
			return true
		}
	}
	return false
}

// shownClocks is how many of clockNames the tables by period and date
// show: response and resolution, or response alone (anyResolution).
func (r *Report) shownClocks() int {
	if r.anyResolution() {
		return 2
	}
	return 1
}
