package fit

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// TestClocksChange fits three days of a ticket every hour around a night
// the clocks change, in the export's own zone. A night they go back in
// New York (and every zone whose clock Go resolves to the first of the
// repeated hours) made the window's loop step from the second 01:00 back
// to itself, and fit never ended. Every hour of the week then has rate 1:
// the repeated hour two tickets in two hours, the skipped one the rate of
// its hour of the day.
func TestClocksChange(t *testing.T) {
	for _, tc := range []struct {
		zone string
		at   time.Time // a moment on the night the clocks change
		// exact: the clock moves by whole hours, so each hour of the week
		// has rate 1 (Lord Howe's moves by half an hour).
		exact bool
	}{
		{"America/New_York", time.Date(2024, 11, 3, 6, 0, 0, 0, time.UTC), true},
		{"America/New_York", time.Date(2024, 3, 10, 7, 0, 0, 0, time.UTC), true},
		{"Europe/Paris", time.Date(2024, 10, 27, 1, 0, 0, 0, time.UTC), true},
		{"America/St_Johns", time.Date(2024, 11, 3, 4, 0, 0, 0, time.UTC), true},
		{"America/Santiago", time.Date(2024, 4, 7, 3, 0, 0, 0, time.UTC), true},
		{"Australia/Lord_Howe", time.Date(2024, 4, 6, 15, 0, 0, 0, time.UTC), false},
	} {
		t.Run(fmt.Sprintf("%s %s", tc.zone, tc.at.Format(time.DateOnly)), func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			// 72 real hours from a day before, a ticket 10 minutes into each,
			// written with its offset so that a repeated hour is not ambiguous.
			var b strings.Builder
			b.WriteString("id,opened_at,priority,resolved_at\n")
			from := tc.at.Add(-24 * time.Hour).Truncate(time.Hour)
			for i := range 72 {
				at := from.Add(time.Duration(i)*time.Hour + 10*time.Minute).In(loc)
				fmt.Fprintf(&b, "T%d,%s,P1,%s\n", i, at.Format(time.RFC3339), at.Add(time.Duration(1+i%5)*time.Hour).Format(time.RFC3339))
			}
			ex, err := Read(context.Background(), strings.NewReader(b.String()), "dst.csv", Options{Location: loc})
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan *Result, 1)
			go func() {
				res, err := Fit(context.Background(), ex, FitOptions{})
				if err != nil {
					t.Error(err)
				}
				done <- res
			}()
			var res *Result
			select {
			case res = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("fit did not end within 20 seconds")
			}
			if res == nil {
				return
			}
			// Lord Howe's clock hours move by half an hour with the clock:
			// the window, in clock hours, holds 71.5 real ones.
			slack := 1e-9
			if !tc.exact {
				slack = 0.5
			}
			if res.Total.Tickets != 72 || math.Abs(res.Window.Hours()-72) > slack {
				t.Errorf("%d tickets over %g hours, want 72 over 72", res.Total.Tickets, res.Window.Hours())
			}
			for h, r := range res.Total.Rate {
				if tc.exact && math.Abs(r-1) > 1e-9 {
					t.Errorf("%s: rate %g (%d tickets over %g hours), want 1", hourName(h), r, res.Total.Count[h], res.Window.Exposure[h])
				}
			}
			if _, _, err := Scenario(res, "dst"); err != nil {
				t.Fatal(err)
			}
		})
	}
}
