package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/slasim/slasim/scenarios"
)

// shell returns a function running a command line with bash in dir, where
// slasim is this test binary standing in for it (see TestMain); it returns
// the exit status and what the command printed on both outputs.
func shell(t *testing.T, dir string) func(line string) (int, string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	wrapper := fmt.Sprintf("#!/bin/sh\nSLASIM_AS_MAIN=1 exec %q \"$@\"\n", self)
	if err := os.WriteFile(filepath.Join(bin, "slasim"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	return func(line string) (int, string) {
		cmd := exec.Command("bash", "-c", line)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		} else if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return 0, string(out)
	}
}

// errorLine is how slasim reports a failure: slasim COMMAND: reason.
var errorLine = regexp.MustCompile(`^slasim [a-z]+: `)

// TestScaleOutDoc runs every command of the console blocks of
// docs/scale-out.md in turn, in one directory, and checks that each prints
// the lines shown after it (in order; a command may print more), and that
// it fails exactly when what is shown is an error.
func TestScaleOutDoc(t *testing.T) {
	f, err := os.Open("../../docs/scale-out.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type step struct {
		command string
		shown   []string
	}
	var steps []step
	inBlock := false
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```"):
			inBlock = line == "```console"
		case !inBlock:
		case strings.HasPrefix(line, "$ "):
			steps = append(steps, step{command: line[2:]})
		case len(steps) > 0:
			steps[len(steps)-1].shown = append(steps[len(steps)-1].shown, line)
		}
	}
	if len(steps) < 5 {
		t.Fatalf("found %d commands in docs/scale-out.md", len(steps))
	}
	// The README's section shows some of them.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Scale out\n")
	section, _, _ = strings.Cut(section, "\n## ")
	shown := 0
	for line := range strings.SplitSeq(section, "\n") {
		if cmd, ok := strings.CutPrefix(line, "    "); ok {
			shown++
			if !slices.ContainsFunc(steps, func(s step) bool { return s.command == cmd }) {
				t.Errorf("README.md shows %q, which docs/scale-out.md does not run", cmd)
			}
		}
	}
	if shown == 0 {
		t.Error("README.md's Scale out section shows no command")
	}
	run := shell(t, t.TempDir())
	for _, s := range steps {
		code, out := run(s.command)
		fails := len(s.shown) > 0 && errorLine.MatchString(s.shown[len(s.shown)-1])
		if (code != 0) != fails {
			t.Errorf("$ %s\nexit %d, printed\n%s", s.command, code, out)
			continue
		}
		lines := strings.Split(out, "\n")
		for _, want := range s.shown {
			for len(lines) > 0 && lines[0] != want {
				lines = lines[1:]
			}
			if len(lines) == 0 {
				t.Errorf("$ %s\ndoes not print %q; it printed\n%s", s.command, want, out)
				break
			}
		}
	}
}

// TestShardHelpExamples runs the shard and merge examples of slasim run,
// sweep and merge --help: each shard example for every shard of its run,
// then the merges.
func TestShardHelpExamples(t *testing.T) {
	dir := t.TempDir()
	// An M/M/c desk, over a short window to keep the test quick.
	text, _ := scenarios.Source("erlang-c")
	text = bytes.Replace(text, []byte("horizon: 52w"), []byte("horizon: 2w"), 1)
	if err := os.WriteFile(filepath.Join(dir, "desk.yaml"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	run := shell(t, dir)
	shardFlag := regexp.MustCompile(`--shard 0/(\d+) --partial (\S+)/0\.part`)
	example := func(line string) string {
		line, _, _ = strings.Cut(line, "#")
		return strings.TrimSpace(line)
	}
	var shards, merges []string
	for _, ex := range []string{runExamples, sweepExamples, mergeExamples} {
		for line := range strings.SplitSeq(ex, "\n") {
			switch {
			case strings.Contains(line, "--shard"):
				shards = append(shards, example(line))
			case strings.Contains(line, "slasim merge"):
				merges = append(merges, example(line))
			}
		}
	}
	if len(shards) != 2 || len(merges) != 3 {
		t.Fatalf("found %d shard examples and %d merges", len(shards), len(merges))
	}
	for _, line := range shards {
		m := shardFlag.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("%s: no --shard 0/N --partial DIR/0.part", line)
		}
		var n int
		fmt.Sscan(m[1], &n)
		for k := range n {
			cmd := strings.Replace(line, m[0], fmt.Sprintf("--shard %d/%d --partial %s/%d.part", k, n, m[2], k), 1)
			if code, out := run(cmd); code != 0 {
				t.Fatalf("%s: exit %d: %s", cmd, code, out)
			}
		}
	}
	merges = append(merges, "slasim merge sweep/")
	for _, cmd := range merges {
		if code, out := run(cmd); code != 0 {
			t.Errorf("%s: exit %d: %s", cmd, code, out)
		}
	}
}
