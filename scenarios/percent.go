package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParsePercent reads the number of a percentage, s without its % sign, as
// the fraction it stands for, correctly rounded: "99.9" is 0.999, where
// 99.9/100 would be 0.9990000000000001 and a desk meeting exactly 99.9%
// would fail it.
func ParsePercent(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	mantissa, exp := s, 0
	if strings.Contains(strings.ToLower(s), "x") {
		return f / 100, nil // hexadecimal: p exponents, left as written
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		if exp, err = strconv.Atoi(s[i+1:]); err != nil {
			return f / 100, nil
		}
		mantissa = s[:i]
	}
	// Shifting the decimal exponent makes ParseFloat do the one rounding.
	return strconv.ParseFloat(mantissa+"e"+strconv.Itoa(exp-2), 64)
}
