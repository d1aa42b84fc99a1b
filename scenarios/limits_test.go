package scenarios

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// TestLimitProblems checks the problems of files just beyond a limit, each
// naming the line, the field and the limit, and that files at the limit
// pass.
func TestLimitProblems(t *testing.T) {
	urgentHandling := "{distribution: lognormal, mean: 1h, cv: 1.2}"
	for _, tt := range []struct {
		name, src string
		want      []string
	}{
		{"the largest seed", valid + "simulation: {seed: 18446744073709551615}\n", nil},
		// YAML reads it as a float, which would become seed 2^63.
		{"a seed beyond 2^64-1", valid + "simulation: {seed: 18446744073709551616}\n", []string{
			"test.yaml:14: simulation.seed: must be a whole number from 0 to 18446744073709551615, got 18446744073709551616",
		}},
		{"a seed written as a float", valid + "simulation: {seed: 1e19}\n", nil},
		// YAML reads a whole number beyond 64 bits as a float: it is out of
		// range, not "not a whole number".
		{"agents beyond 2^63", strings.Replace(valid, "agents: 8", "agents: 10000000000000000000000000000000", 1), []string{
			"test.yaml:13: agents: must be from 1 to 100000, got 10000000000000000000000000000000",
		}},
		{"agents of -2^70", strings.Replace(valid, "agents: 8", "agents: -1180591620717411303424", 1), []string{
			"test.yaml:13: agents: must be >= 1, got -1180591620717411303424",
		}},
		{"a gamma cv at the minimum", strings.Replace(valid, urgentHandling, "{distribution: gamma, mean: 1h, cv: 0.001}", 1), nil},
		// Its shape, 1/cv², would be infinite.
		{"a gamma cv of 1e-160", strings.Replace(valid, urgentHandling, "{distribution: gamma, mean: 1h, cv: 1e-160}", 1), []string{
			"test.yaml:8: tiers[0].handling.cv: must be at least 0.001, got 1e-160; for times that hardly vary, use distribution: deterministic",
		}},
		{"a lognormal cv at the maximum", strings.Replace(valid, "cv: 1.2", "cv: 100", 1), nil},
		{"a lognormal cv beyond the maximum", strings.Replace(valid, "cv: 1.2", "cv: 1e200", 1), []string{
			"test.yaml:8: tiers[0].handling.cv: must be at most 100, got 1e200; beyond it nearly every time is 0 and a rare one lasts years",
		}},
		{"a contract of 65 tiers", valid + "contract: {fee: {monthly: 1}, tiers: [" + strings.Repeat("{tier: urgent}, ", 65) + "]}\n", []string{
			"test.yaml:14: contract.tiers: has 65 tiers, at most 64 (see docs/limits.md)",
		}},
		{"a contract ladder of 101 steps", valid + "contract: {escalation: {steps: [" + strings.Repeat("{credit: 1%}, ", 101) + "]}}\n", []string{
			"test.yaml:14: contract.escalation.steps: has 101 steps, at most 100 (see docs/limits.md)",
		}},
		{"1,001 bursts", strings.Replace(valid, "volume: 240/day", "volume: 240/day\n  bursts: ["+strings.Repeat("{tier: urgent, rate: 1/month, mean_size: 5, spread: 5m}, ", 1001)+"]", 1), []string{
			"test.yaml:4: arrivals.bursts: has 1001 bursts, at most 1000 (see docs/limits.md)",
		}},
		{"a file of 1 MiB and a byte", valid + "description: " + strings.Repeat("x", maxFileSize-len(valid)-12) + "\n", []string{
			"test.yaml:14: the file is larger than 1 MiB, the limit of a scenario file (see docs/limits.md)",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := problems(t, tt.src); !slices.Equal(got, tt.want) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestSetHorizonSchedules checks that a horizon set by a flag obeys the
// limit on staffing laid out, as the file's horizon does.
func TestSetHorizonSchedules(t *testing.T) {
	s, err := Parse("test.yaml", []byte(manyTeams(80, 1, "4w")+tierList(1)))
	if err != nil {
		t.Fatal(err)
	}
	const want = "a horizon of 1000w: the shifts and calendars make 1130240 days and time ranges to lay out over the 7058 days simulated, at most 1000000"
	if err := s.SetHorizon(1000 * week); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s…", err, want)
	}
	if err := s.SetHorizon(800 * week); err != nil || s.Simulation.Horizon != 800*week {
		t.Errorf("got %v, horizon %v; want 800w", err, s.Simulation.Horizon)
	}
}

func TestSeedRange(t *testing.T) {
	for text, want := range map[string]uint64{
		"18446744073709551615": math.MaxUint64,
		"1e19":                 1e19,
		"0x10":                 16,
	} {
		s, err := Parse("test.yaml", []byte(valid+"simulation: {seed: "+text+"}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if s.Simulation.Seed != want {
			t.Errorf("seed: %s read as %d, want %d", text, s.Simulation.Seed, want)
		}
	}
}

// TestGammaAtMinCV checks that the smallest cv a scenario takes still
// draws times around the mean: the mean of n draws is within four of its
// standard errors, mean·cv/√n.
func TestGammaAtMinCV(t *testing.T) {
	const n = 10_000
	mean := time.Hour
	g := sim.NewGamma(mean, MinCV)
	r := rand.New(rand.NewPCG(1, 2))
	sum := 0.0
	for range n {
		sum += float64(g.Sample(r))
	}
	se := float64(mean) * MinCV / math.Sqrt(n)
	if got := sum / n; math.Abs(got-float64(mean)) > 4*se {
		t.Errorf("mean of %d draws %v, want %v within %v", n, time.Duration(got), mean, time.Duration(4*se))
	}
}

// TestLimitsDocumented checks that docs/limits.md gives every limit of a
// scenario file.
func TestLimitsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/limits.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| " + formatBytes(maxFileSize) + " |",
		"| " + thousands(maxNodes) + " |",
		"| " + thousands(maxTiers) + " |",
		"| " + thousands(maxTeams) + " |",
		"| " + thousands(maxShifts) + " |",
		"| " + thousands(maxOffered) + " |",
		"| " + thousands(maxCalendars) + " |",
		"| " + thousands(maxBursts) + " |",
		"| " + thousands(maxSteps) + " |",
		"| " + thousands(maxHolidays) + " |",
		"| " + thousands(maxScheduleSpans) + " |",
		"| " + thousands(maxIntervalWeeks) + " |",
		"| " + thousands(maxAgents) + " |",
		"| " + formatBytes(maxScheduleFile) + " |",
		"| " + thousands(maxPhases) + " |",
		"| " + thousands(maxBurstSize) + " |",
		"| " + thousands(maxTerm) + " periods |",
		"| " + thousands(maxRate) + " tickets per hour |",
		"| " + thousands(int(maxSimulated/week)) + " weeks (20 years) |",
		"| " + thousands(int(maxTickets)) + " tickets |",
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/limits.md lacks a row with %q", want)
		}
	}
}

// thousands writes n with a comma every three digits, as the docs do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestCoverage checks the one-sweep coverage of every tier against the
// sum of the staffing of the teams that take it, on the examples with
// teams and on teams of shifts in every combination of tiers.
func TestCoverage(t *testing.T) {
	var scs []*Scenario
	for _, name := range Names() {
		s, err := example(name)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, s)
	}
	src := "simulation: {horizon: 2w}\n" + tierList(3) + "teams:\n"
	for i, tiers := range []string{"[t0]", "[t1, t2]", "[t0, t2]", "[t2]"} {
		src += fmt.Sprintf("- {name: team %d, tiers: %s, shifts: [{days: mon-fri, hours: \"%02d:00-%02d:00\", agents: 2}]}\n", i, tiers, 5*i, 5*i+8)
	}
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	scs = append(scs, s)
	for _, s := range scs {
		if len(s.Teams) == 0 {
			continue
		}
		m := s.Model()
		covered := coverage(s, m)
		for i := range s.Tiers {
			var staff []sim.Steps
			for j := range s.Teams {
				if s.Teams[j].takes(i, 0) {
					staff = append(staff, m.Teams[j].OnSite, m.Teams[j].OnCall)
				}
			}
			sum := staffing.Sum(staff...)
			for k := range sum.Value {
				sum.Value[k] = min(sum.Value[k], 1)
			}
			want := staffing.Sum(sum) // merges the steps that no longer change
			if !slices.Equal(covered[i].At, want.At) || !slices.Equal(covered[i].Value, want.Value) {
				t.Errorf("%s, tier %s: coverage\n%v\nwant\n%v", s.Name, s.Tiers[i].Name, covered[i], want)
			}
		}
	}
}

// tierList is the tiers: section of n tiers sharing the volume.
func tierList(n int) string {
	var b strings.Builder
	b.WriteString("arrivals: {volume: 100/day}\ntiers:\n")
	for i := range n {
		fmt.Fprintf(&b, "- {name: t%d, rate: 1/day, targets: {response: 1h, resolution: 1d}, handling: {mean: 1h}}\n", i)
	}
	return b.String()
}

func manyTiers(n int) string { return "agents: 1\n" + tierList(n) }

// manyTeams is teams teams of shifts daily shifts each, over the
// horizon; without tiers, for the limits come first.
func manyTeams(teams, shifts int, horizon string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "simulation: {horizon: %s, drain: 8w, warm_up: 0d}\nteams:\n", horizon)
	for i := range teams {
		fmt.Fprintf(&b, "- name: team %d\n  shifts:\n", i)
		for j := range shifts {
			fmt.Fprintf(&b, "  - {hours: \"%02d:00-%02d:30\", agents: 1}\n", (i+j)%24, (i+j+1)%24)
		}
	}
	return b.String()
}

// intervalTeams is teams teams staffed by the hour over the horizon.
func intervalTeams(teams int, horizon string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "simulation: {horizon: %s, drain: 8w, warm_up: 0d}\n%steams:\n", horizon, tierList(1))
	for i := range teams {
		counts := make([]string, 168)
		for h := range counts {
			counts[h] = fmt.Sprint(1 + (h+i)%3)
		}
		fmt.Fprintf(&b, "- {name: team %d, intervals: {agents: [%s]}}\n", i, strings.Join(counts, ", "))
	}
	return b.String()
}

// A scenario without its directory reads no file, however it names one.
func TestParseAloneReadsNoFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "staffing.csv"), []byte("hour,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := []byte(`name: alone
arrivals: {volume: 5/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {mean: 1h}}
teams:
  - name: a
    intervals: {file: staffing.csv}
`)
	_, err := ParseAlone(filepath.Join(dir, "desk.yaml"), text)
	if err == nil || !strings.Contains(err.Error(), "cannot read files") {
		t.Fatalf("ParseAlone: %v, want a refusal to read staffing.csv", err)
	}
	// Nor does a scenario With makes of it, whatever the settings name.
	alone := bytes.Replace(text, []byte("intervals: {file: staffing.csv}"), []byte(`shifts: [{days: all, hours: "00:00-24:00", agents: 2}]`), 1)
	sc, err := ParseAlone(filepath.Join(dir, "desk.yaml"), alone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.With(Setting{"teams[0].shifts[0].agents", "3"}); err != nil {
		t.Fatal(err)
	}
	_, err = sc.With(Setting{"teams[0].intervals.file", "staffing.csv"})
	if err == nil || !strings.Contains(err.Error(), "cannot read files") {
		t.Fatalf("With(teams[0].intervals.file=staffing.csv): %v, want a refusal to read it", err)
	}
}
