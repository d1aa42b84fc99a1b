package plural

import "testing"

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
