package scenarios

import (
	"slices"
	"strconv"
	"strings"

	"github.com/slasim/slasim/sim"
)

// A Service is a system the desk supports, which fails and is restored.
type Service struct {
	Name string
	// Tier is the index of the tier its outages count as: their tickets'
	// tier, and whose outage coefficient a contract applies.
	Tier        int
	Up, Restore sim.Distribution
	Failover    sim.Failover
	// Maintenance names the calendar whose open hours are the service's
	// planned maintenance; "" for none.
	Maintenance string
	Tickets     sim.OutageTickets
	Automation  sim.OutageAutomation
	// Levels are the availability levels each period is judged against;
	// Period is the kind of period (day, week, month), or window for the
	// measured window as one.
	Levels []float64
	Period string
}

// services reads the systems the desk supports.
func (d *decoder) services(l *list[rawService], tiers []Tier, cals []Calendar) []Service {
	var ss []Service
	names := make(map[string]int)
	for i := range l.Items {
		r := &l.Items[i]
		if !isMapping(r.Self) {
			continue
		}
		var s Service
		s.Name, _ = d.uniqueName(r.Name, names, i, "services", "every service needs a name, such as name: payment gateway")
		if d.required(r.Tier, "give the tier its outages count as, such as tier: urgent: their tickets' tier, and the contract's outage coefficient") {
			s.Tier, _ = d.tierRef(r.Tier, tiers)
		}
		s.Up, _ = d.handling(&r.Up, "give the time between failures, from a restore to the next failure, such as up: {mean: 30d}")
		s.Restore, _ = d.handling(&r.Restore, "give the time to restore the service after a failure, such as restore: {distribution: lognormal, mean: 2h, cv: 1}")
		if r.Failover.Self.node != nil && isMapping(r.Failover.Self) {
			if d.required(r.Failover.Probability, "give the chance that failover ends an outage, such as probability: 80%") {
				s.Failover.Probability, _ = d.probability(r.Failover.Probability, true, true)
			}
			s.Failover.Time, _ = d.handling(&r.Failover.Time, "give the time failover takes, such as time: {distribution: deterministic, mean: 30m}")
		}
		if r.Maintenance.node != nil {
			s.Maintenance, _ = d.calendarRef(r.Maintenance, cals)
		}
		if r.Tickets.Self.node != nil && isMapping(r.Tickets.Self) {
			if d.required(r.Tickets.MeanSize, "give the mean number of tickets an outage brings, such as mean_size: 20") {
				n, ok := d.number(r.Tickets.MeanSize)
				if ok && !(n >= 1 && n <= maxBurstSize) {
					d.errorf(r.Tickets.MeanSize, "must be from 1 to %d, got %s", maxBurstSize, r.Tickets.MeanSize.node.Value)
				}
				s.Tickets.MeanSize = n
			}
			s.Tickets.Spread, _ = d.duration(r.Tickets.Spread, true)
		}
		if r.Automation.node != nil {
			s.Automation, _ = d.outageAutomation(r.Automation)
		}
		if r.Availability.node != nil {
			s.Levels = d.levelsList(r.Availability)
		}
		if p, ok := d.text(r.Period); ok {
			if !slices.Contains(append(slices.Clip(periodKinds), "window"), p) {
				d.errorf(r.Period, "must be day, week, month or window (the measured window as one period), got %s", p)
			}
			s.Period = p
		}
		ss = append(ss, s)
	}
	d.serviceCount = len(ss)
	return ss
}

// outageAutomation reads what an outage does to the automated channel:
// stop, or a slowdown factor such as 3 (attempts take three times as
// long).
func (d *decoder) outageAutomation(v value) (sim.OutageAutomation, bool) {
	n, ok := d.scalar(v, "stop, or a slowdown factor such as 3")
	if !ok {
		return sim.OutageAutomation{}, false
	}
	if n.Value == "stop" {
		return sim.OutageAutomation{Stop: true}, true
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(n.Value, "x"), 64)
	if err != nil || !(f >= 1 && f <= 1000) {
		d.errorf(v, "must be stop (the automated channel takes no attempt while the service is down) or a slowdown factor from 1 to 1000, such as 3 (its attempts take three times as long), got %s", n.Value)
		return sim.OutageAutomation{}, false
	}
	return sim.OutageAutomation{Slowdown: f}, true
}

// levelsList reads availability levels: shares above 0, at most 1, such
// as [99.9%, 99.99%].
func (d *decoder) levelsList(v value) []float64 {
	vs, _ := d.items(v, "availability levels", "[99.9%, 99.99%]")
	var ls []float64
	for _, e := range vs {
		l, ok := d.fraction(e)
		switch {
		case !ok:
		case !(l > 0 && l <= 1):
			d.errorf(e, "must be a share above 0 and at most 100%%, such as 99.9%%, got %s", e.node.Value)
		default:
			ls = append(ls, l)
		}
	}
	return ls
}

// modelServices lays the services out over simulation time: their
// maintenance calendars and periods.
func (s *Scenario) modelServices(calendar func(string) *sim.Calendar) []sim.Service {
	if len(s.Services) == 0 {
		return nil
	}
	ds := s.localDays()
	w0 := s.timelineWarmUp()
	window := []sim.Window{{Start: w0, End: w0 + s.Simulation.Horizon}}
	var out []sim.Service
	for _, sv := range s.Services {
		m := sim.Service{Name: sv.Name, Tier: sv.Tier, Up: sv.Up, Restore: sv.Restore, Failover: sv.Failover,
			Maintenance: calendar(sv.Maintenance), Tickets: sv.Tickets, Automation: sv.Automation, Levels: sv.Levels,
			Periods: window}
		if sv.Period != "window" {
			var ps []sim.Window
			for _, p := range s.wholePeriods(sv.Period, ds) {
				ps = append(ps, sim.Window{Start: ds.starts[p.First], End: ds.ends[p.End-1]})
			}
			// Without a whole period in the window, the window is the one.
			if len(ps) > 0 {
				m.Periods, m.Period = ps, sv.Period
			}
		}
		out = append(out, m)
	}
	return out
}
