package scenarios

// The schema of a scenario file. Each struct below is a mapping in the
// file; its yaml tags are the field names, its default tags the values used
// when a field is absent. The decoder walks these types by reflection, so
// they are the single list of known fields: unknown-field messages and the
// documentation test (every field must appear in docs/scenarios.md) are
// derived from them.

type rawScenario struct {
	Self        value             `yaml:"-"`
	Name        value             `yaml:"name"`
	Description value             `yaml:"description"`
	Simulation  rawSimulation     `yaml:"simulation"`
	Arrivals    rawArrivals       `yaml:"arrivals"`
	Calendars   list[rawCalendar] `yaml:"calendars"`
	Tiers       list[rawTier]     `yaml:"tiers"`
	Agents      value             `yaml:"agents"`
	Teams       list[rawTeam]     `yaml:"teams"`
	Automation  rawAutomation     `yaml:"automation"`
	Services    list[rawService]  `yaml:"services"`
	MeanTargets rawMeanTargets    `yaml:"mean_targets"`
	Sizing      rawSizing         `yaml:"sizing"`
	Contract    rawContract       `yaml:"contract"`
	Roster      rawRoster         `yaml:"roster"`
}

type rawSimulation struct {
	Self         value `yaml:"-"`
	Start        value `yaml:"start" default:"2024-01-01"`
	TimeZone     value `yaml:"timezone" default:"UTC"`
	Horizon      value `yaml:"horizon" default:"4w"`
	WarmUp       value `yaml:"warm_up" default:"auto"`
	Drain        value `yaml:"drain" default:"8w"`
	Replications value `yaml:"replications" default:"20"`
	Precision    value `yaml:"precision"`
	// MaxReplications defaults to max(1000, replications), which a static
	// default cannot say.
	MaxReplications value `yaml:"max_replications"`
	Seed            value `yaml:"seed" default:"1"`
	Periods         value `yaml:"periods"`
}

type rawArrivals struct {
	Self       value          `yaml:"-"`
	Volume     value          `yaml:"volume"`
	Scale      value          `yaml:"scale" default:"1"`
	Profile    rawProfile     `yaml:"profile"`
	Calendar   value          `yaml:"calendar"`
	OnHolidays value          `yaml:"on_holidays"`
	DailyCV    value          `yaml:"daily_cv" default:"0"`
	Bursts     list[rawBurst] `yaml:"bursts"`
}

type rawProfile struct {
	Self   value `yaml:"-"`
	ByDay  value `yaml:"by_day"`
	ByHour value `yaml:"by_hour"`
	Weekly value `yaml:"weekly"`
}

type rawBurst struct {
	Self     value `yaml:"-"`
	Tier     value `yaml:"tier"`
	Rate     value `yaml:"rate"`
	MeanSize value `yaml:"mean_size"`
	Spread   value `yaml:"spread"`
}

type rawCalendar struct {
	Self     value `yaml:"-"`
	Name     value `yaml:"name"`
	TimeZone value `yaml:"timezone"`
	Hours    value `yaml:"hours"`
	Holidays value `yaml:"holidays"`
	Workdays value `yaml:"workdays"`
}

type rawTier struct {
	Self          value               `yaml:"-"`
	Name          value               `yaml:"name"`
	Share         value               `yaml:"share"`
	Rate          value               `yaml:"rate"`
	Profile       rawProfile          `yaml:"profile"`
	Targets       rawTargets          `yaml:"targets"`
	OffHours      rawOffHours         `yaml:"off_hours"`
	Handling      rawHandling         `yaml:"handling"`
	Escalation    list[rawEscalation] `yaml:"escalation"`
	Journey       list[rawStage]      `yaml:"journey"`
	Clocks        list[rawClock]      `yaml:"clocks"`
	Updates       rawUpdates          `yaml:"updates"`
	Preempt       value               `yaml:"preempt" default:"false"`
	Pending       rawPending          `yaml:"pending"`
	Misclassified value               `yaml:"misclassified" default:"0"`
	Deflected     value               `yaml:"deflected" default:"0"`
	Automation    rawTierAutomation   `yaml:"automation"`
	Patience      rawHandling         `yaml:"patience"`
	QueueCapacity value               `yaml:"queue_capacity"`
	Concurrent    value               `yaml:"concurrent" default:"false"`
	Travel        rawHandling         `yaml:"travel"`
	ResponseStops value               `yaml:"response_stops"`
	Aging         rawAging            `yaml:"aging"`
}

type rawAging struct {
	Self  value `yaml:"-"`
	After value `yaml:"after"`
	To    value `yaml:"to"`
}

type rawTargets struct {
	Self               value `yaml:"-"`
	Response           value `yaml:"response"`
	Resolution         value `yaml:"resolution"`
	Calendar           value `yaml:"calendar"`
	ResponseCalendar   value `yaml:"response_calendar"`
	ResolutionCalendar value `yaml:"resolution_calendar"`
	MeanResponse       value `yaml:"mean_response"`
	MeanResolution     value `yaml:"mean_resolution"`
}

type rawMeanTargets struct {
	Self       value `yaml:"-"`
	Response   value `yaml:"response"`
	Resolution value `yaml:"resolution"`
}

type rawOffHours struct {
	Self       value `yaml:"-"`
	Calendar   value `yaml:"calendar"`
	Response   value `yaml:"response"`
	Resolution value `yaml:"resolution"`
}

type rawEscalation struct {
	Self        value       `yaml:"-"`
	Probability value       `yaml:"probability"`
	Handling    rawHandling `yaml:"handling"`
}

type rawPending struct {
	Self        value       `yaml:"-"`
	Probability value       `yaml:"probability"`
	Wait        rawHandling `yaml:"wait"`
	FollowUp    rawHandling `yaml:"follow_up"`
}

type rawTierAutomation struct {
	Self       value       `yaml:"-"`
	Eligible   value       `yaml:"eligible"`
	Success    value       `yaml:"success"`
	Processing rawHandling `yaml:"processing"`
}

type rawTeam struct {
	Self        value          `yaml:"-"`
	Name        value          `yaml:"name"`
	Tiers       value          `yaml:"tiers"`
	Levels      value          `yaml:"levels"`
	TimeZone    value          `yaml:"timezone"`
	Holidays    value          `yaml:"holidays"`
	Shifts      list[rawShift] `yaml:"shifts"`
	Intervals   rawIntervals   `yaml:"intervals"`
	Shrinkage   value          `yaml:"shrinkage" default:"0"`
	OnCallDelay value          `yaml:"on_call_delay" default:"0"`
	ShiftEnd    value          `yaml:"shift_end" default:"finish"`
	Concurrency value          `yaml:"concurrency" default:"1"`
}

type rawShift struct {
	Self       value `yaml:"-"`
	Days       value `yaml:"days" default:"all"`
	Hours      value `yaml:"hours"`
	Agents     value `yaml:"agents"`
	OnCall     value `yaml:"on_call" default:"false"`
	OnHolidays value `yaml:"on_holidays" default:"false"`
}

type rawIntervals struct {
	Self   value `yaml:"-"`
	Agents value `yaml:"agents"`
	File   value `yaml:"file"`
	Column value `yaml:"column"`
}

type rawAutomation struct {
	Self             value `yaml:"-"`
	Capacity         value `yaml:"capacity"`
	CountsAsResponse value `yaml:"counts_as_response" default:"false"`
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

type rawService struct {
	Self         value            `yaml:"-"`
	Name         value            `yaml:"name"`
	Tier         value            `yaml:"tier"`
	Up           rawHandling      `yaml:"up"`
	Restore      rawHandling      `yaml:"restore"`
	Failover     rawFailover      `yaml:"failover"`
	Maintenance  value            `yaml:"maintenance"`
	Tickets      rawOutageTickets `yaml:"tickets"`
	Automation   value            `yaml:"automation"`
	Availability value            `yaml:"availability"`
	Period       value            `yaml:"period" default:"month"`
}

type rawFailover struct {
	Self        value       `yaml:"-"`
	Probability value       `yaml:"probability"`
	Time        rawHandling `yaml:"time"`
}

type rawOutageTickets struct {
	Self     value `yaml:"-"`
	MeanSize value `yaml:"mean_size"`
	Spread   value `yaml:"spread" default:"0"`
}
