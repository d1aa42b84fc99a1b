package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// valid is a small scenario without problems; error cases replace parts of it.
const valid = `name: small
arrivals:
  volume: 240/day
tiers:
  - name: urgent
    share: 10%
    targets: {response: 15m, resolution: 4h}
    handling: {distribution: lognormal, mean: 1h, cv: 1.2}
  - name: routine
    share: 90%
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 30m}
agents: 8
`

// problems returns the problems Parse reports for src, formatted.
func problems(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse("test.yaml", []byte(src))
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Parse returned %T %v, want a *ValidationError", err, err)
	}
	var ps []string
	for _, p := range ve.Problems {
		ps = append(ps, p.String())
	}
	return ps
}

func TestParseValid(t *testing.T) {
	s, err := Parse("test.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
	if s.Name != "small" || s.File != "test.yaml" || len(s.Tiers) != 2 || s.Agents != 8 {
		t.Errorf("got %+v", s)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{{
		name: "unknown field with suggestion",
		src:  strings.Replace(valid, "agents: 8", "agnets: 8", 1),
		want: []string{
			"test.yaml:1: agents: missing; give the number of agents, such as agents: 12, or teams with their shifts",
			"test.yaml:13: agnets: unknown field; did you mean agents?",
		},
	}, {
		name: "unknown nested field",
		src:  strings.Replace(valid, "{response: 15m,", "{respond: 15m, response: 15m,", 1),
		want: []string{"test.yaml:7: tiers[0].targets.respond: unknown field; did you mean response?"},
	}, {
		name: "unknown field without a close match",
		src:  valid + "colour: blue\n",
		want: []string{"test.yaml:14: colour: unknown field; expected one of name, description, simulation, arrivals, calendars, tiers, agents, teams, automation, services, mean_targets, sizing, contract, roster"},
	}, {
		// An empty name once filled the section's own record, unseen.
		name: "empty field name",
		src:  strings.Replace(valid, "{response: 15m,", "{\"\": 1, response: 15m,", 1),
		want: []string{"test.yaml:7: tiers[0].targets: a field without a name; expected one of response, resolution, calendar, response_calendar, resolution_calendar, mean_response, mean_resolution"},
	}, {
		name: "repeated field",
		src:  valid + "agents: 9\n",
		want: []string{"test.yaml:14: agents: repeated; first given on line 13"},
	}, {
		name: "wrong types",
		src: valid + `simulation:
  horizon: 4
  replications: many
  seed: -1
  precision: [1]
`,
		want: []string{
			"test.yaml:15: simulation.horizon: must be a duration with a unit (s, m, h, d or w), such as 15m, 4h or 1d, got 4",
			"test.yaml:16: simulation.replications: must be a whole number, got many",
			"test.yaml:17: simulation.seed: must be a whole number from 0 to 18446744073709551615, got -1",
			"test.yaml:18: simulation.precision: must be a number or a percentage, got a list",
		},
	}, {
		name: "section of the wrong kind",
		src:  valid + "simulation: 4w\n",
		want: []string{"test.yaml:14: simulation: must be a mapping (field: value, one per line or in {}), got 4w"},
	}, {
		name: "field without a value",
		src:  valid + "simulation:\n  horizon:\n",
		want: []string{"test.yaml:15: simulation.horizon: has no value; give a duration such as 15m, 4h or 1d, or remove the field"},
	}, {
		name: "negative and zero durations",
		src: strings.Replace(valid, "{response: 1h, resolution: 1d}", "{response: -5m, resolution: 0}", 1) + `simulation:
  horizon: 0s
  warm_up: -1d
`,
		want: []string{
			"test.yaml:11: tiers[1].targets.response: must be > 0, got -5m",
			"test.yaml:11: tiers[1].targets.resolution: must be > 0, got 0",
			"test.yaml:15: simulation.horizon: must be > 0, got 0s",
			"test.yaml:16: simulation.warm_up: must be >= 0, got -1d",
		},
	}, {
		name: "bad duration syntax",
		src:  strings.Replace(valid, "mean: 30m", "mean: 30 min", 1),
		want: []string{`test.yaml:12: tiers[1].handling.mean: invalid duration "30 min": unknown unit " min": write a number and a unit s, m, h, d or w, e.g. 90s, 15m, 4h, 1h30m, 1d, 2w`},
	}, {
		name: "shares do not sum to 1",
		src:  strings.Replace(valid, "share: 90%", "share: 0.8", 1),
		want: []string{"test.yaml:5: tiers: shares must sum to 100%, got 90% (tiers[0].share + tiers[1].share)"},
	}, {
		name: "share out of range",
		src:  strings.Replace(valid, "share: 10%", "share: 0", 1),
		want: []string{"test.yaml:6: tiers[0].share: must be > 0 and <= 1 (100%), got 0"},
	}, {
		name: "share and rate",
		src:  strings.Replace(valid, "share: 10%", "share: 10%\n    rate: 1/h", 1),
		want: []string{"test.yaml:7: tiers[0].rate: give share or rate, not both"},
	}, {
		name: "neither share nor rate",
		src:  strings.Replace(valid, "    share: 10%\n", "", 1),
		want: []string{"test.yaml:5: tiers[0]: needs a share of arrivals.volume (share: 5%) or its own volume (rate: 2/h)"},
	}, {
		name: "shares without a volume",
		src:  strings.Replace(valid, "arrivals:\n  volume: 240/day\n", "", 1),
		want: []string{"test.yaml:1: arrivals.volume: missing; tiers with a share divide the total volume, such as arrivals: {volume: 150/day}"},
	}, {
		name: "bad volumes",
		src:  strings.Replace(strings.Replace(valid, "240/day", "240", 1), "share: 10%", "rate: -1/h", 1),
		want: []string{
			"test.yaml:3: arrivals.volume: must be a number of tickets per h, day, week or month, such as 150/day, got 240",
			"test.yaml:5: tiers: shares must sum to 100%, got 90% (tiers[1].share)",
			"test.yaml:6: tiers[0].rate: must be > 0, got -1/h",
		},
	}, {
		name: "tier without targets",
		src:  strings.Replace(valid, "    targets: {response: 15m, resolution: 4h}\n", "", 1),
		want: []string{"test.yaml:5: tiers[0].targets: missing; every tier needs targets, such as targets: {response: 1h, resolution: 1d}"},
	}, {
		name: "target missing",
		src:  strings.Replace(valid, "{response: 15m, resolution: 4h}", "{resolution: 4h}", 1),
		want: []string{"test.yaml:7: tiers[0].targets.response: missing; every tier needs a response target; resolution is optional"},
	}, {
		name: "duplicate and missing tier names",
		src:  strings.Replace(strings.Replace(valid, "name: routine", "name: urgent", 1), "  - name: urgent\n", "  - name: \"\"\n", 1),
		want: []string{"test.yaml:5: tiers[0].name: must not be empty"},
	}, {
		name: "duplicate tier names",
		src:  strings.Replace(valid, "name: routine", "name: urgent", 1),
		want: []string{"test.yaml:9: tiers[1].name: repeats the name of tiers[0]; tier names must be unique"},
	}, {
		name: "no tiers",
		src:  "agents: 3\ntiers: []\n",
		want: []string{"test.yaml:2: tiers: must list at least one tier"},
	}, {
		name: "tier that is not a mapping",
		src:  strings.Replace(valid, "tiers:\n", "tiers:\n  - urgent\n", 1),
		want: []string{"test.yaml:5: tiers[0]: must be a mapping (field: value, one per line or in {}), got urgent"},
	}, {
		name: "unknown distribution",
		src:  strings.Replace(valid, "distribution: lognormal", "distribution: lognormel", 1),
		want: []string{`test.yaml:8: tiers[0].handling.distribution: unknown distribution "lognormel"; did you mean lognormal?`},
	}, {
		name: "missing and extra distribution parameters",
		src:  strings.Replace(strings.Replace(valid, "mean: 1h, cv: 1.2", "mean: 1h", 1), "{mean: 30m}", "{mean: 30m, cv: 2}", 1),
		want: []string{
			"test.yaml:8: tiers[0].handling.cv: missing; lognormal takes mean and cv",
			"test.yaml:12: tiers[1].handling.cv: does not apply to exponential, which takes mean",
		},
	}, {
		name: "tier without handling",
		src:  strings.Replace(valid, "    handling: {mean: 30m}\n", "", 1),
		want: []string{"test.yaml:9: tiers[1].handling: missing; every tier needs a handling time, such as handling: {distribution: lognormal, mean: 1h, cv: 1}"},
	}, {
		name: "bad distribution parameters",
		src: strings.Replace(strings.Replace(valid, "{mean: 30m}", "{distribution: hyperexponential, probs: [0.5, 0.4], means: [10m, 0]}", 1),
			"distribution: lognormal, mean: 1h, cv: 1.2", "distribution: erlang, mean: 1h, phases: 0", 1),
		want: []string{
			"test.yaml:8: tiers[0].handling.phases: must be >= 1, got 0",
			"test.yaml:12: tiers[1].handling.probs: must sum to 1 (100%), got 90%",
			"test.yaml:12: tiers[1].handling.means[1]: must be > 0, got 0",
		},
	}, {
		name: "hyperexponential lengths differ",
		src:  strings.Replace(valid, "{mean: 30m}", "{distribution: hyperexponential, probs: [0.5, 0.5], means: [10m]}", 1),
		want: []string{"test.yaml:12: tiers[1].handling.means: must have one mean per probability: 1 mean, 2 probs"},
	}, {
		name: "empirical",
		src:  strings.Replace(valid, "{mean: 30m}", "{distribution: empirical, values: [0, 0s]}", 1),
		want: []string{"test.yaml:12: tiers[1].handling.values: must not all be 0"},
	}, {
		name: "profile of the wrong length and negative weights",
		src: strings.Replace(valid, "  volume: 240/day\n", `  volume: 240/day
  profile:
    by_day: {mon: 1, tue: 1, wed: 1, thu: 1, fri: 1, sat: -1, sunday: 1}
    by_hour: [1, 2, 3]
`, 1),
		want: []string{
			"test.yaml:5: arrivals.profile.by_day: missing sun: give a weight for every day, 0 for a day without tickets",
			"test.yaml:5: arrivals.profile.by_day.sat: must be >= 0, got -1",
			"test.yaml:5: arrivals.profile.by_day.sunday: unknown weekday; did you mean sun?",
			"test.yaml:6: arrivals.profile.by_hour: must have one weight per hour of the day (24), from 00:00; got 3",
		},
	}, {
		name: "weekly profile",
		src: strings.Replace(valid, "    share: 10%\n", `    share: 10%
    profile: {weekly: [1, 2], by_hour: [1]}
`, 1),
		want: []string{"test.yaml:7: tiers[0].profile.weekly: cannot be combined with by_day or by_hour: weekly gives the whole week"},
	}, {
		name: "all-zero profile",
		src:  strings.Replace(valid, "    share: 10%\n", "    share: 10%\n    profile: {weekly: ["+strings.Repeat("0, ", 167)+"0]}\n", 1),
		want: []string{"test.yaml:7: tiers[0].profile.weekly: weights must not all be 0: no tickets would arrive"},
	}, {
		name: "huge weights",
		src:  strings.Replace(valid, "    share: 10%\n", "    share: 10%\n    profile: {by_hour: ["+strings.Repeat("1e308, ", 23)+"1e308]}\n", 1),
		want: []string{"test.yaml:7: tiers[0].profile: weights are too large to add up; only their ratios matter, so scale them down"},
	}, {
		name: "volume too large",
		src:  strings.Replace(valid, "240/day", "2e6/h", 1),
		want: []string{"test.yaml:3: arrivals.volume: must be at most 1000000/h, got 2e6/h"},
	}, {
		name: "rates beyond the engine's limits",
		src:  strings.Replace(valid, "240/day", "1e6/h\n  scale: 1e10", 1),
		want: []string{"test.yaml:1: simulation.horizon: about 6720000000000000000 tickets arrive in a replication (10000000000000000 an hour over warm-up and horizon), more than the 1,000,000,000 a replication may simulate; shorten the horizon or the warm-up: for more confidence, add replications"},
	}, {
		name: "precision and replications",
		src:  valid + "simulation: {replications: 50, precision: 0.5%, max_replications: 20}\n",
		want: []string{"test.yaml:14: simulation.max_replications: must be >= replications (50), got 20"},
	}, {
		name: "precision and a cap of one",
		src:  valid + "simulation: {replications: 1, precision: 0.5%, max_replications: 1}\n",
		want: []string{"test.yaml:14: simulation.max_replications: must be at least 2 with precision: an interval needs two replications, got 1"},
	}, {
		name: "precision out of range",
		src:  valid + "simulation: {precision: 0}\n",
		want: []string{"test.yaml:14: simulation.precision: must be between 0 and 1 (100%), such as 0.5% or 0.005, got 0"},
	}, {
		name: "agents",
		src:  strings.Replace(valid, "agents: 8", "agents: 0", 1),
		want: []string{"test.yaml:13: agents: must be >= 1, got 0"},
	}, {
		name: "fractional agents",
		src:  strings.Replace(valid, "agents: 8", "agents: 7.5", 1),
		want: []string{"test.yaml:13: agents: must be a whole number, got 7.5"},
	}, {
		name: "number in quotes",
		src:  strings.Replace(valid, "cv: 1.2", `cv: "1.2"`, 1),
		want: []string{"test.yaml:8: tiers[0].handling.cv: must be a number, got 1.2 in quotes, which make it text"},
	}, {
		name: "too many agents",
		src:  strings.Replace(valid, "agents: 8", "agents: 2_000_000_000", 1),
		want: []string{"test.yaml:13: agents: must be at most 100000, got 2_000_000_000"},
	}, {
		name: "merge keys",
		src:  valid + "simulation:\n  <<: {seed: 2}\n",
		want: []string{"test.yaml:15: simulation: merge keys (<<) are not supported; use an alias for the whole section instead (handling: *name)"},
	}, {
		name: "several problems at once, in file order",
		src: `name: several
simulation:
  horizon: -5m
arrivals:
  volume: 100/day
tiers:
  - name: urgent
    share: 5%
    handling: {distribution: lognormal, mean: 1h}
  - name: high
    share: 15%
    targets: {response: -5m, resolution: 8h}
    handling: {mean: 1h}
agent: 12
`,
		want: []string{
			"test.yaml:1: agents: missing; give the number of agents, such as agents: 12, or teams with their shifts",
			"test.yaml:3: simulation.horizon: must be > 0, got -5m",
			"test.yaml:7: tiers: shares must sum to 100%, got 20% (tiers[0].share + tiers[1].share)",
			"test.yaml:7: tiers[0].targets: missing; every tier needs targets, such as targets: {response: 1h, resolution: 1d}",
			"test.yaml:9: tiers[0].handling.cv: missing; lognormal takes mean and cv",
			"test.yaml:12: tiers[1].targets.response: must be > 0, got -5m",
			"test.yaml:14: agent: unknown field; did you mean agents?",
		},
	}, {
		name: "empty file",
		src:  "# nothing here yet\n",
		want: []string{"test.yaml: file is empty; a scenario needs at least tiers and agents"},
	}, {
		name: "not a mapping",
		src:  "- a\n- b\n",
		want: []string{"test.yaml:1: a scenario is a mapping of fields (name:, tiers:, agents: …), got a list"},
	}, {
		name: "invalid YAML",
		src:  "tiers: [\n",
		want: []string{"test.yaml:1: invalid YAML: did not find expected node content"},
	}, {
		name: "two documents",
		src:  valid + "---\nagents: 3\n",
		want: []string{"test.yaml:14: a scenario file holds a single YAML document; remove the --- and what follows"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestRepeatedKeys: a key given twice is an error at the second, naming
// where the first was, in every mapping of the file: the schema's sections
// and each mapping the decoder reads by hand, whose keys are data (days,
// clock names). Those once took the last value given, or said only
// "repeated".
func TestRepeatedKeys(t *testing.T) {
	contract := journeyValid + "simulation: {horizon: 13w}\ncontract:\n  fee: {monthly: 1000}\n  tiers: [{tier: faults, clocks: {on site: 90%}}]\n"
	for _, tt := range []struct {
		name, src, old, new, want string
	}{
		{"a section's field", valid, "agents: 8\n", "agents: 8\nagents: 9\n",
			"test.yaml:14: agents: repeated; first given on line 13"},
		{"a calendar's hours", springFestival, "    hours: {mon-fri: \"09:00-18:00\"}\n", "    hours:\n      mon-fri: \"09:00-18:00\"\n      mon-fri: \"08:00-17:00\"\n",
			"test.yaml:7: calendars[0].hours.mon-fri: repeated; first given on line 6"},
		{"an extra working day's date", springFestival, "{date: 2024-02-18, as: fri}", "{date: 2024-02-18, as: fri, date: 2024-02-25}",
			"test.yaml:7: calendars[0].workdays[1].date: repeated; first given on line 7"},
		{"an extra working day's weekday", springFestival, "{date: 2024-02-18, as: fri}", "{date: 2024-02-18,\n      as: fri, as: sat}",
			"test.yaml:8: calendars[0].workdays[1].as: repeated; first given on line 8"},
		{"the profile's days", springFestival, "{mon: 2, tue: 1,", "{mon: 2,\n      mon: 3, tue: 1,",
			"test.yaml:13: arrivals.profile.by_day.mon: repeated; first given on line 12"},
		{"a contract's clock levels", contract, "{on site: 90%}", "{on site: 90%,\n    on site: 80%}",
			"test.yaml:20: contract.tiers[0].clocks.on site: repeated; first given on line 19"},
		// Keys those mappings cannot mean, reported as a section's are.
		{"a key that is a list", springFestival, "{mon-fri: ", "{[sat]: \"10:00-12:00\", mon-fri: ",
			"test.yaml:5: calendars[0].hours: keys must be plain words, got a list"},
		{"a key that is an alias", springFestival, "{mon: 2, tue: 1,", "{&d mon: 2, *d : 3, tue: 1,",
			"test.yaml:12: arrivals.profile.by_day: keys must be plain words, got an alias, *d"},
		{"a merge key", springFestival, "{mon-fri: ", "{<<: {sat: \"10:00-12:00\"}, mon-fri: ",
			"test.yaml:5: calendars[0].hours: merge keys (<<) are not supported; write the mapping out in full"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.src, tt.old) {
				t.Fatalf("%q is not in the scenario", tt.old)
			}
			if got := problems(t, strings.Replace(tt.src, tt.old, tt.new, 1)); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), tt.want)
			}
		})
	}
}

func TestProblemPosition(t *testing.T) {
	_, err := Parse("test.yaml", []byte(strings.Replace(valid, "cv: 1.2", "cv: 1.2, phase: 2", 1)))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 {
		t.Fatalf("got %v, want one problem", err)
	}
	want := Diagnostic{File: "test.yaml", Line: 8, Column: 60, Path: "tiers[0].handling.phase", Reason: "unknown field; did you mean phases?"}
	if p := ve.Problems[0]; p != want {
		t.Errorf("got %#v, want %#v", p, want)
	}
	if got, want := ve.Error(), want.String(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestWarnings(t *testing.T) {
	src := strings.Replace(valid, "agents: 8", "agents: 4", 1) + "simulation: {max_replications: 50}\n"
	src = strings.Replace(src, "{response: 1h, resolution: 1d}", "{response: 1h, resolution: 30m}", 1)
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.String())
	}
	want := []string{
		"test.yaml:11: tiers[1].targets.resolution: is shorter than the response target (1h); are the two swapped?",
		"test.yaml:13: agents: the offered load of 5.5 Erlangs (tickets per hour × mean handling hours) needs more than 4 agents: queues grow without bound, and a run reports the system unstable",
		"test.yaml:14: simulation.max_replications: has no effect without precision",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got warnings\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	// One agent is one.
	s, err = Parse("test.yaml", []byte(strings.Replace(valid, "agents: 8", "agents: 1", 1)))
	if err != nil || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].String(), "needs more than 1 agent: queues") {
		t.Errorf("one agent: %v, %v", err, s.Warnings)
	}
	// Tickets that may take longer than the drain.
	s, err = Parse("test.yaml", []byte(valid+"simulation: {drain: 2h}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].String() != "test.yaml:5: tiers[0].name: some of its tickets may need longer than the 2h drain (1h on average, with a coefficient of variation of 1.2): they will be open when the simulation stops, counted as breached with their times cut short; lengthen simulation.drain" {
		t.Errorf("a drain shorter than the work: %v", s.Warnings)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.yaml")
	if _, err := Load(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Load(missing file) = %v, want a not-exist error naming the file", err)
	}

	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(empty)
	var ve *ValidationError
	if !errors.As(err, &ve) || err.Error() != empty+": file is empty; a scenario needs at least tiers and agents" {
		t.Errorf("Load(empty file) = %v", err)
	}

	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("Load(directory) = %v, want an error naming it", err)
	}

	file := filepath.Join(dir, "team-a.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(valid, "name: small\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if s.File != file || s.Name != "team-a" {
		t.Errorf("Load: File %q, Name %q; want %q, team-a (from the file name)", s.File, s.Name, file)
	}
}

// TestDefaults checks the defaults that docs/scenarios.md promises.
func TestDefaults(t *testing.T) {
	s, err := Parse("min.yaml", []byte(`tiers:
  - name: all
    rate: 2/h
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 1h}
agents: 3
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Simulation{Start: staffing.Date{Year: 2024, Month: time.January, Day: 1}, Location: time.UTC,
		Horizon: 4 * week, AutoWarmUp: true, Drain: sim.DefaultDrain, Replications: 20, MaxReplications: 1000, Seed: 1}
	if !reflect.DeepEqual(s.Simulation, want) {
		t.Errorf("Simulation = %+v, want %+v", s.Simulation, want)
	}
	// warm_up: auto lays the timelines out a year before the window, for
	// the warm-up the run will detect.
	if m := s.Model(); !m.AutoWarmUp || m.WarmUp != MaxAutoWarmUp || !s.Epoch().Origin.Equal(time.Date(2023, time.January, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("auto warm-up: model %v, %v; epoch %v", m.AutoWarmUp, m.WarmUp, s.Epoch().Origin)
	}
	if s.Name != "min" || s.Description != "" || s.Arrivals.Scale != 1 || s.Arrivals.Volume != 0 || !s.Arrivals.Profile.Flat() {
		t.Errorf("got %+v", s)
	}
	tier := s.Tiers[0]
	if tier.Handling != (sim.Exponential{Mu: time.Hour}) || tier.Preempt || !tier.Profile.Flat() {
		t.Errorf("tier = %+v", tier)
	}
	if o := s.Options(); o.Seed != 1 || o.Replications != 20 || o.Precision != 0 || o.MaxReplications != 1000 {
		t.Errorf("Options() = %+v", o)
	}
}

func TestSimulationSettings(t *testing.T) {
	s, err := Parse("test.yaml", []byte(valid+`simulation:
  horizon: 2w
  warm_up: 0
  replications: 1_000
  precision: 0.5%
  max_replications: 5000
  seed: 18446744073709551615
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Simulation{Start: staffing.Date{Year: 2024, Month: time.January, Day: 1}, Location: time.UTC,
		Horizon: 2 * week, WarmUp: 0, Drain: sim.DefaultDrain, Replications: 1000, Precision: 0.005, MaxReplications: 5000, Seed: math.MaxUint64}
	if !reflect.DeepEqual(s.Simulation, want) {
		t.Errorf("Simulation = %+v, want %+v", s.Simulation, want)
	}
	o := s.Options()
	if o.Seed != want.Seed || o.Replications != 1000 || o.Precision != 0.005 || o.MaxReplications != 5000 {
		t.Errorf("Options() = %+v", o)
	}
	// Precision also reads as a plain share, and the cap follows the
	// replications when not given.
	s, err = Parse("test.yaml", []byte(valid+"simulation: {precision: 0.01, replications: 2000}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Simulation.Precision != 0.01 || s.Simulation.MaxReplications != 2000 {
		t.Errorf("Simulation = %+v", s.Simulation)
	}
}

// TestCheckSettings: a run with precision that would start above the
// file's max_replications is refused, at the field (without a line in a
// scenario changed by settings, whose lines are not the file's); a cap in
// the settings replaces the file's, and without a cap in the file the
// default rises to the replications the run starts with.
func TestCheckSettings(t *testing.T) {
	capped, err := Parse("test.yaml", []byte(valid+"simulation: {replications: 4, precision: 1%, max_replications: 6}\n"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Parse("test.yaml", []byte(valid+"simulation: {replications: 4, max_replications: 3}\n"))
	if err != nil {
		t.Fatal(err)
	}
	uncapped, err := Parse("test.yaml", []byte(valid+"simulation: {replications: 4, precision: 1%}\n"))
	if err != nil {
		t.Fatal(err)
	}
	varied, err := capped.With(Setting{Path: "agents", Value: "9"})
	if err != nil {
		t.Fatal(err)
	}
	const refused = "simulation.max_replications: must be at least the replications a run with precision starts with (%d), got %d: raise it, or start with fewer"
	for _, c := range []struct {
		name string
		s    *Scenario
		rs   RunSettings
		want string // the problem, or "" for none
	}{
		{"the file's", capped, RunSettings{}, ""},
		{"-r at the cap", capped, RunSettings{Replications: 6}, ""},
		{"-r above the cap", capped, RunSettings{Replications: 7}, "test.yaml:14: " + fmt.Sprintf(refused, 7, 6)},
		{"a cap by flag", capped, RunSettings{Replications: 7, MaxReplications: 7}, ""},
		{"varied", varied, RunSettings{Replications: 7}, "test.yaml: " + fmt.Sprintf(refused, 7, 6)},
		{"no precision", plain, RunSettings{}, ""},
		{"precision by flag", plain, RunSettings{Precision: 0.01}, "test.yaml:14: " + fmt.Sprintf(refused, 4, 3)},
		{"precision and -r by flag", plain, RunSettings{Precision: 0.01, Replications: 3}, ""},
		{"no cap", uncapped, RunSettings{Replications: 5000}, ""},
	} {
		err := c.s.CheckSettings(c.rs)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		// Every run is prepared under the same check.
		if _, _, err := c.s.Prepare(c.rs); (err != nil) != (c.want != "") {
			t.Errorf("%s: Prepare: %v", c.name, err)
		}
	}
}

// TestSetHorizon: a horizon set by a flag obeys the file's limits
// (warm-up + horizon + drain at most 20 years), and the model made after
// covers the new window.
func TestSetHorizon(t *testing.T) {
	s, err := Parse("test.yaml", []byte(valid+"simulation: {warm_up: 1w, drain: 8w}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		horizon time.Duration
		ok      bool
	}{{1031 * week, true}, {1032 * week, false}, {15250 * week, false}, {math.MaxInt64, false}, {0, false}, {-week, false}} {
		err := s.SetHorizon(c.horizon)
		if (err == nil) != c.ok {
			t.Errorf("SetHorizon(%v): %v", c.horizon, err)
		}
	}
	if s.Simulation.Horizon != 1031*week || s.Model().Horizon != 1031*week || s.End() != maxSimulated {
		t.Errorf("after the accepted horizon: %v, model %v, end %v", s.Simulation.Horizon, s.Model().Horizon, s.End())
	}
}

// TestTicketLimit: a replication simulates at most a billion tickets over
// its warm-up and horizon, in the file as with --horizon, and warm_up: auto
// takes only the weeks the horizon leaves. A million tickets an hour, the
// largest volume, reach a billion in 1,000 hours: 5 weeks and 6 days.
func TestTicketLimit(t *testing.T) {
	busiest := strings.Replace(valid, "240/day", "1e6/h", 1)
	for _, c := range []struct {
		sim  string
		want string // the problem, or "" for a valid file
	}{
		{"{horizon: 5w, warm_up: 0}", ""},
		{"{horizon: 5w, warm_up: 6d}", ""}, // 984 hours
		{"{horizon: 5w, warm_up: 7d}", "test.yaml:14: simulation.horizon: about 1008000000 tickets arrive in a replication (1000000 an hour over warm-up and horizon), more than the 1,000,000,000 a replication may simulate; shorten the horizon or the warm-up: for more confidence, add replications"},
		{"{horizon: 6w, warm_up: auto}", "test.yaml:14: simulation.horizon: about 1008000000 tickets arrive in a replication (1000000 an hour over warm-up and horizon), more than the 1,000,000,000 a replication may simulate; shorten the horizon or the warm-up: for more confidence, add replications"},
	} {
		got := strings.Join(problems(t, busiest+"simulation: "+c.sim+"\n"), "\n")
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.sim, got, c.want)
		}
	}
	// warm_up: auto may take 4 of the 4 weeks and 6 days a 1-week horizon
	// leaves; --horizon obeys the same limit.
	s, err := Parse("test.yaml", []byte(busiest+"simulation: {horizon: 1w, warm_up: auto}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Model().WarmUp; w != 4*week {
		t.Errorf("auto warm-up at most %v, want 4w", w)
	}
	if err := s.SetHorizon(6 * week); err == nil || !strings.Contains(err.Error(), "1,000,000,000") {
		t.Errorf("SetHorizon(6w) at a million tickets an hour: %v", err)
	}
	if err := s.SetHorizon(5 * week); err != nil || s.Model().WarmUp != 0 {
		t.Errorf("SetHorizon(5w): %v, auto warm-up at most %v, want 0", err, s.Model().WarmUp)
	}
}

func TestHandling(t *testing.T) {
	tests := []struct {
		spec string
		want sim.Distribution
	}{
		{"{mean: 1h}", sim.Exponential{Mu: time.Hour}},
		{"{distribution: exponential, mean: 20m}", sim.Exponential{Mu: 20 * time.Minute}},
		{"{distribution: deterministic, mean: 5m}", sim.Deterministic{Value: 5 * time.Minute}},
		{"{distribution: lognormal, mean: 1h30m, cv: 1.2}", sim.NewLogNormal(90*time.Minute, 1.2)},
		{"{distribution: gamma, mean: 2h, cv: 0.5}", sim.NewGamma(2*time.Hour, 0.5)},
		{"{distribution: erlang, mean: 1h, phases: 4}", sim.Erlang{Phases: 4, Mu: time.Hour}},
	}
	for _, tt := range tests {
		s, err := Parse("test.yaml", []byte(strings.Replace(valid, "{mean: 30m}", tt.spec, 1)))
		if err != nil {
			t.Errorf("%s: %v", tt.spec, err)
			continue
		}
		if got := s.Tiers[1].Handling; got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.spec, got, tt.want)
		}
	}

	s, err := Parse("test.yaml", []byte(strings.Replace(valid, "{mean: 30m}", "{distribution: hyperexponential, probs: [80%, 0.2], means: [20m, 2h]}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	h, ok := s.Tiers[1].Handling.(sim.HyperExponential)
	if !ok || !slices.Equal(h.Probs, []float64{0.8, 0.2}) || !slices.Equal(h.Means, []time.Duration{20 * time.Minute, 2 * time.Hour}) {
		t.Errorf("hyperexponential: got %#v", s.Tiers[1].Handling)
	}

	s, err = Parse("test.yaml", []byte(strings.Replace(valid, "{mean: 30m}", "{distribution: empirical, values: [0, 20m, 1h]}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := s.Tiers[1].Handling.(sim.Empirical)
	if !ok || !slices.Equal(e.Values, []time.Duration{0, 20 * time.Minute, time.Hour}) {
		t.Errorf("empirical: got %#v", s.Tiers[1].Handling)
	}
}

func TestProfile(t *testing.T) {
	parse := func(profile string) Profile {
		t.Helper()
		s, err := Parse("test.yaml", []byte(strings.Replace(valid, "  volume: 240/day\n", "  volume: 240/day\n  profile: "+profile+"\n", 1)))
		if err != nil {
			t.Fatalf("profile %s: %v", profile, err)
		}
		return s.Arrivals.Profile
	}
	checkMean := func(p Profile) {
		t.Helper()
		sum := 0.0
		for _, w := range p.Weights {
			sum += w
		}
		if mean := sum / float64(len(p.Weights)); math.Abs(mean-1) > 1e-12 {
			t.Errorf("mean weight %v, want 1", mean)
		}
	}

	if p := parse("{}"); !p.Flat() {
		t.Errorf("empty profile: got %+v, want flat", p)
	}

	// Weekdays twice as busy as the weekend: 5 days of 2 and 2 of 1 have
	// mean 12/7.
	p := parse("{by_day: {mon: 2, tue: 2, wed: 2, thu: 2, fri: 2, sat: 1, sun: 1}}")
	checkMean(p)
	if p.Interval != time.Hour || len(p.Weights) != 168 {
		t.Fatalf("by_day: interval %v, %d weights", p.Interval, len(p.Weights))
	}
	if got, want := p.Weights[0], 2/(12.0/7); math.Abs(got-want) > 1e-12 {
		t.Errorf("by_day: Monday 00:00 weight %v, want %v", got, want)
	}
	if got, want := p.Weights[167], 1/(12.0/7); math.Abs(got-want) > 1e-12 {
		t.Errorf("by_day: Sunday 23:00 weight %v, want %v", got, want)
	}

	// Day and hour weights multiply.
	hours := make([]string, 24)
	for i := range hours {
		hours[i] = "1"
	}
	hours[10] = "3"
	p = parse("{by_day: {mon: 0, tue: 1, wed: 1, thu: 1, fri: 1, sat: 1, sun: 1}, by_hour: [" + strings.Join(hours, ", ") + "]}")
	checkMean(p)
	if p.Weights[10] != 0 || p.Weights[24+10] != 3*p.Weights[24+9] {
		t.Errorf("by_day × by_hour: Monday 10:00 %v, Tuesday 10:00 %v, 09:00 %v", p.Weights[10], p.Weights[34], p.Weights[33])
	}

	// A quarter-hour weekly profile keeps its resolution.
	quarters := make([]string, 672)
	for i := range quarters {
		quarters[i] = "1"
	}
	quarters[1] = "5"
	p = parse("{weekly: [" + strings.Join(quarters, ", ") + "]}")
	checkMean(p)
	if p.Interval != 15*time.Minute || len(p.Weights) != 672 || math.Abs(p.Weights[1]-5*p.Weights[0]) > 1e-12 {
		t.Errorf("weekly 672: interval %v, %d weights", p.Interval, len(p.Weights))
	}
}

// TestModel checks the conversion to the engine's model, rates in
// particular: volume per hour × share × scale × normalised weight.
func TestModel(t *testing.T) {
	src := strings.Replace(valid, "  volume: 240/day\n", `  volume: 240/day
  scale: 150%
  profile: {by_day: {mon: 3, tue: 1, wed: 1, thu: 1, fri: 1, sat: 0, sun: 0}}
`, 1)
	src = strings.Replace(src, "    handling: {mean: 30m}\n", "    handling: {mean: 30m}\n    profile: {}\n", 1)
	src = strings.Replace(src, "agents: 8\n", `  - name: phone
    rate: 168/week
    targets: {response: 10s, resolution: 5m}
    handling: {distribution: deterministic, mean: 2m}
    preempt: true
agents: 8
simulation: {horizon: 2w, warm_up: 3d}
`, 1)
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if m.Agents != 8 || m.Horizon != 2*week || m.WarmUp != 3*day || m.WeekOffset != 0 || len(m.Tiers) != 3 {
		t.Fatalf("model %+v", m)
	}
	// 240/day is 10 an hour, × 1.5 is 15: urgent gets 10%, 1.5 an hour on
	// average; Monday's weight is 3 against a mean of 1, so 4.5 an hour.
	urgent := m.Tiers[0]
	if urgent.Name != "urgent" || urgent.Response != 15*time.Minute || urgent.Resolution != 4*time.Hour || urgent.Preempts {
		t.Errorf("urgent: %+v", urgent)
	}
	if a := urgent.Arrivals; a.Interval != time.Hour || len(a.Rates) != 168 ||
		math.Abs(a.Rates[0]-4.5) > 1e-12 || math.Abs(a.Rates[24]-1.5) > 1e-12 || a.Rates[167] != 0 || math.Abs(a.MeanRate()-1.5) > 1e-12 {
		t.Errorf("urgent arrivals: %v rates, Monday %v, Tuesday %v, Sunday %v, mean %v",
			len(a.Rates), a.Rates[0], a.Rates[24], a.Rates[167], a.MeanRate())
	}
	// The routine tier's own empty profile is flat: 90% of 15 an hour.
	if a := m.Tiers[1].Arrivals; len(a.Rates) != 1 || math.Abs(a.Rates[0]-13.5) > 1e-12 {
		t.Errorf("routine arrivals: %+v, want a constant 13.5/h", a)
	}
	// The phone tier has its own rate, 1 an hour, scaled too, and inherits
	// the arrivals profile.
	phone := m.Tiers[2]
	if a := phone.Arrivals; len(a.Rates) != 168 || math.Abs(a.MeanRate()-1.5) > 1e-12 || math.Abs(a.Rates[0]-4.5) > 1e-12 {
		t.Errorf("phone arrivals: mean %v, Monday %v", a.MeanRate(), a.Rates[0])
	}
	if !phone.Preempts || phone.Handling != (sim.Deterministic{Value: 2 * time.Minute}) || phone.Response != 10*time.Second {
		t.Errorf("phone: %+v", phone)
	}
	// Model reads the fields afresh.
	s.Agents, s.Arrivals.Scale = 20, 1
	if m := s.Model(); m.Agents != 20 || math.Abs(m.Tiers[1].Arrivals.Rates[0]-9) > 1e-12 {
		t.Errorf("after changes: %d agents, routine rate %v", m.Agents, m.Tiers[1].Arrivals.Rates[0])
	}
}

func TestVolumeUnits(t *testing.T) {
	for in, perHour := range map[string]float64{
		"2/h":          2,
		"2/hour":       2,
		"48/day":       2,
		"48/d":         2,
		"336/week":     2,
		"336/w":        2,
		"1461/month":   2, // 365.25/12 days of 24 hours: 730.5 hours
		" 1.5 / hour ": 1.5,
	} {
		s, err := Parse("test.yaml", []byte(strings.Replace(valid, "240/day", "'"+in+"'", 1)))
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := s.Arrivals.Volume; math.Abs(got-perHour) > 1e-12 {
			t.Errorf("%q: %v per hour, want %v", in, got, perHour)
		}
	}
}

func TestAliases(t *testing.T) {
	s, err := Parse("test.yaml", []byte(`arrivals: {volume: 10/h}
tiers:
  - name: a
    share: 50%
    targets: &targets {response: 1h, resolution: 4h}
    handling: &handling {distribution: lognormal, mean: 1h, cv: 1}
  - name: b
    share: 50%
    targets: *targets
    handling: *handling
agents: 12
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Tiers[1].Targets != s.Tiers[0].Targets || s.Tiers[1].Handling != s.Tiers[0].Handling {
		t.Errorf("tiers %+v", s.Tiers)
	}
}

func TestSuggestion(t *testing.T) {
	known := []string{"horizon", "warm_up", "replications", "precision", "max_replications", "seed"}
	for in, want := range map[string]string{
		"warmup":       "; did you mean warm_up?",
		"Horizon":      "; did you mean horizon?",
		"replication":  "; did you mean replications?",
		"sed":          "; did you mean seed?",
		"colour":       "; expected one of horizon, warm_up, replications, precision, max_replications, seed",
		"max_replicas": "; did you mean max_replications?",
		"prec":         "; did you mean precision?",
		"rep":          "; did you mean replications?",
	} {
		if got := suggestion(in, known); got != want {
			t.Errorf("suggestion(%q) = %q, want %q", in, got, want)
		}
	}
}
