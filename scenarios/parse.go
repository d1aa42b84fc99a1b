package scenarios

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// shareTolerance is how far shares and probabilities may sum from 1: enough
// for decimal rounding, far too little for a forgotten tier.
const shareTolerance = 1e-9

// defaultMaxReplications caps a run with a precision target unless the file
// says otherwise.
const defaultMaxReplications = 1000

// maxAgents is far beyond any service desk; it stops a typo from making the
// engine allocate per-agent state for billions of agents.
const maxAgents = 100_000

// Load reads and parses the scenario file at path.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	return Parse(path, data)
}

// Parse parses and validates the scenario in data, read from file (used in
// messages and as the default name). If the scenario is invalid the error is
// a *ValidationError listing every problem found.
func Parse(file string, data []byte) (*Scenario, error) {
	d := &decoder{file: file}
	root := d.document(data)
	if root != nil && root.Kind != yaml.MappingNode {
		d.problems = append(d.problems, d.at(root, "", "a scenario is a mapping of fields (name:, tiers:, agents: …), got %s", describe(root)))
		root = nil
	}
	if root == nil {
		return nil, d.err()
	}
	var raw rawScenario
	d.fill(reflect.ValueOf(&raw).Elem(), root, "", nil, "")
	s := d.scenario(&raw)
	if len(d.problems) > 0 {
		return nil, d.err()
	}
	// The checks above should leave nothing for the engine to object to;
	// this catches what they miss, such as rates beyond any real desk.
	if err := s.Model().Validate(); err != nil {
		d.problems = append(d.problems, d.at(nil, "", "cannot be simulated: %v", err))
		return nil, d.err()
	}
	d.warn(s, &raw)
	sortProblems(d.warnings)
	s.Warnings = d.warnings
	return s, nil
}

func (d *decoder) err() error {
	sortProblems(d.problems)
	return &ValidationError{Problems: d.problems}
}

// scenario converts the raw fields, reporting every problem; the result is
// only meaningful if there were none.
func (d *decoder) scenario(r *rawScenario) *Scenario {
	s := &Scenario{File: d.file}
	if name, ok := d.text(r.Name); ok && name != "" {
		s.Name = name
	} else {
		s.Name = strings.TrimSuffix(filepath.Base(d.file), filepath.Ext(d.file))
	}
	s.Description, _ = d.text(r.Description)
	s.Simulation = d.simulation(&r.Simulation)
	s.Arrivals = d.arrivals(&r.Arrivals)
	s.Tiers = d.tiers(r, s.Arrivals.Profile)
	if d.required(r.Agents, "give the number of agents, such as agents: 12") {
		n, _ := d.integer(r.Agents, 1, maxAgents)
		s.Agents = int(n)
	}
	return s
}

func (d *decoder) simulation(r *rawSimulation) Simulation {
	var s Simulation
	s.Horizon, _ = d.duration(r.Horizon, false)
	s.WarmUp, _ = d.duration(r.WarmUp, true)
	if s.WarmUp > math.MaxInt64-s.Horizon {
		d.errorf(r.WarmUp, "warm_up plus horizon is too long to simulate")
	}
	n, _ := d.integer(r.Replications, 1, math.MaxInt32)
	s.Replications = int(n)
	if r.Precision.node != nil {
		p, ok := d.fraction(r.Precision)
		if ok && !(p > 0 && p < 1) {
			d.errorf(r.Precision, "must be between 0 and 1 (100%%), such as 0.5%% or 0.005, got %s", r.Precision.node.Value)
		}
		s.Precision = p
	}
	s.MaxReplications = max(defaultMaxReplications, s.Replications)
	if r.MaxReplications.node != nil {
		n, ok := d.integer(r.MaxReplications, 1, math.MaxInt32)
		if ok && s.Precision > 0 && int(n) < s.Replications {
			d.errorf(r.MaxReplications, "must be >= replications (%d), got %d", s.Replications, n)
		}
		s.MaxReplications = int(n)
	}
	s.Seed, _ = d.seed(r.Seed)
	return s
}

func (d *decoder) arrivals(r *rawArrivals) Arrivals {
	var a Arrivals
	if r.Volume.node != nil {
		a.Volume, _ = d.rate(r.Volume)
	}
	if f, ok := d.fraction(r.Scale); ok {
		if f <= 0 {
			d.errorf(r.Scale, "must be > 0, got %s", r.Scale.node.Value)
		}
		a.Scale = f
	}
	a.Profile, _ = d.profile(&r.Profile)
	return a
}

// tiers reads the tiers, then checks what they must agree on: unique names,
// and shares that divide the whole volume. A tier without a profile of its
// own gets the arrivals profile.
func (d *decoder) tiers(r *rawScenario, profile Profile) []Tier {
	list := &r.Tiers
	if !d.required(list.Self, "give at least one tier, with a name, share or rate, targets and handling") {
		return nil
	}
	if len(list.Items) == 0 {
		if !isNull(list.Self.node) && list.Self.node.Kind != yaml.SequenceNode {
			return nil // already reported as not a list
		}
		d.errorf(list.Self, "must list at least one tier")
		return nil
	}
	tiers := make([]Tier, len(list.Items))
	names := make(map[string]int)
	sharesOK := true
	sum := 0.0
	var shared []string
	for i := range list.Items {
		rt := &list.Items[i]
		t := &tiers[i]
		if rt.Self.node.Kind != yaml.MappingNode && !isNull(rt.Self.node) {
			continue // already reported as not a mapping
		}
		var ok bool
		if d.required(rt.Name, "every tier needs a name, such as name: urgent") {
			if t.Name, ok = d.text(rt.Name); ok {
				if t.Name == "" {
					d.errorf(rt.Name, "must not be empty")
				} else if j, dup := names[t.Name]; dup {
					d.errorf(rt.Name, "repeats the name of tiers[%d]; tier names must be unique", j)
				}
				names[t.Name] = i
			}
		}
		switch {
		case rt.Share.node != nil && rt.Rate.node != nil:
			d.errorf(rt.Rate, "give share or rate, not both")
			sharesOK = false
		case rt.Share.node != nil:
			t.Share, ok = d.fraction(rt.Share)
			if ok && !(t.Share > 0 && t.Share <= 1) {
				d.errorf(rt.Share, "must be > 0 and <= 1 (100%%), got %s", rt.Share.node.Value)
				ok = false
			}
			sharesOK = sharesOK && ok
			sum += t.Share
			shared = append(shared, rt.Share.path)
		case rt.Rate.node != nil:
			t.Rate, _ = d.rate(rt.Rate)
		default:
			sharesOK = false
			d.errorf(rt.Self, "needs a share of arrivals.volume (share: 5%%) or its own volume (rate: 2/h)")
		}
		t.Profile = profile
		if rt.Profile.Self.node != nil {
			t.Profile, _ = d.profile(&rt.Profile)
		}
		t.Targets = d.targets(&rt.Targets)
		t.Handling, _ = d.handling(&rt.Handling)
		t.Preempt, _ = d.boolean(rt.Preempt)
	}
	if len(shared) > 0 {
		if r.Arrivals.Volume.node == nil {
			d.required(r.Arrivals.Volume, "tiers with a share divide the total volume, such as arrivals: {volume: 150/day}")
		}
		if sharesOK && math.Abs(sum-1) > shareTolerance {
			d.errorf(list.Self, "shares must sum to 100%%, got %s (%s)", percent(sum), strings.Join(shared, " + "))
		}
	}
	return tiers
}

func (d *decoder) targets(r *rawTargets) Targets {
	var t Targets
	if !d.required(r.Self, "every tier needs targets, such as targets: {response: 1h, resolution: 1d}") {
		return t
	}
	hint := "every tier needs response and resolution targets"
	if d.required(r.Response, hint) {
		t.Response, _ = d.duration(r.Response, false)
	}
	if d.required(r.Resolution, hint) {
		t.Resolution, _ = d.duration(r.Resolution, false)
	}
	return t
}

// warn adds the doubts about a valid scenario that do not stop a run.
func (d *decoder) warn(s *Scenario, r *rawScenario) {
	if r.Simulation.MaxReplications.given() && s.Simulation.Precision == 0 {
		d.warnf(r.Simulation.MaxReplications, "has no effect without precision")
	}
	if r.Arrivals.Volume.given() {
		used := false
		for _, t := range s.Tiers {
			used = used || t.Share > 0
		}
		if !used {
			d.warnf(r.Arrivals.Volume, "has no effect: every tier has its own rate")
		}
	}
	for i, t := range s.Tiers {
		if t.Targets.Resolution < t.Targets.Response {
			d.warnf(r.Tiers.Items[i].Targets.Resolution, "is shorter than the response target (%s); are the two swapped?", FormatDuration(t.Targets.Response))
		}
	}
	if load := s.Model().OfferedLoad(); load >= float64(s.Agents) {
		d.warnf(r.Agents, "the offered load of %.3g Erlangs (tickets per hour × mean handling hours) needs more than %d agents: queues grow without bound, and a run reports the system unstable", load, s.Agents)
	}
}

// percent formats a share as a percentage, such as 95% or 99.5%.
func percent(f float64) string {
	return strconv.FormatFloat(f*100, 'g', 6, 64) + "%"
}
