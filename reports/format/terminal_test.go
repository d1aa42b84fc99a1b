package format

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"urgent":                         "urgent",
		"Störung — 紧急":                   "Störung — 紧急",
		"\x1b]0;pwned\a":                 `\x1b]0;pwned\x07`,
		"\x1b[2J\x1b[31mred":             `\x1b[2J\x1b[31mred`,
		"a\rb\nc\td":                     `a\rb\nc\td`,
		"\u202eevil\u2066":               `\u202eevil\u2066`,
		"\u009b31m":                      `\u009b31m`, // the one-character CSI
		"bad \xff\xfe utf-8":             `bad \xff\xfe utf-8`,
		"\x7f":                           `\x7f`,
		"a\u2028b\u2029c\ufffe\uffff":    `a\u2028b\u2029c\ufffe\uffff`,
		"=HYPERLINK(\"http://x\",\"a\")": `=HYPERLINK("http://x","a")`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTerminalWriter checks a report's lines keep their newlines and tabs
// and lose their escapes, whatever the writes cut through.
func TestTerminalWriter(t *testing.T) {
	text := "tier\tattainment\n\x1b]0;pwned\a 紧急 \u202e\n\xff end\n"
	want := "tier\tattainment\n" + `\x1b]0;pwned\x07 紧急 \u202e` + "\n" + `\xff end` + "\n"
	for size := 1; size <= len(text); size++ {
		var b bytes.Buffer
		w := Terminal(&b)
		for i := 0; i < len(text); i += size {
			if _, err := w.Write([]byte(text[i:min(i+size, len(text))])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("writes of %d bytes: %q, want %q", size, b.String(), want)
		}
	}
	var b bytes.Buffer
	if err := Text(&b, func(w io.Writer) error { _, err := w.Write([]byte("cut \xe7\xb4")); return err }); err != nil || b.String() != `cut \xe7\xb4` {
		t.Errorf("a character cut at the end: %q, %v", b.String(), err)
	}
}

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"urgent":              "urgent",
		"=HYPERLINK(\"x\")":   "'=HYPERLINK(\"x\")",
		"+cmd|' /C calc'!A0":  "'+cmd|' /C calc'!A0",
		"-2+3+cmd|' /C calc'": "'-2+3+cmd|' /C calc'",
		"@SUM(A1)":            "'@SUM(A1)",
		"\t=1":                "'\t=1",
		"-5":                  "-5",
		"+1.5e3":              "+1.5e3",
		"-5%":                 "'-5%",
		"":                    "",
		"a=b":                 "a=b",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
	if !strings.HasPrefix(Cell("=1"), "'") {
		t.Error("a formula went through")
	}
}
