package format

import "testing"

func TestHours(t *testing.T) {
	for h, want := range map[float64]string{0.75: "45m", 26.4: "26.4h", 47.9: "47.9h", 76.8: "3.2d"} {
		if got := Hours(h); got != want {
			t.Errorf("Hours(%v) = %q, want %q", h, got, want)
		}
	}
}
