package plural

import (
	"math"
	"testing"
)

func TestCount(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{1, "1 agent"},
		{1.0004, "1 agent"},
		{0.9996, "1 agent"},
		{1.004, "1 agent"},
		{1.006, "1.01 agents"},
		{0, "0 agents"},
		{0.952, "0.952 agents"},
		{3, "3 agents"},
		{999.4, "999 agents"},
		{999.6, "1000 agents"},
		{1000, "1000 agents"},
		{2006.4, "2006 agents"},
		{-2006.4, "-2006 agents"},
		{1.5e7, "15000000 agents"},
		{0.0001234, "0.000123 agents"},
		{0.00001234, "0.0000123 agents"},
		{-0.00001234, "-0.0000123 agents"},
		{4e-9, "0.000000004 agents"},
	} {
		if got := Count(c.x, "agent", "agents"); got != c.want {
			t.Errorf("Count(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}

func TestFigure(t *testing.T) {
	for _, c := range []struct {
		x      float64
		digits int
		want   string
	}{
		{0.21, 2, "0.21"},
		{0, 2, "0"},
		{99, 2, "99"},
		{99.6, 2, "100"},
		{150.3, 2, "150"},
		{-150.3, 2, "-150"},
		{1234.6, 2, "1235"},
		{0.000012345, 2, "0.000012"},
		{1.5e12, 3, "1500000000000"},
		{math.Inf(1), 3, "+Inf"},
		{math.NaN(), 3, "NaN"},
	} {
		if got := Figure(c.x, c.digits); got != c.want {
			t.Errorf("Figure(%v, %d) = %q, want %q", c.x, c.digits, got, c.want)
		}
	}
}
