package reports

import (
	"context"
	"math"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replications"
)

// SchemaVersion names the layout of the JSON report. It changes only when a
// field is removed or changes meaning; new fields may be added within a
// version.
const SchemaVersion = "slasim.run/v1"

// DefaultLevel is the attainment a target must reach for the verdict
// "meets" when nothing else is asked: the whole 95% interval at or above
// 95%.
const DefaultLevel = 0.95

// Envelope opens every JSON document slasim writes: its layout (Schema),
// the slasim that wrote it, and what was run: the scenario, where it came
// from, and the master seed.
type Envelope struct {
	Schema   string `json:"schema"`
	Version  string `json:"slasim_version"`
	Scenario string `json:"scenario"`
	File     string `json:"file"`
	Seed     uint64 `json:"seed"`
}

// Meta is what a report says about the run besides its statistics.
type Meta struct {
	Version     string // slasim's version
	Scenario    string // scenario name
	Description string // the scenario's description
	File        string // where the scenario came from
	Model       *sim.Model
	// Level is the attainment a target must reach (e.g. 0.95) for the
	// verdict.
	Level float64
}

// Report is the JSON document of a run; the text table shows the same
// figures. Times are in seconds, shares between 0 and 1.
type Report struct {
	Envelope
	Replications int64    `json:"replications"`
	Planned      int      `json:"replications_planned"`
	Partial      bool     `json:"partial"`
	Precision    *float64 `json:"precision,omitempty"`
	PrecisionMet *bool    `json:"precision_met,omitempty"`
	Confidence   float64  `json:"confidence"`
	Level        float64  `json:"level"`

	Agents   int     `json:"agents"`
	HorizonS float64 `json:"horizon_s"`
	WarmUpS  float64 `json:"warm_up_s"`
	// WarmUpAuto says the warm-up was detected from pilot replications
	// (simulation.warm_up: auto); WarmUpCheck is what they found, when they
	// ran (also for a fixed warm-up, to check it).
	WarmUpAuto  bool         `json:"warm_up_auto"`
	WarmUpCheck *WarmUpCheck `json:"warm_up_detection,omitempty"`
	// DrainS is how long after the horizon open tickets were followed.
	DrainS      float64 `json:"drain_s"`
	OfferedLoad float64 `json:"offered_load_erlangs"`
	// Capacity is the mean number of agents available (on site less
	// shrinkage, or on call) over the simulated period.
	Capacity float64 `json:"capacity_agents"`

	Unstable *sim.Instability `json:"unstable,omitempty"`

	Utilisation *Estimate `json:"utilisation,omitempty"`
	InSystem    *Estimate `json:"mean_in_system,omitempty"`
	Waiting     *Estimate `json:"mean_waiting,omitempty"`
	Tiers       []Tier    `json:"tiers"`
	Teams       []Team    `json:"teams"`
	// Contract is what breaches cost and the contract's risks, when the
	// scenario has a contract.
	Contract *Contract `json:"contract,omitempty"`
	// Analytic is the closed-form answer of a model that has one (Erlang C).
	Analytic *Analytic `json:"analytic,omitempty"`
	// Periods and Dates are the figures by period and by date, when the
	// scenario asks for periods.
	Periods []PeriodFigures `json:"periods,omitempty"`
	Dates   []DateFigures   `json:"dates,omitempty"`
	// Services are the availability of the systems the desk supports.
	Services []ServiceFigures `json:"services,omitempty"`
	// Overall are the clocks over every tier's tickets.
	Overall Overall `json:"overall"`

	// What the figures and the HTML page draw on besides the figures above.
	summary     *sim.Summary
	model       *sim.Model
	description string
	// replications are each replication's figures, when the run had a
	// replications.Collector.
	replications *replications.Collector
	// noClosedForm says why there is no Analytic answer.
	noClosedForm string
}

// WarmUpCheck is where pilot replications found the start-up transient
// to end (sim.WarmUpDetection).
type WarmUpCheck struct {
	// DetectedS is the warm-up found; when Found is false the transient
	// may go on beyond the pilots, each SpanS long.
	DetectedS float64 `json:"detected_s"`
	Found     bool    `json:"found"`
	Pilots    int     `json:"pilots"`
	SpanS     float64 `json:"span_s"`
	// LeastS is the least warm-up, five relaxation times of the desk's
	// queue: DetectedS is no more when the pilots showed no longer
	// transient, and both are 0 when they had no ticket.
	LeastS float64 `json:"least_s"`
}

func warmUpCheck(d *sim.WarmUpDetection) *WarmUpCheck {
	if d == nil {
		return nil
	}
	return &WarmUpCheck{DetectedS: d.WarmUp.Seconds(), Found: d.Found, Pilots: d.Pilots, SpanS: d.Span.Seconds(), LeastS: d.Least.Seconds()}
}

// ByHour holds a figure per hour of the week, hour 0 starting Monday
// 00:00; null where there is nothing to measure.
type ByHour []*float64

// Team is one team's figures.
type Team struct {
	Name string `json:"name"`
	// Concurrency is how many tickets an agent holds at once; Utilisation
	// is then the share of the slots in use, and AgentUtilisation the
	// share of agent time holding at least one ticket (absent for agents
	// of one slot, whose Utilisation it is).
	Concurrency      int       `json:"concurrency"`
	Utilisation      *Estimate `json:"utilisation"`
	AgentUtilisation *Estimate `json:"agent_utilisation,omitempty"`
	OvertimeHours    *Estimate `json:"overtime_hours_per_replication"`
	// UtilisationByHour is the busy share of available agent time (of
	// the slots, for agents of several), null in an hour when nobody was
	// on shift, even if some worked overtime in it (finishing a ticket,
	// they were busy all the while: 100% would read as a saturated desk).
	UtilisationByHour ByHour `json:"utilisation_by_hour"`
	// AgentsByHour is the mean number of agents available, OvertimeByHour
	// the mean number of those past their shift's end, finishing a ticket.
	AgentsByHour   ByHour `json:"agents_by_hour"`
	OvertimeByHour ByHour `json:"overtime_by_hour"`
}

// Estimate is a mean over replications with its confidence interval
// (sim.Tally.CI: Student's t corrected for skewness, so not always
// symmetric about the mean); HalfWidth is half its width. Lo, Hi and
// HalfWidth are null when there are fewer than two replications.
type Estimate struct {
	Mean      float64  `json:"mean"`
	Lo        *float64 `json:"lo"`
	Hi        *float64 `json:"hi"`
	HalfWidth *float64 `json:"half_width"`
	N         int64    `json:"n"`
}

// Tier is one tier's figures.
type Tier struct {
	Name     string    `json:"name"`
	Tickets  *Estimate `json:"tickets_per_replication"`
	Response Metric    `json:"response"`
	// Resolution is absent when the tier promises no resolution (its
	// scenario gives no resolution target): its tickets are still
	// resolved, and counted in Flow.
	Resolution *Metric `json:"resolution,omitempty"`
	// Clocks are the tier's named clocks, in the scenario's order.
	Clocks []NamedMetric `json:"clocks,omitempty"`
	// Flow counts what became of the measured tickets, over all
	// replications.
	Flow sim.Flow `json:"flow"`
	// Abandoned and Blocked are the measured tickets whose customer gave
	// up waiting, and those a full line turned away; absent when the
	// tier's tickets cannot leave so.
	Abandoned *Outcome `json:"abandoned,omitempty"`
	Blocked   *Outcome `json:"blocked,omitempty"`
	// WaitingByHour is the mean number of the tier's tickets waiting for an
	// agent.
	WaitingByHour ByHour `json:"waiting_by_hour"`
}

// Outcome is how many of a tier's measured tickets ended one way, pooled
// over replications, and their share of the tier's tickets, estimated
// over replications.
type Outcome struct {
	Tickets int64     `json:"tickets"`
	Share   *Estimate `json:"share"`
	// PooledShare is the share of all the replications' tickets.
	PooledShare *Estimate `json:"pooled_share"`
}

func outcome(o *sim.Outcome, tickets int64) *Outcome {
	if o == nil {
		return nil
	}
	return &Outcome{Tickets: o.Tickets, Share: ticketShare(&o.Share, o.Tickets, tickets), PooledShare: pooledShare(&o.Pooled)}
}

// Metric is one SLA clock's figures for one tier.
type Metric struct {
	TargetS float64 `json:"target_s"`
	// Attainment is the mean over replications of the share of tickets
	// within the target; PooledAttainment is the share of all the
	// replications' tickets, the per-ticket probability that steady-state
	// theory gives (docs/reports.md, "What attainment is").
	Attainment       *Estimate `json:"attainment"`
	PooledAttainment *Estimate `json:"pooled_attainment"`
	// MeanS is the mean over replications of each one's mean clock time,
	// PooledMeanS the mean over all the replications' tickets with a time.
	MeanS       *Estimate `json:"mean_s"`
	PooledMeanS *Estimate `json:"pooled_mean_s"`
	// Quantiles of the pooled times, within sim.HistogramRelativeError;
	// null for a clock without tickets.
	P50S *float64 `json:"p50_s"`
	P90S *float64 `json:"p90_s"`
	P95S *float64 `json:"p95_s"`
	P99S *float64 `json:"p99_s"`
	// AnsweredAttainment is, for the response clock of a tier whose
	// tickets may leave unanswered, the mean share of answered tickets
	// within the target; Attainment counts the unanswered as missed.
	// PooledAnsweredAttainment is the share of all the replications'
	// answered tickets, Erlang A's service level of the answered calls.
	AnsweredAttainment       *Estimate `json:"answered_attainment,omitempty"`
	PooledAnsweredAttainment *Estimate `json:"pooled_answered_attainment,omitempty"`
	// Tickets and Breached are pooled over replications (Breached counts
	// the Unanswered ones); MeanLatenessS is how far past the target
	// breached tickets with a time were, on average (null when none was).
	Tickets       int64    `json:"tickets"`
	Breached      int64    `json:"breached"`
	Unanswered    int64    `json:"unanswered,omitempty"`
	MeanLatenessS *float64 `json:"mean_lateness_s"`
	// Censored counts the breached tickets whose clock was still running
	// when the simulation stopped, DrainS after the horizon: their times,
	// and so the mean, the quantiles and the lateness, are lower bounds.
	Censored int64   `json:"censored"`
	Verdict  Verdict `json:"verdict"`
	// MeanTarget judges the mean time against the tier's target on it;
	// absent without one.
	MeanTarget *MeanTarget `json:"mean_target,omitempty"`
	// AttainmentByHour is the pooled attainment of tickets by the hour of
	// the week they arrived in, and TicketsByHour their number.
	AttainmentByHour ByHour                  `json:"attainment_by_hour"`
	TicketsByHour    [sim.HoursPerWeek]int64 `json:"tickets_by_hour"`
}

// NamedMetric is a named clock's figures for one tier.
type NamedMetric struct {
	Name string `json:"name"`
	Metric
}

// namedMetric is one of a tier's clocks with its name.
type namedMetric struct {
	name string
	*Metric
}

// metrics are the tier's clocks: response, resolution, then the named
// ones.
func (t *Tier) metrics() []namedMetric {
	ms := []namedMetric{{"response", &t.Response}}
	if t.Resolution != nil {
		ms = append(ms, namedMetric{"resolution", t.Resolution})
	}
	for i := range t.Clocks {
		ms = append(ms, namedMetric{t.Clocks[i].Name, &t.Clocks[i].Metric})
	}
	return ms
}

// Verdict says whether a target's attainment meets the level.
type Verdict string

const (
	Meets         Verdict = "yes"          // the interval lies at or above the level
	Fails         Verdict = "no"           // the interval lies below the level
	NotDetermined Verdict = "undetermined" // the interval straddles the level
)

func verdict(e *Estimate, level float64) Verdict {
	switch {
	case e == nil || e.Lo == nil:
		return NotDetermined
	case *e.Lo >= level:
		return Meets
	case *e.Hi < level:
		return Fails
	}
	return NotDetermined
}

// shareEstimate is the estimate of a share, its interval kept within
// [0, 1], and amountEstimate that of what cannot be negative (a time, a
// count, an amount of money), its interval kept at or above 0: the
// skewness-corrected interval of few replications may reach past these
// bounds (a mean response of 17m17s with [-42m21s, 1h17m] on two
// replications of three days; an availability of 99.99% on two of them).
func shareEstimate(t *sim.Tally) *Estimate { return bounded(estimate(t, 1), 0, 1) }

func amountEstimate(t *sim.Tally, scale float64) *Estimate {
	return bounded(estimate(t, scale), 0, math.Inf(1))
}

// ticketShare is the estimate of a share of tickets t (an attainment, the
// share who gave up), hits of tickets pooled, its interval widened where
// need be to the pooled tickets' (sim.ShareCI).
func ticketShare(t *sim.Tally, hits, tickets int64) *Estimate {
	e := estimate(t, 1)
	if e != nil && e.Lo != nil {
		lo, hi := sim.ShareCI(t, hits, tickets, sim.Confidence)
		e.Lo, e.Hi = &lo, &hi
	}
	return bounded(e, 0, 1)
}

// pooledShare is the estimate of a pooled share of tickets (sim.Ratio:
// x the tickets in time, abandoned or blocked, y the tickets), its
// interval widened where need be to the pooled tickets' (sim.PooledShareCI);
// nil without tickets.
func pooledShare(r *sim.Ratio) *Estimate {
	e := pooled(r, 1)
	if e != nil && e.Lo != nil {
		lo, hi := sim.PooledShareCI(r, sim.Confidence)
		e.Lo, e.Hi = &lo, &hi
	}
	return bounded(e, 0, 1)
}

// pooledMean is the estimate of a pooled mean time in seconds (sim.Ratio:
// x the hours summed over the tickets with a time, y their number); nil
// without such tickets.
func pooledMean(r *sim.Ratio) *Estimate {
	return bounded(pooled(r, time.Hour.Seconds()), 0, math.Inf(1))
}

// pooled is the estimate of Σx/Σy, times scale, with its interval
// (sim.Ratio.CI); nil when Σy = 0, or without the ratio, which a summary
// built by hand may lack (sim.DecodeSummary refuses one without it).
func pooled(r *sim.Ratio, scale float64) *Estimate {
	if r == nil {
		return nil
	}
	v := r.Value()
	if math.IsNaN(v) {
		return nil
	}
	lo, hi := r.CI(sim.Confidence)
	return scaled(v, r.N, lo, hi, scale)
}

func bounded(e *Estimate, lo, hi float64) *Estimate {
	if e != nil && e.Lo != nil {
		l, h := max(*e.Lo, lo), min(*e.Hi, hi)
		w := (h - l) / 2
		e.Lo, e.Hi, e.HalfWidth = &l, &h, &w
	}
	return e
}

// estimate is the estimate of a mean over replications, its interval as
// it is: for a difference, which may be of either sign.
func estimate(t *sim.Tally, scale float64) *Estimate {
	if t.N == 0 {
		return nil
	}
	lo, hi := t.CI(sim.Confidence)
	return scaled(t.Mean(), t.N, lo, hi, scale)
}

// scaled is the estimate of mean over n replications with the interval
// [lo, hi] (none when NaN), all times scale.
func scaled(mean float64, n int64, lo, hi, scale float64) *Estimate {
	e := &Estimate{Mean: mean * scale, N: n}
	if !math.IsNaN(lo) {
		lo, hi = lo*scale, hi*scale
		h := (hi - lo) / 2
		e.Lo, e.Hi, e.HalfWidth = &lo, &hi, &h
	}
	return e
}

// New builds the report of a result. Where the model has a closed form
// (package sim/analytic), New computes it too, unless ctx is done first:
// the report then has none, and NoClosedForm says why.
func New(ctx context.Context, res *sim.Result, meta Meta) *Report {
	s := res.Summary
	m := meta.Model
	r := &Report{
		Envelope:     Envelope{Schema: SchemaVersion, Version: meta.Version, Scenario: meta.Scenario, File: meta.File, Seed: res.Seed},
		Replications: s.Replications,
		Planned:      res.Planned,
		Partial:      res.Partial,
		Confidence:   sim.Confidence,
		Level:        meta.Level,
		Agents:       m.Agents,
		HorizonS:     m.Horizon.Seconds(),
		WarmUpS:      res.WarmUp.Seconds(),
		WarmUpAuto:   m.AutoWarmUp,
		WarmUpCheck:  warmUpCheck(res.Detection),
		DrainS:       m.DrainLength().Seconds(),
		OfferedLoad:  m.OfferedLoad(),
		Capacity:     m.Staff(),
		Unstable:     res.Unstable,
		Utilisation:  shareEstimate(&s.Utilisation),
		InSystem:     amountEstimate(&s.InSystem, 1),
		Waiting:      amountEstimate(&s.Waiting, 1),
		Tiers:        make([]Tier, len(s.Tiers)),
		summary:      s,
		model:        m,
		description:  meta.Description,
	}
	if c, ok := sim.FindCollector[*replications.Collector](res.Collected); ok {
		r.replications = c
	}
	r.Contract = newContract(res.Collected)
	r.newDates(s, m, meta.Level)
	r.newServices(s, m)
	r.newAnalytic(ctx)
	if res.Precision > 0 {
		p, met := res.Precision, res.PrecisionMet
		r.Precision, r.PrecisionMet = &p, &met
	}
	for i := range s.Tiers {
		ts := &s.Tiers[i]
		r.Tiers[i] = Tier{
			Name:          ts.Name,
			Tickets:       amountEstimate(&ts.Tickets, 1),
			Response:      metric(&ts.Response, meta.Level),
			Flow:          ts.Flow,
			Abandoned:     outcome(ts.Abandoned, ts.Response.Tickets),
			Blocked:       outcome(ts.Blocked, ts.Response.Tickets),
			WaitingByHour: ratios(&ts.WaitingMs, &s.WindowMs),
		}
		if m.Tiers[i].HasResolution() {
			res := metric(&ts.Resolution, meta.Level)
			r.Tiers[i].Resolution = &res
		}
		for c := range ts.Clocks {
			r.Tiers[i].Clocks = append(r.Tiers[i].Clocks, NamedMetric{ts.Clocks[c].Name, metric(&ts.Clocks[c].MetricStats, meta.Level)})
		}
	}
	r.newMeans(s, m)
	for i := range s.Teams {
		ts := &s.Teams[i]
		team := Team{
			Name:              ts.Name,
			Concurrency:       ts.Concurrency,
			Utilisation:       shareEstimate(&ts.Utilisation),
			OvertimeHours:     amountEstimate(&ts.OvertimeHours, 1),
			UtilisationByHour: utilisationByHour(ts),
			AgentsByHour:      ratios(&ts.AvailableMs, &s.WindowMs),
			OvertimeByHour:    ratios(&ts.OvertimeMs, &s.WindowMs),
		}
		if ts.AgentUtilisation != nil {
			team.AgentUtilisation = shareEstimate(ts.AgentUtilisation)
		}
		r.Teams = append(r.Teams, team)
	}
	return r
}

func metric(ms *sim.MetricStats, level float64) Metric {
	q := func(p float64) *float64 {
		if ms.Times.Count() == 0 {
			return nil
		}
		s := ms.Times.Quantile(p).Seconds()
		return &s
	}
	m := Metric{
		TargetS:          ms.Target.Seconds(),
		Attainment:       ticketShare(&ms.Attainment, ms.Met, ms.Tickets),
		PooledAttainment: pooledShare(&ms.Pooled),
		MeanS:            amountEstimate(&ms.MeanHours, time.Hour.Seconds()),
		PooledMeanS:      pooledMean(&ms.PooledHours),
		P50S:             q(0.50),
		P90S:             q(0.90),
		P95S:             q(0.95),
		P99S:             q(0.99),
		Tickets:          ms.Tickets,
		Breached:         ms.Tickets - ms.Met,
		Censored:         ms.Censored,
		Unanswered:       ms.Unanswered,
	}
	if m.Breached > m.Unanswered {
		late := ms.MeanLateness().Seconds()
		m.MeanLatenessS = &late
	}
	if ms.AnsweredAttainment != nil {
		m.AnsweredAttainment = ticketShare(ms.AnsweredAttainment, ms.Met, ms.Tickets-ms.Unanswered)
		m.PooledAnsweredAttainment = pooledShare(ms.PooledAnswered)
	}
	m.Verdict = verdict(m.Attainment, level)
	m.TicketsByHour = ms.ByHour.Tickets
	m.AttainmentByHour = ratios(&ms.ByHour.Met, &ms.ByHour.Tickets)
	return m
}

// noTarget stands in every output for the resolution clock of a tier that
// promises no resolution: never a figure.
const noTarget = "no target"

// clockNames names a tier's two clocks, response first, as they are read.
var clockNames = [2]string{"response", "resolution"}

// clock returns the tier's clock k of clockNames; nil for the resolution
// clock of a tier that promises no resolution.
func (t *Tier) clock(k int) *Metric {
	if k == 1 {
		return t.Resolution
	}
	return &t.Response
}

// utilisationByHour is a team's busy share of its available time by hour,
// null in the hours nobody was on shift.
func utilisationByHour(ts *sim.TeamStats) ByHour {
	slotMs := ts.AvailableMs
	for h := range slotMs {
		slotMs[h] *= int64(ts.Concurrency)
	}
	u := ratios(&ts.BusyMs, &slotMs)
	for h := range u {
		if ts.AvailableMs[h] == ts.OvertimeMs[h] {
			u[h] = nil
		}
	}
	return u
}

// ratios divides hour by hour, null where the denominator is zero.
func ratios(num, den *sim.HourOfWeek) ByHour {
	out := make(ByHour, sim.HoursPerWeek)
	for h := range out {
		if den[h] > 0 {
			v := float64(num[h]) / float64(den[h])
			out[h] = &v
		}
	}
	return out
}
