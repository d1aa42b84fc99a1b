package roster

import (
	"context"
	"errors"

	"github.com/slasim/slasim/staffing"
)

// Result is a team's roster, or why none was made.
type Result struct {
	Plan   *Plan
	Roster *Roster
	// Infeasible says why no roster was made, with the fewest people the
	// method rosters the team with.
	Infeasible *Infeasible
	// Fewest is set when the team's head count was not given: the roster
	// has the fewest people the method found.
	Fewest bool
}

// Solve rosters the team over weeks weeks from start: with its People, or
// count generated names, or when both are missing the fewest people the
// method rosters it with.
func Solve(ctx context.Context, t *Team, start staffing.Date, weeks int, rules Rules, count int) (*Result, error) {
	if err := rules.Check(); err != nil {
		return nil, err
	}
	p, err := NewPlan(t, start, weeks)
	if err != nil {
		return nil, err
	}
	res := &Result{Plan: p}
	names, n := t.People, len(t.People)
	if names == nil && count > 0 {
		n = count
	}
	if n == 0 && len(p.Duties) > 0 {
		res.Fewest = true
		var found bool
		if n, found, err = MinPeople(ctx, p, rules); err != nil {
			return nil, err
		}
		if !found {
			f := Bound(p, rules, MaxPeople)
			if f == nil {
				f = &Infeasible{Team: t.Name, Where: "the whole plan", Rule: "every rule", Detail: "the method found no roster", People: MaxPeople}
			}
			res.Infeasible = f
			return res, nil
		}
	}
	r, err := Make(ctx, p, rules, names, n)
	var f *Infeasible
	switch {
	case errors.As(err, &f):
		if f.MinPeople, _, err = MinPeople(ctx, p, rules); err != nil {
			return nil, err
		}
		res.Infeasible = f
	case err != nil:
		return nil, err
	}
	res.Roster = r
	return res, nil
}

// MinPeople returns the fewest people the method rosters the plan with;
// found is false if it rosters it with none up to MaxPeople. It starts from
// the least the bounds allow and doubles its step until a roster is made,
// then narrows down between the last failure and the first success (the
// method's success is nearly, though not provably, monotone in people).
func MinPeople(ctx context.Context, p *Plan, rules Rules) (n int, found bool, err error) {
	lo := 0
	for ; ; lo++ {
		f := Bound(p, rules, lo)
		if f == nil {
			break
		}
		if f.tooMany || lo == MaxPeople {
			return 0, false, nil // more people only share fewer hours
		}
	}
	tried := map[int]bool{}
	try := func(n int) (bool, error) {
		tried[n] = true
		_, err := Make(ctx, p, rules, nil, n)
		var f *Infeasible
		if errors.As(err, &f) {
			return false, nil
		}
		return err == nil, err
	}
	failed, hi, step := lo-1, lo, 1
	for {
		if hi > MaxPeople {
			return 0, false, nil
		}
		if f := Bound(p, rules, hi); f != nil && f.tooMany {
			// No more people can help: try those the steps skipped.
			for n := lo; n < hi; n++ {
				if tried[n] {
					continue
				}
				if ok, err := try(n); ok || err != nil {
					return n, ok, err
				}
			}
			return 0, false, nil
		}
		ok, err := try(hi)
		if err != nil {
			return 0, false, err
		}
		if ok {
			break
		}
		failed, hi, step = hi, hi+step, step*2
	}
	for hi-failed > 1 {
		mid := failed + (hi-failed)/2
		ok, err := try(mid)
		if err != nil {
			return 0, false, err
		}
		if ok {
			hi = mid
		} else {
			failed = mid
		}
	}
	return hi, true, nil
}
