package scenarios

// The schema of a scenario file. Each struct below is a mapping in the
// file; its yaml tags are the field names, its default tags the values used
// when a field is absent. The decoder walks these types by reflection, so
// they are the single list of known fields: unknown-field messages and the
// documentation test (every field must appear in docs/scenarios.md) are
// derived from them.

type rawScenario struct {
	Self        value         `yaml:"-"`
	Name        value         `yaml:"name"`
	Description value         `yaml:"description"`
	Simulation  rawSimulation `yaml:"simulation"`
	Arrivals    rawArrivals   `yaml:"arrivals"`
	Tiers       list[rawTier] `yaml:"tiers"`
	Agents      value         `yaml:"agents"`
}

type rawSimulation struct {
	Self         value `yaml:"-"`
	Horizon      value `yaml:"horizon" default:"4w"`
	WarmUp       value `yaml:"warm_up" default:"1d"`
	Replications value `yaml:"replications" default:"20"`
	Precision    value `yaml:"precision"`
	// MaxReplications defaults to max(1000, replications), which a static
	// default cannot say.
	MaxReplications value `yaml:"max_replications"`
	Seed            value `yaml:"seed" default:"1"`
}

type rawArrivals struct {
	Self    value      `yaml:"-"`
	Volume  value      `yaml:"volume"`
	Scale   value      `yaml:"scale" default:"1"`
	Profile rawProfile `yaml:"profile"`
}

type rawProfile struct {
	Self   value `yaml:"-"`
	ByDay  value `yaml:"by_day"`
	ByHour value `yaml:"by_hour"`
	Weekly value `yaml:"weekly"`
}

type rawTier struct {
	Self     value       `yaml:"-"`
	Name     value       `yaml:"name"`
	Share    value       `yaml:"share"`
	Rate     value       `yaml:"rate"`
	Profile  rawProfile  `yaml:"profile"`
	Targets  rawTargets  `yaml:"targets"`
	Handling rawHandling `yaml:"handling"`
	Preempt  value       `yaml:"preempt" default:"false"`
}

type rawTargets struct {
	Self       value `yaml:"-"`
	Response   value `yaml:"response"`
	Resolution value `yaml:"resolution"`
}

type rawHandling struct {
	Self         value `yaml:"-"`
	Distribution value `yaml:"distribution" default:"exponential"`
	Mean         value `yaml:"mean"`
	CV           value `yaml:"cv"`
	Phases       value `yaml:"phases"`
	Probs        value `yaml:"probs"`
	Means        value `yaml:"means"`
	Values       value `yaml:"values"`
}

// params are the distribution parameters, each named by its field.
func (h *rawHandling) params() []value {
	return []value{h.Mean, h.CV, h.Phases, h.Probs, h.Means, h.Values}
}

// A list is a sequence of mappings in the file.
type list[T any] struct {
	Self  value
	Items []T
}
