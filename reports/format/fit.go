package format

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Fit lays text out within width columns, as a terminal of that width
// shows it: a table (lines aligned in columns at least two spaces apart,
// as text/tabwriter writes them) too wide is folded into blocks of its
// columns, each repeating the first column or two so a row can be told;
// any other line too long is wrapped at spaces, a continuation indented
// two columns past the line's own indent. Lines that fit are unchanged.
// Width is counted in runes.
func Fit(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	var out []string
	for start := 0; start < len(lines); {
		end := start
		for end < len(lines) && strings.TrimSpace(lines[end]) != "" {
			end++
		}
		if end == start { // a blank line
			out = append(out, lines[start])
			start++
			continue
		}
		out = append(out, fitBlock(lines[start:end], width)...)
		start = end
	}
	return strings.Join(out, "\n")
}

// fitBlock fits a block of lines without blank ones.
func fitBlock(block []string, width int) []string {
	fits := true
	for _, l := range block {
		fits = fits && utf8.RuneCountInString(l) <= width
	}
	if fits {
		return block
	}
	// Runs of lines with columns are tables; the others are prose.
	var out []string
	for i := 0; i < len(block); {
		j := i
		for j < len(block) && tabular(block[j]) {
			j++
		}
		if cols := columns(block[i:j]); j-i > 1 && len(cols) > 1 {
			out = append(out, fold(block[i:j], cols, width)...)
			i = j
			continue
		}
		for _, l := range block[i:max(j, i+1)] {
			out = append(out, wrap(l, width)...)
		}
		i = max(j, i+1)
	}
	return out
}

// tabular tells a line with columns: two spaces or more between words.
func tabular(line string) bool {
	return strings.Contains(strings.TrimSpace(line), "  ")
}

// columns returns where the columns of a table begin: 0, then each
// position after a run of at least two spaces that every line has there
// (or ends before), followed by text in some line. None for lines that
// are not a table.
func columns(block []string) []int {
	rows := make([][]rune, len(block))
	n := 0
	for i, l := range block {
		rows[i] = []rune(l)
		n = max(n, len(rows[i]))
	}
	blank := func(p int) bool {
		for _, r := range rows {
			if p < len(r) && r[p] != ' ' {
				return false
			}
		}
		return true
	}
	starts := []int{0}
	for p := 1; p < n; p++ {
		if !blank(p) && blank(p-1) && p >= 2 && blank(p-2) {
			starts = append(starts, p)
		}
	}
	// The leading indent is no column.
	if len(starts) > 1 {
		indent := true
		for p := 0; p < starts[1]; p++ {
			indent = indent && blank(p)
		}
		if indent {
			starts = starts[1:]
			starts[0] = 0
		}
	}
	return starts
}

// fold lays out a table too wide as blocks of its columns, separated by a
// blank line, each starting with the key columns: the first two if they
// take at most half the width, else the first; and the row label, the
// leftmost column written in the rows that leave the first one blank (a
// tier within a sweep's point). A row with nothing in a block's columns
// is left out of it.
func fold(block []string, starts []int, width int) []string {
	rows := make([][]rune, len(block))
	n := 0
	for i, l := range block {
		rows[i] = []rune(l)
		n = max(n, len(rows[i]))
	}
	ends := append(starts[1:len(starts):len(starts)], n)
	cell := func(r []rune, c int) string {
		return strings.TrimSpace(string(r[min(starts[c], len(r)):min(ends[c], len(r))]))
	}
	keys := 1
	if len(starts) > 2 && ends[1] <= width/2 {
		keys = 2
	}
	label := -1
	for _, r := range rows[1:] {
		if cell(r, 0) != "" {
			continue
		}
		for c := 1; c < len(starts); c++ {
			if cell(r, c) != "" {
				if c >= keys && (label < 0 || c < label) {
					label = c
				}
				break
			}
		}
	}
	// perRow tells a column written in the rows under a label, which
	// then heads its block.
	perRow := func(c int) bool {
		for _, r := range rows[1:] {
			if cell(r, 0) == "" && cell(r, c) != "" {
				return true
			}
		}
		return false
	}
	var lead []int // the key columns each block starts with
	for c := range keys {
		lead = append(lead, c)
	}
	leadWidth := 0
	for _, c := range lead {
		leadWidth += ends[c] - starts[c]
	}
	if label >= 0 {
		leadWidth += ends[label] - starts[label]
	}
	var groups [][]int // the other columns, block by block
	for c := keys; c < len(starts); {
		var g []int
		w := leadWidth
		for ; c < len(starts) && (len(g) == 0 || w+ends[c]-starts[c] <= width); c++ {
			if c != label {
				g = append(g, c)
				w += ends[c] - starts[c]
			}
		}
		if len(g) > 0 {
			groups = append(groups, g)
		}
	}
	var out []string
	for i, g := range groups {
		if i > 0 {
			out = append(out, "")
		}
		// The block's columns in the table's order, the label with them
		// when they are written row by row.
		cols := append(lead[:keys:keys], g...)
		for _, c := range g {
			if label >= 0 && perRow(c) {
				cols = append(cols, label)
				slices.Sort(cols)
				break
			}
		}
		for k, r := range rows {
			var line, rest strings.Builder
			for _, c := range cols {
				line.WriteString(padded(r, starts[c], ends[c]))
			}
			for _, c := range g {
				rest.WriteString(padded(r, starts[c], ends[c]))
			}
			if k > 0 && strings.TrimSpace(rest.String()) == "" {
				continue
			}
			out = append(out, strings.TrimRight(line.String(), " "))
		}
	}
	return out
}

// padded returns the runes of r from from to to, padded with spaces.
func padded(r []rune, from, to int) string {
	s := string(r[min(from, len(r)):min(to, len(r))])
	return s + strings.Repeat(" ", to-from-utf8.RuneCountInString(s))
}

// wrap breaks a line longer than width at spaces; a word longer than the
// room is left whole.
func wrap(line string, width int) []string {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	hang := ""
	if indent > 0 && indent+2 < width/2 {
		hang = strings.Repeat(" ", indent+2)
	}
	var out []string
	cur, curLen := line[:indent], indent
	empty := true
	for _, word := range strings.Fields(line) {
		n := utf8.RuneCountInString(word)
		if !empty && curLen+1+n > width {
			out = append(out, cur)
			cur, curLen, empty = hang, len(hang), true
		}
		if !empty {
			cur += " "
			curLen++
		}
		cur += word
		curLen += n
		empty = false
	}
	return append(out, cur)
}
