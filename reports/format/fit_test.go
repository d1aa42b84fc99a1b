package format

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFit(t *testing.T) {
	table := "" +
		"tier     clock       target  attainment  95% interval      mean    p95     meets 95%?\n" +
		"urgent   response    15m     99.7%       [96.2%, 100.0%]   6s      0s      yes\n" +
		"         resolution  4h      99.4%       [93.8%, 100.0%]   57m42s  2h24m   not determined\n"
	tests := []struct {
		name, text string
		width      int
		want       string
	}{
		{"fits", "a short line\n\nand another\n", 80, "a short line\n\nand another\n"},
		{"table fits", table, 100, table},
		{"table folded, the first two columns repeated", table, 50, "" +
			"tier     clock       target  attainment\n" +
			"urgent   response    15m     99.7%\n" +
			"         resolution  4h      99.4%\n" +
			"\n" +
			"tier     clock       95% interval      mean\n" +
			"urgent   response    [96.2%, 100.0%]   6s\n" +
			"         resolution  [93.8%, 100.0%]   57m42s\n" +
			"\n" +
			"tier     clock       p95     meets 95%?\n" +
			"urgent   response    0s      yes\n" +
			"         resolution  2h24m   not determined\n"},
		{"prose wrapped", "meets 95%?: yes = the whole 95% interval is at or above 95%\n", 30, "" +
			"meets 95%?: yes = the whole\n" +
			"95% interval is at or above\n" +
			"95%\n"},
		{"indented prose hangs", "  high response: Mon 22:00 0% (3 tickets), Mon 23:00 0% (3 tickets)\n", 40, "" +
			"  high response: Mon 22:00 0% (3\n" +
			"    tickets), Mon 23:00 0% (3 tickets)\n"},
		{"a long word stays whole", "see https://example.org/a/very/long/path/indeed now\n", 20, "see\n" +
			"https://example.org/a/very/long/path/indeed\nnow\n"},
	}
	for _, tt := range tests {
		if got := Fit(tt.text, tt.width); got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// Whatever the width, every line fits unless a single word or a table's
// key columns with one other are wider, and no text is lost.
func TestFitKeepsEveryWord(t *testing.T) {
	text := "slasim devel · scenario default (embedded default)\n" +
		"tier     clock       target  attainment  95% interval      mean    p95\n" +
		"urgent   response    15m     99.7%       [96.2%, 100.0%]   6s      0s\n\n" +
		"Ticket flow (shares of tickets arriving in the measured window):\n" +
		"  urgent: 0.0% resolved by automation, 100.0% by people, 0.0% open at the horizon; 14.8% escalated\n"
	for width := 30; width <= 120; width += 7 {
		got := Fit(text, width)
		if a, b := strings.Join(strings.Fields(text), " "), strings.Join(strings.Fields(got), " "); width >= 80 && a != b {
			t.Errorf("width %d: words changed:\n%s", width, got)
		}
		for _, w := range strings.Fields(text) {
			if !strings.Contains(got, w) {
				t.Errorf("width %d: %q lost", width, w)
			}
		}
		for _, l := range strings.Split(got, "\n") {
			if utf8.RuneCountInString(l) > width && strings.Contains(strings.TrimSpace(l), " ") && !strings.HasPrefix(l, "tier") && !strings.HasPrefix(l, "urgent") {
				t.Errorf("width %d: line of %d: %q", width, utf8.RuneCountInString(l), l)
			}
		}
	}
}
