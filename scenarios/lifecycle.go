package scenarios

import (
	"reflect"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/sim"
)

// maxLevels is L1 to L3: a ticket escalates at most twice.
const maxLevels = 3

// probability reads a share in [0, 1]; above0 excludes 0 and below1
// excludes 1.
func (d *decoder) probability(v value, above0, below1 bool) (float64, bool) {
	p, ok := d.fraction(v)
	if !ok {
		return 0, false
	}
	lo, hi := ">=", "<="
	if above0 {
		lo = ">"
	}
	if below1 {
		hi = "<"
	}
	if p < 0 || p > 1 || above0 && p == 0 || below1 && p == 1 {
		d.errorf(v, "must be %s 0 and %s 1 (100%%), got %s", lo, hi, v.node.Value)
		return 0, false
	}
	return p, true
}

// escalation reads a tier's steps from L1 to L2 and L2 to L3.
func (d *decoder) escalation(l *list[rawEscalation]) []sim.Escalation {
	if len(l.Items) > maxLevels-1 {
		d.errorf(l.Self, "has %d steps; tickets escalate at most twice, from L1 to L2 and from L2 to L3", len(l.Items))
		return nil
	}
	var steps []sim.Escalation
	for i := range l.Items {
		re := &l.Items[i]
		if !isMapping(re.Self) {
			continue
		}
		var e sim.Escalation
		if d.required(re.Probability, "give the share of tickets that go up a level, such as probability: 20%") {
			e.Probability, _ = d.probability(re.Probability, false, false)
		}
		e.Handling, _ = d.handling(&re.Handling, "give the next level's handling time, such as handling: {distribution: lognormal, mean: 2h, cv: 1}")
		steps = append(steps, e)
	}
	return steps
}

// pending reads the share of tickets that wait on the customer.
func (d *decoder) pending(r *rawPending) sim.Pending {
	var p sim.Pending
	if r.Self.node == nil {
		return p
	}
	if d.required(r.Probability, "give the share of tickets that wait on the customer, such as probability: 10%") {
		p.Probability, _ = d.probability(r.Probability, true, false)
	}
	p.Wait, _ = d.handling(&r.Wait, "give how long the customer takes to reply, such as wait: {mean: 1d}")
	p.FollowUp, _ = d.handling(&r.FollowUp, "give the work left when the customer replies, such as follow_up: {mean: 20m}")
	return p
}

// tierAutomation reads the share of a tier's tickets the automated channel
// attempts, and how it fares.
func (d *decoder) tierAutomation(r *rawTierAutomation) sim.TierAutomation {
	var a sim.TierAutomation
	if r.Self.node == nil {
		return a
	}
	if d.required(r.Eligible, "give the share of tickets the engine attempts, such as eligible: 70%") {
		a.Eligible, _ = d.probability(r.Eligible, true, false)
	}
	if d.required(r.Success, "give the probability an attempt resolves the ticket, such as success: 85%") {
		a.Success, _ = d.probability(r.Success, false, false)
	}
	a.Processing, _ = d.handling(&r.Processing, "give the duration of an attempt, such as processing: {distribution: deterministic, mean: 2m}")
	return a
}

// patience reads how long a tier's customers wait for an answer, if they
// give up at all.
func (d *decoder) patience(r *rawHandling) sim.Distribution {
	if r.Self.node == nil {
		return nil
	}
	p, _ := d.handling(r, "give how long customers wait before giving up, such as patience: {mean: 2m} (exponential)")
	return p
}

// offHours reads the targets of tickets that arrive outside a calendar's
// business hours; a target not given stays the tier's own. resolution
// says whether the tier promises a resolution time at all.
func (d *decoder) offHours(r *rawOffHours, cals []Calendar, resolution bool) OffHours {
	var o OffHours
	if r.Self.node == nil {
		return o
	}
	if d.required(r.Calendar, "give the calendar whose closed hours these targets apply to, such as calendar: office") {
		o.Calendar, _ = d.calendarRef(r.Calendar, cals)
	}
	if r.Response.node != nil {
		o.Response, _ = d.duration(r.Response, false)
	}
	switch {
	case r.Resolution.node != nil && !resolution:
		d.errorf(r.Resolution, noResolution)
	case r.Resolution.node != nil:
		o.Resolution, _ = d.duration(r.Resolution, false)
	}
	if r.Response.node == nil && r.Resolution.node == nil && isMapping(r.Self) {
		d.errorf(r.Self, "give a response or resolution target for tickets arriving out of hours, or both")
	}
	return o
}

// maxBurstSize bounds the mean tickets of an incident: far beyond a real
// one, and with the rate limit it keeps the volume simulable.
const maxBurstSize = 100_000

// bursts reads the major incidents, after the tiers they name.
func (d *decoder) bursts(l *list[rawBurst], tiers []Tier) []sim.Burst {
	var bs []sim.Burst
	for i := range l.Items {
		rb := &l.Items[i]
		if !isMapping(rb.Self) {
			continue
		}
		var b sim.Burst
		if d.required(rb.Tier, "give the tier of the incident's tickets, such as tier: high") {
			b.Tier, _ = d.tierRef(rb.Tier, tiers)
		}
		if d.required(rb.Rate, "give how often incidents happen, such as rate: 2/month") {
			perHour, _ := d.rate(rb.Rate)
			b.PerWeek = perHour * week.Hours()
		}
		if d.required(rb.MeanSize, "give the mean number of tickets an incident brings, such as mean_size: 12") {
			n, ok := d.number(rb.MeanSize)
			switch {
			case ok && n < 1:
				d.errorf(rb.MeanSize, "must be >= 1, got %s", rb.MeanSize.node.Value)
			case ok && n > maxBurstSize:
				d.errorf(rb.MeanSize, "must be at most %d, got %s", maxBurstSize, rb.MeanSize.node.Value)
			}
			b.MeanSize = n
		}
		if d.required(rb.Spread, "give the mean delay of an incident's tickets after it starts, such as spread: 20m") {
			b.Spread, _ = d.duration(rb.Spread, true)
		}
		bs = append(bs, b)
	}
	return bs
}

// tierRef reads the name of a tier, which must exist, and returns its index.
func (d *decoder) tierRef(v value, tiers []Tier) (int, bool) {
	name, ok := d.text(v)
	if !ok {
		return 0, false
	}
	names := make([]string, len(tiers))
	for i, t := range tiers {
		if t.Name == name {
			return i, true
		}
		names[i] = t.Name
	}
	d.errorf(v, "no tier named %q%s", name, suggestion(name, names))
	return 0, false
}

// tierEntry resolves the tier that item i of a per-tier list (such as
// contract.tiers or sizing.tiers) names, reporting a missing name, an
// unknown tier, or a tier given twice; seen maps tiers to the items that
// gave them.
func (d *decoder) tierEntry(self, tier value, i int, seen map[int]int, tiers []Tier, list, what string) (int, bool) {
	if !isMapping(self) || !d.required(tier, "name the tier these "+what+" are for, such as tier: urgent") {
		return 0, false
	}
	k, ok := d.tierRef(tier, tiers)
	if !ok {
		return 0, false
	}
	if j, dup := seen[k]; dup {
		d.errorf(tier, "repeats tier %s of %s[%d]; give each tier's %s once", tiers[k].Name, list, j, what)
		return 0, false
	}
	seen[k] = i
	return k, true
}

// automation reads the automated channel's capacity, needed when a tier
// uses it; rt are the tiers as written, to point at the first that does.
func (d *decoder) automation(r *rawAutomation, tiers []Tier, rt []rawTier) sim.Automation {
	var a sim.Automation
	first := -1
	for i, t := range tiers {
		if t.Automation.Eligible > 0 && first < 0 {
			first = i
		}
	}
	switch {
	case first >= 0 && r.Self.node == nil:
		d.errorf(rt[first].Automation.Self, "the automated channel needs a capacity: give how many attempts it runs at once, at the top level, such as automation: {capacity: 20}")
	case first >= 0 || r.Capacity.node != nil:
		if d.required(r.Capacity, "tiers with automation share the engine: give how many attempts it runs at once, such as capacity: 20") {
			n, _ := d.integer(r.Capacity, 1, maxAgents)
			a.Capacity = int(n)
		}
	}
	a.CountsAsResponse, _ = d.boolean(r.CountsAsResponse)
	return a
}

// delay reads a time that is either fixed (a duration: 0 is none) or
// random (a mapping with the fields of a handling time).
func (d *decoder) delay(v value, hint string) sim.Distribution {
	if v.node == nil {
		return nil
	}
	if v.node.Kind == yaml.MappingNode {
		var h rawHandling
		d.fill(reflect.ValueOf(&h).Elem(), v.node, v.path, v.parent, "")
		dist, _ := d.handling(&h, hint)
		return dist
	}
	if x, ok := d.duration(v, true); ok && x > 0 {
		return sim.Deterministic{Value: x}
	}
	return nil
}

// travel reads the time a tier's tickets take to reach the site, and
// where their response clock stops.
func (d *decoder) travel(rt *rawTier, t *Tier) {
	if rt.Travel.Self.node != nil {
		t.Travel, _ = d.handling(&rt.Travel, "give the time to reach the site, such as travel: {distribution: lognormal, mean: 1h, cv: 0.5}")
	}
	if rt.ResponseStops.node == nil {
		return
	}
	stops, ok := d.text(rt.ResponseStops)
	if !ok {
		return
	}
	switch {
	case rt.Travel.Self.node == nil:
		d.errorf(rt.ResponseStops, "applies to a tier with travel only: without it work starts where the agent is")
	case stops == "on_site":
	case stops == "remote_start":
		t.RemoteResponse = true
	default:
		d.errorf(rt.ResponseStops, "must be on_site (the response clock stops on arrival on site) or remote_start (when an agent takes the ticket and starts remote work), got %s", stops)
	}
}

// aging reads tier i's priority aging: how long a ticket waits before it
// moves up, and to which tier, one listed before.
func (d *decoder) aging(r *rawAging, tiers []Tier, i int) sim.Aging {
	if r.Self.node == nil || isNull(r.Self.node) {
		return sim.Aging{}
	}
	hint := "aging needs after and to, such as aging: {after: 30m, to: urgent}"
	var a sim.Aging
	ok := d.required(r.After, hint)
	if ok {
		a.After, ok = d.duration(r.After, false)
	}
	if !d.required(r.To, hint) {
		return sim.Aging{}
	}
	to, good := d.tierRef(r.To, tiers)
	if good && to >= i {
		d.errorf(r.To, "must be a tier of a higher priority than %s, listed before it; %s is not", tiers[i].Name, tiers[to].Name)
		good = false
	}
	if !ok || !good {
		return sim.Aging{}
	}
	a.To = to
	return a
}
