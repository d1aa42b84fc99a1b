package replications

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A savedReplication is one ended replication's counts as a partial result
// of a split run keeps them: per clock (response of tier i at 2i,
// resolution at 2i+1), the tickets, those within the target, the sum of
// their clock times in seconds, and, when some left before an answer, how
// many did (they have no time).
type savedReplication struct {
	Replication int       `json:"replication"`
	Tickets     []int64   `json:"tickets"`
	Met         []int64   `json:"met"`
	Seconds     []float64 `json:"seconds"`
	Unanswered  []int64   `json:"unanswered,omitempty"`
}

// MarshalJSON writes the ended replications, in order, so that a run split
// across machines can merge them (UnmarshalJSON reads them back).
func (r *Collector) MarshalJSON() ([]byte, error) {
	if r.err != nil {
		return nil, fmt.Errorf("replications: %w", r.err)
	}
	reps := r.ended.ended()
	saved := make([]savedReplication, 0, len(reps))
	cs := make([]clockCounts, len(r.cur))
	for _, rep := range reps {
		if err := r.ended.get(rep, cs); err != nil {
			return nil, fmt.Errorf("replications: %w", err)
		}
		s := savedReplication{Replication: rep}
		var unanswered int64
		for _, c := range cs {
			s.Tickets = append(s.Tickets, c.n)
			s.Met = append(s.Met, c.met)
			s.Seconds = append(s.Seconds, c.sumS)
			s.Unanswered = append(s.Unanswered, c.unanswered)
			unanswered += c.unanswered
		}
		if unanswered == 0 {
			s.Unanswered = nil
		}
		saved = append(saved, s)
	}
	return json.Marshal(saved)
}

// UnmarshalJSON replaces the ended replications of a collector made by
// Collect with those MarshalJSON wrote, checking them: as many clocks as
// the collector's tiers have, each replication once, counts that add up.
func (r *Collector) UnmarshalJSON(b []byte) error {
	// One replication at a time: each must hold counts for every clock, so
	// memory grows with the document, never faster.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return errors.New("replications: not an array of replications")
	}
	clocks := len(r.cur)
	ended := newStore(clocks)
	seen := make(map[int]bool)
	for dec.More() {
		var s savedReplication
		if err := dec.Decode(&s); err != nil {
			return fmt.Errorf("replications: %w", err)
		}
		if len(s.Tickets) != clocks || len(s.Met) != clocks || len(s.Seconds) != clocks {
			return fmt.Errorf("replications: replication %d has %d, %d and %d counts, the model %d clocks", s.Replication, len(s.Tickets), len(s.Met), len(s.Seconds), clocks)
		}
		switch len(s.Unanswered) {
		case 0:
			s.Unanswered = make([]int64, clocks)
		case clocks:
		default:
			return fmt.Errorf("replications: replication %d has %d unanswered counts, the model %d clocks", s.Replication, len(s.Unanswered), clocks)
		}
		if seen[s.Replication] || s.Replication < 0 {
			return fmt.Errorf("replications: replication %d is repeated or negative", s.Replication)
		}
		cs := make([]clockCounts, clocks)
		for i := range cs {
			c := clockCounts{n: s.Tickets[i], met: s.Met[i], unanswered: s.Unanswered[i], sumS: s.Seconds[i]}
			if c.n < 0 || c.met < 0 || c.unanswered < 0 || c.met+c.unanswered > c.n || c.sumS < 0 {
				return fmt.Errorf("replications: replication %d has impossible counts (%d tickets, %d met, %d unanswered, %g s)",
					s.Replication, c.n, c.met, c.unanswered, c.sumS)
			}
			cs[i] = c
		}
		seen[s.Replication] = true
		if err := ended.put(s.Replication, cs); err != nil {
			return fmt.Errorf("replications: %w", err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("replications: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("replications: data after the array")
	}
	r.ended = ended
	return nil
}

// Ended returns the number of replications ended, and the lowest and the
// highest of their indexes (0 and -1 when none has).
func (r *Collector) Ended() (n, lowest, highest int) {
	reps := r.ended.ended()
	if len(reps) == 0 {
		return 0, 0, -1
	}
	return len(reps), reps[0], reps[len(reps)-1]
}
