package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestUnstableSaidOnce reads what an overloaded desk prints: the heading
// or the sentence says it is unstable, and the reason follows, without a
// second "unstable: " (it read "UNSTABLE: unstable: offered load ...").
func TestUnstableSaidOnce(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "over.yaml")
	if err := os.WriteFile(file, []byte(`name: over
arrivals: {volume: 10/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {mean: 1h}}
agents: 9
`), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	for _, c := range []struct {
		name string
		args []string
		want string
		read string // a file written, read too
	}{
		{"run", []string{"run", file}, "UNSTABLE: offered load 10 Erlangs >= capacity of 9 agents", ""},
		{"run's page", []string{"run", "--report", page, file}, "Unstable: offered load 10 Erlangs &gt;= capacity of 9 agents", page},
		{"promise", []string{"promise", "--period", "week", file}, "nothing can be promised: offered load 10 Erlangs", ""},
	} {
		_, out, errs := slasim(t, context.Background(), c.args...)
		all := out + errs
		if c.read != "" {
			b, err := os.ReadFile(c.read)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			all += string(b)
		}
		if !strings.Contains(all, c.want) {
			t.Errorf("%s: lacks %q:\n%s", c.name, c.want, all)
		}
		if strings.Contains(strings.ToLower(all), "unstable: unstable") {
			t.Errorf("%s: says unstable twice:\n%s", c.name, all)
		}
	}
}

// TestOneReadsOne reads what the commands print of one of each, and of
// figures beyond %.3g's reach: each read wrong before ("1 agents (1
// scheduled) answer", "1 replications pooled", "Of 1 targets", "1 dates",
// "1.234567e+06 calls", an ASA of "7.32e-08s", "about 1.75e+07 tickets").
func TestOneReadsOne(t *testing.T) {
	dir := t.TempDir()
	one := writeFile(t, "one.yaml", `name: one
arrivals: {volume: 24/day}
tiers:
  - {name: all, share: 100%, targets: {response: 1h}, handling: {mean: 10m}}
agents: 2
simulation: {horizon: 1d, warm_up: 0s, drain: 1d, periods: [day], replications: 1}
`)
	busy := writeFile(t, "busy.yaml", `name: busy
arrivals: {volume: 2000/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h}, handling: {mean: 1m}}
agents: 100
simulation: {horizon: 52w}
`)
	page, plots := filepath.Join(dir, "one.html"), filepath.Join(dir, "plots")
	for _, c := range []struct {
		name string
		args []string
		read string // a file written, read too
		want []string
	}{
		{"one agent", []string{"erlang", "--calls", "0.5", "--aht", "1h", "--target", "20s", "--service-level", "10%"}, "",
			[]string{"\n1 agent (1 scheduled) answers 50.1% within 20s"}},
		{"many agents", []string{"erlang", "--calls", "10", "--aht", "3m", "--target", "20s", "--service-level", "95%"}, "",
			[]string{"\n3 agents (3 scheduled) answer 98.9% within 20s"}},
		{"one call, ample agents", []string{"erlang", "--calls", "1", "--aht", "3m", "--target", "20s", "--agents", "8"}, "",
			[]string{"1 call in 1h", "  <0.001s  "}},
		{"beyond the calculator", []string{"erlang", "--calls", "5000000", "--aht", "1h", "--target", "20s", "--agents", "1"}, "",
			[]string{"offered load 5000000 Erlangs, at most 1000000"}},
		{"a million calls", []string{"erlang", "--calls", "1234567", "--aht", "1s", "--target", "20s", "--agents", "400"}, "",
			[]string{"1234567 calls in 1h"}},
		{"a run of one replication", []string{"run", one, "--report", page, "--plots", plots}, page,
			[]string{"seed 1 · 1 replication ·", "Of 1 target, 0 met", "more than 1 replication would narrow it", "(1 date)", "(1 replication pooled)"}},
		{"one invalid file", []string{"validate", writeFile(t, "bad.yaml", "name: x\nagents: 2\ntierz: []\n")}, "",
			[]string{"1 of 1 file invalid:"}},
		{"a shard of one", []string{"run", "erlang-c", "-r", "1", "--shard", "0/1", "--partial", filepath.Join(dir, "part")}, "",
			[]string{"shard 0/1: 1 of 1 replication, written to"}},
		{"a desk of one", []string{"size", writeFile(t, "tiny.yaml", `name: tiny
arrivals: {volume: 2/day}
tiers:
  - {name: all, share: 100%, targets: {response: 4h, resolution: 1d}, handling: {mean: 10m}}
agents: 1
simulation: {horizon: 2w, warm_up: 1d, replications: 10}
`)}, "", []string{"at most 1 agent at once, Mon 00:00); 5 staffings simulated"}},
		{"a trace of millions", []string{"run", busy, "--trace", filepath.Join(dir, "trace.csv"), "--trace-replications", "0"}, "",
			[]string{"--trace: about 17472000 tickets in 1 replication, more than"}},
	} {
		_, out, errs := slasim(t, context.Background(), c.args...)
		// The page's plots are data, where e+0 may be anything.
		if strings.Contains(out+errs, "e+0") || strings.Contains(out+errs, "e-0") {
			t.Errorf("%s: an exponent:\n%s", c.name, out+errs)
		}
		all := out + errs
		if c.read != "" {
			b, err := os.ReadFile(c.read)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			all += string(b)
		}
		// Text reports fold their lines: a phrase may span two.
		prose := strings.Join(strings.Fields(all), " ")
		for _, w := range c.want {
			if !strings.Contains(all, w) && !strings.Contains(prose, w) {
				t.Errorf("%s: lacks %q:\n%s", c.name, w, all)
			}
		}
	}
	// The note on too many workers, on a machine of one CPU.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if _, _, errs := slasim(t, context.Background(), "run", one, "--workers", "2"); !strings.Contains(errs, "note: --workers 2: slasim can use 1 CPU here, so 1 worker;") {
		t.Errorf("one CPU: %s", errs)
	}
}

// TestDeskUnstableSaysWhy: the desk said of every unstable run "the backlog
// grows without bound (offered load 0.55 Erlangs on 2.00 agents)", from the
// desk's load and capacity, when only the automation overflowed; and the
// report advised more agents. Both now say what overflows and what to
// change.
func TestDeskUnstableSaysWhy(t *testing.T) {
	url := startDesk(t, deskOptions{})
	var out struct {
		Result struct {
			Unstable string `json:"unstable"`
		} `json:"result"`
	}
	streamed(t, url, "/api/run", map[string]any{"file": "robot.yaml", "text": `name: robot
arrivals: {volume: 24/day}
tiers:
  - name: all
    share: 100%
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 1h}
    automation: {eligible: 100%, success: 50%, processing: {distribution: deterministic, mean: 2h}}
agents: 3
automation: {capacity: 1}
`}, &out)
	if want := "Unstable: automated attempts need 2 slots on average, the engine has 1 slot. No figures: the automated attempts' queue grows without bound. Raise automation.capacity or send fewer tickets to automation."; out.Result.Unstable != want {
		t.Errorf("the desk says %q, want %q", out.Result.Unstable, want)
	}
}

// TestETA: the progress bar's time left, in the reports' words; it went
// wrong once elapsed nanoseconds times the replications left passed 64
// bits (1,000 of 10^7 replications done in 1,000 s: -2346h19m4s).
func TestETA(t *testing.T) {
	for _, c := range []struct {
		elapsed       time.Duration
		done, planned int
		want          string
	}{
		{time.Second, 0, 10, "…"},
		{10 * time.Second, 1, 2, "10s"},
		{65 * time.Second, 1, 2, "1m05s"},
		{1000 * time.Second, 1000, 10_001_000, "16w4d"},
	} {
		if got := eta(c.elapsed, c.done, c.planned); got != c.want {
			t.Errorf("eta(%v, %d, %d) = %q, want %q", c.elapsed, c.done, c.planned, got, c.want)
		}
	}
}
