package sweep

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/scenarios"
)

// Limits that keep a mistyped range from starting a week-long sweep.
const (
	MaxValues = 100 // values of one axis
	MaxPoints = 400 // points of a sweep
)

// An Axis is one varied setting: the field and the values it takes, in
// order.
type Axis struct {
	// Path names the field as messages do: agents, arrivals.scale,
	// tiers[0].targets.response.
	Path string
	// Numeric is set when the values are all plain numbers, all
	// percentages, all durations or all volumes per the same period; Unit
	// then says what Value.X measures: "" for plain numbers, "%", "minutes",
	// "hours" or "days" (durations, by the longest), or "tickets per day".
	// Other values (distributions' names) are categories, in the order
	// given.
	Numeric bool
	Unit    string
	Values  []Value
}

// A Value is one value of an axis.
type Value struct {
	// Text is the value as it goes into the file: 12, 1.1, 5%, 30m,
	// 150/day.
	Text string
	// X is the value in the axis's Unit; 0 on a categorical axis.
	X float64
}

// Texts lists the values as written.
func (a *Axis) Texts() []string {
	ts := make([]string, len(a.Values))
	for i, v := range a.Values {
		ts[i] = v.Text
	}
	return ts
}

// ParseAxis reads PATH=VALUES: a comma-separated list whose items may be
// ranges FROM..TO[:STEP] of numbers, percentages, volumes (step 1 unless
// given, as many decimals as the widest bound) or durations (a step is
// needed).
func ParseAxis(s string) (Axis, error) {
	path, list, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" || strings.TrimSpace(list) == "" {
		return Axis{}, errors.New("give a field and its values as PATH=VALUES, such as agents=8..12 or arrivals.scale=0.9,1,1.1")
	}
	var values []string
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return Axis{}, errors.New("an empty value; separate values with single commas")
		}
		vs := []string{item}
		if strings.Contains(item, "..") {
			var err error
			if vs, err = expandRange(item); err != nil {
				return Axis{}, err
			}
		}
		for _, v := range vs {
			if slices.Contains(values, v) {
				return Axis{}, fmt.Errorf("%s is given twice", v)
			}
			values = append(values, v)
			if len(values) > MaxValues {
				return Axis{}, fmt.Errorf("more than %d values", MaxValues)
			}
		}
	}
	a := Axis{Path: path, Values: make([]Value, len(values))}
	xs, unit, numeric := numbers(values)
	a.Numeric, a.Unit = numeric, unit
	for i, v := range values {
		a.Values[i].Text = v
		if numeric {
			a.Values[i].X = xs[i]
		}
	}
	return a, nil
}

// rangeNumber is a number and what follows it: nothing, %, or a period
// such as /day.
var rangeNumber = regexp.MustCompile(`^([0-9]*\.?[0-9]+)\s*(%|/\s*[a-z]+)?$`)

// expandRange expands FROM..TO[:STEP].
func expandRange(item string) ([]string, error) {
	from, rest, _ := strings.Cut(item, "..")
	to, step, hasStep := strings.Cut(rest, ":")
	from, to, step = strings.TrimSpace(from), strings.TrimSpace(to), strings.TrimSpace(step)
	bad := fmt.Errorf("%q is not a range; write FROM..TO or FROM..TO:STEP, such as 8..12, 0.8..1.2:0.1, 90%%..99%%:1%% or 15m..1h:15m", item)
	if mf, mt := rangeNumber.FindStringSubmatch(from), rangeNumber.FindStringSubmatch(to); mf != nil && mt != nil {
		unit := mf[2]
		if mt[2] != unit {
			return nil, fmt.Errorf("%q: both ends need the same unit", item)
		}
		stepText := "1"
		if hasStep {
			ms := rangeNumber.FindStringSubmatch(step)
			if ms == nil || ms[2] != "" && ms[2] != unit {
				return nil, bad
			}
			stepText = ms[1]
		}
		lo, _ := strconv.ParseFloat(mf[1], 64)
		hi, _ := strconv.ParseFloat(mt[1], 64)
		inc, _ := strconv.ParseFloat(stepText, 64)
		decimals := max(decimalPlaces(mf[1]), decimalPlaces(mt[1]), decimalPlaces(stepText))
		return steps(item, lo, hi, inc, func(x float64) string { return strconv.FormatFloat(x, 'f', decimals, 64) + unit })
	}
	lo, err1 := scenarios.ParseDuration(from)
	hi, err2 := scenarios.ParseDuration(to)
	if err1 != nil || err2 != nil {
		return nil, bad
	}
	if !hasStep {
		return nil, fmt.Errorf("%q: a range of durations needs a step, such as %s..%s:15m", item, from, to)
	}
	inc, err := scenarios.ParseDuration(step)
	if err != nil {
		return nil, bad
	}
	return steps(item, float64(lo), float64(hi), float64(inc), func(x float64) string {
		return scenarios.FormatDuration(time.Duration(math.Round(x)))
	})
}

// steps lists lo, lo+inc, … up to hi, formatted.
func steps(item string, lo, hi, inc float64, format func(float64) string) ([]string, error) {
	n := math.Floor((hi-lo)/inc+1e-9) + 1
	switch {
	case !(inc > 0):
		return nil, fmt.Errorf("%q: the step must be > 0", item)
	case hi < lo:
		return nil, fmt.Errorf("%q: the range goes down; write the smaller value first", item)
	case !(n <= MaxValues):
		return nil, fmt.Errorf("%q gives %.0f values; at most %d", item, n, MaxValues)
	}
	// Count the values first and the steps rather than add them up: the
	// sum can drift, or stay put (1e31 + 1 is 1e31 in floating point).
	vs := make([]string, int(n))
	for i := range vs {
		vs[i] = format(lo + float64(i)*inc)
	}
	return vs, nil
}

func decimalPlaces(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// numbers reads values that are all plain numbers, all percentages, all
// durations or all volumes per the same period, and names their unit.
func numbers(values []string) (xs []float64, unit string, ok bool) {
	read := func(parse func(string) (float64, bool)) bool {
		xs = xs[:0]
		for _, v := range values {
			x, ok := parse(strings.TrimSpace(v))
			if !ok {
				return false
			}
			xs = append(xs, x)
		}
		return true
	}
	number := func(s string) (float64, bool) {
		x, err := strconv.ParseFloat(s, 64)
		return x, err == nil && !math.IsInf(x, 0) && !math.IsNaN(x)
	}
	switch {
	case read(number):
		return xs, "", true
	case read(func(s string) (float64, bool) {
		v, isPct := strings.CutSuffix(s, "%")
		x, ok := number(strings.TrimSpace(v))
		return x, ok && isPct
	}):
		return xs, "%", true
	case read(func(s string) (float64, bool) {
		d, err := scenarios.ParseDuration(s)
		return float64(d), err == nil
	}):
		unit, size := "minutes", time.Minute
		switch longest := time.Duration(slices.Max(xs)); {
		case longest >= 3*24*time.Hour:
			unit, size = "days", 24*time.Hour
		case longest >= 2*time.Hour:
			unit, size = "hours", time.Hour
		}
		for i := range xs {
			xs[i] /= float64(size)
		}
		return xs, unit, true
	}
	_, per, _ := strings.Cut(values[0], "/")
	if per != "" && read(func(s string) (float64, bool) {
		n, p, found := strings.Cut(s, "/")
		x, ok := number(strings.TrimSpace(n))
		return x, ok && found && strings.TrimSpace(p) == strings.TrimSpace(per)
	}) {
		return xs, "tickets per " + strings.TrimSpace(per), true
	}
	return nil, "", false
}

// Grid lists every combination of the axes' values as settings, the last
// axis varying fastest; more than MaxPoints is an error.
func Grid(axes []Axis) ([][]scenarios.Setting, error) {
	n := 1
	for _, a := range axes {
		n *= len(a.Values)
	}
	if n > MaxPoints {
		return nil, fmt.Errorf("the sweep has %d points; at most %d", n, MaxPoints)
	}
	grid := [][]scenarios.Setting{nil}
	for _, a := range axes {
		var next [][]scenarios.Setting
		for _, g := range grid {
			for _, v := range a.Values {
				next = append(next, append(slices.Clone(g), scenarios.Setting{Path: a.Path, Value: v.Text}))
			}
		}
		grid = next
	}
	return grid, nil
}

// Label names a point by its settings: agents=10, arrivals.scale=1.1.
func Label(settings []scenarios.Setting) string {
	parts := make([]string, len(settings))
	for i, s := range settings {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}
