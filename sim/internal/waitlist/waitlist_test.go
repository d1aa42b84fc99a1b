package waitlist

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLinesAgainstSlices runs random pushes at both ends, pops and
// removals from the middle on a few lines against plain slices.
func TestLinesAgainstSlices(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const lines = 4
	var l Lines
	l.Init(lines)
	ref := make([][]int32, lines)
	where := map[int32]int{} // item -> its line
	var free []int32         // items in no line
	next := int32(0)
	item := func() int32 {
		if n := len(free); n > 0 && r.IntN(2) == 0 {
			x := free[n-1]
			free = free[:n-1]
			return x
		}
		next++
		return next - 1
	}
	for step := range 200_000 {
		q := r.IntN(lines)
		switch op := r.IntN(10); {
		case op < 4:
			x := item()
			l.PushBack(q, x)
			ref[q] = append(ref[q], x)
			where[x] = q
		case op < 5:
			x := item()
			l.PushFront(q, x)
			ref[q] = slices.Insert(ref[q], 0, x)
			where[x] = q
		case op < 8:
			if len(ref[q]) == 0 {
				continue
			}
			if got := l.Front(q); got != ref[q][0] {
				t.Fatalf("step %d: front of line %d is %d, want %d", step, q, got, ref[q][0])
			}
			if got := l.PopFront(q); got != ref[q][0] {
				t.Fatalf("step %d: popped %d from line %d, want %d", step, got, q, ref[q][0])
			}
			delete(where, ref[q][0])
			free = append(free, ref[q][0])
			ref[q] = ref[q][1:]
		default:
			if len(ref[q]) == 0 {
				continue
			}
			j := r.IntN(len(ref[q]))
			x := ref[q][j]
			l.Remove(where[x], x)
			ref[q] = slices.Delete(ref[q], j, j+1)
			delete(where, x)
			free = append(free, x)
		}
		for i := range lines {
			if l.Len(i) != len(ref[i]) {
				t.Fatalf("step %d: line %d holds %d, want %d", step, i, l.Len(i), len(ref[i]))
			}
		}
	}
	// Every line drains in order.
	for q := range lines {
		for _, want := range ref[q] {
			if got := l.PopFront(q); got != want {
				t.Fatalf("draining line %d: popped %d, want %d", q, got, want)
			}
		}
	}
	l.Reset()
	l.PushFront(0, 7)
	l.PushBack(0, 8)
	l.PushBack(1, 9)
	l.Remove(0, 7)
	if l.Len(0) != 1 || l.PopFront(0) != 8 || l.PopFront(1) != 9 || l.Len(0) != 0 || l.Len(1) != 0 {
		t.Fatal("lines unusable after reset")
	}
}

// TestRemoveEnds removes the only, first and last items of a line.
func TestRemoveEnds(t *testing.T) {
	var l Lines
	l.Init(1)
	l.PushBack(0, 3)
	l.Remove(0, 3)
	if l.Len(0) != 0 {
		t.Fatal("line not empty after removing its only item")
	}
	for _, x := range []int32{1, 2, 3, 4} {
		l.PushBack(0, x)
	}
	l.Remove(0, 1) // first
	l.Remove(0, 4) // last
	l.PushBack(0, 5)
	l.PushFront(0, 6)
	var got []int32
	for l.Len(0) > 0 {
		got = append(got, l.PopFront(0))
	}
	if want := []int32{6, 2, 3, 5}; !slices.Equal(got, want) {
		t.Fatalf("line holds %v, want %v", got, want)
	}
}

// TestNoAllocationOnceGrown: pushing and popping items already seen
// allocates nothing.
func TestNoAllocationOnceGrown(t *testing.T) {
	var l Lines
	l.Init(2)
	for x := range int32(1000) {
		l.PushBack(int(x%2), x)
	}
	l.Reset()
	allocs := testing.AllocsPerRun(10, func() {
		for x := range int32(1000) {
			l.PushBack(int(x%2), x)
		}
		for l.Len(0) > 0 {
			l.PopFront(0)
		}
		for l.Len(1) > 0 {
			l.Remove(1, l.Front(1))
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per run", allocs)
	}
}
