package fit

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// Exports as careless tools and people write them: each was read wrong
// without a word, and must now be read right or said to be wrong.

// TestStrayQuote reads the rows after a stray quote: one quote opening a
// field of line 12 made encoding/csv swallow the rest of the file into one
// field (11 rows of 5,000 read, a volume of 0.17 a day instead of 83).
func TestStrayQuote(t *testing.T) {
	b := []byte(genericHeader)
	for i := range 5000 {
		from := len(b)
		b = genericRow(i, b)
		switch i {
		case 10: // line 12: a quote opens the opening time and nothing closes it on the line
			j := from + bytes.IndexByte(b[from:], ',') + 1
			b = slices.Insert(b, j, '"')
		case 20: // line 22: a quoted channel, whose opening quote the stray one would close
			b = append(b[:len(b)-len("phone\n")], "\"phone, desk\"\n"...)
		case 30: // lines 32-33: a quoted field over two lines, kept
			b = append(b[:len(b)-len("phone\n")], "\"phone\ndesk\"\n"...)
		}
	}
	ex, err := Read(context.Background(), bytes.NewReader(b), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Rows != 5000 || ex.BadRows != 1 || ex.Len() != 4999 {
		t.Fatalf("%d rows, %d unreadable, %d tickets; want 5000, 1, 4999", ex.Rows, ex.BadRows, ex.Len())
	}
	if err := ex.Bad[0]; err.Line != 12 || !strings.Contains(err.Error(), "t.csv:12: field 2: a quote opens the field and is not closed on this line") ||
		!strings.Contains(err.Error(), "stray quote") {
		t.Errorf("unreadable row %v, want line 12 and its stray quote", err)
	}
	if got := ex.Ticket(19).Channel; got != "phone, desk" {
		t.Errorf("the quoted channel of line 22 read as %q", got)
	}
	if got := ex.Ticket(29).Channel; got != "phone\ndesk" {
		t.Errorf("the quoted channel over lines 32-33 read as %q", got)
	}
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A ticket a minute.
	if n, r := res.Total.Tickets, res.Total.Rate[10]; n != 4999 || r != 60 {
		t.Errorf("%d tickets, %g an hour on Monday at 10:00; want 4999, 60", n, r)
	}
}

// TestMissingMarkers reads values such as ? or NULL in a date, flag or
// count column as missing although the mapping does not declare them: a
// generic mapping without ? dropped every ticket whose resolution time was
// ?, 1,418 tickets (6.8% of the volume) on the ServiceNow log.
func TestMissingMarkers(t *testing.T) {
	b := []byte(genericHeader)
	markers := 0
	for i := range 3000 {
		row := string(genericRow(i, nil))
		switch {
		case i%15 == 0:
			f := strings.Split(row, ",")
			f[4] = "?"
			row = strings.Join(f, ",")
			markers++
		case i%15 == 1:
			f := strings.Split(row, ",")
			f[3] = "NULL"
			row = strings.Join(f, ",")
		}
		b = append(b, row...)
	}
	ex, err := Read(context.Background(), bytes.NewReader(b), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Len() != 3000 || ex.BadRows != 0 || ex.BadValueSummary() != "" {
		t.Errorf("%d tickets, %d unreadable rows, %s", ex.Len(), ex.BadRows, ex.BadValueSummary())
	}
	if !slices.Equal(ex.Markers[Resolved], []string{"?"}) || ex.MarkerRows[Resolved] != markers ||
		!slices.Equal(ex.Markers[Response], []string{"NULL"}) || ex.MarkerRows[Response] != 200 {
		t.Errorf("markers %q in %d rows", ex.Markers, ex.MarkerRows)
	}
	want := fmt.Sprintf(`values read as missing though not declared so (declare them with --missing): "NULL" in 200 rows of first_response_at; "?" in %d rows of resolved_at`, markers)
	if got := ex.MarkerSummary(); got != want {
		t.Errorf("summary %q\nwant %q", got, want)
	}
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, tier := range res.Tiers {
		open += tier.Open
	}
	if res.Total.Tickets != 3000 || open != markers {
		t.Errorf("%d arrivals, %d without a resolution time; want 3000, %d", res.Total.Tickets, open, markers)
	}

	// Declared, a marker is simply missing.
	ex, err = Read(context.Background(), bytes.NewReader(b), "t.csv", Options{Overrides: Overrides{Missing: []string{"?", "NULL"}}})
	if err != nil || ex.MarkerSummary() != "" || ex.Len() != 3000 {
		t.Errorf("declared markers: %v, %q", err, ex.MarkerSummary())
	}
	// A ticket without an opening time is still an unreadable row.
	ex, err = read(t, genericHeader+genericRows(5)+"X,?,P1,,,\n", Options{})
	if err != nil || ex.BadRows != 1 || ex.Bad[0].Error() != `t.csv:7: column opened_at: opened is missing ("?")` {
		t.Errorf("%v; unreadable rows %v", err, ex.Bad)
	}
}

// TestMostValuesUnreadable fails a column most of whose values cannot be
// read: its tickets would be kept, but the mapping is wrong.
func TestMostValuesUnreadable(t *testing.T) {
	var b strings.Builder
	b.WriteString(genericHeader)
	for i := range 10 {
		resolved := "soon"
		if i < 4 {
			resolved = "2024-01-01 12:00"
		}
		fmt.Fprintf(&b, "T%d,2024-01-01 10:00,P1,,%s,\n", i, resolved)
	}
	_, err := read(t, b.String(), Options{Overrides: Overrides{DateLayout: "2006-01-02 15:04"}})
	for _, w := range []string{"column resolved_at (resolved): 6 of 10 values cannot be read", `t.csv:6: column resolved_at: cannot read "soon"`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not say %q", err, w)
		}
	}
}

// TestGaps leaves weeks missing from an export out of the rates: fitting
// only the even weeks counted the odd ones as weeks without tickets, the
// volume 48% low and a daily cv of 1.01.
func TestGaps(t *testing.T) {
	s := &synth{start: monday(), weeks: 13, rate: weeklyRate(), tiers: threeTiers(), seed: 7}
	var kept []synthTicket
	for _, tk := range s.generate() {
		if week := int(tk.opened.Sub(s.start).Hours()) / HoursPerWeek; week%2 == 0 {
			kept = append(kept, tk)
		}
	}
	ex, err := Read(context.Background(), bytes.NewReader(s.csv(kept)), "even-weeks.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The six odd weeks between the seven even ones are gaps, give or take
	// the quiet hours next to them.
	w := &res.Window
	if len(w.Gaps) != 6 {
		t.Fatalf("%d gaps, want 6: %s", len(w.Gaps), w.DescribeGaps())
	}
	for i, g := range w.Gaps {
		from := s.start.AddDate(0, 0, 7*(2*i+1))
		to := from.AddDate(0, 0, 7)
		if g.Start.After(from) || g.End.Before(to) || from.Sub(g.Start) > 12*time.Hour || g.End.Sub(to) > 12*time.Hour {
			t.Errorf("gap %d from %v to %v, want the week from %v", i, g.Start, g.End, from)
		}
	}
	if got := w.DescribeGaps(); !strings.HasPrefix(got, "6 gaps without a single ticket") || !strings.Contains(got, "to Mon 2024-01-15 ") {
		t.Errorf("described as %q", got)
	}
	var mean float64
	for _, r := range s.rate {
		mean += r / HoursPerWeek
	}
	within(t, "tickets a day", res.Total.PerDay(), 24*mean, 24*math.Sqrt(mean/w.Hours()), 4)
	if d := &res.Total.Dispersion; d.Overdispersed() {
		t.Errorf("daily counts found overdispersed: %s", d.Describe())
	}
	for _, day := range w.Days {
		for _, g := range w.Gaps {
			if day.Before(g.End) && g.Start.Before(day.AddDate(0, 0, 1)) {
				t.Errorf("day %v in the gap from %v", day, g.Start)
			}
		}
	}
}

// TestQuietIsNotAGap keeps periods without tickets that are short, or
// where few were expected, in the rates.
func TestQuietIsNotAGap(t *testing.T) {
	start := monday()
	for _, tt := range []struct {
		name   string
		silent time.Duration // from Wednesday 00:00
		gap    bool
	}{
		{"23 hours expecting 230", 23 * time.Hour, false},
		{"24 hours expecting 240", 24 * time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(genericHeader)
			from := start.Add(2 * 24 * time.Hour)
			to := from.Add(tt.silent)
			for at := start; at.Before(start.AddDate(0, 0, 21)); at = at.Add(6 * time.Minute) {
				if !at.Before(from) && at.Before(to) {
					continue
				}
				fmt.Fprintf(&b, "T%d,%s,P1,,%s,\n", at.Unix(), at.Format("2006-01-02 15:04"), at.Add(time.Hour).Format("2006-01-02 15:04"))
			}
			ex, err := read(t, b.String(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Fit(context.Background(), ex, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(res.Window.Gaps) > 0; got != tt.gap {
				t.Errorf("gaps %v, want a gap: %v", res.Window.Gaps, tt.gap)
			}
		})
	}
}

// TestPriorityLimit fits an export with as many priorities as a scenario
// takes tiers, and fails one with more, naming the line and the limit: 65
// priorities failed with "(a bug in slasim fit)", a million took the
// machine's memory.
func TestPriorityLimit(t *testing.T) {
	export := func(n int) string {
		var b strings.Builder
		b.WriteString(genericHeader)
		start := monday()
		for i := range 40 * n {
			at := start.Add(time.Duration(i) * 7 * time.Minute)
			fmt.Fprintf(&b, "T%d,%s,X%02d,,%s,\n", i, at.Format("2006-01-02 15:04"), i%n, at.Add(time.Duration(1+i%5)*time.Hour).Format("2006-01-02 15:04"))
		}
		return b.String()
	}
	ex, err := read(t, export(MaxPriorities), Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, sc, err := Scenario(res, "many")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Tiers) != MaxPriorities {
		t.Errorf("%d tiers, want %d", len(sc.Tiers), MaxPriorities)
	}
	_, err = read(t, export(MaxPriorities+1), Options{})
	if want := `t.csv:66: column priority: a 65th priority, "X64", beyond the limit of 64 (a scenario's most tiers)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestLatestUpdateWinsInAnyOrder shuffles the updates of tickets: whatever
// the order of the rows, each ticket is its latest update, and of updates
// written at the same time, the later row.
func TestLatestUpdateWinsInAnyOrder(t *testing.T) {
	const header = "number,opened_at,priority,resolved_at,sys_updated_at,made_sla\n"
	r := rand.New(rand.NewPCG(1, 2))
	type update struct {
		id, priority string
		opened       time.Time
		resolved     time.Time
		updated      time.Time
	}
	for trial := range 20 {
		start := time.Date(2016, 3, 1, 8, 0, 0, 0, time.UTC)
		var rows []update
		for i := range 50 {
			opened := start.Add(time.Duration(i) * 17 * time.Minute)
			for range 1 + r.IntN(6) {
				rows = append(rows, update{
					id: fmt.Sprintf("INC%d", i), priority: fmt.Sprintf("%d - P", 1+r.IntN(4)), opened: opened,
					resolved: opened.Add(time.Duration(1+r.IntN(100)) * time.Minute),
					updated:  opened.Add(time.Duration(r.IntN(4)) * time.Hour), // ties are likely
				})
			}
		}
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		want := map[string]update{}
		var b strings.Builder
		b.WriteString(header)
		for _, u := range rows {
			if w, ok := want[u.id]; !ok || !u.updated.Before(w.updated) {
				want[u.id] = u
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s,true\n", u.id, u.opened.Format("2/1/2006 15:04"), u.priority, u.resolved.Format("2/1/2006 15:04"), u.updated.Format("2/1/2006 15:04"))
		}
		ex, err := read(t, b.String(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ex.Len() != len(want) || ex.Superseded != len(rows)-len(want) {
			t.Fatalf("trial %d: %d tickets, %d superseded; want %d, %d", trial, ex.Len(), ex.Superseded, len(want), len(rows)-len(want))
		}
		for i := range ex.Len() {
			tk := ex.Ticket(i)
			w := want[tk.ID]
			if tk.Priority != w.priority || !tk.Resolved.Equal(w.resolved) || !tk.Opened.Equal(w.opened) {
				t.Fatalf("trial %d: ticket %s is %s resolved %v, want the latest update %s resolved %v", trial, tk.ID, tk.Priority, tk.Resolved, w.priority, w.resolved)
			}
		}
	}
}

// TestShortExport: an export of less than a week never holds some hours
// of the week, whose rates it cannot tell. They were taken as 0: three
// days of a ticket an hour were fitted as 10.3 tickets a day (72 over the
// 168 hours of a week), and the scenario had no ticket from Thursday to
// Monday. They now take the rate of their hour of the day on the days
// observed (or of every hour observed, in an export shorter than a day),
// and the fit says which hours were not observed.
func TestShortExport(t *testing.T) {
	for _, c := range []struct {
		hours int
		spans string
		mean  bool // some hours of the day never held: the mean rate
	}{
		{72, "Thu 08:00 to Mon 08:00", false}, // Mon 08:00 to Thu 08:00
		{5, "Mon 13:00 to Mon 08:00", true},   // Mon 08:00 to 13:00
	} {
		ex, err := read(t, genericHeader+genericRows(c.hours), Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Fit(context.Background(), ex, FitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Total.PerDay(); math.Abs(got-24) > 1e-9 {
			t.Errorf("%d hours of a ticket an hour: %.4g tickets a day, want 24", c.hours, got)
		}
		for h, r := range res.Total.Rate {
			if math.Abs(r-1) > 1e-9 {
				t.Errorf("%d hours: %s at %g an hour, want 1", c.hours, hourName(h), r)
			}
		}
		var perDay float64
		for _, tier := range res.Tiers {
			perDay += tier.Arrivals.PerDay()
		}
		if math.Abs(perDay-24) > 1e-9 {
			t.Errorf("%d hours: the tiers' volumes add up to %.4g a day, want 24", c.hours, perDay)
		}
		d := res.Window.DescribeUnobserved()
		if !strings.Contains(d, "("+c.spans+")") {
			t.Errorf("%d hours: %q does not name %s", c.hours, d, c.spans)
		}
		if got := strings.Contains(d, "the mean rate of the hours it holds"); got != c.mean {
			t.Errorf("%d hours: %q names the mean rate %v, want %v", c.hours, d, got, c.mean)
		}
	}
	ex, err := read(t, genericHeader+genericRows(24*7), Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Window.DescribeUnobserved(); d != "" {
		t.Errorf("a whole week: %q", d)
	}

	// Three days, three tickets an hour from 08:00 to 16:00 and one at
	// other hours: an hour never observed takes its hour of the day's
	// rate, not the mean of every hour (40/24 an hour).
	var b strings.Builder
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range 72 {
		at := start.Add(time.Duration(i) * time.Hour)
		n := 1
		if h := at.Hour(); h >= 8 && h < 16 {
			n = 3
		}
		for k := range n {
			at := at.Add(time.Duration(k) * 10 * time.Minute)
			fmt.Fprintf(&b, "T%d-%d,%s,P1,%s,%s,phone\n", i, k, at.Format("2006-01-02 15:04"),
				at.Add(5*time.Minute).Format("2006-01-02 15:04"), at.Add(time.Hour).Format("2006-01-02 15:04"))
		}
	}
	ex, err = read(t, genericHeader+b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res, err = Fit(context.Background(), ex, FitOptions{}); err != nil {
		t.Fatal(err)
	}
	for h, r := range res.Total.Rate {
		want := 1.0
		if d := h % 24; d >= 8 && d < 16 {
			want = 3
		}
		if math.Abs(r-want) > 1e-9 {
			t.Errorf("three days with a profile: %s at %g an hour, want %g", hourName(h), r, want)
		}
	}
}
