package scenarios

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// teamsValid is a scenario with teams, calendars and every lifecycle field,
// without problems or warnings; error cases replace parts of it.
const teamsValid = `name: teams
simulation: {start: 2024-03-25, timezone: Europe/Paris, horizon: 2w, warm_up: 1w}
calendars:
  - name: office
    hours: {mon-fri: "09:00-18:00"}
    holidays: [2024-04-01]
arrivals:
  volume: 100/day
  daily_cv: 0.35
  bursts: [{tier: urgent, rate: 2/month, mean_size: 12, spread: 20m}]
tiers:
  - name: urgent
    share: 10%
    targets: {response: 15m, resolution: 4h}
    off_hours: {calendar: office, response: 4h}
    handling: {mean: 1h}
    escalation:
      - {probability: 30%, handling: {mean: 2h}}
      - {probability: 10%, handling: {mean: 3h}}
  - name: routine
    share: 90%
    targets: {response: 1h, resolution: 1d, calendar: office}
    handling: {mean: 30m}
    pending: {probability: 10%, wait: {mean: 1d}, follow_up: {mean: 20m}}
    misclassified: 1.3%
    deflected: 10%
    automation: {eligible: 70%, success: 85%, processing: {distribution: deterministic, mean: 2m}}
teams:
  - name: desk
    levels: [L1]
    holidays: office
    shifts:
      - {days: mon-fri, hours: "08:00-20:00", agents: 6}
    shrinkage: 30%
  - name: duty
    shifts:
      - {hours: "00:00-24:00", agents: 2}
  - name: experts
    tiers: [urgent]
    levels: [L2, L3]
    shifts:
      - {days: mon-fri, hours: "09:00-17:00", agents: 2}
      - {days: mon-fri, hours: "17:00-09:00", agents: 1, on_call: true}
    on_call_delay: 30m
    shift_end: hand_back
automation: {capacity: 10, counts_as_response: true}
`

// edit returns teamsValid with each old text, which must occur once,
// replaced by the new one that follows it.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	src := teamsValid
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := strings.Count(src, pairs[i]); n != 1 {
			t.Fatalf("%q occurs %d times", pairs[i], n)
		}
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

func TestTeamsValid(t *testing.T) {
	s, err := Parse("test.yaml", []byte(teamsValid))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
	if err := s.Model().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestTeamsErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"time zone, start and drain", edit(t, "{start: 2024-03-25, timezone: Europe/Paris,", "{start: 2024-02-30, timezone: Europe/Pari, drain: 0,"), []string{
			`test.yaml:2: simulation.start: "2024-02-30" is not a date like 2026-12-25`,
			`test.yaml:2: simulation.timezone: unknown time zone "Europe/Pari"; give an IANA name such as Europe/Paris, America/New_York or UTC`,
			`test.yaml:2: simulation.drain: must be > 0, got 0`,
		}},
		{"simulated period too long", edit(t, "horizon: 2w", "horizon: 1040w"), []string{
			"test.yaml:2: simulation.horizon: warm_up + horizon + drain must be at most 1040w (20 years); for more confidence, add replications",
		}},
		{"daily cv", edit(t, "daily_cv: 0.35", "daily_cv: -1"), []string{
			"test.yaml:9: arrivals.daily_cv: must be from 0 (Poisson) to 10, got -1; real service desks see 0.2 to 0.5",
		}},
		{"bursts", edit(t, "bursts: [{tier: urgent, rate: 2/month, mean_size: 12, spread: 20m}]", "bursts: [{tier: urgnet, rate: 2, mean_size: 0.5}]"), []string{
			"test.yaml:10: arrivals.bursts[0].spread: missing; give the mean delay of an incident's tickets after it starts, such as spread: 20m",
			`test.yaml:10: arrivals.bursts[0].tier: no tier named "urgnet"; did you mean urgent?`,
			"test.yaml:10: arrivals.bursts[0].rate: must be a number of tickets per h, day, week or month, such as 150/day, got 2",
			"test.yaml:10: arrivals.bursts[0].mean_size: must be >= 1, got 0.5",
		}},
		{"calendars", edit(t, "    holidays: [2024-04-01]\n", `    holidays: [2024-04-01]
  - name: office
    timezone: Mars/Olympus
    hours: {mon-fri: "09:00-18:00", fri: "09:00-16:00", sunday: "10:00-12:00", sat: ["10:00-25:00"]}
    holidays: [2024-13-01]
  - hours: {all: []}
  - name: nothing
`), []string{
			"test.yaml:7: calendars[1].name: repeats the name of calendars[0]; calendar names must be unique",
			`test.yaml:8: calendars[1].timezone: unknown time zone "Mars/Olympus"; give an IANA name such as Europe/Paris, America/New_York or UTC`,
			`test.yaml:9: calendars[1].hours.fri: gives fri again, after mon-fri on line 9; give each day once, with a list if it has several ranges, such as ["08:00-12:00", "13:00-17:00"]`,
			`test.yaml:9: calendars[1].hours.sunday: "sunday" is not a day; write mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, weekdays, weekend or all`,
			`test.yaml:9: calendars[1].hours.sat[0]: "25:00" is not a time of day between 00:00 and 23:59`,
			`test.yaml:10: calendars[1].holidays[0]: "2024-13-01" is not a date like 2026-12-25`,
			"test.yaml:11: calendars[2].name: missing; every calendar needs a name, such as name: office",
			"test.yaml:11: calendars[2].hours.all: must not be empty; leave the day out if it has no hours",
			`test.yaml:12: calendars[3].hours: missing; give the business hours by day, such as hours: {mon-fri: "09:00-18:00"}`,
		}},
		{"calendar names in targets", edit(t, "calendar: office, response: 4h}", "calendar: ofice, response: 4h}", "{response: 1h, resolution: 1d, calendar: office}", "{response: 1h, resolution: 1d, calendar: office, response_calendar: office}"), []string{
			`test.yaml:15: tiers[0].off_hours.calendar: no calendar named "ofice"; did you mean office?`,
			"test.yaml:22: tiers[1].targets.response_calendar: give calendar (both clocks) or response_calendar, not both",
		}},
		{"a calendar without calendars", strings.Replace(valid, "{response: 1h, resolution: 1d}", "{response: 1h, resolution: 1d, resolution_calendar: office}", 1), []string{
			`test.yaml:11: tiers[1].targets.resolution_calendar: no calendar named "office": define it under calendars, such as calendars: [{name: office, hours: {mon-fri: "09:00-18:00"}}]`,
		}},
		{"off hours without targets or calendar", edit(t, "off_hours: {calendar: office, response: 4h}", "off_hours: {}"), []string{
			"test.yaml:15: tiers[0].off_hours.calendar: missing; give the calendar whose closed hours these targets apply to, such as calendar: office",
			"test.yaml:15: tiers[0].off_hours: give a response or resolution target for tickets arriving out of hours, or both",
		}},
		{"escalation", edit(t, "{probability: 10%, handling: {mean: 3h}}", "{probability: 110%}"), []string{
			"test.yaml:19: tiers[0].escalation[1].handling: missing; give the next level's handling time, such as handling: {distribution: lognormal, mean: 2h, cv: 1}",
			"test.yaml:19: tiers[0].escalation[1].probability: must be >= 0 and <= 1 (100%), got 110%",
		}},
		{"escalation too deep", edit(t, "      - {probability: 10%, handling: {mean: 3h}}\n", "      - {probability: 10%, handling: {mean: 3h}}\n      - {probability: 10%, handling: {mean: 3h}}\n"), []string{
			"test.yaml:18: tiers[0].escalation: has 3 steps; tickets escalate at most twice, from L1 to L2 and from L2 to L3",
		}},
		{"pending", edit(t, "pending: {probability: 10%, wait: {mean: 1d}, follow_up: {mean: 20m}}", "pending: {probability: 0, follow_up: {mean: 0}}"), []string{
			"test.yaml:24: tiers[1].pending.wait: missing; give how long the customer takes to reply, such as wait: {mean: 1d}",
			"test.yaml:24: tiers[1].pending.probability: must be > 0 and <= 1 (100%), got 0",
			"test.yaml:24: tiers[1].pending.follow_up.mean: must be > 0, got 0",
		}},
		{"shares of a tier", edit(t, "misclassified: 1.3%", "misclassified: 100%", "deflected: 10%", "deflected: 1"), []string{
			"test.yaml:25: tiers[1].misclassified: must be >= 0 and < 1 (100%), got 100%",
			"test.yaml:26: tiers[1].deflected: must be >= 0 and < 1 (100%), got 1",
		}},
		{"misclassified with one tier", `arrivals: {volume: 10/h}
tiers:
  - name: all
    share: 100%
    targets: {response: 1h, resolution: 4h}
    handling: {mean: 30m}
    misclassified: 1%
agents: 8
`, []string{"test.yaml:7: tiers[0].misclassified: needs another tier for tickets to be mistaken for"}},
		{"automation of a tier", edit(t, "automation: {eligible: 70%, success: 85%, processing: {distribution: deterministic, mean: 2m}}", "automation: {success: 1.5}"), []string{
			"test.yaml:27: tiers[1].automation.eligible: missing; give the share of tickets the engine attempts, such as eligible: 70%",
			"test.yaml:27: tiers[1].automation.processing: missing; give the duration of an attempt, such as processing: {distribution: deterministic, mean: 2m}",
			"test.yaml:27: tiers[1].automation.success: must be >= 0 and <= 1 (100%), got 1.5",
		}},
		{"automation without capacity", edit(t, "automation: {capacity: 10, counts_as_response: true}\n", ""), []string{
			"test.yaml:27: tiers[1].automation: the automated channel needs a capacity: give how many attempts it runs at once, at the top level, such as automation: {capacity: 20}",
		}},
		{"automation capacity", edit(t, "capacity: 10", "capacity: 0"), []string{
			"test.yaml:46: automation.capacity: must be >= 1, got 0",
		}},
		{"agents and teams", edit(t, "teams:\n", "agents: 3\nteams:\n"), []string{
			"test.yaml:28: agents: give agents or teams, not both: agents are a single team on duty around the clock; with teams, each shift has its agents (teams[0].shifts[0].agents)",
		}},
		{"no teams", strings.Replace(valid, "agents: 8", "teams: []", 1), []string{
			"test.yaml:13: teams: must list at least one team",
		}},
		{"teams", edit(t, "  - name: duty\n", "  - name: desk\n    tiers: [urgent, urgnt, urgent]\n    levels: [L4, L1, L1]\n    shrinkage: 100%\n    shift_end: leave\n    holidays: ofice\n  - name: duty\n"), []string{
			`test.yaml:35: teams[1]: needs shifts or intervals: when its agents work, such as shifts: [{days: mon-fri, hours: "08:00-20:00", agents: 6}]`,
			"test.yaml:35: teams[1].name: repeats the name of teams[0]; team names must be unique",
			`test.yaml:36: teams[1].tiers[1]: no tier named "urgnt"; did you mean urgent?`,
			"test.yaml:36: teams[1].tiers[2]: repeats urgent",
			"test.yaml:37: teams[1].levels[0]: must be L1, L2 or L3, got L4",
			"test.yaml:37: teams[1].levels[2]: repeats L1",
			"test.yaml:38: teams[1].shrinkage: must be >= 0 and < 1 (100%), got 100%",
			"test.yaml:39: teams[1].shift_end: must be finish (finish the ticket in hand, in overtime) or hand_back (hand it back to the queue), got leave",
			`test.yaml:40: teams[1].holidays: no calendar named "ofice"; did you mean office?`,
		}},
		{"empty skills", edit(t, "    tiers: [urgent]\n    levels: [L2, L3]\n", "    tiers: []\n    levels: []\n"), []string{
			"test.yaml:39: teams[2].tiers: must not be empty; leave tiers out for a team that works on all",
			"test.yaml:40: teams[2].levels: must not be empty; leave levels out for a team that works at every level",
		}},
		{"shifts", edit(t, `{days: mon-fri, hours: "08:00-20:00", agents: 6}`, `{days: mon-thu-fri, hours: "08:00", agents: -1, on_call: maybe}`, `{hours: "00:00-24:00", agents: 2}`, `{agents: 2}`), []string{
			`test.yaml:33: teams[0].shifts[0].days: "mon-thu-fri" is not a day; write mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, weekdays, weekend or all`,
			`test.yaml:33: teams[0].shifts[0].hours: "08:00" is not a time range; write it as 09:00-18:00`,
			"test.yaml:33: teams[0].shifts[0].agents: must be >= 0, got -1",
			"test.yaml:33: teams[0].shifts[0].on_call: must be true or false, got maybe",
			`test.yaml:37: teams[1].shifts[0].hours: missing; give the shift's time of day, such as hours: "08:00-20:00"`,
		}},
		{"holidays of a calendar without any", edit(t, "    holidays: [2024-04-01]\n", ""), []string{
			"test.yaml:30: teams[0].holidays: calendar office has no holidays and no workdays",
		}},
		{"no team for a level", edit(t, "    levels: [L2, L3]\n", "    levels: [L3]\n", "  - name: duty\n    shifts:", "  - name: duty\n    tiers: [routine]\n    shifts:"), []string{
			"test.yaml:18: tiers[0].escalation[0]: no team works on urgent tickets at L2: add urgent to a team's tiers and L2 to its levels (a team without tiers or levels takes them all), or its tickets escalated to L2 will never be served",
		}},
		{"no team for a tier", edit(t, "    levels: [L1]\n", "    levels: [L1]\n    tiers: [urgent]\n", "  - name: duty\n    shifts:", "  - name: duty\n    tiers: [urgent]\n    shifts:"), []string{
			"test.yaml:20: tiers[1].name: no team works on routine tickets at L1: add routine to a team's tiers and L1 to its levels (a team without tiers or levels takes them all), or its tickets will never be served",
		}},
		{"misclassified tickets reaching a level no team works at", edit(t, "    escalation:\n      - {probability: 30%", "    misclassified: 1%\n    escalation:\n      - {probability: 30%", "  - name: duty\n    shifts:", "  - name: duty\n    tiers: [urgent]\n    shifts:"), []string{
			"test.yaml:17: tiers[0].misclassified: urgent tickets mistaken for routine need a team that works on routine at L2, and there is none",
		}},
		{"intervals", edit(t, "      - {hours: \"00:00-24:00\", agents: 2}\n", "      - {hours: \"00:00-24:00\", agents: 2}\n    intervals: {agents: [1, 2], file: x.csv}\n", "    on_call_delay: 30m\n", "    intervals: {column: x}\n    on_call_delay: 30m\n"), []string{
			"test.yaml:38: teams[1].intervals.file: give agents or file, not both",
			"test.yaml:45: teams[2].intervals.column: names a column of the file; give file too",
		}},
		{"intervals of the wrong length", edit(t, "      - {hours: \"00:00-24:00\", agents: 2}\n", "      - {hours: \"00:00-24:00\", agents: 2}\n    intervals: {agents: [1, 2, 3]}\n"), []string{
			"test.yaml:38: teams[1].intervals.agents: must have a head count per hour (168), half hour (336) or quarter hour (672) of the week, from Monday 00:00; got 3",
		}},
		{"team without a schedule", edit(t, "    shifts:\n      - {hours: \"00:00-24:00\", agents: 2}\n", "    intervals: {}\n"), []string{
			"test.yaml:36: teams[1].intervals: give agents, a head count per interval of the week, or file, a CSV file of them",
		}},
		{"too many agents", edit(t, "agents: 6}", "agents: 60000}", "agents: 2}\n  - name: experts", "agents: 60000}\n  - name: experts"), []string{
			"test.yaml:29: teams: have 120003 agents in all, at most 100000 can be simulated",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// stepsAt is the value of a timeline at simulation time t.
func stepsAt(s sim.Steps, t time.Duration) int {
	v := 0
	for i, at := range s.At {
		if at <= t {
			v = s.Value[i]
		}
	}
	return v
}

// TestTeamsModel checks the conversion of every new field to the engine's
// model: team timelines at known local times, calendars' due times, and
// the lifecycle fields.
func TestTeamsModel(t *testing.T) {
	s, err := Parse("test.yaml", []byte(teamsValid))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	paris, _ := time.LoadLocation("Europe/Paris")
	clock := s.Epoch()
	local := func(month time.Month, day, hour, minute int) time.Duration {
		return clock.Sim(time.Date(2024, month, day, hour, minute, 0, 0, paris))
	}
	if want := time.Date(2024, time.March, 18, 0, 0, 0, 0, paris); !clock.Origin.Equal(want) {
		t.Errorf("time 0 is %v, want %v", clock.Origin, want)
	}
	if m.WeekOffset != 0 || m.WarmUp != week || m.Horizon != 2*week || m.Drain != sim.DefaultDrain || m.Agents != 0 {
		t.Errorf("start %v, warm-up %v, horizon %v, drain %v, agents %d", m.WeekOffset, m.WarmUp, m.Horizon, m.Drain, m.Agents)
	}
	if m.DailyCV != 0.35 || m.Automation != (sim.Automation{Capacity: 10, CountsAsResponse: true}) {
		t.Errorf("daily CV %v, automation %+v", m.DailyCV, m.Automation)
	}
	// 2/month is 2 × 168 / 730.5 incidents a week.
	if len(m.Bursts) != 1 || m.Bursts[0].Tier != 0 || math.Abs(m.Bursts[0].PerWeek-2*168/730.5) > 1e-12 || m.Bursts[0].MeanSize != 12 || m.Bursts[0].Spread != 20*time.Minute {
		t.Errorf("bursts %+v", m.Bursts)
	}

	if len(m.Teams) != 3 {
		t.Fatalf("%d teams", len(m.Teams))
	}
	desk, duty, experts := m.Teams[0], m.Teams[1], m.Teams[2]
	if desk.Name != "desk" || desk.Tiers != nil || !slices.Equal(desk.Levels, []int{0}) || desk.Shrinkage != 0.3 || desk.HandBack || desk.OnCallDelay != nil {
		t.Errorf("desk %+v", desk)
	}
	if !slices.Equal(experts.Tiers, []int{0}) || !slices.Equal(experts.Levels, []int{1, 2}) || !experts.HandBack || experts.OnCallDelay != (sim.Deterministic{Value: 30 * time.Minute}) {
		t.Errorf("experts %+v", experts)
	}
	for _, tt := range []struct {
		name  string
		steps sim.Steps
		at    time.Duration
		want  int
	}{
		{"desk Monday 07:59", desk.OnSite, local(time.March, 25, 7, 59), 0},
		{"desk Monday 08:00", desk.OnSite, local(time.March, 25, 8, 0), 6},
		{"desk Friday 19:59", desk.OnSite, local(time.March, 29, 19, 59), 6},
		{"desk Saturday", desk.OnSite, local(time.March, 30, 12, 0), 0},
		{"desk Easter Monday, a holiday of the office calendar", desk.OnSite, local(time.April, 1, 10, 0), 0},
		// Summer time from 31 March: 08:00 is still 08:00 local.
		{"desk Tuesday 07:59 summer time", desk.OnSite, local(time.April, 2, 7, 59), 0},
		{"desk Tuesday 08:00 summer time", desk.OnSite, local(time.April, 2, 8, 0), 6},
		{"desk in the warm-up", desk.OnSite, local(time.March, 18, 9, 0), 6},
		{"duty at time 0", duty.OnSite, 0, 2},
		{"duty at the end of the drain", duty.OnSite, s.End() - 1, 2},
		{"duty never on call", duty.OnCall, local(time.March, 25, 3, 0), 0},
		{"experts on site", experts.OnSite, local(time.March, 26, 10, 0), 2},
		{"experts on call at night", experts.OnCall, local(time.March, 26, 22, 0), 1},
		{"experts not on site at night", experts.OnSite, local(time.March, 26, 22, 0), 0},
		{"experts Saturday 08:59 (Friday night's call)", experts.OnCall, local(time.March, 30, 8, 59), 1},
		{"experts Saturday 09:00", experts.OnCall, local(time.March, 30, 9, 0), 0},
	} {
		if got := stepsAt(tt.steps, tt.at); got != tt.want {
			t.Errorf("%s: %d agents, want %d", tt.name, got, tt.want)
		}
	}

	urgent, routine := m.Tiers[0], m.Tiers[1]
	if urgent.ResponseCalendar != nil || urgent.ResolutionCalendar != nil || urgent.OffHours.Calendar == nil ||
		urgent.OffHours.Response != 4*time.Hour || urgent.OffHours.Resolution != 0 {
		t.Errorf("urgent clocks %+v", urgent)
	}
	if routine.ResponseCalendar == nil || routine.ResponseCalendar != routine.ResolutionCalendar || routine.ResponseCalendar != urgent.OffHours.Calendar {
		t.Errorf("routine calendars %p, %p; off-hours %p: want one shared calendar", routine.ResponseCalendar, routine.ResolutionCalendar, urgent.OffHours.Calendar)
	}
	// Friday 29 March 17:30 + 1 h of office time: the weekend, Easter
	// Monday and the change to summer time pass, and it is due Tuesday
	// 09:30 local.
	office := routine.ResponseCalendar
	if due, ok := office.Due(local(time.March, 29, 17, 30), time.Hour); !ok || due != local(time.April, 2, 9, 30) {
		t.Errorf("due at %v, want Tuesday 2 April 09:30", clock.Origin.Add(due).In(paris))
	}
	if office.IsOpen(local(time.March, 25, 8, 59)) || !office.IsOpen(local(time.March, 25, 9, 0)) || office.IsOpen(local(time.April, 1, 12, 0)) {
		t.Error("office hours wrong")
	}
	if len(urgent.Escalation) != 2 || urgent.Escalation[0].Probability != 0.3 || urgent.Escalation[1].Handling != (sim.Exponential{Mu: 3 * time.Hour}) {
		t.Errorf("escalation %+v", urgent.Escalation)
	}
	if p := routine.Pending; p.Probability != 0.1 || p.Wait != (sim.Exponential{Mu: day}) || p.FollowUp != (sim.Exponential{Mu: 20 * time.Minute}) {
		t.Errorf("pending %+v", p)
	}
	if math.Abs(routine.Misclassified-0.013) > 1e-15 || routine.Deflected != 0.1 || urgent.Misclassified != 0 || urgent.Deflected != 0 {
		t.Errorf("misclassified %v, deflected %v", routine.Misclassified, routine.Deflected)
	}
	if a := routine.Automation; a.Eligible != 0.7 || a.Success != 0.85 || a.Processing != (sim.Deterministic{Value: 2 * time.Minute}) {
		t.Errorf("automation %+v", a)
	}

	// Model reads the fields afresh: a change to a shift shows.
	s.Teams[0].Schedule.Shifts[0].Agents = 9
	s.Arrivals.Scale = 2
	m = s.Model()
	if got := stepsAt(m.Teams[0].OnSite, local(time.March, 25, 8, 0)); got != 9 {
		t.Errorf("after the change, %d agents", got)
	}
	if math.Abs(m.Bursts[0].PerWeek-4*168/730.5) > 1e-12 {
		t.Errorf("scaled bursts %v a week", m.Bursts[0].PerWeek)
	}
}

// rateAt reads the arrival rate at simulation time t the way the engine
// does: the profile repeats from Model.WeekOffset at the start of the
// measured window.
func rateAt(m *sim.Model, tier int, t time.Duration) float64 {
	p := m.Tiers[tier].Arrivals
	period := p.Period()
	offset := ((t+m.WeekOffset-m.WarmUp)%period + period) % period
	return p.Rates[offset/p.Interval]
}

// TestLocalProfile checks that arrival rates follow local time, whatever
// the start, the warm-up and the time zone's changes to and from summer
// time.
func TestLocalProfile(t *testing.T) {
	hours := make([]string, 24)
	for h := range hours {
		hours[h] = strconv.Itoa(h + 1) // every hour has its own weight
	}
	quarters := make([]string, 672)
	for q := range quarters {
		quarters[q] = strconv.Itoa(q%96 + 1 + q/96*100)
	}
	tests := []struct {
		name, zone, start, warmUp, profile string
		unrolled                           bool
	}{
		{"UTC", "UTC", "2024-03-25", "1w", "{by_hour: [" + strings.Join(hours, ", ") + "]}", false},
		{"Paris in winter", "Europe/Paris", "2024-01-03", "1d", "{by_hour: [" + strings.Join(hours, ", ") + "]}", false},
		{"Paris into summer time", "Europe/Paris", "2024-03-27", "1d7h13m", "{by_hour: [" + strings.Join(hours, ", ") + "]}", true},
		{"New York out of summer time", "America/New_York", "2024-10-30", "1w", "{by_hour: [" + strings.Join(hours, ", ") + "]}", true},
		{"quarter hours, Lord Howe's half-hour change", "Australia/Lord_Howe", "2024-04-01", "2d", "{weekly: [" + strings.Join(quarters, ", ") + "]}", true},
		{"Sydney by day", "Australia/Sydney", "2024-03-31", "3d", "{by_day: {mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7}}", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(valid, "  volume: 240/day\n", "  volume: 240/day\n  profile: "+tt.profile+"\n", 1)
			src += fmt.Sprintf("simulation: {timezone: %s, start: %s, warm_up: %s, horizon: 2w}\n", tt.zone, tt.start, tt.warmUp)
			s, err := Parse("test.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			m := s.Model()
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			p := s.Tiers[0].Profile
			rates := m.Tiers[0].Arrivals.Rates
			if unrolled := len(rates) != len(p.Weights); unrolled != tt.unrolled {
				t.Errorf("%d rates for %d weights; want unrolled %v", len(rates), len(p.Weights), tt.unrolled)
			}
			loc, clock := location(s.Simulation.Location), s.Epoch()
			rate := 240.0 / 24 * 0.1 // urgent's 10%, per hour
			// Probe every 7 minutes, away from interval boundaries.
			for at := time.Minute; at < m.WarmUp+m.Horizon; at += 7 * time.Minute {
				lt := clock.Origin.Add(at).In(loc)
				if lt.Minute()%15 == 0 {
					continue
				}
				want := rate * p.Weights[weekOffset(lt)/p.Interval]
				if got := rateAt(m, 0, at); math.Abs(got-want) > 1e-9 {
					t.Fatalf("at %v (time %v): rate %v, want %v", lt, at, got, want)
				}
			}
		})
	}
}

func TestTeamsWarnings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"no night cover", edit(t, `{hours: "00:00-24:00", agents: 2}`, `{days: mon-fri, hours: "08:00-20:00", agents: 2}`), []string{
			// Nights and weekends; the window is two weeks of real time,
			// so it ends at 01:00 local after the change to summer time.
			"test.yaml:12: tiers[0].name: tickets arrive while no team that works on urgent at L1 has anyone on site or on call, for 9d of the 2w measured window, first from Mon 2024-03-25 00:00 to Mon 2024-03-25 08:00 (Europe/Paris); they wait for the next shift",
		}},
		{"too few agents", edit(t, "volume: 100/day", "volume: 2000/day"), []string{
			"test.yaml:29: teams: the offered load of 28.7 Erlangs (tickets per hour × mean agent hours per ticket) needs more than the 4.3 agents the teams have on average over the measured window, on site less shrinkage or on call: queues grow without bound, and a run reports the system unstable",
		}},
		// Only the experts may take urgent's L2 and L3 work, whatever the
		// rest of the desk could spare.
		{"experts overloaded", edit(t, "{probability: 30%, handling: {mean: 2h}}", "{probability: 30%, handling: {mean: 20h}}",
			"  - name: duty\n    shifts:", "  - name: duty\n    levels: [L1]\n    shifts:"), []string{
			"test.yaml:39: teams[2].name: urgent L2 and urgent L3: 2.74 Erlangs of work that only experts may take, with 0.952 agents on average over the measured window (busy 287.4% of the time): queues grow without bound, and a run reports the system unstable",
		}},
		{"automation too small", edit(t, "distribution: deterministic, mean: 2m", "distribution: deterministic, mean: 5h"), []string{
			"test.yaml:46: automation.capacity: automated attempts need 11.8 slots on average, more than the 10 the engine has: its queue grows without bound",
		}},
		{"unused calendar, holidays of another year, a team without work", edit(t,
			"    holidays: [2024-04-01]\n", "    holidays: [2024-04-01]\n  - name: spare\n    hours: {all: \"00:00-24:00\"}\n    holidays: [2023-04-01, 2025-04-01]\n",
			"automation: {capacity", "  - name: idle\n    tiers: [routine]\n    levels: [L2]\n    shifts: [{hours: \"09:00-17:00\", agents: 1}]\nautomation: {capacity"), []string{
			"test.yaml:7: calendars[1].name: is not used: name it in a tier's targets or off_hours, in a team's holidays, as the arrivals' calendar or a service's maintenance",
			"test.yaml:9: calendars[1].holidays: none of these dates falls in the simulated period, 2024-03-18 to 2024-06-03; is the year right?",
			"test.yaml:49: teams[3].name: gets no tickets: no tier it works on reaches its levels",
		}},
		{"automation unused", valid + "automation: {capacity: 3}\n", []string{
			"test.yaml:14: automation: has no effect: no tier sends tickets to automation",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range s.Warnings {
				got = append(got, w.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got warnings\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestIntervalsFile checks staffing read from a CSV file next to the
// scenario, and the problems a file can have.
func TestIntervalsFile(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("interval,desk,L2 experts\n")
	for h := range 168 {
		desk := 0
		if day, hour := h/24, h%24; day < 5 && hour >= 8 && hour < 20 {
			desk = 12
		}
		fmt.Fprintf(&b, "%s %02d:00,%d,3\n", []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}[h/24], h%24, desk)
	}
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("plan.csv", b.String())
	outside := filepath.Join(t.TempDir(), "plan.csv")
	if err := os.WriteFile(outside, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "sub", "link.csv")); err != nil {
		t.Fatal(err)
	}
	write("bad.csv", strings.Replace(b.String(), "Tue 09:00,12,3", "Tue 09:00,five,3", 1))
	scenario := func(desk, experts string) string {
		return strings.Replace(valid, "agents: 8", `teams:
  - name: desk
    intervals: `+desk+`
  - name: experts
    intervals: `+experts+`
`, 1)
	}

	s, err := Load(write("ok.yaml", scenario("{file: plan.csv}", `{file: plan.csv, column: L2 experts}`)))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings %v", s.Warnings)
	}
	m := s.Model()
	// The default start is Monday 1 January 2024 in UTC, after a day of
	// warm-up.
	for _, tt := range []struct {
		team int
		at   time.Duration
		want int
	}{
		{0, day + 7*time.Hour + 59*time.Minute, 0}, {0, day + 8*time.Hour, 12}, {0, day + 20*time.Hour, 0},
		{0, 6 * day, 0}, {1, 0, 3}, {1, 6 * day, 3},
	} {
		if got := stepsAt(m.Teams[tt.team].OnSite, tt.at); got != tt.want {
			t.Errorf("team %d at %v: %d agents, want %d", tt.team, tt.at, got, tt.want)
		}
	}

	// A file with a single column serves a team of any name.
	var single strings.Builder
	single.WriteString("interval,agents\n")
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[1:] {
		label, counts, _ := strings.Cut(line, ",")
		desk, _, _ := strings.Cut(counts, ",")
		single.WriteString(label + "," + desk + "\n")
	}
	write("single.csv", single.String())
	one, err := Load(write("single.yaml", scenario("{file: single.csv}", "{file: plan.csv, column: L2 experts}")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := one.Teams[0].Schedule.Intervals[0].Agents, s.Teams[0].Schedule.Intervals[0].Agents; !slices.Equal(got, want) {
		t.Errorf("single column: %v, want %v", got[:24], want[:24])
	}

	for _, tt := range []struct {
		desk, experts string
		want          []string
	}{
		{"{file: missing.csv}", "{file: bad.csv, column: L2 experts}", []string{
			"missing.csv: no such file or directory",
			`bad.csv:35: column desk: "five" is not a number of agents (a whole number >= 0)`,
		}},
		{"{file: plan.csv, column: Desk}", "{file: plan.csv}", []string{
			`plan.csv has no column "Desk" (the team's name, unless column: says otherwise); did you mean desk?`,
			`plan.csv has no column "experts" (the team's name, unless column: says otherwise); did you mean L2 experts?`,
		}},
		{"{file: single.csv, column: desk}", "{file: plan.csv, column: L2 experts}", []string{
			`single.csv has no column "desk" (the team's name, unless column: says otherwise); expected one of agents`,
		}},
		{"{file: sub}", "{agents: [" + strings.TrimSuffix(strings.Repeat("3, ", 336), ", ") + "]}", []string{
			"sub is not a file",
		}},
		// A scenario reads files in its directory, or below, and nowhere else.
		{"{file: " + outside + "}", "{file: ../" + filepath.Base(dir) + "/plan.csv}", []string{
			outside + " is an absolute path; name a file in the scenario's directory (or below it), relative to it",
			"../" + filepath.Base(dir) + "/plan.csv leads out of the scenario's directory; name a file in it (or below it), relative to it",
		}},
		{"{file: sub/link.csv}", "{file: plan.csv, column: L2 experts}", []string{
			"sub/link.csv: path escapes from parent",
		}},
	} {
		_, err := Load(write("bad.yaml", scenario(tt.desk, tt.experts)))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%s, %s: got %v, want problems", tt.desk, tt.experts, err)
		}
		var got []string
		for _, p := range ve.Problems {
			got = append(got, p.Reason)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
		}
	}
}

// weekOffset is the local time t as an offset from Monday 00:00.
func weekOffset(t time.Time) time.Duration {
	day := (int(t.Weekday()) + 6) % 7
	return time.Duration(day)*24*time.Hour + time.Duration(t.Hour())*time.Hour +
		time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second
}
