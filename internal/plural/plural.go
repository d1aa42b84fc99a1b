package plural

import (
	"fmt"
	"strconv"
	"strings"
)

// Count writes x to three significant digits, whole where they would take
// an exponent (2006, not 2.01e+03), and one or many after it, as the
// figure reads.
func Count(x float64, one, many string) string {
	s := fmt.Sprintf("%.3g", x)
	if strings.Contains(s, "e") {
		s = strconv.FormatFloat(x, 'f', 0, 64)
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
