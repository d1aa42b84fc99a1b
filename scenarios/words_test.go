package scenarios

import (
	"strings"
	"testing"
)

// TestOverloadWords reads the overload warnings at one of each noun and at
// thousands, which %.3g wrote with an exponent ("2e+03 Erlangs").
func TestOverloadWords(t *testing.T) {
	const tier = "tiers:\n  - name: all\n    share: 100%\n    targets: {response: 1h, resolution: 1d}\n    handling: {mean: 1h}\n"
	const robot = "    automation: {eligible: 100%, success: 50%, processing: {distribution: deterministic, mean: 1h}}\n"
	for _, c := range []struct {
		name, src, want string
	}{
		{"one Erlang, one agent", "arrivals: {volume: 24/day}\n" + tier + "agents: 1\n",
			"the offered load of 1 Erlang (tickets per hour × mean handling hours) needs more than 1 agent: queues"},
		{"thousands", "arrivals: {volume: 48000/day}\n" + tier + "agents: 1500\n",
			"the offered load of 2000 Erlangs (tickets per hour × mean handling hours) needs more than 1500 agents: queues"},
		{"teams, one Erlang", "arrivals: {volume: 24/day}\n" + tier + "teams:\n  - name: desk\n    shifts: [{hours: \"00:00-24:00\", agents: 1}]\n",
			"the offered load of 1 Erlang (tickets per hour × mean agent hours per ticket) needs more than the 1 agent the teams have"},
		{"teams, thousands", "arrivals: {volume: 48000/day}\n" + tier + "teams:\n  - name: desk\n    shifts: [{hours: \"00:00-24:00\", agents: 1500}]\n",
			"the offered load of 2000 Erlangs (tickets per hour × mean agent hours per ticket) needs more than the 1500 agents the teams have"},
		{"automation, one slot", "arrivals: {volume: 24/day}\n" + tier + robot + "agents: 2\nautomation: {capacity: 1}\n",
			"automated attempts need 1 slot on average, more than the 1 the engine has"},
		{"automation, thousands", "arrivals: {volume: 48000/day}\n" + tier + robot + "agents: 3000\nautomation: {capacity: 1000}\n",
			"automated attempts need 2000 slots on average, more than the 1000 the engine has"},
	} {
		s, err := Parse("test.yaml", []byte("name: words\n"+c.src))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, w := range s.Warnings {
			got = append(got, w.String())
		}
		if all := strings.Join(got, "\n"); !strings.Contains(all, c.want) {
			t.Errorf("%s: warnings\n\t%s\nlack %q", c.name, strings.ReplaceAll(all, "\n", "\n\t"), c.want)
		}
	}
}
