package reports

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing/promise"
)

// PromiseSchemaVersion names the layout of slasim promise's JSON document.
const PromiseSchemaVersion = "slasim.promise/v1"

// Promise is the report of slasim promise: the table a vendor puts in the
// letter, each tier and clock with the tightest target it can promise.
// Times are in seconds, shares between 0 and 1.
type Promise struct {
	Envelope
	Period       string       `json:"period"`
	Share        float64      `json:"share"`
	Confidence   float64      `json:"confidence"`
	LadderS      []float64    `json:"ladder_s"`
	Periods      int          `json:"periods_per_replication"`
	Replications int64        `json:"replications"`
	Currency     *string      `json:"currency"`
	Rows         []PromiseRow `json:"rows"`
	// NoResolution names the tiers that promise no resolution: they have
	// no resolution row.
	NoResolution []string `json:"no_resolution,omitempty"`
	// NotJudged names the scenario's targets a promise does not judge:
	// mean times, and the updates of a tier asked nothing about them;
	// absent when none.
	NotJudged []string `json:"not_judged,omitempty"`
	contract  bool
}

// PromiseRow is one tier's clock: its level, its target as written, the
// promise (null when no target of the ladder can be promised) and what
// every target of the ladder achieves.
type PromiseRow struct {
	Tier     string        `json:"tier"`
	Clock    string        `json:"clock"`
	Level    float64       `json:"level"`
	TargetS  float64       `json:"target_s"`
	PromiseS *float64      `json:"promise_s"`
	Periods  int64         `json:"periods"`
	Rungs    []PromiseRung `json:"rungs"`
}

// PromiseRung is what one target achieves: the periods meeting the level
// (of Periods with tickets) with the Wilson interval of their share, the
// mean attainment over periods, and with a contract the mean cost of a
// period if it were promised, with its interval.
type PromiseRung struct {
	TargetS    float64     `json:"target_s"`
	PeriodsMet int64       `json:"periods_met"`
	Share      *float64    `json:"share"`
	Interval   [2]*float64 `json:"interval"`
	Attainment *float64    `json:"attainment"`
	Cost       *Estimate   `json:"cost"`
	Promise    bool        `json:"promise"`
}

// PromiseMeta is what a promise's report says besides the answer.
type PromiseMeta struct {
	Version, Scenario, File string
	Seed                    uint64
	// Model is the scenario's model, whose targets the report names when
	// the promise does not judge them.
	Model *sim.Model
}

// NewPromise builds the report of the answer a.
func NewPromise(meta PromiseMeta, a *promise.Answer) *Promise {
	d := &Promise{
		Envelope: Envelope{Schema: PromiseSchemaVersion, Version: meta.Version, Scenario: meta.Scenario, File: meta.File, Seed: meta.Seed},
		Period:   a.Period, Share: a.Share, Confidence: a.Confidence, Periods: a.Periods, Replications: a.Replications, contract: a.Contract,
		NoResolution: a.NoResolution,
	}
	if meta.Model != nil {
		judged := make([]bool, len(meta.Model.Tiers))
		for _, r := range a.Rows {
			if r.Clock == sim.UpdatesClock {
				judged[slices.IndexFunc(meta.Model.Tiers, func(t sim.Tier) bool { return t.Name == r.Tier })] = true
			}
		}
		d.NotJudged = unjudged(meta.Model, false, judged)
	}
	if a.Contract {
		d.Currency = &a.Currency
	}
	for _, t := range a.Ladder {
		d.LadderS = append(d.LadderS, t.Seconds())
	}
	for _, r := range a.Rows {
		row := PromiseRow{Tier: r.Tier, Clock: r.Clock, Level: r.Level, TargetS: r.Target.Seconds(), Periods: r.Periods}
		for j, g := range r.Rungs {
			pr := PromiseRung{TargetS: g.Target.Seconds(), PeriodsMet: g.Met.Hits, Share: finite(g.Met.Share()),
				Interval: [2]*float64{finite(g.Low), finite(g.High)}, Attainment: finite(g.Attainment.Mean()), Promise: j == r.Promise}
			if g.Cost != nil {
				pr.Cost = bounded(amountEstimate(&g.Cost.Mean, 1), 0, a.MaxCost)
			}
			row.Rungs = append(row.Rungs, pr)
		}
		if p := r.Promised(); p != nil {
			s := p.Target.Seconds()
			row.PromiseS = &s
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// finite is x, or nil (null in JSON) when it is NaN or infinite.
func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// WriteJSON writes the report as indented JSON.
func (d *Promise) WriteJSON(w io.Writer) error {
	return writeJSON(w, d)
}

// WriteText writes the table for people: the promise per tier and clock,
// then the share of periods each target of the ladder meets.
func (d *Promise) WriteText(w io.Writer) error { return format.Text(w, d.writeText) }

func (d *Promise) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "slasim %s · promise %s (%s)\n\n", d.Version, d.Scenario, d.File)
	b.WriteString(d.lede() + "\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	head := "  tier\tclock\tlevel\ttarget now\tpromise\t" + d.Period + "s met\t" + format.Level(d.Confidence) + " interval\tmean attainment"
	if d.contract {
		head += "\tcost/" + d.Period + d.currency() + "\t95% interval"
	}
	fmt.Fprintln(tw, head)
	for _, r := range d.Rows {
		c := r.promisedCells(d.Share)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", r.Tier, r.Clock, format.Level(r.Level), durationS(r.TargetS), d.promiseText(r),
			c.met, c.interval, c.attainment)
		if d.contract {
			fmt.Fprintf(tw, "\t%s\t%s", c.cost, c.costInterval)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	for _, n := range d.notes() {
		b.WriteString("\n" + n + "\n")
	}
	fmt.Fprintf(&b, "\nShare of %ss meeting the level, by target:\n", d.Period)
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	head = "tier\tclock\t"
	for _, t := range d.LadderS {
		head += durationS(t) + "\t"
	}
	fmt.Fprintln(tw, head)
	for _, r := range d.Rows {
		line := r.Tier + "\t" + r.Clock + "\t"
		for _, g := range r.Rungs {
			cell := format.Percent(value(g.Share))
			if g.Promise {
				cell = "*" + cell
			}
			line += cell + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	fmt.Fprintf(&b, "* the promise: the first target whose %s interval's lower end reaches %s.\n", format.Level(d.Confidence), format.Level(d.Share))
	_, err := io.WriteString(w, b.String())
	return err
}

// lede says what the table answers and from what.
func (d *Promise) lede() string {
	return fmt.Sprintf("What can be promised: for each tier and clock, the tightest target of the ladder whose level a %s meets in at least %s of %ss, by the lower end of the %s Wilson interval of the share of %ss meeting it (%s of %d whole %s).",
		d.Period, format.Level(d.Share), d.Period, format.Level(d.Confidence), d.Period, replicationCount(d.Replications), d.Periods, plural.Of(d.Periods, d.Period, d.Period+"s"))
}

// named reports whether the row is a named clock's, which judges only
// the tickets it timed.
func (r *PromiseRow) named() bool { return r.Clock != "response" && r.Clock != "resolution" }

// rungCells are the figures of a rung in a table: the periods meeting the
// level and their interval, the mean attainment, and the cost of a period
// with its interval.
type rungCells struct{ met, interval, attainment, cost, costInterval string }

// promisedCells are the figures of the row's promise; without one, none
// (the notes say how far the ladder's end falls short): the ladder's end
// beside the target now read as that target's figures.
func (r *PromiseRow) promisedCells(share float64) rungCells {
	for _, g := range r.Rungs {
		if g.Promise {
			return rungCells{metText(&g, r.Periods), intervalText(g.Interval, share), percentOf(g.Attainment), format.Money(meanOf(g.Cost)), moneyInterval(g.Cost)}
		}
	}
	u := format.Unknown
	return rungCells{u, u, u, u, u}
}

func (d *Promise) promiseText(r PromiseRow) string {
	switch {
	case r.PromiseS != nil:
		return durationS(*r.PromiseS)
	case d.tooFew(r):
		return "none: too few " + d.Period + "s"
	}
	return "none within " + durationS(d.LadderS[len(d.LadderS)-1])
}

// tooFew reports whether the row has too few periods to vouch for the
// share even if every one met the level, and more could: the ladder's end
// may reach the share (a tier nobody serves, meeting its level in no
// period, cannot, however many periods run).
func (d *Promise) tooFew(r PromiseRow) bool {
	hi := r.Rungs[len(r.Rungs)-1].Interval[1]
	return r.Periods < promise.PeriodsToVouch(d.Share, d.Confidence) && (hi == nil || *hi >= d.Share)
}

// notes explain rows without a promise: too few periods to vouch for the
// share (said once), or by how much the ladder's end falls short.
func (d *Promise) notes() []string {
	var out []string
	tooFew := false
	for _, r := range d.Rows {
		g := &r.Rungs[len(r.Rungs)-1]
		switch {
		case r.PromiseS != nil:
		case r.Periods == 0 && r.Clock == sim.UpdatesClock:
			out = append(out, fmt.Sprintf("%s %s: no %s had updates of its tickets, so nothing can be promised.", r.Tier, r.Clock, d.Period))
		case r.Periods == 0 && r.named():
			out = append(out, fmt.Sprintf("%s %s: no %s had tickets the clock timed, so nothing can be promised.", r.Tier, r.Clock, d.Period))
		case r.Periods == 0:
			out = append(out, fmt.Sprintf("%s %s: no %s had tickets of the tier, so nothing can be promised.", r.Tier, r.Clock, d.Period))
		case d.tooFew(r):
			tooFew = true
		default:
			out = append(out, fmt.Sprintf("%s %s: even within %s only %d of %d %ss meet %s (%s, %s interval %s): nothing on the ladder can be promised.",
				r.Tier, r.Clock, durationS(g.TargetS), g.PeriodsMet, r.Periods, d.Period, format.Level(r.Level), format.Percent(value(g.Share)), format.Level(d.Confidence), intervalText(g.Interval, d.Share)))
		}
	}
	for _, t := range d.NoResolution {
		out = append(out, fmt.Sprintf("%s promises no resolution (its scenario gives no resolution target): nothing to promise on that clock.", t))
	}
	if len(d.NotJudged) > 0 {
		out = append(out, fmt.Sprintf("Not judged: %s. A promise judges the share of a %s's tickets (or updates) within a target, clock by clock; a mean is not a share: slasim run reports them.",
			strings.Join(d.NotJudged, ", "), d.Period))
	}
	if tooFew {
		out = append([]string{fmt.Sprintf("%d %s cannot vouch for %s even if every one meets its level: it takes at least %d (more replications, --replications, or a longer horizon, --horizon).",
			d.Replications*int64(d.Periods), plural.Of(int(d.Replications)*d.Periods, d.Period, d.Period+"s"), format.Level(d.Share), promise.PeriodsToVouch(d.Share, d.Confidence))}, out...)
	}
	return out
}

func (d *Promise) currency() string {
	if d.Currency == nil || *d.Currency == "" {
		return ""
	}
	return " (" + *d.Currency + ")"
}

func durationS(s float64) string { return format.Duration(time.Duration(s * float64(time.Second))) }

func value(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func percentOf(p *float64) string { return format.Percent(value(p)) }

func metText(g *PromiseRung, periods int64) string {
	return fmt.Sprintf("%d/%d %s", g.PeriodsMet, periods, format.Percent(value(g.Share)))
}

// intervalText writes a rung's interval of the share of periods meeting
// the level, judged against the share promised (format.Judged): a rung is
// promised when its lower end is at or above it.
func intervalText(iv [2]*float64, share float64) string {
	if iv[0] == nil {
		return format.Unknown
	}
	return format.Judged(*iv[0], *iv[1], share)
}

// WriteHTML writes the report as a self-contained HTML page.
func (d *Promise) WriteHTML(w io.Writer) error {
	p := &tablePage{
		Title:   "slasim promise: " + d.Scenario,
		Heading: "What " + d.Scenario + " can promise",
		Byline:  fmt.Sprintf("slasim %s · %s · seed %d · %s of %d %s", d.Version, d.File, d.Seed, replicationCount(d.Replications), d.Periods, plural.Of(d.Periods, d.Period, d.Period+"s")),
		Version: d.Version,
	}
	head := []htmlTd{{Text: "tier"}, {Text: "clock"}, {Text: "level", Class: "num"}, {Text: "target now", Class: "num"}, {Text: "promise", Class: "num"},
		{Text: d.Period + "s meeting it", Class: "num"}, {Text: "mean attainment", Class: "num"}}
	if d.contract {
		head = append(head, htmlTd{Text: "cost a " + d.Period + d.currency(), Class: "num"})
	}
	table := &htmlTable{Head: head}
	for _, r := range d.Rows {
		c := r.promisedCells(d.Share)
		class := "num yes"
		if r.PromiseS == nil {
			class = "num no"
			c.interval, c.costInterval = "", "" // one "-" a cell
		}
		row := []htmlTd{{Text: r.Tier}, {Text: r.Clock}, {Text: format.Level(r.Level), Class: "num"}, {Text: durationS(r.TargetS), Class: "num"},
			{Text: d.promiseText(r), Class: class}, {Text: c.met, Sub: c.interval, Class: "num"}, {Text: c.attainment, Class: "num"}}
		if d.contract {
			row = append(row, htmlTd{Text: c.cost, Sub: c.costInterval, Class: "num"})
		}
		table.Rows = append(table.Rows, row)
	}
	ladder := &htmlTable{Head: []htmlTd{{Text: "tier"}, {Text: "clock"}}}
	for _, t := range d.LadderS {
		ladder.Head = append(ladder.Head, htmlTd{Text: durationS(t), Class: "num"})
	}
	for _, r := range d.Rows {
		row := []htmlTd{{Text: r.Tier}, {Text: r.Clock}}
		for _, g := range r.Rungs {
			class := "num"
			switch {
			case g.Promise:
				class = "num yes"
			case g.Share != nil && *g.Share < d.Share:
				class = "num no"
			}
			row = append(row, htmlTd{Text: format.Percent(value(g.Share)), Sub: intervalText(g.Interval, d.Share), Class: class})
		}
		ladder.Rows = append(ladder.Rows, row)
	}
	p.Sections = []tableSection{
		{ID: "promise", Title: "The promise", Paragraphs: []string{d.lede()}, Table: table, After: d.notes()},
		{ID: "ladder", Title: "Every target of the ladder", Paragraphs: []string{fmt.Sprintf("The share of %ss meeting the level within each target, with its %s Wilson interval beneath; green: the promise.", d.Period, format.Level(d.Confidence))}, Table: ladder},
	}
	if d.contract {
		p.Sections[0].After = append(p.Sections[0].After, fmt.Sprintf("The cost of a %s is the contract's credits after its cap plus the escalation ladder's costs, with the promised target in place of the tier's own and every other target as written; mean over replications with its 95%% interval.", d.Period))
	}
	return p.write(w)
}
