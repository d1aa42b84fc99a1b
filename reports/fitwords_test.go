package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios/fit"
)

// TestBacktestWords reads a back-test of one day, one replication and one
// held-out ticket ("1 held-out whole days"), whose resolution times run to
// thousands of hours (%.3g wrote 1.23e+03).
func TestBacktestWords(t *testing.T) {
	day := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		bt   fit.Backtest
		want []string
	}{
		{"one of each", fit.Backtest{
			Window: fit.Window{Days: []time.Time{day}}, Replications: 1,
			Days:       []fit.DayCheck{{Day: day, Observed: 3, Mean: 3, Lo: 1, Hi: 5}},
			Covered:    1,
			Resolution: fit.ResolutionCheck{N: 1, Levels: []float64{0.5}, Observed: []float64{1234.4}, Simulated: []float64{0.05}, Training: []float64{999.4}},
		}, []string{"back-test: 1 held-out whole day from Mon 2024-01-08, against 1 simulated replication of", "resolution times of 1 held-out ticket (hours)", " 1234\n", " 0.05\n", " 999\n", "1 of 1 day (100%)"}},
		{"many", fit.Backtest{
			Window: fit.Window{Days: []time.Time{day, day.AddDate(0, 0, 1)}}, Replications: 40,
			Days:       []fit.DayCheck{{Day: day, Observed: 3, Mean: 3, Lo: 1, Hi: 5}, {Day: day.AddDate(0, 0, 1), Observed: 3, Mean: 3, Lo: 1, Hi: 5}},
			Covered:    2,
			Resolution: fit.ResolutionCheck{N: 7, Levels: []float64{0.5}, Observed: []float64{1}, Simulated: []float64{2}, Training: []float64{3}},
		}, []string{"back-test: 2 held-out whole days from Mon 2024-01-08, against 40 simulated replications of", "resolution times of 7 held-out tickets (hours)", "2 of 2 days (100%)"}},
	} {
		var b strings.Builder
		if err := writeBacktestText(&b, &c.bt); err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: lacks %q:\n%s", c.name, w, b.String())
			}
		}
		if strings.Contains(b.String(), "e+") {
			t.Errorf("%s: an exponent:\n%s", c.name, b.String())
		}
	}
}
