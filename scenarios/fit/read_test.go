package fit

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

const genericHeader = "id,opened_at,priority,first_response_at,resolved_at,channel\n"

func read(t *testing.T, data string, o Options) (*Export, error) {
	t.Helper()
	return Read(context.Background(), strings.NewReader(data), "t.csv", o)
}

// genericRows writes n good rows of the generic layout, one per hour from
// 2024-01-01 08:00.
func genericRows(n int) string {
	var b strings.Builder
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * time.Hour)
		fmt.Fprintf(&b, "T%d,%s,P%d,%s,%s,phone\n", i, at.Format("2006-01-02 15:04"), 1+i%3,
			at.Add(10*time.Minute).Format("2006-01-02 15:04"), at.Add(time.Duration(1+i%5)*time.Hour).Format("2006-01-02 15:04"))
	}
	return b.String()
}

// tickets lists an export's tickets.
func tickets(ex *Export) []Ticket {
	ts := make([]Ticket, ex.Len())
	for i := range ts {
		ts[i] = ex.Ticket(i)
	}
	return ts
}

func TestReadGeneric(t *testing.T) {
	ex, err := read(t, genericHeader+genericRows(30), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Mapping.Name != "generic" || ex.Rows != 30 || ex.BadRows != 0 || ex.Len() != 30 {
		t.Errorf("preset %s, %d rows, %d bad, %d tickets; want generic, 30, 0, 30", ex.Mapping.Name, ex.Rows, ex.BadRows, ex.Len())
	}
	if got := ex.Layouts[Opened]; got != "2006-01-02 15:04" {
		t.Errorf("detected layout %q", got)
	}
	if ex.Clock != time.Minute {
		t.Errorf("clock %v, want a minute for dates without seconds", ex.Clock)
	}
	tk := ex.Ticket(4)
	if tk.ID != "T4" || tk.Priority != "P2" || tk.Channel != "phone" ||
		!tk.Opened.Equal(time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)) || tk.Resolved.Sub(tk.Opened) != 5*time.Hour ||
		tk.Response.Sub(tk.Opened) != 10*time.Minute || tk.MadeSLA != -1 || tk.Reassignments != -1 {
		t.Errorf("ticket 4: %+v", tk)
	}
}

func TestReadGzipLikePlain(t *testing.T) {
	data := genericHeader + genericRows(50)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(data))
	zw.Close()
	plain, err := read(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	zipped, err := Read(context.Background(), &gz, "t.csv.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(tickets(plain), tickets(zipped), func(a, b Ticket) bool { return a.ID == b.ID && a.Opened.Equal(b.Opened) }) {
		t.Error("the gzip-compressed export reads differently from the plain one")
	}
	if _, err := Read(context.Background(), bytes.NewReader([]byte{0x1f, 0x8b, 1, 2, 3}), "broken.gz", Options{}); err == nil || !strings.Contains(err.Error(), "broken.gz") {
		t.Errorf("a broken gzip file: error %v, want one naming the file", err)
	}
}

func TestMissingColumnsNamed(t *testing.T) {
	for _, tt := range []struct {
		name, header string
		o            Options
		want         []string
	}{
		{"generic", "id,opened,prio,resolved\n", Options{}, []string{`"opened_at" for opened`, `"priority" for priority`, `"resolved_at" for resolved`, "the header has 4 columns: id, opened, prio, resolved"}},
		{"servicenow", "number,opened_at,sys_updated_at,state\n", Options{}, []string{"preset servicenow", `"priority" for priority`, `"resolved_at" for resolved`}},
		{"flag", genericHeader, Options{Overrides: Overrides{Columns: map[Field]string{MadeSLA: "sla_met"}}}, []string{`"sla_met" for made-sla`}},
		{"opened left out", genericHeader, Options{Overrides: Overrides{Columns: map[Field]string{Opened: ""}}}, []string{"no column for opened"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := read(t, tt.header+"x,y,z,w\n", tt.o)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestOptionalColumnsAbsent(t *testing.T) {
	// ServiceNow's optional columns may be missing; they are listed, not
	// required.
	data := "number,opened_at,priority,resolved_at,sys_updated_at\nINC1,1/3/2016 09:00,1 - Critical,1/3/2016 10:00,1/3/2016 10:00\n"
	ex, err := read(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Absent) != 4 || !strings.Contains(strings.Join(ex.Absent, " "), "made_sla") {
		t.Errorf("absent columns %v", ex.Absent)
	}
}

func TestMostRowsBad(t *testing.T) {
	var b strings.Builder
	b.WriteString(genericHeader + genericRows(4))
	for i := range 6 {
		fmt.Fprintf(&b, "B%d,yesterday,P1,,,phone\n", i)
	}
	_, err := read(t, b.String(), Options{Overrides: Overrides{DateLayout: "2006-01-02 15:04"}})
	if err == nil {
		t.Fatal("no error for 6 bad rows of 10")
	}
	for _, w := range []string{"6 of 10 rows cannot be read", "t.csv:6: column opened_at: cannot read \"yesterday\"", "and 1 more"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestSomeRowsBad(t *testing.T) {
	lines := strings.SplitAfter(genericRows(30), "\n")
	bad := map[int]string{
		3:  "T99,2024-01-01 10:00,P1,,\n",                          // line 5: too few fields
		7:  "T98,2024-13-01 10:00,P1,,,phone\n",                    // line 9: no month 13
		10: "T97,2024-01-01 10:00,,,,phone\n",                      // line 12: no priority
		14: "T96,2024-01-01 10:00,P1,,2024-01-01 1O:00,phone\n",    // line 16: letter O, read without a resolution time
		20: "T95,2024-01-01 10:00,P1,,,\"multi\nline\"\n",          // lines 22-23: fine
		22: "T94,2024-01-01 10:00,P1,,2024-01-01 11:00,phone,x\n",  // line 25: extra field
		25: "T93,2024-01-01 10:00,P1,,2024-01-01 11:00,\"bad\"x\n", // line 28: text after a quote
		27: ",2024-01-01 10:00,P1,,,phone\n",                       // line 30: no id
	}
	for i, l := range bad {
		lines[i] = l
	}
	ex, err := read(t, genericHeader+strings.Join(lines, ""), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Rows != 30 || ex.BadRows != 6 || ex.Len() != 24 {
		t.Errorf("%d rows, %d bad, %d tickets; want 30, 6, 24", ex.Rows, ex.BadRows, ex.Len())
	}
	var got []string
	for _, e := range ex.Bad {
		got = append(got, e.Error())
	}
	want := []string{
		"t.csv:5: 5 fields, the header has 6",
		`t.csv:9: column opened_at: cannot read "2024-13-01 10:00" as a date in the form yyyy-mm-dd HH:MM`,
		"t.csv:12: column priority: priority is missing",
		"t.csv:25: 7 fields, the header has 6",
		`t.csv:28: field 6: text after the closing quote: 'x'`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("bad rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := ex.BadSummary(); !strings.Contains(s, "6 unreadable rows") || !strings.Contains(s, "and 1 more") {
		t.Errorf("summary %q", s)
	}
	var re *RowError
	if !errors.As(ex.Bad[1], &re) || re.Line != 9 || re.Column != "opened_at" {
		t.Errorf("row error %#v", ex.Bad[1])
	}
	// The unreadable resolution time leaves its ticket without one.
	if ex.Unreadable[Resolved] != 1 || len(ex.BadValues) != 1 ||
		ex.BadValues[0].Error() != `t.csv:16: column resolved_at: cannot read "2024-01-01 1O:00" as a date in the form yyyy-mm-dd HH:MM` {
		t.Errorf("unreadable values %v: %v", ex.Unreadable, ex.BadValues)
	}
	if tk := ex.Ticket(11); tk.ID != "T96" || !tk.Resolved.IsZero() || tk.Opened.IsZero() {
		t.Errorf("ticket of line 16: %+v", tk)
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, data := range []string{"", genericHeader} {
		if _, err := read(t, data, Options{}); err == nil {
			t.Errorf("%q: no error", data)
		}
	}
}

// TestUnreadableText: exports in a text encoding the reader does not take
// are refused at the header, saying what to do. UTF-16 (a spreadsheet's
// "Unicode text") was refused as missing every column, the header shown
// as \xff\xfei\x00d\x00; lines ended by a carriage return alone (classic
// Mac OS) as a header of 3 columns per row, or a line over 4 MiB.
func TestUnreadableText(t *testing.T) {
	text := "id,opened_at,priority,first_response_at,resolved_at,channel\n" + genericRows(20)
	utf16 := func(order binary.AppendByteOrder, bom bool) string {
		var b []byte
		if bom {
			b = order.AppendUint16(b, 0xfeff)
		}
		for _, r := range text {
			b = order.AppendUint16(b, uint16(r))
		}
		return string(b)
	}
	const encoding, lineEnds = "t.csv:1: header: NUL bytes: the file looks UTF-16", "t.csv:1: header: lines end with a carriage return alone"
	for _, tt := range []struct {
		name, data, want string
	}{
		{"UTF-16 little-endian", utf16(binary.LittleEndian, true), encoding},
		{"UTF-16 big-endian", utf16(binary.BigEndian, true), encoding},
		{"UTF-16 without a byte-order mark", utf16(binary.LittleEndian, false), encoding},
		{"carriage returns", strings.ReplaceAll(text, "\n", "\r"), lineEnds},
		{"carriage returns over 4 MiB", strings.Repeat(strings.ReplaceAll(text, "\n", "\r"), MaxRowBytes/len(text)+1), lineEnds},
	} {
		if _, err := read(t, tt.data, Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
	for _, data := range []string{text, strings.ReplaceAll(text, "\n", "\r\n")} {
		if ex, err := read(t, data, Options{}); err != nil || ex.Len() != 20 {
			t.Errorf("%q...: %v", data[:70], err)
		}
	}
}

func TestLastRowWins(t *testing.T) {
	const header = "number,opened_at,priority,resolved_at,sys_updated_at,made_sla\n"
	data := header +
		"INC1,1/3/2016 09:00,3 - Moderate,?,1/3/2016 09:05,true\n" +
		"INC2,1/3/2016 09:30,4 - Low,?,1/3/2016 09:31,true\n" +
		"INC1,1/3/2016 09:00,1 - Critical,1/3/2016 12:00,1/3/2016 12:00,false\n" +
		// An older update written later does not win...
		"INC1,1/3/2016 09:00,2 - High,?,1/3/2016 10:00,true\n" +
		// ... but of updates written at the same minute, the later row does.
		"INC2,1/3/2016 09:30,2 - High,1/3/2016 11:00,1/3/2016 11:00,true\n" +
		"INC2,1/3/2016 09:30,1 - Critical,1/3/2016 11:00,1/3/2016 11:00,false\n"
	ex, err := read(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Mapping.Name != "servicenow" || ex.Len() != 2 || ex.Superseded != 4 {
		t.Fatalf("preset %s, %d tickets, %d superseded", ex.Mapping.Name, ex.Len(), ex.Superseded)
	}
	for i, want := range []struct {
		id, priority string
		met          int8
	}{{"INC1", "1 - Critical", 0}, {"INC2", "1 - Critical", 0}} {
		tk := ex.Ticket(i)
		if tk.ID != want.id || tk.Priority != want.priority || tk.MadeSLA != want.met {
			t.Errorf("ticket %d: %s %q made_sla %d; want %+v", i, tk.ID, tk.Priority, tk.MadeSLA, want)
		}
	}
	// Without an updated column, the file's order decides.
	ex, err = read(t, data, Options{Overrides: Overrides{Columns: map[Field]string{Updated: ""}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ex.Ticket(0).Priority; got != "2 - High" {
		t.Errorf("without updated times, INC1 is %q, want the last row's 2 - High", got)
	}
}

func TestDateDetection(t *testing.T) {
	n := 0
	row := func(opened string) string {
		n++
		return fmt.Sprintf("T%d,%s,P1,,%s,x\n", n, opened, opened)
	}
	ex, err := read(t, genericHeader+row("3/2/2016 10:00")+row("13/2/2016 10:00"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ex.Ticket(0).Opened; got.Month() != time.February || got.Day() != 3 {
		t.Errorf("3/2/2016 next to 13/2/2016 read as %v, want 3 February", got)
	}
	_, err = read(t, genericHeader+row("3/2/2016 10:00")+row("4/2/2016 10:00"), Options{})
	if err == nil || !strings.Contains(err.Error(), "d/m/yyyy HH:MM or m/d/yyyy HH:MM") || !strings.Contains(err.Error(), "--date-format") {
		t.Errorf("ambiguous dates: error %v", err)
	}
	_, err = read(t, genericHeader+row("next tuesday"), Options{})
	if err == nil || !strings.Contains(err.Error(), "column opened_at (opened): cannot recognise dates") {
		t.Errorf("unknown dates: error %v", err)
	}
	// Offsets are honoured and converted to the export's time zone.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	ex, err = read(t, genericHeader+row("2024-07-01T10:00:00Z"), Options{Location: paris})
	if err != nil {
		t.Fatal(err)
	}
	if got := ex.Ticket(0).Opened; got.Hour() != 12 || got.Location() != paris {
		t.Errorf("10:00Z in Paris read as %v", got)
	}
}

func TestParseDateFormat(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"d/m/yyyy HH:MM", "2/1/2006 15:04"},
		{"dd.mm.yyyy HH:MM:SS", "02.01.2006 15:04:05"},
		{"yyyy-mm-ddTHH:MM:SSZ", "2006-01-02T15:04:05Z07:00"},
		{"m/d/yy h:MM AM", "1/2/06 3:04 PM"},
		{"2/1/2006 15:04", "2/1/2006 15:04"},
	} {
		got, err := ParseDateFormat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDateFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"d/m HH:MM", "yyyy-mm-dd qq"} {
		if _, err := ParseDateFormat(bad); err == nil {
			t.Errorf("ParseDateFormat(%q): no error", bad)
		}
	}
}

func TestHeaderMatching(t *testing.T) {
	data := "\ufeffID, Opened_At ,PRIORITY,first_response_at,resolved_at,channel\n" + genericRows(3)
	ex, err := read(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Columns[ID] != "ID" || ex.Columns[Opened] != "Opened_At" || ex.Len() != 3 {
		t.Errorf("columns %q, %d tickets", ex.Columns, ex.Len())
	}
}

func TestMappingFile(t *testing.T) {
	o, err := ParseMappingFile("m.yaml", []byte("preset: generic\ncolumns:\n  opened: Created\n  made_sla: Met\n  channel: \"\"\nmissing: [\"NULL\"]\ndate_format: d/m/yyyy HH:MM\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Preset != "generic" || o.Columns[Opened] != "Created" || o.Columns[MadeSLA] != "Met" || o.Columns[Channel] != "" ||
		!slices.Equal(o.Missing, []string{"NULL"}) || o.DateLayout != "2/1/2006 15:04" {
		t.Errorf("mapping %+v", o)
	}
	flags := Overrides{Columns: map[Field]string{Opened: "Opened"}, DateLayout: "2006-01-02 15:04"}
	m := o.Merge(flags)
	if m.Columns[Opened] != "Opened" || m.Columns[MadeSLA] != "Met" || m.DateLayout != "2006-01-02 15:04" || m.Preset != "generic" {
		t.Errorf("flags over file: %+v", m)
	}
	for _, bad := range []string{"colums: {}\n", "columns: {opend: x}\n", "preset: jira\n", "date_format: qq\n", "columns: [1]\n", "columns: {opened: A,\n  opened: B}\n"} {
		if _, err := ParseMappingFile("m.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "m.yaml") {
			t.Errorf("%q: error %v, want one naming the file", bad, err)
		}
	}
}

func TestCompareTiers(t *testing.T) {
	for _, tt := range [][]string{
		{"P0", "P1", "P2", "P10"},
		{"1 - Critical", "2 - High", "3 - Moderate", "4 - Low"},
		{"Urgent", "High", "Normal", "Low"},
		{"P1", "urgent", "zebra"},
	} {
		got := slices.Clone(tt)
		slices.Reverse(got)
		slices.SortFunc(got, compareTiers)
		if !slices.Equal(got, tt) {
			t.Errorf("sorted %v, want %v", got, tt)
		}
	}
}
