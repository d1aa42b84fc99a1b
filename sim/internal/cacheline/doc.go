// Package cacheline makes the arrays that a worker's engine writes as it
// simulates so that each has cache lines of its own.
//
// The engines of a run's workers are made one after the other, and Go's
// allocator places small blocks of one size side by side: a block of one
// engine would share a cache line with a block of the other, and each
// write by one worker would take the line from the other's core (false
// sharing). Before the engine's blocks had lines of their own, a ticket
// took 1.09 times the CPU time with two workers as with one on an idle
// machine, and more under load (docs/benchmarks.md, "Two workers in one
// process").
//
// Go's allocator gives a block cache lines of its own when its size is
// above 512 bytes, or a multiple of Size up to 512: its size class is
// then a whole number of lines, and blocks of a class are placed at
// multiples of it from a span that begins on a page. An array made by
// Make is above 512 bytes, and so is every array append grows it into.
package cacheline
