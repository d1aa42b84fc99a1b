package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim/queueing"
)

// ErlangSchemaVersion names the layout of slasim erlang's JSON document;
// it changes as SchemaVersion does.
const ErlangSchemaVersion = "slasim.erlang/v1"

// Erlang is the answer of the Erlang calculator (slasim erlang): what
// numbers of agents achieve in one planning interval of a queue of calls,
// tickets or chats, by Erlang C, or Erlang A when callers hang up. Times
// are in seconds, shares between 0 and 1.
type Erlang struct {
	Schema  string `json:"schema"`
	Version string `json:"slasim_version"`
	// Formula is "Erlang C" or "Erlang A".
	Formula      string   `json:"formula"`
	Calls        float64  `json:"calls"`
	IntervalS    float64  `json:"interval_s"`
	HandlingS    float64  `json:"handling_time_s"`
	TargetS      float64  `json:"target_s"`
	PatienceS    float64  `json:"patience_s"`
	Shrinkage    float64  `json:"shrinkage"`
	MaxOccupancy *float64 `json:"max_occupancy"`
	ServiceLevel *float64 `json:"service_level_goal"`
	Load         float64  `json:"offered_load_erlangs"`
	// Rows are the numbers of agents asked about, in increasing order; Required
	// is the fewest meeting the goal and the cap, when a goal was given.
	Rows     []ErlangRow `json:"rows"`
	Required *ErlangRow  `json:"required"`
}

// ErlangRow is what a number of agents achieves. Under Erlang C with no
// more agents than the load the queue grows without bound: Stable is false,
// the service level 0, the ASA null and P(wait) 1.
type ErlangRow struct {
	Agents          int      `json:"agents"`
	Scheduled       int      `json:"scheduled"`
	Stable          bool     `json:"stable"`
	ServiceLevel    float64  `json:"service_level"`
	ASAS            *float64 `json:"asa_s"`
	ProbWait        float64  `json:"prob_wait"`
	ImmediateAnswer float64  `json:"immediate_answer"`
	Occupancy       float64  `json:"occupancy"`
	Abandoned       float64  `json:"abandoned"`
}

// NewErlang builds the calculator's document of cc with times in seconds:
// the performance of each number of agents asked about, and of the fewest
// meeting goal, if goal > 0.
func NewErlang(version string, cc queueing.CallCentre, goal float64, rows []queueing.Performance, required *queueing.Performance) *Erlang {
	e := &Erlang{
		Schema: ErlangSchemaVersion, Version: version, Formula: "Erlang C",
		Calls: cc.Calls, IntervalS: cc.Interval, HandlingS: cc.HandlingTime, TargetS: cc.Target,
		PatienceS: cc.Patience, Shrinkage: cc.Shrinkage, Load: cc.Calls * cc.HandlingTime / cc.Interval,
	}
	if cc.Patience > 0 {
		e.Formula = "Erlang A"
	}
	if cc.MaxOccupancy > 0 {
		e.MaxOccupancy = &cc.MaxOccupancy
	}
	if goal > 0 {
		e.ServiceLevel = &goal
	}
	for _, p := range rows {
		e.Rows = append(e.Rows, erlangRow(p))
	}
	if required != nil {
		r := erlangRow(*required)
		e.Required = &r
	}
	return e
}

func erlangRow(p queueing.Performance) ErlangRow {
	r := ErlangRow{
		Agents: p.Agents, Scheduled: p.Scheduled, Stable: !math.IsInf(p.ASA, 1),
		ServiceLevel: p.ServiceLevel, ProbWait: p.ProbWait, ImmediateAnswer: p.ImmediateAnswer,
		Occupancy: p.Occupancy, Abandoned: p.Abandoned,
	}
	if r.Stable {
		asa := p.ASA
		r.ASAS = &asa
	}
	return r
}

// WriteJSON writes the document as indented JSON.
func (e *Erlang) WriteJSON(w io.Writer) error {
	return writeJSON(w, e)
}

// WriteText writes the calculator's inputs, a row per number of agents
// (the fewest meeting the goal marked), and a sentence on that number.
func (e *Erlang) WriteText(w io.Writer) error { return format.Text(w, e.writeText) }

func (e *Erlang) writeText(w io.Writer) error {
	p := &printer{w: w}
	p.f("slasim %s · %s calculator\n", e.Version, e.Formula)
	// The calls as given, without the exponent num gives from a million.
	calls := "calls"
	if e.Calls == 1 {
		calls = "call"
	}
	p.f("%s %s in %s · handling %s · answer within %s\n", strconv.FormatFloat(e.Calls, 'f', -1, 64), calls, secs(e.IntervalS), secs(e.HandlingS), secs(e.TargetS))
	var also []string
	if e.PatienceS > 0 {
		also = append(also, "callers hang up after "+secs(e.PatienceS)+" on average")
	}
	if e.Shrinkage > 0 {
		also = append(also, "shrinkage "+format.Level(e.Shrinkage))
	}
	if e.MaxOccupancy != nil {
		also = append(also, "occupancy at most "+format.Level(*e.MaxOccupancy))
	}
	if len(also) > 0 {
		p.f("%s\n", strings.Join(also, " · "))
	}
	p.f("offered load %.2f Erlangs\n\n", e.Load)
	if p.err != nil {
		return p.err
	}
	abandon := e.PatienceS > 0
	unstable := false
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  agents\tscheduled\tservice level\tASA\tP(wait)\toccupancy\t")
	if abandon {
		fmt.Fprintf(tw, "abandoned\t")
	}
	fmt.Fprintf(tw, "\n")
	for _, r := range e.Rows {
		mark := " "
		if e.Required != nil && r.Agents == e.Required.Agents {
			mark = "*"
		}
		if !r.Stable {
			unstable = true
			fmt.Fprintf(tw, "%s %d\t%d\tunstable\t-\t%s\t%s\t", mark, r.Agents, r.Scheduled, format.Percent(r.ProbWait), format.Percent(r.Occupancy))
		} else {
			fmt.Fprintf(tw, "%s %d\t%d\t%s\t%s\t%s\t%s\t", mark, r.Agents, r.Scheduled, format.Percent(r.ServiceLevel), secs(*r.ASAS), format.Percent(r.ProbWait), format.Percent(r.Occupancy))
		}
		if abandon {
			fmt.Fprintf(tw, "%s\t", format.Percent(r.Abandoned))
		}
		fmt.Fprintf(tw, "\n")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	p.f("\nservice level: share of calls answered within %s; ASA: mean wait of answered\n", secs(e.TargetS))
	p.f("calls; scheduled: agents / (1 - shrinkage), rounded up.\n")
	if unstable {
		p.f("unstable: more work than agents, the queue grows without bound.\n")
	}
	if r := e.Required; r != nil {
		p.f("\n%d %s (%d scheduled) answer%s %s within %s (goal %s),\n", r.Agents, plural.Of(r.Agents, "agent", "agents"), r.Scheduled, plural.Of(r.Agents, "s", ""),
			format.Percent(r.ServiceLevel), secs(e.TargetS), format.Level(*e.ServiceLevel))
		p.f("busy %s of the time", format.Percent(r.Occupancy))
		if e.MaxOccupancy != nil {
			p.f(" (at most %s)", format.Level(*e.MaxOccupancy))
		}
		p.f(".\n")
	}
	return p.err
}

// secs writes a time given in seconds: with a decimal under a minute, as
// calculators give an ASA (7.8s), else as Duration does. A wait below a
// millisecond reads <0.001s: %.3g wrote the ASA of ample agents as
// 7.32e-08s.
func secs(s float64) string {
	switch {
	case s > 0 && s < 0.0005:
		return "<0.001s"
	case s < 60:
		return plural.Figure(s, 3) + "s"
	}
	return format.Seconds(s)
}
