package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// The HTML report is one self-contained page: styles and plots inline (SVG),
// no scripts, fonts or anything else fetched, so that it opens offline and
// can be mailed or archived as it is. It is well-formed XML as well as
// HTML, which keeps it easy to check and to process.
//
//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("report").Parse(pageTemplate))

// htmlPage is what the template shows; run and sweep pages fill it alike.
type htmlPage struct {
	Title, Heading, Description string
	Byline, Version             string
	Level                       string
	// Notices are warnings shown first: an interrupted run, an unstable
	// system.
	Notices []string
	// Summary sentences, and the targets not met.
	Summary []string
	Missed  []string
	// ScenarioNote says how a sweep departs from the scenario shown.
	ScenarioNote string
	Tiers        []htmlTierSpec
	Staff        []htmlFact
	Assume       []htmlFact
	Overall      []htmlFact
	// Results is a run's table; Sweep a sweep's.
	Results []htmlResult
	// Analytic is a run's closed-form answer, when its model has one.
	Analytic *htmlAnalytic
	// Where, Flow and Teams are what the text says after its table: the
	// hours (and dates) where targets are missed, what became of the
	// tickets, the teams' utilisation and overtime.
	Where *htmlWhere
	// Periods and Dates are the results by period and by date, when the
	// scenario asks for them.
	Periods []htmlPeriods
	Dates   *htmlDates
	Flow    []string
	Teams   []teamRow
	// Services and Means are a run's services' availability and its
	// targets on means, as the text gives them.
	Services    []htmlFact
	Means       []htmlFact
	MeansLegend string
	Sweep       *htmlSweep
	// Contract is a run's contract section, with its figure, which Figures
	// then leaves out.
	Contract *htmlContract
	Figures  []htmlFigure
}

type htmlFact struct{ Term, Value string }

// htmlWhere is where targets are missed: by what, and for each clock not
// met its worst hours and dates.
type htmlWhere struct {
	By     string
	Clocks []htmlFact
}

// htmlTierSpec is a tier as the scenario describes it.
type htmlTierSpec struct {
	Name, Volume, Profile, Work, Load, Response, Resolution, Notes string
}

// htmlResult is one tier and clock of a run.
type htmlResult struct {
	Tier, Clock, Target                            string
	First                                          bool // the tier's first row
	Attainment, Interval, Mean, P50, P90, P95, P99 string
	Breached, Late, Verdict, Class                 string
}

type htmlSweep struct {
	// Vary heads the varied settings' columns, which may break after a dot
	// or bracket (wordBreaks).
	Vary []template.HTML
	// Groups head the tier columns, each spanning response and
	// resolution; Named those of the named clocks' table, each spanning
	// the tier's named clocks (the updates clock, a journey's), for the
	// tiers that have some.
	Groups      []htmlSweepGroup
	Clocks      []string
	Named       []htmlSweepGroup
	NamedClocks []string
	Rows        []htmlSweepRow
	// Money heads the contract's columns, when the scenario has one.
	Money []string
	// Span is the number of columns after the offered load.
	Span int
}

type htmlSweepGroup struct {
	Tier   string
	Clocks int
}

type htmlSweepRow struct {
	Values              []string
	Load                string
	Utilisation         htmlCell
	Unstable, Tally     string
	Cells, NamedCells   []htmlCell
	Money               []htmlCell
	AllMet, AnyUnstable bool
}

type htmlCell struct{ Attainment, Interval, Class string }

type htmlFigure struct {
	ID, Title, Caption string
	SVG                template.HTML
}

// WriteHTML writes the run's report as a self-contained HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	figs, err := r.Figures()
	if err != nil {
		return err
	}
	p := &htmlPage{
		Title:       "slasim: " + r.Scenario,
		Heading:     "SLA attainment of " + r.Scenario,
		Description: r.description,
		Byline:      fmt.Sprintf("slasim %s · %s · seed %d · %d %s", r.Version, r.File, r.Seed, r.Replications, plural.Of(int(r.Replications), "replication", "replications")),
		Version:     r.Version,
		Level:       format.Level(r.Level),
		Notices:     r.notices(),
		Tiers:       tierSpecs(r.model),
		Staff:       staff(r.model),
		Assume:      r.assumptions(),
	}
	if r.Unstable == nil {
		p.Summary, p.Missed = r.verdictSummary()
		p.Overall = r.overall()
		p.Results = r.results()
		p.Analytic = r.htmlAnalytic()
		p.Where = r.htmlWhere()
		p.Periods, p.Dates = r.htmlPeriods(), r.htmlDates()
		p.Flow = r.flow()
		p.Teams = r.teamRows()
		p.Services = r.serviceFacts()
		p.Means, p.MeansLegend = r.meanFacts(), meansLegend
	}
	if p.Figures, err = htmlFigures(figs); err != nil {
		return err
	}
	if p.Contract = r.htmlContract(p.Figures); p.Contract != nil && p.Contract.Figure != nil {
		p.Figures = slices.DeleteFunc(p.Figures, func(f htmlFigure) bool { return f.ID == p.Contract.Figure.ID })
	}
	return page.Execute(w, p)
}

// WriteHTML writes the sweep's report as a self-contained HTML page.
func (sw *Sweep) WriteHTML(w io.Writer) error {
	figs, err := sw.Figures()
	if err != nil {
		return err
	}
	p := &htmlPage{
		Title:       "slasim sweep: " + sw.Scenario,
		Heading:     fmt.Sprintf("What if: %s varying %s", sw.Scenario, strings.Join(sw.Vary, " and ")),
		Description: sw.description,
		Byline:      fmt.Sprintf("slasim %s · %s · seed %d · %d of %d %s", sw.Version, sw.File, sw.Seed, len(sw.Points), sw.Planned, plural.Of(sw.Planned, "point", "points")),
		Version:     sw.Version,
		Level:       format.Level(sw.Level),
	}
	if sw.Partial {
		p.Notices = append(p.Notices, fmt.Sprintf("Interrupted: %d of %d %s run, the last perhaps partly.", len(sw.Points), sw.Planned, plural.Of(sw.Planned, "point was", "points were")))
	}
	if len(sw.Points) > 0 {
		first := sw.Points[0].Report
		p.Tiers, p.Staff = tierSpecs(sw.model), staff(sw.model)
		p.ScenarioNote = fmt.Sprintf("As written in the file; each point of the sweep changes %s.", strings.Join(sw.Vary, " and "))
		p.Assume = append([]htmlFact{{"Varied", fmt.Sprintf("%s over %d %s; every point uses seed %d, so the points share their arrivals and handling times ticket by ticket (common random numbers)", strings.Join(sw.Vary, " and "), sw.Planned, plural.Of(sw.Planned, "point", "points"), first.Seed)}},
			first.assumptions()...)
		warmedUp := slices.ContainsFunc(sw.Points, func(pt Point) bool { return pt.Report.WarmUpS > 0 })
		p.Assume[1].Value = fmt.Sprintf("%s, each of %s after %s", sw.replications(), format.Duration(seconds(first.HorizonS)), simulatedBefore(sw.warmUpText(), warmedUp))
		// The offered load differs from point to point: the table has it.
		p.Assume = slices.DeleteFunc(p.Assume, func(f htmlFact) bool { return f.Term == "Offered load" })
		p.Sweep = sw.htmlTable()
		p.Summary = sw.summary(p.Sweep)
	}
	if p.Figures, err = htmlFigures(figs); err != nil {
		return err
	}
	return page.Execute(w, p)
}

func (r *Report) notices() []string {
	var n []string
	if r.Partial {
		n = append(n, fmt.Sprintf("Interrupted after %d of %d planned %s: the figures cover those only.", r.Replications, r.Planned, plural.Of(r.Planned, "replication", "replications")))
	}
	if note := r.UnstableNote(); note != "" {
		n = append(n, note)
	}
	if note := r.censoredNote(); note != "" {
		n = append(n, strings.ReplaceAll(note, "\n", " "))
	}
	if note := r.warmUpNote(); note != "" {
		n = append(n, "Warm-up: "+note)
	}
	return n
}

func (r *Report) htmlWhere() *htmlWhere {
	by, missed := r.whereMissed()
	if len(missed) == 0 {
		return nil
	}
	w := &htmlWhere{By: by}
	for _, m := range missed {
		v := strings.Join(m.Hours, ", ")
		if len(m.Dates) > 0 {
			if v != "" {
				v += "; "
			}
			v += "dates: " + strings.Join(m.Dates, ", ")
		}
		w.Clocks = append(w.Clocks, htmlFact{m.Clock, v})
	}
	return w
}

// verdictSummary counts the verdicts and lists the targets not met.
func (r *Report) verdictSummary() (summary, missed []string) {
	counts, total := map[Verdict]int{}, 0
	for _, t := range r.Tiers {
		for _, m := range t.metrics() {
			counts[m.Verdict]++
			total++
			if m.Verdict != Meets {
				missed = append(missed, fmt.Sprintf("%s %s within %s: %s %s (%s)", t.Name, m.name, format.Duration(seconds(m.TargetS)),
					mean(m.Attainment), judgedInterval(m.Attainment, r.Level), verdictSentence[m.Verdict]))
			}
		}
	}
	summary = append(summary, fmt.Sprintf("Of %d %s, %d met at the %s level with 95%% confidence, %d not met, and %d not determined (the interval straddles the level: more than %d %s would narrow it).",
		total, plural.Of(total, "target", "targets"), counts[Meets], format.Level(r.Level), counts[Fails], counts[NotDetermined], r.Replications, plural.Of(int(r.Replications), "replication", "replications")))
	if u := r.Utilisation; u != nil {
		summary = append(summary, fmt.Sprintf("Agents are busy %s of the time, carrying an offered load of %.2f Erlangs on %s on average.", pctCI(u), r.OfferedLoad, plural.Count(r.Capacity, "agent", "agents")))
	}
	return summary, missed
}

var verdictSentence = map[Verdict]string{
	Meets:         "met",
	Fails:         "not met",
	NotDetermined: "not determined: the interval straddles the level",
}

var verdictClass = map[Verdict]string{Meets: "yes", Fails: "no", NotDetermined: "maybe"}

// simulatedBefore is the warm-up of the page's facts: one that was run is
// simulated but not measured; none is just none.
func simulatedBefore(warmUp string, run bool) string {
	if run {
		return warmUp + " that is simulated but not measured"
	}
	return warmUp
}

func (r *Report) assumptions() []htmlFact {
	f := []htmlFact{
		{"Run", fmt.Sprintf("%d %s of %s each, after %s", r.Replications, plural.Of(int(r.Replications), "replication", "replications"), format.Duration(seconds(r.HorizonS)), simulatedBefore(r.warmUpText(), r.WarmUpS > 0))},
		{"Seed", fmt.Sprintf("%d: the same seed, scenario and version give the same figures", r.Seed)},
		{"Confidence", fmt.Sprintf("every interval is a %s Student t interval over the replications, corrected for their skewness", format.Level(r.Confidence))},
		{"Level", fmt.Sprintf("a target is met when its whole attainment interval is at or above %s", format.Level(r.Level))},
		{"Offered load", fmt.Sprintf("%.2f Erlangs (agent-hours of work arriving per hour) on %s on average", r.OfferedLoad, plural.Count(r.Capacity, "agent", "agents"))},
		{"Arrivals", "Poisson, at the rate of each tier's weekly profile"},
		{"Service", "agents take the oldest ticket of the highest tier waiting; handling times are drawn per ticket from the distributions in the scenario table"},
		{"Version", "slasim " + r.Version},
	}
	if r.Precision != nil {
		state := "reached"
		if !*r.PrecisionMet {
			state = "not reached within the replication cap"
		}
		f = append(f[:1], append([]htmlFact{{"Precision", fmt.Sprintf("replicated until every attainment interval was within ±%s: %s (%s planned)", format.Level(*r.Precision), state, replicationCount(int64(r.Planned)))}}, f[1:]...)...)
	}
	return f
}

func (r *Report) overall() []htmlFact {
	var f []htmlFact
	for _, x := range []struct {
		name string
		e    *Estimate
		pct  bool
	}{{"Utilisation", r.Utilisation, true}, {"Tickets in the system (time average)", r.InSystem, false}, {"Tickets waiting (time average)", r.Waiting, false}} {
		if x.e == nil {
			continue
		}
		v := fmt.Sprintf("%.2f", x.e.Mean)
		if x.e.Lo != nil && x.e.Hi != nil {
			v += fmt.Sprintf(" [%.2f, %.2f]", *x.e.Lo, *x.e.Hi)
		}
		if x.pct {
			v = pctCI(x.e)
		}
		f = append(f, htmlFact{x.name, v})
	}
	for _, t := range r.Teams {
		if t.Utilisation != nil && len(r.Teams) > 1 {
			f = append(f, htmlFact{"Utilisation of " + t.Name, pctCI(t.Utilisation)})
		}
	}
	for _, t := range r.Tiers {
		for _, o := range []struct {
			*Outcome
			what string
		}{{t.Abandoned, "Abandoned"}, {t.Blocked, "Blocked by a full line"}} {
			if o.Outcome != nil {
				f = append(f, htmlFact{fmt.Sprintf("%s, %s", o.what, t.Name),
					fmt.Sprintf("%s %s of its tickets (%d in all replications): they miss the response target and are never resolved", mean(o.Share), interval(o.Share), o.Tickets)})
			}
		}
		if a := t.Response.AnsweredAttainment; a != nil {
			f = append(f, htmlFact{"Answered within target, " + t.Name,
				fmt.Sprintf("%s %s of answered tickets within %s", mean(a), interval(a), format.Duration(seconds(t.Response.TargetS)))})
		}
	}
	return f
}

func (r *Report) results() []htmlResult {
	var rows []htmlResult
	for _, t := range r.Tiers {
		for i, m := range t.metrics() {
			rows = append(rows, htmlResult{
				Tier: t.Name, Clock: m.name, First: i == 0, Target: format.Duration(seconds(m.TargetS)),
				Attainment: mean(m.Attainment), Interval: judgedInterval(m.Attainment, r.Level), Mean: clockMean(m.Metric),
				P50: durationOf(m.P50S), P90: durationOf(m.P90S), P95: durationOf(m.P95S), P99: durationOf(m.P99S),
				Breached: breached(m.Metric), Late: lateness(m.Metric), Verdict: verdictText[m.Verdict], Class: verdictClass[m.Verdict],
			})
			if i == 0 && t.Resolution == nil {
				rows = append(rows, htmlResult{Tier: t.Name, Clock: "resolution", Target: noTarget})
			}
		}
	}
	return rows
}

// tierSpecs describes the model's tiers as simulated.
func tierSpecs(m *sim.Model) []htmlTierSpec {
	if m == nil {
		return nil
	}
	load := m.OfferedLoad()
	specs := make([]htmlTierSpec, len(m.Tiers))
	for i, t := range m.Tiers {
		rate := t.Arrivals.MeanRate()
		s := htmlTierSpec{
			Name:       t.Name,
			Volume:     plural.Figure(rate, 3) + "/h (" + plural.Figure(24*rate, 4) + "/day)",
			Profile:    "constant",
			Work:       readableDurations(t.Handling.String()),
			Response:   format.Duration(t.Response),
			Resolution: noTarget,
		}
		if t.HasResolution() {
			s.Resolution = format.Duration(t.Resolution)
		}
		if len(t.Arrivals.Rates) > 1 {
			s.Profile = fmt.Sprintf("%d rates of %s", len(t.Arrivals.Rates), format.Duration(t.Arrivals.Interval))
			if t.Arrivals.Period() == sim.Week {
				s.Profile = "weekly, by " + format.Duration(t.Arrivals.Interval)
			}
		}
		if load > 0 {
			s.Load = format.Level(rate * (1 - t.Deflected) * t.HumanWork().Hours() / load)
		}
		var notes []string
		if t.Preempts {
			notes = append(notes, "interrupts lower tiers")
		}
		for j, e := range t.Escalation {
			notes = append(notes, fmt.Sprintf("%s escalate to L%d (%s)", format.Level(e.Probability), j+2, readableDurations(e.Handling.String())))
		}
		if a := t.Automation; a.Eligible > 0 {
			notes = append(notes, fmt.Sprintf("automation tries %s, resolves %s of those", format.Level(a.Eligible), format.Level(a.Success)))
		}
		if t.Pending.Probability > 0 {
			notes = append(notes, format.Level(t.Pending.Probability)+" wait on the customer")
		}
		if t.Misclassified > 0 {
			notes = append(notes, format.Level(t.Misclassified)+" enter at a wrong tier")
		}
		if t.Deflected > 0 {
			notes = append(notes, format.Level(t.Deflected)+" deflected by self-service")
		}
		if t.ResponseCalendar != nil || t.ResolutionCalendar != nil {
			notes = append(notes, "clocks run in business hours")
		}
		if t.Patience != nil {
			notes = append(notes, "customers give up after "+readableDurations(t.Patience.String()))
		}
		if t.Blocking {
			notes = append(notes, fmt.Sprintf("at most %d waiting, more are turned away", t.QueueCapacity))
		}
		s.Notes = strings.Join(notes, "; ")
		specs[i] = s
	}
	return specs
}

// goDuration matches a duration as Go prints it: 1h0m0s, 45m0s, 1.5s.
var goDuration = regexp.MustCompile(`\b[0-9][0-9.hmµn]*s\b`)

// readableDurations rewrites the Go durations in a distribution's
// description the way the rest of the report writes them: 1h, 45m.
func readableDurations(s string) string {
	return goDuration.ReplaceAllStringFunc(s, func(d string) string {
		if v, err := time.ParseDuration(d); err == nil {
			return format.Duration(v)
		}
		return d
	})
}

// staff describes who serves: the agents, or each team.
func staff(m *sim.Model) []htmlFact {
	if m == nil {
		return nil
	}
	if len(m.Teams) == 0 {
		return []htmlFact{{"Agents", fmt.Sprintf("%d, on duty around the clock, each able to work on every tier", m.Agents)}}
	}
	end := m.WarmUp + m.Horizon
	var f []htmlFact
	for _, t := range m.Teams {
		v := plural.Figure(t.OnSite.Mean(0, end), 3) + " on site on average"
		if c := t.OnCall.Mean(0, end); c > 0 {
			var delay time.Duration
			if t.OnCallDelay != nil {
				delay = t.OnCallDelay.Mean()
			}
			v += fmt.Sprintf(", %s on call (%s to start", plural.Figure(c, 3), format.Duration(delay))
			if t.OnCallDelay != nil && t.OnCallDelay.CV() > 0 {
				v += " on average"
			}
			v += ")"
		}
		if t.Shrinkage > 0 {
			v += fmt.Sprintf("; %s shrinkage", format.Level(t.Shrinkage))
		}
		f = append(f, htmlFact{"Team " + t.Name, v})
	}
	return f
}

func (sw *Sweep) htmlTable() *htmlSweep {
	t := &htmlSweep{}
	for _, v := range sw.Vary {
		t.Vary = append(t.Vary, wordBreaks(v))
	}
	clocks := sw.tierClocks()
	for i, tier := range sw.Points[0].Report.Tiers {
		standard, named := 0, 0
		for _, c := range clocks[i] {
			if c.named {
				named++
				t.NamedClocks = append(t.NamedClocks, c.label+sw.targetLabel(i, c))
			} else {
				standard++
				t.Clocks = append(t.Clocks, c.label+sw.targetLabel(i, c))
			}
		}
		t.Groups = append(t.Groups, htmlSweepGroup{tier.Name, standard})
		if named > 0 {
			t.Named = append(t.Named, htmlSweepGroup{tier.Name, named})
		}
	}
	money := sw.money()
	t.Money = money.htmlHeads()
	t.Span = len(t.Clocks) + 2 + len(t.Money)
	for _, p := range sw.Points {
		r := p.Report
		row := htmlSweepRow{Values: p.Values, Load: fmt.Sprintf("%.2f", r.OfferedLoad)}
		if r.Unstable != nil {
			row.Unstable = r.Unstable.Error()
			row.AnyUnstable = true
			t.Rows = append(t.Rows, row)
			continue
		}
		if u := r.Utilisation; u != nil {
			row.Utilisation = htmlCell{Attainment: format.Percent(u.Mean), Interval: interval(u)}
		} else {
			row.Utilisation.Attainment = format.Unknown
		}
		row.Money = money.htmlCells(r)
		met, judged := 0, 0
		for i, tier := range r.Tiers {
			for _, c := range clocks[i] {
				cells := &row.Cells
				if c.named {
					cells = &row.NamedCells
				}
				m := c.metric(&tier)
				if m == nil {
					*cells = append(*cells, htmlCell{Attainment: noTarget})
					continue
				}
				judged++
				*cells = append(*cells, htmlCell{mean(m.Attainment), judgedInterval(m.Attainment, sw.Level), verdictClass[m.Verdict]})
				if m.Verdict == Meets {
					met++
				}
			}
		}
		row.AllMet = met == judged
		row.Tally = fmt.Sprintf("%d of %d", met, judged)
		t.Rows = append(t.Rows, row)
	}
	return t
}

// summary names the points at which every target is met.
func (sw *Sweep) summary(t *htmlSweep) []string {
	var all, unstable []string
	for i, row := range t.Rows {
		switch {
		case row.AnyUnstable:
			unstable = append(unstable, sw.label(&sw.Points[i]))
		case row.AllMet:
			all = append(all, sw.label(&sw.Points[i]))
		}
	}
	var s []string
	if len(all) == 0 {
		s = append(s, fmt.Sprintf("At no point is every target met at the %s level with 95%% confidence.", format.Level(sw.Level)))
	} else {
		s = append(s, fmt.Sprintf("Every target is met at the %s level with 95%% confidence at %s.", format.Level(sw.Level), strings.Join(all, "; ")))
	}
	if len(unstable) > 0 {
		s = append(s, fmt.Sprintf("Unstable, the queue growing without bound: %s.", strings.Join(unstable, "; ")))
	}
	return s
}

// wordBreaks escapes a field path for HTML, letting it break after each
// dot or closing bracket: tiers[0].<wbr>targets.<wbr>response.
func wordBreaks(path string) template.HTML {
	var b strings.Builder
	for _, r := range path {
		b.WriteString(template.HTMLEscapeString(string(r)))
		if r == '.' || r == ']' {
			b.WriteString("<wbr/>")
		}
	}
	return template.HTML(b.String())
}

// htmlFigures inlines each figure as SVG.
func htmlFigures(figs []*Figure) ([]htmlFigure, error) {
	out := make([]htmlFigure, len(figs))
	for i, f := range figs {
		inline, err := f.Inline()
		if err != nil {
			return nil, err
		}
		out[i] = htmlFigure{ID: "figure-" + f.Name, Title: f.Title, Caption: f.Caption, SVG: inline}
	}
	return out, nil
}

// svgNamespace matches the namespace declarations of the svg element.
var svgNamespace = regexp.MustCompile(`\s+xmlns(:\w+)?="[^"]*"`)

// inlineSVG turns a standalone SVG document into an element for an HTML
// page: without the XML prolog and comment, without namespace
// declarations (HTML does not need them, and a reader checking the page
// for addresses should find none), labelled for screen readers.
func inlineSVG(doc []byte, title string) (template.HTML, error) {
	s := string(doc)
	start := strings.Index(s, "<svg")
	end := strings.IndexByte(s[max(start, 0):], '>')
	if start < 0 || end < 0 {
		return "", fmt.Errorf("no svg element in the plot")
	}
	end += start
	open := svgNamespace.ReplaceAllString(s[start:end], "")
	open += fmt.Sprintf(` role="img" aria-label="%s"`, template.HTMLEscapeString(title))
	// The SVG is gonum/plot's, its texts escaped by it; nothing in it comes
	// from outside unescaped.
	return template.HTML(open + s[end:]), nil
}
