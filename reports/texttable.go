package reports

import (
	"bytes"
	"io"
	"text/tabwriter"
)

// textTable is a text/tabwriter for tables with rows that stop short,
// such as a tier's "no target" in place of a clock's figures. Such a row
// must still carry every tab: tabwriter ends a column at a row without
// that cell, and the rows after it would leave the header's columns (and
// Fit then fold a garbled table). Flush cuts the blanks the empty cells
// leave at the ends of lines.
type textTable struct {
	*tabwriter.Writer
	buf bytes.Buffer
	w   io.Writer
}

func newTextTable(w io.Writer) *textTable {
	t := &textTable{w: w}
	t.Writer = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	return t
}

// Flush writes the textTable's lines to its writer without trailing blanks.
func (t *textTable) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	var out []byte
	for line := range bytes.Lines(t.buf.Bytes()) {
		body, nl := bytes.CutSuffix(line, []byte("\n"))
		out = append(out, bytes.TrimRight(body, " ")...)
		if nl {
			out = append(out, '\n')
		}
	}
	t.buf.Reset()
	_, err := t.w.Write(out)
	return err
}
