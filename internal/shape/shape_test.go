package shape

import (
	"runtime"
	"strings"
	"testing"
)

func TestLengths(t *testing.T) {
	want := map[string]int{"tiers": 2, "teams": 0}
	for _, tt := range []struct {
		doc, err string
	}{
		{`{"tiers":[{},{"a":[1,2,3]}],"teams":[]}`, ""},
		{`{"tiers":[{},{}],"other":[1,2,3],"teams":null}`, ""},
		{`{"n":5}`, ""},
		{`{"tiers":[{}]}`, "tiers has 1 entries, the model 2"},
		{`{"TIERS":[{},{},{}]}`, "tiers has 3 entries, the model 2"},
		{`{"teams":[1]}`, "teams has 1 entries, the model 0"},
		// A repeated field: encoding/json keeps the last, as the check does.
		{`{"tiers":[{},{}],"tiers":[{}]}`, "tiers has 1 entries"},
		{`[1]`, "cannot unmarshal"},
		{`{"tiers":[`, "unexpected end"},
	} {
		err := Lengths([]byte(tt.doc), want)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: got %v, want %q", tt.doc, err, tt.err)
		}
	}
}

// TestLengthsKeepsNothing: counting a million elements allocates next to
// nothing beside the document itself.
func TestLengthsKeepsNothing(t *testing.T) {
	doc := []byte(`{"tiers":[` + strings.Repeat(`{},`, 1_000_000) + `{}]}`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := Lengths(doc, map[string]int{"tiers": 3}); err == nil {
		t.Fatal("a million tiers passed")
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4*uint64(len(doc)) {
		t.Errorf("counting %d bytes allocated %d", len(doc), grew)
	}
}

func TestNonNegative(t *testing.T) {
	type inner struct {
		Counts [3]int64
		Shares []float64
	}
	type outer struct {
		N      int
		Inners []inner
		Ptr    *inner
		hidden int
	}
	ok := outer{N: 1, Inners: []inner{{Counts: [3]int64{1, 2, 3}, Shares: []float64{-1}}}, hidden: -1}
	if err := NonNegative(&ok); err != nil {
		t.Errorf("got %v", err)
	}
	bad := ok
	bad.Ptr = &inner{Counts: [3]int64{0, -4, 0}}
	if err := NonNegative(&bad); err == nil || err.Error() != "Ptr.Counts[1] is negative (-4)" {
		t.Errorf("got %v", err)
	}
}
