package fit

import (
	"fmt"
	"strings"
	"time"
)

// dateLayouts are the formats detection tries, in Go's reference-time form,
// each with the way a person writes it. Day-first and month-first forms are
// both listed: a value that only one of them reads (13/2/2016) decides.
var dateLayouts = []struct{ layout, human string }{
	{time.RFC3339, "RFC 3339 (2016-02-29T01:16:00Z)"},
	{"2006-01-02T15:04:05", "yyyy-mm-ddTHH:MM:SS"},
	{"2006-01-02T15:04", "yyyy-mm-ddTHH:MM"},
	{"2006-01-02 15:04:05Z07:00", "yyyy-mm-dd HH:MM:SS±hh:mm"},
	{"2006-01-02 15:04:05 -0700", "yyyy-mm-dd HH:MM:SS ±hhmm"},
	{"2006-01-02 15:04:05", "yyyy-mm-dd HH:MM:SS"},
	{"2006-01-02 15:04", "yyyy-mm-dd HH:MM"},
	{"2006/01/02 15:04:05", "yyyy/mm/dd HH:MM:SS"},
	{"2006/01/02 15:04", "yyyy/mm/dd HH:MM"},
	{"2/1/2006 15:04:05", "d/m/yyyy HH:MM:SS"},
	{"2/1/2006 15:04", "d/m/yyyy HH:MM"},
	{"1/2/2006 15:04:05", "m/d/yyyy HH:MM:SS"},
	{"1/2/2006 15:04", "m/d/yyyy HH:MM"},
	{"1/2/2006 3:04:05 PM", "m/d/yyyy h:MM:SS AM"},
	{"1/2/2006 3:04 PM", "m/d/yyyy h:MM AM"},
	{"2.1.2006 15:04:05", "d.m.yyyy HH:MM:SS"},
	{"2.1.2006 15:04", "d.m.yyyy HH:MM"},
	{"2-1-2006 15:04:05", "d-m-yyyy HH:MM:SS"},
	{"2-1-2006 15:04", "d-m-yyyy HH:MM"},
}

// humanLayout names a layout the way a person writes it.
func humanLayout(layout string) string {
	for _, l := range dateLayouts {
		if l.layout == layout {
			return l.human
		}
	}
	return layout
}

// dateTokens translate a person's date format into Go's layout, longest
// first: lower-case m is the month, upper-case MM the minutes.
var dateTokens = []struct{ from, to string }{
	{"yyyy", "2006"}, {"yy", "06"}, {"mm", "01"}, {"m", "1"}, {"dd", "02"}, {"d", "2"},
	{"HH", "15"}, {"H", "15"}, {"hh", "03"}, {"h", "3"}, {"MM", "04"}, {"SS", "05"},
	{"AM", "PM"}, {"PM", "PM"}, {"Z", "Z07:00"},
}

// ParseDateFormat turns a date format into a layout for time.Parse. It takes
// either Go's layout (2/1/2006 15:04, recognised by its year 2006) or the
// format people write: yyyy (or yy) year, m or mm month, d or dd day, HH
// hour (h or hh with AM/PM), MM minute, SS second, Z a zone offset; other
// characters (and the T of yyyy-mm-ddTHH:MM) stand for themselves.
// "d/m/yyyy HH:MM" is Go's "2/1/2006 15:04".
func ParseDateFormat(format string) (string, error) {
	if strings.Contains(format, "2006") {
		return format, nil
	}
	var b strings.Builder
	hasYear := false
	for s := format; s != ""; {
		matched := false
		for _, t := range dateTokens {
			if strings.HasPrefix(s, t.from) {
				b.WriteString(t.to)
				hasYear = hasYear || t.from[0] == 'y'
				s = s[len(t.from):]
				matched = true
				break
			}
		}
		if !matched {
			if c := s[0]; c != 'T' && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				return "", fmt.Errorf("date format %q: unknown letter %q; use yyyy, m, mm, d, dd, HH, MM, SS (or Go's layout, 2/1/2006 15:04)", format, c)
			}
			b.WriteByte(s[0])
			s = s[1:]
		}
	}
	if !hasYear {
		return "", fmt.Errorf("date format %q has no year (yyyy)", format)
	}
	return b.String(), nil
}

// detectLayout finds the layout that reads the given values (the first
// values of a column, in file order, sample the first of them), trying
// dateLayouts. When several read as many of sample (2/1/2016 as d/m or
// m/d), the one reading the most of all wins; if that leaves a tie, tied
// lists the layouts tied, as a person writes them.
func detectLayout(sample, all []string) (layout string, tied []string, err error) {
	best, bestN := []string(nil), 0
	for _, l := range dateLayouts {
		n := 0
		for _, v := range sample {
			if _, err := time.Parse(l.layout, v); err == nil {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN = []string{l.layout}, n
		case n == bestN && n > 0:
			best = append(best, l.layout)
		}
	}
	if bestN == 0 {
		return "", nil, fmt.Errorf("cannot recognise dates such as %q; give the format with --date-format (e.g. \"d/m/yyyy HH:MM\")", sample[0])
	}
	if bestN*2 < len(sample) {
		bad := ""
		for _, v := range sample {
			if _, err := time.Parse(best[0], v); err != nil {
				bad = v
				break
			}
		}
		return "", nil, fmt.Errorf("cannot recognise the dates: the closest format, %s, reads only %d of %d sampled values, not %q; give the format with --date-format (e.g. \"d/m/yyyy HH:MM\")",
			humanLayout(best[0]), bestN, len(sample), bad)
	}
	if len(best) == 1 {
		return best[0], nil, nil
	}
	// Count over all the values; a single layout reading more wins.
	counts := make([]int, len(best))
	for i, layout := range best {
		for _, v := range all {
			if _, err := time.Parse(layout, v); err == nil {
				counts[i]++
			}
		}
	}
	top := 0
	for i := range best {
		if counts[i] > counts[top] {
			top = i
		}
	}
	for i, layout := range best {
		if counts[i] == counts[top] {
			tied = append(tied, humanLayout(layout))
		}
	}
	if len(tied) > 1 {
		return "", tied, nil
	}
	return best[top], nil, nil
}

// detectBytes bounds the text of the rows held while the date layouts of
// an export's columns are detected.
const detectBytes = 8 << 20

// layoutSample is how many values of a date column detection tries every
// layout on; a column with fewer values in the first sparseRows rows
// (first responses recorded for a few tickets, say) is detected from
// those it has.
const (
	layoutSample = 400
	sparseRows   = 4 * layoutSample
)

// A detection holds the first rows of an export while it detects the
// layouts of its date columns: until each column has layoutSample values
// (or sparseRows rows are held) that one layout reads best, until
// detectBytes of text, or to the end of the file. A column whose values
// are read alike by two layouts (all its days so far 12 or under) waits
// for a value that tells them apart.
type detection struct {
	ex      *Export
	missing map[string]bool
	// pending are the columns whose layout is not yet known.
	pending []Field
	text    []byte
	rows    []heldRow
	// retry is the number of rows held at which to try deciding again.
	retry int
}

// A heldRow is a row held during detection: its line, and where each of
// its values ends in the detection's text.
type heldRow struct {
	line int
	ends [NumFields]uint32
}

// newDetection starts the detection of ex's date layouts; it returns nil
// when the mapping gives them.
func newDetection(ex *Export) *detection {
	d := &detection{ex: ex, missing: ex.missingSet(), retry: layoutSample}
	for f := range NumFields {
		if !f.isTime() || ex.Columns[f] == "" {
			continue
		}
		if ex.Mapping.DateLayout != "" {
			ex.Layouts[f] = ex.Mapping.DateLayout
		} else {
			d.pending = append(d.pending, f)
		}
	}
	if len(d.pending) == 0 {
		ex.setClock()
		return nil
	}
	return d
}

// hold keeps a row.
func (d *detection) hold(line int, v *values) {
	r := heldRow{line: line}
	for f := range NumFields {
		d.text = append(d.text, v[f]...)
		r.ends[f] = uint32(len(d.text))
	}
	d.rows = append(d.rows, r)
}

// values are the values of held row i.
func (d *detection) values(i int) values {
	var v values
	from := uint32(0)
	if i > 0 {
		from = d.rows[i-1].ends[NumFields-1]
	}
	for f := range NumFields {
		v[f] = d.text[from:d.rows[i].ends[f]]
		from = d.rows[i].ends[f]
	}
	return v
}

// full reports whether the detection has held enough rows: every layout
// is known, or detectBytes are held.
func (d *detection) full() bool {
	if len(d.text) >= detectBytes {
		return true
	}
	if len(d.rows) < d.retry {
		return false
	}
	d.retry *= 2
	done, err := d.decide(false)
	return done || err != nil
}

// decide detects the layouts of the pending columns from the rows held. A
// column without enough values to decide stays pending, unless final. It
// reports whether no column is left pending.
func (d *detection) decide(final bool) (bool, error) {
	ex := d.ex
	pending := d.pending[:0]
	for _, f := range d.pending {
		var all []string
		for i := range d.rows {
			v := d.values(i)[f]
			if !d.missing[string(v)] && !isMarker(v) {
				all = append(all, string(v))
			}
		}
		switch {
		case len(all) < layoutSample && !final && len(d.rows) < sparseRows:
			pending = append(pending, f)
			continue
		case len(all) == 0:
			continue // finish gives it the opening times' layout
		}
		layout, tied, err := detectLayout(all[:min(len(all), layoutSample)], all)
		switch {
		case err != nil:
			return false, fmt.Errorf("%s: column %s (%s): %w", ex.File, ex.Columns[f], f, err)
		case tied == nil:
			ex.Layouts[f] = layout
		case final:
			return false, fmt.Errorf("%s: column %s (%s): dates such as %q read as %s alike; give the format with --date-format",
				ex.File, ex.Columns[f], f, all[0], strings.Join(tied, " or "))
		default:
			pending = append(pending, f)
		}
	}
	d.pending = pending
	return len(pending) == 0, nil
}

// finish decides the layouts left, with the rows held, then reads those
// rows. A date column without a value to detect its layout from takes the
// opening times' layout.
func (d *detection) finish(rd *rowReader) error {
	ex := d.ex
	if _, err := d.decide(true); err != nil {
		return err
	}
	for f := range NumFields {
		if f.isTime() && ex.Columns[f] != "" && ex.Layouts[f] == "" {
			ex.Layouts[f] = ex.Layouts[Opened]
		}
	}
	ex.setClock()
	for i, r := range d.rows {
		v := d.values(i)
		if err := rd.row(r.line, &v); err != nil {
			return err
		}
	}
	d.text, d.rows = nil, nil
	return nil
}

// setClock sets the resolution of the export's times from its layouts.
func (ex *Export) setClock() {
	for f := range NumFields {
		if f.isTime() && hasSeconds(ex.Layouts[f]) {
			return
		}
	}
	ex.Clock = time.Minute
}

// hasSeconds reports whether a layout writes seconds; without them, times
// are known to the minute.
func hasSeconds(layout string) bool {
	return strings.Contains(layout, "05")
}
