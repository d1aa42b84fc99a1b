package scenarios

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/contract"
	"github.com/slasim/slasim/staffing/sizing"
)

// sizedTeams is a scenario with two teams, one with interval staffing too.
const sizedTeams = `name: sized
arrivals:
  volume: 100/day
tiers:
  - name: urgent
    share: 10%
    targets: {response: 15m, resolution: 4h}
    handling: {mean: 1h}
  - name: routine
    share: 90%
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 30m}
teams:
  - name: desk
    shifts:
      - {days: mon-fri, hours: "08:00-20:00", agents: 6}
      - {days: weekend, hours: "08:00-20:00", agents: 2}
    shrinkage: 20%
  - name: experts
    shifts:
      - {days: all, hours: "00:00-24:00", agents: 2}
      - {days: all, hours: "20:00-08:00", agents: 1, on_call: true}
`

func TestSizingDefaults(t *testing.T) {
	s, err := Parse("test.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	z := s.Sizing
	want := []contract.Levels{{Response: 0.95, Resolution: 0.95}, {Response: 0.95, Resolution: 0.95}}
	if !reflect.DeepEqual(z.Levels, want) || z.Confidence != 0.95 {
		t.Errorf("levels %v at %v, want %v at 0.95", z.Levels, z.Confidence, want)
	}
	p, err := s.SizingProblem()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Posts) != 1 || p.Posts[0].Agents != 8 || p.Posts[0].Cost != 1 || p.Posts[0].Min != 0 || p.Posts[0].Max != 0 {
		t.Errorf("posts %+v, want one post of 8 agents at cost 1, unbounded", p.Posts)
	}
}

func TestSizingTeams(t *testing.T) {
	src := sizedTeams + `sizing:
  level: 90%
  confidence: 90%
  tiers:
    - {tier: urgent, response: 99%}
    - {tier: routine, resolution: 0}
  cost: 35
  max: 20
  teams:
    - team: experts
      cost: 80
      on_call_cost: 8
      shifts: [{min: 2}, {max: 2}]
`
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	z := s.Sizing
	if want := []contract.Levels{{Response: 0.99, Resolution: 0.9}, {Response: 0.9, Resolution: 0}}; !reflect.DeepEqual(z.Levels, want) || z.Confidence != 0.9 {
		t.Errorf("levels %v at %v, want %v at 0.9", z.Levels, z.Confidence, want)
	}
	p, err := s.SizingProblem()
	if err != nil {
		t.Fatal(err)
	}
	type post struct {
		name     string
		onCall   bool
		min, max int
		cost     float64
		agents   int
		hours    float64 // a week, per agent
	}
	want := []post{
		{"desk: mon-fri 08:00-20:00", false, 0, 20, 35, 6, 60},
		{"desk: sat-sun 08:00-20:00", false, 0, 20, 35, 2, 24},
		{"experts: mon-sun 00:00-24:00", false, 2, 20, 80, 2, 168},
		{"experts: mon-sun 20:00-08:00 on call", true, 0, 2, 8, 1, 84},
	}
	if len(p.Posts) != len(want) {
		t.Fatalf("%d posts, want %d", len(p.Posts), len(want))
	}
	for i, q := range p.Posts {
		got := post{q.Name, q.OnCall, q.Min, q.Max, q.Cost, q.Agents, sizing.WeeklyHours(q.Unit, p.Model)}
		if math.Abs(got.hours-want[i].hours) > 1e-9 {
			t.Errorf("post %d: %v hours a week, want %v", i, got.hours, want[i].hours)
		}
		got.hours = want[i].hours
		if got != want[i] {
			t.Errorf("post %d: %+v, want %+v", i, got, want[i])
		}
	}
	// Work on call at the team's working rate, no fee.
	if want := []sizing.CallOutCost{{Work: 35}, {Work: 80}}; !slices.Equal(p.CallOuts, want) {
		t.Errorf("call-out costs %v, want %v", p.CallOuts, want)
	}
	// The shifts are the posts: the model keeps no staffing of its own.
	for _, tm := range p.Model.Teams {
		if sizing.WeeklyHours(tm.OnSite, p.Model)+sizing.WeeklyHours(tm.OnCall, p.Model) != 0 || p.FixedCost != 0 {
			t.Errorf("team %s keeps staffing outside the posts (fixed cost %v)", tm.Name, p.FixedCost)
		}
	}
}

func TestSizingCallOuts(t *testing.T) {
	for _, c := range []struct {
		sizing string
		want   []sizing.CallOutCost
	}{
		{"sizing: {cost: 30, call_out_fee: 40}\n", []sizing.CallOutCost{{Work: 30, Fee: 40}, {Work: 30, Fee: 40}}},
		{"sizing: {cost: 30, on_call_work_cost: 45}\n", []sizing.CallOutCost{{Work: 45, Fee: 0}, {Work: 45, Fee: 0}}},
		{"sizing:\n  cost: 30\n  teams: [{team: experts, cost: 70, call_out_fee: 90}]\n", []sizing.CallOutCost{{Work: 30, Fee: 0}, {Work: 70, Fee: 90}}},
		{"sizing:\n  on_call_work_cost: 0\n  teams: [{team: experts, on_call_work_cost: 100}]\n", []sizing.CallOutCost{{Work: 0, Fee: 0}, {Work: 100, Fee: 0}}},
	} {
		s, err := Parse("test.yaml", []byte(sizedTeams+c.sizing))
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.SizingProblem()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.CallOuts, c.want) {
			t.Errorf("%s: call-out costs %v, want %v", c.sizing, p.CallOuts, c.want)
		}
	}
	got := problems(t, sizedTeams+"sizing: {call_out_fee: -1, teams: [{team: desk, on_call_work_cost: 2e9}]}\n")
	want := []string{
		"test.yaml:23: sizing.call_out_fee: must be a cost per call-out from 0 to 1e9, got -1",
		"test.yaml:23: sizing.teams[0].on_call_work_cost: must be a cost per agent-hour from 0 to 1e9, got 2e9",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// TestSizingIntervals: a team's interval staffing is sized, interval by
// interval, unless sizing.teams keeps it, when it is fixed staffing costed
// at the team's rate.
func TestSizingIntervals(t *testing.T) {
	counts := strings.Repeat("1, ", 167) + "1"
	with := strings.Replace(sizedTeams, "    shrinkage: 20%\n", "    shrinkage: 20%\n    intervals: {agents: ["+counts+"]}\n", 1)
	s, err := Parse("test.yaml", []byte(with+"sizing: {cost: 10, max: 9, teams: [{team: desk, intervals: {block: 2h, min: 1}}]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.SizingProblem()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Intervals) != 1 || p.FixedCost != 0 {
		t.Fatalf("%d interval staffings sized, fixed cost %v; want the desk's, none fixed", len(p.Intervals), p.FixedCost)
	}
	iv := p.Intervals[0]
	if iv.Path != "teams[0].intervals" || len(iv.Units) != 168 || iv.Length != time.Hour || iv.Block != 2 || iv.Min != 1 || iv.Max != 9 || iv.Cost != 10 {
		t.Errorf("interval staffing %+v", iv)
	}
	src := with + "sizing: {cost: 10, teams: [{team: desk, intervals: {keep: true}}]}\n"
	s, err = Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err = s.SizingProblem()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Posts) != 4 {
		t.Fatalf("%d posts, want 4", len(p.Posts))
	}
	if want := 168 * 10.0; math.Abs(p.FixedCost-want) > 1e-9 {
		t.Errorf("fixed cost %v a week, want %v (one agent around the clock at 10)", p.FixedCost, want)
	}
}

func TestSizingErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{{
		name: "levels out of range",
		src:  valid + "sizing:\n  level: 100%\n  confidence: 30%\n  tiers:\n    - {tier: urgent, response: -1%}\n",
		want: []string{
			"test.yaml:15: sizing.level: must be >= 0 and < 1 (100%), got 100%",
			"test.yaml:16: sizing.confidence: must be at least 50%, such as 95%: the lower end of a narrower interval promises little, got 30%",
			"test.yaml:18: sizing.tiers[0].response: must be >= 0 and < 1 (100%), got -1%",
		},
	}, {
		name: "unknown and repeated tiers",
		src:  valid + "sizing:\n  tiers:\n    - {tier: urgnet, response: 99%}\n    - {tier: routine, response: 90%}\n    - {tier: routine}\n",
		want: []string{
			`test.yaml:16: sizing.tiers[0].tier: no tier named "urgnet"; did you mean urgent?`,
			"test.yaml:18: sizing.tiers[2].tier: repeats tier routine of sizing.tiers[1]; give each tier's levels once",
		},
	}, {
		name: "bounds",
		src:  valid + "sizing:\n  min: 5\n  max: 3\n  cost: -2\n",
		want: []string{
			"test.yaml:16: sizing.max: must be at least min (5), got 3",
			"test.yaml:17: sizing.cost: must be a cost per agent-hour from 0 to 1e9, got -2",
		},
	}, {
		name: "interval sizing",
		src:  sizedTeams + "sizing:\n  teams:\n    - {team: desk, intervals: {block: 20m}}\n    - {team: experts, intervals: {keep: true}}\n",
		want: []string{
			"test.yaml:25: sizing.teams[0].intervals: says how to size interval staffing, but team desk has none (teams[].intervals)",
			"test.yaml:25: sizing.teams[0].intervals.block: must be quarter hours from 15m to 24h, such as 4h, got 20m",
			"test.yaml:26: sizing.teams[1].intervals: says how to size interval staffing, but team experts has none (teams[].intervals)",
		},
	}, {
		name: "teams without teams",
		src:  valid + "sizing:\n  teams: [{team: desk, cost: 3}]\n",
		want: []string{"test.yaml:15: sizing.teams: names teams, but the scenario has agents instead: give their cost and bounds with sizing.cost, sizing.min and sizing.max"},
	}, {
		name: "teams",
		src: sizedTeams + `sizing:
  teams:
    - {team: dsek, cost: 3}
    - {team: experts, shifts: [{min: 2}]}
    - {team: experts}
    - {cost: 4}
`,
		want: []string{
			`test.yaml:25: sizing.teams[0].team: no team named "dsek"; expected one of desk, experts`,
			"test.yaml:26: sizing.teams[1].shifts: has 1 item for the 2 shifts of team experts; give one per shift, in the same order ({} leaves a shift with the default bounds)",
			"test.yaml:27: sizing.teams[2].team: repeats team experts of sizing.teams[1]; give each team once",
			"test.yaml:28: sizing.teams[3].team: missing; name the team, such as team: service desk",
		},
	}, {
		name: "offered shifts",
		src: sizedTeams + `sizing:
  shifts:
    - {team: dsek, starts: "06:00", lengths: 8h}
    - {team: desk, days: [mon-fri, someday], starts: "06:00-25:00", every: 0s, lengths: [25h]}
    - {team: desk, lengths: [8h]}
    - {team: desk, starts: "00:00-23:59", every: 1m, lengths: [8h]}
`,
		want: []string{
			`test.yaml:25: sizing.shifts[0].team: no team named "dsek"; expected one of desk, experts`,
			`test.yaml:26: sizing.shifts[1].days[1]: "someday" is not a day; write mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, weekdays, weekend or all`,
			`test.yaml:26: sizing.shifts[1].starts: "25:00" is not a time of day between 00:00 and 23:59`,
			"test.yaml:26: sizing.shifts[1].lengths[0]: must be whole minutes from 1m to 24h, got 25h",
			`test.yaml:27: sizing.shifts[2].starts: missing; give the start times, such as starts: "06:00-14:00" (06:00 to 14:00, a step of every apart) or starts: "22:00"`,
			"test.yaml:28: sizing.shifts[3]: offers 1440 shifts with those before it, at most 500: use a coarser grid (every), fewer lengths or fewer sets of days (see docs/limits.md)",
		},
	}, {
		name: "risk without a contract",
		src:  sizedTeams + "sizing:\n  risk: {termination: 5%}\n",
		want: []string{"test.yaml:24: sizing.risk: needs a contract: it bounds the contract's risks; give a contract section, or remove risk"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}
