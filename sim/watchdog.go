package sim

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/sim/capacity"
	"github.com/slasim/slasim/sim/steady"
)

// Instability describes a system whose backlog grows without bound.
type Instability struct {
	// Load is the offered load in Erlangs (mean agent-hours of work arriving
	// per hour) and Capacity the mean number of agents available to serve
	// it. For the automated channel, AutomationLoad and AutomationCapacity.
	Load               float64 `json:"load"`
	Capacity           float64 `json:"capacity"`
	AutomationLoad     float64 `json:"automation_load,omitempty"`
	AutomationCapacity float64 `json:"automation_capacity,omitempty"`
	// Work and Teams name, when only part of the desk is overloaded, the
	// work (a tier, with its level when the model has several: "P4 L1")
	// whose load alone exceeds what the teams that may take it can carry,
	// and those teams; Load and Capacity are then theirs.
	Work  []string `json:"work,omitempty"`
	Teams []string `json:"teams,omitempty"`
	// When a replication had to be stopped: which one, at what simulated
	// time, with how many tickets in the system, and how fast the backlog
	// grew (tickets per hour): over the last simulated week, or for a
	// tier's backlog the trend over the last weeks.
	Replication   int           `json:"replication,omitempty"`
	At            time.Duration `json:"at_ns,omitempty"`
	InSystem      int           `json:"in_system,omitempty"`
	GrowthPerHour float64       `json:"growth_per_hour,omitempty"`
	// Waiting is, when a tier's backlog grew week after week (Work names
	// it), how many of its tickets were waiting; Limit, when the tickets in
	// the system exceeded what a replication may hold, that bound.
	Waiting int `json:"waiting,omitempty"`
	Limit   int `json:"limit,omitempty"`
}

func (u *Instability) Error() string { return "unstable: " + u.Reason() }

// Reason is what grows without bound and why: the error without its
// "unstable: ", for reports whose heading says it.
func (u *Instability) Reason() string {
	switch {
	case u.InSystem == 0 && u.AutomationLoad >= u.AutomationCapacity && u.AutomationCapacity > 0:
		return fmt.Sprintf("automated attempts need %s on average, the engine has %s", slots(u.AutomationLoad), slots(u.AutomationCapacity))
	case u.InSystem == 0 && len(u.Work) > 0:
		return fmt.Sprintf("%s: %s of work that only %s may take, with %s on average over the measured window (busy %.1f%% of the time)",
			and(u.Work), erlangs(u.Load), and(u.Teams), agents(u.Capacity), 100*u.Load/u.Capacity)
	case u.InSystem == 0:
		return fmt.Sprintf("offered load %s >= capacity of %s on average over the measured window", erlangs(u.Load), agents(u.Capacity))
	case len(u.Work) > 0:
		return fmt.Sprintf("in replication %d the backlog of %s grew week after week, by %s a week over the last %d weeks, to %d waiting after %s (offered load %s, capacity %s on average)",
			u.Replication, and(u.Work), tickets(u.GrowthPerHour*Week.Hours()), trendWeeks, u.Waiting, plural.Count(float64(u.At)/float64(Week), "week", "weeks"), erlangs(u.Load), agents(u.Capacity))
	}
	return fmt.Sprintf("replication %d held %d tickets after %s, more than the %d a replication may hold, the backlog growing by %s/h over the last week (offered load %s, capacity %s on average)",
		u.Replication, u.InSystem, plural.Count(u.At.Hours(), "hour", "hours"), u.Limit, tickets(u.GrowthPerHour), erlangs(u.Load), agents(u.Capacity))
}

// agents, erlangs, slots and tickets write a figure with its noun, "1
// agent" or "2.5 agents", and a large one whole: "2006 Erlangs".
func agents(n float64) string  { return plural.Count(n, "agent", "agents") }
func erlangs(n float64) string { return plural.Count(n, "Erlang", "Erlangs") }
func slots(n float64) string   { return plural.Count(n, "slot", "slots") }
func tickets(n float64) string { return plural.Count(n, "ticket", "tickets") }

// and joins names as in "a, b and c".
func and(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// watchdog stops a replication whose backlog grows without bound. Each
// week of simulated time it samples, per class of tickets, how many wait
// for people; it stops the replication when a class's backlog has grown
// week after week (a least-squares trend over the last trendWeeks samples,
// at least trendZ standard errors above zero) to more tickets than arrive
// in a week. Sampling at the same moment of each week ignores the weekly
// cycle: a backlog built every weekend and cleared every week is not a
// trend. Waiting a week's arrivals (a mean wait of a week, by Little's law)
// keeps the rise from an empty start to a steady queue from looking like
// one: a desk at 97% of its capacity queues for hours, not weeks. Apart
// from the trend it caps the tickets in the system at once (MaxInSystem),
// which bounds memory.
type watchdog struct {
	max      int // tickets in the system beyond which the run stops
	nextWeek time.Duration
	sampleT  [2]time.Duration
	sampleN  [2]int
	// waiting[c] holds the last trendWeeks weekly samples of class c, in
	// a ring from weeks%trendWeeks; weekly[c] is the class's expected
	// arrivals per week.
	waiting [][trendWeeks]float64
	weekly  []float64
	weeks   int
	// ignore marks the classes no team may serve, shared by the engines of
	// a run; until is the end of the arrivals, after which a backlog cannot
	// grow.
	ignore []bool
	until  time.Duration
}

const (
	trendWeeks = 8
	trendZ     = 4
)

// newWatchdog is the watchdog of model m, ignoring the backlogs of the
// tiers marked unserved (Model.unserved).
func newWatchdog(m *Model, unserved []bool) watchdog {
	w := watchdog{max: m.MaxInSystem, waiting: make([][trendWeeks]float64, len(m.Tiers)), weekly: make([]float64, len(m.Tiers)), ignore: unserved}
	if w.max == 0 {
		w.max = DefaultMaxInSystem
	}
	perWeek := make([]float64, len(m.Tiers))
	for i, t := range m.Tiers {
		perWeek[i] = t.Arrivals.MeanRate() * Week.Hours()
	}
	for _, b := range m.incidents() {
		perWeek[b.Tier] += b.PerWeek * max(b.MeanSize, 1)
	}
	for i, t := range m.Tiers {
		for _, c := range m.carried(i) {
			w.weekly[c.tier] += perWeek[i] * (1 - t.Deflected) * c.share
		}
	}
	w.until = m.WarmUp + m.Horizon
	return w
}

// unserved marks the tiers with work, over the window whose exposure is
// ex, that no team may take. That work grows without bound by design: its
// tickets are counted unresolved, as the check before running lets them
// be, and the watchdog ignores their backlog.
func (m *Model) unserved(ex *exposure) []bool {
	wl := m.window(ex, false)
	tiers := make([]bool, len(m.Tiers))
	for _, k := range capacity.Solve(&wl.Window).Unserved {
		tiers[wl.Classes[k].Tier] = true
	}
	return tiers
}

func (w *watchdog) reset(begin time.Duration) {
	w.nextWeek = begin + Week
	w.sampleT, w.sampleN = [2]time.Duration{}, [2]int{}
	w.weeks = 0
}

// observe takes the weekly samples due by now, as the first event past
// the week's end finds the system, and reports the class whose backlog
// grows without bound, or -1. It runs at every event: the test for a week
// past is inlined, the sampling is not.
func (w *watchdog) observe(now time.Duration, inSystem int, waiting []int) (class int) {
	if now < w.nextWeek {
		return -1
	}
	return w.sample(now, inSystem, waiting)
}

func (w *watchdog) sample(now time.Duration, inSystem int, waiting []int) (class int) {
	class = -1
	for now >= w.nextWeek {
		w.sampleT = [2]time.Duration{w.sampleT[1], w.nextWeek}
		w.sampleN = [2]int{w.sampleN[1], inSystem}
		w.nextWeek += Week
		k := w.weeks % trendWeeks
		for c, n := range waiting {
			w.waiting[c][k] = float64(n)
		}
		w.weeks++
		if w.weeks < trendWeeks || w.nextWeek-Week > w.until {
			continue
		}
		for c := range waiting {
			if !w.ignore[c] && w.growing(c) {
				class = c
			}
		}
	}
	return class
}

// growing reports whether class c's backlog grows without bound.
//
// The trend's standard error takes the weeks as independent, but a stable
// queue that relaxes over months (one agent at 98%) wanders like a random
// walk, rising for weeks on end: its weekly steps, a week's arrivals less
// its departures, vary about twice a week's arrivals. The slope is held
// to that walk's standard error too.
func (w *watchdog) growing(c int) bool {
	n := float64(w.waiting[c][(w.weeks-1)%trendWeeks])
	if n < max(w.weekly[c], 1) {
		return false
	}
	slope, se := w.trend(c)
	return slope > trendZ*max(se, walkSlopeSE*math.Sqrt(2*w.weekly[c]))
}

// walkSlopeSE is the standard error of the least-squares slope of
// trendWeeks points of a random walk with steps of unit variance: the
// slope weighs each step by the sum of the points' weights from it on.
var walkSlopeSE = func() float64 {
	var sxx float64
	mid := float64(trendWeeks-1) / 2
	for i := range trendWeeks {
		sxx += (float64(i) - mid) * (float64(i) - mid)
	}
	var v, tail float64
	for i := trendWeeks - 1; i > 0; i-- {
		tail += (float64(i) - mid) / sxx
		v += tail * tail
	}
	return math.Sqrt(v)
}()

// trend is the least-squares slope of class c's last samples, in tickets
// a week, and its standard error.
func (w *watchdog) trend(c int) (slope, se float64) {
	var y [trendWeeks]float64
	for i := range y {
		y[i] = w.waiting[c][(w.weeks+i)%trendWeeks]
	}
	return steady.Trend(y[:])
}

// overflows reports whether the tickets in the system exceed the cap.
func (w *watchdog) overflows(inSystem int) bool { return inSystem > w.max }

// instability is the error that stops replication rep at now: the class
// whose backlog grows, or if class < 0 the cap exceeded.
func (w *watchdog) instability(m *Model, rep int, now time.Duration, inSystem int, class int, waiting int) error {
	u := &Instability{
		Load:          m.OfferedLoad(),
		Capacity:      m.Capacity(),
		Replication:   rep,
		At:            now,
		InSystem:      inSystem,
		GrowthPerHour: float64(inSystem-w.sampleN[0]) / (now - w.sampleT[0]).Hours(),
		Limit:         w.max,
	}
	if class >= 0 {
		slope, _ := w.trend(class)
		u.Work = []string{m.Tiers[class].Name}
		u.GrowthPerHour = slope / Week.Hours()
		u.Waiting = waiting
		u.Limit = 0
	}
	return u
}
