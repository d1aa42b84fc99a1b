package contract

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/slasim/slasim/internal/shape"
)

// MarshalJSON writes the results of the replications ended so far, so that
// a run split across machines can merge them (UnmarshalJSON reads them
// back into a collector of the same plan).
func (c *Collector) MarshalJSON() ([]byte, error) { return json.Marshal(c.res) }

// UnmarshalJSON replaces the collector's results with those MarshalJSON
// wrote for the same plan. The document may come from anywhere: its arrays
// are counted before they are allocated, no count may be negative, and
// what the plan decides (tiers, periods, term, levels, rules) must be the
// plan's.
func (c *Collector) UnmarshalJSON(b []byte) error {
	fresh := newResults(c.p)
	err := shape.Lengths(b, map[string]int{
		"tiers":     len(fresh.Tiers),
		"rules":     len(fresh.Rules),
		"by_rule":   len(fresh.ByRule),
		"periods":   len(fresh.Periods),
		"by_tier":   len(fresh.ByTier),
		"by_period": len(fresh.ByPeriod),
		"meets":     len(fresh.Meets),
		"ladder":    len(fresh.Ladder),
	})
	if err != nil {
		return fmt.Errorf("contract results: %w", err)
	}
	var read Results
	if err := shape.Strict(b, &read); err != nil {
		return fmt.Errorf("contract results: %w", err)
	}
	if err := shape.NonNegative(&read); err != nil {
		return fmt.Errorf("contract results: %w", err)
	}
	if err := samePlan(fresh, &read); err != nil {
		return fmt.Errorf("contract results: %w", err)
	}
	if err := fresh.Merge(&read); err != nil {
		return err
	}
	c.res = fresh
	return nil
}

// samePlan checks that read holds what the plan of want decides.
func samePlan(want, read *Results) error {
	same := want.Currency == read.Currency && slices.Equal(want.Tiers, read.Tiers) &&
		want.Term == read.Term && want.TermCovered == read.TermCovered &&
		want.PeriodsPerYear == read.PeriodsPerYear && slices.Equal(want.Rules, read.Rules) &&
		len(want.Periods) == len(read.Periods) && len(want.Meets) == len(read.Meets) &&
		len(want.ByRule) == len(read.ByRule) && len(want.ByTier) == len(read.ByTier) && len(want.ByPeriod) == len(read.ByPeriod) &&
		len(want.Ladder) == len(read.Ladder)
	for i := 0; same && i < len(want.Periods); i++ {
		w, r := want.Periods[i], read.Periods[i]
		same = w.Start == r.Start && w.End == r.End && w.Months == r.Months
	}
	for i := 0; same && i < len(want.Meets); i++ {
		for k := range want.Meets[i] {
			same = same && want.Meets[i][k].Level == read.Meets[i][k].Level
		}
	}
	if !same {
		return fmt.Errorf("of another contract or window")
	}
	return nil
}
