package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestFitPlots(t *testing.T) {
	export := writeExport(t, 600, "")
	dir := filepath.Join(t.TempDir(), "plots", "fit")
	out := filepath.Join(t.TempDir(), "desk.yaml")
	code, _, stderr := slasim(t, context.Background(), "fit", export, "--out", out, "--plots", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	var want []string
	for _, base := range []string{"arrivals-by-hour-all", "arrivals-by-hour-p1", "arrivals-by-hour-p2", "arrivals-by-hour-p3", "handling-times-p1", "handling-times-p2", "handling-times-p3"} {
		want = append(want, base+".png", base+".svg")
	}
	if !slices.Equal(names, want) {
		t.Fatalf("--plots wrote %v, want %v (and no temporary files)", names, want)
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(name) == ".png" {
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				break
			}
		}
	}

	// Nothing is written when the fit fails.
	bad := filepath.Join(t.TempDir(), "none")
	code, _, _ = slasim(t, context.Background(), "fit", export, "--priority", "severity", "--plots", bad)
	if code != exitFailed {
		t.Errorf("exit %d for a missing column", code)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("--plots directory created on error")
	}
}
