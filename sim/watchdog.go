package sim

import (
	"fmt"
	"strings"
	"time"
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
	// grew over the last simulated week (tickets per hour).
	Replication   int           `json:"replication,omitempty"`
	At            time.Duration `json:"at_ns,omitempty"`
	InSystem      int           `json:"in_system,omitempty"`
	GrowthPerHour float64       `json:"growth_per_hour,omitempty"`
}

func (u *Instability) Error() string {
	if u.InSystem == 0 {
		if u.AutomationLoad >= u.AutomationCapacity && u.AutomationCapacity > 0 {
			return fmt.Sprintf("unstable: automated attempts need %.3g slots on average, the engine has %.3g", u.AutomationLoad, u.AutomationCapacity)
		}
		if len(u.Work) > 0 {
			return fmt.Sprintf("unstable: %s: %.3g Erlangs of work that only %s may take, with %.3g agents on average over the measured window (busy %.1f%% of the time)",
				and(u.Work), u.Load, and(u.Teams), u.Capacity, 100*u.Load/u.Capacity)
		}
		return fmt.Sprintf("unstable: offered load %.3g Erlangs >= capacity of %.3g agents on average over the measured window", u.Load, u.Capacity)
	}
	return fmt.Sprintf("unstable: replication %d held %d tickets at %v, the backlog growing by %.3g tickets/h over the last week (offered load %.3g Erlangs, capacity %.3g agents on average)",
		u.Replication, u.InSystem, u.At.Round(time.Minute), u.GrowthPerHour, u.Load, u.Capacity)
}

// and joins names as in "a, b and c".
func and(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// watchdog stops a replication whose backlog grows without bound: it caps
// the tickets in the system at once, and samples their number weekly for
// the growth rate it reports.
type watchdog struct {
	max      int // tickets in the system beyond which the run stops
	nextWeek time.Duration
	sampleT  [2]time.Duration
	sampleN  [2]int
}

func newWatchdog(m *Model) watchdog {
	w := watchdog{max: m.MaxInSystem}
	if w.max == 0 {
		w.max = DefaultMaxInSystem
	}
	return w
}

func (w *watchdog) reset() {
	w.nextWeek = Week
	w.sampleT, w.sampleN = [2]time.Duration{}, [2]int{}
}

// observe takes the weekly samples due by now, each the number of tickets
// in the system as the first event past the week's end finds it.
func (w *watchdog) observe(now time.Duration, inSystem int) {
	for now >= w.nextWeek {
		w.sampleT = [2]time.Duration{w.sampleT[1], w.nextWeek}
		w.sampleN = [2]int{w.sampleN[1], inSystem}
		w.nextWeek += Week
	}
}

// overflows reports whether the tickets in the system exceed the cap.
func (w *watchdog) overflows(inSystem int) bool { return inSystem > w.max }

// instability is the error that stops replication rep at now.
func (w *watchdog) instability(m *Model, rep int, now time.Duration, inSystem int) error {
	return &Instability{
		Load:          m.OfferedLoad(),
		Capacity:      m.Capacity(),
		Replication:   rep,
		At:            now,
		InSystem:      inSystem,
		GrowthPerHour: float64(inSystem-w.sampleN[0]) / (now - w.sampleT[0]).Hours(),
	}
}
