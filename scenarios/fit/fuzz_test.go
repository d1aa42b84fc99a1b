package fit

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzParseRow feeds arbitrary rows to the row reader of a ServiceNow
// export, which reads every kind of field: it must never panic, a row it
// rejects must say which line, and a row it accepts must have what a
// ticket needs.
func FuzzParseRow(f *testing.F) {
	for _, s := range []string{
		"INC1,29/2/2016 01:16,3 - Moderate,29/2/2016 11:29,29/2/2016 01:23,Phone,true,0,0",
		"INC2,?,?,?,?,?,?,?,?",
		"INC3,31/2/2016 25:00,1,1/1/1 00:00,x,,maybe,-1,1e3",
		",,,,,,,,",
		"INC4,\"29/2/2016\n01:16\",P1,,,,,,",
		"INC5,29/2/2016 01:16,P1,NULL,n/a,,none,-,#N/A",
	} {
		f.Add(s)
	}
	ex := &Export{File: "fuzz.csv", Location: time.UTC}
	ex.Mapping, _ = Preset("servicenow")
	order := []Field{ID, Opened, Priority, Resolved, Updated, Channel, MadeSLA, Reassignments, Reopens}
	for _, fl := range order {
		ex.Columns[fl] = ex.Mapping.Columns[fl]
		if fl.isTime() {
			ex.Layouts[fl] = ex.Mapping.DateLayout
		}
	}
	rd := newRowReader(ex)
	f.Fuzz(func(t *testing.T, line string) {
		rr := newRecordReader(strings.NewReader(line))
		for {
			_, err := rr.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				continue
			}
			var v values
			for i, fl := range order {
				if i < len(rr.fields) {
					v[fl] = bytes.TrimSpace(rr.fields[i])
				}
			}
			tk, _, err := rd.parse(2, &v)
			if err != nil {
				var re *RowError
				if !errors.As(err, &re) || re.Line != 2 || re.Column == "" || !strings.HasPrefix(err.Error(), "fuzz.csv:2: column ") {
					t.Fatalf("row %q: error %v does not locate the row", rr.fields, err)
				}
				continue
			}
			if len(v[ID]) == 0 || ex.priorities[tk.priority] == "" || tk.opened == noTime {
				t.Fatalf("row %q accepted as %+v", rr.fields, tk)
			}
		}
	})
}

// FuzzRead reads arbitrary generic exports: no panic, and an export it
// accepts has most of its rows read and every ticket opened.
func FuzzRead(f *testing.F) {
	f.Add([]byte(genericHeader + genericRows(3)))
	f.Add([]byte(genericHeader + "a,2024-01-01 10:00,P1,,,\nb,\"2024-01-01\",P2,,,\n"))
	f.Add([]byte("id,opened_at\n1,2\n"))
	// Found by fuzzing: a year 0024 (a window of two millennia), two
	// tickets over nine years (a volume that rounded to 0), and two
	// resolution times a year apart (a lognormal cv of 10¹⁰).
	f.Add([]byte(genericHeader + "0,0024-01-01 8:00,1,,2024-01-01 9:00,\n1,2024-01-01 9:00,2,,2024-01-01 1:00,"))
	f.Add([]byte(genericHeader + "0,2020-01-01 0:00,00,,2020-01-01 0:00,0\n1,2011-01-01 00:00,00,2000-01-01 0:00,2011-01-01 00:00,0\n0"))
	f.Add([]byte(genericHeader + "0,2020-01-01 00:00,00,,2021-01-01 0:00,0\n1,2024-01-01 00:00,00,,2024-01-01 00:00,0"))
	f.Add([]byte(genericHeader + "a,2024-01-01 10:00,P1,?,?,x\nb,\"2024-01-01 11:00,P2,,2024-01-01 12:00,y\nc,2024-01-01 12:00,P1,,2024-01-01 13:00,\"z\"\n"))
	// UTF-16, and lines ended by a carriage return alone: refused.
	f.Add([]byte("\xff\xfei\x00d\x00,\x00o\x00p\x00e\x00n\x00e\x00d\x00_\x00a\x00t\x00\n\x00"))
	f.Add([]byte(strings.ReplaceAll(genericHeader+genericRows(3), "\n", "\r")))
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := Read(context.Background(), bytes.NewReader(data), "fuzz.csv", Options{})
		if err != nil {
			return
		}
		if ex.BadRows*2 > ex.Rows || len(ex.Bad) > MaxShown || len(ex.BadValues) > MaxShown {
			t.Fatalf("%d of %d rows bad, %d shown, %d bad values shown", ex.BadRows, ex.Rows, len(ex.Bad), len(ex.BadValues))
		}
		for i := range ex.Len() {
			if tk := ex.Ticket(i); tk.Opened.IsZero() {
				t.Fatalf("ticket %+v without an opening time", tk)
			}
		}
		if ex.Len() > 0 {
			if res, err := Fit(context.Background(), ex, FitOptions{}); err == nil {
				if _, _, err := Scenario(res, "fuzz"); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// FuzzRecords reads arbitrary text as CSV. It must not panic; records
// start on increasing lines; and where encoding/csv reads the whole text
// without an error, the records are the same, on the same lines.
func FuzzRecords(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n",
		"a,\"b\nc\",d\r\n\"x\"\"y\",,\n",
		"a,b\n\"1,2\n3,4\n5,\"6\"\n",
		"a,b\n1,\"2\"x\n3,4",
		"\n\na\r\n\r\nb\r",
		"a,b\n1,2\"3\n",
		"\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got [][]string
		var lines []int
		rr := newRecordReader(strings.NewReader(s))
		failed := false
		for prev := 0; ; {
			line, err := rr.next()
			if err == io.EOF {
				break
			}
			if line <= prev {
				t.Fatalf("a record on line %d after one on line %d", line, prev)
			}
			prev = line
			var se *syntaxError
			if errors.As(err, &se) {
				failed = true
				continue
			}
			if err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
			rec := make([]string, len(rr.fields))
			for i, f := range rr.fields {
				rec[i] = string(f)
			}
			got = append(got, rec)
			lines = append(lines, line)
		}
		cr := csv.NewReader(strings.NewReader(s))
		cr.FieldsPerRecord = -1
		var want [][]string
		var wantLines []int
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return // not well-formed: nothing to compare with
			}
			line, _ := cr.FieldPos(0)
			want = append(want, rec)
			wantLines = append(wantLines, line)
		}
		if failed || !slices.EqualFunc(got, want, slices.Equal) || !slices.Equal(lines, wantLines) {
			t.Fatalf("read %q on lines %v (syntax errors: %v), encoding/csv %q on lines %v", got, lines, failed, want, wantLines)
		}
	})
}

// FuzzDetectLayout detects the layout of arbitrary values, one a line: no
// panic, and a layout found reads at least half the sample and, when
// several tie, each reads as many values as the others.
func FuzzDetectLayout(f *testing.F) {
	for _, s := range []string{
		"2024-01-01 10:00\n2024-01-02 11:30",
		"3/2/2016 10:00\n13/2/2016 10:00",
		"3/2/2016 10:00\n4/2/2016 10:00",
		"2024-07-01T10:00:00Z\n2024-07-01T10:00:00+02:00",
		"1/2/2016 3:04 PM\nx",
		"29.2.2016 01:16",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		all := strings.Split(s, "\n")
		sample := all[:min(len(all), layoutSample)]
		layout, tied, err := detectLayout(sample, all)
		switch {
		case err != nil:
			if layout != "" || tied != nil {
				t.Fatalf("%q: error %v with layout %q, tied %q", s, err, layout, tied)
			}
		case tied != nil:
			if layout != "" || len(tied) < 2 {
				t.Fatalf("%q: layout %q, tied %q", s, layout, tied)
			}
		default:
			if !slices.ContainsFunc(dateLayouts, func(l struct{ layout, human string }) bool { return l.layout == layout }) {
				t.Fatalf("%q: unknown layout %q", s, layout)
			}
			n := 0
			for _, v := range sample {
				if _, err := time.Parse(layout, v); err == nil {
					n++
				}
			}
			if 2*n < len(sample) {
				t.Fatalf("%q: %s reads %d of %d", s, layout, n, len(sample))
			}
		}
	})
}
