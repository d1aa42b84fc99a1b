package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

// csvFile reads a CSV file into its header's columns and its rows.
func csvFile(t *testing.T, path string) (map[string]int, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	return col, rows[1:]
}

// TestTraceAgreesWithReport: the trace of a run's three replications of
// the front door (callers hanging up, chats, travel, aging, an on-call
// rota) recomputes what the run reports for them: per replication, tier
// and clock the tickets, those within target and the attainment exactly as
// replications.csv has them; per tier the JSON report's tickets, breached,
// unanswered, abandoned, blocked and flow counts (arrived = by automation
// + by people + abandoned + blocked + open at the horizon), and its
// attainment as the mean of the replications'. The trace is the same byte
// for byte on one worker or two.
func TestTraceAgreesWithReport(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.csv")
	args := []string{"run", "front-door", "-r", "3", "--horizon", "1w", "--trace", trace, "--trace-replications", "0-2", "--json", "--csv", dir}
	code, out, errs := slasim(t, context.Background(), append(args, "--workers", "2")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Tiers []struct {
			Name     string
			Response struct {
				Tickets, Breached, Unanswered int64
				Attainment                    struct{ Mean float64 }
			}
			Resolution struct {
				Tickets, Breached int64
				Attainment        struct{ Mean float64 }
			}
			Flow struct {
				Arrived, Abandoned, Blocked, Unresolved, Aged, Misclassified int64
				ByAutomation                                                 int64 `json:"by_automation"`
				ByPeople                                                     int64 `json:"by_people"`
				OpenAtHorizon                                                int64 `json:"open_at_horizon"`
			}
			Abandoned, Blocked *struct{ Tickets int64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	col, rows := csvFile(t, trace)
	if len(rows) < 1000 {
		t.Fatalf("%d rows", len(rows))
	}
	type key struct {
		rep         string
		tier, clock string
	}
	type count struct{ tickets, met int64 }
	per := map[key]*count{}
	add := func(k key, met bool) {
		c := per[k]
		if c == nil {
			c = &count{}
			per[k] = c
		}
		c.tickets++
		if met {
			c.met++
		}
	}
	type tierCounts struct {
		arrived, automated, people, abandoned, blocked, open, unresolved, aged, misclassified, unanswered int64
		abandonedAll, blockedAll                                                                          int64
	}
	tiers := map[string]*tierCounts{}
	const horizon = 7 * 24 * 3600
	for _, r := range rows {
		tier := r[col["tier"]]
		tc := tiers[tier]
		if tc == nil {
			tc = &tierCounts{}
			tiers[tier] = tc
		}
		add(key{r[col["replication"]], tier, "response"}, r[col["response_met"]] == "true")
		if m := r[col["resolution_met"]]; m != "" {
			add(key{r[col["replication"]], tier, "resolution"}, m == "true")
		}
		end, err := strconv.ParseFloat(r[col["end_s"]], 64)
		if err != nil {
			t.Fatal(err)
		}
		outcome := r[col["outcome"]]
		tc.arrived++
		switch {
		case end >= horizon:
			tc.open++
		case outcome == "abandoned":
			tc.abandoned++
		case outcome == "blocked":
			tc.blocked++
		case outcome == "automated":
			tc.automated++
		default:
			tc.people++
		}
		switch outcome {
		case "abandoned":
			tc.abandonedAll++
			tc.unanswered++
		case "blocked":
			tc.blockedAll++
			tc.unanswered++
		case "unresolved":
			tc.unresolved++
		}
		if r[col["aged"]] == "true" {
			tc.aged++
		}
		if r[col["arrived_as"]] != tier {
			tc.misclassified++
		}
	}

	// replications.csv, exactly.
	rc, reps := csvFile(t, filepath.Join(dir, "replications.csv"))
	if len(reps) == 0 {
		t.Fatal("no replications.csv rows")
	}
	means := map[[2]string]float64{}
	for _, r := range reps {
		k := key{r[rc["replication"]], r[rc["tier"]], r[rc["clock"]]}
		c := per[k]
		if c == nil {
			c = &count{}
		}
		att := ""
		if c.tickets > 0 {
			att = strconv.FormatFloat(float64(c.met)/float64(c.tickets), 'g', -1, 64)
			means[[2]string{k.tier, k.clock}] += float64(c.met) / float64(c.tickets) / 3
		}
		if got := []string{r[rc["tickets"]], r[rc["met"]], r[rc["attainment"]]}; !slices.Equal(got, []string{strconv.FormatInt(c.tickets, 10), strconv.FormatInt(c.met, 10), att}) {
			t.Errorf("replication %s, %s %s: replications.csv has tickets, met, attainment %v; the trace %d, %d, %s", k.rep, k.tier, k.clock, got, c.tickets, c.met, att)
		}
	}

	// The JSON report.
	for _, tr := range doc.Tiers {
		tc := tiers[tr.Name]
		if tc == nil {
			t.Fatalf("no rows of tier %s", tr.Name)
		}
		var resp, respMet, resol, resolMet int64
		for k, c := range per {
			switch {
			case k.tier != tr.Name:
			case k.clock == "response":
				resp, respMet = resp+c.tickets, respMet+c.met
			default:
				resol, resolMet = resol+c.tickets, resolMet+c.met
			}
		}
		f := tr.Flow
		got := []int64{tr.Response.Tickets, tr.Response.Breached, tr.Response.Unanswered, tr.Resolution.Tickets, tr.Resolution.Breached,
			f.Arrived, f.ByAutomation, f.ByPeople, f.Abandoned, f.Blocked, f.OpenAtHorizon, f.Unresolved, f.Aged, f.Misclassified}
		want := []int64{resp, resp - respMet, tc.unanswered, resol, resol - resolMet,
			tc.arrived, tc.automated, tc.people, tc.abandoned, tc.blocked, tc.open, tc.unresolved, tc.aged, tc.misclassified}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the report has %v, the trace %v (tickets, breached, unanswered; resolution tickets, breached; flow)", tr.Name, got, want)
		}
		if f.Arrived != f.ByAutomation+f.ByPeople+f.Abandoned+f.Blocked+f.OpenAtHorizon {
			t.Errorf("%s: flow %+v does not conserve tickets", tr.Name, f)
		}
		for _, o := range []struct {
			name string
			got  *struct{ Tickets int64 }
			want int64
		}{{"abandoned", tr.Abandoned, tc.abandonedAll}, {"blocked", tr.Blocked, tc.blockedAll}} {
			if o.got == nil && o.want > 0 || o.got != nil && o.got.Tickets != o.want {
				t.Errorf("%s: %s %v in the report, %d in the trace", tr.Name, o.name, o.got, o.want)
			}
		}
		// The report's mean sums exactly; the one here is rounded three
		// times.
		for _, c := range []struct {
			clock string
			mean  float64
		}{{"response", tr.Response.Attainment.Mean}, {"resolution", tr.Resolution.Attainment.Mean}} {
			if want := means[[2]string{tr.Name, c.clock}]; math.Abs(c.mean-want) > 1e-15 {
				t.Errorf("%s %s: attainment %v in the report, %v from the trace", tr.Name, c.clock, c.mean, want)
			}
		}
	}
	if tiers["hotline"].abandonedAll == 0 {
		t.Error("no caller hung up: the test should see some")
	}

	// One worker: the same bytes.
	other := filepath.Join(dir, "trace1.csv")
	args[slices.Index(args, trace)] = other
	if code, _, errs := slasim(t, context.Background(), append(args, "--workers", "1")...); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	a, _ := os.ReadFile(trace)
	b, _ := os.ReadFile(other)
	if !bytes.Equal(a, b) {
		t.Error("the trace differs between one worker and two")
	}
}

// TestTraceInterrupted: a trace cut short by Ctrl-C leaves no file, and a
// trace written earlier at its path as it was; so does a run interrupted
// before it.
func TestTraceInterrupted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trace.csv")
	if err := os.WriteFile(path, []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Open("front-door")
	if err != nil {
		t.Fatal(err)
	}
	run, err := sc.Run(context.Background(), scenarios.RunSettings{Replications: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := &env{ctx: ctx, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	if err := (&traceJob{file: path, reps: []int{0}}).write(e, sc, run); err == nil {
		t.Error("a cancelled trace: no error")
	}
	code, _, _ := interrupted(t, "run", "front-door", "-r", "1000", "--trace", path)
	if code != 130 {
		t.Errorf("an interrupted run with --trace: exit %d, want 130", code)
	}
	if data, _ := os.ReadFile(path); string(data) != "earlier\n" {
		t.Errorf("the trace's file holds %q, want the earlier file", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left in the directory, want the one", len(entries))
	}
}

// TestTraceFlags: what --trace and --trace-replications refuse, before
// anything runs.
func TestTraceFlags(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "t.csv")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--trace-replications", "1"}, "give --trace FILE too"},
		{[]string{"--trace", "-"}, "--trace needs a file"},
		{[]string{"--trace", trace, "--trace-replications", "3-1"}, `"3-1" is not a replication`},
		{[]string{"--trace", trace, "--trace-replications", "0,x"}, `"x" is not a replication`},
		{[]string{"--trace", trace, "--trace-replications", "0-1000"}, "more than 1000 replications"},
		{[]string{"--trace", trace, "--trace-replications", "9223372036854775807"}, "but the run has 10"},
		{[]string{"--trace", trace, "--trace-replications", "0-999999999999"}, "more than 1000 replications"},
		{[]string{"--trace", trace, "-r", "4", "--trace-replications", "2,4"}, "replication 4, but the run has 4 (0 to 3)"},
		{[]string{"--trace", trace, "--horizon", "500w"}, "more than the 10000000 a trace may hold"},
		{[]string{"--trace", filepath.Join(dir, "no", "t.csv")}, "--trace: cannot write"},
		{[]string{"--trace", trace, "--shard", "0/2", "--partial", filepath.Join(dir, "p")}, "a shard writes only its partial result"},
	} {
		code, _, errs := slasim(t, context.Background(), append([]string{"run", "front-door"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errs, exitUsage, tc.want)
		}
	}
	if _, err := os.Stat(trace); err == nil {
		t.Error("a refused trace wrote its file")
	}
}

func TestParseReplicationList(t *testing.T) {
	for s, want := range map[string][]int{"0": {0}, "3,1": {1, 3}, "5-7,0,6": {0, 5, 6, 7}, " 2 , 4-4": {2, 4}, "998-999": {998, 999}} {
		if got, err := parseReplicationList(s); err != nil || !slices.Equal(got, want) {
			t.Errorf("%q: %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "-1", "1-", "a", "1--2", "2-1", "1,,2", "0-1000"} {
		if got, err := parseReplicationList(s); err == nil {
			t.Errorf("%q: %v, no error", s, got)
		}
	}
}

// TestTraceClocks: the named clocks of fault-levels' trace count, tier by
// tier, the tickets each clock of the JSON report times and breaches.
func TestTraceClocks(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "trace.csv")
	code, out, errs := slasim(t, context.Background(), "run", "fault-levels", "-r", "2", "--horizon", "2w", "--json", "--trace", trace, "--trace-replications", "0-1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Tiers []struct {
			Name   string
			Clocks []struct {
				Name              string
				Tickets, Breached int64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	col, rows := csvFile(t, trace)
	clocks := 0
	for _, tr := range doc.Tiers {
		for _, ck := range tr.Clocks {
			met, ok := col["clock_"+ck.Name+"_met"]
			if !ok {
				t.Fatalf("no column for clock %q", ck.Name)
			}
			var tickets, breached int64
			for _, r := range rows {
				if r[col["tier"]] != tr.Name || r[met] == "" {
					continue
				}
				tickets++
				if r[met] == "false" {
					breached++
				}
			}
			if tickets != ck.Tickets || breached != ck.Breached || tickets == 0 {
				t.Errorf("%s, clock %s: the report times %d tickets, %d breached; the trace %d, %d", tr.Name, ck.Name, ck.Tickets, ck.Breached, tickets, breached)
			}
			clocks++
		}
	}
	if clocks == 0 {
		t.Error("fault-levels has no named clocks")
	}
}

// FuzzParseReplicationList: any text gives an error or at most
// sim.MaxTraceReplications indexes, increasing, each >= 0.
func FuzzParseReplicationList(f *testing.F) {
	for _, s := range []string{"0", "3,1", "5-7,0,6", "0-999", "0-1000", "1-", "-1", "9223372036854775807", "0-9223372036854775807", "1,,2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		reps, err := parseReplicationList(s)
		if err != nil {
			return
		}
		if len(reps) == 0 || len(reps) > sim.MaxTraceReplications || reps[0] < 0 {
			t.Fatalf("%q: %d replications from %v", s, len(reps), reps)
		}
		for i := 1; i < len(reps); i++ {
			if reps[i] <= reps[i-1] {
				t.Fatalf("%q: %v not increasing", s, reps)
			}
		}
	})
}

// TestTraceCalendar: each row's arrival, start and end are also the date
// and time they stand for in the scenario's time zone: the start date's
// midnight there plus the row's seconds, with the offset of the moment —
// across a daylight-saving change (Paris, 31 March 2024 at 02:00: +01:00
// before, +02:00 after) and after a warm-up.
func TestTraceCalendar(t *testing.T) {
	dir := t.TempDir()
	file, trace := filepath.Join(dir, "paris.yaml"), filepath.Join(dir, "trace.csv")
	scenario := `name: paris
simulation: {start: 2024-03-30, timezone: Europe/Paris, horizon: 3d, warm_up: 1d, replications: 1}
arrivals: {volume: 10/h}
tiers:
  - {name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {distribution: exponential, mean: 30m}}
agents: 8
`
	if err := os.WriteFile(file, []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := slasim(t, context.Background(), "run", file, "--trace", trace); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	midnight := time.Date(2024, 3, 30, 0, 0, 0, 0, paris)
	change := time.Date(2024, 3, 31, 3, 0, 0, 0, paris) // 02:00 +01:00 is 03:00 +02:00
	col, rows := csvFile(t, trace)
	offsets := map[string]int{}
	for _, r := range rows {
		for _, c := range []string{"arrival", "start", "end"} {
			cell := r[col[c+"_time"]]
			if cell == "" && r[col[c+"_s"]] == "" {
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, cell)
			if err != nil {
				t.Fatalf("ticket %s: %s_time %q: %v", r[col["ticket"]], c, cell, err)
			}
			seconds, err := strconv.ParseFloat(r[col[c+"_s"]], 64)
			if err != nil {
				t.Fatal(err)
			}
			if d := at.Sub(midnight).Seconds() - seconds; math.Abs(d) > 1e-6 {
				t.Errorf("ticket %s: %s_time %s is %gs from %s, %s_s says %g", r[col["ticket"]], c, cell, at.Sub(midnight).Seconds(), midnight, c, seconds)
			}
			offset := "+01:00"
			if !at.Before(change) {
				offset = "+02:00"
			}
			if !strings.HasSuffix(cell, offset) {
				t.Errorf("ticket %s: %s_time %s, want the offset %s", r[col["ticket"]], c, cell, offset)
			}
			offsets[offset]++
		}
	}
	if offsets["+01:00"] == 0 || offsets["+02:00"] == 0 {
		t.Errorf("times on either side of the change: %v", offsets)
	}
}
