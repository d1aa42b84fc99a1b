package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, that a rejected file
// gets positioned problems, and that an accepted one converts to a model
// the engine accepts.
func FuzzParse(f *testing.F) {
	for _, name := range Names() {
		src, _ := Source(name)
		f.Add(src)
	}
	f.Add([]byte(valid))
	f.Add([]byte(teamsValid))
	f.Add([]byte(strings.Replace(valid, "{mean: 30m}", "{distribution: hyperexponential, probs: [0.5, 50%], means: [1m, 1h]}", 1)))
	f.Add([]byte(strings.Replace(valid, "{mean: 30m}", "{distribution: empirical, values: [0, 1m, 1h]}", 1)))
	f.Add([]byte("tiers: [{name: a, rate: 1/h, targets: &t {response: 1h, resolution: 1d}, handling: {mean: 1h}}, {name: b, rate: 1/h, targets: *t, handling: {mean: 1h}}]\nagents: 2\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Parse error %T %v, want a *ValidationError with problems", err, err)
			}
			for _, p := range ve.Problems {
				if p.File != "fuzz.yaml" || p.Line < 0 || p.Reason == "" {
					t.Errorf("malformed problem %#v", p)
				}
			}
			return
		}
		if err := s.Model().Validate(); err != nil {
			t.Fatalf("valid scenario, invalid model: %v\n%s", err, data)
		}
	})
}
