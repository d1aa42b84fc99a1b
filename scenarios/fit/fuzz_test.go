package fit

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseRow feeds arbitrary rows to the row parser of a ServiceNow
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
	p := ex.rowParser()
	f.Fuzz(func(t *testing.T, line string) {
		cr := csv.NewReader(strings.NewReader(line))
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if err != nil {
				return
			}
			row := rawRow{line: 2}
			for i, fl := range order {
				if i < len(rec) {
					row.vals[fl] = strings.TrimSpace(rec[i])
				}
			}
			tk, err := p.parse(&row)
			if err != nil {
				var re *RowError
				if !errors.As(err, &re) || re.Line != 2 || re.Column == "" || !strings.HasPrefix(err.Error(), "fuzz.csv:2: column ") {
					t.Fatalf("row %q: error %v does not locate the row", rec, err)
				}
				continue
			}
			if tk.ID == "" || tk.Priority == "" || tk.Opened.IsZero() || tk.Line != 2 {
				t.Fatalf("row %q accepted as %+v", rec, tk)
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
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := Read(bytes.NewReader(data), "fuzz.csv", Options{})
		if err != nil {
			return
		}
		if ex.BadRows*2 > ex.Rows || len(ex.Bad) > MaxShown {
			t.Fatalf("%d of %d rows bad, %d shown", ex.BadRows, ex.Rows, len(ex.Bad))
		}
		for _, tk := range ex.Tickets {
			if tk.Opened.IsZero() {
				t.Fatalf("ticket %+v without an opening time", tk)
			}
		}
		if len(ex.Tickets) > 0 {
			if res, err := Fit(ex, FitOptions{}); err == nil {
				if _, _, err := Scenario(res, "fuzz"); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
