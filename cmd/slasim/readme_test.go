package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The README's install instructions work from a clone: the Go version it
// names is go.mod's, it installs with go install ./cmd/slasim (the module
// is not published, so @latest cannot fetch it), and it names no path of
// the development setup (../shared). The install it shows is run, into a
// directory of the test's.
func TestReadmeInstall(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if goVersion == nil {
		t.Fatal("go.mod has no go directive")
	}
	if want := "needs Go " + string(goVersion[1]) + " or later"; !strings.Contains(string(readme), want) {
		t.Errorf("the README does not say it %s, as go.mod does", want)
	}
	var install string
	for _, line := range strings.Split(string(readme), "\n") {
		cmd := strings.TrimSpace(line)
		if strings.HasPrefix(cmd, "go install ") {
			if strings.Contains(cmd, "@") {
				t.Errorf("the README installs from the module proxy, where slasim is not published: %s", cmd)
			}
			install = cmd
		}
	}
	if !strings.HasPrefix(install, "go install ./cmd/slasim") {
		t.Fatalf("the README shows no go install ./cmd/slasim (found %q)", install)
	}
	if strings.Contains(string(readme), "../shared") {
		t.Errorf("the README names ../shared, which exists only in the development setup")
	}
	if testing.Short() {
		t.Skip("not installing with -short")
	}
	// The install (2.5 s of CPU when only slasim's own package is not in
	// the build cache, 18 s of wall time at load 22) is stopped short of
	// the test binary's deadline, so that a machine too loaded for it
	// fails this test, saying so, rather than every test still running.
	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Minute))
		defer cancel()
	}
	bin := t.TempDir()
	cmd := exec.CommandContext(ctx, "go", "install", "./cmd/slasim")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOBIN="+bin)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); ctx.Err() != nil {
		t.Fatalf("go install ./cmd/slasim still running after %v, a minute before the test binary's deadline (go test -timeout): %s", time.Since(start).Round(time.Second), out)
	} else if err != nil {
		t.Fatalf("go install ./cmd/slasim: %v\n%s", err, out)
	}
	t.Logf("go install ./cmd/slasim took %v", time.Since(start).Round(time.Millisecond))
	out, err := exec.Command(filepath.Join(bin, "slasim"), "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "slasim ") {
		t.Errorf("the installed slasim version: %v, %q", err, out)
	}
}
