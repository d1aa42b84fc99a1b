package staffing

import (
	"bytes"
	"fmt"
	"testing"
)

// FuzzReadIntervals reads arbitrary bytes as a staffing CSV: it must not
// panic, and what it reads is a week of head counts, never negative, for
// each column but the first.
func FuzzReadIntervals(f *testing.F) {
	var week bytes.Buffer
	week.WriteString("interval,desk,experts\n")
	for h := range 168 {
		fmt.Fprintf(&week, "%s %02d:00,%d,1\n", []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}[h/24], h%24, h%5)
	}
	f.Add(week.Bytes())
	f.Add(append([]byte("\ufeff"), week.Bytes()...))
	f.Add(bytes.ReplaceAll(week.Bytes(), []byte("\n"), []byte("\r")))
	f.Add([]byte("\xff\xfei\x00n\x00t\x00e\x00r\x00v\x00a\x00l\x00,\x00d\x00\n\x00"))
	f.Add([]byte("interval,\"a\"\"b\",c\nMon 00:00,1,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cols, err := ReadIntervals("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		for name, counts := range cols {
			if n := len(counts); n != 168 && n != 336 && n != 672 {
				t.Fatalf("column %q: %d intervals", name, n)
			}
			for _, c := range counts {
				if c < 0 {
					t.Fatalf("column %q: %d agents", name, c)
				}
			}
		}
	})
}
