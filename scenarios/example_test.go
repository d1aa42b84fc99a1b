package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/slasim/slasim/scenarios"
)

func ExampleParse() {
	src := []byte(`name: helpdesk
arrivals:
  volume: 120/day
tiers:
  - name: urgent
    share: 10%
    targets: {response: 15m, resolution: 4h}
    handling: {distribution: lognormal, mean: 1h, cv: 1.2}
  - name: routine
    share: 90%
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 30m}
agents: 5
`)
	s, err := scenarios.Parse("helpdesk.yaml", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := s.Model()
	for _, t := range m.Tiers {
		fmt.Printf("%s: %.1f tickets/h, respond within %s\n", t.Name, t.Arrivals.MeanRate(), scenarios.FormatDuration(t.Response))
	}
	fmt.Printf("offered load %.2f Erlangs on %d agents, %d replications\n", m.OfferedLoad(), m.Agents, s.Options().Replications)
	// Output:
	// urgent: 0.5 tickets/h, respond within 15m
	// routine: 4.5 tickets/h, respond within 1h
	// offered load 2.75 Erlangs on 5 agents, 20 replications
}

func ExampleParse_problems() {
	src := []byte(`arrivals:
  volume: 120/day
tiers:
  - name: urgent
    share: 10%
    targets: {response: -5m, resolution: 4h}
    handling: {distribution: lognormal, mean: 1h}
  - name: routine
    share: 80%
    targets: {response: 1h, resolution: 1d}
    handling: {mean: 30m}
agents: 5
simulation:
  warmup: 1d
`)
	_, err := scenarios.Parse("helpdesk.yaml", src)
	var ve *scenarios.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// helpdesk.yaml:4: tiers: shares must sum to 100%, got 90% (tiers[0].share + tiers[1].share)
	// helpdesk.yaml:6: tiers[0].targets.response: must be > 0, got -5m
	// helpdesk.yaml:7: tiers[0].handling.cv: missing; lognormal takes mean and cv
	// helpdesk.yaml:14: simulation.warmup: unknown field; did you mean warm_up?
}

func ExampleFormatDuration() {
	d, _ := scenarios.ParseDuration("90m")
	fmt.Println(scenarios.FormatDuration(d))
	d, _ = scenarios.ParseDuration("36h")
	fmt.Println(scenarios.FormatDuration(d))
	d, _ = scenarios.ParseDuration("14d")
	fmt.Println(scenarios.FormatDuration(d))
	// Output:
	// 1h30m
	// 1d12h
	// 2w
}
