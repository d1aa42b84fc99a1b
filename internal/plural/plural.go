package plural

import (
	"math"
	"strconv"
	"strings"
)

// Count writes x to three significant digits with one or many after it,
// as the figure reads. Where three digits would take an exponent, a
// figure of 1 or more is written whole (2006, not 2.01e+03) and a smaller
// one in decimals (0.0000123, not 1.23e-05), which a reader of a message
// does not have to decode.
func Count(x float64, one, many string) string {
	s := strconv.FormatFloat(x, 'g', 3, 64)
	if strings.Contains(s, "e") {
		if math.Abs(x) >= 1 {
			s = strconv.FormatFloat(x, 'f', 0, 64)
		} else {
			r, _ := strconv.ParseFloat(s, 64)
			s = strconv.FormatFloat(r, 'f', -1, 64)
		}
	}
	if s == "1" {
		return s + " " + one
	}
	return s + " " + many
}

// Of is one or many, as n asks: "1 replication", "2 replications".
func Of(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
