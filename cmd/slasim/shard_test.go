package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/slasim/slasim/scenarios"
)

// outputFiles reads every file under dir, by path relative to it.
func outputFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[rel], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// runShards runs args as n shards into dir and returns the partials'
// paths, last shard first, so that merging does not depend on the order.
func runShards(t *testing.T, dir string, n int, args ...string) []string {
	t.Helper()
	var parts []string
	for k := range n {
		part := filepath.Join(dir, fmt.Sprintf("shard-%d.part", k))
		shardArgs := append(slices.Clone(args), "--shard", fmt.Sprintf("%d/%d", k, n), "--partial", part)
		if code, _, errs := slasim(t, context.Background(), shardArgs...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", shardArgs, code, errs)
		}
		parts = append([]string{part}, parts...)
	}
	return parts
}

// TestMergeIsTheSingleRun checks that the merged shards print, and write,
// exactly what the single run does, byte for byte, whatever the number of
// shards: one, uneven splits, and more shards than replications.
func TestMergeIsTheSingleRun(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		shards []int
	}{
		{"default", []string{"run", "default", "-r", "5", "--horizon", "1w"}, []int{1, 3, 8}},
		{"contract over a year", []string{"run", "contract", "-r", "3", "--horizon", "53w", "--seed", "7"}, []int{4}},
		{"follow the sun", []string{"run", "follow-the-sun", "-r", "4", "--horizon", "2w"}, []int{3}},
		{"sweep of two settings, one unstable point", []string{"sweep", "erlang-c", "--vary", "agents=9..11", "--vary", "arrivals.scale=0.9,1", "-r", "3", "--horizon", "1w"}, []int{5, 20}},
		{"contract sweep", []string{"sweep", "contract", "--vary", "arrivals.scale=0.9,1.1", "-r", "2", "--horizon", "9w"}, []int{3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			single := filepath.Join(dir, "single")
			// The HTML report, the slowest to write, is checked with the
			// first number of shards only.
			outputs := func(dir string) []string {
				return []string{"--csv", filepath.Join(dir, "csv"), "--out", filepath.Join(dir, "out")}
			}
			if err := os.Mkdir(single, 0o755); err != nil {
				t.Fatal(err)
			}
			code, text, errs := slasim(t, context.Background(), append(slices.Clone(tt.args), outputs(single)...)...)
			if code != exitOK && code != exitFailed {
				t.Fatalf("%v: exit %d: %s", tt.args, code, errs)
			}
			_, jsonOut, _ := slasim(t, context.Background(), append(slices.Clone(tt.args), "--json", "--report", filepath.Join(single, "report.html"))...)
			want := outputFiles(t, single)
			for i, n := range tt.shards {
				sub := filepath.Join(dir, fmt.Sprint(n))
				if err := os.Mkdir(sub, 0o755); err != nil {
					t.Fatal(err)
				}
				parts := runShards(t, sub, n, tt.args...)
				merged := filepath.Join(sub, "merged")
				if err := os.Mkdir(merged, 0o755); err != nil {
					t.Fatal(err)
				}
				mcode, mtext, merrs := slasim(t, context.Background(), append(append([]string{"merge"}, parts...), outputs(merged)...)...)
				if mcode != code {
					t.Fatalf("%d shards: merge exit %d, the single run %d: %s", n, mcode, code, merrs)
				}
				if mtext != text {
					t.Errorf("%d shards: merge prints\n%s\nthe single run\n%s", n, mtext, text)
				}
				jsonArgs := append(append([]string{"merge"}, parts...), "--json")
				if i == 0 {
					jsonArgs = append(jsonArgs, "--report", filepath.Join(merged, "report.html"))
				}
				if _, mjson, _ := slasim(t, context.Background(), jsonArgs...); mjson != jsonOut {
					t.Errorf("%d shards: merge --json differs from the single run's", n)
				}
				got := outputFiles(t, merged)
				for name, data := range want {
					if _, ok := got[name]; !ok && name == "report.html" && i > 0 {
						continue
					}
					if !bytes.Equal(got[name], data) {
						t.Errorf("%d shards: %s differs from the single run's", n, name)
					}
				}
			}
		})
	}
}

// TestMergeEveryExample checks every embedded example in two shards.
func TestMergeEveryExample(t *testing.T) {
	for _, name := range scenarios.Names() {
		args := []string{"run", name, "-r", "3", "--horizon", "1w", "--json"}
		code, want, errs := slasim(t, context.Background(), args...)
		parts := runShards(t, t.TempDir(), 2, args[:len(args)-1]...)
		mcode, got, merrs := slasim(t, context.Background(), append(append([]string{"merge"}, parts...), "--json")...)
		if mcode != code || got != want {
			t.Errorf("%s: merge exit %d (%s), the single run %d (%s); same output: %v", name, mcode, merrs, code, errs, got == want)
		}
	}
}

func TestMergePlots(t *testing.T) {
	dir := t.TempDir()
	args := []string{"run", "default", "-r", "3", "--horizon", "1w"}
	if code, _, errs := slasim(t, context.Background(), append(slices.Clone(args), "--plots", filepath.Join(dir, "single"))...); code != exitOK {
		t.Fatal(errs)
	}
	parts := runShards(t, dir, 2, args...)
	if code, _, errs := slasim(t, context.Background(), append(append([]string{"merge"}, parts...), "--plots", filepath.Join(dir, "merged"))...); code != exitOK {
		t.Fatal(errs)
	}
	want, got := outputFiles(t, filepath.Join(dir, "single")), outputFiles(t, filepath.Join(dir, "merged"))
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("merge wrote %d plot files, the single run %d", len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s differs from the single run's", name)
		}
	}
}

// TestShardWritesNothingWhenInterrupted: a shard stopped before it ends has
// no result, and leaves no file, whole or partly written.
func TestShardWritesNothingWhenInterrupted(t *testing.T) {
	dir := t.TempDir()
	part := filepath.Join(dir, "0.part")
	code, _, errs := interrupted(t, "run", "default", "-r", "400", "--shard", "0/2", "--partial", part)
	if code != 130 || !strings.Contains(errs, "writes no partial result") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("an interrupted shard left %v", entries)
	}
}

func TestShardUsage(t *testing.T) {
	dir := t.TempDir()
	part := filepath.Join(dir, "p.part")
	if err := os.WriteFile(filepath.Join(dir, "bad.part"), []byte("slasim.partial/v1\n{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--shard", "0/2"}, "--shard 0/2 needs --partial FILE"},
		{[]string{"run", "--partial", part}, "give --shard K/N too"},
		{[]string{"run", "--shard", "2/2", "--partial", part}, "K counts from 0 to N-1 (1)"},
		{[]string{"run", "--shard", "half", "--partial", part}, "write K/N"},
		{[]string{"run", "--shard", "0/2", "--partial", part, "--json"}, "--json: a shard writes only its partial result; give --json to slasim merge"},
		{[]string{"run", "--shard", "0/2", "--partial", part, "--precision", "1%"}, "a run with a precision target cannot be split into shards"},
		{[]string{"sweep", "--vary", "agents=8,9", "--shard", "0/2", "--partial", part, "--csv", dir}, "--csv: a shard writes only its partial result"},
		{[]string{"run", "--shard", "0/2", "--partial", filepath.Join(dir, "bad.part", "p.part")}, "--partial: " + filepath.Join(dir, "bad.part") + " is not a directory"},
		{[]string{"merge"}, "merge needs the partial result of every shard"},
		{[]string{"merge", filepath.Join(dir, "bad.part")}, "bad.part: truncated"},
	} {
		code, _, errs := slasim(t, context.Background(), tt.args...)
		if code != exitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, errs, tt.want)
		}
	}
	if _, err := os.Stat(part); err == nil {
		t.Errorf("a refused shard wrote %s", part)
	}
}
