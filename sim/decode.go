package sim

import (
	"fmt"

	"github.com/slasim/slasim/internal/shape"
)

// DecodeSummary reads a summary of model m written with encoding/json,
// such as one shard's part of a run split across machines. The document
// may come from anywhere: its tiers and teams are counted before they are
// allocated and must be m's, no count may be negative, and fields it does
// not know are refused.
func DecodeSummary(data []byte, m *Model) (*Summary, error) {
	s := NewSummary(m)
	if err := shape.Lengths(data, map[string]int{"tiers": len(s.Tiers), "teams": len(s.Teams)}); err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	var read Summary
	if err := shape.Strict(data, &read); err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	if err := shape.NonNegative(&read); err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	// Merging into the model's own empty summary checks the tiers' names
	// and targets and the teams' names.
	if err := s.Merge(&read); err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	return s, nil
}
