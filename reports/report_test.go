package reports

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestVerdict(t *testing.T) {
	est := func(lo, hi float64) *Estimate { return &Estimate{Mean: (lo + hi) / 2, Lo: &lo, Hi: &hi} }
	tests := []struct {
		name string
		e    *Estimate
		want Verdict
	}{
		{"no replications", nil, NotDetermined},
		{"one replication", &Estimate{Mean: 1}, NotDetermined},
		{"all above", est(0.96, 0.99), Meets},
		{"lower bound on the level", est(0.95, 0.97), Meets},
		{"all below", est(0.90, 0.94), Fails},
		{"straddles", est(0.94, 0.96), NotDetermined},
	}
	for _, tt := range tests {
		if got := verdict(tt.e, 0.95); got != tt.want {
			t.Errorf("%s: verdict = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.txt")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := WriteFile(path, write("first")); err != nil {
		t.Fatal(err)
	}
	failing := func(w io.Writer) error {
		io.WriteString(w, "half of the second")
		return errors.New("interrupted")
	}
	if err := WriteFile(path, failing); err == nil {
		t.Fatal("WriteFile returned nil for a failing writer")
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "first" {
		t.Errorf("after a failed write the file holds %q (%v), want the old content", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x"), write("x")); err == nil {
		t.Error("WriteFile into a missing directory returned nil")
	}
}
