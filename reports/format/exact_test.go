package format_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

// TestExact: what the reader is told to write is the duration itself, in
// the scenario's units, never Duration's rounding (7d10h read 1w); every
// whole-second duration reads back as itself (in package format_test: the
// scenarios that read it import format).
func TestExact(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{178 * time.Hour, "1w10h"},
		{190 * time.Hour, "1w22h"},
		{78 * time.Hour, "3d6h"},
		{2 * sim.Week, "2w"},
		{90 * time.Minute, "1h30m"},
		{8*24*time.Hour + 5*time.Second, "1w1d5s"},
	} {
		if got := format.Exact(tt.d); got != tt.want {
			t.Errorf("Exact(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	rng := rand.New(rand.NewPCG(8, 8))
	for range 1000 {
		d := time.Duration(rng.Int64N(int64(1040*sim.Week/time.Second))) * time.Second
		if back, err := scenarios.ParseDuration(format.Exact(d)); err != nil || back != d {
			t.Fatalf("%v wrote %q, read back as %v (%v)", d, format.Exact(d), back, err)
		}
	}
}
