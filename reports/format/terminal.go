package format

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names in slasim's output come from files others wrote: a tier named
// "\x1b]0;pwned\a" printed as it is retitles the terminal, and one holding
// U+202E shows its text backwards. Text for people is therefore written
// with such characters escaped as Go writes them in quoted strings:
// control characters other than newline and tab (escape sequences begin
// with one), the Unicode marks that reorder or hide text, the line and
// paragraph separators that end a line, the noncharacters U+FFFE and
// U+FFFF, and bytes that are not UTF-8. What is left of a name is also
// text a YAML comment may hold.

// escaped reports whether r must be escaped on a terminal.
func escaped(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case unicode.IsControl(r): // C0, DEL and C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional embeddings, overrides, isolates and marks
	case r == 0x2028 || r == 0x2029 || r == 0xfffe || r == 0xffff:
		return true // line and paragraph separators, noncharacters
	}
	return false
}

func escape(b *strings.Builder, r rune) {
	switch {
	case r == '\r':
		b.WriteString(`\r`)
	case r < 0x80:
		fmt.Fprintf(b, `\x%02x`, r)
	default:
		fmt.Fprintf(b, `\u%04x`, r)
	}
}

// Printable returns s with the characters a terminal would act on
// escaped, newlines and tabs too: a name on one line of a table.
func Printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == '\n' || r == '\t' || escaped(r) || r == utf8.RuneError }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case escaped(r):
			escape(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// A TerminalWriter passes text on with the characters a terminal would act
// on escaped, keeping newlines and tabs: the lines of a report. A
// character split between two writes is held back until it is whole.
type TerminalWriter struct {
	w       io.Writer
	pending []byte
}

// Terminal returns a TerminalWriter writing to w.
func Terminal(w io.Writer) *TerminalWriter { return &TerminalWriter{w: w} }

func (t *TerminalWriter) Write(p []byte) (int, error) {
	data := p
	if len(t.pending) > 0 {
		data = append(t.pending, p...)
		t.pending = nil
	}
	var b strings.Builder
	for i := 0; i < len(data); {
		if !utf8.FullRune(data[i:]) {
			t.pending = append([]byte(nil), data[i:]...)
			break
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, data[i])
		case escaped(r):
			escape(&b, r)
		default:
			b.Write(data[i : i+size])
		}
		i += size
	}
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is held back of a character that never came whole.
func (t *TerminalWriter) Flush() error {
	var b strings.Builder
	for _, c := range t.pending {
		fmt.Fprintf(&b, `\x%02x`, c)
	}
	t.pending = nil
	_, err := io.WriteString(t.w, b.String())
	return err
}

// Text writes, through a TerminalWriter on w, what write writes: a
// report for people.
func Text(w io.Writer, write func(io.Writer) error) error {
	t := Terminal(w)
	if err := write(t); err != nil {
		return err
	}
	return t.Flush()
}

// Spreadsheets run a cell that starts with =, +, - or @ as a formula
// (=HYPERLINK(...) in a tier's name becomes a link; worse calls out), and
// some treat a leading tab or carriage return alike. Cells from names are
// written with a quote before such a start, as spreadsheets expect of
// text, unless they are numbers.

// Cell returns s safe as a text cell of a CSV file for spreadsheets.
func Cell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s // a number, such as -5
	}
	return "'" + s
}
