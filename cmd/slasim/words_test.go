package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
