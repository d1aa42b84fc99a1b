package roster

import (
	"fmt"
	"time"
)

// A Violation is a rule a roster breaks: for a person, or (Person -1) a
// day's head count on a shift.
type Violation struct {
	Person int
	Day    int
	Rule   string
}

func (v Violation) String() string {
	return fmt.Sprintf("day %d, person %d: %s", v.Day, v.Person, v.Rule)
}

// Check verifies every rule on the roster and that each shift of each day
// has exactly the people the schedule asks for; it returns what is wrong.
func Check(r *Roster) []Violation {
	var out []Violation
	got := make([]int, len(r.Duties))
	for p := range r.People {
		for d, k := range r.Work[p] {
			switch {
			case k < 0:
			case k >= len(r.Duties) || r.Duties[k].Day != d:
				out = append(out, Violation{p, d, fmt.Sprintf("works duty %d, not one of the day's", k)})
			default:
				got[k]++
			}
		}
	}
	for k, duty := range r.Duties {
		if got[k] != duty.Need {
			out = append(out, Violation{-1, duty.Day, fmt.Sprintf("%s has %s, the schedule asks for %d", r.Shifts[duty.Shift], people(got[k]), duty.Need)})
		}
	}
	rules := &r.Rules
	weeks := len(r.Days) / 7
	for p := range r.People {
		prev, run := -1, 0
		days := make([]int, weeks)
		hours := make([]time.Duration, weeks)
		for d, k := range r.Work[p] {
			if k < 0 || k >= len(r.Duties) {
				run = 0
				continue
			}
			run++
			if rules.MaxConsecutive > 0 && run > rules.MaxConsecutive {
				out = append(out, Violation{p, d, fmt.Sprintf("%d days in a row, at most %d", run, rules.MaxConsecutive)})
			}
			if prev >= 0 {
				if rest := r.start(k) - r.end(prev); rest < rules.MinRest {
					out = append(out, Violation{p, d, fmt.Sprintf("%s of rest, at least %s", hoursMinutes(rest), hoursMinutes(rules.MinRest))})
				}
			}
			prev = k
			w := r.Days[d].Week
			days[w]++
			hours[w] += r.Duties[k].Length
		}
		for w := range weeks {
			if off := 7 - days[w]; off < rules.DaysOff {
				out = append(out, Violation{p, 7 * w, fmt.Sprintf("week %d: %s off, at least %d", w+1, dayCount(off), rules.DaysOff)})
			}
			h := hours[w].Hours()
			if rules.MaxHours > 0 && h > rules.MaxHours+1e-9 {
				out = append(out, Violation{p, 7 * w, fmt.Sprintf("week %d: %g hours, at most %g", w+1, h, rules.MaxHours)})
			}
			if h < rules.MinHours-1e-9 {
				out = append(out, Violation{p, 7 * w, fmt.Sprintf("week %d: %g hours, at least %g", w+1, h, rules.MinHours)})
			}
		}
	}
	return out
}
