package staffing

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dayNames are the weekdays as scenario files write them, from Monday.
var dayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// weekday converts an index into dayNames to a time.Weekday.
func weekday(i int) time.Weekday { return time.Weekday((i + 1) % 7) }

// Days is a set of weekdays, indexed by time.Weekday.
type Days [7]bool

// ParseDays reads a set of weekdays written the way rotas write them:
// day names (mon … sun), ranges (mon-fri; fri-mon wraps over the weekend),
// all, weekdays (mon-fri) and weekend (sat, sun), separated by commas, in
// any case.
func ParseDays(s string) (Days, error) {
	var days Days
	if strings.TrimSpace(s) == "" {
		return days, errors.New("no days given; write days such as mon-fri, sat,sun or all")
	}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		switch part {
		case "all":
			for i := range days {
				days[i] = true
			}
			continue
		case "weekdays":
			part = "mon-fri"
		case "weekend":
			part = "sat-sun"
		}
		from, to, isRange := strings.Cut(part, "-")
		i, okFrom := dayIndex(from)
		j, okTo := i, true
		if isRange {
			j, okTo = dayIndex(to)
		}
		if !okFrom || !okTo {
			return days, fmt.Errorf("%q is not a day; write mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, weekdays, weekend or all", part)
		}
		for k := i; ; k = (k + 1) % 7 {
			days[weekday(k)] = true
			if k == j {
				break
			}
		}
	}
	return days, nil
}

// dayIndex returns the index in dayNames of the day s.
func dayIndex(s string) (int, bool) {
	i := slices.Index(dayNames, strings.TrimSpace(s))
	return i, i >= 0
}

// ParseSpan reads a time-of-day range written 09:00-18:00. The end may be
// 24:00; an end at or before the start runs past midnight (22:00-06:00),
// and a range ending where it starts (00:00-00:00) lasts 24 hours.
func ParseSpan(s string) (Span, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("%q is not a time range; write it as 09:00-18:00", s)
	}
	f, err := parseClock(from, false)
	if err != nil {
		return Span{}, err
	}
	t, err := parseClock(to, true)
	if err != nil {
		return Span{}, err
	}
	if t == 24*time.Hour {
		if f == 0 {
			return Span{0, 0}, nil
		}
		t = 0
	}
	return Span{f, t}, nil
}

// parseClock reads HH:MM; end allows 24:00.
func parseClock(s string, end bool) (time.Duration, error) {
	s = strings.TrimSpace(s)
	hs, ms, ok := strings.Cut(s, ":")
	h, errH := strconv.Atoi(hs)
	m, errM := strconv.Atoi(ms)
	switch {
	case !ok || errH != nil || errM != nil || len(ms) != 2 || len(hs) == 0 || len(hs) > 2:
		return 0, fmt.Errorf("%q is not a time of day; write it as 08:00", s)
	case h == 24 && m == 0 && end:
		return 24 * time.Hour, nil
	case h < 0 || h > 23 || m < 0 || m > 59:
		return 0, fmt.Errorf("%q is not a time of day between 00:00 and 23:59", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// String formats the span as ParseSpan reads it.
func (s Span) String() string {
	to := s.To
	if to == 0 {
		to = 24 * time.Hour
	}
	return clock(s.From) + "-" + clock(to)
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
