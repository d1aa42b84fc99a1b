package fit

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The ServiceNow incident event log of Amaral, Fantinato, Reijers and
// Peres (2018), "Incident management process enriched event log", UCI
// Machine Learning Repository, doi:10.24432/C57S4H, CC BY 4.0. It lives
// beside the repository, in ../shared/data, and is read in place: never
// copy it into the repository.
const serviceNowLog = "servicenow-incident-event-log.csv.gz"

// serviceNowPath finds the log from the module root, or skips the test.
func serviceNowPath(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test's directory: cannot locate ../shared/data")
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "data", serviceNowLog)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("the ServiceNow log is not at %s (it lives beside the repository, in ../shared/data): skipping the tests on real data", path)
	}
	return path
}

func readServiceNow(t testing.TB) *Export {
	t.Helper()
	start := time.Now()
	ex, err := ReadFile(context.Background(), serviceNowPath(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read %d rows, %d tickets in %v", ex.Rows, ex.Len(), time.Since(start).Round(time.Millisecond))
	return ex
}

func TestServiceNowLog(t *testing.T) {
	ex := readServiceNow(t)
	if ex.Mapping.Name != "servicenow" || ex.Rows != 119_998 || ex.BadRows != 0 || ex.Len() != 20_769 {
		t.Errorf("preset %s, %d rows, %d unreadable, %d tickets; want servicenow, 119998, 0, 20769", ex.Mapping.Name, ex.Rows, ex.BadRows, ex.Len())
	}
	start := time.Now()
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fitted in %v", time.Since(start).Round(time.Millisecond))
	if len(res.Window.Gaps) > 0 || ex.MarkerSummary() != "" || ex.BadValueSummary() != "" {
		t.Errorf("gaps %v; %s; %s", res.Window.Gaps, ex.MarkerSummary(), ex.BadValueSummary())
	}

	// Ticket counts per priority, from the last row of each incident (the
	// data set's README).
	want := map[string]int{"1 - Critical": 220, "2 - High": 337, "3 - Moderate": 19_554, "4 - Low": 658}
	if len(res.Tiers) != len(want) {
		t.Errorf("%d tiers, want %d", len(res.Tiers), len(want))
	}
	for _, tier := range res.Tiers {
		if tier.Arrivals.Tickets != want[tier.Name] {
			t.Errorf("%s: %d tickets, want %d", tier.Name, tier.Arrivals.Tickets, want[tier.Name])
		}
	}

	// The weekly profile peaks on a weekday morning, and weekends are far
	// quieter than weekdays.
	a := &res.Total
	peak := 0
	for h := range a.Rate {
		if a.Rate[h] > a.Rate[peak] {
			peak = h
		}
	}
	if day, hour := peak/24, peak%24; day > 4 || hour < 8 || hour > 11 {
		t.Errorf("peak at %s, want a weekday morning", hourName(peak))
	}
	var weekday, weekend float64
	for h, r := range a.Rate {
		if h < 5*24 {
			weekday += r / 5
		} else {
			weekend += r / 2
		}
	}
	if weekend > weekday/4 {
		t.Errorf("weekend days get %.0f tickets, weekdays %.0f: want the weekend far quieter", weekend, weekday)
	}
	t.Logf("peak %s at %.1f/h; %.0f tickets a weekday, %.0f a weekend day", hourName(peak), a.Rate[peak], weekday, weekend)

	// Daily counts vary far more than Poisson.
	d := &a.Dispersion
	if !d.Overdispersed() || d.Index < 5 || d.CV < 0.1 {
		t.Errorf("dispersion index %.3g (p %.3g), daily cv %.3g: want overdispersed", d.Index, d.P, d.CV)
	}
	t.Logf("dispersion index %.3g over %d days, daily cv %.3f ± %.3f", d.Index, d.Days, d.CV, d.CVSE)

	// made_sla: about 2% of Critical and 62% of Moderate incidents.
	for _, tier := range res.Tiers {
		met := float64(tier.Met) / float64(tier.MetKnown)
		switch tier.Name {
		case "1 - Critical":
			if met > 0.05 {
				t.Errorf("Critical made_sla %.3f, want about 2%%", met)
			}
		case "3 - Moderate":
			if met < 0.58 || met > 0.66 {
				t.Errorf("Moderate made_sla %.3f, want about 62%%", met)
			}
		}
	}

	// Resolution times drift: the later weeks resolve far faster.
	if !res.Drift.Drifted() || res.Drift.Median[1] > res.Drift.Median[0]/2 {
		t.Errorf("drift %+v: want the second half's median under half the first's", res.Drift)
	}

	yaml, sc, err := Scenario(res, "servicenow")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Tiers) != 4 || sc.Arrivals.DailyCV == 0 || !strings.Contains(string(yaml), "PLACEHOLDER staffing") {
		t.Errorf("scenario: %d tiers, daily cv %g", len(sc.Tiers), sc.Arrivals.DailyCV)
	}
}

func TestServiceNowBacktest(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates four weeks")
	}
	ex := readServiceNow(t)
	until := time.Date(2016, 4, 15, 0, 0, 0, 0, time.UTC)
	res, err := Fit(context.Background(), ex, FitOptions{Until: until})
	if err != nil {
		t.Fatal(err)
	}
	_, sc, err := Scenario(res, "train")
	if err != nil {
		t.Fatal(err)
	}
	bt, err := RunBacktest(context.Background(), sc, res, BacktestOptions{Replications: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(bt.Days); n != 28 {
		t.Errorf("%d held-out days, want the 28 from 15 April to 12 May", n)
	}
	// The volume holds up: the simulated daily mean is within 10% of the
	// held-out one, and most days fall in the simulated range.
	if r := bt.SimMean / bt.ObsMean; r < 0.9 || r > 1.1 {
		t.Errorf("simulated daily mean %.1f against %.1f observed", bt.SimMean, bt.ObsMean)
	}
	if bt.Covered < len(bt.Days)*3/4 {
		t.Errorf("only %d of %d days inside the simulated range", bt.Covered, len(bt.Days))
	}
}

// TestServiceNowLogGeneric reads the log through a generic mapping that
// does not declare ? as missing: every incident still arrives (1,418 whose
// last row had a resolution time of ? were dropped), the ?s are read as
// missing and said to be.
func TestServiceNowLogGeneric(t *testing.T) {
	o := Options{Overrides: Overrides{Preset: "generic", Columns: map[Field]string{
		ID: "number", Opened: "opened_at", Priority: "priority", Resolved: "resolved_at", Updated: "sys_updated_at",
	}}}
	ex, err := ReadFile(context.Background(), serviceNowPath(t), o)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Len() != 20_769 || ex.BadRows != 0 || ex.MarkerRows[Resolved] == 0 || !strings.Contains(ex.MarkerSummary(), `"?" in `) {
		t.Errorf("%d tickets, %d unreadable rows; %s", ex.Len(), ex.BadRows, ex.MarkerSummary())
	}
	t.Log(ex.MarkerSummary())
}
