package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim/queueing"
)

const erlangExamples = `  # 100 calls in half an hour, 3 minutes each: agents for 80% within 20s
  slasim erlang --calls 100 --interval 30m --aht 3m --target 20s \
      --service-level 80% --shrinkage 30% --max-occupancy 85%
  # The erlang-c example scenario, 9 to 14 agents
  slasim erlang --calls 9 --aht 1h --target 1h --agents 9..14
  # Callers who hang up after 2 minutes on average: Erlang A
  slasim erlang --calls 100 --interval 30m --aht 3m --target 20s \
      --agents 12 --patience 2m --json
`

// maxErlangRows bounds the agents one --agents range may ask about;
// maxErlangAgents the agents of a row (the most offered load a calculation
// takes needs about as many); maxErlangWork the agents of all rows
// together, for a row costs a few operations per agent (10^7 take a
// second or two).
const (
	maxErlangRows   = 1000
	maxErlangAgents = int(queueing.MaxCallCentreLoad)
	maxErlangWork   = 10_000_000
)

// erlangTask is slasim erlang: the Erlang C (or A) calculator.
type erlangTask struct {
	cc queueing.CallCentre
	// goal, when > 0, asks for the fewest agents meeting it; from..to are
	// the agents to evaluate (0: around the fewest).
	goal     float64
	from, to int
	json     bool
}

func erlangFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	calls := fs.Float64("calls", 0, "calls, tickets or chats offered in the interval (required)")
	interval := fs.String("interval", "1h", "the planning interval, a `DURATION` such as 30m or 1h")
	aht := fs.String("aht", "", "average handling time, talk and wrap-up, a `DURATION` such as 3m or 180s (required)")
	target := fs.String("target", "", "answer-time target of the service level, a `DURATION` such as 20s (required)")
	goal := fs.String("service-level", "", "the `SHARE` to answer within the target, e.g. 80%: find the fewest agents")
	agents := fs.String("agents", "", "evaluate these agents, `N` or a range FROM..TO")
	shrinkage := fs.String("shrinkage", "0", "the `SHARE` of paid time not on calls (breaks, meetings, training), e.g. 30%")
	occupancy := fs.String("max-occupancy", "", "the highest `SHARE` of time agents may be busy, e.g. 85% (default: no cap)")
	patience := fs.String("patience", "", "mean time callers wait before hanging up, a `DURATION`: Erlang A (default: they never do, Erlang C)")
	t := &erlangTask{}
	fs.BoolVar(&t.json, "json", false, "print the result as JSON (schema "+reports.ErlangSchemaVersion+")")
	return func(args []string) (task, error) {
		if len(args) > 0 {
			return nil, usagef("erlang takes no arguments, got %s", strings.Join(args, " "))
		}
		for _, name := range []string{"calls", "aht", "target"} {
			if !fs.Changed(name) {
				return nil, usagef("erlang needs --calls, --aht and --target; --%s is missing", name)
			}
		}
		if !fs.Changed("service-level") && !fs.Changed("agents") {
			return nil, usagef("give --service-level to find the agents it needs, or --agents to see what they achieve")
		}
		t.cc.Calls = *calls
		duration := func(flag, s string, zero bool) (float64, error) {
			d, err := scenarios.ParseDuration(s)
			if err != nil || d < 0 || d == 0 && !zero {
				return 0, usagef("--%s must be a duration such as 20s, 3m or 1h, got %q", flag, s)
			}
			return d.Seconds(), nil
		}
		share := func(flag, s string) (float64, error) {
			v, err := parseShare(s)
			if err != nil {
				return 0, usagef("--%s: %v", flag, err)
			}
			return v, nil
		}
		var err error
		if t.cc.Interval, err = duration("interval", *interval, false); err != nil {
			return nil, err
		}
		if t.cc.HandlingTime, err = duration("aht", *aht, false); err != nil {
			return nil, err
		}
		if t.cc.Target, err = duration("target", *target, true); err != nil {
			return nil, err
		}
		if fs.Changed("patience") {
			if t.cc.Patience, err = duration("patience", *patience, false); err != nil {
				return nil, err
			}
		}
		if t.cc.Shrinkage, err = share("shrinkage", *shrinkage); err != nil {
			return nil, err
		}
		if fs.Changed("max-occupancy") {
			if t.cc.MaxOccupancy, err = share("max-occupancy", *occupancy); err != nil {
				return nil, err
			}
			if t.cc.MaxOccupancy == 0 {
				return nil, usagef("--max-occupancy must be above 0, got %q", *occupancy)
			}
		}
		if err := t.cc.Validate(); err != nil {
			return nil, usagef("%v", strings.TrimPrefix(err.Error(), "queueing: invalid parameters: "))
		}
		if fs.Changed("service-level") {
			if t.goal, err = share("service-level", *goal); err != nil {
				return nil, err
			}
			if !(t.goal > 0 && t.goal < 1) {
				return nil, usagef("--service-level must be a share between 0 and 100%%, got %q", *goal)
			}
		}
		if fs.Changed("agents") {
			if t.from, t.to, err = agentRange(*agents); err != nil {
				return nil, err
			}
		}
		return t, nil
	}
}

// agentRange reads N or FROM..TO.
func agentRange(s string) (from, to int, err error) {
	lo, hi, isRange := strings.Cut(s, "..")
	from, err1 := strconv.Atoi(strings.TrimSpace(lo))
	to = from
	var err2 error
	if isRange {
		to, err2 = strconv.Atoi(strings.TrimSpace(hi))
	}
	switch {
	case err1 != nil || err2 != nil || from < 1 || to < from:
		return 0, 0, usagef("--agents must be a number of agents >= 1 or a range such as 10..14, got %q", s)
	case to-from >= maxErlangRows:
		return 0, 0, usagef("--agents %s asks for %d rows, at most %d", s, to-from+1, maxErlangRows)
	case to > maxErlangAgents:
		return 0, 0, usagef("--agents %s: at most %d agents", s, maxErlangAgents)
	case (to-from+1)*to > maxErlangWork:
		return 0, 0, usagef("--agents %s asks for %d rows of up to %d agents, at most %d agents over all rows: ask for fewer rows", s, to-from+1, to, maxErlangWork)
	}
	return from, to, nil
}

func (t *erlangTask) stopping() string { return "stopping: nothing is printed" }

func (t *erlangTask) run(e *env) error {
	var required *queueing.Performance
	from, to := t.from, t.to
	if t.goal > 0 {
		p, err := t.cc.AgentsFor(t.goal)
		if err != nil {
			return usageError{err}
		}
		required = &p
		if from == 0 {
			from, to = max(1, p.Agents-3), max(1, p.Agents+3)
		}
	}
	var rows []queueing.Performance
	for n := from; n <= to; n++ {
		if err := context.Cause(e.ctx); err != nil {
			return err
		}
		p, err := t.cc.Evaluate(n)
		if err != nil {
			return fmt.Errorf("%d %s: %w", n, plural.Of(n, "agent", "agents"), err)
		}
		rows = append(rows, p)
	}
	doc := reports.NewErlang(slasimVersion(), t.cc, t.goal, rows, required)
	if t.json {
		return doc.WriteJSON(e.stdout)
	}
	return e.fitted(doc.WriteText)(e.stdout)
}
