package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"reflect"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// Limits on a scenario file. Each is far beyond any real service desk and
// is checked before memory is allocated for what it bounds, so that no
// file, however built, can exhaust memory or run for long before it is
// rejected. docs/limits.md lists them; a test keeps the two in step.
const (
	// maxFileSize bounds the bytes read: the largest file parses in about
	// a second and 120 MB.
	maxFileSize = 1 << 20
	// maxNodes bounds the values, fields and list items of the file with
	// its aliases expanded, which is what decoding walks: a few kilobytes
	// of nested aliases can otherwise stand for billions of nodes.
	maxNodes = 100_000
	// maxTiers is the engine's limit: its skill masks hold 64 tiers.
	maxTiers     = 64
	maxTeams     = 1000
	maxShifts    = 1000 // of one team
	maxCalendars = 1000
	maxBursts    = 1000
	maxSteps     = 100 // of a contract's escalation ladder
	maxHolidays  = 1000
)

// listLimits bounds the lists of the schema, by item type. A list not
// named here is bounded by maxNodes alone, or by a rule of its own (a
// tier's escalation has at most two steps).
var listLimits = map[reflect.Type]struct {
	max  int
	what string
}{
	reflect.TypeFor[rawTier]():         {maxTiers, "tiers"},
	reflect.TypeFor[rawContractTier](): {maxTiers, "tiers"},
	reflect.TypeFor[rawSizingTier]():   {maxTiers, "tiers"},
	reflect.TypeFor[rawTeam]():         {maxTeams, "teams"},
	reflect.TypeFor[rawSizingTeam]():   {maxTeams, "teams"},
	reflect.TypeFor[rawShift]():        {maxShifts, "shifts"},
	reflect.TypeFor[rawSizingShift]():  {maxShifts, "shifts"},
	reflect.TypeFor[rawCalendar]():     {maxCalendars, "calendars"},
	reflect.TypeFor[rawBurst]():        {maxBursts, "bursts"},
	reflect.TypeFor[rawService]():      {sim.MaxServices, "services"},
	reflect.TypeFor[rawLadderStep]():   {maxSteps, "steps"},
}

// limitf reports a limit passed. A list past its limit is not read; once
// the fields are, Parse stops there rather than look at what they mean:
// what lies beyond a limit may be too large to look at.
func (d *decoder) limitf(n *yaml.Node, path, format string, args ...any) {
	d.problems = append(d.problems, d.at(n, path, format+" (see docs/limits.md)", args...))
	d.overLimit = true
}

// readFile reads the scenario file at path, at most maxFileSize bytes of
// it: it may be a pipe or a device that never ends.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, &ValidationError{Problems: []Diagnostic{tooLarge(path, data)}}
	}
	return data, nil
}

// tooLarge is the problem of a file larger than maxFileSize, at the line
// where it passes the limit.
func tooLarge(file string, data []byte) Diagnostic {
	return Diagnostic{
		File:   file,
		Line:   bytes.Count(data[:maxFileSize], []byte("\n")) + 1,
		Reason: fmt.Sprintf("the file is larger than %s, the limit of a scenario file (see docs/limits.md)", formatBytes(maxFileSize)),
	}
}

// formatBytes writes a power of two of bytes the way people say it.
func formatBytes(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// A nodeCounter counts the nodes of a YAML tree with its aliases expanded,
// without expanding them: the size of an anchored node is counted once and
// remembered, so counting costs one visit per node written in the file.
type nodeCounter struct {
	limit int
	// sizes holds the expanded size of anchored nodes, capped at limit+1;
	// -1 while a node is being counted, to catch an alias inside the node
	// it names.
	sizes map[*yaml.Node]int
	// endless is set when an alias is found inside the node it names.
	endless bool
}

// size returns the number of nodes n stands for, at most limit+1.
func (c *nodeCounter) size(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return 1
		}
		n = n.Alias
	}
	if s, ok := c.sizes[n]; ok {
		if s < 0 {
			c.endless = true
			return c.limit + 1
		}
		return s
	}
	if n.Anchor != "" {
		c.sizes[n] = -1
	}
	s := 1
	for _, child := range n.Content {
		if s += c.size(child); s > c.limit {
			s = c.limit + 1
			break
		}
	}
	if n.Anchor != "" {
		c.sizes[n] = s
	}
	return s
}

// passes returns the first node written in the file at which the tree
// under root, aliases expanded, passes the limit; nil if it stays within.
func (c *nodeCounter) passes(root *yaml.Node) *yaml.Node {
	total := 0
	var walk func(n *yaml.Node) *yaml.Node
	walk = func(n *yaml.Node) *yaml.Node {
		if n.Kind == yaml.AliasNode {
			if total += c.size(n); total > c.limit {
				return n
			}
			return nil
		}
		if total++; total > c.limit {
			return n
		}
		for _, child := range n.Content {
			if at := walk(child); at != nil {
				return at
			}
		}
		return nil
	}
	return walk(root)
}

// checkNodes reports a document whose nodes, aliases expanded, pass
// maxNodes.
func (d *decoder) checkNodes(root *yaml.Node) bool {
	c := &nodeCounter{limit: maxNodes, sizes: make(map[*yaml.Node]int)}
	at := c.passes(root)
	switch {
	case at == nil:
		return true
	case c.endless:
		d.limitf(at, "", "the alias *%s is inside what it names, so it expands without end", at.Value)
	case at.Kind == yaml.AliasNode:
		d.limitf(at, "", "the alias *%s takes the file past %d values, fields and list items once aliases are expanded", at.Value, maxNodes)
	default:
		d.limitf(at, "", "the file has more than %d values, fields and list items", maxNodes)
	}
	return false
}

// Staffing is laid out over the whole simulated period before a run:
// shifts and calendars day by day, interval staffing every quarter hour.
// These bound that work, which a long horizon multiplies; at either limit
// it takes about half a second and 100 MB.
const (
	// maxScheduleSpans bounds the days and time ranges of shifts (those
	// sizing.shifts offers included) and calendars over the period: 68
	// daily shifts for 20 years, or 1,300 for a year.
	maxScheduleSpans = 1_000_000
	// maxIntervalWeeks bounds the teams staffed per interval times the
	// weeks simulated: 5 teams for 20 years, or 96 for a year.
	maxIntervalWeeks = 5_000
)

// checkSchedules reports staffing too large to lay out over the simulated
// period.
func (d *decoder) checkSchedules(r *rawScenario, s *Scenario) {
	if err := s.checkSchedules(s.End()); err != nil {
		at := r.Teams.Self
		if at.node == nil {
			at = r.Calendars.Self
		}
		d.limitf(at.where(), at.path, "%v", err)
	}
}

// checkSchedules checks that the scenario's staffing can be laid out over
// a simulated period of length end.
func (s *Scenario) checkSchedules(end time.Duration) error {
	days := int(end/day) + 2 // and the days the period starts and ends in
	weeks := int(end/week) + 2
	// Each day of a week is visited, and each of its time ranges laid out.
	spans := func(w *staffing.Week) int {
		n := days
		for _, ranges := range w.Days {
			n += weeks * len(ranges)
		}
		return n
	}
	total, intervals := 0, 0
	for i := range s.Calendars {
		total += spans(&s.Calendars[i].Week)
	}
	for _, t := range s.Teams {
		for i := range t.Schedule.Shifts {
			total += spans(&t.Schedule.Shifts[i].Week)
		}
		intervals += len(t.Schedule.Intervals)
	}
	for i := range s.Sizing.Offered {
		total += spans(&s.Sizing.Offered[i].Shift.Week)
	}
	const hint = "shorten the simulated period (warm_up + horizon + drain)"
	switch {
	case total > maxScheduleSpans:
		return fmt.Errorf("the shifts and calendars make %d days and time ranges to lay out over the %d days simulated, at most %d: %s, or use fewer shifts",
			total, days, maxScheduleSpans, hint)
	case intervals*weeks > maxIntervalWeeks:
		return fmt.Errorf("%d teams staffed by intervals over the %d weeks simulated are %d team-weeks to lay out, at most %d: %s",
			intervals, weeks, intervals*weeks, maxIntervalWeeks, hint)
	}
	return nil
}
