//go:build unix

package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
)

// A docExample is a command line the documentation shows: where, and the
// lines it shows the command printing, if any.
type docExample struct {
	where, command string
	shown          []string
}

// placeholder matches a word of a synopsis rather than a command: FILE,
// NAME, PATH=VALUES, [flags], FILE|NAME, PART...
var placeholder = regexp.MustCompile(`(^|[\s=])[A-Z][A-Z0-9_]+\b|\[[a-zA-Z|]+\]|\.\.\.|\|`)

// exampleCommand returns the slasim command of a line shown in the
// documentation (slasim …, $ slasim …, go run ./cmd/slasim …), without a
// trailing comment, or "" if the line is none.
func exampleCommand(line string) string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "$ ")
	if rest, ok := strings.CutPrefix(line, "go run ./cmd/slasim"); ok {
		line = "slasim" + rest
	}
	if !strings.HasPrefix(line, "slasim ") && line != "slasim" {
		return ""
	}
	// A comment starts at a # after a space, outside quotes; placeholders
	// are looked for outside quotes too.
	var bare strings.Builder
	quote := byte(0)
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '#' && i > 0 && line[i-1] == ' ':
			line = strings.TrimSpace(line[:i])
		default:
			bare.WriteByte(c)
		}
	}
	if placeholder.MatchString(bare.String()) {
		return ""
	}
	return line
}

// markdownExamples lists the commands of a Markdown file: in code blocks,
// fenced or indented, with the lines a $ prompt is followed by as its
// output; and in inline code, when they are whole commands with an
// argument (not a synopsis such as slasim run FILE, nor a mention such as
// slasim size).
func markdownExamples(t *testing.T, path, name string) []docExample {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []docExample
	fenced, prompt := false, false
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		indented := strings.HasPrefix(line, "    ") && !fenced
		switch {
		case strings.HasPrefix(line, "```"):
			fenced, prompt = !fenced, false
			continue
		case !fenced && !indented:
			prompt = false
			continue
		}
		body := line
		if indented {
			body = line[4:]
		}
		isPrompt := strings.HasPrefix(strings.TrimSpace(body), "$ ")
		if cmd := exampleCommand(body); cmd != "" && (isPrompt || !prompt) {
			prompt = isPrompt
			out = append(out, docExample{where: fmt.Sprintf("%s:%d", name, i+1), command: cmd})
			continue
		}
		if prompt && strings.TrimSpace(body) != "" {
			ex := &out[len(out)-1]
			ex.shown = append(ex.shown, body)
		}
	}
	// Inline code, which may run over a line break.
	text := regexp.MustCompile("(?s)```.*?```").ReplaceAllString(string(data), "")
	for _, m := range regexp.MustCompile("`(slasim\\s[^`]+)`").FindAllStringSubmatchIndex(text, -1) {
		cmd := strings.Join(strings.Fields(text[m[2]:m[3]]), " ")
		if len(strings.Fields(cmd)) < 3 || placeholder.MatchString(cmd) {
			continue
		}
		line := strings.Count(text[:m[0]], "\n") + 1
		out = append(out, docExample{where: fmt.Sprintf("%s: inline, near line %d", name, line), command: cmd})
	}
	return out
}

// allDocExamples lists every example of the README, docs/ and --help, each
// command once (the first place it is shown, or one showing its output).
// Shards and merges are left to TestScaleOutDoc and TestShardHelpExamples,
// which run them in their order.
func allDocExamples(t *testing.T) []docExample {
	t.Helper()
	var all []docExample
	all = append(all, markdownExamples(t, "../../README.md", "README.md")...)
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if filepath.Base(d) == "scale-out.md" {
			continue
		}
		all = append(all, markdownExamples(t, d, "docs/"+filepath.Base(d))...)
	}
	for _, c := range commands {
		// Each example is a comment (# …) or a command, which may go on
		// over lines ending in a backslash.
		text := strings.ReplaceAll(c.examples, "\\\n", "")
		n := 0
		for line := range strings.SplitSeq(strings.TrimRight(text, "\n"), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			n++
			if cmd := exampleCommand(strings.Join(strings.Fields(line), " ")); cmd != "" {
				all = append(all, docExample{where: fmt.Sprintf("slasim %s --help, example %d", c.name, n), command: cmd})
			} else {
				t.Errorf("slasim %s --help: example %d is not a slasim command: %q", c.name, n, line)
			}
		}
	}
	var out []docExample
	for _, ex := range all {
		if strings.Contains(ex.command, "--shard") || strings.HasPrefix(ex.command, "slasim merge") {
			continue
		}
		if i := slices.IndexFunc(out, func(o docExample) bool { return o.command == ex.command }); i >= 0 {
			if len(out[i].shown) == 0 {
				out[i].shown = ex.shown
			}
			continue
		}
		out = append(out, ex)
	}
	return out
}

// failingExamples are the examples the documentation shows failing in its
// prose, with the exit status they must have.
var failingExamples = map[string]int{
	"slasim validate /dev/zero": exitUsage, // docs/limits.md: larger than a scenario may be
	// docs/limits.md: once an endless loop, now too many agents.
	"slasim sweep --vary agents=10000000000000000000000000000000..10000000000000000000000000000000": exitUsage,
	// docs/limits.md: once for ever, or minutes, now too many agents.
	"slasim erlang --calls 10 --aht 3m --target 20s --agents 1000000000000":   exitUsage,
	"slasim erlang --calls 10 --aht 3m --target 20s --agents 999001..1000000": exitUsage,
}

// exampleBudget is how long an example without shown output may run
// before it is interrupted: long enough to read its inputs and check its
// settings, which is where a wrong example fails. Examples showing their
// output run to the end, so that the output can be compared, and so do
// those the documentation shows failing, whose exit status is the claim
// (on a loaded machine, even failing at once can take longer than this).
const exampleBudget = time.Second

// TestDocExamples runs every example of the README, docs/*.md and each
// command's --help, as a user would in a directory holding the files they
// name (desk.yaml, an export, a mapping file), with this test binary as
// slasim. An example must succeed — or, if it is still running after
// exampleBudget, stop cleanly when interrupted — unless the documentation
// shows it failing; the lines shown after a $ prompt must be printed, in
// order.
func TestDocExamples(t *testing.T) {
	examples := allDocExamples(t)
	if len(examples) < 40 {
		t.Fatalf("found only %d examples in the README, docs and --help", len(examples))
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	wrapper := fmt.Sprintf("#!/bin/sh\nSLASIM_AS_MAIN=1 exec %q \"$@\"\n", self)
	if err := os.WriteFile(filepath.Join(bin, "slasim"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	fixtures, realLog := exampleFixtures(t)
	for _, ex := range examples {
		t.Run(ex.where, func(t *testing.T) {
			if len(ex.shown) > 0 && strings.Contains(ex.command, "incidents.csv.gz") && !realLog {
				t.Skipf("$ %s shows its output on the ServiceNow log, which is not beside the repository (../shared/data)", ex.command)
			}
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(fixtures)); err != nil {
				t.Fatal(err)
			}
			line := ex.command
			// A server listens on a port of its own, free whatever else runs.
			if strings.HasPrefix(line, "slasim serve") && !strings.Contains(line, "--addr") {
				line += " --addr 127.0.0.1:0"
			}
			cmd := exec.Command("bash", "-c", line)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			interrupted := false
			budget := exampleBudget
			if _, failing := failingExamples[ex.command]; failing || len(ex.shown) > 0 {
				budget = 2 * time.Minute
			}
			select {
			case err = <-done:
			case <-time.After(budget):
				interrupted = true
				syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
				select {
				case err = <-done:
				case <-time.After(15 * time.Second):
					syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					t.Fatalf("$ %s\ndid not stop within 15s of Ctrl-C", ex.command)
				}
			}
			code, killed := 0, false
			if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
				code = ee.ExitCode()
				ws, _ := ee.Sys().(syscall.WaitStatus)
				killed = ws.Signaled() && ws.Signal() == syscall.SIGINT
			} else if err != nil {
				t.Fatal(err)
			}
			fails := len(ex.shown) > 0 && errorLine.MatchString(ex.shown[len(ex.shown)-1])
			if want, ok := failingExamples[ex.command]; ok {
				if code != want {
					t.Fatalf("$ %s\nexit %d, want %d; printed\n%s", ex.command, code, want, out.String())
				}
				return
			}
			switch {
			case interrupted && (code == 130 || code == 1 && strings.Contains(out.String(), "interrupted")):
				return // valid, and long: it ran until stopped
			case interrupted && killed:
				// On a loaded machine the command may not have reached
				// slasim's signal handling within the budget (the first
				// slasim, or a later one of "a && b" after the first has
				// printed): it was still running, so it was not refused at
				// once.
				return
			case interrupted && code == 0: // it ended as it was interrupted
			case interrupted:
				t.Fatalf("$ %s\ninterrupted after %v: exit %d, printed\n%s", ex.command, budget, code, out.String())
			case (code != 0) != fails:
				t.Fatalf("$ %s\nexit %d, printed\n%s", ex.command, code, out.String())
			}
			printed := strings.Split(out.String(), "\n")
			for _, want := range ex.shown {
				if want == "..." {
					continue // the documentation leaves lines out
				}
				for len(printed) > 0 && strings.TrimRight(printed[0], " ") != strings.TrimRight(want, " ") {
					printed = printed[1:]
				}
				if len(printed) == 0 {
					t.Fatalf("$ %s\ndoes not print %q as shown; it printed\n%s", ex.command, want, out.String())
				}
			}
		})
	}
}

// exampleFixtures makes the files the examples name: desk.yaml (the
// default scenario, as the README has users start, shortened), two scenarios under
// scenarios/, .ci/bench-reference.yaml, and ticket exports — tickets.csv
// (generic), incidents.csv.gz (the ServiceNow log when it is beside the
// repository, as realLog says, else ten weeks in its layout from 29
// February 2016) and export.csv with jira.yaml, its mapping.
func exampleFixtures(t *testing.T) (dir string, realLog bool) {
	t.Helper()
	dir = t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The default scenario, over a shorter window: a desk of the user's.
	desk, _ := scenarios.Source("default")
	desk = bytes.Replace(desk, []byte("horizon: 4w"), []byte("horizon: 1w"), 1)
	desk = bytes.Replace(desk, []byte("replications: 20"), []byte("replications: 5"), 1)
	write("desk.yaml", desk)
	erlang, _ := scenarios.Source("erlang-c")
	write("scenarios/desk.yaml", desk)
	write("scenarios/erlang-c.yaml", erlang)
	bench, err := os.ReadFile("../../.ci/bench-reference.yaml")
	if err != nil {
		t.Fatal(err)
	}
	write(".ci/bench-reference.yaml", bench)

	type ticket struct {
		opened, resolved time.Time
		priority         int
	}
	rng := rand.New(rand.NewPCG(17, 1))
	var tickets []ticket
	start := time.Date(2016, 2, 29, 0, 0, 0, 0, time.UTC)
	for at := start; at.Before(start.AddDate(0, 0, 70)); {
		at = at.Add(time.Duration(rng.ExpFloat64() * float64(40*time.Minute)))
		if h := at.Hour(); h < 7 || h > 19 || at.Weekday() == time.Saturday || at.Weekday() == time.Sunday {
			if rng.Float64() < 0.7 {
				continue
			}
		}
		work := time.Duration(rng.ExpFloat64() * float64(6*time.Hour)).Round(time.Minute)
		tickets = append(tickets, ticket{at.Truncate(time.Minute), at.Truncate(time.Minute).Add(work + time.Minute), 1 + rng.IntN(4)})
	}
	var generic, servicenow, export bytes.Buffer
	generic.WriteString("id,opened_at,priority,first_response_at,resolved_at,channel\n")
	servicenow.WriteString("number,opened_at,priority,resolved_at,sys_updated_at\n")
	export.WriteString("Key,Created,Resolved,Priority\n")
	for i, tk := range tickets {
		fmt.Fprintf(&generic, "T%d,%s,P%d,,%s,email\n", i, tk.opened.Format(time.DateTime), tk.priority, tk.resolved.Format(time.DateTime))
		sn := func(x time.Time) string { return x.Format("2/1/2006 15:04") }
		fmt.Fprintf(&servicenow, "INC%07d,%s,%d - Level,%s,%s\n", i, sn(tk.opened), tk.priority, sn(tk.resolved), sn(tk.resolved))
		us := func(x time.Time) string { return x.Format("1/2/2006 3:04 PM") }
		fmt.Fprintf(&export, "K-%d,%s,%s,P%d\n", i, us(tk.opened), us(tk.resolved), tk.priority)
	}
	write("tickets.csv", generic.Bytes())
	write("export.csv", export.Bytes())
	if log, err := os.ReadFile("../../../shared/data/servicenow-incident-event-log.csv.gz"); err == nil {
		write("incidents.csv.gz", log)
		realLog = true
	} else {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(servicenow.Bytes())
		zw.Close()
		write("incidents.csv.gz", gz.Bytes())
	}
	write("jira.yaml", []byte("preset: generic\ncolumns:\n  id: Key\n  opened: Created\n  priority: Priority\n  resolved: Resolved\n  response: \"\"\ndate_format: m/d/yyyy h:MM AM\n"))
	return dir, realLog
}

// TestMarkdownExamples checks what the example finder takes for a command.
func TestMarkdownExamples(t *testing.T) {
	md := "Run `slasim run default --precision\n0.2%`, not `slasim run FILE`, `slasim size` or `slasim sweep [FILE|NAME] --vary PATH=VALUES`.\n\n" +
		"    slasim run desk.yaml   # a comment\n    $ slasim sweep default --vary agents=0,10\n    slasim sweep: --vary agents=0: bad\n\n" +
		"```\n$ go run ./cmd/slasim run\nslasim devel\n\nseed 1\n```\n"
	path := filepath.Join(t.TempDir(), "x.md")
	if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	got := markdownExamples(t, path, "x.md")
	var b strings.Builder
	for _, ex := range got {
		fmt.Fprintf(&b, "%s %q %q\n", ex.where, ex.command, ex.shown)
	}
	want := `x.md:4 "slasim run desk.yaml" []
x.md:5 "slasim sweep default --vary agents=0,10" ["slasim sweep: --vary agents=0: bad"]
x.md:9 "slasim run" ["slasim devel" "seed 1"]
x.md: inline, near line 1 "slasim run default --precision 0.2%" []
`
	if b.String() != want {
		t.Errorf("found\n%s\nwant\n%s", b.String(), want)
	}
}
