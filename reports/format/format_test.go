package format

import (
	"math"
	"testing"
	"time"
)

func TestHours(t *testing.T) {
	for h, want := range map[float64]string{0.75: "45m", 26.4: "26.4h", 47.9: "47.9h", 76.8: "3.2d",
		24 * 999.4: "999d", 24 * 2743.2: "2743d", 1e-7: "0.000006m", math.NaN(): Unknown} {
		if got := Hours(h); got != want {
			t.Errorf("Hours(%v) = %q, want %q", h, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{300 * time.Millisecond, "<1s"},
		{1500 * time.Millisecond, "2s"},
		{45 * time.Second, "45s"},
		{14*time.Minute + 30*time.Second, "14m30s"},
		{15 * time.Minute, "15m"},
		{2*time.Hour + 5*time.Minute + 20*time.Second, "2h05m"},
		{4 * time.Hour, "4h"},
		{27 * time.Hour, "1d3h"},
		{8 * 24 * time.Hour, "1w1d"},
		{-90 * time.Second, "-1m30s"},
		{math.MinInt64, "-15250w1d"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestSeconds: a time in seconds past what a time.Duration holds (292
// years), the mean wait of a queue a hair's breadth from unstable, is
// written in weeks, not wrapped: 1.44·10¹⁷ s read -15250w1d.
func TestSeconds(t *testing.T) {
	for _, tt := range []struct {
		s    float64
		want string
	}{
		{7.8, "8s"},
		{90, "1m30s"},
		{9.2e9, "15211w4d"},
		{1.44e17, "2.38e+11w"},
		{-1.44e17, "-2.38e+11w"},
		{math.Inf(1), Unknown},
		{math.NaN(), Unknown},
	} {
		if got := Seconds(tt.s); got != tt.want {
			t.Errorf("Seconds(%g) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestShares(t *testing.T) {
	tests := []struct{ got, want string }{
		{Percent(0.9493), "94.9%"},
		{Percent(math.NaN()), Unknown},
		{Level(0.95), "95%"},
		{Level(0.995), "99.5%"},
		{Level(0.9925), "99.25%"},
		// Five nines and other levels chosen to more than two decimals are
		// written as chosen: "meets 100% in 84% of months" was a level of
		// 99.999%.
		{Level(0.99999), "99.999%"},
		{Level(0.99995), "99.995%"},
		{Level(0.999999), "99.9999%"},
		{Level(0.00001), "0.001%"},
		// A computed share keeps two decimals, but never reads 100% or 0%
		// when it is not.
		{Level(0.123456789), "12.35%"},
		{Level(0.99999876), "99.9999%"},
		{Level(1 - 1e-12), "99.9999999999%"},
		{Level(1e-7), "0.00001%"},
		{Level(1), "100%"},
		{Level(0), "0%"},
		{Interval(-0.01, 1.02), "[0.0%, 100.0%]"},
		{Interval(0.943, 0.954), "[94.3%, 95.4%]"},
		// Judged against a level, an end keeps the exact end's side of it
		// (at or above, or below), to as many decimals as that takes.
		{Judged(0.894, 0.9499992, 0.95), "[89.4%, 94.9999%]"},
		{Judged(0.94996, 0.97, 0.95), "[94.996%, 97.0%]"},
		{Judged(0.95, 0.96, 0.95), "[95.0%, 96.0%]"},
		{Judged(0.9, 0.99996, 1), "[90.0%, 99.996%]"},
		{Judged(0.9, 1, 1), "[90.0%, 100.0%]"},
		{Judged(0.9, 0.9995, 0.9995), "[90.0%, 100.0%]"},
		{Judged(0.9, 0.99949, 0.9995), "[90.0%, 99.9%]"},
		{Judged(0.9, 0.999496, 0.9995), "[90.0%, 99.9%]"},
		{Judged(0.9525, 0.96, 0.9525), "[95.25%, 96.0%]"},
		{Judged(0.952501, 0.96, 0.9525), "[95.3%, 96.0%]"},
		{Judged(0.952449, 0.96, 0.9525), "[95.2%, 96.0%]"},
		{Judged(0.9524999, 0.96, 0.9525), "[95.2%, 96.0%]"},
		{Judged(-0.01, 1.02, 0.5), "[0.0%, 100.0%]"},
		{Money(0), "0"},
		{Money(42.5), "42.50"},
		{Money(1234567.4), "1,234,567"},
		{Money(-1500), "-1,500"},
		{Money(math.NaN()), Unknown},
		{HourOfWeek(0), "Mon 00:00"},
		{HourOfWeek(3*24 + 22), "Thu 22:00"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
