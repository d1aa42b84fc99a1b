package sim

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestResultAdd: a run's first batch becomes its summary instead of being
// merged into an empty one; the result is what the merge gives, and the
// checks Merge makes still refuse a batch whose agent time by hour passed
// the int64 range.
func TestResultAdd(t *testing.T) {
	m := benchReferenceModel(Week)
	batch := func(seed uint64) *Summary {
		res, err := Run(context.Background(), m, Options{Seed: seed, Replications: 2, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res.Summary
	}
	encode := func(s *Summary) string {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first, second := batch(1), batch(2)
	want := NewSummary(m)
	for _, s := range []*Summary{first, second} {
		if err := want.Merge(s); err != nil {
			t.Fatal(err)
		}
	}
	res := &Result{Summary: NewSummary(m)}
	for _, s := range []*Summary{first, second} {
		if err := res.add(s); err != nil {
			t.Fatal(err)
		}
	}
	if got := encode(res.Summary); got != encode(want) {
		t.Error("adding two batches differs from merging them into an empty summary")
	}

	passed := batch(3)
	passed.Teams[0].BusyMs[5] = -1 // a replication's sum that passed the range
	res = &Result{Summary: NewSummary(m)}
	if err := res.add(passed); err == nil {
		t.Error("a first batch past the int64 range was taken")
	}
	other := benchReferenceModel(time.Hour)
	other.Tiers = other.Tiers[:2]
	res = &Result{Summary: NewSummary(other)}
	if err := res.add(batch(4)); err == nil {
		t.Error("a batch of another model was taken")
	}
}
