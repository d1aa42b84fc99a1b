package scenarios

import "testing"

func TestParsePercent(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{
		{"99.9", 0.999},
		{"99.99", 0.9999},
		{"95", 0.95},
		{"0.5", 0.005},
		{"-1.5", -0.015},
		{"1e1", 0.1},
		{"9.99E+1", 0.999},
		{"100", 1},
		{"0", 0},
	} {
		if got, err := ParsePercent(tt.in); err != nil || got != tt.want {
			t.Errorf("ParsePercent(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "NaN", "inf", "5 %", "1e999", "abc"} {
		if _, err := ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q): no error", bad)
		}
	}
}
