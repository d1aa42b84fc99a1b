package scenarios

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"0", 0},
		{"90s", 90 * time.Second},
		{"15m", 15 * time.Minute},
		{"4h", 4 * time.Hour},
		{"1h30m", 90 * time.Minute},
		{"1.5h", 90 * time.Minute},
		{"1d", 24 * time.Hour},
		{"2w", 14 * 24 * time.Hour},
		{"1w2d3h4m5s", (9*24+3)*time.Hour + 4*time.Minute + 5*time.Second},
		{"-5m", -5 * time.Minute},
		{"+5m", 5 * time.Minute},
		{"0.5s", 500 * time.Millisecond},
		{".5h", 30 * time.Minute},
		{"1.000000001s", time.Second + 1},
		{"15250w", 15250 * 7 * 24 * time.Hour},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDurationErrors(t *testing.T) {
	for _, in := range []string{"", "-", "5", "1h30", "15 m", "15min", "1y", "h", "1..5h", "99999999999999999999s", "16000w", "1w 2d"} {
		if got, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, got)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{90 * time.Second, "1m30s"},
		{15 * time.Minute, "15m"},
		{4 * time.Hour, "4h"},
		{90 * time.Minute, "1h30m"},
		{24 * time.Hour, "1d"},
		{36 * time.Hour, "1d12h"},
		{10 * 24 * time.Hour, "10d"},
		{14 * 24 * time.Hour, "2w"},
		{-5 * time.Minute, "-5m"},
		{1500 * time.Millisecond, "1.5s"},
		{time.Nanosecond, "0.000000001s"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.in); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FormatDuration's output must parse back to the same duration, so that the
// CLI can print a target a user may paste into a file.
func TestFormatDurationRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	values := []time.Duration{math.MaxInt64, math.MinInt64 + 1, math.MinInt64}
	for range 10000 {
		values = append(values, time.Duration(r.Int64()), time.Duration(r.Int64N(int64(100*week))).Round(time.Minute))
	}
	for _, d := range values {
		s := FormatDuration(d)
		got, err := ParseDuration(s)
		if d == math.MinInt64 {
			// Its magnitude does not fit in a positive duration.
			if err == nil {
				t.Errorf("ParseDuration(%q) = %v, want an overflow error", s, got)
			}
			continue
		}
		if err != nil || got != d {
			t.Errorf("ParseDuration(FormatDuration(%d) = %q) = %d, %v", d, s, got, err)
		}
	}
}
