package reports

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim/analytic"
)

// Analytic is the closed-form answer beside a run's figures, for a model
// that has one (see package sim/analytic): the first answer a planner
// checks, and a check of the simulation. Times in seconds, shares between
// 0 and 1.
type Analytic struct {
	Formula     string  `json:"formula"`
	Agents      int     `json:"agents"`
	ArrivalRate float64 `json:"arrivals_per_hour"`
	HandlingS   float64 `json:"handling_time_s"`
	// PatienceS is Erlang A's mean patience, WaitingRoom the places to
	// wait of a line that turns tickets away (0: Erlang B); absent
	// otherwise.
	PatienceS   *float64 `json:"patience_s,omitempty"`
	WaitingRoom *int     `json:"waiting_room,omitempty"`
	Load        float64  `json:"offered_load_erlangs"`
	Stable      bool     `json:"stable"`
	// Response and Resolution are the shares within the tier's targets:
	// response of all tickets, those that hang up or are turned away
	// counted as missed; resolution of the tickets resolved, absent for a
	// tier that promises no resolution.
	Response   float64  `json:"response"`
	Resolution *float64 `json:"resolution,omitempty"`
	// AnsweredResponse is, where tickets leave unanswered, the share of
	// the answered tickets answered within the response target (Erlang
	// A's service level of the answered calls); absent otherwise.
	AnsweredResponse *float64 `json:"answered_response,omitempty"`
	// ProbWait is the share of answered tickets that waited at all.
	ProbWait float64 `json:"prob_wait"`
	// ASAS is the mean wait of answered tickets before an agent starts
	// (average speed of answer); null when unstable.
	ASAS      *float64 `json:"asa_s"`
	Occupancy float64  `json:"occupancy"`
	// ProbAbandon (Erlang A) and ProbBlocked (a finite line) are the
	// shares of tickets that hang up and that are turned away; absent
	// otherwise.
	ProbAbandon *float64 `json:"prob_abandon,omitempty"`
	ProbBlocked *float64 `json:"prob_blocked,omitempty"`
	// AgentsForResponse and AgentsForResolution are the fewest agents
	// reaching the report's level on each clock; null where no number of
	// agents can (handling alone takes longer than the target too often),
	// and for resolution where tickets leave unanswered (fewer agents lose
	// more tickets but resolve those they answer sooner) or the tier
	// promises no resolution.
	AgentsForResponse   *int `json:"agents_for_response"`
	AgentsForResolution *int `json:"agents_for_resolution"`
	// SimulatedProbWait is the share of the run's measured tickets that
	// waited at all, pooled over replications, for comparison.
	SimulatedProbWait *float64 `json:"simulated_prob_wait"`
}

// NoClosedForm, for a run without an Analytic answer, says why: the way
// its model departs from M/M/c.
func (r *Report) NoClosedForm() string { return r.noClosedForm }

// newAnalytic sets the report's closed-form answer, or the reason there is
// none.
func (r *Report) newAnalytic(ctx context.Context) {
	if r.model == nil || r.Unstable != nil && r.summary == nil {
		return
	}
	a, err := analytic.For(ctx, r.model, r.Level)
	if err != nil {
		r.noClosedForm = err.Error()
		return
	}
	x := &Analytic{
		Formula: a.Formula, Agents: a.Agents, ArrivalRate: a.ArrivalRate, HandlingS: a.HandlingTime.Seconds(),
		Load: a.Load, Stable: a.Stable, Response: a.Response,
		ProbWait: a.ProbWait, Occupancy: a.Occupancy,
	}
	if a.ResolutionTarget > 0 {
		x.Resolution = &a.Resolution
	}
	if a.Stable {
		asa := a.MeanWait.Seconds()
		x.ASAS = &asa
	}
	switch {
	case a.Patience > 0:
		p := a.Patience.Seconds()
		x.PatienceS, x.ProbAbandon = &p, &a.ProbAbandon
	case a.WaitingRoom >= 0:
		x.WaitingRoom, x.ProbBlocked = &a.WaitingRoom, &a.ProbBlocked
	}
	if a.Leaves {
		x.AnsweredResponse = &a.AnsweredResponse
	}
	if a.AgentsForResponse > 0 {
		x.AgentsForResponse = &a.AgentsForResponse
	}
	if a.AgentsForResolved > 0 {
		x.AgentsForResolution = &a.AgentsForResolved
	}
	if s := r.summary; s != nil && len(s.Tiers) == 1 {
		if p := 1 - s.Tiers[0].Response.Times.AtMost(0); !math.IsNaN(p) {
			x.SimulatedProbWait = &p
		}
	}
	r.Analytic = x
}

// analyticRow is one figure of the closed-form answer beside the
// simulation's.
type analyticRow struct{ Name, Exact, Simulated string }

// analyticRows lines up the closed-form figures with the simulated ones:
// the pooled figures of all the replications' tickets, which estimate
// what steady-state theory gives (the per-ticket probability, the mean
// over tickets), not the means of replications' figures, which differ by
// a bias of the order of 1/(tickets per replication) (docs/reports.md,
// "What attainment is").
func (r *Report) analyticRows() []analyticRow {
	a, t := r.Analytic, r.Tiers[0]
	asa := format.Unknown
	if a.ASAS != nil {
		asa = format.Seconds(*a.ASAS)
	}
	simWait := format.Unknown
	if a.SimulatedProbWait != nil {
		simWait = format.Percent(*a.SimulatedProbWait)
	}
	occupancy := format.Unknown
	if r.Utilisation != nil {
		occupancy = pctCI(r.Utilisation)
	}
	withCI := func(e *Estimate, s string) string {
		if e == nil || e.Lo == nil {
			return s
		}
		return s + " " + interval(e)
	}
	resolution := analyticRow{"resolution", noTarget, noTarget}
	if m := t.Resolution; m != nil && a.Resolution != nil {
		resolution = analyticRow{"resolution within " + format.Duration(seconds(m.TargetS)), format.Percent(*a.Resolution), withCI(m.PooledAttainment, mean(m.PooledAttainment))}
	}
	rows := []analyticRow{
		{"response within " + format.Duration(seconds(t.Response.TargetS)), format.Percent(a.Response), withCI(t.Response.PooledAttainment, mean(t.Response.PooledAttainment))},
		resolution,
		{"P(wait)", format.Percent(a.ProbWait), simWait},
		{"ASA (mean wait)", asa, durationCI(t.Response.PooledMeanS)},
		{"occupancy", format.Percent(a.Occupancy), occupancy},
	}
	share := func(o *Outcome) string {
		if o == nil {
			return format.Unknown
		}
		return withCI(o.PooledShare, mean(o.PooledShare))
	}
	switch {
	case a.ProbAbandon != nil:
		rows = append(rows, analyticRow{"hung up", format.Percent(*a.ProbAbandon), share(t.Abandoned)})
	case a.ProbBlocked != nil:
		rows = append(rows, analyticRow{"turned away", format.Percent(*a.ProbBlocked), share(t.Blocked)})
	}
	if a.leaves() {
		// Waits and resolution are those of the tickets that stay.
		rows[0].Name += ", of all tickets"
		if a.Resolution != nil {
			rows[1].Name += ", of those resolved"
		}
		rows[2].Name, rows[3].Name = "P(wait), answered tickets", "ASA (mean wait), answered"
		answered := analyticRow{"response within " + format.Duration(seconds(t.Response.TargetS)) + ", of answered tickets",
			format.Percent(*a.AnsweredResponse), withCI(t.Response.PooledAnsweredAttainment, mean(t.Response.PooledAnsweredAttainment))}
		rows = slices.Insert(rows, 1, answered)
	}
	return rows
}

// leaves reports whether tickets leave unanswered: Erlang A, a finite
// line.
func (a *Analytic) leaves() bool { return a.ProbAbandon != nil || a.ProbBlocked != nil }

// leaving says how tickets leave unanswered, if they do: ", exponential
// patience of mean 30m".
func (a *Analytic) leaving() string {
	switch {
	case a.PatienceS != nil:
		return fmt.Sprintf(", exponential patience of mean %s", format.Duration(seconds(*a.PatienceS)))
	case a.WaitingRoom != nil && *a.WaitingRoom == 0:
		return ", no room to wait"
	case a.WaitingRoom != nil:
		return fmt.Sprintf(", room for %d to wait", *a.WaitingRoom)
	}
	return ""
}

// durationCI writes a mean time with its interval: 40m57s [39m10s, 42m40s].
func durationCI(e *Estimate) string {
	if e == nil || e.Lo == nil {
		return meanDuration(e)
	}
	return fmt.Sprintf("%s [%s, %s]", meanDuration(e), format.Duration(seconds(*e.Lo)), format.Duration(seconds(*e.Hi)))
}

// htmlAnalytic is the closed-form section of a run's page.
type htmlAnalytic struct {
	Formula, Lede, Agents string
	Rows                  []analyticRow
}

func (r *Report) htmlAnalytic() *htmlAnalytic {
	if r.Analytic == nil || len(r.Tiers) != 1 {
		return nil
	}
	a := r.Analytic
	return &htmlAnalytic{
		Formula: a.Formula,
		Lede: fmt.Sprintf("This model has a closed form: one pool of %s on duty around the clock, Poisson arrivals at %s an hour and exponential handling times of mean %s (%.2f Erlangs)%s. %s gives its steady state exactly: per ticket, the figures of all the replications' tickets pooled should agree with it within their intervals. (The attainment above is the mean of each replication's share, as a letter judged period by period counts it; it differs by a bias of the order of 1/(tickets per replication).)",
			plural.Count(float64(a.Agents), "agent", "agents"), plural.Figure(a.ArrivalRate, 4), format.Duration(seconds(a.HandlingS)), a.Load, a.leaving(), a.Formula),
		Agents: r.agentsNeeded(),
		Rows:   r.analyticRows(),
	}
}

// agentsNeeded says how many agents each clock needs at the level.
func (r *Report) agentsNeeded() string {
	a, t := r.Analytic, r.Tiers[0]
	count := func(n *int) string {
		if n == nil {
			return "none suffice"
		}
		return fmt.Sprint(*n)
	}
	response := fmt.Sprintf("agents for %s: %s (response within %s", format.Level(r.Level), count(a.AgentsForResponse), format.Duration(seconds(t.Response.TargetS)))
	switch {
	case a.leaves():
		return response + ", of all tickets)"
	case t.Resolution == nil:
		return response + "; no resolution target)"
	}
	return fmt.Sprintf("%s), %s (resolution within %s)", response, count(a.AgentsForResolution), format.Duration(seconds(t.Resolution.TargetS)))
}

// writeAnalytic writes the closed-form answer beside the simulated figures.
func (r *Report) writeAnalytic(w io.Writer) error {
	a := r.Analytic
	if a == nil || len(r.Tiers) != 1 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\n%s, exact for this model (one pool of %d, Poisson arrivals, exponential handling%s):\n", a.Formula, a.Agents, a.leaving()); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  \t%s\tsimulated, pooled\n", a.Formula)
	for _, row := range r.analyticRows() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", row.Name, row.Exact, row.Simulated)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "  %s\n  pooled: all the replications' tickets together, as %s counts them (the attainment above is the mean of each replication's share, judged period by period)\n", r.agentsNeeded(), a.Formula)
	return err
}
