package cacheline

import "unsafe"

// Size is the size of a cache line (64 bytes on amd64 and on most arm64).
const Size = 64

// Make is make([]T, n) in cache lines of its own: its capacity is the
// least, at least n, whose array is above 512 bytes and a whole number of
// lines.
func Make[T any](n int) []T {
	size := int(unsafe.Sizeof(*new(T)))
	c := max(n, 512/max(size, 1)+1)
	for c*size%Size != 0 {
		c++
	}
	return make([]T, n, c)
}
