package staffing

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/sim"
)

// ReadIntervals reads a week of staffing per interval from CSV, the way
// workforce-management tools export a schedule: a header row whose first
// column is "interval" and whose other columns name teams, then one row per
// interval of the week giving its start, such as "Mon 08:30", and the
// number of agents of each team at work:
//
//	interval,service desk,experts
//	Mon 00:00,0,2
//	Mon 00:30,0,2
//	…
//
// The rows are the 336 half hours of the week, the 672 quarter hours or
// the 168 hours, in any order. It returns the head counts of each column
// from Monday 00:00, for Intervals.Agents. Errors name the file as name and
// the line.
func ReadIntervals(name string, r io.Reader) (map[string][]int, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4096)
	if err := unreadableText(head); err != nil {
		return nil, fmt.Errorf("%s:1: %w", name, err)
	}
	cr := csv.NewReader(br)
	cr.TrimLeadingSpace = true
	records, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: file is empty; it needs a header row such as interval,agents and a row per interval of the week", name)
	}
	header := records[0]
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a spreadsheet's "CSV UTF-8"
	if len(header) < 2 || !strings.EqualFold(strings.TrimSpace(header[0]), "interval") {
		return nil, fmt.Errorf("%s:1: the first row must be a header such as interval,agents: the column interval, then a column per team", name)
	}
	rows := records[1:]
	n := len(rows)
	if n != 168 && n != 336 && n != 672 {
		return nil, fmt.Errorf("%s: has %d rows of intervals; a week has 168 hours, 336 half hours or 672 quarter hours", name, n)
	}
	step := sim.Week / time.Duration(n)
	cols := make(map[string][]int, len(header)-1)
	for j, h := range header[1:] {
		h = strings.TrimSpace(h)
		if _, dup := cols[h]; dup || h == "" {
			return nil, fmt.Errorf("%s:1: column %d: %q is empty or repeated; give each team's column its own name", name, j+2, h)
		}
		cols[h] = make([]int, n)
	}
	seen := make([]int, n) // the line of each interval's row
	for i, row := range rows {
		line := i + 2
		at, err := parseInterval(row[0], step)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		k := int(at / step)
		if seen[k] != 0 {
			return nil, fmt.Errorf("%s:%d: %s repeats the interval of line %d", name, line, strings.TrimSpace(row[0]), seen[k])
		}
		seen[k] = line
		for j, cell := range row[1:] {
			v, err := strconv.Atoi(strings.TrimSpace(cell))
			if err != nil || v < 0 {
				return nil, fmt.Errorf("%s:%d: column %s: %q is not a number of agents (a whole number >= 0)", name, line, strings.TrimSpace(header[j+1]), cell)
			}
			cols[strings.TrimSpace(header[j+1])][k] = v
		}
	}
	return cols, nil
}

// unreadableText recognises, from the first bytes of a file, text the CSV
// reader would misread: UTF-16 (a spreadsheet's Unicode text), whose every
// other byte is NUL, and lines ended by a carriage return alone (classic
// Mac OS), which make the file one line.
func unreadableText(head []byte) error {
	if bytes.IndexByte(head, 0) >= 0 {
		return errors.New("NUL bytes: the file looks UTF-16 (a spreadsheet's Unicode text) or is not text; save it as CSV in UTF-8")
	}
	if i := bytes.IndexByte(head, '\r'); i >= 0 && i+1 < len(head) && head[i+1] != '\n' {
		return errors.New("lines end with a carriage return alone (classic Mac OS), which makes the file one line; save it with Windows or Unix line ends")
	}
	return nil
}

// parseInterval reads an interval's start, such as "Mon 08:30" or "monday
// 8:30", as an offset from Monday 00:00 on the grid of step.
func parseInterval(s string, step time.Duration) (time.Duration, error) {
	day, clockText, ok := strings.Cut(strings.TrimSpace(s), " ")
	day = strings.ToLower(day)
	for i, name := range dayNames {
		if strings.EqualFold(day, weekday(i).String()) {
			day = name
		}
	}
	i, okDay := dayIndex(day)
	t, errClock := parseClock(clockText, false)
	if !ok || !okDay || errClock != nil {
		return 0, fmt.Errorf("%q is not the start of an interval; write a weekday and a time, such as Mon 08:30", s)
	}
	at := time.Duration(i)*24*time.Hour + t
	if at%step != 0 {
		return 0, fmt.Errorf("%q does not start an interval: with this many rows, intervals start every %d minutes", s, int(step/time.Minute))
	}
	return at, nil
}
