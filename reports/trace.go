package reports

import (
	"io"
	"strconv"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// traceColumns are the columns of a trace, a row per ticket (docs/trace.md).
var traceColumns = []string{
	"replication", "ticket", "tier", "arrived_as", "served_as", "aged",
	"arrival_s", "start_s", "end_s", "outcome", "automation", "team", "agent", "level",
	"waiting_s", "paging_s", "travel_s", "handling_s", "pending_s",
	"response_s", "response_target_s", "response_met",
	"resolution_s", "resolution_target_s", "resolution_met",
}

// A TraceCSV writes the records of a trace (sim.Trace) as CSV, a row per
// ticket, as they come: it keeps nothing of them.
type TraceCSV struct {
	t     *table
	tiers []string
	open  time.Duration // when the measured window opens
	cells []string
}

// NewTraceCSV starts a trace of a run of m with the given master seed by
// slasim version, writing its header row to w. A trace is only written
// whole: its rows end with the run column complete.
func NewTraceCSV(w io.Writer, m *sim.Model, seed uint64, version string) *TraceCSV {
	tc := &TraceCSV{
		t:     newTable(w, traceColumns, &Envelope{Seed: seed, Version: version}, false),
		open:  m.WarmUp,
		cells: make([]string, len(traceColumns)),
	}
	for _, t := range m.Tiers {
		tc.tiers = append(tc.tiers, format.Cell(t.Name))
	}
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
	start, agent, resolution, resolutionMet := "", "", "", ""
	if r.Start >= 0 {
		start = exactSeconds(r.Start - tc.open)
	}
	if r.Agent >= 0 {
		agent = strconv.Itoa(r.Agent + 1)
	}
	if !r.Left() {
		resolution, resolutionMet = exactSeconds(r.Resolution), strconv.FormatBool(r.Resolution <= r.ResolutionTarget)
	}
	c := tc.cells[:0]
	c = append(c,
		strconv.Itoa(r.Replication), strconv.FormatInt(r.Ticket, 10),
		tc.tiers[r.Tier], tc.tiers[r.ArrivedAs], tc.tiers[r.ServedAs], strconv.FormatBool(r.Aged),
		exactSeconds(r.Arrival-tc.open), start, exactSeconds(r.End-tc.open), outcome, automation,
		format.Cell(r.Team), agent, strconv.Itoa(r.Level+1),
		exactSeconds(r.Waiting), exactSeconds(r.Paging), exactSeconds(r.Travel), exactSeconds(r.Handling), exactSeconds(r.Pending),
		exactSeconds(r.Response), exactSeconds(r.ResponseTarget), strconv.FormatBool(r.ResponseMet()),
		resolution, exactSeconds(r.ResolutionTarget), resolutionMet)
	tc.t.row(c)
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
