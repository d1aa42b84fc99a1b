// Package roster turns a team's schedule — shifts with head counts, on
// site or on call, on a dated calendar — into named people over a
// planning period of whole weeks: who works which shift on which day,
// with the rules a planner sets (days off a week, consecutive days, rest
// between shifts, weekly hours) and a fair rotation of nights, weekends
// and on-call turns. Every day's head count on every shift equals the
// schedule's exactly.
//
// # Method
//
// Make builds a roster day by day. A day's shifts are filled hardest
// first (the fewest eligible people per place); a shift's places go to
// the eligible people with the least work so far: fewest turns of the
// shift's kind (night, weekend, on call), then fewest days worked in the
// week, then fewest hours, then in turn. A person is eligible if he or
// she works nothing else that day and taking the shift keeps every rule.
// When a shift lacks people, a repair moves an earlier shift of a person
// who is blocked (by rest, consecutive days, days off or weekly hours) to
// someone free that day, if that frees the person. Then people short of
// the weekly minimum of hours get shifts from those who can spare them,
// and swaps between the people with the most and the fewest weekends,
// on-call turns and nights even them out. The roster is checked in full
// at the end (Check).
//
// When no roster is found, Make says which rule cannot be met and where,
// and whether the simple bounds prove that none exists with so few people
// (a day needing more people than the team has; a week's shifts beyond
// people × (7 − days off); any run of max consecutive days + 1 days
// beyond people × max consecutive days; a week's hours beyond people ×
// the weekly maximum; two shifts on consecutive days too close for the
// rest, needing more people together than the team has) or the method
// merely failed. MinPeople finds the fewest people the method rosters.
//
// # Conventions
//
// A shift belongs to the day it starts on, also when it runs past
// midnight; times are the wall clock's (a shift keeps its nominal length
// on a day that changes to or from summer time). A night shift has at
// least 3 hours between 22:00 and 06:00; a weekend shift starts on a
// Saturday or Sunday; weeks are the plan's, seven days from its start.
// Hours count on-call shifts in full (set a rule's weekly hours with that
// in mind).
package roster
