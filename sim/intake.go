package sim

import "github.com/slasim/slasim/sim/internal/fastexp"

// intake turns an arrival into a ticket. Every random number the ticket's
// path needs is drawn as it arrives, from its tier's own streams and the
// same count whatever becomes of it, so that two scenarios sharing a seed
// give each ticket the same path: the work at each level, whether
// self-service deflects it, whether it enters at a neighbouring tier, how
// many levels it reaches, whether it goes pending and for how long,
// whether automation tries it, with what outcome and for how long, how
// long its customer will wait for an answer, and how long an agent takes
// to reach its site. (The only later draw is a paged agent's delay, when
// the page goes out.)
type intake struct {
	tiers []tierStreams
}

// tierStreams are the random streams of one tier's tickets.
type tierStreams struct {
	handling, lifecycle *source
	// work draws the work at each level of the tier's tickets, processing
	// an automated attempt's time (from lifecycle).
	work       []sampler
	processing sampler
	// routing draws the routing numbers of each ticket; nil when the tier
	// routes every ticket alike.
	routing *routing
	// patience draws customers' patience; nil when they wait for ever.
	patience *source
	// travel draws the time to reach the site; nil for remote work.
	travel *source
}

func newIntake(m *Model) intake {
	in := intake{tiers: make([]tierStreams, len(m.Tiers))}
	for i, t := range m.Tiers {
		in.tiers[i] = tierStreams{handling: newSource(), lifecycle: newSource(), work: []sampler{newSampler(t.Handling)}, processing: newSampler(t.Automation.Processing)}
		for _, e := range t.Escalation {
			in.tiers[i].work = append(in.tiers[i].work, newSampler(e.Handling))
		}
		if t.Deflected > 0 || t.Misclassified > 0 || len(t.Escalation) > 0 || t.Pending.Probability > 0 || t.Automation.Eligible > 0 {
			in.tiers[i].routing = newRouting(&m.Tiers[i])
		}
		if t.Patience != nil {
			in.tiers[i].patience = newSource()
		}
		if t.Travel != nil {
			in.tiers[i].travel = newSource()
		}
	}
	return in
}

func (in *intake) reset(seed uint64, rep int) {
	for i := range in.tiers {
		s := &in.tiers[i]
		s.handling.seed(seed, rep, StreamHandling, i)
		if s.routing != nil {
			s.routing.seed(seed, rep, i)
		}
		s.lifecycle.seed(seed, rep, StreamLifecycle, i)
		if s.patience != nil {
			s.patience.seed(seed, rep, StreamPatience, i)
		}
		if s.travel != nil {
			s.travel.seed(seed, rep, StreamTravel, i)
		}
	}
}

// draw gives ticket t of the given tier (of tiers) its path. Field by
// field rather than a composite literal: the ticket's stamp keeps counting
// across reuses of its slot. A deflected ticket gets no path.
func (in *intake) draw(t *ticket, spec *Tier, tier, tiers int) (deflected, misclassified bool) {
	s := &in.tiers[tier]
	// The routing numbers first, from their own stream: the path says
	// which levels' work is needed. Written to the ticket before the
	// work's draws: locals would be reloaded at each level, after each
	// draw's call (12 instructions a measured ticket on the default
	// scenario). Then the lognormals' exponentials, the handling's and
	// the automated attempt's one after the other: each is a chain of
	// dependent floating-point operations, and two close together overlap
	// (with math.Exp, 3% less CPU time on the default scenario for 19
	// more instructions a measured ticket).
	var o uint32
	t.path, t.last = 1, 0
	if rt := s.routing; rt != nil {
		o = rt.draw()
		t.path, t.last = rt.path(o)
	}
	t.pendingPlanned = o&routePending != 0
	t.autoEligible = o&routeEligible != 0
	t.autoSuccess = o&routeSuccess != 0
	deflected = o&routeDeflected != 0
	reach := t.path
	if deflected {
		reach = 0
	}
	for j := range s.work {
		// In line, an exponential or a lognormal costs no call through
		// the Distribution interface, nor the generator's through
		// rand.Source (source.exp, source.normal). Every level's work is
		// drawn, so that the numbers of the next ticket's do not depend
		// on this one's path, but a lognormal's exponential is taken only
		// for a level the ticket reaches: no other is read.
		if w := &s.work[j]; w.expMu > 0 {
			t.work[j] = duration(s.handling.exp() * w.expMu)
		} else if w.lnSigma > 0 {
			if z := s.handling.normal(); reach&(1<<j) != 0 {
				t.work[j] = duration(fastexp.Exp(w.lnMu + float64(w.lnSigma*z)))
			}
		} else {
			t.work[j] = w.dist.Sample(s.handling.Rand)
		}
	}
	if t.autoEligible && !deflected {
		// Now, not as the attempt starts: how long the channel's line
		// holds the ticket, which other tiers' tickets decide, must not
		// decide which of the stream's numbers it gets.
		t.processing = s.processing.draw(s.lifecycle)
	}
	if s.patience != nil {
		t.patience = spec.Patience.Sample(s.patience.Rand)
	}
	t.travel, t.onSite, t.aged = 0, false, false
	if s.travel != nil {
		t.travel = spec.Travel.Sample(s.travel.Rand)
	}
	if deflected {
		return true, false
	}
	class := tier
	if o&routeMisclassified != 0 && tiers > 1 {
		misclassified = true
		if o&routeUp != 0 && tier > 0 || tier == tiers-1 {
			class = tier - 1
		} else {
			class = tier + 1
		}
	}
	t.remaining = t.work[0]
	t.class, t.trueTier = int8(class), int8(tier)
	t.level, t.begun, t.wentPending = 0, 0, false
	if t.pendingPlanned {
		t.wait = spec.Pending.Wait.Sample(s.lifecycle.Rand)
		t.followUp = spec.Pending.FollowUp.Sample(s.lifecycle.Rand)
	}
	return false, misclassified
}

// arrive brings a ticket of the given tier into the system: the automated
// channel tries it first if it may, otherwise it goes to people.
func (r *replication) arrive(tier int) {
	i := r.tickets.add()
	t := r.tickets.at(i)
	deflected, misclassified := r.intake.draw(t, &r.m.Tiers[tier], tier, len(r.m.Tiers))
	if deflected {
		r.measure.deflected(tier, r.now)
		r.tickets.retire(i)
		return
	}
	t.alive = true
	if r.services.stopped > 0 {
		t.autoEligible = false // the automated channel is down: to people
	}
	r.measure.opened(t, i, tier, r.now, misclassified)
	if r.measure.trace.on {
		r.measure.trace.opened(i, t)
	}
	if r.duties.of(tier) {
		r.expectUpdates(i, t, tier)
	}
	if t.autoEligible {
		r.toAutomation(i)
		return
	}
	r.dispatch(i, t, arriving)
}
