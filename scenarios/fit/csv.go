package fit

import (
	"fmt"
	"io"
)

// MaxRowBytes is the longest row an export may have. A quoted field that
// runs on past it is taken for a stray quote (see recordReader); a single
// line longer than this is an error, since no ticket export writes one.
const MaxRowBytes = 4 << 20

// MaxColumns is the most columns an export may have; a row with more is
// read as far as its MaxColumns+1st field, then only counted.
const MaxColumns = 10_000

// A recordReader asks its source for at least minRead bytes at a time,
// and for as many as its buffer has room for: the buffer starts at
// minRead and doubles, to readChunk or to the longest record.
const (
	minRead   = 4 << 10
	readChunk = 64 << 10
)

// A recordReader reads the records of a CSV file (RFC 4180: fields
// separated by commas, quoted with double quotes, a quote inside a quoted
// field written twice, records ending in LF or CRLF; empty lines skipped)
// without allocating per record: a record's fields are valid until the
// next call of next.
//
// It differs from encoding/csv where an export goes wrong. A quote inside
// an unquoted field (5" monitor) is an ordinary character. A quote that
// opens a field and is not closed on its line is taken for a stray when
// the quoted field then runs into a malformed quote, to the end of the
// file or past MaxRowBytes, or makes a record of the wrong width: the line
// it is on is reported as unreadable and reading resumes on the next line,
// where encoding/csv would swallow the rest of the file into one field. A
// quoted field that spans lines and yields a record of the right width is
// kept, line breaks and all.
type recordReader struct {
	src io.Reader
	// buf[start:end] is the input not yet consumed, the current record
	// from start.
	buf        []byte
	start, end int
	srcErr     error // the source's error, once it has returned one
	// line is the number of lines before start.
	line int
	// width is the number of fields a record must have, 0 for any.
	width int
	// The current record: its fields' text (unquoted) back to back in data,
	// field i ending at ends[i]; fields are views of data. Fields past the
	// MaxColumns+1st are only counted, in extra.
	data   []byte
	ends   []int
	fields [][]byte
	extra  int
}

// count is the number of fields of the current record.
func (r *recordReader) count() int { return len(r.fields) + r.extra }

func newRecordReader(src io.Reader) *recordReader {
	return &recordReader{src: src, buf: make([]byte, 0, minRead)}
}

// A syntaxError is a record whose quotes cannot be read. Reading goes on
// after it: after the record, or after its first line when it was taken
// for a stray quote.
type syntaxError struct {
	field int // 1-based
	msg   string
	stray bool
}

func (e *syntaxError) Error() string {
	if e.stray {
		return fmt.Sprintf("field %d: a quote opens the field and is not closed on this line (%s): taken for a stray quote, this line is skipped and the next read as a new row", e.field, e.msg)
	}
	return fmt.Sprintf("field %d: %s", e.field, e.msg)
}

// errRowTooLong is the error of a line longer than MaxRowBytes.
var errRowTooLong = fmt.Errorf("a line longer than %d MiB, the limit (is this a CSV file?)", MaxRowBytes>>20)

// fill reads more input, moving the current record to the front of buf or
// growing buf as needed. It returns false at the end of the input or on an
// error, kept in srcErr.
func (r *recordReader) fill() bool {
	if r.srcErr != nil {
		return false
	}
	if r.start > 0 {
		n := copy(r.buf[:cap(r.buf)], r.buf[r.start:r.end])
		r.start, r.end = 0, n
	}
	if cap(r.buf)-r.end < minRead || cap(r.buf) < readChunk && r.end > cap(r.buf)/2 {
		grown := make([]byte, r.end, 2*cap(r.buf))
		copy(grown, r.buf[:r.end])
		r.buf = grown
	}
	n, err := r.src.Read(r.buf[r.end:cap(r.buf)])
	r.end += n
	r.buf = r.buf[:r.end]
	if err != nil {
		r.srcErr = err
	}
	return n > 0 || err == nil
}

// byteAt returns the byte at offset i of the current record, reading more
// input if needed; ok is false past the end of the input.
func (r *recordReader) byteAt(i int) (c byte, ok bool) {
	for r.start+i >= r.end {
		if !r.fill() {
			return 0, false
		}
	}
	return r.buf[r.start+i], true
}

// next reads the next record into r.fields, returning the line it starts
// on. Its error is io.EOF at the end of the input, a *syntaxError for a
// record that is skipped, or another error for input that cannot be read
// on.
func (r *recordReader) next() (line int, err error) {
	for {
		c, ok := r.byteAt(0)
		if !ok {
			return r.line + 1, r.endErr()
		}
		if c == '\n' {
			r.consume(1, 1)
			continue
		}
		if c == '\r' {
			// An empty line ending in CRLF, or a CR ending the file.
			switch n, ok := r.byteAt(1); {
			case !ok:
				r.consume(1, 0)
				continue
			case n == '\n':
				r.consume(2, 1)
				continue
			}
		}
		break
	}
	line = r.line + 1
	size, lines, firstLine, err := r.parse()
	if err == nil && lines > 1 && r.width > 0 && r.count() != r.width {
		err = &syntaxError{field: r.spanningField(), msg: fmt.Sprintf("the quoted field would run over %d lines and make a row of %d fields, the header has %d", lines, r.count(), r.width)}
	}
	se, syntax := err.(*syntaxError)
	switch {
	case err == nil:
	case !syntax:
		return line, err
	case lines > 1:
		se.stray = true
		r.consume(firstLine, 1)
		return line, err
	}
	r.consume(size, lines)
	return line, err
}

// endErr is the error at the end of the input: io.EOF, or the source's
// error.
func (r *recordReader) endErr() error {
	if r.srcErr == nil || r.srcErr == io.EOF {
		return io.EOF
	}
	return r.srcErr
}

// consume moves past n bytes holding lines line breaks.
func (r *recordReader) consume(n, lines int) {
	r.start += n
	r.line += lines
}

// spanningField is the 1-based index of the first field of the current
// record holding a line break.
func (r *recordReader) spanningField() int {
	for i, f := range r.fields {
		for _, c := range f {
			if c == '\n' {
				return i + 1
			}
		}
	}
	return len(r.fields)
}

// parse reads the record at the start of the unconsumed input into
// r.fields, consuming nothing. It returns the record's size in bytes with
// its line break, the lines it spans (1 for a record on one line), and the
// size of its first line with its line break when it spans more.
func (r *recordReader) parse() (size, lines, firstLine int, err error) {
	r.data, r.ends, r.fields, r.extra = r.data[:0], r.ends[:0], r.fields[:0], 0
	lines = 1
	var syntax *syntaxError
	fail := func(msg string) {
		if syntax == nil {
			syntax = &syntaxError{field: len(r.ends) + r.extra + 1, msg: msg}
		}
	}
	// stop ends the record early, at offset i, on a syntax error.
	stop := func(i int) (int, int, int, error) {
		r.endRecord()
		if syntax == nil {
			return i, lines, firstLine, nil
		}
		return i, lines, firstLine, syntax
	}
	i := 0
	for {
		c, ok := r.byteAt(i)
		unquoted := !ok || c != '"'
		if !unquoted {
			// A quoted field, to its closing quote.
			i++
		quoted:
			for {
				if i > MaxRowBytes {
					if lines == 1 {
						return 0, 0, 0, errRowTooLong
					}
					fail(fmt.Sprintf("the quoted field would run past %d MiB", MaxRowBytes>>20))
					return stop(i)
				}
				if c, ok = r.byteAt(i); !ok {
					fail("nothing closes it before the end of the file")
					return stop(i)
				}
				switch c {
				case '"':
					n, ok := r.byteAt(i + 1)
					switch {
					case ok && n == '"':
						r.data = append(r.data, '"')
						i++
					case !ok || n == ',' || n == '\n' || n == '\r' && r.lineEnd(i+1):
						i++
						break quoted
					default:
						// Read the rest of the field as if the quote
						// were text.
						fail(fmt.Sprintf("text after the closing quote: %q", n))
						r.data = append(r.data, '"')
						unquoted = true
						i++
						break quoted
					}
				case '\r':
					if !r.crlf(i) {
						r.data = append(r.data, c)
					}
				case '\n':
					r.data = append(r.data, c)
					if lines == 1 {
						firstLine = i + 1
					}
					lines++
				default:
					r.data = append(r.data, c)
				}
				i++
			}
			c, ok = r.byteAt(i)
		}
		if unquoted {
			// An unquoted field, or the rest of one, to the next comma or
			// line break.
			from := len(r.data)
			for ok && c != ',' && c != '\n' {
				rest := r.buf[r.start+i : r.end]
				n := 0
				for n < len(rest) && rest[n] != ',' && rest[n] != '\n' {
					n++
				}
				r.data = append(r.data, rest[:n]...)
				i += n
				if i > MaxRowBytes {
					if lines == 1 {
						return 0, 0, 0, errRowTooLong
					}
					fail(fmt.Sprintf("the row would run past %d MiB", MaxRowBytes>>20))
					return stop(i)
				}
				c, ok = r.byteAt(i)
			}
			// Drop the CR of CRLF, and a CR at the end of the file, as
			// encoding/csv does.
			if n := len(r.data); (!ok || c == '\n') && n > from && r.data[n-1] == '\r' {
				r.data = r.data[:n-1]
			}
		}
		if len(r.ends) <= MaxColumns {
			r.ends = append(r.ends, len(r.data))
		} else {
			r.extra++
			r.data = r.data[:r.ends[len(r.ends)-1]]
		}
		if !ok {
			break
		}
		i++
		if c == '\r' { // CRLF, or a CR ending the file, after a quoted field
			if n, ok := r.byteAt(i); ok && n == '\n' {
				i++
			}
			break
		}
		if c == '\n' {
			break
		}
	}
	size, _, _, err = stop(i)
	return size, lines, firstLine, err
}

// crlf reports whether the bytes at offset i of the record are CRLF.
func (r *recordReader) crlf(i int) bool {
	c, ok := r.byteAt(i)
	n, ok2 := r.byteAt(i + 1)
	return ok && ok2 && c == '\r' && n == '\n'
}

// lineEnd reports whether the byte at offset i of the record is a CR
// ending the line: before LF, or at the end of the file.
func (r *recordReader) lineEnd(i int) bool {
	c, ok := r.byteAt(i)
	n, ok2 := r.byteAt(i + 1)
	return ok && c == '\r' && (!ok2 || n == '\n')
}

// endRecord closes the field being read, if any, and makes r.fields the
// views of r.data that r.ends delimit.
func (r *recordReader) endRecord() {
	if len(r.ends) == 0 || r.ends[len(r.ends)-1] < len(r.data) {
		r.ends = append(r.ends, len(r.data))
	}
	from := 0
	for _, to := range r.ends {
		r.fields = append(r.fields, r.data[from:to:to])
		from = to
	}
}
