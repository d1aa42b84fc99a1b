package cacheline

import (
	"testing"
	"unsafe"
)

type (
	event   struct{ a, b, c uint64 } // 24 bytes
	odd     [13]byte
	double  [65]byte
	pointed struct {
		p *int
		n int64
	}
)

// TestMake checks Make's capacity, and what the package relies on: its
// array, and every one append grows it into, is above 512 bytes and
// begins on a cache line (or 8 bytes in, after the header Go puts before
// such a block that holds pointers).
func TestMake(t *testing.T) {
	t.Run("int32", func(t *testing.T) { checkMake[int32](t) })
	t.Run("event", func(t *testing.T) { checkMake[event](t) })
	t.Run("odd", func(t *testing.T) { checkMake[odd](t) })
	t.Run("double", func(t *testing.T) { checkMake[double](t) })
	t.Run("pointed", func(t *testing.T) { checkMake[pointed](t) })
}

func checkMake[T any](t *testing.T) {
	size := int(unsafe.Sizeof(*new(T)))
	var keep [][]T
	for n := range 300 {
		s := Make[T](n)
		want := n
		for want*size <= 512 || want*size%Size != 0 {
			want++
		}
		if len(s) != n || cap(s) != want {
			t.Fatalf("Make(%d): length %d, capacity %d, want %d and %d", n, len(s), cap(s), n, want)
		}
		keep = append(keep, s, make([]T, 1)) // a small block between
	}
	s := Make[T](0)
	for n := range 3000 {
		s = append(s, *new(T))
		if p := uintptr(unsafe.Pointer(unsafe.SliceData(s))); !aligned(p) || cap(s)*size <= 512 {
			t.Fatalf("%d elements: array at %#x of %d bytes", n+1, p, cap(s)*size)
		}
	}
	for i := 0; i < len(keep); i += 2 {
		if p := uintptr(unsafe.Pointer(unsafe.SliceData(keep[i]))); !aligned(p) {
			t.Fatalf("Make(%d) at %#x", i/2, p)
		}
	}
}

func aligned(p uintptr) bool { return p%Size == 0 || p%Size == 8 }
