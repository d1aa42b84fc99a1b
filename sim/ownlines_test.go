package sim

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/slasim/slasim/sim/internal/cacheline"
)

// TestEngineWritesOwnLines checks that every block of memory an engine
// writes as it simulates, and the summary its worker folds replications
// into, fills whole cache lines of its own: two workers' engines are made
// one after the other, and a line holding blocks of both would pass from
// one core to the other at each write (package cacheline). The written
// blocks are those whose bytes differ after part of a replication, or
// after a whole one; the engine and the summary have grown in a first
// replication.
func TestEngineWritesOwnLines(t *testing.T) {
	tests := []struct {
		name    string
		model   *Model
		general bool // the general loop, not the lean one
	}{
		{"reference", benchReferenceModel(2000 * time.Hour), false},
		{"reference, general loop", benchReferenceModel(2000 * time.Hour), true},
		{"features", featuresModel(2000 * time.Hour), false},
		{"front door", frontDoorModel(2000 * time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(tt.model)
			e.lean = e.lean && !tt.general
			e.ctx = context.Background()
			s := NewSummary(tt.model)
			if err := e.run(1, 0, s); err != nil {
				t.Fatal(err)
			}
			written := map[unsafe.Pointer]block{}
			var want error
			// The first stops at its second check for interruption, after
			// 2^14 events: at a replication's end, counts and stacks are
			// back where they were.
			for rep, cut := range []bool{true, false} {
				blocks := engineBlocks(tt.model, e, s)
				before := make([][]byte, len(blocks))
				for i, b := range blocks {
					before[i] = bytes.Clone(b.bytes())
				}
				e.ctx, want = context.Background(), nil
				if cut {
					e.ctx, want = &stopAtCheck{Context: e.ctx, n: 2}, context.Canceled
				}
				if err := e.run(1, rep+1, s); err != want {
					t.Fatalf("replication %d: %v, want %v", rep+1, err, want)
				}
				for i, b := range blocks {
					if !bytes.Equal(before[i], b.bytes()) {
						written[b.p] = b
					}
				}
			}
			if len(written) == 0 {
				t.Fatal("no block written")
			}
			for _, b := range written {
				if !b.ownsLines() {
					t.Errorf("%s, %d bytes at %#x, written as the engine simulates, shares its cache lines", b.path, b.size, b.p)
				}
			}
		})
	}
}

// stopAtCheck cancels at the nth call of Err.
type stopAtCheck struct {
	context.Context
	n int
}

func (c *stopAtCheck) Err() error {
	if c.n--; c.n <= 0 {
		return context.Canceled
	}
	return nil
}

// block is a block of memory reached from an engine: a pointer's target
// or a slice's array.
type block struct {
	p    unsafe.Pointer
	size uintptr
	path string
}

func (b block) bytes() []byte { return unsafe.Slice((*byte)(b.p), b.size) }

// ownsLines reports whether Go's allocator gives the block cache lines of
// its own. A block is placed at a multiple of its size class from a span
// that begins on a page; the classes above 512 bytes are whole lines
// (a block of such a size that holds pointers begins 8 bytes in, after
// its header), and of those up to 512 bytes, a block of 64, 128, ... 512
// bytes has a class of its own size.
func (b block) ownsLines() bool {
	at := uintptr(b.p) % cacheline.Size
	if b.size > 512 {
		return at == 0 || at == 8
	}
	return at == 0 && b.size%cacheline.Size == 0
}

// engineBlocks lists the blocks reachable from the engine e and the
// summary s but not from the model m, which the engines of a run share
// and none writes, and leaves out those within another: the parts of the
// engine that point into the engine itself or into the model.
func engineBlocks(m *Model, e *replication, s *Summary) []block {
	seen := map[unsafe.Pointer]bool{}
	var model, all []block
	reach(reflect.ValueOf(m), "m", seen, &model)
	reach(reflect.ValueOf(e), "e", seen, &all)
	reach(reflect.ValueOf(s), "s", seen, &all)
	outer := append(slices.Clone(all), model...)
	slices.SortFunc(outer, func(a, b block) int {
		if a.p != b.p {
			return int(uintptr(a.p) - uintptr(b.p))
		}
		return int(b.size - a.size)
	})
	within := func(b block) bool {
		for _, o := range outer {
			if uintptr(o.p) > uintptr(b.p) {
				return false
			}
			if o != b && uintptr(b.p)+b.size <= uintptr(o.p)+o.size && (o.p != b.p || o.size > b.size) {
				return true
			}
		}
		return false
	}
	return slices.DeleteFunc(all, within)
}

// reach appends to blocks those reachable from v not seen yet.
func reach(v reflect.Value, path string, seen map[unsafe.Pointer]bool, blocks *[]block) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.UnsafePointer()] {
			return
		}
		seen[v.UnsafePointer()] = true
		*blocks = append(*blocks, block{v.UnsafePointer(), v.Type().Elem().Size(), path})
		reach(v.Elem(), path, seen, blocks)
	case reflect.Slice:
		if v.Cap() == 0 || seen[v.UnsafePointer()] {
			return
		}
		seen[v.UnsafePointer()] = true
		*blocks = append(*blocks, block{v.UnsafePointer(), uintptr(v.Cap()) * v.Type().Elem().Size(), path + "[]"})
		if holdsPointers(v.Type().Elem()) {
			for i := range v.Len() {
				reach(v.Index(i), fmt.Sprintf("%s[%d]", path, i), seen, blocks)
			}
		}
	case reflect.Array:
		if holdsPointers(v.Type().Elem()) {
			for i := range v.Len() {
				reach(v.Index(i), fmt.Sprintf("%s[%d]", path, i), seen, blocks)
			}
		}
	case reflect.Struct:
		if !v.CanAddr() {
			return // a value in an interface: copied, never written
		}
		for i := range v.NumField() {
			f := v.Field(i)
			f = reflect.NewAt(f.Type(), f.Addr().UnsafePointer()).Elem() // unexported too
			reach(f, path+"."+v.Type().Field(i).Name, seen, blocks)
		}
	case reflect.Interface:
		if !v.IsNil() {
			reach(v.Elem(), path, seen, blocks)
		}
	}
}

// holdsPointers reports whether values of t hold pointers, slices or
// interfaces.
func holdsPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Interface, reflect.Map, reflect.Func, reflect.Chan, reflect.String:
		return true
	case reflect.Array:
		return holdsPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}
