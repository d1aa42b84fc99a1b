package sim

import (
	"slices"
	"testing"
	"time"
)

func TestStepsSet(t *testing.T) {
	type set struct {
		at time.Duration
		v  int
	}
	for _, tt := range []struct {
		name  string
		sets  []set
		at    []time.Duration
		value []int
	}{
		{"empty", nil, nil, nil},
		{"first", []set{{0, 0}}, []time.Duration{0}, []int{0}},
		{"a change", []set{{0, 0}, {time.Hour, 2}}, []time.Duration{0, time.Hour}, []int{0, 2}},
		{"no change is no step", []set{{0, 1}, {time.Hour, 1}}, []time.Duration{0}, []int{1}},
		{"the same time replaces", []set{{0, 0}, {time.Hour, 2}, {time.Hour, 3}}, []time.Duration{0, time.Hour}, []int{0, 3}},
		{"replaced by the value before", []set{{0, 1}, {time.Hour, 2}, {time.Hour, 1}}, []time.Duration{0, time.Hour}, []int{1, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var s Steps
			for _, x := range tt.sets {
				s.Set(x.at, x.v)
			}
			if !slices.Equal(s.At, tt.at) || !slices.Equal(s.Value, tt.value) {
				t.Errorf("got %v %v, want %v %v", s.At, s.Value, tt.at, tt.value)
			}
		})
	}
}
