package fit

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/slasim/slasim/internal/plural"
)

// MaxShown is how many unreadable rows, and unreadable values, an Export
// keeps to show; the rest are only counted.
const MaxShown = 5

// MaxPriorities is the most distinct priorities an export may have: a
// scenario's most tiers.
const MaxPriorities = 64

// MaxChannels is the most distinct channels an export's tickets are
// counted by; tickets of further channels are counted as OtherChannel.
const MaxChannels = 100

// OtherChannel is the channel of tickets whose channel came after the
// MaxChannels first.
const OtherChannel = "(other)"

// MaxGzipRatio is the most a compressed export may expand, past its first
// gzipSlack bytes: real exports expand 5 to 30 times (the ServiceNow log
// 19), a gzip bomb up to a thousand.
const (
	MaxGzipRatio = 200
	gzipSlack    = 8 << 20
)

// Dates outside [minYear, maxYear) are taken for placeholders or typos
// such as 0001-01-01 or 1900-01-01, or a year written 0024.
const (
	minYear = 1970
	maxYear = 2200
)

// Options say how to read an export.
type Options struct {
	Overrides
	// Location is the time zone of dates written without one, and the zone
	// whose clock the hours of the week follow; nil means UTC.
	Location *time.Location
}

// An Export is a ticket export as read: one ticket per ticket id, from its
// last row, and what could not be read.
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
	// Unreadable[f] counts the values of field f that could not be read in
	// rows that were otherwise read: the ticket is kept, with the field
	// unknown. The first MaxShown are in BadValues.
	Unreadable [NumFields]int
	BadValues  []*RowError
	// Markers[f] are the values of field f's column that were read as
	// missing without being declared so (such as ? or NULL; the MaxShown
	// first), found in MarkerRows[f] rows.
	Markers    [NumFields][]string
	MarkerRows [NumFields]int
	// OtherChannel counts the tickets whose channel is counted as
	// OtherChannel.
	OtherChannel int
	// Absent lists optional columns of the mapping the export lacks.
	Absent []string

	// present[f] counts the values of field f that were not missing.
	present    [NumFields]int
	priorities []string
	channels   []string
	// tickets in the order they first appear; ids and updated, when the
	// export has those columns, hold each one's id and the time of its row.
	tickets blocks[ticket]
	ids     *idIndex
	updated blocks[int64]
}

// A RowError is a row, or a value, that could not be read.
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

// ReadFile reads the export at path; see Read. Cancelling ctx also ends a
// read blocked on a pipe.
func ReadFile(ctx context.Context, path string, o Options) (*Export, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read export: %w", err)
	}
	defer f.Close()
	defer context.AfterFunc(ctx, func() { f.Close() })()
	ex, err := Read(ctx, f, path, o)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s: %w", path, context.Cause(ctx))
	}
	return ex, err
}

// Read reads a ticket export in CSV, plain or gzip-compressed (told by its
// first bytes), whose first row names the columns. Rows of the same ticket
// (same ID), in any order, are updates: the row with the latest Updated
// time wins, or the later row in the file when there is no Updated column
// or the times tie.
//
// Read streams the export: it keeps the tickets, not the rows. Rows that
// cannot be read are counted and skipped, and so are values of optional
// fields (a resolution time, say) that cannot be read, their tickets kept.
// Read fails when most rows, or most values of a column, cannot be read,
// when a required column is missing (all are named), when the dates of a
// column are in no format it knows, or beyond the limits MaxRowBytes,
// MaxPriorities, MaxTickets and MaxGzipRatio; it stops, with ctx's error,
// when ctx is cancelled.
func Read(ctx context.Context, r io.Reader, file string, o Options) (*Export, error) {
	compressed := &countingReader{r: r}
	br := bufio.NewReaderSize(compressed, 1<<16)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		defer zr.Close()
		src = &gzipLimit{zr: zr, compressed: compressed}
	}
	rr := newRecordReader(src)
	_, err := rr.next()
	var se *syntaxError
	switch {
	case err == io.EOF:
		return nil, fmt.Errorf("%s: empty file: no header row", file)
	case errors.As(err, &se):
		return nil, fmt.Errorf("%s:1: header: field %d: %s", file, se.field, se.msg)
	case errors.Is(err, errRowTooLong) && bytes.IndexByte(rr.buf[rr.start:rr.end], '\r') >= 0:
		return nil, fmt.Errorf("%s:1: header: %w", file, errLoneCR)
	case err != nil:
		return nil, fmt.Errorf("%s:1: header: %w", file, err)
	case rr.count() > MaxColumns:
		return nil, fmt.Errorf("%s:1: header: %d columns, more than the limit of %d", file, rr.count(), MaxColumns)
	}
	header := make([]string, len(rr.fields))
	for i, f := range rr.fields {
		header[i] = string(f)
		switch {
		case bytes.IndexByte(f, 0) >= 0:
			return nil, fmt.Errorf("%s:1: header: NUL bytes: the file looks UTF-16 (a spreadsheet's Unicode text) or is not text; save it as CSV in UTF-8", file)
		case bytes.IndexByte(f, '\r') >= 0:
			return nil, fmt.Errorf("%s:1: header: %w", file, errLoneCR)
		}
	}
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
	if ex.Columns[ID] != "" {
		ex.ids = newIDIndex(func(i int) uint32 { return ex.tickets.at(i).id })
	}
	if ex.Columns[Priority] == "" {
		ex.priorities = []string{""}
	}
	rr.width = len(header)
	if err := ex.readRows(ctx, rr, idx); err != nil {
		return nil, err
	}
	if ex.ids != nil {
		ex.ids.table = nil // only finding ids needs it
	}
	switch {
	case ex.Rows == 0:
		return nil, fmt.Errorf("%s: no data rows after the header", file)
	case ex.BadRows*2 > ex.Rows:
		return nil, fmt.Errorf("%s: %d of %d rows cannot be read, more than half: is the mapping right (preset %s)? %s",
			file, ex.BadRows, ex.Rows, ex.Mapping.Name, ex.BadSummary())
	}
	for f := range NumFields {
		if n := ex.Unreadable[f]; n*2 > ex.present[f] {
			return nil, fmt.Errorf("%s: column %s (%s): %d of %d values cannot be read, more than half: is the mapping right (preset %s)? %s",
				file, ex.Columns[f], f, n, ex.present[f], ex.Mapping.Name, ex.BadValueSummary())
		}
	}
	return ex, nil
}

// errLoneCR is the error of an export whose lines end with a carriage
// return alone (classic Mac OS), which the reader takes for one line: a
// carriage return in the header, or before its first 4 MiB end.
var errLoneCR = errors.New("lines end with a carriage return alone (classic Mac OS), which makes the file one line; save it with Windows or Unix line ends")

// A countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// gzipLimit fails a decompression that expands more than MaxGzipRatio
// times, past its first gzipSlack bytes.
type gzipLimit struct {
	zr         io.Reader
	compressed *countingReader
	n          int64
}

func (g *gzipLimit) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	g.n += int64(n)
	if g.n > gzipSlack && g.n > MaxGzipRatio*g.compressed.n {
		return n, fmt.Errorf("the gzip stream expands more than %d times (%d MiB from %d KiB), the limit: a gzip bomb? If the export is genuine, decompress it and read the CSV",
			MaxGzipRatio, g.n>>20, g.compressed.n>>10)
	}
	return n, err
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

// values are the text of a row's mapped fields, nil for a field not read.
type values [NumFields][]byte

// readRows reads every data row. Rows are held, while the dates of columns
// without a layout are detected, then read into tickets as they come.
func (ex *Export) readRows(ctx context.Context, rr *recordReader, idx [NumFields]int) error {
	rd := newRowReader(ex)
	det := newDetection(ex)
	for {
		if ex.Rows%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, err := rr.next()
		if err == io.EOF {
			break
		}
		if se, ok := err.(*syntaxError); ok {
			ex.Rows++
			ex.bad(&RowError{File: ex.File, Line: line, Err: se})
			continue
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", ex.File, line, err)
		}
		ex.Rows++
		if rr.count() != rr.width {
			ex.bad(&RowError{File: ex.File, Line: line, Err: fmt.Errorf("%d fields, the header has %d", rr.count(), rr.width)})
			continue
		}
		var v values
		for f, i := range idx {
			if i >= 0 {
				v[f] = bytes.TrimSpace(rr.fields[i])
			}
		}
		if det == nil {
			if err := rd.row(line, &v); err != nil {
				return err
			}
			continue
		}
		det.hold(line, &v)
		if !det.full() {
			continue
		}
		if err := det.finish(rd); err != nil {
			return err
		}
		det = nil
	}
	if det != nil {
		return det.finish(rd)
	}
	return nil
}

// missingSet is the set of values declared to mean unknown, the empty one
// included.
func (ex *Export) missingSet() map[string]bool {
	set := map[string]bool{"": true}
	for _, v := range ex.Mapping.Missing {
		set[strings.TrimSpace(v)] = true
	}
	return set
}

// bad counts an unreadable row, keeping the MaxShown first in the file
// (rows held during date detection are found bad after later ones).
func (ex *Export) bad(err *RowError) {
	ex.BadRows++
	i, _ := slices.BinarySearchFunc(ex.Bad, err.Line, func(e *RowError, line int) int { return e.Line - line })
	if i < MaxShown {
		ex.Bad = slices.Insert(ex.Bad, i, err)
		ex.Bad = ex.Bad[:min(len(ex.Bad), MaxShown)]
	}
}

// BadSummary describes the unreadable rows: the first few, then a count.
func (ex *Export) BadSummary() string {
	if ex.BadRows == 0 {
		return "every row was read"
	}
	return summary(fmt.Sprintf("%d unreadable %s:", ex.BadRows, plural.Of(ex.BadRows, "row", "rows")), ex.Bad, ex.BadRows)
}

// BadValueSummary describes the values that could not be read in rows that
// were: the first few, then a count; "" when there were none.
func (ex *Export) BadValueSummary() string {
	n := ex.unreadableValues()
	if n == 0 {
		return ""
	}
	var cols []string
	for f, k := range ex.Unreadable {
		if k > 0 {
			cols = append(cols, fmt.Sprintf("%d of %s", k, ex.Columns[f]))
		}
	}
	return summary(fmt.Sprintf("%d unreadable %s (%s), %s kept with the value unknown:", n, plural.Of(n, "value", "values"), strings.Join(cols, ", "), plural.Of(n, "its ticket", "their tickets")), ex.BadValues, n)
}

// unreadableValues is the number of values that could not be read in rows
// that were.
func (ex *Export) unreadableValues() int {
	n := 0
	for _, k := range ex.Unreadable {
		n += k
	}
	return n
}

func summary(head string, shown []*RowError, n int) string {
	var b strings.Builder
	b.WriteString(head)
	for _, e := range shown {
		fmt.Fprintf(&b, "\n  %v", e)
	}
	if more := n - len(shown); more > 0 {
		fmt.Fprintf(&b, "\n  and %d more", more)
	}
	return b.String()
}

// MarkerSummary says which values were read as missing without being
// declared so, or "" when none were.
func (ex *Export) MarkerSummary() string {
	var parts []string
	for f, m := range ex.Markers {
		if len(m) == 0 {
			continue
		}
		quoted := make([]string, len(m))
		for i, v := range m {
			quoted[i] = strconv.Quote(v)
		}
		parts = append(parts, fmt.Sprintf("%s in %d %s of %s", strings.Join(quoted, ", "), ex.MarkerRows[f], plural.Of(ex.MarkerRows[f], "row", "rows"), ex.Columns[f]))
	}
	if len(parts) == 0 {
		return ""
	}
	return "values read as missing though not declared so (declare them with --missing): " + strings.Join(parts, "; ")
}

// A rowReader turns the values of a row into a ticket of its export.
type rowReader struct {
	ex       *Export
	missing  map[string]bool
	priority map[string]uint8
	channel  map[string]uint16
}

func newRowReader(ex *Export) *rowReader {
	return &rowReader{ex: ex, missing: ex.missingSet(), priority: make(map[string]uint8), channel: make(map[string]uint16)}
}

// A fatalError stops the reading: a limit was passed.
type fatalError struct{ err *RowError }

func (e *fatalError) Error() string { return e.err.Error() }
func (e *fatalError) Unwrap() error { return e.err }

// row reads one row into a ticket, counting it as unreadable if it cannot
// be. Its error is a passed limit, which stops the reading.
func (rd *rowReader) row(line int, v *values) error {
	ex := rd.ex
	t, updated, err := rd.parse(line, v)
	if err != nil {
		if re, ok := err.(*RowError); ok {
			ex.bad(re)
			return nil
		}
		return err // a limit
	}
	if ex.ids == nil {
		return ex.add(line, t)
	}
	i, slot := ex.ids.find(v[ID])
	if i < 0 {
		t.id = ex.ids.store(v[ID])
		if err := ex.add(line, t); err != nil {
			return err
		}
		ex.ids.add(v[ID], ex.tickets.len()-1, slot)
		if ex.Columns[Updated] != "" {
			ex.updated.add(updated)
		}
		return nil
	}
	ex.Superseded++
	if ex.Columns[Updated] == "" || updated >= *ex.updated.at(i) {
		t.id = ex.tickets.at(i).id
		*ex.tickets.at(i) = t
		if ex.Columns[Updated] != "" {
			*ex.updated.at(i) = updated
		}
	}
	return nil
}

// add adds a new ticket.
func (ex *Export) add(line int, t ticket) error {
	if ex.tickets.len() == MaxTickets {
		return &RowError{File: ex.File, Line: line, Err: fmt.Errorf("more than %d tickets, the limit (about 2 GB of memory): fit part of the export", MaxTickets)}
	}
	ex.tickets.add(t)
	return nil
}

// parse reads the values of a row: its ticket, and the time the row was
// written (noTime when unknown). ID, Opened and Priority (when mapped) must
// be readable; other values that cannot be read are counted and left
// unknown.
func (rd *rowReader) parse(line int, v *values) (t ticket, updated int64, err error) {
	ex := rd.ex
	t = ticket{opened: noTime, response: noTime, resolved: noTime, reassignments: -1, reopens: -1, madeSLA: -1}
	updated = noTime
	for f := range NumFields {
		if ex.Columns[f] == "" {
			continue
		}
		s := v[f]
		required := f == ID || f == Opened || f == Priority
		if rd.missing[string(s)] {
			if required {
				return t, 0, rd.fail(line, f, "%s is missing", f)
			}
			continue
		}
		var bad error
		switch f {
		case ID:
			if len(s) > MaxValueBytes {
				return t, 0, rd.fail(line, f, "an id longer than %d bytes", MaxValueBytes)
			}
		case Priority:
			var err error
			if t.priority, err = rd.intern(line, s); err != nil {
				return t, 0, err
			}
		case Channel:
			t.channel = rd.internChannel(s)
		case Opened, Response, Resolved, Updated:
			at, err := rd.time(f, s)
			switch {
			case err == nil:
				switch f {
				case Opened:
					t.opened = at
				case Response:
					t.response = at
				case Resolved:
					t.resolved = at
				case Updated:
					updated = at
				}
			case f == Opened && isMarker(s):
				return t, 0, rd.fail(line, f, "%s is missing (%q)", f, s)
			default:
				bad = err
			}
		case MadeSLA:
			if b, ok := parseBool(s); ok {
				t.madeSLA = 0
				if b {
					t.madeSLA = 1
				}
			} else {
				bad = fmt.Errorf("%q is not true or false", s)
			}
		case Reassignments, Reopens:
			n, err := strconv.ParseInt(view(s), 10, 32)
			if err != nil || n < 0 {
				bad = fmt.Errorf("%q is not a count (a whole number >= 0)", s)
				break
			}
			if f == Reassignments {
				t.reassignments = int32(n)
			} else {
				t.reopens = int32(n)
			}
		}
		if bad == nil {
			ex.present[f]++
			continue
		}
		if required {
			return t, 0, &RowError{File: ex.File, Line: line, Column: ex.Columns[f], Err: bad}
		}
		if isMarker(s) {
			rd.marker(f, s)
			continue
		}
		ex.present[f]++
		ex.Unreadable[f]++
		if len(ex.BadValues) < MaxShown {
			ex.BadValues = append(ex.BadValues, &RowError{File: ex.File, Line: line, Column: ex.Columns[f], Err: bad})
		}
	}
	return t, updated, nil
}

func (rd *rowReader) fail(line int, f Field, format string, a ...any) *RowError {
	return &RowError{File: rd.ex.File, Line: line, Column: rd.ex.Columns[f], Err: fmt.Errorf(format, a...)}
}

// time reads a date of field f.
func (rd *rowReader) time(f Field, s []byte) (int64, error) {
	ex := rd.ex
	layout := ex.Layouts[f]
	at, err := time.ParseInLocation(layout, view(s), ex.Location)
	if err != nil {
		return 0, fmt.Errorf("cannot read %q as a date in the form %s", s, humanLayout(layout))
	}
	if y := at.Year(); y < minYear || y >= maxYear {
		return 0, fmt.Errorf("%q is not a plausible date (years %d to %d)", s, minYear, maxYear-1)
	}
	return at.UnixNano(), nil
}

// intern returns the index of a priority, adding it if new.
func (rd *rowReader) intern(line int, s []byte) (uint8, error) {
	if i, ok := rd.priority[string(s)]; ok {
		return i, nil
	}
	ex := rd.ex
	if len(s) > MaxValueBytes {
		return 0, rd.fail(line, Priority, "a priority longer than %d bytes", MaxValueBytes)
	}
	if len(ex.priorities) == MaxPriorities {
		return 0, &fatalError{rd.fail(line, Priority, "a %dth priority, %q, beyond the limit of %d (a scenario's most tiers): map the priorities to fewer values, or leave them out with --priority \"\" to fit all tickets as one tier",
			MaxPriorities+1, s, MaxPriorities)}
	}
	name := string(s)
	i := uint8(len(ex.priorities))
	rd.priority[name] = i
	ex.priorities = append(ex.priorities, name)
	return i, nil
}

// internChannel returns the channel's number (its index plus one), adding
// it if new; a channel past the MaxChannels first is counted as
// OtherChannel.
func (rd *rowReader) internChannel(s []byte) uint16 {
	if i, ok := rd.channel[string(s)]; ok {
		return i
	}
	ex := rd.ex
	name := string(s)
	if len(ex.channels) >= MaxChannels || len(s) > MaxValueBytes {
		ex.OtherChannel++
		name = OtherChannel
		if i, ok := rd.channel[name]; ok {
			return i
		}
	}
	ex.channels = append(ex.channels, name)
	i := uint16(len(ex.channels))
	rd.channel[name] = i
	return i
}

// marker notes a value of field f read as missing without being declared
// so.
func (rd *rowReader) marker(f Field, s []byte) {
	ex := rd.ex
	ex.MarkerRows[f]++
	if len(ex.Markers[f]) < MaxShown && !slices.Contains(ex.Markers[f], string(s)) {
		ex.Markers[f] = append(ex.Markers[f], string(s))
	}
}

// markers are the values exports write for unknown, compared ignoring
// case. A value of a date, flag or count column that cannot be read and is
// one of them is read as missing.
var markers = []string{"?", "-", "--", "n/a", "na", "#n/a", "null", "(null)", "nil", "none", "nan", "unknown", "undefined", "(blank)", "(empty)"}

func isMarker(s []byte) bool {
	return slices.ContainsFunc(markers, func(m string) bool { return bytes.EqualFold(s, []byte(m)) })
}

// view is b as a string without copying, for the length of a call that
// does not keep it (time and strconv copy what their errors quote).
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// parseBool reads the ways exports write a flag.
func parseBool(s []byte) (value, ok bool) {
	switch strings.ToLower(view(s)) {
	case "true", "t", "yes", "y", "1":
		return true, true
	case "false", "f", "no", "n", "0":
		return false, true
	}
	return false, false
}
