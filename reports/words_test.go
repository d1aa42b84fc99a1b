package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/staffing/roster"
	"github.com/slasim/slasim/staffing/sizing"
)

// TestThousandsWithoutExponent reads the page's model and staff facts and a
// heat map's key at a desk of thousands: %.3g wrote "2e+03/h (4.8e+04/day)",
// "1.5e+03 on site" and a key of "2e+03".
func TestThousandsWithoutExponent(t *testing.T) {
	sc, err := scenarios.Parse("big.yaml", []byte(`name: big
arrivals: {volume: 48000/day}
tiers:
  - {name: all, share: 100%, targets: {response: 1h}, handling: {mean: 1m}}
teams:
  - name: desk
    shifts: [{hours: "00:00-24:00", agents: 1500}]
`))
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model()
	if got := tierSpecs(m)[0].Volume; got != "2000/h (48000/day)" {
		t.Errorf("volume %q, want 2000/h (48000/day)", got)
	}
	if f := staff(m); len(f) != 1 || !strings.HasPrefix(f[0].Value, "1500 on site on average") {
		t.Errorf("staff %+v, want 1500 on site on average", f)
	}
	waiting := make(ByHour, 168)
	for h := range waiting {
		v := float64(10 * h)
		waiting[h] = &v
	}
	f, err := weekHeatMap("waiting", "waiting", "tickets waiting", waiting, heatScale{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	if svg := b.String(); strings.Contains(svg, "e+03") || !strings.Contains(svg, ">1500<") {
		t.Errorf("the key's labels of 0 to 1670 tickets want 1500 and no exponent:\n%s", svg)
	}
}

// TestSizingProgressWords: the first line of a sizing's progress read "1
// simulations", and head counts were written as a Go slice ("last [8 1
// 2]"), not as the report writes them.
func TestSizingProgressWords(t *testing.T) {
	var b bytes.Buffer
	progress := SizingProgress(&b, 0)
	for _, want := range []string{"\r1 simulation · last 8, 1, 2: no checks -", "\r2 simulations · last 8, 1, 2: no checks -"} {
		b.Reset()
		progress(&sizing.Evaluation{Agents: []int{8, 1, 2}})
		if got := b.String(); !strings.HasPrefix(got, want) {
			t.Errorf("progress %q, want %q", got, want)
		}
	}
}

// TestNoticesWords: a run stopped before its one replication read "0 of 1
// planned replications".
func TestNoticesWords(t *testing.T) {
	for _, c := range []struct {
		done    int64
		planned int
		want    string
	}{{0, 1, "Interrupted after 0 of 1 planned replication: "}, {1, 2, "Interrupted after 1 of 2 planned replications: "}} {
		r := &Report{Partial: true, Replications: c.done, Planned: c.planned}
		if n := r.notices(); len(n) == 0 || !strings.HasPrefix(n[0], c.want) {
			t.Errorf("notices %q, want %q", n, c.want)
		}
	}
}

// TestRosterWords: a team of one person read "desk: 1 people"; a roster
// of one week "1 weeks from", one day off "at least 1 days off a week".
func TestRosterWords(t *testing.T) {
	one := &Roster{Weeks: 1, Start: "2024-01-01", Rules: roster.Rules{DaysOff: 1, MaxConsecutive: 1, MinRest: 11 * time.Hour}}
	for _, c := range []struct{ got, want string }{
		{teamLine(&RosterTeam{Name: "desk", Result: &roster.Result{Roster: &roster.Roster{People: []string{"a"}}}}), "desk: 1 person"},
		{teamLine(&RosterTeam{Name: "desk", Result: &roster.Result{Roster: &roster.Roster{People: []string{"a", "b"}}}}), "desk: 2 people"},
		{one.lede(), "1 week from 2024-01-01; rules: at least 1 day off a week, at most 1 day in a row, at least 11h between shifts;"},
	} {
		if !strings.HasPrefix(c.got, c.want) {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}
