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

// detectLayout finds the layout that reads the given values (a sample of a
// column, in file order), trying dateLayouts. When several read all of
// them (2/1/2016 as d/m or m/d), all is every value of the column, which
// decides or leaves the column ambiguous.
func detectLayout(sample, all []string) (string, error) {
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
		return "", fmt.Errorf("cannot recognise dates such as %q; give the format with --date-format (e.g. \"d/m/yyyy HH:MM\")", sample[0])
	}
	if bestN*2 < len(sample) {
		bad := ""
		for _, v := range sample {
			if _, err := time.Parse(best[0], v); err != nil {
				bad = v
				break
			}
		}
		return "", fmt.Errorf("cannot recognise the dates: the closest format, %s, reads only %d of %d sampled values, not %q; give the format with --date-format (e.g. \"d/m/yyyy HH:MM\")",
			humanLayout(best[0]), bestN, len(sample), bad)
	}
	if len(best) > 1 {
		// Count over the whole column; a single layout reading more values
		// wins.
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
		var tied []string
		for i, layout := range best {
			if counts[i] == counts[top] {
				tied = append(tied, humanLayout(layout))
			}
		}
		if len(tied) > 1 {
			return "", fmt.Errorf("dates such as %q read as %s alike; give the format with --date-format", sample[0], strings.Join(tied, " or "))
		}
		return best[top], nil
	}
	return best[0], nil
}

// hasSeconds reports whether a layout writes seconds; without them, times
// are known to the minute.
func hasSeconds(layout string) bool {
	return strings.Contains(layout, "05")
}
