package reports

import (
	"encoding/csv"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim/replications"
)

// The CSV files hold the figures of the text and JSON reports for
// spreadsheets and pandas: one header row, times in seconds, shares
// between 0 and 1, an empty cell where there is no figure (no tickets, or
// an interval from a single replication). A name that a spreadsheet would
// run as a formula starts with a quote (format.Cell). docs/reports.md
// lists the columns.

// tierColumns are the columns of a tier and clock, in tiers.csv and
// sweep.csv.
var tierColumns = []string{
	"tier", "clock", "target_s", "replications",
	"attainment", "attainment_lo", "attainment_hi", "verdict",
	"mean_s", "mean_lo_s", "mean_hi_s", "p50_s", "p90_s", "p95_s", "p99_s",
	"tickets", "breached", "mean_lateness_s", "censored",
	"unanswered", "answered_attainment", "answered_attainment_lo", "answered_attainment_hi",
	"abandoned", "abandoned_share", "abandoned_share_lo", "abandoned_share_hi",
	"blocked", "blocked_share", "blocked_share_lo", "blocked_share_hi",
	"pooled_attainment", "pooled_attainment_lo", "pooled_attainment_hi",
	"pooled_mean_s", "pooled_mean_lo_s", "pooled_mean_hi_s",
	"pooled_answered_attainment", "pooled_answered_attainment_lo", "pooled_answered_attainment_hi",
}

// runColumns end every row of every CSV file: the run it comes from,
// its master seed and slasim's version, and whether it ran to the end
// (complete) or was interrupted (partial). Files of two runs in one
// directory, or of a run cut short, are told apart.
var runColumns = []string{"seed", "slasim_version", "run"}

// A table writes a CSV file whose rows end with the run's identity.
type table struct {
	cw *csv.Writer
	id []string
}

func newTable(w io.Writer, head []string, e *Envelope, partial bool) *table {
	run := "complete"
	if partial {
		run = "partial"
	}
	t := &table{cw: csv.NewWriter(w), id: []string{strconv.FormatUint(e.Seed, 10), e.Version, run}}
	t.cw.Write(append(slices.Clip(head), runColumns...))
	return t
}

func (t *table) row(cells []string) { t.cw.Write(append(slices.Clip(cells), t.id...)) }

func (t *table) close() error {
	t.cw.Flush()
	return t.cw.Error()
}

// WriteTiersCSV writes tiers.csv: a row per tier and clock. An unstable run
// has no rows.
func (r *Report) WriteTiersCSV(w io.Writer) error {
	t := newTable(w, tierColumns, &r.Envelope, r.Partial)
	if r.Unstable == nil {
		for _, row := range r.tierRows() {
			t.row(row)
		}
	}
	return t.close()
}

// tierRows are the tierColumns of each tier and clock.
func (r *Report) tierRows() [][]string {
	var rows [][]string
	for _, t := range r.Tiers {
		for _, m := range t.metrics() {
			row := []string{
				format.Cell(t.Name), format.Cell(m.name), num(m.TargetS), strconv.FormatInt(r.Replications, 10),
				csvMean(m.Attainment), csvLo(m.Attainment), csvHi(m.Attainment), string(m.Verdict),
				csvMean(m.MeanS), csvLo(m.MeanS), csvHi(m.MeanS), numOf(m.P50S), numOf(m.P90S), numOf(m.P95S), numOf(m.P99S),
				strconv.FormatInt(m.Tickets, 10), strconv.FormatInt(m.Breached, 10), numOf(m.MeanLatenessS),
				strconv.FormatInt(m.Censored, 10),
				strconv.FormatInt(m.Unanswered, 10), csvMean(m.AnsweredAttainment), csvLo(m.AnsweredAttainment), csvHi(m.AnsweredAttainment),
			}
			for _, o := range []*Outcome{t.Abandoned, t.Blocked} {
				if o == nil {
					row = append(row, "", "", "", "")
					continue
				}
				row = append(row, strconv.FormatInt(o.Tickets, 10), csvMean(o.Share), csvLo(o.Share), csvHi(o.Share))
			}
			row = append(row, csvMean(m.PooledAttainment), csvLo(m.PooledAttainment), csvHi(m.PooledAttainment),
				csvMean(m.PooledMeanS), csvLo(m.PooledMeanS), csvHi(m.PooledMeanS),
				csvMean(m.PooledAnsweredAttainment), csvLo(m.PooledAnsweredAttainment), csvHi(m.PooledAnsweredAttainment))
			rows = append(rows, row)
		}
	}
	return rows
}

// WriteCSV writes sweep.csv: a row per point, tier and clock, led by the
// values of the varied fields, the point's status (ok, unstable or
// partial), offered load and utilisation, and when the scenario has a
// contract, the point's cost per period and probability of termination.
// An unstable point has a row per tier and clock with its figures empty.
func (sw *Sweep) WriteCSV(w io.Writer) error {
	money := sw.money()
	head := sw.csvVary()
	head = append(head, "status", "offered_load_erlangs", "utilisation", "utilisation_lo", "utilisation_hi")
	head = append(head, money.csvHeads()...)
	t := newTable(w, append(head, tierColumns...), &sw.Envelope, sw.Partial)
	for _, p := range sw.Points {
		r := p.Report
		lead := cells(p.Values)
		lead = append(lead, status(r), num(r.OfferedLoad), csvMean(r.Utilisation), csvLo(r.Utilisation), csvHi(r.Utilisation))
		lead = append(lead, money.csvCells(r)...)
		rows := r.tierRows()
		if r.Unstable != nil {
			rows = rows[:0]
			for _, t := range r.Tiers {
				for _, m := range t.metrics() {
					row := make([]string, len(tierColumns))
					row[0], row[1], row[2], row[3] = format.Cell(t.Name), format.Cell(m.name), num(m.TargetS), "0"
					rows = append(rows, row)
				}
			}
		}
		for _, row := range rows {
			t.row(append(slices.Clip(lead), row...))
		}
	}
	return t.close()
}

func status(r *Report) string {
	switch {
	case r.Unstable != nil:
		return "unstable"
	case r.Partial:
		return "partial"
	}
	return "ok"
}

// replicationColumns are the columns of replications.csv after those of
// the varied fields.
var replicationColumns = []string{"replication", "tier", "clock", "tickets", "met", "attainment", "mean_s"}

// WriteReplicationsCSV writes replications.csv: a row per replication, tier
// and clock, from which the run's intervals are computed. It has rows only
// if the run had a replications.Collector.
func (r *Report) WriteReplicationsCSV(w io.Writer) error {
	t := newTable(w, replicationColumns, &r.Envelope, r.Partial)
	if err := r.writeReplications(t, nil); err != nil {
		return err
	}
	return t.close()
}

// WriteReplicationsCSV writes the replications of every point, each row
// led by the values of the varied fields.
func (sw *Sweep) WriteReplicationsCSV(w io.Writer) error {
	t := newTable(w, append(sw.csvVary(), replicationColumns...), &sw.Envelope, sw.Partial)
	for _, p := range sw.Points {
		if err := p.Report.writeReplications(t, cells(p.Values)); err != nil {
			return err
		}
	}
	return t.close()
}

// csvVary names the columns of the varied fields: by their paths, with a
// list index after a dot (tiers.0.share for tiers[0].share), a name R and
// pandas keep as it is.
func (sw *Sweep) csvVary() []string {
	names := make([]string, len(sw.Vary))
	for i, v := range sw.Vary {
		names[i] = csvIndex.ReplaceAllString(v, ".$1")
	}
	return names
}

// csvIndex matches a list index of a path, [3].
var csvIndex = regexp.MustCompile(`\[(\d+)\]`)

// writeReplications writes the rows of the run's replications, one at a
// time from where the collector keeps them: memory stays flat however many
// replications there are.
func (r *Report) writeReplications(t *table, lead []string) error {
	if r.replications == nil {
		return nil
	}
	return r.replications.Rows(func(row replications.Row) error {
		name := ""
		if row.Tier < len(r.Tiers) {
			t := &r.Tiers[row.Tier]
			if row.Clock == clockNames[1] && t.Resolution == nil {
				return nil // no resolution promised: no row
			}
			name = format.Cell(t.Name)
		}
		attainment := ""
		if row.Tickets > 0 {
			attainment = num(row.Attainment())
		}
		t.row(append(slices.Clip(lead),
			strconv.Itoa(row.Replication), name, row.Clock,
			strconv.FormatInt(row.Tickets, 10), strconv.FormatInt(row.Met, 10), attainment, num(row.MeanS)))
		return nil
	})
}

// cells makes texts safe as cells (format.Cell).
func cells(texts []string) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = format.Cell(t)
	}
	return out
}

// num formats a number exactly, as the shortest text that reads back to
// it; empty for NaN or an infinity.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// numOf is num of a figure that may be missing: empty then.
func numOf(x *float64) string {
	if x == nil {
		return ""
	}
	return num(*x)
}

func csvMean(e *Estimate) string {
	if e == nil {
		return ""
	}
	return num(e.Mean)
}

func csvLo(e *Estimate) string {
	if e == nil || e.Lo == nil {
		return ""
	}
	return num(*e.Lo)
}

func csvHi(e *Estimate) string {
	if e == nil || e.Hi == nil {
		return ""
	}
	return num(*e.Hi)
}
