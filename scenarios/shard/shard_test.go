package shard

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slasim/slasim/internal/shape"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Shard
		err  string
	}{
		{"0/4", Shard{0, 4}, ""},
		{" 3 / 4 ", Shard{3, 4}, ""},
		{"0/1", Shard{0, 1}, ""},
		{"99999/100000", Shard{99999, 100000}, ""},
		{"4/4", Shard{}, "K counts from 0 to N-1 (3)"},
		{"-1/4", Shard{}, "K counts from 0"},
		{"1/0", Shard{}, "from 1 to 100000"},
		{"0/100001", Shard{}, "from 1 to 100000"},
		{"1", Shard{}, "write K/N"},
		{"a/b", Shard{}, "write K/N"},
		{"1/2/3", Shard{}, "write K/N"},
		{"", Shard{}, "write K/N"},
	} {
		got, err := Parse(tt.in)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("Parse(%q) error %v; want one saying %q", tt.in, err, tt.err)
		}
	}
}

// TestSpans checks that the shards of a run, whatever their number, run
// every replication of every point exactly once, in order, with loads
// that differ by one replication at most.
func TestSpans(t *testing.T) {
	for _, points := range []int{1, 2, 7} {
		for _, reps := range []int{1, 3, 10, 1000} {
			for _, n := range []int{1, 2, 3, 7, 13, 64, 2001} {
				next, lo, hi := 0, points*reps, 0
				for k := range n {
					load := 0
					for _, s := range (Shard{k, n}).Spans(points, reps) {
						if s.Replications < 1 || s.First+s.Replications > reps || s.Point*reps+s.First != next {
							t.Fatalf("%d points × %d replications in %d shards: shard %d has %+v after %d", points, reps, n, k, s, next)
						}
						next += s.Replications
						load += s.Replications
					}
					lo, hi = min(lo, load), max(hi, load)
				}
				if next != points*reps || hi-lo > 1 {
					t.Errorf("%d points × %d replications in %d shards: %d run, loads from %d to %d", points, reps, n, next, lo, hi)
				}
			}
		}
	}
	// The largest run a header allows stays exact.
	last := Shard{MaxCount - 1, MaxCount}.Spans(sweep.MaxPoints, 1<<31-1)
	if s := last[len(last)-1]; s.Point != sweep.MaxPoints-1 || s.First+s.Replications != 1<<31-1 {
		t.Errorf("the last shard of the largest run ends with %+v", s)
	}
}

// write runs the shard of job and writes its partial result into dir, in
// a file called after name and the shard.
func write(t *testing.T, dir, name string, j Job) string {
	t.Helper()
	p, err := Run(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%d-of-%d.part", name, j.Shard.Index, j.Shard.Count))
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func open(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func seed(s uint64) *uint64 { return &s }

// reseal replaces the checksum of a partial result with one of its content,
// as a writer that means harm would.
func reseal(data []byte) []byte {
	return seal(data[:bytes.LastIndex(data[:len(data)-1], []byte("\n"))+1])
}

// TestMergeRefuses checks each refusal, and that it names the files.
func TestMergeRefuses(t *testing.T) {
	dir := t.TempDir()
	base := Job{Scenario: open(t, "erlang-c"), Settings: scenarios.RunSettings{Replications: 3, Horizon: 168 * 3600e9}, Version: "v1"}
	job := func(k, n int, change func(*Job)) Job {
		j := base
		j.Shard = Shard{k, n}
		if change != nil {
			change(&j)
		}
		return j
	}
	a, b := write(t, dir, "a", job(0, 2, nil)), write(t, dir, "b", job(1, 2, nil))
	if _, err := Merge("v1", []string{a, b}); err != nil {
		t.Fatalf("the shards of one run do not merge: %v", err)
	}
	other := func(name string, change func(*Job)) string {
		return write(t, dir, name, job(1, 2, change))
	}
	file := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	data, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	huge := file("huge.part", nil)
	if err := os.Truncate(huge, MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	edited := func(old, new string) []byte {
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("no %q in the partial", old)
		}
		return reseal(bytes.Replace(data, []byte(old), []byte(new), 1))
	}
	for _, tt := range []struct {
		name    string
		version string
		files   []string
		want    string
	}{
		{"another seed", "v1", []string{a, other("seed", func(j *Job) { j.Settings.Seed = seed(2) })}, "shards of different runs: seed 1 against 2"},
		{"more replications", "v1", []string{a, other("reps", func(j *Job) { j.Settings.Replications = 4 })}, "3 replications against 4"},
		{"another scenario", "v1", []string{a, other("scenario", func(j *Job) { j.Scenario = open(t, "default") })}, "scenario embedded erlang-c (sha256:"},
		{"another horizon", "v1", []string{a, other("horizon", func(j *Job) { j.Settings.Horizon *= 2 })}, "horizon 1w against 2w"},
		{"another version", "v1", []string{a, other("version", func(j *Job) { j.Version = "v2" })}, "written by slasim v1 against v2"},
		{"a sweep", "v1", []string{a, other("sweep", func(j *Job) {
			ax, _ := sweep.ParseAxis("agents=10,11")
			j.Axes = []sweep.Axis{ax}
		})}, "a run against a sweep"},
		{"another number of shards", "v1", []string{a, write(t, dir, "three", job(2, 3, nil))}, "split into 2 shards against 3"},
		{"this slasim", "v2", []string{a, b}, "written by slasim v1; this is slasim v2"},
		{"a shard twice", "v1", []string{a, b, a}, "shard 0/2 is given twice: " + a + " and " + a},
		{"a shard missing", "v1", []string{b}, "shard 0/2 is missing: the run has 2 shards; given: 1/2 from " + b},
		{"shards missing", "v1", []string{write(t, dir, "five", job(3, 5, nil))}, "shards 0/5, 1/5, 2/5 and 4/5 are missing"},
		{"nothing", "v1", nil, "no partial results"},
		{"cut short", "v1", []string{a, file("cut.part", data[:len(data)/2])}, "cut.part: truncated"},
		{"cut in the checksum", "v1", []string{a, file("cut2.part", data[:len(data)-5])}, "cut2.part: truncated"},
		{"damaged", "v1", []string{a, file("flipped.part", bytes.Replace(data, []byte(`"met":`), []byte(`"mat":`), 1))}, "flipped.part: damaged: its content does not match its checksum"},
		{"empty", "v1", []string{file("empty.part", nil)}, "empty.part: is not a slasim partial result"},
		{"a scenario", "v1", []string{file("desk.yaml", []byte("name: desk\n"))}, `desk.yaml: is not a slasim partial result (it begins "name: desk"`},
		{"a later format", "v1", []string{file("v2.part", []byte("slasim.partial/v2\n{}\n"))}, `v2.part: is a partial result in format "v2"`},
		{"a directory", "v1", []string{dir}, "is a directory"},
		{"too large", "v1", []string{huge}, fmt.Sprintf("huge.part: is %d bytes; a partial result is at most %d", MaxFileSize+1, MaxFileSize)},
		{"missing file", "v1", []string{filepath.Join(dir, "none.part")}, "none.part: open"},
		{"forged span", "v1", []string{a, file("span.part", edited(`"first":1,`, `"first":0,`))}, "span.part: damaged: part 0 holds point 0, replications 0 to 1 where shard 1/2 holds point 0, replications 1 to 2"},
		{"forged count", "v1", []string{a, file("count.part", edited(`"met":`, `"met":-`))}, "count.part: damaged part 0 (point 0, replications 1 to 2): summary: Tiers[0].Response.Met is negative"},
		{"forged replications", "v1", []string{a, file("reps.part", edited(`{"replications":2,`, `{"replications":3,`))}, "reps.part: damaged part 0 (point 0, replications 1 to 2): a summary of 3 replications"},
		{"forged least warm-up", "v1", []string{a, file("least.part", edited(`"least_ns":`, `"least_ns":-`))}, "least.part: damaged part 0 (point 0, replications 1 to 2): a negative warm-up"},
		{"forged tiers", "v1", []string{a, file("tiers.part", edited(`"tiers":[{`, `"tiers":[{},{},{`))}, "tiers.part: damaged part 0 (point 0, replications 1 to 2): summary: tiers has 3 entries, the model 1"},
		{"forged field", "v1", []string{a, file("field.part", edited(`{"replications":2,`, `{"replications":2,"x":1,`))}, `field.part: damaged part 0 (point 0, replications 1 to 2): summary: json: unknown field "x"`},
		{"forged warm-up", "v1", []string{a, file("warm.part", edited(`"warm_up_ns":`, `"warm_up_ns":1`))}, "warm.part: damaged part 0 (point 0, replications 1 to 2): a warm-up of 19d11h46m40s where another part of the point has 7d22h"},
		{"forged header", "v1", []string{a, file("header.part", edited(`"kind":"run"`, `"kind":"walk"`))}, `header.part: damaged header: kind "walk" is neither run nor sweep`},
		{"forged scenario", "v1", []string{file("text.part", edited(`agents: 10`, `agents: 11`))}, "text.part: the scenario it holds reads as sha256:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(tt.version, tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant an error saying %q", err, tt.want)
			}
		})
	}
}

// TestStaffingFileChanged: a scenario's staffing file is read again by the
// merge, and a change since the shards ran is refused.
func TestStaffingFileChanged(t *testing.T) {
	dir := t.TempDir()
	plan := func(agents int) {
		var b strings.Builder
		b.WriteString("interval,desk\n")
		for h := range 168 {
			fmt.Fprintf(&b, "%s %02d:00,%d\n", []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}[h/24], h%24, agents)
		}
		if err := os.WriteFile(filepath.Join(dir, "plan.csv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plan(11)
	text, _ := scenarios.Source("erlang-c")
	path := filepath.Join(dir, "desk.yaml")
	text = bytes.Replace(text, []byte("agents: 10"), []byte("teams:\n  - name: desk\n    intervals: {file: plan.csv}"), 1)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	j := Job{Scenario: sc, Settings: scenarios.RunSettings{Replications: 2, Horizon: 168 * 3600e9}, Shard: Shard{0, 1}, Version: "v1"}
	part := write(t, dir, "desk", j)
	if _, err := Merge("v1", []string{part}); err != nil {
		t.Fatal(err)
	}
	plan(12)
	if _, err := Merge("v1", []string{part}); err == nil || !strings.Contains(err.Error(), "a staffing file it names (intervals.file) has changed") {
		t.Errorf("got %v", err)
	}
}

func TestPrecisionIsRefused(t *testing.T) {
	for _, tt := range []struct {
		name string
		rs   scenarios.RunSettings
	}{
		{"--precision", scenarios.RunSettings{Precision: 0.01}},
		{"the scenario's precision", scenarios.RunSettings{}},
	} {
		sc := open(t, "default")
		if tt.rs.Precision == 0 {
			text, _ := scenarios.Source("default")
			var err error
			if sc, err = scenarios.Parse("p.yaml", bytes.Replace(text, []byte("simulation:\n"), []byte("simulation:\n  precision: 1%\n"), 1)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Run(context.Background(), Job{Scenario: sc, Settings: tt.rs, Shard: Shard{0, 2}}); err != ErrPrecision {
			t.Errorf("%s: got %v, want ErrPrecision", tt.name, err)
		}
	}
}

// TestForgedContract: the contract's statistics are checked against the
// plan the scenario makes.
func TestForgedContract(t *testing.T) {
	dir := t.TempDir()
	j := Job{Scenario: open(t, "contract"), Settings: scenarios.RunSettings{Replications: 1, Horizon: 5 * 7 * 24 * 3600e9}, Shard: Shard{0, 1}, Version: "v1"}
	data, err := os.ReadFile(write(t, dir, "contract", j))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ old, new, want string }{
		{`"term":12`, `"term":13`, "contract results: of another contract or window"},
		{`"by_period":[{`, `"by_period":[{},{`, "contract results: by_period has 2 entries, the model 1"},
		{`"trials":1`, `"trials":-1`, "is negative"},
		{`"collected":[`, `"collected":[[],`, "collectors: more values than the scenario's 2"},
	} {
		if !bytes.Contains(data, []byte(tt.old)) {
			t.Fatalf("no %s in the partial", tt.old)
		}
		path := filepath.Join(dir, "forged.part")
		if err := os.WriteFile(path, reseal(bytes.Replace(data, []byte(tt.old), []byte(tt.new), 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Merge("v1", []string{path}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s → %s: got %v, want %q", tt.old, tt.new, err, tt.want)
		}
	}
}

// TestForgedKeys: a partial result is input like any other: a key given
// twice, in whatever spelling encoding/json matches to the same field,
// and a field nobody writes are refused wherever they are, naming the
// file, the object and the key.
func TestForgedKeys(t *testing.T) {
	dir := t.TempDir()
	j := Job{Scenario: open(t, "contract"), Settings: scenarios.RunSettings{Replications: 1, Horizon: 5 * 7 * 24 * 3600e9}, Shard: Shard{0, 1}, Version: "v1"}
	data, err := os.ReadFile(write(t, dir, "contract", j))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "forged.part")
	many := `"summary":{`
	for i := range shape.MaxKeys + 1 {
		many += fmt.Sprintf(`"k%d":0,`, i)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"header", `"kind":"run"`, `"kind":"run","kind":"run"`, `forged.part: damaged header: top level: key "kind" given twice`},
		{"header, another case", `"seed":1,`, `"seed":1,"Seed":1,`, `damaged header: top level: key "Seed" given twice`},
		{"header, Kelvin sign", `"kind":"run"`, `"kind":"run","\u212aind":"run"`, "damaged header: top level: key \"\u212aind\" given twice"},
		{"span", `"first":0,`, `"first":0,"first":0,`, `forged.part: damaged part 0: top level: key "first" given twice`},
		{"summary", `"tickets":417,`, `"tickets":417,"tickets":417,`, `damaged part 0: summary.tiers[0].response: key "tickets" given twice`},
		{"escaped", `"term":12`, `"term":12,"t\u0065rm":12`, `damaged part 0: collected[1]: key "term" given twice`},
		{"replications", `{"replication":0,`, `{"replication":0,"replication":0,`, `damaged part 0: collected[0][0]: key "replication" given twice`},
		{"a brace after the header", `"count":1}}`, `"count":1}}}`, "damaged header: data after the value"},
		{"too many keys", `"summary":{`, many, "damaged part 0: summary: an object of more than 1024 keys"},
		{"too deep", `"collected":[`, `"collected":[` + strings.Repeat("[", shape.MaxDepth) + strings.Repeat("]", shape.MaxDepth) + ",", "damaged part 0: collected[0]" + strings.Repeat("[0]", shape.MaxDepth-2) + ": objects and arrays nested more than 64 deep"},
		{"unknown in a histogram", `"buckets":[[0,417]`, `"x":1,"buckets":[[0,417]`, `histogram: json: unknown field "x"`},
		{"unknown in cents", `"cents":{"exact"`, `"cents":{"x":1,"exact"`, `cents: json: unknown field "x"`},
		{"unknown in replications", `{"replication":0,`, `{"replication":0,"x":1,`, `replications: json: unknown field "x"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Contains(data, []byte(tt.old)) {
				t.Fatalf("no %s in the partial", tt.old)
			}
			if err := os.WriteFile(path, reseal(bytes.Replace(data, []byte(tt.old), []byte(tt.new), 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := Merge("v1", []string{path}); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("got %v\nwant an error naming the file and saying %q", err, tt.want)
			}
		})
	}
}

func TestShardTooLarge(t *testing.T) {
	j := Job{Scenario: open(t, "default"), Settings: scenarios.RunSettings{Replications: 1 << 30}, Shard: Shard{0, 4}}
	_, err := Run(context.Background(), j)
	if err == nil || !strings.Contains(err.Error(), "its partial result would pass 256 MiB; a shard holds 433411 at most: split the run into 2478 shards or more") {
		t.Errorf("got %v", err)
	}
}
