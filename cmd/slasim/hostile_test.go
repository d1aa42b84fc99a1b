//go:build unix

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOutputPathsCheckedFirst checks that a bad output path stops a
// command before it simulates or reads anything, with bad usage.
func TestOutputPathsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--report", dir}, "--report: cannot write " + dir + ": is a directory"},
		{[]string{"run", "--report", "/nonexistent/r.html"}, "--report: cannot write /nonexistent/r.html: no directory /nonexistent"},
		{[]string{"run", "--csv", file}, "--csv: " + file + " is not a directory"},
		{[]string{"run", "--out", filepath.Join(file, "sub")}, "--out: " + file + " is not a directory"},
		{[]string{"run", "--out", "-"}, "--out names a directory; - (standard output) is for a single file"},
		{[]string{"sweep", "erlang-c", "--vary", "agents=8,9", "--report", dir}, "--report: cannot write " + dir + ": is a directory"},
		{[]string{"size", "--write", "/nonexistent/x.yaml"}, "--write: cannot write /nonexistent/x.yaml: no directory /nonexistent"},
		{[]string{"size", "--out", file}, "--out: " + file + " is not a directory"},
		{[]string{"fit", "no-such-export.csv", "--out", dir}, "--out: cannot write " + dir + ": is a directory"},
	} {
		code, out, errs := slasim(t, context.Background(), tt.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, nothing on stdout and %q", tt.args, code, out, errs, tt.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestStandardOutputTarget checks that - writes a file to standard output
// in place of the report, and that only one file may take it.
func TestStandardOutputTarget(t *testing.T) {
	code, out, errs := slasim(t, context.Background(), "run", "erlang-c", "-r", "2", "--horizon", "1w", "--report", "-")
	if code != exitOK || !strings.HasPrefix(out, "<!DOCTYPE html>") {
		t.Errorf("--report -: exit %d, stdout starts %.40q, stderr %s", code, out, errs)
	}
	code, out, errs = slasim(t, context.Background(), "size", "erlang-c", "-r", "2", "--max-replications", "4", "--write", "-")
	if code != exitOK || !strings.HasPrefix(out, "#") && !strings.Contains(out, "agents:") {
		t.Errorf("size --write -: exit %d, stdout %.80q, stderr %s", code, out, errs)
	}
}

// TestHostileNames checks that names built to attack a terminal or a
// spreadsheet reach neither: escapes are escaped in the text and messages,
// and a formula is quoted in the CSV files.
func TestHostileNames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "names.yaml")
	src := `name: "\e]0;pwned\a"
arrivals: {volume: 100/day}
tiers:
  - {name: "=HYPERLINK(\"http://evil\",\"x\")", share: 50%, targets: {response: 1h, resolution: 1d}, handling: {mean: 20m}}
  - {name: "\e[2J\u202eevil", share: 50%, targets: {response: 10s, resolution: 1h}, handling: {mean: 20m}}
agents: 3
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	csvDir := filepath.Join(dir, "csv")
	code, out, errs := slasim(t, context.Background(), "run", path, "-r", "2", "--horizon", "1w", "--csv", csvDir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for what, s := range map[string]string{"stdout": out, "stderr": errs} {
		if strings.ContainsAny(s, "\x1b\a\u202e") {
			t.Errorf("%s holds raw escapes: %q", what, s)
		}
	}
	if !strings.Contains(out, `\x1b]0;pwned\x07`) || !strings.Contains(out, `\x1b[2J\u202eevil`) {
		t.Errorf("the names are not shown escaped:\n%s", out)
	}
	for _, name := range []string{"tiers.csv", "replications.csv"} {
		data, err := os.ReadFile(filepath.Join(csvDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"'=HYPERLINK(""http://evil"",""x"")"`) {
			t.Errorf("%s: the formula is not quoted:\n%.400s", name, data)
		}
	}
	// A problem quotes the value it objects to.
	if err := os.WriteFile(path, []byte(strings.Replace(src, "agents: 3", "agents: \"\\e]0;x\\a\"", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = slasim(t, context.Background(), "validate", path)
	if code != exitUsage || strings.ContainsAny(errs, "\x1b\a") || !strings.Contains(errs, `\x1b]0;x\x07`) {
		t.Errorf("validate: exit %d, stderr %q", code, errs)
	}
}

// TestHostileFlags checks the flags and inputs that once ran out of
// memory, looped for ever or passed unseen: each is an error, or clamped
// with a note, at once. Each runs in a child process that may map only
// 256 MiB more than it starts with (they took gigabytes, or grew without
// end), for at most 20 seconds.
func TestHostileFlags(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"run", "erlang-c", "-r", "2", "--horizon", "1w", "--workers", "10000000"}, exitOK, "note: --workers 10000000: slasim can use"},
		{[]string{"run", "--precision", "NaN"}, exitUsage, `--precision must be a share between 0 and 100%, got "NaN"`},
		{[]string{"run", "--precision", "Inf%"}, exitUsage, "--precision must be a share"},
		{[]string{"run", "--seed", "18446744073709551616"}, exitUsage, "value out of range"},
		// A cap below the first batch ran the batch and said the
		// precision was not reached; a file giving the same is refused.
		{[]string{"run", "erlang-c", "-r", "10", "--max-replications", "5", "--precision", "1%"}, exitUsage, "--max-replications must be at least the replications the run starts with (10), got 5"},
		{[]string{"sweep", "erlang-c", "--vary", "agents=10,11", "--max-replications", "3"}, exitUsage, "--max-replications must be at least the replications the run starts with (20), got 3"},
		// 10^31 + 1 is 10^31 in floating point: the range once never ended.
		{[]string{"sweep", "erlang-c", "--vary", "agents=10000000000000000000000000000000..10000000000000000000000000000000"}, exitUsage, "agents: must be from 1 to 100000"},
		{[]string{"validate", "/dev/zero"}, exitUsage, "/dev/zero:1: the file is larger than 1 MiB"},
		{[]string{"fit", "export.csv", "--mapping", "/dev/zero"}, exitUsage, "--mapping: /dev/zero is larger than 1048576 bytes"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(ctx, os.Args[0], tt.args...)
		cmd.Env = append(os.Environ(), "SLASIM_AS_MAIN=1", "SLASIM_MEMORY_LEFT=256")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		cmd.Run()
		cancel()
		if code := cmd.ProcessState.ExitCode(); code != tt.status || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.status, tt.stderr)
		}
	}
}
