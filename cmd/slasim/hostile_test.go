package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
