package reports

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios/fit"
)

// TestBacktestWords reads a back-test of one day, one replication and one
// held-out ticket ("1 held-out whole days"), whose resolution times run to
// thousands of hours (%.3g wrote 1.23e+03), and one whose days are all
// outside their simulated range: ten are listed (a stray date a century
// on listed 36,500), and its gap is.
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
		{"none resolved", fit.Backtest{
			Window: fit.Window{Days: []time.Time{day}}, Replications: 40,
			Days:    []fit.DayCheck{{Day: day, Observed: 3, Mean: 3, Lo: 1, Hi: 5}},
			Covered: 1,
		}, []string{"1 of 1 day (100%)", "  resolution times: no held-out ticket is resolved yet, none compared\n"}},
		{"nothing to compare with", fit.Backtest{
			Window: fit.Window{Days: []time.Time{day}}, Replications: 40,
			Days:       []fit.DayCheck{{Day: day, Observed: 3, Mean: 3, Lo: 1, Hi: 5}},
			Covered:    1,
			Resolution: fit.ResolutionCheck{N: 1},
		}, []string{"  resolution times of 1 held-out ticket: none in the fit's period or the simulation to compare with\n"}},
		{"twelve days outside", func() fit.Backtest {
			bt := fit.Backtest{Replications: 40, Resolution: fit.ResolutionCheck{N: 7, Levels: []float64{0.5}, Observed: []float64{1}, Simulated: []float64{2}, Training: []float64{3}}}
			for i := range 12 {
				d := day.AddDate(0, 0, i)
				bt.Window.Days = append(bt.Window.Days, d)
				bt.Days = append(bt.Days, fit.DayCheck{Day: d, Observed: 9, Mean: 3, Lo: 1, Hi: 5})
			}
			bt.Window.Gaps = []fit.Gap{{Start: day.AddDate(0, 0, 12), End: day.AddDate(0, 0, 14), Expected: 96}}
			return bt
		}(), []string{"0 of 12 days (0%)", "Wed 01-17 9 (1-5), and 2 more\n", "  gaps           1 gap without a single ticket, 48 hours in all, where the rates expect many (missing weeks? an outage?), left out of the days compared: Sat 2024-01-20 00:00 to Mon 2024-01-22 00:00 (48 hours, 96 tickets expected)\n"}},
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

// TestFitWordsFlat reads the fit of an export of one hour, which gives
// every hour of the week the same rate: it read "peak Mon 00:00 (2.0 an
// hour), lowest Mon 00:00 (2)", naming an hour the export does not hold.
func TestFitWordsFlat(t *testing.T) {
	ex, err := fit.Read(context.Background(), strings.NewReader("id,opened_at,priority,resolved_at\nA,2024-01-03 10:00,P1,2024-01-03 10:40\nB,2024-01-03 10:20,P1,2024-01-03 11:40\n"), "hour.csv", fit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := fit.Fit(context.Background(), ex, fit.FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeFitText(&b, res); err != nil {
		t.Fatal(err)
	}
	if want := "  weekly   flat, 2.0 an hour in every hour; Monday to Friday 100.0% of tickets\n"; !strings.Contains(b.String(), want) || strings.Contains(b.String(), "peak") {
		t.Errorf("lacks %q:\n%s", want, b.String())
	}
}

// TestExposureText: an export of one week observed each hour once, "1
// weeks" before.
func TestExposureText(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{{1, 1, "1 week"}, {3, 3, "3 weeks"}, {1, 2, "1-2 weeks"}} {
		var w fit.Window
		for h := range w.Exposure {
			w.Exposure[h] = c.hi
		}
		w.Exposure[0] = c.lo
		if got := exposureText(&w); got != c.want {
			t.Errorf("exposure %v to %v: %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}
