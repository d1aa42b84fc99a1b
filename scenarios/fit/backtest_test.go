package fit

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// sixWeeks writes and reads an export of 200 tickets a week over days
// from Monday 1 January 2024, less the days [missing[0], missing[1]), with
// a last ticket at stray ("" for none); the tickets opened from day
// openFrom on are not resolved.
func sixWeeks(t *testing.T, days int, missing [2]int, stray string, openFrom int) *Export {
	t.Helper()
	r := rand.New(rand.NewPCG(3, 8))
	var b bytes.Buffer
	b.WriteString("id,opened_at,priority,resolved_at\n")
	const layout = "2006-01-02 15:04"
	for i := range 200 * days / 7 {
		at := r.Float64() * float64(days)
		if at >= float64(missing[0]) && at < float64(missing[1]) {
			continue
		}
		opened := monday().Add(time.Duration(at * float64(24*time.Hour)))
		resolved := opened.Add(time.Duration(r.ExpFloat64() * float64(3*time.Hour))).Format(layout)
		if at >= float64(openFrom) {
			resolved = ""
		}
		fmt.Fprintf(&b, "T%d,%s,P1,%s\n", i, opened.Format(layout), resolved)
	}
	if stray != "" {
		fmt.Fprintf(&b, "T9999,%s,P1,%s\n", stray, stray)
	}
	ex, err := Read(context.Background(), &b, "stray.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// backtestFourWeeks fits the first four weeks of ex and back-tests the
// rest.
func backtestFourWeeks(t *testing.T, ex *Export) (*Backtest, error) {
	t.Helper()
	res, err := Fit(context.Background(), ex, FitOptions{Until: monday().AddDate(0, 0, 28)})
	if err != nil {
		t.Fatal(err)
	}
	_, sc, err := Scenario(res, "train")
	if err != nil {
		t.Fatal(err)
	}
	return RunBacktest(context.Background(), sc, res, BacktestOptions{Replications: 10, Seed: 1})
}

// TestBacktestGaps back-tests the weeks after the first four of an
// export. When its last ticket bears a date a year on, as a typo does,
// the months without a ticket are a gap, left out of the days compared
// (they were 357 days, the simulated range missing most); when a week is
// missing, it is left out of the days and of the tier volumes (simulated
// over 20 days against 13 observed, they were 1.5 times too many); a
// stray date a century on is refused, as a fit of such a period is (it
// simulated the century).
func TestBacktestGaps(t *testing.T) {
	for _, tc := range []struct {
		name string
		// days of tickets from Monday 1 January 2024, less the days
		// [missing[0], missing[1]); stray is a last ticket's date.
		days    int
		missing [2]int
		stray   string
		// want days compared, and the gap's hours; or err.
		want, gapHours int
		err            string
	}{
		{name: "a stray date a year on", days: 42, stray: "2025-01-20 10:00", want: 14, gapHours: 8242},
		// The last day ends at its last ticket's hour, not a whole day.
		{name: "a week missing", days: 49, missing: [2]int{35, 42}, want: 13, gapHours: 168},
		{name: "a stray date a century on", days: 42, stray: "2124-01-20 10:00",
			err: "back-test: the held-out period runs from 2024-01-28 22:00 to 2124-01-20 10:00, over 10 years: check the dates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := sixWeeks(t, tc.days, tc.missing, tc.stray, tc.days)
			bt, err := backtestFourWeeks(t, ex)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if gaps := fmt.Sprintf("1 gap without a single ticket, %d hours in all", tc.gapHours); len(bt.Days) != tc.want || len(bt.Window.Gaps) != 1 || !strings.HasPrefix(bt.DescribeGaps(), gaps) {
				t.Errorf("%d days, gaps: %s; want %d days, %s", len(bt.Days), bt.DescribeGaps(), tc.want, gaps)
			}
			if bt.Covered < tc.want*3/4 {
				t.Errorf("%d of %d days covered", bt.Covered, len(bt.Days))
			}
			if tc := bt.Tiers[0]; float64(tc.Observed) < tc.Lo || float64(tc.Observed) > tc.Hi {
				t.Errorf("tier volume %d, simulated %.0f (%.0f-%.0f)", tc.Observed, tc.Mean, tc.Lo, tc.Hi)
			}
		})
	}
}

// TestBacktestOpenTickets back-tests weeks whose tickets are not resolved
// yet, as an export's latest often are: the volumes are compared, the
// resolution times not (it was an error, 'no resolution times to
// compare', and no scenario was written).
func TestBacktestOpenTickets(t *testing.T) {
	bt, err := backtestFourWeeks(t, sixWeeks(t, 42, [2]int{}, "", 28))
	if err != nil {
		t.Fatal(err)
	}
	if len(bt.Days) != 14 || bt.Resolution.N != 0 || bt.Resolution.Levels != nil {
		t.Errorf("%d days compared, %d resolution times, levels %v", len(bt.Days), bt.Resolution.N, bt.Resolution.Levels)
	}
}

// TestResolutionHoursPlausible leaves out of a back-test's resolution
// times those the fit leaves out: resolved before opening, or more than
// ten years after (a resolution in 2150 was in the held-out quantiles).
func TestResolutionHoursPlausible(t *testing.T) {
	at := monday()
	ts := []*ticket{
		{opened: at.UnixNano(), resolved: at.Add(time.Hour).UnixNano()},
		{opened: at.UnixNano(), resolved: at.AddDate(11, 0, 0).UnixNano()},
		{opened: at.UnixNano(), resolved: at.Add(-time.Hour).UnixNano()},
		{opened: at.UnixNano(), resolved: noTime},
	}
	if got := resolutionHours(ts, at, at.Add(time.Hour)); len(got) != 1 || got[0] != 1 {
		t.Errorf("resolution hours %v, want [1]", got)
	}
}
