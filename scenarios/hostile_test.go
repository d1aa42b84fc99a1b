//go:build linux

package scenarios

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileMemory is the memory a hostile input may make Load use, far
// above what the limits allow (the largest accepted file below needs
// about 150 MB) and far below what the inputs took before the limits
// (gigabytes, until the kernel killed slasim).
const hostileMemory = 512 << 20

// hostileTime is the processor time Load may take on any of them (user
// and system, so that a loaded machine does not fail the test); the
// slowest takes about a second.
const hostileTime = 10 * time.Second

// hostileCases are inputs built to exhaust memory or time. Each is loaded
// in a child process whose data segment is limited to hostileMemory: an
// input that runs away fails its case, not the machine.
var hostileCases = []struct {
	name string
	// file writes the input into dir and returns the path to load.
	file func(t *testing.T, dir string) string
	// want is part of the problem reported; empty for a valid file.
	want string
}{
	{"exponential alias bomb", text(aliasBomb(9, 10)),
		"hostile.yaml:5: the alias *a3 takes the file past 100000 values"},
	{"quadratic alias bomb, 576 KB", text(quadraticBomb(64_000)),
		"hostile.yaml:4: the alias *e takes the file past 100000 values"},
	{"alias inside what it names", text("tiers: &a [{name: t, escalation: *a}]\n"),
		"hostile.yaml:1: the alias *a is inside what it names"},
	{"50 MB file of 516,000 tiers", func(t *testing.T, dir string) string {
		path := filepath.Join(dir, "hostile.yaml")
		writeFile(t, path, manyTiers(12_000))
		if err := os.Truncate(path, 50<<20); err != nil { // the rest is a hole
			t.Fatal(err)
		}
		return path
	}, "hostile.yaml:11397: the file is larger than 1 MiB, the limit of a scenario file"},
	{"/dev/zero", func(*testing.T, string) string { return "/dev/zero" },
		"/dev/zero:1: the file is larger than 1 MiB"},
	{"endless pipe", endlessFIFO, "hostile.fifo:262145: the file is larger than 1 MiB"},
	{"100,001 values", text("x: [" + strings.Repeat("1,", 100_000) + "1]\n"),
		"hostile.yaml:1: the file has more than 100000 values, fields and list items"},
	{"deep nesting", text(strings.Repeat("[", 100_000)), "exceeded max depth of 10000"},
	{"65 tiers", text(manyTiers(65)), "hostile.yaml:4: tiers: has 65 tiers, at most 64"},
	{"1,001 teams", text(manyTeams(1001, 1, "4w")), "teams: has 1001 teams, at most 1000"},
	{"8,000 shifts over 20 years", text(manyTeams(80, 100, "1000w")),
		"teams: the shifts and calendars make 113024000 days and time ranges to lay out over the 7058 days simulated, at most 1000000"},
	{"100 teams staffed by intervals over 20 years", text(intervalTeams(100, "1000w")),
		"teams: 100 teams staffed by intervals over the 1010 weeks simulated are 101000 team-weeks to lay out, at most 5000"},
	{"2,001 holidays", text(manyTeams(1, 1, "4w") + "calendars: [{name: c, hours: {mon: \"09:00-17:00\"}, holidays: [" +
		strings.Repeat("2024-01-01, ", 2000) + "2024-01-01]}]\n"), "calendars[0].holidays: lists 2001 dates, at most 1000"},
	// The largest staffing the limits let through, checked for every tier.
	{"at the limits: 64 tiers, 68 shifts for 20 years", text(manyTeams(68, 1, "1000w") + tierList(64)), ""},
	{"at the limits: 4 teams staffed by intervals for 20 years", text(intervalTeams(4, "1000w")), ""},
}

const hostileCase = "SLASIM_HOSTILE_CASE"

// TestHostileInputs loads each hostile input under a memory limit, in a
// child process running this test with the case's name.
func TestHostileInputs(t *testing.T) {
	if name := os.Getenv(hostileCase); name != "" {
		loadHostile(t, name)
		return
	}
	for _, c := range hostileCases {
		t.Run(c.name, func(t *testing.T) {
			// A runaway is stopped after a minute on the clock.
			ctx, cancel := context.WithTimeout(context.Background(), 6*hostileTime)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileInputs$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), hostileCase+"="+c.name)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
		})
	}
}

func loadHostile(t *testing.T, name string) {
	limit := &syscall.Rlimit{Cur: hostileMemory, Max: hostileMemory}
	if err := syscall.Setrlimit(syscall.RLIMIT_DATA, limit); err != nil {
		t.Fatal(err)
	}
	for _, c := range hostileCases {
		if c.name != name {
			continue
		}
		path := c.file(t, t.TempDir())
		start := cpuTime(t)
		_, err := Load(path)
		took := cpuTime(t) - start
		switch {
		case c.want == "" && err != nil:
			t.Errorf("got %v, want a valid scenario", err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("got %v, want a problem containing %q", err, c.want)
		case took > hostileTime:
			t.Errorf("took %v of processor time, more than %v", took, hostileTime)
		}
		return
	}
	t.Fatalf("no hostile case %q", name)
}

// cpuTime is the processor time the process has used so far.
func cpuTime(t *testing.T) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		t.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// text is a case whose input is the scenario src.
func text(src string) func(*testing.T, string) string {
	return func(t *testing.T, dir string) string {
		path := filepath.Join(dir, "hostile.yaml")
		writeFile(t, path, src)
		return path
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// endlessFIFO is a named pipe a writer fills without end.
func endlessFIFO(t *testing.T, dir string) string {
	path := filepath.Join(dir, "hostile.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		for line := []byte("- 1\n"); ; {
			if _, err := f.Write(line); err != nil {
				return // the reader has given up
			}
		}
	}()
	return path
}

// aliasBomb nests levels of lists, each holding width aliases of the one
// before: width^levels nodes in a few hundred bytes.
func aliasBomb(levels, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "a0: &a0 [%s]\n", strings.TrimSuffix(strings.Repeat("x, ", width), ", "))
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), width), ", "))
	}
	return b.String()
}

// quadraticBomb is n tiers, each an alias of a tier with n escalation
// steps, each an alias: n² nodes to decode from 9n bytes.
func quadraticBomb(n int) string {
	var b strings.Builder
	b.WriteString("agents: 1\nx: &e {probability: 0.1, handling: {mean: 1h}}\ntiers:\n")
	b.WriteString("- &t {name: a, rate: 1/h, targets: {response: 1h, resolution: 1d}, handling: {mean: 1h}, escalation: [")
	b.WriteString(strings.TrimSuffix(strings.Repeat("*e, ", n), ", "))
	b.WriteString("]}\n")
	b.WriteString(strings.Repeat("- *t\n", n))
	return b.String()
}
