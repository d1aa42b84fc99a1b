package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/staffing/sizing"
)

const sizeExamples = `  slasim size                                # the cheapest agents for the default scenario
  slasim size desk.yaml --level 90%          # 90% on every clock instead of the file's sizing.level
  slasim size desk.yaml --cost 42 --min 2    # every team at 42 an agent-hour, at least 2 on each shift
  slasim size desk.yaml --set 'sizing.teams[0].cost=80' --json > sizing.json
  slasim size desk.yaml --out sizing/        # also write sizing.txt, sizing.json and the frontier plot
  slasim size desk.yaml --write sized.yaml   # then: slasim run sized.yaml
`

// sizeSchema names the layout of size's JSON output.
const sizeSchema = "slasim.size/v1"

func sizeCommand(e *env, fs *pflag.FlagSet) func([]string) error {
	fs.String("level", "", "the `SHARE` of tickets every clock must meet in time, e.g. 95% (sets sizing.level; levels the file gives per tier still apply)")
	fs.String("confidence", "", "the confidence `SHARE` of the interval whose lower end must reach the level, e.g. 95% (sets sizing.confidence)")
	fs.String("cost", "", "the `COST` of an agent-hour, for agents and every team without its own (sets sizing.cost)")
	fs.String("min", "", "the fewest agents, `N`, of agents or on each shift without its own bounds (sets sizing.min)")
	fs.String("max", "", "the most agents, `N`, likewise (sets sizing.max)")
	var sets []string
	fs.StringArrayVar(&sets, "set", nil, "set the field at PATH to VALUE before sizing (`PATH=VALUE`, repeatable), e.g. 'sizing.teams[1].shifts[0].min=2'")
	seed := fs.Uint64("seed", 0, "master seed of the search; the confirmation uses seed+1 (default: the scenario's)")
	reps := fs.IntP("replications", "r", 10, "replications of a candidate's first batch; doubled while an interval straddles its level")
	maxReps := fs.Int("max-replications", 80, "the most replications a candidate gets")
	workers := fs.IntP("workers", "w", 0, "replications simulated at once (default: one per CPU); never changes the output")
	asJSON := fs.Bool("json", false, "print the result as JSON (schema "+sizeSchema+", see docs/sizing.md)")
	out := fs.String("out", "", "also write sizing.txt, sizing.json and frontier.png/.svg (when something is checked) into `DIR` (created if needed)")
	writeTo := fs.String("write", "", "write the scenario with the sized head counts to `FILE`, ready for slasim run (comments kept, layout may change)")
	return func(args []string) error {
		if len(args) > 1 {
			return usagef("size takes one scenario, got %d: %s", len(args), strings.Join(args, " "))
		}
		arg := "default"
		if len(args) == 1 {
			arg = args[0]
		}
		var settings []scenarios.Setting
		for _, f := range []struct{ name, path string }{{"level", "sizing.level"}, {"confidence", "sizing.confidence"}, {"cost", "sizing.cost"}, {"min", "sizing.min"}, {"max", "sizing.max"}} {
			if fs.Changed(f.name) {
				settings = append(settings, scenarios.Setting{Path: f.path, Value: fs.Lookup(f.name).Value.String()})
			}
		}
		for _, s := range sets {
			path, v, ok := strings.Cut(s, "=")
			if !ok || path == "" {
				return usagef("--set takes PATH=VALUE, such as sizing.cost=42, got %q", s)
			}
			settings = append(settings, scenarios.Setting{Path: strings.TrimSpace(path), Value: strings.TrimSpace(v)})
		}
		sc, err := openWith(arg, settings)
		if err != nil {
			return usageError{err}
		}
		o := sizing.Options{Seed: sc.Simulation.Seed, Replications: *reps, MaxReplications: *maxReps}
		if fs.Changed("seed") {
			o.Seed = *seed
		}
		switch {
		case *reps < 2:
			return usagef("--replications must be at least 2 (an interval needs two), got %d", *reps)
		case *maxReps < *reps:
			return usagef("--max-replications must be at least --replications (%d), got %d", *reps, *maxReps)
		case fs.Changed("workers") && *workers <= 0:
			return usagef("--workers must be > 0, got %d", *workers)
		case o.Seed == math.MaxUint64:
			return usagef("--seed must be below %d: the confirmation uses seed+1", uint64(math.MaxUint64))
		}
		o.Workers = *workers
		if *out != "" {
			if err := os.MkdirAll(*out, 0o755); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
		}
		if e.interactive {
			o.Progress = sizeProgress(e.stderr)
			defer fmt.Fprint(e.stderr, "\r\033[K")
		}
		p, err := sc.SizingProblem()
		if err != nil {
			return usageError{err}
		}
		res, err := sizing.Size(e.ctx, p, o)
		if err != nil {
			if e.ctx.Err() != nil {
				return fmt.Errorf("interrupted: %w", err)
			}
			return usageError{err}
		}
		doc := newSizeDoc(sc, arg, p, res)
		write := doc.writeText
		if *asJSON {
			write = doc.writeJSON
		}
		if err := write(e.stdout); err != nil {
			return err
		}
		if *out != "" {
			if err := reports.WriteFile(filepath.Join(*out, "sizing.txt"), doc.writeText); err != nil {
				return err
			}
			if err := reports.WriteFile(filepath.Join(*out, "sizing.json"), doc.writeJSON); err != nil {
				return err
			}
			fig, err := reports.SizingFigure(res)
			if err != nil {
				return err
			}
			if fig != nil {
				if err := reports.WriteFile(filepath.Join(*out, fig.Name+".png"), fig.WritePNG); err != nil {
					return err
				}
				if err := reports.WriteFile(filepath.Join(*out, fig.Name+".svg"), fig.WriteSVG); err != nil {
					return err
				}
			}
		}
		if *writeTo != "" {
			if err := writeSized(*writeTo, arg, settings, res); err != nil {
				return err
			}
			what := "sized"
			if !res.Feasible {
				what = "best attainable"
			}
			fmt.Fprintf(e.stderr, "slasim size: wrote the %s scenario to %s; slasim run %s reports on it in full\n", what, *writeTo, *writeTo)
		}
		if !res.Feasible {
			return errors.New("no staffing within the bounds meets the requirement; the best attainable is shown")
		}
		return nil
	}
}

// openWith opens the scenario arg names with the settings applied, each
// held to every rule a file is.
func openWith(arg string, settings []scenarios.Setting) (*scenarios.Scenario, error) {
	sc, err := scenarios.Open(arg)
	if err != nil || len(settings) == 0 {
		return sc, err
	}
	file, data, err := scenarioText(sc, arg)
	if err != nil {
		return nil, err
	}
	return scenarios.Vary(file, data, settings...)
}

// writeSized writes to path the scenario arg names, with the settings and
// the sized head counts in it, after checking that it parses.
func writeSized(path, arg string, settings []scenarios.Setting, res *sizing.Result) error {
	sc, err := scenarios.Open(arg)
	if err != nil {
		return err
	}
	file, data, err := scenarioText(sc, arg)
	if err != nil {
		return err
	}
	for _, st := range settings {
		if data, err = scenarios.Set(data, st.Path, st.Value); err != nil {
			return err
		}
	}
	for i, q := range res.Posts {
		if data, err = scenarios.Set(data, q.Path, strconv.Itoa(res.Best.Agents[i])); err != nil {
			return fmt.Errorf("--write: %w", err)
		}
	}
	if _, err := scenarios.Parse(file, data); err != nil {
		return fmt.Errorf("--write: the sized scenario does not parse: %w", err)
	}
	return reports.WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// sizeProgress shows on a terminal how far the search has got.
func sizeProgress(w io.Writer) func(*sizing.Evaluation) {
	n := 0
	return func(ev *sizing.Evaluation) {
		n++
		name, mean, _ := closest(ev)
		fmt.Fprintf(w, "\r%d simulations · last %v: %s %s\033[K", n, ev.Agents, name, mean)
	}
}

// sizeDoc is the result of size as printed: in text, or as JSON.
type sizeDoc struct {
	Schema   string `json:"schema"`
	Version  string `json:"version"`
	Scenario string `json:"scenario"`
	File     string `json:"file"`
	// Requirement is what every candidate was held to.
	Requirement sizing.Requirement `json:"requirement"`
	Tiers       []string           `json:"tiers"`
	FixedCost   float64            `json:"fixed_cost"`
	// Currency is the contract's, when a contract's expected credits are
	// in the costs (each evaluation's penalty); empty without a contract.
	Currency string `json:"currency,omitempty"`
	// PeriodsMet is the share of the contract's periods in which every
	// contractual level must be met; 0 when not asked.
	PeriodsMet float64 `json:"periods_met,omitempty"`
	contract   bool
	*sizing.Result
}

func newSizeDoc(sc *scenarios.Scenario, arg string, p *sizing.Problem, res *sizing.Result) *sizeDoc {
	d := &sizeDoc{Schema: sizeSchema, Version: slasimVersion(), Scenario: sc.Name, File: source(sc, arg),
		Requirement: p.Requirement, FixedCost: p.FixedCost, Result: res}
	for _, t := range p.Model.Tiers {
		d.Tiers = append(d.Tiers, t.Name)
	}
	if sc.Contract != nil {
		d.contract, d.Currency, d.PeriodsMet = true, sc.Contract.Currency, sc.Sizing.PeriodsMet
	}
	return d
}

func (d *sizeDoc) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

func (d *sizeDoc) writeText(w io.Writer) error {
	var b strings.Builder
	res := d.Result
	fmt.Fprintf(&b, "slasim %s · size %s (%s)\n\n", d.Version, d.Scenario, d.File)
	b.WriteString(d.requirementText())
	best := res.Best
	if res.Feasible {
		fmt.Fprintf(&b, "\nThe cheapest staffing found that meets it (confirmed with seed %d, %d replications):\n", best.Seed, best.Replications)
	} else {
		b.WriteString("\nNo staffing within the bounds meets the requirement. The best attainable found: the cheapest that misses\nno more checks than the closest staffing seen, and falls short of them by no more (within 0.1 point):\n")
	}
	d.staffingTable(&b)
	if len(best.Checks) > 0 {
		fmt.Fprintf(&b, "\nAttainment (seed %d, %d replications, %s intervals):\n", best.Seed, best.Replications, level(d.Requirement.Confidence))
		checksTable(&b, best)
	}
	fmt.Fprintf(&b, "\nCost a week: %s for staff", money(best.StaffCost))
	if d.FixedCost > 0 {
		fmt.Fprintf(&b, " (%s of it interval staffing kept as given)", money(d.FixedCost))
	}
	if d.contract {
		fmt.Fprintf(&b, ", %s expected contract credits and costs; %s in all", money(best.Penalty), money(best.Cost()))
		if d.Currency != "" {
			b.WriteString(", in " + d.Currency)
		}
		b.WriteString(".\n")
	} else {
		b.WriteString("; no contract given, so no expected credits.\n")
	}
	if d.agentHours() {
		b.WriteString("Every agent-hour costs 1, so costs are agent-hours: give sizing.cost (or --cost) to price them.\n")
	}
	if res.Search != nil && !slices.Equal(res.Search.Agents, best.Agents) {
		fmt.Fprintf(&b, "The search's choice (%s) missed the requirement with the confirmation seed; the search stepped up from it.\n", counts(res.Search.Agents))
	}
	d.frontierText(&b)
	if g := res.Given; g != nil {
		verdict := "meets the requirement"
		if !g.Feasible() {
			verdict = "misses the requirement"
		}
		fmt.Fprintf(&b, "\nAs the scenario gives it (%s): %s a week", counts(g.Agents), money(g.Cost()))
		if name, mean, ci := closest(g); len(g.Checks) > 0 || g.Unstable {
			fmt.Fprintf(&b, "; %s %s %s", name, mean, ci)
		}
		fmt.Fprintf(&b, ": %s.\n", verdict)
	}
	fmt.Fprintf(&b, "\nSearch: from the analytic start %s (Erlang C hour by hour; at most %d agents at once, %s); %d staffings simulated, %d replications.\n",
		counts(res.Analytic), peak(res.Required), peakHour(res.Required), res.Candidates, res.Replications)
	b.WriteString("The result is a local optimum of a heuristic search: see docs/sizing.md for what it guarantees.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// checked reports whether the requirement checks some level.
func (d *sizeDoc) checked() bool {
	for _, l := range d.Requirement.Levels {
		if l.Response > 0 || l.Resolution > 0 {
			return true
		}
	}
	return d.PeriodsMet > 0
}

// agentHours reports whether every agent-hour costs 1: costs are hours.
func (d *sizeDoc) agentHours() bool {
	for _, q := range d.Posts {
		if q.Cost != 1 {
			return false
		}
	}
	return true
}

// requirementText says what every candidate was held to.
func (d *sizeDoc) requirementText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Requirement: the lower end of the %s interval of mean attainment at or above its level, for\n", level(d.Requirement.Confidence))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  tier\tresponse\tresolution")
	for i, l := range d.Requirement.Levels {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", d.Tiers[i], levelText(l.Response), levelText(l.Resolution))
	}
	tw.Flush()
	if !d.checked() {
		b.WriteString("none of which is checked: the contract's expected credits alone weigh against the staff cost\n")
	}
	if d.PeriodsMet > 0 {
		fmt.Fprintf(&b, "and the lower end of the %s interval of the share of the contract's periods meeting each contractual level at or above %s\n",
			level(d.Requirement.Confidence), level(d.PeriodsMet))
	}
	return b.String()
}

func levelText(l float64) string {
	if l == 0 {
		return "unchecked"
	}
	return "≥ " + level(l)
}

func (d *sizeDoc) staffingTable(b *strings.Builder) {
	res := d.Result
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  shift\tbounds\tgiven\tanalytic\tsized\tagent-hours/week\tcost/week")
	var given, analytic, sized int
	var hours, cost float64
	for i, q := range res.Posts {
		n := res.Best.Agents[i]
		h := res.Hours[i] * float64(n)
		c := h * q.Cost
		given, analytic, sized, hours, cost = given+q.Agents, analytic+res.Analytic[i], sized+n, hours+h, cost+c
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%.0f\t%s\n", q.Name, boundsText(q), q.Agents, res.Analytic[i], n, h, money(c))
	}
	if len(res.Posts) > 1 {
		fmt.Fprintf(tw, "  total\t\t%d\t%d\t%d\t%.0f\t%s\n", given, analytic, sized, hours, money(cost))
	}
	tw.Flush()
}

func boundsText(q sizing.Post) string {
	if q.Max == 0 {
		return fmt.Sprintf("%d+", q.Min)
	}
	return fmt.Sprintf("%d-%d", q.Min, q.Max)
}

func checksTable(b *strings.Builder, ev *sizing.Evaluation) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  check\tlevel\tmean\tinterval\tverdict")
	for _, c := range ev.Checks {
		verdict := "met"
		if !c.Met() {
			verdict = "MISSED"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", c.Name, level(c.Level), pct(c.Mean), interval(&c), verdict)
	}
	tw.Flush()
}

// frontierText lists the staffings around the result, cheapest first.
func (d *sizeDoc) frontierText(b *strings.Builder) {
	res := d.Result
	fmt.Fprintf(b, "\nCost against risk: the result and one agent fewer or more on each shift (seed %d), cheapest first:\n", d.Result.Frontier[0].Seed)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  change\tcost/week\tclosest check\tmean\tinterval\treplications\tmeets")
	for _, ev := range res.Frontier {
		meets := "yes"
		if !ev.Feasible() {
			meets = "no"
		}
		name, mean, ci := closest(ev)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%d\t%s\n", change(res, ev), money(ev.Cost()), name, mean, ci, ev.Replications, meets)
	}
	tw.Flush()
	for _, ev := range res.Frontier {
		if res.Feasible && ev.Feasible() && ev.Cost() < res.Best.Cost() {
			b.WriteString("A cheaper staffing above meets the requirement on this seed but missed it on the search seed: the two\nsimulations disagree, so it is marginal; the result keeps the agent.\n")
			break
		}
	}
}

// closest names an evaluation's check closest to failing, with its mean
// and interval; dashes without checks, "unstable" without figures.
func closest(ev *sizing.Evaluation) (name, mean, ci string) {
	c := ev.Binding()
	switch {
	case ev.Unstable:
		return "—", "—", "unstable"
	case c == nil:
		return "no checks", "—", "—"
	}
	return c.Name, pct(c.Mean), interval(c)
}

// change describes a frontier staffing against the result.
func change(res *sizing.Result, ev *sizing.Evaluation) string {
	var parts []string
	for i, n := range ev.Agents {
		if d := n - res.Best.Agents[i]; d != 0 {
			parts = append(parts, fmt.Sprintf("%s %+d", res.Posts[i].Name, d))
		}
	}
	if len(parts) == 0 {
		return "the result"
	}
	return strings.Join(parts, ", ")
}

func peak(required [168]int) int {
	m := 0
	for _, n := range required {
		m = max(m, n)
	}
	return m
}

// peakHour names the first hour of the week needing the most agents.
func peakHour(required [168]int) string {
	days := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	top := peak(required)
	for h, n := range required {
		if n == top {
			return fmt.Sprintf("%s %02d:00", days[h/24], h%24)
		}
	}
	return ""
}

// pct writes a share as a percentage with one decimal, "—" if unknown.
func pct(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// level writes a level as a percentage without trailing zeros: 95%, 99.5%.
func level(x float64) string {
	return strconv.FormatFloat(math.Round(1e4*x)/100, 'f', -1, 64) + "%"
}

// interval writes a check's interval, clipped to [0, 100%].
func interval(c *sizing.Check) string {
	return fmt.Sprintf("[%s, %s]", pct(max(c.Lo, 0)), pct(min(c.Hi, 1)))
}

// counts writes head counts, one per shift: 6, 2, 2, 1.
func counts(x []int) string {
	s := make([]string, len(x))
	for i, n := range x {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// money writes a cost a week in whole units.
func money(x float64) string { return fmt.Sprintf("%.0f", x) }
