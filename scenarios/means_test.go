package scenarios

import (
	"strings"
	"testing"
	"time"
)

const withMeans = `name: means
simulation: {horizon: 2w}
arrivals: {volume: 100/day}
tiers:
  - {name: urgent, share: 20%, targets: {response: 15m, resolution: 4h, mean_resolution: 2h}, handling: {mean: 1h}}
  - {name: routine, share: 80%, targets: {response: 1h, resolution: 1d, mean_response: 45m}, handling: {mean: 30m}}
agents: 6
mean_targets: {response: 30m, resolution: 4h}
`

func TestMeanTargets(t *testing.T) {
	s, err := Parse("means.yaml", []byte(withMeans))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	if m.Tiers[0].Mean.Resolution != 2*time.Hour || m.Tiers[0].Mean.Response != 0 || m.Tiers[1].Mean.Response != 45*time.Minute ||
		m.Mean.Response != 30*time.Minute || m.Mean.Resolution != 4*time.Hour {
		t.Errorf("mean targets: tiers %+v %+v, overall %+v", m.Tiers[0].Mean, m.Tiers[1].Mean, m.Mean)
	}
	for _, c := range []struct{ old, new, want string }{
		{"mean_resolution: 2h", "mean_resolution: 0", "tiers[0].targets.mean_resolution: must be > 0"},
		{"mean_response: 45m", "mean_response: soon", "tiers[1].targets.mean_response: "},
		{"mean_targets: {response: 30m, resolution: 4h}", "mean_targets: {resolution: -1h}", "mean_targets.resolution: "},
		{"mean_targets: {response: 30m, resolution: 4h}", "mean_targets: {mttr: 4h}", "mean_targets.mttr: unknown field"},
	} {
		_, err := Parse("means.yaml", []byte(strings.Replace(withMeans, c.old, c.new, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: %v, want %q", c.old, c.new, err, c.want)
		}
	}
}
