package sim

import (
	"testing"
	"time"
)

// TestAutomationCommonRandomNumbers: two scenarios differing only in
// another tier's volume, or in the desk's head count, give a tier's
// automated attempts the same processing times ticket by ticket (common
// random numbers). The tier's tickets share the channel's line with the
// other tier's, and some go pending, whose wait and follow-up come from
// the same tier stream as the attempts' processing: where an attempt's
// time were drawn as it starts, the other tier's volume would decide which
// of the stream's numbers it gets.
func TestAutomationCommonRandomNumbers(t *testing.T) {
	// attempts gives tier 0's measured tickets by arrival: the time the
	// channel worked on those it resolved, -1 for those people resolved
	// after it tried them, -2 for those it never tried.
	attempts := func(other float64, desk int) map[time.Duration]time.Duration {
		rows, _ := traceRows(t, automationModel(other, desk), 5, []int{0})
		byArrival := map[time.Duration]time.Duration{}
		for _, r := range rows {
			if r.Tier != 0 {
				continue
			}
			switch {
			case r.Automated:
				byArrival[r.Arrival] = r.Handling
			case r.AutomationTried:
				byArrival[r.Arrival] = -1
			default:
				byArrival[r.Arrival] = -2
			}
		}
		return byArrival
	}
	base := attempts(3, 6)
	automated := 0
	for _, d := range base {
		if d > 0 {
			automated++
		}
	}
	if automated < 200 {
		t.Fatalf("%d of %d tickets resolved by the channel: too few to tell", automated, len(base))
	}
	for _, c := range []struct {
		name  string
		other float64
		desk  int
	}{{"the other tier twice as busy", 6, 6}, {"a desk of 8", 3, 8}} {
		got := attempts(c.other, c.desk)
		if len(got) != len(base) {
			t.Fatalf("%s: %d tickets, against %d", c.name, len(got), len(base))
		}
		differ := 0
		for at, d := range base {
			if got[at] != d {
				if differ++; differ <= 3 {
					t.Errorf("%s: the ticket arrived at %s: %s, against %s", c.name, at, got[at], d)
				}
			}
		}
		if differ > 0 {
			t.Errorf("%s: %d of %d tickets differ", c.name, differ, len(base))
		}
	}
}

// automationModel is a tier whose tickets the automated channel tries
// (some go pending), sharing the channel's two slots with another tier
// of other tickets an hour, and a desk of desk agents for both.
func automationModel(other float64, desk int) *Model {
	processing := Exponential{Mu: 10 * time.Minute}
	return &Model{WarmUp: 24 * time.Hour, Horizon: 20 * 24 * time.Hour, Agents: desk,
		Automation: Automation{Capacity: 2},
		Tiers: []Tier{
			{Name: "bots", Arrivals: ConstantRate(6), Handling: Exponential{Mu: 20 * time.Minute},
				Response: time.Hour, Resolution: 8 * time.Hour,
				Pending:    Pending{Probability: 0.4, Wait: Exponential{Mu: time.Hour}, FollowUp: Exponential{Mu: 10 * time.Minute}},
				Automation: TierAutomation{Eligible: 0.8, Success: 0.6, Processing: processing}},
			{Name: "other", Arrivals: ConstantRate(other), Handling: Exponential{Mu: 20 * time.Minute},
				Response: time.Hour, Resolution: 8 * time.Hour,
				Automation: TierAutomation{Eligible: 1, Success: 0.5, Processing: processing}},
		}}
}
