package sweep

import (
	"slices"
	"strings"
	"testing"
)

func TestParseAxis(t *testing.T) {
	tests := []struct {
		in   string
		path string
		want string // values joined by spaces, or the error
	}{
		{"agents=8,9,10", "agents", "8 9 10"},
		{"agents=8..12", "agents", "8 9 10 11 12"},
		{" agents = 8..10 , 14 ", "agents", "8 9 10 14"},
		{"arrivals.scale=0.8..1.2:0.1", "arrivals.scale", "0.8 0.9 1.0 1.1 1.2"},
		{"arrivals.scale=1..2:0.25", "arrivals.scale", "1.00 1.25 1.50 1.75 2.00"},
		{"tiers[0].share=5%..20%:5%", "tiers[0].share", "5% 10% 15% 20%"},
		{"tiers[0].share=90%..92%", "tiers[0].share", "90% 91% 92%"},
		{"arrivals.volume=150/day..250/day:50/day", "arrivals.volume", "150/day 200/day 250/day"},
		{"tiers[0].targets.response=15m,30m,1h", "tiers[0].targets.response", "15m 30m 1h"},
		{"tiers[0].targets.response=15m..1h:15m", "tiers[0].targets.response", "15m 30m 45m 1h"},
		{"tiers[1].handling.distribution=gamma,lognormal", "tiers[1].handling.distribution", "gamma lognormal"},
		{"agents", "", "PATH=VALUES"},
		{"=8", "", "PATH=VALUES"},
		{"agents=", "", "PATH=VALUES"},
		{"agents=8,,9", "", "empty value"},
		{"agents=8,8", "", "8 is given twice"},
		{"agents=8..10,9", "", "9 is given twice"},
		{"agents=12..8", "", "goes down"},
		{"agents=1..1000", "", "at most 100"},
		{"agents=8..12:0", "", "step must be > 0"},
		{"arrivals.volume=8/h..9/day", "", "same unit"},
		{"tiers[0].targets.response=15m..1h", "", "needs a step"},
		{"agents=a..b", "", "is not a range"},
		// 1e31 + 1 is 1e31 in floating point: adding steps never got past it.
		{"agents=10000000000000000000000000000000..10000000000000000000000000000000", "agents", "9999999999999999635896294965248"},
		{"agents=10000000000000000000000000000000..10000000000000000000000000000001:0.5", "agents", "9999999999999999635896294965248.0"},
	}
	for _, tt := range tests {
		a, err := ParseAxis(tt.in)
		got := strings.Join(a.Texts(), " ")
		if err != nil {
			got = err.Error()
		}
		if a.Path != tt.path || !strings.Contains(got, tt.want) {
			t.Errorf("ParseAxis(%q) = %q, %q; want %q, %q", tt.in, a.Path, got, tt.path, tt.want)
		}
	}
}

func TestAxisUnits(t *testing.T) {
	tests := []struct {
		values  string
		numeric bool
		unit    string
		xs      []float64
	}{
		{"8,10,12", true, "", []float64{8, 10, 12}},
		{"5%,10%", true, "%", []float64{5, 10}},
		{"15m,30m,1h", true, "minutes", []float64{15, 30, 60}},
		{"4h,8h,1d", true, "hours", []float64{4, 8, 24}},
		{"1d,1w", true, "days", []float64{1, 7}},
		{"150/day,200/day", true, "tickets per day", []float64{150, 200}},
		// Mixed or unreadable values are categories in the order given.
		{"150/day,9/h", false, "", []float64{0, 0}},
		{"gamma,lognormal,exponential", false, "", []float64{0, 0, 0}},
	}
	for _, tt := range tests {
		a, err := ParseAxis("x=" + tt.values)
		if err != nil {
			t.Fatal(err)
		}
		xs := make([]float64, len(a.Values))
		for i, v := range a.Values {
			xs[i] = v.X
		}
		if a.Numeric != tt.numeric || a.Unit != tt.unit || !slices.Equal(xs, tt.xs) {
			t.Errorf("%s: numeric %v, unit %q, %v; want %v, %q, %v", tt.values, a.Numeric, a.Unit, xs, tt.numeric, tt.unit, tt.xs)
		}
	}
}

func TestGrid(t *testing.T) {
	a, _ := ParseAxis("agents=8,9")
	b, _ := ParseAxis("arrivals.scale=1,1.2")
	grid, err := Grid([]Axis{a, b})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range grid {
		got = append(got, Label(g))
	}
	want := []string{"agents=8, arrivals.scale=1", "agents=8, arrivals.scale=1.2", "agents=9, arrivals.scale=1", "agents=9, arrivals.scale=1.2"}
	if !slices.Equal(got, want) {
		t.Errorf("grid %q, want %q", got, want)
	}
	big, _ := ParseAxis("agents=1..100")
	if _, err := Grid([]Axis{big, big}); err == nil || !strings.Contains(err.Error(), "10000 points; at most 400") {
		t.Errorf("a grid of 10,000 points: %v", err)
	}
}
