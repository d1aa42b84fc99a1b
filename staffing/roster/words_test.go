package roster

import (
	"strings"
	"testing"
	"time"
)

// TestWords reads the rules, refusals and rest times at one of each: one
// person read "1 people", one day off "1 days off", a rest of 10h30m
// "10h30m0s".
func TestWords(t *testing.T) {
	one := Rules{DaysOff: 1, MinRest: 10*time.Hour + 30*time.Minute}
	for _, c := range []struct{ got, want string }{
		{one.daysOffRule(), "1 day off a week"},
		{(&Rules{DaysOff: 2}).daysOffRule(), "2 days off a week"},
		{one.restRule(), "min rest 10h30m"},
		{hoursMinutes(11 * time.Hour), "11h"},
		{hoursMinutes(45 * time.Minute), "45m"},
		{hoursMinutes(-90 * time.Minute), "-1h30m"},
		// A rest with seconds (shift times may have them) reads to the
		// nearest minute: 1h59m45s read "1h00m", 59m50s "60m".
		{hoursMinutes(time.Hour + 59*time.Minute + 45*time.Second), "2h"},
		{hoursMinutes(59*time.Minute + 50*time.Second), "1h"},
		{hoursMinutes(10*time.Hour + 5*time.Minute + 20*time.Second), "10h05m"},
		{(&Infeasible{Team: "desk", Where: "Mon", Need: 1, Available: 0, Rule: oneShiftADay, Detail: people(0) + " in the team", Proven: true, People: 0}).Error(),
			"team desk, Mon: needs 1 person, only 0 may work after one shift a day (0 people in the team); no roster of 0 people can meet it"},
		{(&Infeasible{Team: "desk", Where: "week 1", Unit: "shifts", Need: 7, Available: 6, Rule: one.daysOffRule(), Detail: people(1) + " × " + dayCount(6), Proven: true, People: 1, MinPeople: 1}).Error(),
			"needs 7 shifts, only 6 may work after 1 day off a week (1 person × 6 days); no roster of 1 person can meet it; 1 person can be rostered"},
		{(&Infeasible{Team: "desk", Where: "week 1", Unit: "hours", Need: 1, Available: 0, Rule: "max 0 hours a week", People: 2}).Error(),
			"needs 1 hour, only 0 may work after max 0 hours a week; the method found no roster of 2 people"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%q lacks %q", c.got, c.want)
		}
	}
}
