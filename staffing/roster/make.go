package roster

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/plural"
)

// Infeasible tells why no roster was made: the rule that cannot be met,
// and where.
type Infeasible struct {
	Team string
	// Where is the day (or week) the rule fails on, Shift the shift that
	// lacks people, if one does.
	Where, Shift string
	// Rule names the rule, such as "max consecutive days 5".
	Rule string
	// Need people (or Unit: shifts, hours) are needed, Available may
	// work.
	Need, Available int
	Unit            string
	// Detail says more: the people each rule kept away.
	Detail string
	// Proven is set when a bound proves no roster exists with the team's
	// people; otherwise the method failed where a roster may exist.
	Proven bool
	// People is the team's head count; MinPeople the fewest with which
	// the method rosters the team (0 when none up to the limit tried).
	People, MinPeople int
	// tooMany is set when more people would be further from a roster.
	tooMany bool
}

func (e *Infeasible) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "team %s, %s: ", e.Team, e.Where)
	need := people(e.Need)
	if e.Unit != "" {
		need = fmt.Sprintf("%d %s", e.Need, plural.Of(e.Need, strings.TrimSuffix(e.Unit, "s"), e.Unit))
	}
	if e.Shift != "" {
		fmt.Fprintf(&b, "%s ", e.Shift)
	}
	fmt.Fprintf(&b, "needs %s, only %d may work after %s", need, e.Available, e.Rule)
	if e.Detail != "" {
		fmt.Fprintf(&b, " (%s)", e.Detail)
	}
	if e.Proven {
		fmt.Fprintf(&b, "; no roster of %s can meet it", people(e.People))
	} else {
		fmt.Fprintf(&b, "; the method found no roster of %s", people(e.People))
	}
	if e.MinPeople > 0 {
		fmt.Fprintf(&b, "; %s can be rostered", people(e.MinPeople))
	}
	return b.String()
}

// rule names.
func (r *Rules) daysOffRule() string { return dayCount(r.DaysOff) + " off a week" }
func (r *Rules) consecutiveRule() string {
	return fmt.Sprintf("max consecutive days %d", r.MaxConsecutive)
}
func (r *Rules) restRule() string     { return "min rest " + hoursMinutes(r.MinRest) }
func (r *Rules) maxHoursRule() string { return fmt.Sprintf("max %g hours a week", r.MaxHours) }
func (r *Rules) minHoursRule() string { return fmt.Sprintf("min %g hours a week", r.MinHours) }

const oneShiftADay = "one shift a day"

// hoursMinutes writes a rest as rules give it, in hours and minutes: 11h, 10h30m
// (time.Duration's 10h30m0s reads as a program's), to the nearest minute.
func hoursMinutes(d time.Duration) string {
	if d < 0 {
		return "-" + hoursMinutes(-d)
	}
	d = d.Round(time.Minute)
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d < time.Hour:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%dh%02dm", d/time.Hour, d%time.Hour/time.Minute)
}

// people and dayCount write a count with its noun: 1 person, 2 people.
func people(n int) string   { return fmt.Sprintf("%d %s", n, plural.Of(n, "person", "people")) }
func dayCount(n int) string { return fmt.Sprintf("%d %s", n, plural.Of(n, "day", "days")) }

// Bound returns the first simple bound that proves no roster of n people
// exists, nil if none does.
func Bound(p *Plan, rules Rules, n int) *Infeasible {
	fail := func(where, shift, rule, unit string, need, avail int, detail string) *Infeasible {
		return &Infeasible{Team: p.Team, Where: where, Shift: shift, Rule: rule, Unit: unit, Need: need, Available: avail, Detail: detail, Proven: true, People: n}
	}
	days := len(p.Days)
	perDay := make([]int, days)
	for _, d := range p.Duties {
		perDay[d.Day] += d.Need
	}
	for d, need := range perDay {
		if need > n {
			return fail(p.Days[d].Label(), "", oneShiftADay, "", need, n, people(n)+" in the team")
		}
	}
	for w := range days / 7 {
		need := 0
		var h time.Duration
		for d := 7 * w; d < 7*w+7; d++ {
			need += perDay[d]
			for _, k := range p.ByDay[d] {
				h += time.Duration(p.Duties[k].Need) * p.Duties[k].Length
			}
		}
		if avail := n * (7 - rules.DaysOff); need > avail {
			return fail(fmt.Sprintf("week %d", w+1), "", rules.daysOffRule(), "shifts", need, avail, people(n)+" × "+dayCount(7-rules.DaysOff))
		}
		if rules.MaxHours > 0 && h.Hours() > float64(n)*rules.MaxHours+1e-9 {
			return fail(fmt.Sprintf("week %d", w+1), "", rules.maxHoursRule(), "hours", int(h.Hours()+0.5), int(float64(n)*rules.MaxHours), fmt.Sprintf("%s × %g hours", people(n), rules.MaxHours))
		}
		if rules.MinHours > 0 && float64(n)*rules.MinHours > h.Hours()+1e-9 {
			f := fail(fmt.Sprintf("week %d", w+1), "", rules.minHoursRule(), "hours", int(float64(n)*rules.MinHours+0.5), int(h.Hours()), fmt.Sprintf("%s × %g hours: too many people for the week's hours of shifts", people(n), rules.MinHours))
			f.tooMany = true
			return f
		}
	}
	if m := rules.MaxConsecutive; m > 0 && m+1 <= days {
		need := 0
		for d := range days {
			need += perDay[d]
			if d > m {
				need -= perDay[d-m-1]
			}
			if d >= m && need > n*m {
				return fail(fmt.Sprintf("%s to %s", p.Days[d-m].Label(), p.Days[d].Label()), "", rules.consecutiveRule(), "shifts", need, n*m, fmt.Sprintf("%s × %d of the %d days", people(n), m, m+1))
			}
		}
	}
	// People on a shift of day d and on one of day d+1 that starts too
	// soon after it are different people.
	for d := 0; d+1 < days; d++ {
		for _, b := range p.ByDay[d+1] {
			need := p.Duties[b].Need
			for _, a := range p.ByDay[d] {
				if p.start(b)-p.end(a) < rules.MinRest {
					need += p.Duties[a].Need
				}
			}
			if need > n {
				return fail(p.Days[d+1].Label(), p.Shifts[p.Duties[b].Shift], rules.restRule(), "", need, n, "with the day before's shifts that end too late for it, all different people")
			}
		}
	}
	return nil
}

// maker holds a roster under construction and each person's counts.
type maker struct {
	r        *Roster
	weekDays [][]int           // [person][week]
	weekTime [][]time.Duration // [person][week]
	kinds    [][3]int          // nights, weekends, on-call turns
	hours    []time.Duration
}

// Make rosters n people (named names, or generated if names is nil) on
// the plan under the rules; an *Infeasible error says why it cannot.
func Make(ctx context.Context, p *Plan, rules Rules, names []string, n int) (*Roster, error) {
	if err := rules.Check(); err != nil {
		return nil, err
	}
	if n < 0 || n > MaxPeople {
		return nil, fmt.Errorf("team %s: %d people, at most %d", p.Team, n, MaxPeople)
	}
	if names == nil {
		names = Names(p.Team, n)
	}
	if f := Bound(p, rules, n); f != nil {
		return nil, f
	}
	m := newMaker(p, rules, names)
	for d := range p.Days {
		f, err := m.fillDay(ctx, d)
		if err != nil {
			return nil, err
		}
		if f != nil {
			return nil, f
		}
	}
	if f := m.minHours(); f != nil {
		return nil, f
	}
	m.balance()
	if v := Check(m.r); len(v) > 0 {
		return nil, fmt.Errorf("roster: the roster made breaks its rules (a bug): %v", v[0])
	}
	return m.r, nil
}

func newMaker(p *Plan, rules Rules, names []string) *maker {
	n, weeks := len(names), len(p.Days)/7
	r := &Roster{Plan: p, Rules: rules, People: names, Work: make([][]int, n)}
	m := &maker{r: r, weekDays: make([][]int, n), weekTime: make([][]time.Duration, n), kinds: make([][3]int, n), hours: make([]time.Duration, n)}
	for i := range n {
		r.Work[i] = make([]int, len(p.Days))
		for d := range r.Work[i] {
			r.Work[i][d] = -1
		}
		m.weekDays[i] = make([]int, weeks)
		m.weekTime[i] = make([]time.Duration, weeks)
	}
	return m
}

func (m *maker) set(person, day, k int) {
	r := m.r
	sign := 1
	if k < 0 {
		k, sign = r.Work[person][day], -1
		r.Work[person][day] = -1
	} else {
		r.Work[person][day] = k
	}
	duty := &r.Duties[k]
	w := r.Days[day].Week
	m.weekDays[person][w] += sign
	m.weekTime[person][w] += time.Duration(sign) * duty.Length
	m.hours[person] += time.Duration(sign) * duty.Length
	for i, on := range [3]bool{duty.Night, duty.Weekend, duty.OnCall} {
		if on {
			m.kinds[person][i] += sign
		}
	}
}

// blocked returns the rule that keeps person from duty k on its day, ""
// if none does.
func (m *maker) blocked(person, k int) string {
	r := m.r
	rules := &r.Rules
	duty := &r.Duties[k]
	d := duty.Day
	work := r.Work[person]
	if work[d] >= 0 {
		return oneShiftADay
	}
	w := r.Days[d].Week
	if m.weekDays[person][w]+1 > 7-rules.DaysOff {
		return rules.daysOffRule()
	}
	if rules.MaxHours > 0 && (m.weekTime[person][w]+duty.Length).Hours() > rules.MaxHours+1e-9 {
		return rules.maxHoursRule()
	}
	if c := rules.MaxConsecutive; c > 0 {
		run := 1
		for e := d - 1; e >= 0 && work[e] >= 0; e-- {
			run++
		}
		for e := d + 1; e < len(work) && work[e] >= 0; e++ {
			run++
		}
		if run > c {
			return rules.consecutiveRule()
		}
	}
	// Shifts never overlap, whatever the rest asked for.
	{
		for e := d - 1; e >= 0; e-- {
			if work[e] >= 0 {
				if r.start(k)-r.end(work[e]) < rules.MinRest {
					return rules.restRule()
				}
				break
			}
		}
		for e := d + 1; e < len(work); e++ {
			if work[e] >= 0 {
				if r.start(work[e])-r.end(k) < rules.MinRest {
					return rules.restRule()
				}
				break
			}
		}
	}
	return ""
}

// fillDay gives each of day d's shifts its people, hardest shift first.
func (m *maker) fillDay(ctx context.Context, d int) (*Infeasible, error) {
	r := m.r
	left := slices.Clone(r.ByDay[d])
	for len(left) > 0 {
		// The shift with the fewest eligible people beyond its need.
		best, bestSlack := -1, 0
		var bestEligible []int
		for i, k := range left {
			eligible := m.eligible(k)
			if slack := len(eligible) - r.Duties[k].Need; best < 0 || slack < bestSlack {
				best, bestSlack, bestEligible = i, slack, eligible
			}
		}
		k := left[best]
		left = slices.Delete(left, best, best+1)
		eligible := bestEligible
		// A repair may take from others what it gives one person: count
		// again after each, and give up after a few.
		for tries := 0; len(eligible) < r.Duties[k].Need; tries++ {
			// Each try looks at everyone: a shift of thousands short of
			// people tries for seconds.
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if tries > 2*r.Duties[k].Need || m.repair(k) < 0 {
				return m.infeasible(k, len(eligible)), nil
			}
			eligible = m.eligible(k)
		}
		m.rank(k, eligible)
		for _, person := range eligible[:r.Duties[k].Need] {
			m.set(person, d, k)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, nil
}

func (m *maker) eligible(k int) []int {
	var out []int
	for person := range m.r.People {
		if m.blocked(person, k) == "" {
			out = append(out, person)
		}
	}
	return out
}

// rank orders people for duty k: fewest turns of the duty's kinds (night,
// weekend, on call) so far, then fewest days this week, then fewest
// hours, then in turn from the day.
func (m *maker) rank(k int, people []int) {
	r := m.r
	duty := &r.Duties[k]
	w := r.Days[duty.Day].Week
	n := len(r.People)
	// Turns of the duty's kinds, the rarest kind first: weekends, on
	// call, nights.
	turns := func(p int) [3]int {
		var t [3]int
		for i, on := range [3]bool{duty.Weekend, duty.OnCall, duty.Night} {
			if on {
				t[i] = m.kinds[p][[3]int{1, 2, 0}[i]]
			}
		}
		return t
	}
	sort.SliceStable(people, func(i, j int) bool {
		a, b := people[i], people[j]
		if x, y := turns(a), turns(b); x != y {
			return slices.Compare(x[:], y[:]) < 0
		}
		if x, y := m.weekDays[a][w], m.weekDays[b][w]; x != y {
			return x < y
		}
		if x, y := m.hours[a], m.hours[b]; x != y {
			return x < y
		}
		return (a-duty.Day%n+n)%n < (b-duty.Day%n+n)%n
	})
}

// repair frees someone for duty k by moving one of his or her earlier
// shifts, within the last week, to a person free that day; it returns the
// person freed, or -1.
func (m *maker) repair(k int) int {
	r := m.r
	d := r.Duties[k].Day
	for q := range r.People {
		if rule := m.blocked(q, k); rule == "" || rule == oneShiftADay {
			continue
		}
		for e := d - 1; e >= max(0, d-8); e-- {
			moved := r.Work[q][e]
			if moved < 0 {
				continue
			}
			m.set(q, e, -1)
			if m.blocked(q, k) == "" {
				for s := range r.People {
					if s != q && m.blocked(s, moved) == "" {
						m.set(s, e, moved)
						if m.blocked(q, k) == "" {
							return q
						}
						m.set(s, e, -1)
					}
				}
			}
			m.set(q, e, moved)
		}
	}
	return -1
}

// infeasible describes duty k lacking people: the rules that keep the
// others away, the most common first.
func (m *maker) infeasible(k, avail int) *Infeasible {
	r := m.r
	counts := map[string]int{}
	for person := range r.People {
		if rule := m.blocked(person, k); rule != "" {
			counts[rule]++
		}
	}
	rules := make([]string, 0, len(counts))
	for rule := range counts {
		rules = append(rules, rule)
	}
	sort.Slice(rules, func(i, j int) bool {
		if counts[rules[i]] != counts[rules[j]] {
			return counts[rules[i]] > counts[rules[j]]
		}
		return rules[i] < rules[j]
	})
	// The binding rule is the commonest besides working another shift.
	binding := oneShiftADay
	var detail []string
	for _, rule := range rules {
		if binding == oneShiftADay && rule != oneShiftADay {
			binding = rule
		}
		detail = append(detail, fmt.Sprintf("%d kept away by %s", counts[rule], rule))
	}
	duty := &r.Duties[k]
	return &Infeasible{Team: r.Team, Where: r.Days[duty.Day].Label(), Shift: r.Shifts[duty.Shift], Rule: binding,
		Need: duty.Need, Available: avail, Detail: strings.Join(detail, ", "), People: len(r.People)}
}

// minHours moves shifts to people short of the weekly minimum from people
// who can spare them.
func (m *maker) minHours() *Infeasible {
	r := m.r
	min := time.Duration(r.Rules.MinHours * float64(time.Hour))
	if min <= 0 {
		return nil
	}
	for w := range len(r.Days) / 7 {
		for q := range r.People {
			for m.weekTime[q][w] < min {
				if !m.give(q, w, min) {
					where := fmt.Sprintf("week %d", w+1)
					return &Infeasible{Team: r.Team, Where: where, Rule: r.Rules.minHoursRule(), Unit: "hours", Need: int(r.Rules.MinHours + 0.5), Available: int(m.weekTime[q][w].Hours()),
						Detail: r.People[q] + " cannot be given more hours", People: len(r.People)}
				}
			}
		}
	}
	return nil
}

// give moves one shift of week w to q from someone keeping min hours.
func (m *maker) give(q, w int, min time.Duration) bool {
	r := m.r
	for d := 7 * w; d < 7*w+7; d++ {
		for s := range r.People {
			k := r.Work[s][d]
			if s == q || k < 0 || m.weekTime[s][w]-r.Duties[k].Length < min {
				continue
			}
			m.set(s, d, -1)
			if m.blocked(q, k) == "" {
				m.set(q, d, k)
				return true
			}
			m.set(s, d, k)
		}
	}
	return false
}

// balance evens out weekends, on-call turns and nights (in that order)
// between people by swapping shifts: the person with most turns of a kind
// gives one to the person with fewest, taking one of the latter's shifts
// of another kind, as long as both rosters keep every rule.
func (m *maker) balance() {
	r := m.r
	n := len(r.People)
	if n < 2 {
		return
	}
	kindOf := func(k, kind int) bool {
		d := &r.Duties[k]
		return [3]bool{d.Night, d.Weekend, d.OnCall}[kind]
	}
	for _, kind := range []int{1, 2, 0} {
		for range 4 * len(r.Duties) {
			hi, lo := 0, 0
			for p := range n {
				if m.kinds[p][kind] > m.kinds[hi][kind] {
					hi = p
				}
				if m.kinds[p][kind] < m.kinds[lo][kind] {
					lo = p
				}
			}
			if m.kinds[hi][kind]-m.kinds[lo][kind] <= 1 || !m.swap(hi, lo, kind, kindOf) {
				break
			}
		}
	}
}

// swap gives one of hi's shifts of the kind to lo and one of lo's shifts
// not of the kind to hi, if both keep every rule.
func (m *maker) swap(hi, lo, kind int, kindOf func(k, kind int) bool) bool {
	r := m.r
	for d, k := range r.Work[hi] {
		if k < 0 || !kindOf(k, kind) || r.Work[lo][d] >= 0 {
			continue
		}
		for e, j := range r.Work[lo] {
			if j < 0 || kindOf(j, kind) || r.Work[hi][e] >= 0 {
				continue
			}
			m.set(hi, d, -1)
			m.set(lo, e, -1)
			if m.blocked(lo, k) == "" {
				m.set(lo, d, k)
				if m.blocked(hi, j) == "" {
					m.set(hi, e, j)
					if m.weekOK(hi) && m.weekOK(lo) {
						return true
					}
					m.set(hi, e, -1)
				}
				m.set(lo, d, -1)
			}
			m.set(hi, d, k)
			m.set(lo, e, j)
		}
	}
	return false
}

// weekOK reports whether the person keeps the weekly minimum of hours.
func (m *maker) weekOK(p int) bool {
	min := time.Duration(m.r.Rules.MinHours * float64(time.Hour))
	for _, h := range m.weekTime[p] {
		if h < min {
			return false
		}
	}
	return true
}
