package staffing

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// valueAt is the value of the timeline at simulation time t.
func valueAt(s sim.Steps, t time.Duration) int {
	v := 0
	for i, at := range s.At {
		if at <= t {
			v = s.Value[i]
		}
	}
	return v
}

// checkSteps checks the timeline is well formed: it starts at 0, its times
// increase and each step changes the value.
func checkSteps(t *testing.T, s sim.Steps) {
	t.Helper()
	if len(s.At) == 0 || s.At[0] != 0 || len(s.At) != len(s.Value) {
		t.Fatalf("malformed steps %+v", s)
	}
	for i := 1; i < len(s.At); i++ {
		if s.At[i] <= s.At[i-1] || s.Value[i] == s.Value[i-1] || s.Value[i] < 0 {
			t.Fatalf("step %d of %+v", i, s)
		}
	}
}

func shift(loc *time.Location, days string, hours string, agents int, holidays ...Date) Shift {
	d, err := ParseDays(days)
	if err != nil {
		panic(err)
	}
	sp, err := ParseSpan(hours)
	if err != nil {
		panic(err)
	}
	s := Shift{Week: Week{Location: loc, Dates: Dates{Holidays: holidays}}, Agents: agents}
	s.Add(d, sp)
	return s
}

func onCall(s Shift) Shift {
	s.OnCall = true
	return s
}

// TestShiftCoverage checks head counts at known local times. The clock
// starts on Monday 2026-03-23 00:00 local, a week before Europe/Paris
// moves to summer time (Sunday 2026-03-29) and seven weeks before it
// moves back (Sunday 2026-10-25 is further; see TestShiftAutumn).
func TestShiftCoverage(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	newYork := mustLoad(t, "America/New_York")
	easter := Date{2026, time.April, 6} // Easter Monday
	type probe struct {
		at             string // local time in loc
		onSite, onCall int
	}
	tests := []struct {
		name   string
		loc    *time.Location // of the clock's origin and the probes
		shifts []Shift
		probes []probe
	}{{
		name:   "no agents outside a shift",
		loc:    time.UTC,
		shifts: []Shift{shift(time.UTC, "mon-fri", "08:00-20:00", 6)},
		probes: []probe{
			{"2026-03-23 07:59", 0, 0}, {"2026-03-23 08:00", 6, 0}, {"2026-03-23 19:59", 6, 0},
			{"2026-03-23 20:00", 0, 0}, {"2026-03-27 12:00", 6, 0}, {"2026-03-28 12:00", 0, 0},
			{"2026-03-29 12:00", 0, 0},
		},
	}, {
		name: "overlapping shifts add",
		loc:  time.UTC,
		shifts: []Shift{
			shift(time.UTC, "mon-fri", "08:00-20:00", 6),
			shift(time.UTC, "all", "00:00-24:00", 2),
			shift(time.UTC, "mon", "10:00-14:00", 1),
		},
		probes: []probe{
			{"2026-03-23 03:00", 2, 0}, {"2026-03-23 09:00", 8, 0}, {"2026-03-23 10:00", 9, 0},
			{"2026-03-23 14:00", 8, 0}, {"2026-03-24 10:00", 8, 0}, {"2026-03-28 10:00", 2, 0},
		},
	}, {
		name: "on call across midnight",
		loc:  time.UTC,
		shifts: []Shift{
			shift(time.UTC, "mon-fri", "08:00-20:00", 6),
			onCall(shift(time.UTC, "mon-fri", "20:00-08:00", 1)),
		},
		probes: []probe{
			{"2026-03-23 00:00", 0, 0}, // the Sunday before has no night shift
			{"2026-03-23 20:00", 0, 1}, {"2026-03-24 07:59", 0, 1}, {"2026-03-24 08:00", 6, 0},
			{"2026-03-28 07:00", 0, 1}, // Friday night runs into Saturday
			{"2026-03-28 08:00", 0, 0},
		},
	}, {
		name: "a night shift from before time 0",
		loc:  time.UTC,
		shifts: []Shift{
			shift(time.UTC, "sun", "22:00-06:00", 3),
		},
		probes: []probe{{"2026-03-23 00:00", 3, 0}, {"2026-03-23 05:59", 3, 0}, {"2026-03-23 06:00", 0, 0}},
	}, {
		name: "holidays off, and on for a shift that works them",
		loc:  time.UTC,
		shifts: []Shift{
			shift(time.UTC, "mon-fri", "08:00-20:00", 6, easter),
			shift(time.UTC, "all", "00:00-00:00", 2), // works on holidays
		},
		probes: []probe{{"2026-04-03 12:00", 8, 0}, {"2026-04-06 12:00", 2, 0}, {"2026-04-07 12:00", 8, 0}},
	}, {
		name:   "a night shift belongs to the day it starts, holidays too",
		loc:    time.UTC,
		shifts: []Shift{shift(time.UTC, "all", "22:00-06:00", 1, easter)},
		probes: []probe{
			{"2026-04-06 02:00", 1, 0}, // Sunday night's shift
			{"2026-04-06 23:00", 0, 0}, // Easter Monday night's is off
			{"2026-04-07 05:00", 0, 0},
			{"2026-04-07 23:00", 1, 0},
		},
	}, {
		name:   "the day clocks go forward",
		loc:    paris,
		shifts: []Shift{shift(paris, "all", "08:00-20:00", 4), shift(paris, "all", "00:00-04:00", 1)},
		probes: []probe{
			{"2026-03-28 08:00", 4, 0}, {"2026-03-29 07:59", 0, 0}, {"2026-03-29 08:00", 4, 0},
			{"2026-03-29 19:59", 4, 0}, {"2026-03-29 20:00", 0, 0}, {"2026-03-30 08:00", 4, 0},
			{"2026-03-29 01:59", 1, 0}, {"2026-03-29 03:00", 1, 0}, {"2026-03-29 04:00", 0, 0},
		},
	}, {
		name:   "a shift starting in the skipped hour starts when the clocks skip to",
		loc:    paris,
		shifts: []Shift{shift(paris, "sun", "02:30-05:00", 2)},
		probes: []probe{{"2026-03-29 01:59", 0, 0}, {"2026-03-29 03:00", 2, 0}, {"2026-03-29 05:00", 0, 0}},
	}, {
		name: "follow the sun: teams in two time zones",
		loc:  paris,
		shifts: []Shift{
			shift(paris, "mon-fri", "08:00-17:00", 5),
			shift(newYork, "mon-fri", "08:00-17:00", 3),
		},
		// New York moves to summer time on 2026-03-08, before the clock
		// starts: 08:00 there is 13:00 in Paris until Paris moves too.
		probes: []probe{
			{"2026-03-23 12:59", 5, 0}, {"2026-03-23 13:00", 8, 0}, {"2026-03-23 16:59", 8, 0},
			{"2026-03-23 17:00", 3, 0}, {"2026-03-23 21:59", 3, 0}, {"2026-03-23 22:00", 0, 0},
			// After 29 March both are on summer time: 08:00 New York is
			// 14:00 Paris.
			{"2026-03-30 13:00", 5, 0}, {"2026-03-30 14:00", 8, 0},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			origin := time.Date(2026, time.March, 23, 0, 0, 0, 0, tt.loc)
			clock := Epoch{Origin: origin}
			sched := Schedule{Shifts: tt.shifts}
			end := 4 * sim.Week
			onSite, onCall := sched.Timelines(clock, end)
			checkSteps(t, onSite)
			checkSteps(t, onCall)
			for _, p := range tt.probes {
				at, err := time.ParseInLocation("2006-01-02 15:04", p.at, tt.loc)
				if err != nil {
					t.Fatal(err)
				}
				if got := valueAt(onSite, clock.Sim(at)); got != p.onSite {
					t.Errorf("%s: %d on site, want %d", p.at, got, p.onSite)
				}
				if got := valueAt(onCall, clock.Sim(at)); got != p.onCall {
					t.Errorf("%s: %d on call, want %d", p.at, got, p.onCall)
				}
			}
			for _, s := range [][]time.Duration{onSite.At, onCall.At} {
				if s[len(s)-1] > end {
					t.Errorf("steps past the end: %v", s)
				}
			}
		})
	}
}

// TestShiftAutumn checks a night shift on the night clocks go back lasts an
// hour longer, and the mean head count over a week with a 25-hour day.
func TestShiftAutumn(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	origin := time.Date(2026, time.October, 19, 0, 0, 0, 0, paris) // a Monday
	clock := Epoch{Origin: origin}
	sched := Schedule{Shifts: []Shift{shift(paris, "all", "22:00-06:00", 1)}}
	onSite, _ := sched.Timelines(clock, sim.Week+time.Hour)
	// Saturday 24 October 22:00 to Sunday 06:00 spans the change: 9 hours.
	sat := clock.Sim(time.Date(2026, time.October, 24, 22, 0, 0, 0, paris))
	for _, tt := range []struct {
		after time.Duration
		want  int
	}{{-time.Minute, 0}, {0, 1}, {9*time.Hour - time.Minute, 1}, {9 * time.Hour, 0}} {
		if got := valueAt(onSite, sat+tt.after); got != tt.want {
			t.Errorf("%v after Saturday 22:00: %d, want %d", tt.after, got, tt.want)
		}
	}
	// The 169 hours to Monday 26 October 00:00 hold Monday 00:00-06:00
	// (Sunday night's shift before), five nights of 8 hours, Saturday's of
	// 9 and Sunday 22:00-24:00.
	want := float64(6+5*8+9+2) / float64(7*24+1)
	if got := onSite.Mean(0, sim.Week+time.Hour); got < want-1e-9 || got > want+1e-9 {
		t.Errorf("mean %v, want %v", got, want)
	}
}

func TestIntervals(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	// Half-hour staffing: 4 agents 09:00-17:00 on weekdays, 1 at 12:30,
	// none on the weekend; Tuesday 31 March is a holiday.
	agents := make([]int, 336)
	for d := range 5 {
		for h := 18; h < 34; h++ {
			agents[d*48+h] = 4
		}
	}
	agents[25] = 1                        // Monday 12:30-13:00
	agents[6*48+4] = 7                    // Sunday 02:00-02:30
	holiday := Date{2026, time.March, 31} // a Tuesday
	iv := Intervals{Location: paris, Agents: agents, Dates: Dates{Holidays: []Date{holiday}}}
	sched := Schedule{Intervals: []Intervals{iv}, Shifts: []Shift{onCall(shift(paris, "all", "20:00-08:00", 1))}}
	origin := time.Date(2026, time.March, 22, 18, 0, 0, 0, paris) // Sunday evening
	clock := Epoch{Origin: origin}
	onSite, onCallSteps := sched.Timelines(clock, 2*sim.Week)
	checkSteps(t, onSite)
	checkSteps(t, onCallSteps)
	for _, tt := range []struct {
		at     string
		onSite int
	}{
		{"2026-03-22 18:00", 0}, {"2026-03-23 08:59", 0}, {"2026-03-23 09:00", 4}, {"2026-03-23 12:30", 1},
		{"2026-03-23 13:00", 4}, {"2026-03-23 16:59", 4}, {"2026-03-23 17:00", 0}, {"2026-03-24 09:00", 4},
		{"2026-03-29 01:59", 0},
		// 02:00-03:00 does not exist on 29 March: the 02:00 interval is skipped.
		{"2026-03-29 03:00", 0},
		{"2026-03-30 09:00", 4}, {"2026-03-31 09:00", 0}, {"2026-04-01 09:00", 4},
	} {
		at, _ := time.ParseInLocation("2006-01-02 15:04", tt.at, paris)
		if got := valueAt(onSite, clock.Sim(at)); got != tt.onSite {
			t.Errorf("%s: %d on site, want %d", tt.at, got, tt.onSite)
		}
	}
	if onSite.Value[0] != 0 {
		t.Errorf("value at 0 %d, want 0", onSite.Value[0])
	}
	// Agent-hours: a weekday has 8 × 4, a Monday 1.5 less for 12:30. The
	// first week has five weekdays, the second four (the holiday) and the
	// Sunday 02:00 half hour of 5 April, 3.5; 29 March's was skipped.
	if got, want := onSite.Mean(0, 2*sim.Week)*float64(2*sim.Week)/float64(time.Hour), 9*32-2*1.5+3.5; abs(got-want) > 1e-6 {
		t.Errorf("%v agent-hours, want %v", got, want)
	}
	for at := clock.Sim(time.Date(2026, time.March, 29, 0, 0, 0, 0, paris)); at < clock.Sim(time.Date(2026, time.March, 29, 6, 0, 0, 0, paris)); at += time.Minute {
		if valueAt(onSite, at) != 0 {
			t.Errorf("%v: staffed, on the night clocks skip the staffed 02:00", clock.Origin.Add(at))
			break
		}
	}
	if got := valueAt(onCallSteps, clock.Sim(time.Date(2026, time.March, 23, 7, 0, 0, 0, paris))); got != 1 {
		t.Errorf("on call Monday 07:00: %d, want 1", got)
	}

	// The day clocks go back, the repeated interval is staffed twice.
	autumn := Epoch{Origin: time.Date(2026, time.October, 24, 0, 0, 0, 0, paris)}
	plain := Schedule{Intervals: []Intervals{{Location: paris, Agents: agents}}}
	onSite, _ = plain.Timelines(autumn, 3*24*time.Hour)
	first := autumn.Sim(time.Date(2026, time.October, 25, 0, 0, 0, 0, time.UTC)) // 02:00 CEST
	for _, at := range []time.Duration{first, first + 29*time.Minute, first + time.Hour, first + time.Hour + 29*time.Minute} {
		if got := valueAt(onSite, at); got != 7 {
			t.Errorf("%v: %d, want 7", autumn.Origin.Add(at), got)
		}
	}
	if got := valueAt(onSite, first+30*time.Minute); got != 0 {
		t.Errorf("02:30 CEST: %d, want 0", got)
	}
}

// TestIntervalUnits: the timelines of one agent per interval, weighted by
// the head counts, add up to the pattern's own timeline, across a spring
// and an autumn clock change, a holiday and a workday standing for a
// Monday; and each is 0 or 1, never two intervals at once.
func TestIntervalUnits(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	agents := make([]int, 336)
	for i := range agents {
		agents[i] = (i*7 + 3) % 5
	}
	dates := Dates{Holidays: []Date{{2026, time.March, 31}}, Workdays: []Workday{{Date{2026, time.April, 4}, time.Monday}}}
	for _, origin := range []time.Time{time.Date(2026, time.March, 22, 18, 0, 0, 0, paris), time.Date(2026, time.October, 20, 0, 0, 0, 0, paris)} {
		clock := Epoch{Origin: origin}
		iv := Intervals{Location: paris, Agents: agents, Dates: dates}
		want, _ := (&Schedule{Intervals: []Intervals{iv}}).Timelines(clock, 3*sim.Week)
		units := iv.Units(clock, 3*sim.Week)
		var scaled []sim.Steps
		all := Sum(units...)
		for k, u := range units {
			checkSteps(t, u)
			v := make([]int, len(u.Value))
			for i, x := range u.Value {
				v[i] = x * agents[k]
			}
			scaled = append(scaled, sim.Steps{At: u.At, Value: v})
		}
		if got := Sum(scaled...); !slices.Equal(got.At, want.At) || !slices.Equal(got.Value, want.Value) {
			t.Errorf("from %v: the units weighted by the head counts differ from the pattern's timeline", origin)
		}
		if slices.Max(all.Value) > 1 {
			t.Errorf("from %v: two intervals at work at once", origin)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestSum(t *testing.T) {
	a := sim.Steps{At: []time.Duration{0, 10, 20}, Value: []int{1, 3, 0}}
	b := sim.Steps{At: []time.Duration{5, 20, 30}, Value: []int{2, 3, 0}}
	s := Sum(a, b)
	checkSteps(t, s)
	want := sim.Steps{At: []time.Duration{0, 5, 10, 20, 30}, Value: []int{1, 3, 5, 3, 0}}
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("Sum = %v, want %v", s, want)
	}
	if s := Sum(); len(s.At) != 1 || s.Value[0] != 0 {
		t.Errorf("Sum() = %v", s)
	}
}

func TestParseDays(t *testing.T) {
	for _, tt := range []struct {
		in, want, err string
	}{
		{"mon-fri", "Monday Tuesday Wednesday Thursday Friday", ""},
		{"Sat, SUN", "Sunday Saturday", ""},
		{"all", "Sunday Monday Tuesday Wednesday Thursday Friday Saturday", ""},
		{"weekdays", "Monday Tuesday Wednesday Thursday Friday", ""},
		{"weekend", "Sunday Saturday", ""},
		{"fri-mon", "Sunday Monday Friday Saturday", ""},
		{"wed", "Wednesday", ""},
		{"mon,wed-thu", "Monday Wednesday Thursday", ""},
		{"", "", "no days given"},
		{"monday", "", `"monday" is not a day`},
		{"mon-", "", `"mon-" is not a day`},
		{"mon-thu-fri", "", `"mon-thu-fri" is not a day`},
	} {
		days, err := ParseDays(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseDays(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		var got []string
		for d, on := range days {
			if on {
				got = append(got, time.Weekday(d).String())
			}
		}
		if err != nil || strings.Join(got, " ") != tt.want {
			t.Errorf("ParseDays(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestParseSpan(t *testing.T) {
	h := time.Hour
	for _, tt := range []struct {
		in     string
		want   Span
		length time.Duration
		err    string
	}{
		{"09:00-18:00", Span{9 * h, 18 * h}, 9 * h, ""},
		{"8:30-12:00", Span{8*h + 30*time.Minute, 12 * h}, 3*h + 30*time.Minute, ""},
		{"22:00-06:00", Span{22 * h, 6 * h}, 8 * h, ""},
		{"00:00-24:00", Span{0, 0}, 24 * h, ""},
		{"00:00-00:00", Span{0, 0}, 24 * h, ""},
		{"20:00-24:00", Span{20 * h, 0}, 4 * h, ""},
		{"08:00-08:00", Span{8 * h, 8 * h}, 24 * h, ""},
		{" 09:00 - 17:00 ", Span{9 * h, 17 * h}, 8 * h, ""},
		{"09:00", Span{}, 0, "not a time range"},
		{"9-17", Span{}, 0, `"9" is not a time of day`},
		{"24:00-06:00", Span{}, 0, "between 00:00 and 23:59"},
		{"09:60-10:00", Span{}, 0, "between 00:00 and 23:59"},
		{"09:00-1000", Span{}, 0, "not a time of day"},
	} {
		s, err := ParseSpan(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSpan(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || s != tt.want || s.Length() != tt.length {
			t.Errorf("ParseSpan(%q) = %v (%v long), %v; want %v", tt.in, s, s.Length(), err, tt.want)
		}
		if back, err := ParseSpan(s.String()); err != nil || back.Length() != s.Length() || back.From != s.From {
			t.Errorf("%v does not read back: %v, %v", s, back, err)
		}
	}
}

func TestReadIntervals(t *testing.T) {
	var b strings.Builder
	b.WriteString("Interval, desk ,experts\n")
	for q := range 336 {
		day := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sunday"}[q/48]
		fmt.Fprintf(&b, "%s %02d:%02d,%d,%d\n", day, q%48/2, q%2*30, q%48/2, 2)
	}
	cols, err := ReadIntervals("plan.csv", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != 2 || len(cols["desk"]) != 336 || cols["desk"][17] != 8 || cols["desk"][6*48+47] != 23 || cols["experts"][100] != 2 {
		t.Errorf("columns %v", cols)
	}

	// Spreadsheets' "CSV UTF-8" begins with a byte-order mark: the first
	// row was no header, "\ufeffInterval" not being "interval".
	if bom, err := ReadIntervals("plan.csv", strings.NewReader("\ufeff"+b.String())); err != nil || !maps.EqualFunc(bom, cols, slices.Equal) {
		t.Errorf("with a byte-order mark: %v", err)
	}
	var utf16 []byte
	for _, r := range "\ufeff" + b.String() {
		utf16 = binary.LittleEndian.AppendUint16(utf16, uint16(r))
	}

	rows := strings.Split(b.String(), "\n")
	for _, tt := range []struct {
		name, src, err string
	}{
		// Both were told the first row is no header, or that the file
		// has 0 rows.
		{"UTF-16", string(utf16), "plan.csv:1: NUL bytes: the file looks UTF-16"},
		{"carriage returns alone", strings.ReplaceAll(b.String(), "\n", "\r"), "plan.csv:1: lines end with a carriage return alone"},
		{"empty", "", "plan.csv: file is empty"},
		{"no header", "Mon 00:00,1\n", "plan.csv:1: the first row must be a header"},
		{"too few rows", strings.Join(rows[:100], "\n"), "plan.csv: has 99 rows of intervals; a week has 168 hours, 336 half hours or 672 quarter hours"},
		{"repeated column", strings.Replace(b.String(), "experts", "desk", 1), `plan.csv:1: column 3: "desk" is empty or repeated`},
		{"bad count", strings.Replace(b.String(), "Mon 00:30,0,2", "Mon 00:30,-1,2", 1), `plan.csv:3: column desk: "-1" is not a number of agents`},
		{"fraction", strings.Replace(b.String(), "Mon 00:30,0,2", "Mon 00:30,0,2.5", 1), `plan.csv:3: column experts: "2.5" is not a number`},
		{"off the grid", strings.Replace(b.String(), "Mon 00:30", "Mon 00:20", 1), `plan.csv:3: "Mon 00:20" does not start an interval: with this many rows, intervals start every 30 minutes`},
		{"repeated interval", strings.Replace(b.String(), "Mon 00:30", "Mon 00:00", 1), "plan.csv:3: Mon 00:00 repeats the interval of line 2"},
		{"bad label", strings.Replace(b.String(), "Mon 00:30", "M 00:30", 1), `plan.csv:3: "M 00:30" is not the start of an interval; write a weekday and a time, such as Mon 08:30`},
		{"short row", strings.Replace(b.String(), "Mon 00:30,0,2", "Mon 00:30,0", 1), "plan.csv:3: wrong number of fields"},
	} {
		_, err := ReadIntervals("plan.csv", strings.NewReader(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
		}
	}
}

// TestLocalTimes checks the fast local-time arithmetic against the time
// package, across daylight-saving changes, in zones east and west of UTC
// and one whose clocks move by half an hour.
func TestLocalTimes(t *testing.T) {
	for _, name := range []string{"UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"} {
		loc := mustLoad(t, name)
		from := time.Date(2024, time.March, 1, 0, 7, 0, 0, loc)
		step := 13*time.Minute + 500*time.Millisecond
		times := LocalTimes(loc, from, step, 40000) // nine months
		for i, got := range times {
			lt := from.Add(time.Duration(i) * step).In(loc)
			day := (int(lt.Weekday()) + 6) % 7
			tod := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute +
				time.Duration(lt.Second())*time.Second + time.Duration(lt.Nanosecond())
			if got.WeekOffset() != time.Duration(day)*24*time.Hour+tod || got.TimeOfDay != tod ||
				got.Date != dateOf(lt) || got.Weekday != lt.Weekday() {
				t.Fatalf("%s: %v: local time %+v (week offset %v)", name, lt, got, got.WeekOffset())
			}
		}
	}
}
