package fit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOneOfEach reads what a fit writes of one ticket, one row, one day or
// one gap: each read as many ("1 tickets", "1 unreadable rows").
func TestOneOfEach(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(h float64) string {
		return start.Add(time.Duration(h * float64(time.Hour))).Format("2006-01-02 15:04")
	}
	var b strings.Builder
	b.WriteString(genericHeader)
	for i := range 24 * 21 {
		fmt.Fprintf(&b, "T%d,%s,P2,,%s,phone\n", i, at(float64(i)), at(float64(i)+0.5+float64(i%3)))
	}
	fmt.Fprintf(&b, "U1,%s,P1,,%s,phone\n", at(5), at(7))   // P1's one ticket
	fmt.Fprintf(&b, "V1,%s,P3,,%s,phone\n", at(50), at(49)) // resolved before it opened
	fmt.Fprintf(&b, "V2,%s,P3,,%s,phone\n", at(52), at(53)) // P3's one resolved ticket
	fmt.Fprintf(&b, "T3,%s,P2,,%s,phone\n", at(3), at(4))   // supersedes T3
	fmt.Fprintf(&b, "W1,notadate,P2,,%s,phone\n", at(9))    // one unreadable row
	fmt.Fprintf(&b, "W2,%s,P2,,notadate,phone\n", at(10))   // one unreadable value
	ex, err := read(t, b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fit(context.Background(), ex, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, _, err := Scenario(res, "words")
	if err != nil {
		t.Fatal(err)
	}
	// The scenario's comments as one line, without their #s.
	words := strings.Fields(string(text))
	words = slices.DeleteFunc(words, func(w string) bool { return w == "#" })
	prose := strings.Join(words, " ")
	for _, c := range []struct{ what, got, want string }{
		{"superseded", string(text), "1 earlier update of a ticket superseded"},
		{"a tier's tickets", prose, "P1\" 1 ticket, 0.20% of all."},
		{"a tier's resolved tickets", prose, "of the 1 resolved ticket stand"},
		{"implausible", prose, "questions. 1 ticket resolved before it opened, or more than ten years after, is left out."},
		{"unreadable rows", ex.BadSummary(), "1 unreadable row:"},
		{"unreadable values", ex.BadValueSummary(), "1 unreadable value (1 of resolved_at), its ticket kept"},
		{"one gap", (&Window{Gaps: []Gap{{Start: start, End: start.Add(48 * time.Hour), Expected: 96}}}).DescribeGaps(), "1 gap without a single ticket, 48 hours in all"},
		{"two gaps", (&Window{Gaps: []Gap{{Start: start, End: start.Add(time.Hour), Expected: 9}, {Start: start.Add(9 * time.Hour), End: start.Add(10 * time.Hour), Expected: 9}}}).DescribeGaps(), "2 gaps without a single ticket, 2 hours in all"},
		{"one day", (&Dispersion{Days: 1, Index: 1}).Describe(), "index of dispersion 1 over 1 whole day ("},
		{"thousands", (&Dispersion{Days: 73, Index: 1234.5}).Describe(), "index of dispersion 1234 over 73 whole days ("},
		{"a near-Poisson overdispersion", (&Dispersion{Days: 73, DF: 66, Index: 3, P: 1e-9, CV: 0.02, CVSE: 0.01}).Describe(), "cv 0.02 ± 0.01 (negative binomial size 2500)"},
		{"a trend of thousands", (&Trend{OK: true, Slope: 1500.0 / 7, SE: 100}).Describe(3000), "+1500 tickets a day per week ± 700 (+50% a week)"},
		{"a steep trend", (&Trend{OK: true, Slope: -0.2, SE: 0.1}).Describe(1), "-1.4 tickets a day per week ± 0.7 (-140% a week)"},
		{"under an hour's clock", describeSample(&Durations{Hours: []float64{0.5, 1, 2}, Zeros: 1}, time.Hour), "; 1 under 30m, counted as 30m"},
		{"a flat trend", (&Trend{OK: true}).Describe(1), "+0 tickets a day per week ± 0 (+0% a week)"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s: lacks %q:\n%s", c.what, c.want, c.got)
		}
	}
	if strings.Contains(string(text), "e+") {
		t.Errorf("an exponent in the scenario:\n%s", text)
	}
}
