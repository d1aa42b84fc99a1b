package plural

import (
	"math"
	"strconv"
	"strings"
)

// Count writes x as Figure does to three significant digits, with one or
// many after it, as the figure reads: "1 agent", "2006 agents".
func Count(x float64, one, many string) string {
	s := Figure(x, 3)
	if s == "1" {
		return s + " " + one
	}
	return s + " " + many
}

// Figure writes x to the given significant digits without an exponent,
// which a reader of a message does not have to decode: a figure of 1 or
// more that would take one is written whole (2006, not 2.01e+03), a
// smaller one in decimals (0.0000123, not 1.23e-05).
func Figure(x float64, digits int) string {
	s := strconv.FormatFloat(x, 'g', digits, 64)
	if !strings.Contains(s, "e") {
		return s
	}
	if math.Abs(x) >= 1 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	r, _ := strconv.ParseFloat(s, 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// Of is one or many, as n asks: "1 replication", "2 replications".
func Of(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
