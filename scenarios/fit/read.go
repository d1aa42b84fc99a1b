package fit

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxShown is how many unreadable rows an Export keeps, to show; the rest
// are only counted.
const MaxShown = 5

// Dates outside [minYear, maxYear) are taken for placeholders or typos
// such as 0001-01-01 or 1900-01-01, or a year written 0024.
const (
	minYear = 1970
	maxYear = 2200
)

// layoutSample is how many values of a date column detection tries every
// layout on.
const layoutSample = 400

// Options say how to read an export.
type Options struct {
	Overrides
	// Location is the time zone of dates written without one, and the zone
	// whose clock the hours of the week follow; nil means UTC.
	Location *time.Location
}

// An Export is a ticket export as read: one Ticket per ticket, the last row
// of each, and what could not be read.
type Export struct {
	// File is the name the export was read under, for messages.
	File string
	// Mapping is the mapping applied; Columns[f] is the header of the column
	// found for field f, "" when the field is not in the export.
	Mapping Mapping
	Columns [NumFields]string
	// Layouts[f] is the date layout of field f's column.
	Layouts [NumFields]string
	// Location is the time zone of the tickets' times.
	Location *time.Location
	// Clock is the resolution of the timestamps: time.Minute when the
	// export writes no seconds.
	Clock time.Duration
	// Rows is the number of data rows; BadRows of them could not be read,
	// the first MaxShown of which are in Bad. Superseded rows were earlier
	// updates of a ticket that a later row replaced.
	Rows, BadRows, Superseded int
	Bad                       []*RowError
	// Absent lists optional columns of the mapping the export lacks.
	Absent []string
	// Tickets in the order they first appear.
	Tickets []Ticket
}

// A Ticket is what an export says of one ticket, from its last row.
type Ticket struct {
	// Line is the line of the row the ticket was read from.
	Line                  int
	ID, Priority, Channel string
	// Times in the export's location; zero when unknown.
	Opened, Response, Resolved, Updated time.Time
	// MadeSLA is 1 if the ticket met its SLA, 0 if not, -1 if unknown.
	MadeSLA int8
	// Reassignments and Reopens are counts, -1 when unknown.
	Reassignments, Reopens int
}

// A RowError is a row that could not be read.
type RowError struct {
	File string
	Line int
	// Column is the header of the offending column, empty for the row as a
	// whole.
	Column string
	Err    error
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: column %s: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// ReadFile reads the export at path; see Read.
func ReadFile(path string, o Options) (*Export, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read export: %w", err)
	}
	defer f.Close()
	return Read(f, path, o)
}

// Read reads a ticket export in CSV, plain or gzip-compressed (told by its
// first bytes), whose first row names the columns. Rows of the same ticket
// (same ID) are updates: the row with the latest Updated time wins, or the
// later row in the file when there is no Updated column or the times tie.
//
// Rows that cannot be read are counted and skipped; Read fails when most
// rows cannot be read, when a required column is missing (all are named),
// or when the dates of a column are in no format it knows.
func Read(r io.Reader, file string, o Options) (*Export, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file: no header row", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", file, err)
	}
	header = slices.Clone(header)
	ex := &Export{File: file, Location: o.Location, Clock: time.Second}
	if ex.Location == nil {
		ex.Location = time.UTC
	}
	m, err := mappingFor(header, &o.Overrides)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	ex.Mapping = m
	idx, err := ex.resolveColumns(header)
	if err != nil {
		return nil, err
	}
	rows, err := ex.readRows(cr, idx, len(header))
	if err != nil {
		return nil, err
	}
	if err := ex.detectLayouts(rows); err != nil {
		return nil, err
	}
	p := ex.rowParser()
	byID := make(map[string]int)
	for i := range rows {
		t, err := p.parse(&rows[i])
		if err != nil {
			ex.bad(err)
			continue
		}
		ex.add(t, byID)
	}
	switch {
	case ex.Rows == 0:
		return nil, fmt.Errorf("%s: no data rows after the header", file)
	case ex.BadRows*2 > ex.Rows:
		return nil, fmt.Errorf("%s: %d of %d rows cannot be read, more than half: is the mapping right (preset %s)? %s",
			file, ex.BadRows, ex.Rows, ex.Mapping.Name, ex.BadSummary())
	}
	return ex, nil
}

// mappingFor is the preset o names (or the one the header suggests) with
// o's changes.
func mappingFor(header []string, o *Overrides) (Mapping, error) {
	name := o.Preset
	if name == "" || name == "auto" {
		name = detectPreset(header)
	}
	m, ok := Preset(name)
	if !ok {
		return Mapping{}, fmt.Errorf("unknown preset %q; the presets are %s", name, strings.Join(PresetNames(), ", "))
	}
	m = o.apply(m)
	for _, f := range []Field{Opened, Resolved} {
		if m.Columns[f] == "" {
			return Mapping{}, fmt.Errorf("no column for %s: give one with --%s", f, f)
		}
	}
	return m, nil
}

// resolveColumns finds each mapped column in the header, returning their
// indexes (-1 for a field not read), or an error naming every required
// column that is missing.
func (ex *Export) resolveColumns(header []string) ([NumFields]int, error) {
	var idx [NumFields]int
	var missing []string
	for f := range NumFields {
		idx[f] = -1
		col := ex.Mapping.Columns[f]
		if col == "" {
			continue
		}
		idx[f] = slices.IndexFunc(header, func(h string) bool { return normHeader(h) == normHeader(col) })
		switch {
		case idx[f] >= 0:
			ex.Columns[f] = strings.TrimSpace(strings.TrimPrefix(header[idx[f]], "\ufeff"))
		case ex.Mapping.Optional[f]:
			ex.Absent = append(ex.Absent, fmt.Sprintf("%s (%s)", col, f))
		default:
			missing = append(missing, fmt.Sprintf("%q for %s", col, f))
		}
	}
	if len(missing) > 0 {
		shown := header
		if len(shown) > 40 {
			shown = shown[:40]
		}
		return idx, fmt.Errorf("%s: missing column %s (preset %s); the header has %d columns: %s",
			ex.File, strings.Join(missing, ", "), ex.Mapping.Name, len(header), strings.Join(shown, ", "))
	}
	return idx, nil
}

// A rawRow holds the text of the mapped fields of one row.
type rawRow struct {
	line int
	vals [NumFields]string
}

// readRows reads every data row, keeping the mapped fields' text; rows with
// the wrong number of fields or broken quoting are counted as bad.
func (ex *Export) readRows(cr *csv.Reader, idx [NumFields]int, width int) ([]rawRow, error) {
	var rows []rawRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		ex.Rows++
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			ex.bad(&RowError{File: ex.File, Line: pe.StartLine, Err: pe.Err})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: after %d rows: %w", ex.File, ex.Rows-1, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != width {
			ex.bad(&RowError{File: ex.File, Line: line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), width)})
			continue
		}
		row := rawRow{line: line}
		for f, i := range idx {
			if i >= 0 {
				row.vals[f] = strings.Clone(strings.TrimSpace(rec[i]))
			}
		}
		rows = append(rows, row)
	}
}

// detectLayouts sets the layout of each date column: the mapping's, or the
// one detected from the column's values.
func (ex *Export) detectLayouts(rows []rawRow) error {
	missing := ex.missingSet()
	seconds := false
	for f := range NumFields {
		if !f.isTime() || ex.Columns[f] == "" {
			continue
		}
		layout := ex.Mapping.DateLayout
		if layout == "" {
			var all []string
			for i := range rows {
				if v := rows[i].vals[f]; !missing[v] {
					all = append(all, v)
				}
			}
			if len(all) == 0 {
				continue
			}
			sample := all
			if len(all) > layoutSample {
				sample = make([]string, layoutSample)
				for i := range sample {
					sample[i] = all[i*len(all)/layoutSample]
				}
			}
			var err error
			if layout, err = detectLayout(sample, all); err != nil {
				return fmt.Errorf("%s: column %s (%s): %w", ex.File, ex.Columns[f], f, err)
			}
		}
		ex.Layouts[f] = layout
		seconds = seconds || hasSeconds(layout)
	}
	if !seconds {
		ex.Clock = time.Minute
	}
	return nil
}

func (ex *Export) missingSet() map[string]bool {
	set := map[string]bool{"": true}
	for _, v := range ex.Mapping.Missing {
		set[strings.TrimSpace(v)] = true
	}
	return set
}

// bad counts an unreadable row, keeping the MaxShown first in the file
// (rows are found bad in two passes, not in order).
func (ex *Export) bad(err error) {
	ex.BadRows++
	var re *RowError
	if !errors.As(err, &re) {
		re = &RowError{File: ex.File, Err: err}
	}
	i, _ := slices.BinarySearchFunc(ex.Bad, re.Line, func(e *RowError, line int) int { return e.Line - line })
	if i < MaxShown {
		ex.Bad = slices.Insert(ex.Bad, i, re)
		ex.Bad = ex.Bad[:min(len(ex.Bad), MaxShown)]
	}
}

// BadSummary describes the unreadable rows: the first few, then a count.
func (ex *Export) BadSummary() string {
	if ex.BadRows == 0 {
		return "every row was read"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d unreadable rows:", ex.BadRows)
	for _, e := range ex.Bad {
		fmt.Fprintf(&b, "\n  %v", e)
	}
	if more := ex.BadRows - len(ex.Bad); more > 0 {
		fmt.Fprintf(&b, "\n  and %d more", more)
	}
	return b.String()
}

// add adds a ticket read from a row: a new ticket, or an update that
// replaces the ticket's earlier row unless it is older.
func (ex *Export) add(t Ticket, byID map[string]int) {
	if ex.Columns[ID] == "" {
		ex.Tickets = append(ex.Tickets, t)
		return
	}
	i, seen := byID[t.ID]
	if !seen {
		byID[t.ID] = len(ex.Tickets)
		ex.Tickets = append(ex.Tickets, t)
		return
	}
	ex.Superseded++
	if !t.Updated.Before(ex.Tickets[i].Updated) {
		ex.Tickets[i] = t
	}
}

// A rowParser turns the text of a row into a Ticket.
type rowParser struct {
	file     string
	columns  [NumFields]string
	layouts  [NumFields]string
	loc      *time.Location
	missing  map[string]bool
	hasField [NumFields]bool
}

func (ex *Export) rowParser() *rowParser {
	p := &rowParser{file: ex.File, columns: ex.Columns, layouts: ex.Layouts, loc: ex.Location, missing: ex.missingSet()}
	for f := range NumFields {
		p.hasField[f] = ex.Columns[f] != ""
	}
	return p
}

// parse reads one row. ID, Opened and Priority (when mapped) must be
// present; every present value must be readable.
func (p *rowParser) parse(r *rawRow) (Ticket, error) {
	t := Ticket{Line: r.line, MadeSLA: -1, Reassignments: -1, Reopens: -1}
	fail := func(f Field, format string, a ...any) (Ticket, error) {
		return Ticket{}, &RowError{File: p.file, Line: r.line, Column: p.columns[f], Err: fmt.Errorf(format, a...)}
	}
	for f := range NumFields {
		if !p.hasField[f] {
			continue
		}
		v := r.vals[f]
		if p.missing[v] {
			if f == ID || f == Opened || f == Priority {
				return fail(f, "%s is missing", f)
			}
			continue
		}
		switch f {
		case ID:
			t.ID = v
		case Priority:
			t.Priority = v
		case Channel:
			t.Channel = v
		case Opened, Response, Resolved, Updated:
			if p.layouts[f] == "" {
				return fail(f, "no date format for the column")
			}
			at, err := time.ParseInLocation(p.layouts[f], v, p.loc)
			if err != nil {
				return fail(f, "cannot read %q as a date in the form %s", v, humanLayout(p.layouts[f]))
			}
			if y := at.Year(); y < minYear || y >= maxYear {
				return fail(f, "%q is not a plausible date (years %d to %d)", v, minYear, maxYear-1)
			}
			at = at.In(p.loc)
			switch f {
			case Opened:
				t.Opened = at
			case Response:
				t.Response = at
			case Resolved:
				t.Resolved = at
			case Updated:
				t.Updated = at
			}
		case MadeSLA:
			b, ok := parseBool(v)
			if !ok {
				return fail(f, "%q is not true or false", v)
			}
			t.MadeSLA = 0
			if b {
				t.MadeSLA = 1
			}
		case Reassignments, Reopens:
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fail(f, "%q is not a count (a whole number >= 0)", v)
			}
			if f == Reassignments {
				t.Reassignments = n
			} else {
				t.Reopens = n
			}
		}
	}
	return t, nil
}

// parseBool reads the ways exports write a flag.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true", "t", "yes", "y", "1":
		return true, true
	case "false", "f", "no", "n", "0":
		return false, true
	}
	return false, false
}
