package reports

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// ServiceFigures are one service's availability: over the measured
// window, and per period (month, week, day), planned maintenance left out
// of the agreed service time.
type ServiceFigures struct {
	Name string `json:"name"`
	Tier string `json:"tier"`
	// Period is the kind of period judged (month, week, day, or window for
	// the measured window), Periods how many each replication holds.
	Period  string `json:"period"`
	Periods int    `json:"periods_per_replication"`
	// Availability is each replication's share of the window's agreed
	// service time up; Outages each replication's outages beginning in the
	// window.
	Availability *Estimate `json:"availability"`
	Outages      *Estimate `json:"outages"`
	// Per period: outages, downtime (the mean over replications, and
	// quantiles of every period's), and planned maintenance.
	OutagesPerPeriod      *Estimate `json:"outages_per_period"`
	DowntimePerPeriodS    *Estimate `json:"downtime_per_period_s"`
	DowntimeP95S          float64   `json:"downtime_p95_s"`
	DowntimeP99S          float64   `json:"downtime_p99_s"`
	MaintenancePerPeriodS float64   `json:"maintenance_per_period_s"`
	// Levels are the availability levels, each with the share of periods
	// meeting it.
	Levels []ServiceLevel `json:"levels"`
}

// ServiceLevel is an availability level and each replication's share of
// periods whose availability reached it.
type ServiceLevel struct {
	Level float64   `json:"level"`
	Meets *Estimate `json:"meets"`
}

// newServices fills the report's services from the summary.
func (r *Report) newServices(s *sim.Summary, m *sim.Model) {
	for i := range s.Services {
		ss, spec := &s.Services[i], &m.Services[i]
		sf := ServiceFigures{
			Name:               ss.Name,
			Tier:               m.Tiers[spec.Tier].Name,
			Period:             spec.Period,
			Periods:            len(spec.Periods),
			Availability:       shareEstimate(&ss.Availability),
			Outages:            amountEstimate(&ss.Outages, 1),
			OutagesPerPeriod:   amountEstimate(&ss.PeriodOutages, 1),
			DowntimePerPeriodS: amountEstimate(&ss.PeriodDowntime, time.Hour.Seconds()),
			DowntimeP95S:       ss.Downtime.Quantile(0.95).Seconds(),
			DowntimeP99S:       ss.Downtime.Quantile(0.99).Seconds(),
		}
		if sf.Period == "" {
			sf.Period = "window"
		}
		if c := spec.Maintenance; c != nil && len(spec.Periods) > 0 {
			var planned time.Duration
			for _, p := range spec.Periods {
				planned += c.Elapsed(p.Start, p.End)
			}
			sf.MaintenancePerPeriodS = planned.Seconds() / float64(len(spec.Periods))
		}
		for j, l := range spec.Levels {
			sf.Levels = append(sf.Levels, ServiceLevel{Level: l, Meets: shareEstimate(&ss.Meets[j])})
		}
		r.Services = append(r.Services, sf)
	}
}

// writeServices says, per service, its availability and, per period, its
// outages, downtime and the share of periods meeting each level.
func (r *Report) writeServices(p *printer) {
	if len(r.Services) == 0 {
		return
	}
	p.f("\nServices (availability of the agreed service time, planned maintenance left out):\n")
	for _, s := range r.serviceFacts() {
		figures, levels, _ := strings.Cut(s.Value, "; ")
		p.f("  %s: %s", s.Term, figures)
		if levels != "" {
			p.f("\n    %s", levels)
		}
		p.f("\n")
	}
}

// serviceFacts gives each service, "name (tier)", its availability and,
// per period, its outages, downtime and maintenance, then after "; " the
// share of periods meeting each level.
func (r *Report) serviceFacts() []htmlFact {
	var fs []htmlFact
	for _, s := range r.Services {
		per := "in the window"
		if s.Period != "window" {
			per = "a " + s.Period
		}
		avail := format.Unknown
		if a := s.Availability; a != nil {
			avail = format.Availability(a.Mean)
			if a.Lo != nil {
				avail += " [" + format.Availability(*a.Lo) + ", " + format.Availability(*a.Hi) + "]"
			}
		}
		v := fmt.Sprintf("availability %s · %s: %s outages, downtime %s (p95 %s, p99 %s)", avail, per,
			number(s.OutagesPerPeriod), meanDuration(s.DowntimePerPeriodS), format.Duration(seconds(s.DowntimeP95S)), format.Duration(seconds(s.DowntimeP99S)))
		if s.MaintenancePerPeriodS > 0 {
			v += ", maintenance " + format.Duration(seconds(s.MaintenancePerPeriodS))
		}
		var meets []string
		for _, l := range s.Levels {
			m := format.Unknown
			if l.Meets != nil {
				m = format.Percent(l.Meets.Mean)
				if l.Meets.Lo != nil {
					m += " " + format.Interval(*l.Meets.Lo, *l.Meets.Hi)
				}
			}
			meets = append(meets, format.Level(l.Level)+" in "+m)
		}
		if len(meets) > 0 {
			of := "of " + s.Period + "s"
			if s.Period == "window" {
				of = "of windows"
			}
			v += "; meets " + strings.Join(meets, ", ") + " " + of
		}
		fs = append(fs, htmlFact{s.Name + " (" + s.Tier + ")", v})
	}
	return fs
}

// number writes a mean count with three significant digits.
func number(e *Estimate) string {
	if e == nil {
		return format.Unknown
	}
	return strconv.FormatFloat(e.Mean, 'g', 3, 64)
}

// WriteServicesCSV writes services.csv: a row per service and
// availability level (one with an empty level for a service without
// levels), with the service's figures on each.
func (r *Report) WriteServicesCSV(w io.Writer) error {
	t := newTable(w, []string{"service", "tier", "period", "periods", "availability", "availability_lo", "availability_hi",
		"outages_per_period", "downtime_per_period_s", "downtime_per_period_lo_s", "downtime_per_period_hi_s",
		"downtime_p95_s", "downtime_p99_s", "maintenance_per_period_s", "level", "meets", "meets_lo", "meets_hi"}, &r.Envelope, r.Partial)
	for _, s := range r.Services {
		common := []string{format.Cell(s.Name), format.Cell(s.Tier), s.Period, strconv.Itoa(s.Periods),
			csvMean(s.Availability), csvLo(s.Availability), csvHi(s.Availability), csvMean(s.OutagesPerPeriod),
			csvMean(s.DowntimePerPeriodS), csvLo(s.DowntimePerPeriodS), csvHi(s.DowntimePerPeriodS),
			num(s.DowntimeP95S), num(s.DowntimeP99S), num(s.MaintenancePerPeriodS)}
		if len(s.Levels) == 0 {
			t.row(append(common, "", "", "", ""))
		}
		for _, l := range s.Levels {
			// Ten digits: 99.9% is read as 0.9990000000000001.
			level := strconv.FormatFloat(l.Level, 'g', 10, 64)
			t.row(append(slices.Clip(common), level, csvMean(l.Meets), csvLo(l.Meets), csvHi(l.Meets)))
		}
	}
	return t.close()
}
