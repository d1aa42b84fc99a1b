package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

const (
	day  = 24 * time.Hour
	week = 7 * day
	// month is the average Gregorian month, so that twelve months make a
	// year of 365.25 days.
	month = 365.25 / 12 * float64(day)
)

// durationUnits are the units a scenario duration may use. There is no
// month or year: their lengths vary, and SLA targets are never that long.
var durationUnits = map[string]time.Duration{
	"s": time.Second,
	"m": time.Minute,
	"h": time.Hour,
	"d": day,
	"w": week,
}

var errDurationSyntax = errors.New("write a number and a unit s, m, h, d or w, e.g. 90s, 15m, 4h, 1h30m, 1d, 2w")

// ParseDuration parses a duration such as 90s, 15m, 4h, 1h30m, 1.5h, 1d or
// 2w: an optional sign, then one or more decimal numbers, each followed by
// a unit — s, m, h, d (24 hours) or w (7 days). "0" needs no unit.
//
// Unlike time.ParseDuration it knows days and weeks, the units of SLA
// targets and simulated horizons, and it has no sub-second units.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	if s == "" {
		return 0, fmt.Errorf("invalid duration %q: %w", orig, errDurationSyntax)
	}
	var total uint64
	for s != "" {
		// The number: integer digits, then an optional fraction.
		i := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		intPart := s[:i]
		frac := ""
		if i < len(s) && s[i] == '.' {
			j := i + 1
			for j < len(s) && '0' <= s[j] && s[j] <= '9' {
				j++
			}
			frac, i = s[i+1:j], j
		}
		if intPart == "" && frac == "" {
			return 0, fmt.Errorf("invalid duration %q: %w", orig, errDurationSyntax)
		}
		j := i
		for j < len(s) && (s[j] < '0' || s[j] > '9') && s[j] != '.' {
			j++
		}
		unit, ok := durationUnits[s[i:j]]
		if !ok {
			if i == j {
				return 0, fmt.Errorf("invalid duration %q: missing unit: %w", orig, errDurationSyntax)
			}
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q: %w", orig, s[i:j], errDurationSyntax)
		}
		s = s[j:]
		v, err := componentNanos(intPart, frac, unit)
		if err != nil || total+v < total || total+v > math.MaxInt64 {
			return 0, fmt.Errorf("invalid duration %q: too long", orig)
		}
		total += v
	}
	if neg {
		return -time.Duration(total), nil
	}
	return time.Duration(total), nil
}

// componentNanos is intPart.frac units in nanoseconds, computed in integers
// for the whole part so that durations round-trip exactly through
// FormatDuration.
func componentNanos(intPart, frac string, unit time.Duration) (uint64, error) {
	var v uint64
	if intPart != "" {
		n, err := strconv.ParseUint(intPart, 10, 64)
		if err != nil || n > math.MaxInt64/uint64(unit) {
			return 0, errors.New("overflow")
		}
		v = n * uint64(unit)
	}
	if frac != "" {
		// At most 18 digits matter: beyond them a fraction of a week is
		// below a nanosecond.
		frac = frac[:min(len(frac), 18)]
		f, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return 0, err
		}
		v += uint64(float64(f) * (float64(unit) / math.Pow10(len(frac))))
	}
	return v, nil
}

// FormatDuration formats d the way a planner writes it: whole weeks as 2w,
// otherwise days, hours, minutes and seconds with zero parts left out, as in
// 1d, 4h, 1h30m, 1d12h or 45s. ParseDuration reads the result back exactly.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	u := uint64(d)
	if d < 0 {
		b.WriteByte('-')
		u = -u
	}
	if u%uint64(week) == 0 {
		b.WriteString(strconv.FormatUint(u/uint64(week), 10))
		b.WriteByte('w')
		return b.String()
	}
	for _, p := range []struct {
		unit time.Duration
		name byte
	}{{day, 'd'}, {time.Hour, 'h'}, {time.Minute, 'm'}} {
		if n := u / uint64(p.unit); n > 0 {
			b.WriteString(strconv.FormatUint(n, 10))
			b.WriteByte(p.name)
			u -= n * uint64(p.unit)
		}
	}
	if u > 0 {
		b.WriteString(strconv.FormatUint(u/uint64(time.Second), 10))
		if ns := u % uint64(time.Second); ns > 0 {
			fs := strconv.FormatUint(ns+uint64(time.Second), 10)[1:] // nine digits
			b.WriteByte('.')
			b.WriteString(strings.TrimRight(fs, "0"))
		}
		b.WriteByte('s')
	}
	return b.String()
}
