package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing/promise"
)

const promiseExamples = `  slasim promise contract              # targets met in 95% of months; credits
  slasim promise erlang-c --share 90% --horizon 26w
  slasim promise desk.yaml --period week --level 90%
  slasim promise fault-levels --period week   # named clocks too (on site)
  slasim promise erlang-c --ladder 30m,1h,2h,4h --json > promise.json
  slasim promise contract --html promise.html   # the table as a web page too
`

// promiseTask is slasim promise: what the staffing as it is can promise.
type promiseTask struct {
	scenario string
	sets     []scenarios.Setting
	settings scenarios.RunSettings
	question promise.Question
	// level, when set, replaces every clock's level.
	level *float64
	json  bool
	html  string
}

func promiseFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	share := fs.String("share", promiseDefaults.share, "the `SHARE` of periods that must meet the level within the promised target")
	confidence := fs.String("confidence", promiseDefaults.confidence, "the confidence `SHARE` of the interval whose lower end must reach --share")
	level := fs.String("level", "", "the `SHARE` of a period's tickets within the target, for every clock, named clocks included (default: the contract's levels, else sizing.level and sizing.tiers, 95%)")
	fs.String("period", promiseDefaults.period, "the period judged: day, week or month (whole ones in the measured window)")
	ladder := fs.String("ladder", promiseDefaults.ladder, "the targets to choose from, `LIST` of increasing durations")
	var sets []string
	fs.StringArrayVar(&sets, "set", nil, "set the field at PATH to VALUE first (`PATH=VALUE`, repeatable), e.g. 'teams[0].shifts[0].agents=9'")
	t := &promiseTask{}
	var seed uint64
	fs.IntVarP(&t.settings.Replications, "replications", "r", 0, "number of replications (default: the scenario's)")
	fs.Uint64Var(&seed, "seed", 0, "master seed; the same seed gives the same output (default: the scenario's)")
	fs.IntVarP(&t.settings.Workers, "workers", "w", 0, "replications simulated at once (default: one per CPU); never changes the output")
	horizon := fs.String("horizon", "", "length of the measured window, e.g. 26w (default: the scenario's); it must hold whole periods")
	fs.BoolVar(&t.json, "json", false, "print the result as JSON (schema "+reports.PromiseSchemaVersion+", see docs/promise.md)")
	fs.StringVar(&t.html, "html", "", "also write the table as a self-contained HTML page to `FILE` (- for standard output, instead of the text)")
	return func(args []string) (task, error) {
		var err error
		if t.scenario, err = scenarioArg("promise", args); err != nil {
			return nil, err
		}
		for _, s := range sets {
			path, v, ok := strings.Cut(s, "=")
			if !ok || path == "" {
				return nil, usagef("--set takes PATH=VALUE, such as agents=12, got %q", s)
			}
			t.sets = append(t.sets, scenarios.Setting{Path: strings.TrimSpace(path), Value: strings.TrimSpace(v)})
		}
		ask := promiseAsk{period: fs.Lookup("period").Value.String(), share: *share, confidence: *confidence, ladder: *ladder}
		if fs.Changed("level") {
			ask.level = level
		}
		if t.question, t.level, err = ask.read(); err != nil {
			return nil, err
		}
		if t.settings.Replications < 0 || fs.Changed("replications") && t.settings.Replications == 0 {
			return nil, usagef("--replications must be at least 1, got %d", t.settings.Replications)
		}
		if fs.Changed("workers") && t.settings.Workers <= 0 {
			return nil, usagef("--workers must be > 0, got %d", t.settings.Workers)
		}
		if fs.Changed("seed") {
			t.settings.Seed = &seed
		}
		if fs.Changed("horizon") {
			h, err := scenarios.ParseDuration(*horizon)
			if err != nil || h <= 0 {
				return nil, usagef("--horizon must be a duration > 0 such as 26w, got %q", *horizon)
			}
			t.settings.Horizon = h
		}
		return t, nil
	}
}

// promiseDefaults is what a promise asks unless told otherwise, on the
// command line and on the desk.
var promiseDefaults = promiseAsk{period: "month", share: "95%", confidence: "95%", ladder: "5m,10m,15m,30m,1h,2h,4h,8h,1d"}

// promiseAsk is a promise's question as text, as slasim promise's flags
// and the desk's promise form give it; level is nil when not given.
type promiseAsk struct {
	period, share, confidence, ladder string
	level                             *string
}

// read checks the ask and reads it: the question, and the level for every
// clock when one is given (else the scenario's levels, promiseLevels). A
// value it refuses is an *askError naming its flag.
func (a promiseAsk) read() (q promise.Question, level *float64, err error) {
	q.Period = a.period
	for _, s := range []struct {
		flag, value string
		into        *float64
	}{{"share", a.share, &q.Share}, {"confidence", a.confidence, &q.Confidence}} {
		if *s.into, err = parseShare(s.value); err != nil {
			return q, nil, askErrorf(s.flag, "%v", err)
		}
	}
	if a.level != nil {
		l, err := parseShare(*a.level)
		switch {
		case err != nil:
			return q, nil, askErrorf("level", "%v", err)
		case !(l > 0 && l <= 1):
			return q, nil, askErrorf("level", "must be a share above 0 and at most 100%%, got %q", *a.level)
		}
		level = &l
	}
	if q.Ladder, err = parseLadder(a.ladder); err != nil {
		return q, nil, &askError{flag: "ladder", err: err}
	}
	// The levels come with the scenario; check the rest now.
	if err := q.Check(0); err != nil {
		var qe *promise.QuestionError
		if errors.As(err, &qe) {
			return q, nil, askErrorf(strings.ToLower(qe.Field), "%v", err)
		}
		return q, nil, usagef("%v", err)
	}
	return q, level, nil
}

// An askError is what is wrong with a promise's question, at one of its
// values: flag names it as slasim promise's flag and the page's promise
// form have it. It is a usageError.
type askError struct {
	flag string
	err  error
}

func (e *askError) Error() string { return e.err.Error() }
func (e *askError) Unwrap() error { return e.err }

// askErrorf is an askError at flag, its message prefixed with the flag.
func askErrorf(flag, format string, a ...any) error {
	return &askError{flag: flag, err: usagef("--%s: %s", flag, fmt.Sprintf(format, a...))}
}

// parseLadder reads a comma-separated list of increasing durations.
func parseLadder(s string) ([]time.Duration, error) {
	parts := strings.Split(s, ",")
	if len(parts) > promise.MaxRungs {
		return nil, usagef("--ladder has %d targets, at most %d", len(parts), promise.MaxRungs)
	}
	var ladder []time.Duration
	for _, p := range parts {
		d, err := scenarios.ParseDuration(strings.TrimSpace(p))
		if err != nil || d <= 0 {
			return nil, usagef("--ladder: %q is not a duration > 0 such as 15m or 4h", strings.TrimSpace(p))
		}
		if n := len(ladder); n > 0 && d <= ladder[n-1] {
			return nil, usagef("--ladder must increase: %s after %s", strings.TrimSpace(p), scenarios.FormatDuration(ladder[n-1]))
		}
		ladder = append(ladder, d)
	}
	return ladder, nil
}

func (t *promiseTask) stopping() string {
	return "stopping: nothing is promised on a partial run, and nothing written"
}

func (t *promiseTask) run(e *env) error {
	if err := checkOutputs(outPath{flag: "html", path: t.html}); err != nil {
		return err
	}
	sc, err := openScenario(e, t.scenario, t.sets...)
	if err != nil {
		return err
	}
	e.warn(sc)
	rs := t.settings
	rs.Workers = e.workers(rs.Workers)
	bar := e.progressBar("")
	if bar != nil {
		rs.Progress = bar.update
	}
	doc, err := promiseScenario(e.ctx, sc, t.question, t.level, rs)
	bar.clear()
	if err != nil {
		return err
	}
	if t.html != stdoutPath {
		write := e.fitted(doc.WriteText)
		if t.json {
			write = doc.WriteJSON
		}
		if err := write(e.stdout); err != nil {
			return err
		}
	}
	if t.html != "" {
		return e.writeFiles(outFile{t.html, doc.WriteHTML})
	}
	return nil
}

// promiseLevels are the levels each clock of m, sc's model, is promised
// at: level for every clock when given; else on response and resolution
// the contract's levels when it sets either for the tier, else the sizing
// section's; on a named clock the contract's level on it when it sets
// one, else sizing.level (the level of every clock, 95% by default), as
// on the updates clock (updates, by tier), on which a contract sets none.
func promiseLevels(sc *scenarios.Scenario, m *sim.Model, level *float64) (levels []contract.Levels, updates []float64) {
	levels = make([]contract.Levels, len(sc.Tiers))
	updates = make([]float64, len(sc.Tiers))
	names := m.ClockNames()
	for i := range levels {
		named := sc.Sizing.Level
		switch {
		case level != nil:
			levels[i] = contract.Levels{Response: *level, Resolution: *level}
			named = *level
		case i < len(sc.Sizing.Levels):
			levels[i] = sc.Sizing.Levels[i]
		}
		updates[i] = named
		var written []float64
		if sc.Contract != nil && i < len(sc.Contract.Levels) && level == nil {
			l := sc.Contract.Levels[i]
			if l.Response > 0 || l.Resolution > 0 {
				levels[i].Response, levels[i].Resolution = l.Response, l.Resolution
			}
			written = l.Clocks
		}
		levels[i].Clocks = make([]float64, len(names))
		for _, c := range m.Tiers[i].Clocks {
			j := slices.Index(names, c.Name)
			levels[i].Clocks[j] = named
			if j < len(written) && written[j] > 0 {
				levels[i].Clocks[j] = written[j]
			}
		}
	}
	return levels, updates
}

// promiseScenario runs sc once with the question's collectors, its levels
// those of promiseLevels, and returns the report of what it can promise.
func promiseScenario(ctx context.Context, sc *scenarios.Scenario, q promise.Question, level *float64, rs scenarios.RunSettings) (*reports.Promise, error) {
	// Results by the period asked for lay the days out; they change no
	// other figure and draw no random number.
	sc.Simulation.Periods = []string{q.Period}
	m, opts, err := sc.Prepare(rs)
	if err != nil {
		return nil, usageError{err}
	}
	q.Levels, q.Updates = promiseLevels(sc, m, level)
	cp, err := sc.ContractPlan(m)
	if err != nil {
		return nil, usageError{err}
	}
	p, err := promise.NewPlan(m, q, cp)
	if err != nil {
		return nil, usagef("%v: lengthen the measured window (--horizon) or judge shorter periods (--period)", err)
	}
	opts.Collector = p.NewCollector
	res, err := sim.Run(ctx, m, opts)
	switch {
	case err != nil:
		return nil, err
	case res.Unstable != nil:
		return nil, fmt.Errorf("the system is unstable, nothing can be promised: %s", res.Unstable.Reason())
	case res.Partial:
		return nil, fmt.Errorf("interrupted after %d of %d %s: nothing is promised on a partial run", res.Summary.Replications, res.Planned, plural.Of(res.Planned, "replication", "replications"))
	}
	a, err := p.Answer(res.Collected)
	if err != nil {
		return nil, err
	}
	return reports.NewPromise(reports.PromiseMeta{Version: slasimVersion(), Scenario: sc.Name, File: sc.Source(), Seed: res.Seed, Model: m}, a), nil
}
