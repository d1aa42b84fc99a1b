package sim

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// A tier's work can be a journey of named stages (Tier.Stages), each a
// level of the ticket: its handling time, the teams that may do it (their
// skills) and the probability that the ticket needs it. Named clocks run
// between marks of the journey: the ticket's arrival, or the start or end
// of a stage. A stage starts when work on it first starts (on site, for a
// ticket whose agent travels) and ends when its work is done (after the
// follow-up, for a ticket that waited on the customer).

// Clock is a named clock of a tier: from its From mark to its To mark,
// counted on Calendar's open time (nil: around the clock) less the time
// the ticket waited on the customer in between, and met within Target,
// or within OffHours for a clock starting while the tier's off-hours
// calendar is closed (0: Target). A ticket is timed by the clock when its
// journey reaches both marks: the tickets that never need a stage, and
// those the automated channel resolves, are not; one that leaves
// unanswered while its clock runs counts as missed.
type Clock struct {
	Name             string
	From, To         Mark
	Target, OffHours time.Duration
	Calendar         *Calendar
}

// Mark is a point of a ticket's journey: the start or, with End, the end
// of stage Stage (a level), or the ticket's arrival when Stage is
// Arrival.
type Mark struct {
	Stage int
	End   bool
}

// Arrival is the Stage of the mark of a ticket's arrival.
const Arrival = -1

// MaxClocks bounds a tier's named clocks.
const MaxClocks = 16

// validate checks a tier's clocks against its stages.
func (t *Tier) validateClocks() error {
	if len(t.Clocks) > MaxClocks {
		return fmt.Errorf("at most %d clocks, got %d", MaxClocks, len(t.Clocks))
	}
	if t.Stages != nil && len(t.Stages) != 1+len(t.Escalation) {
		return fmt.Errorf("%d stage names for %d stages", len(t.Stages), 1+len(t.Escalation))
	}
	levels := 1 + len(t.Escalation)
	for i, c := range t.Clocks {
		switch {
		case c.Name == "":
			return fmt.Errorf("clock %d has no name", i)
		case c.Name == UpdatesClock && t.Updates.Every > 0:
			return fmt.Errorf("clock %q is the name of the updates' clock", c.Name)
		case c.From.Stage < Arrival || c.From.Stage >= levels || c.From.Stage == Arrival && c.From.End:
			return fmt.Errorf("clock %q starts at no mark of the journey", c.Name)
		case c.To.Stage < 0 || c.To.Stage >= levels:
			return fmt.Errorf("clock %q stops at no stage of the journey", c.Name)
		case !c.From.Before(c.To):
			return fmt.Errorf("clock %q stops before it starts", c.Name)
		case c.Target <= 0 || c.OffHours < 0:
			return fmt.Errorf("clock %q: the target must be > 0 and the off-hours target >= 0", c.Name)
		case c.OffHours > 0 && t.OffHours.Calendar == nil:
			return fmt.Errorf("clock %q: an off-hours target needs the tier's off-hours calendar", c.Name)
		}
		for _, d := range t.Clocks[:i] {
			if d.Name == c.Name {
				return fmt.Errorf("two clocks named %q", c.Name)
			}
		}
	}
	if t.Stages == nil {
		return nil
	}
	for i, s := range t.Stages {
		if s == "" {
			return errors.New("a stage has no name")
		}
		for _, o := range t.Stages[:i] {
			if o == s {
				return fmt.Errorf("two stages named %q", s)
			}
		}
	}
	return nil
}

// ClockNames are the names of the model's named clocks, each once, in
// the order the tiers first name them: what a TicketRecord's Clocks are
// indexed by.
func (m *Model) ClockNames() []string {
	var names []string
	for _, t := range m.Tiers {
		for _, c := range t.Clocks {
			if !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
	}
	return names
}

// Before reports whether mark m comes before n in every journey that
// reaches both.
func (m Mark) Before(n Mark) bool {
	return m.Stage < n.Stage || m.Stage == n.Stage && !m.End && n.End
}

// nextLevel is the level after the current one that ticket t needs; it
// must need one (t.level < t.last).
func (t *ticket) nextLevel() int8 {
	l := t.level + 1
	for t.path&(1<<l) == 0 {
		l++
	}
	return l
}

// journeyClocks are the named clocks of the tickets in the system, by
// ticket slot: when each started (notRunning when it is not running), and
// once stopped, what it read, for the ticket's record; names maps each
// tier's clocks to the model's (ClockNames), of which there are all.
type journeyClocks struct {
	per    int
	starts []time.Duration
	ended  []ClockTime
	names  [][]int
	all    int
}

const notRunning = time.Duration(-1 << 63)

func newJourneyClocks(m *Model) journeyClocks {
	names := m.ClockNames()
	j := journeyClocks{names: make([][]int, len(m.Tiers)), all: len(names)}
	for i, t := range m.Tiers {
		j.per = max(j.per, len(t.Clocks))
		for _, c := range t.Clocks {
			j.names[i] = append(j.names[i], slices.Index(names, c.Name))
		}
	}
	return j
}

// of returns the clocks of ticket slot i, making room for it.
func (j *journeyClocks) of(i int32) ([]time.Duration, []ClockTime) {
	from := int(i) * j.per
	for len(j.starts) < from+j.per {
		j.starts = append(j.starts, notRunning)
		j.ended = append(j.ended, ClockTime{})
	}
	return j.starts[from : from+j.per], j.ended[from : from+j.per]
}

// reset stops every clock.
func (j *journeyClocks) reset() {
	for i := range j.starts {
		j.starts[i] = notRunning
		j.ended[i] = ClockTime{}
	}
}

// ClockTime is what a named clock read for one ticket (TicketRecord.Clocks).
type ClockTime struct {
	// Timed is false when the ticket's journey did not reach both of the
	// clock's marks: the clock leaves it out.
	Timed bool
	// Time is the clock's time and Target the target that applied;
	// Unanswered is true when the ticket left while the clock ran (no
	// time: missed), Censored when the simulation stopped it.
	Time, Target         time.Duration
	Unanswered, Censored bool
}

// Met reports whether the clock stopped within its target.
func (c *ClockTime) Met() bool { return c.Timed && !c.Unanswered && !c.Censored && c.Time <= c.Target }

// began marks the start of ticket t's (slot i) current stage at at, if
// work on it had not started before.
func (ms *measure) began(i int32, t *ticket, at time.Duration) {
	if bit := uint8(1) << t.level; t.begun&bit == 0 {
		t.begun |= bit
		if t.measured {
			ms.mark(t, i, Mark{Stage: int(t.level)}, at)
		}
	}
}

// ended marks the end of ticket t's (slot i) current stage at at.
func (ms *measure) ended(i int32, t *ticket, at time.Duration) {
	if t.measured {
		ms.mark(t, i, Mark{Stage: int(t.level), End: true}, at)
	}
}

// mark passes ticket t (slot i) through mark k of its journey at at:
// its tier's clocks starting there start, if its journey reaches where
// they stop, and those stopping there are recorded.
func (ms *measure) mark(t *ticket, i int32, k Mark, at time.Duration) {
	tm := &ms.tiers[t.trueTier]
	starts, ended := ms.clocks.of(i)
	for c := range tm.spec.Clocks {
		ck := &tm.spec.Clocks[c]
		if ck.To == k && starts[c] != notRunning {
			d := elapsed(ck.Calendar, starts[c], at)
			if t.wentPending && ck.From.Before(Mark{0, true}) && (Mark{0, false}).Before(ck.To) {
				d -= elapsed(ck.Calendar, t.pendingSince, t.pendingSince+t.wait)
			}
			ended[c] = ClockTime{Timed: true, Time: d, Target: tm.spec.clockTarget(c, starts[c])}
			tm.clocks[c].add(d, ended[c].Target, t.hour)
			starts[c] = notRunning
		}
		if ck.From == k && t.path&(1<<ck.To.Stage) != 0 && (k.Stage < 0 || t.path&(1<<k.Stage) != 0) {
			starts[c] = at
		}
	}
}

// unstopped ends ticket t's running clocks as it leaves the system at at:
// unanswered (missed, with no time) or, at the end of the drain, censored
// with the time they had run.
func (ms *measure) unstopped(t *ticket, i int32, at time.Duration, censored bool) {
	tm := &ms.tiers[t.trueTier]
	starts, ended := ms.clocks.of(i)
	for c := range tm.spec.Clocks {
		if starts[c] == notRunning {
			continue
		}
		ck := &tm.spec.Clocks[c]
		ended[c] = ClockTime{Timed: true, Time: elapsed(ck.Calendar, starts[c], at), Target: tm.spec.clockTarget(c, starts[c]), Unanswered: !censored, Censored: censored}
		if censored {
			tm.clocks[c].censor(ended[c].Time, ended[c].Target, t.hour)
		} else {
			tm.clocks[c].lose(t.hour)
		}
		starts[c] = notRunning
	}
}

// recorded hands ticket t's clocks (slot i) to its record, by the
// model's clock names, and clears them for the slot's next ticket.
func (ms *measure) recorded(t *ticket, i int32) {
	if ms.clocks.per == 0 {
		return
	}
	_, ended := ms.clocks.of(i)
	rec := ms.record.Clocks[:0]
	for range ms.clocks.all {
		rec = append(rec, ClockTime{})
	}
	for c, k := range ms.clocks.names[t.trueTier] {
		rec[k] = ended[c]
	}
	ms.record.Clocks = rec
	clear(ended)
}

// clockTarget is the target of clock c started at start.
func (t *Tier) clockTarget(c int, start time.Duration) time.Duration {
	ck := &t.Clocks[c]
	if ck.OffHours > 0 && !t.OffHours.Calendar.IsOpen(start) {
		return ck.OffHours
	}
	return ck.Target
}
