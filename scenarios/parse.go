package scenarios

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
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
	data, err := readFile(path)
	if ve := (*ValidationError)(nil); errors.As(err, &ve) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	return Parse(path, data)
}

// Parse parses and validates the scenario in data, read from file (used in
// messages and as the default name). If the scenario is invalid the error is
// a *ValidationError listing every problem found.
func Parse(file string, data []byte) (*Scenario, error) {
	if len(data) > maxFileSize {
		return nil, &ValidationError{Problems: []Diagnostic{tooLarge(file, data)}}
	}
	return parse(file, data, false)
}

// ParseAlone is Parse for a scenario without its directory, such as one
// uploaded to the desk (slasim serve): it may not name a file beside it (a
// staffing file, intervals.file), and neither may the scenarios With makes
// of it. The files of the machine it is parsed on stay unread.
func ParseAlone(file string, data []byte) (*Scenario, error) {
	if len(data) > maxFileSize {
		return nil, &ValidationError{Problems: []Diagnostic{tooLarge(file, data)}}
	}
	return parse(file, data, true)
}

// parse is Parse without the limit on the file's size, for a scenario
// rewritten from one that kept it (see Vary); alone forbids files beside
// it (see ParseAlone).
func parse(file string, data []byte, alone bool) (*Scenario, error) {
	d := &decoder{file: file, alone: alone}
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
	if d.overLimit {
		return nil, d.err()
	}
	s := d.scenario(&raw)
	if len(d.problems) > 0 {
		return nil, d.err()
	}
	// The checks above should leave nothing for the engine to object to;
	// this catches what they miss, such as rates beyond any real desk.
	m := s.Model()
	if err := m.Validate(); err != nil {
		d.problems = append(d.problems, d.at(nil, "", "cannot be simulated: %v", err))
		return nil, d.err()
	}
	d.warn(s, &raw, m)
	sortProblems(d.warnings)
	s.Warnings = d.warnings
	s.text, s.alone = data, alone
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
	if v := r.Simulation.MaxReplications; v.given() {
		at := d.at(v.node, v.path, "")
		s.maxReplicationsAt = &at
	}
	s.Arrivals = d.arrivals(&r.Arrivals)
	s.Calendars = d.calendars(&r.Calendars, s.Simulation.Location)
	s.Arrivals.Calendar, s.Arrivals.OnHolidays = d.arrivalDates(&r.Arrivals, s.Calendars)
	s.Tiers = d.tiers(r, s.Arrivals.Profile, s.Calendars)
	s.Arrivals.Bursts = d.bursts(&r.Arrivals.Bursts, s.Tiers)
	if len(d.problems) == 0 {
		if err := s.Simulation.checkTickets(s.ticketsPerHour()); err != nil {
			d.errorf(r.Simulation.Horizon, "%v", err)
		}
	}
	d.staff(r, s)
	s.Automation = d.automation(&r.Automation, s.Tiers, r.Tiers.Items)
	s.Services = d.services(&r.Services, s.Tiers, s.Calendars)
	if r.MeanTargets.Self.node != nil && isMapping(r.MeanTargets.Self) {
		s.MeanTargets = d.meanTargets(r.MeanTargets.Response, r.MeanTargets.Resolution)
	}
	s.Contract = d.contract(&r.Contract, s)
	s.Sizing = d.sizing(&r.Sizing, s)
	s.Roster = d.roster(&r.Roster, s)
	d.checkSchedules(r, s)
	return s
}

// maxSimulated bounds warm-up, horizon and drain together: twenty years of
// shifts, calendars and hourly rates are already large, and confidence
// comes from replications, not from one long run.
const maxSimulated = 1040 * week

// maxTickets bounds the tickets a replication may simulate, over the
// warm-up and the horizon: a billion take minutes of one core, and every
// sum of the engine stays exact far beyond (sim's TestIntegral checks
// them there). With warm_up: auto, the warm-up may only take what the
// horizon leaves.
const maxTickets = 1e9

// checkSimulated checks that warm-up, horizon and drain together stay
// within maxSimulated, each alone too so that their sum cannot wrap.
// fixedWarmUp is the warm-up the 20-year limit counts: warm_up: auto takes
// what room the horizon and drain leave.
func (s Simulation) fixedWarmUp() time.Duration {
	if s.AutoWarmUp {
		return 0
	}
	return s.WarmUp
}

func checkSimulated(warmUp, horizon, drain time.Duration) error {
	if warmUp > maxSimulated || horizon > maxSimulated || drain > maxSimulated || warmUp+horizon+drain > maxSimulated {
		return fmt.Errorf("warm_up + horizon + drain must be at most %s (20 years); for more confidence, add replications", FormatDuration(maxSimulated))
	}
	return nil
}

// SetHorizon changes the measured window, as a command-line flag does,
// within the limits a file has: a horizon > 0, and warm-up, horizon and
// drain together at most 20 years. Models made afterwards cover the new
// window with their shifts and calendars.
func (s *Scenario) SetHorizon(h time.Duration) error {
	if h <= 0 {
		return fmt.Errorf("the horizon must be > 0, got %s", FormatDuration(h))
	}
	next := s.Simulation
	next.Horizon = h
	if err := checkSimulated(next.fixedWarmUp(), h, next.Drain); err != nil {
		return fmt.Errorf("a horizon of %s: %w", FormatDuration(h), err)
	}
	if err := next.checkTickets(s.ticketsPerHour()); err != nil {
		return fmt.Errorf("a horizon of %s: %w", FormatDuration(h), err)
	}
	if err := s.checkSchedules(next.timelineWarmUp(s.ticketsPerHour()) + h + next.Drain); err != nil {
		return fmt.Errorf("a horizon of %s: %w (see docs/limits.md)", FormatDuration(h), err)
	}
	s.Simulation = next
	return nil
}

func (d *decoder) simulation(r *rawSimulation) Simulation {
	var s Simulation
	s.Start, _ = d.date(r.Start)
	s.Location, _ = d.timeZone(r.TimeZone)
	s.Horizon, _ = d.duration(r.Horizon, false)
	if n := r.WarmUp.node; n != nil && n.Kind == yaml.ScalarNode && n.Value == "auto" {
		s.AutoWarmUp = true
	} else {
		s.WarmUp, _ = d.duration(r.WarmUp, true)
	}
	s.Drain, _ = d.duration(r.Drain, false)
	if err := checkSimulated(s.fixedWarmUp(), s.Horizon, s.Drain); err != nil {
		d.errorf(r.Horizon, "%v", err)
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
		switch {
		case !ok || s.Precision == 0:
		case int(n) < s.Replications:
			d.errorf(r.MaxReplications, "must be >= replications (%d), got %d", s.Replications, n)
		case n < 2:
			d.errorf(r.MaxReplications, "must be at least 2 with precision: an interval needs two replications, got %d", n)
		}
		s.MaxReplications = int(n)
	}
	s.Seed, _ = d.seed(r.Seed)
	if r.Periods.node != nil {
		s.Periods = d.periodKinds(r.Periods)
	}
	return s
}

// periodKinds reads the kinds of period results are given for.
func (d *decoder) periodKinds(v value) []string {
	vs, _ := d.items(v, "kinds of period", "[week, month]")
	var kinds []string
	for _, e := range vs {
		k, ok := d.text(e)
		switch {
		case !ok:
		case !slices.Contains(periodKinds, k):
			d.errorf(e, "must be day, week or month, got %s", k)
		case slices.Contains(kinds, k):
			d.errorf(e, "repeats %s", k)
		default:
			kinds = append(kinds, k)
		}
	}
	return kinds
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
	if cv, ok := d.number(r.DailyCV); ok {
		if !(cv >= 0 && cv <= maxDailyCV) {
			d.errorf(r.DailyCV, "must be from 0 (Poisson) to %d, got %s; real service desks see 0.2 to 0.5", maxDailyCV, r.DailyCV.node.Value)
		}
		a.DailyCV = cv
	}
	return a
}

// arrivalDates reads the calendar whose dates move the volume, and the
// volume on its holidays: like the weekend (the default), like given days
// (sun, or sat,sun), or a factor of the day's own volume (30%).
func (d *decoder) arrivalDates(r *rawArrivals, cals []Calendar) (string, HolidayVolume) {
	weekend := HolidayVolume{Like: []time.Weekday{time.Saturday, time.Sunday}, Factor: 1}
	if r.Calendar.node == nil {
		if r.OnHolidays.node != nil {
			d.errorf(r.OnHolidays, "needs calendar: the calendar whose holidays these are, such as calendar: china")
		}
		return "", HolidayVolume{}
	}
	name, _ := d.calendarRef(r.Calendar, cals)
	if c := calendarIn(cals, name); c != nil && len(c.Holidays) == 0 && len(c.Workdays) == 0 {
		d.errorf(r.Calendar, "calendar %s has no holidays and no workdays: it would not change the volume", name)
	}
	v := r.OnHolidays
	if v.node == nil {
		return name, weekend
	}
	n, ok := d.scalar(v, "weekend, a day such as sun, or a factor such as 30%")
	if !ok {
		return name, weekend
	}
	if n.Value == "weekend" {
		return name, weekend
	}
	if days, err := staffing.ParseDays(n.Value); err == nil && n.ShortTag() == "!!str" && !strings.HasSuffix(n.Value, "%") {
		h := HolidayVolume{Factor: 1}
		for day, on := range days {
			if on {
				h.Like = append(h.Like, time.Weekday(day))
			}
		}
		return name, h
	}
	f, ok := d.fraction(v)
	if ok && !(f >= 0 && f <= 10) {
		d.errorf(v, "must be a factor from 0 to 10 (1000%%) of the day's own volume, weekend, or days such as sun; got %s", n.Value)
	}
	return name, HolidayVolume{Factor: f}
}

// maxDailyCV bounds the daily volume's coefficient of variation, as the
// engine does: beyond it most days are empty.
const maxDailyCV = 10

// tiers reads the tiers, then checks what they must agree on: unique names,
// and shares that divide the whole volume. A tier without a profile of its
// own gets the arrivals profile.
func (d *decoder) tiers(r *rawScenario, profile Profile, cals []Calendar) []Tier {
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
		if !isMapping(rt.Self) {
			continue
		}
		t.Name, _ = d.uniqueName(rt.Name, names, i, "tiers", "every tier needs a name, such as name: urgent")
		var ok bool
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
		t.Targets = d.targets(&rt.Targets, cals)
		t.OffHours = d.offHours(&rt.OffHours, cals, rt.Targets.Resolution.node != nil)
		if rt.Journey.Self.node != nil {
			d.journey(rt, t)
		} else {
			t.Handling, _ = d.handling(&rt.Handling, "every tier needs a handling time, such as handling: {distribution: lognormal, mean: 1h, cv: 1}")
			t.Escalation = d.escalation(&rt.Escalation)
		}
		t.Preempt, _ = d.boolean(rt.Preempt)
		t.Concurrent, _ = d.boolean(rt.Concurrent)
		d.travel(rt, t)
		t.Pending = d.pending(&rt.Pending)
		if p, ok := d.probability(rt.Misclassified, false, true); ok {
			if p > 0 && len(list.Items) == 1 {
				d.errorf(rt.Misclassified, "needs another tier for tickets to be mistaken for")
			}
			t.Misclassified = p
		}
		t.Deflected, _ = d.probability(rt.Deflected, false, true)
		t.Automation = d.tierAutomation(&rt.Automation)
		t.Patience = d.patience(&rt.Patience)
		d.clocks(&rt.Clocks, t, cals)
		d.updates(&rt.Updates, t)
		if rt.QueueCapacity.node != nil {
			n, ok := d.integer(rt.QueueCapacity, 0, sim.MaxQueueCapacity)
			t.Blocking, t.QueueCapacity = ok, int(n)
		}
	}
	for i := range list.Items {
		tiers[i].Aging = d.aging(&list.Items[i].Aging, tiers, i)
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

func (d *decoder) targets(r *rawTargets, cals []Calendar) Targets {
	var t Targets
	if !d.required(r.Self, "every tier needs targets, such as targets: {response: 1h, resolution: 1d}") {
		return t
	}
	if d.required(r.Response, "every tier needs a response target; resolution is optional") {
		t.Response, _ = d.duration(r.Response, false)
	}
	if r.Resolution.node != nil {
		t.Resolution, _ = d.duration(r.Resolution, false)
	}
	if r.MeanResolution.node != nil && r.Resolution.node == nil {
		d.errorf(r.MeanResolution, noResolution)
	}
	t.Mean = d.meanTargets(r.MeanResponse, r.MeanResolution)
	if r.Calendar.node != nil {
		for _, v := range []value{r.ResponseCalendar, r.ResolutionCalendar} {
			if v.node != nil {
				d.errorf(v, "give calendar (both clocks) or %s, not both", v.key())
			}
		}
		name, _ := d.calendarRef(r.Calendar, cals)
		t.ResponseCalendar = name
		if r.Resolution.node != nil {
			t.ResolutionCalendar = name
		}
		return t
	}
	if r.ResponseCalendar.node != nil {
		t.ResponseCalendar, _ = d.calendarRef(r.ResponseCalendar, cals)
	}
	if r.ResolutionCalendar.node != nil {
		if r.Resolution.node == nil {
			d.errorf(r.ResolutionCalendar, noResolution)
		} else {
			t.ResolutionCalendar, _ = d.calendarRef(r.ResolutionCalendar, cals)
		}
	}
	return t
}

// noResolution is the error on a field about the resolution clock of a
// tier that promises no resolution.
const noResolution = "is about the resolution clock, and the tier promises no resolution (its targets give none): give targets.resolution, or remove this"

// meanTargets reads targets on the mean response and resolution times,
// each optional and above 0.
func (d *decoder) meanTargets(response, resolution value) sim.MeanTargets {
	var t sim.MeanTargets
	if response.node != nil {
		t.Response, _ = d.duration(response, false)
	}
	if resolution.node != nil {
		t.Resolution, _ = d.duration(resolution, false)
	}
	return t
}

// warn adds the doubts about a valid scenario that do not stop a run.
func (d *decoder) warn(s *Scenario, r *rawScenario, m *sim.Model) {
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
		if t.Targets.Resolution > 0 && t.Targets.Resolution < t.Targets.Response {
			d.warnf(r.Tiers.Items[i].Targets.Resolution, "is shorter than the response target (%s); are the two swapped?", FormatDuration(t.Targets.Response))
		}
	}
	if u := m.Overload(); u != nil {
		d.warnOverload(s, r, u)
	}
	d.warnAutomation(s, r, m)
	d.warnCalendars(s, r)
	d.warnCoverage(s, r, m)
	d.warnDrain(s, r)
}

// warnDrain warns of tiers whose tickets may take longer than the drain:
// a handling time or a wait on the customer whose mean plus three standard
// deviations passes it. Those tickets will be open when the simulation
// stops, counted as breached with their times cut short (the report says
// how many).
func (d *decoder) warnDrain(s *Scenario, r *rawScenario) {
	drain := s.Simulation.Drain
	for i, t := range s.Tiers {
		dists := []sim.Distribution{t.Handling}
		for _, e := range t.Escalation {
			dists = append(dists, e.Handling)
		}
		if t.Pending.Probability > 0 {
			dists = append(dists, t.Pending.Wait)
		}
		for _, dist := range dists {
			mean := dist.Mean()
			if long := float64(mean) * (1 + 3*dist.CV()); long > float64(drain) {
				d.warnf(r.Tiers.Items[i].Name, "some of its tickets may need longer than the %s drain (%s on average, with a coefficient of variation of %.2g): they will be open when the simulation stops, counted as breached with their times cut short; lengthen simulation.drain",
					FormatDuration(drain), FormatDuration(mean.Round(time.Minute)), dist.CV())
				break
			}
		}
	}
}

// warnOverload warns of work the agents cannot carry over the measured
// window: the whole desk's, or that of some tiers only the named teams may
// take.
func (d *decoder) warnOverload(s *Scenario, r *rawScenario, u *sim.Instability) {
	const unstable = "queues grow without bound, and a run reports the system unstable"
	switch {
	case s.Agents > 0:
		d.warnf(r.Agents, "the offered load of %s (tickets per hour × mean handling hours) needs more than %s: %s", plural.Count(u.Load, "Erlang", "Erlangs"), plural.Count(float64(s.Agents), "agent", "agents"), unstable)
	case len(u.Teams) == 0:
		d.warnf(r.Teams.Self, "the offered load of %s (tickets per hour × mean agent hours per ticket) needs more than the %s the teams have on average over the measured window, on site less shrinkage or on call: %s", plural.Count(u.Load, "Erlang", "Erlangs"), plural.Count(u.Capacity, "agent", "agents"), unstable)
	default:
		at := r.Teams.Self
		for j, t := range s.Teams {
			if t.Name == u.Teams[0] {
				at = r.Teams.Items[j].Name
			}
		}
		d.warnf(at, "%s: %s", u.Reason(), unstable)
	}
}

// warnAutomation warns of an automated channel that cannot keep up or has
// nothing to do.
func (d *decoder) warnAutomation(s *Scenario, r *rawScenario, m *sim.Model) {
	used := false
	for _, t := range s.Tiers {
		used = used || t.Automation.Eligible > 0
	}
	switch load := m.AutomationLoad(); {
	case !used && r.Automation.Self.given():
		d.warnf(r.Automation.Self, "has no effect: no tier sends tickets to automation")
	case used && load >= float64(s.Automation.Capacity):
		d.warnf(r.Automation.Capacity, "automated attempts need %s on average, more than the %d the engine has: its queue grows without bound", plural.Count(load, "slot", "slots"), s.Automation.Capacity)
	}
}

// warnCalendars warns of calendars nothing uses, and of holidays outside
// the simulated period (often a wrong year).
func (d *decoder) warnCalendars(s *Scenario, r *rawScenario) {
	used := make(map[string]bool)
	for _, t := range s.Tiers {
		used[t.Targets.ResponseCalendar] = true
		used[t.Targets.ResolutionCalendar] = true
		used[t.OffHours.Calendar] = true
	}
	for _, rt := range r.Teams.Items {
		if n := rt.Holidays.node; n != nil && n.Kind == yaml.ScalarNode {
			used[n.Value] = true
		}
	}
	used[s.Arrivals.Calendar] = true
	for _, sv := range s.Services {
		used[sv.Maintenance] = true
	}
	for i, c := range s.Calendars {
		rc := &r.Calendars.Items[i]
		if !used[c.Name] {
			d.warnf(rc.Name, "is not used: name it in a tier's targets or off_hours, in a team's holidays, as the arrivals' calendar or a service's maintenance")
		}
		d.warnHolidays(s, rc.Holidays)
		d.warnHolidays(s, rc.Workdays)
	}
	for _, rt := range r.Teams.Items {
		if n := rt.Holidays.node; n != nil && n.Kind == yaml.SequenceNode {
			d.warnHolidays(s, rt.Holidays)
		}
	}
}

// warnHolidays warns if none of the dates listed in v falls in the
// simulated period.
func (d *decoder) warnHolidays(s *Scenario, v value) {
	if v.node == nil || len(v.node.Content) == 0 {
		return
	}
	clock, loc := s.Epoch(), location(s.Simulation.Location)
	first := clock.Origin.In(loc).AddDate(0, 0, -1)
	last := clock.Origin.Add(s.End()).In(loc).AddDate(0, 0, 1)
	for _, n := range v.node.Content {
		if n = resolve(n); n.Kind == yaml.MappingNode { // {date: …, as: …}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "date" {
					n = resolve(n.Content[i+1])
					break
				}
			}
		}
		h, err := staffing.ParseDate(n.Value)
		if t := time.Date(h.Year, h.Month, h.Day, 12, 0, 0, 0, loc); err == nil && t.After(first) && t.Before(last) {
			return
		}
	}
	d.warnf(v, "none of these dates falls in the simulated period, %s; is the year right?", s.dateRange())
}

// warnCoverage warns of tickets that arrive while no team that takes them
// has anyone on site or on call, and of teams that take no tickets.
func (d *decoder) warnCoverage(s *Scenario, r *rawScenario, m *sim.Model) {
	if len(s.Teams) == 0 {
		return
	}
	covered := coverage(s, m)
	for i := range s.Tiers {
		if total, from, to := uncovered(m, i, covered[i]); total > 0 {
			loc := location(s.Simulation.Location)
			at := func(t time.Duration) string {
				return s.Epoch().Origin.Add(t).In(loc).Format("Mon 2006-01-02 15:04")
			}
			d.warnf(r.Tiers.Items[i].Name, "tickets arrive while no team that works on %s at L1 has anyone on site or on call, for %s of the %s measured window, first from %s to %s (%s); they wait for the next shift",
				s.Tiers[i].Name, FormatDuration(total.Round(time.Minute)), FormatDuration(m.Horizon), at(from), at(to), loc)
		}
	}
	for j, t := range s.Teams {
		works := false
		for i := range s.Tiers {
			for _, level := range reached(&s.Tiers[i]) {
				works = works || t.takes(i, level)
			}
		}
		if !works {
			d.warnf(r.Teams.Items[j].Name, "gets no tickets: no tier it works on reaches its levels")
		}
	}
}

// coverage returns for each tier whether any team that works on it at L1
// has anyone on site or on call (1) or nobody does (0), over simulation
// time. One sweep over every team's changes serves all the tiers, so the
// cost grows with the staffing's changes, not with tiers times changes.
func coverage(s *Scenario, m *sim.Model) []sim.Steps {
	type change struct {
		at     time.Duration
		team   int
		staffs bool // whether the team has anyone from at on
	}
	var changes []change
	tiersOf := make([][]int, len(s.Teams))
	for j := range s.Teams {
		for i := range s.Tiers {
			if s.Teams[j].takes(i, 0) {
				tiersOf[j] = append(tiersOf[j], i)
			}
		}
		staff, was := staffing.Sum(m.Teams[j].OnSite, m.Teams[j].OnCall), false
		for k, at := range staff.At {
			if now := staff.Value[k] > 0; now != was {
				changes = append(changes, change{at, j, now})
				was = now
			}
		}
	}
	slices.SortFunc(changes, func(a, b change) int { return cmp.Compare(a.at, b.at) })
	covered := make([]sim.Steps, len(s.Tiers))
	for i := range covered {
		covered[i] = sim.Steps{At: []time.Duration{0}, Value: []int{0}}
	}
	staffed := make([]int, len(s.Tiers)) // teams with someone, of those on the tier
	for k, c := range changes {
		for _, i := range tiersOf[c.team] {
			if c.staffs {
				staffed[i]++
			} else {
				staffed[i]--
			}
		}
		if k+1 < len(changes) && changes[k+1].at == c.at {
			continue // the tiers' state counts once every change at c.at is in
		}
		for i := range covered {
			covered[i].Set(c.at, min(staffed[i], 1))
		}
	}
	return covered
}

// uncovered returns how long, within the measured window, tickets of tier
// i may arrive while staff is 0 and their response clock runs, and the
// first such gap in staff. Tickets that arrive while their business-hours
// clock is stopped lose nothing by waiting for the next shift.
func uncovered(m *sim.Model, i int, staff sim.Steps) (total, from, to time.Duration) {
	w0, w1 := m.WarmUp, m.WarmUp+m.Horizon
	p, cal := m.Tiers[i].Arrivals, m.Tiers[i].ResponseCalendar
	period := p.Period()
	for k, at := range staff.At {
		if staff.Value[k] != 0 {
			continue
		}
		lo, hi := max(at, w0), w1
		if k+1 < len(staff.At) {
			hi = min(staff.At[k+1], w1)
		}
		var arriving time.Duration
		for t := lo; t < hi; {
			offset := ((t+m.WeekOffset-m.WarmUp)%period + period) % period
			next := min(t+p.Interval-offset%p.Interval, hi)
			if p.Rates[offset/p.Interval] > 0 {
				if cal == nil {
					arriving += next - t
				} else {
					arriving += cal.Elapsed(t, next)
				}
			}
			t = next
		}
		if arriving > 0 && total == 0 {
			from, to = lo, hi
		}
		total += arriving
	}
	return total, from, to
}

// percent formats a share as a percentage, such as 95% or 99.5%.
func percent(f float64) string {
	return strconv.FormatFloat(f*100, 'g', 6, 64) + "%"
}
