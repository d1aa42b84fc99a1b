package reports

import (
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// traceColumns are the columns of a trace, a row per ticket (docs/trace.md).
var traceColumns = []string{
	"replication", "ticket", "tier", "arrived_as", "served_as", "aged",
	"arrival_s", "start_s", "end_s", "arrival_time", "start_time", "end_time", "outcome", "automation", "team", "agent", "level", "stage",
	"waiting_s", "paging_s", "travel_s", "handling_s", "pending_s",
	"response_s", "response_target_s", "response_met",
	"resolution_s", "resolution_target_s", "resolution_met",
}

// A TraceCSV writes the records of a trace (sim.Trace) as CSV, a row per
// ticket, as they come: it keeps nothing of them. The model's named
// clocks (sim.Model.ClockNames, a name shared by the tiers whose clocks
// have it) follow the fixed columns, three a clock: clock_NAME_s,
// clock_NAME_target_s, clock_NAME_met.
type TraceCSV struct {
	t     *table
	tiers []string
	// stages names the tiers' stages, for tiers whose journeys name them.
	stages [][]string
	open   time.Duration // when the measured window opens
	origin time.Time     // the calendar time of simulation time 0
	cells  []string
}

// NewTraceCSV starts a trace of a run of m with the given master seed by
// slasim version, writing its header row to w; origin is the calendar time
// of m's simulation time 0 in the scenario's time zone (its Epoch), from
// which the rows give dates and times. A trace is only written whole: its
// rows end with the run column complete.
func NewTraceCSV(w io.Writer, m *sim.Model, origin time.Time, seed uint64, version string) *TraceCSV {
	head := slices.Clone(traceColumns)
	for _, name := range m.ClockNames() {
		name = "clock_" + name
		head = append(head, format.Cell(name+"_s"), format.Cell(name+"_target_s"), format.Cell(name+"_met"))
	}
	tc := &TraceCSV{open: m.WarmUp, origin: origin, cells: make([]string, len(head))}
	for _, t := range m.Tiers {
		tc.tiers = append(tc.tiers, format.Cell(t.Name))
		tc.stages = append(tc.stages, cells(t.Stages))
	}
	tc.t = newTable(w, head, &Envelope{Seed: seed, Version: version}, false)
	return tc
}

// Write writes a row per record.
func (tc *TraceCSV) Write(records []sim.TraceRecord) error {
	for i := range records {
		tc.row(&records[i])
	}
	tc.t.cw.Flush()
	return tc.t.cw.Error()
}

// Close ends the trace.
func (tc *TraceCSV) Close() error { return tc.t.close() }

func (tc *TraceCSV) row(r *sim.TraceRecord) {
	outcome := "resolved"
	switch {
	case r.Abandoned:
		outcome = "abandoned"
	case r.Blocked:
		outcome = "blocked"
	case r.Unresolved:
		outcome = "unresolved"
	case r.Automated:
		outcome = "automated"
	}
	automation := ""
	if r.AutomationTried {
		automation = "tried"
	}
	start, startTime, agent, resolution, resolutionMet, stage := "", "", "", "", "", ""
	if s := tc.stages[r.Tier]; r.Level < len(s) {
		stage = s[r.Level]
	}
	if r.Start >= 0 {
		start, startTime = exactSeconds(r.Start-tc.open), tc.calendar(r.Start)
	}
	if r.Agent >= 0 {
		agent = strconv.Itoa(r.Agent + 1)
	}
	resolutionTarget := ""
	if r.ResolutionTarget > 0 { // else the tier promises no resolution
		resolutionTarget = exactSeconds(r.ResolutionTarget)
	}
	if !r.Left() {
		resolution = exactSeconds(r.Resolution)
		if r.ResolutionTarget > 0 {
			resolutionMet = strconv.FormatBool(r.Resolution <= r.ResolutionTarget)
		}
	}
	c := tc.cells[:len(traceColumns)]
	c = append(c[:0],
		strconv.Itoa(r.Replication), strconv.FormatInt(r.Ticket, 10),
		tc.tiers[r.Tier], tc.tiers[r.ArrivedAs], tc.tiers[r.ServedAs], strconv.FormatBool(r.Aged),
		exactSeconds(r.Arrival-tc.open), start, exactSeconds(r.End-tc.open),
		tc.calendar(r.Arrival), startTime, tc.calendar(r.End), outcome, automation,
		format.Cell(r.Team), agent, strconv.Itoa(r.Level+1), stage,
		exactSeconds(r.Waiting), exactSeconds(r.Paging), exactSeconds(r.Travel), exactSeconds(r.Handling), exactSeconds(r.Pending),
		exactSeconds(r.Response), exactSeconds(r.ResponseTarget), strconv.FormatBool(r.ResponseMet()),
		resolution, resolutionTarget, resolutionMet)
	c = c[:len(tc.cells)]
	clear(c[len(traceColumns):])
	for k, ck := range r.Clocks {
		if !ck.Timed {
			continue // the clock leaves the ticket out
		}
		at := len(traceColumns) + 3*k
		if !ck.Unanswered {
			c[at] = exactSeconds(ck.Time)
		}
		c[at+1], c[at+2] = exactSeconds(ck.Target), strconv.FormatBool(ck.Met())
	}
	tc.t.row(c)
}

// calendar writes simulation time d as the date and time it stands for in
// the scenario's time zone, RFC 3339 with its offset, to the nanosecond.
func (tc *TraceCSV) calendar(d time.Duration) string {
	return tc.origin.Add(d).Format(time.RFC3339Nano)
}

// exactSeconds writes d in seconds, exactly: as many decimals as its
// nanoseconds need, none for whole seconds.
func exactSeconds(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	s := strconv.FormatInt(int64(d/time.Second), 10)
	if ns := int64(d % time.Second); ns != 0 {
		frac := strconv.FormatInt(ns+1e9, 10)[1:] // nine digits
		for frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}
