package scenarios

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestFrontDoorFields: the fields of issue 13 reach the model as written,
// and their errors name the field.
func TestFrontDoorFields(t *testing.T) {
	src := strings.Replace(valid, "    handling: {mean: 30m}\n", `    handling: {mean: 30m}
    patience: {distribution: lognormal, mean: 2m, cv: 0.5}
    queue_capacity: 12
`, 1)
	src = strings.Replace(src, "    handling: {distribution: lognormal, mean: 1h, cv: 1.2}\n", `    handling: {distribution: lognormal, mean: 1h, cv: 1.2}
    patience: {mean: 30s}
    queue_capacity: 0
`, 1)
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	urgent, routine := m.Tiers[0], m.Tiers[1]
	if urgent.Patience != (sim.Exponential{Mu: 30 * time.Second}) || !urgent.Blocking || urgent.QueueCapacity != 0 {
		t.Errorf("urgent: patience %v, blocking %v, queue capacity %d", urgent.Patience, urgent.Blocking, urgent.QueueCapacity)
	}
	if routine.Patience != sim.NewLogNormal(2*time.Minute, 0.5) || !routine.Blocking || routine.QueueCapacity != 12 {
		t.Errorf("routine: patience %v, blocking %v, queue capacity %d", routine.Patience, routine.Blocking, routine.QueueCapacity)
	}
	s, err = Parse("test.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if tier := s.Model().Tiers[0]; tier.Patience != nil || tier.Blocking {
		t.Errorf("without the fields: patience %v, blocking %v", tier.Patience, tier.Blocking)
	}

	for _, tt := range []struct {
		name, field string
		want        []string
	}{
		{"queue capacity below 0", "queue_capacity: -1", []string{"test.yaml:9: tiers[0].queue_capacity: must be >= 0, got -1"}},
		{"queue capacity not whole", "queue_capacity: 2.5", []string{"test.yaml:9: tiers[0].queue_capacity: must be a whole number, got 2.5"}},
		{"queue capacity too large", "queue_capacity: 20000000", []string{"test.yaml:9: tiers[0].queue_capacity: must be at most 10000000, got 20000000"}},
		{"patience as a duration", "patience: 2m", []string{"test.yaml:9: tiers[0].patience: must be a mapping (field: value, one per line or in {}), got 2m"}},
		{"patience without a mean", "patience: {distribution: gamma, cv: 1}", []string{"test.yaml:9: tiers[0].patience.mean: missing; gamma takes mean and cv"}},
		{"patience of zero", "patience: {mean: 0s}", []string{"test.yaml:9: tiers[0].patience.mean: must be > 0, got 0s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(valid, "    handling: {distribution: lognormal, mean: 1h, cv: 1.2}\n",
				"    handling: {distribution: lognormal, mean: 1h, cv: 1.2}\n    "+tt.field+"\n", 1)
			if got := problems(t, src); !slices.Equal(got, tt.want) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}
