package sim_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestQuietNightsRandom: random desks (randomModel) of which one team,
// staffed by day, is under shrinkage, give the same summaries and errors
// with its redraws at night left out, as a run does, and kept: the
// redraws left out draw nothing and change nothing, and the guards
// (skipRedraws) keep those whose order or watchdog look matters. Without
// either guard it fails: another team's shift starts as the quiet one's,
// and a third of the desks run past full load until the watchdog stops
// them.
func TestQuietNightsRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 47))
	var compared, stopped int
	for k := range 60 {
		m := randomModel(t, rng)
		if len(m.Teams) == 0 {
			continue
		}
		for j := range m.Teams {
			m.Teams[j].Shrinkage = 0
		}
		q := rng.IntN(len(m.Teams))
		tm := &m.Teams[q]
		from := time.Duration(rng.IntN(24)) * time.Hour
		tm.OnSite = staffed(m, 1+rng.IntN(4), daily(from, from+time.Duration(4+rng.IntN(12))*time.Hour, everyDay...))
		if j := rng.IntN(len(m.Teams)); j != q {
			// Another team's shift starting as the quiet team's does:
			// their roster events at that instant keep their order.
			m.Teams[j].OnSite = staffed(m, 1+rng.IntN(3), daily(from, from+time.Duration(2+rng.IntN(20))*time.Hour, everyDay...))
		}
		tm.Shrinkage = 0.1 + rng.Float64()/2
		if k%3 == 0 {
			// Past full load long enough for the watchdog's weekly looks
			// to stop the run: each must find the system as it was.
			m.WarmUp, m.Horizon = 0, 10*sim.Week
			tm.Shrinkage = 0.6
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("model %d: %v", k, err)
		}
		var sums [2]*sim.Summary
		var errs [2]string
		for i, skip := range []bool{false, true} {
			s, err := sim.RunRedraws(m, uint64(k), 2, skip)
			sums[i], errs[i] = s, fmt.Sprint(err)
		}
		if errs[0] != errs[1] || !reflect.DeepEqual(sums[0], sums[1]) {
			t.Errorf("model %d: redraws kept and left out differ (errors %s and %s)", k, errs[0], errs[1])
		}
		compared++
		if errs[0] != "<nil>" {
			stopped++
		}
	}
	t.Logf("%d models compared, %d stopped", compared, stopped)
	if compared < 30 || stopped < 5 {
		t.Errorf("too little compared: %d models, %d stopped by the watchdog", compared, stopped)
	}
}
