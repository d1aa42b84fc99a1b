package reports

import (
	"fmt"
	"time"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/sim"
)

// MeanTarget judges a clock's mean time against a target on it (MTTR ≤
// 4 h): Meets when the mean's whole interval is at or below the target,
// Fails when it is above, NotDetermined when it straddles it.
type MeanTarget struct {
	TargetS float64 `json:"target_s"`
	Verdict Verdict `json:"verdict"`
}

// Overall holds the clocks over every tier's tickets: each replication's
// mean time, the mean over all the replications' tickets, and the verdict
// on the mean target when there is one.
type Overall struct {
	Response   OverallClock `json:"response"`
	Resolution OverallClock `json:"resolution"`
}

// OverallClock is one clock's mean over every tier's tickets: MeanS the
// mean of each replication's, judged against the mean target as a tier's
// is, PooledMeanS over all the replications' tickets.
type OverallClock struct {
	MeanS       *Estimate   `json:"mean_s"`
	PooledMeanS *Estimate   `json:"pooled_mean_s"`
	MeanTarget  *MeanTarget `json:"mean_target,omitempty"`
}

// meanTarget judges a mean time in seconds against a target; nil without
// a target.
func meanTarget(e *Estimate, target time.Duration) *MeanTarget {
	if target <= 0 {
		return nil
	}
	t := target.Seconds()
	v := NotDetermined
	switch {
	case e == nil || e.Lo == nil:
	case *e.Hi <= t:
		v = Meets
	case *e.Lo > t:
		v = Fails
	}
	return &MeanTarget{TargetS: t, Verdict: v}
}

// newMeans fills the mean targets of the tiers and the overall clocks.
func (r *Report) newMeans(s *sim.Summary, m *sim.Model) {
	for i := range r.Tiers {
		t, mt := &r.Tiers[i], m.Tiers[i].Mean
		t.Response.MeanTarget = meanTarget(t.Response.MeanS, mt.Response)
		if t.Resolution != nil {
			t.Resolution.MeanTarget = meanTarget(t.Resolution.MeanS, mt.Resolution)
		}
	}
	resp := amountEstimate(&s.Overall.ResponseMeanHours, time.Hour.Seconds())
	resol := amountEstimate(&s.Overall.ResolutionMeanHours, time.Hour.Seconds())
	r.Overall = Overall{
		Response:   OverallClock{MeanS: resp, PooledMeanS: pooledMean(&s.Overall.ResponsePooledHours), MeanTarget: meanTarget(resp, m.Mean.Response)},
		Resolution: OverallClock{MeanS: resol, PooledMeanS: pooledMean(&s.Overall.ResolutionPooledHours), MeanTarget: meanTarget(resol, m.Mean.Resolution)},
	}
}

// writeMeans says, for every target on a mean, the simulated mean with
// its interval and the verdict.
func (r *Report) writeMeans(p *printer) {
	fs := r.meanFacts()
	if len(fs) == 0 {
		return
	}
	p.f("\nMean targets (%s):\n", meansLegend)
	for _, f := range fs {
		p.f("  %s: %s\n", f.Term, f.Value)
	}
}

// meansLegend says how a mean target's verdict is read.
var meansLegend = fmt.Sprintf("yes = the whole %s interval of the mean is at or below the target; no = above it", format.Level(sim.Confidence))

// meanFacts gives every target on a mean, "tier, mean clock", with the
// simulated mean, its interval and the verdict.
func (r *Report) meanFacts() []htmlFact {
	type line struct {
		who, clock string
		mean       *Estimate
		target     *MeanTarget
	}
	var ls []line
	for i := range r.Tiers {
		t := &r.Tiers[i]
		ls = append(ls, line{t.Name, "response", t.Response.MeanS, t.Response.MeanTarget})
		if t.Resolution != nil {
			ls = append(ls, line{t.Name, "resolution", t.Resolution.MeanS, t.Resolution.MeanTarget})
		}
	}
	o := &r.Overall
	ls = append(ls, line{"all tickets", "response", o.Response.MeanS, o.Response.MeanTarget},
		line{"all tickets", "resolution", o.Resolution.MeanS, o.Resolution.MeanTarget})
	var fs []htmlFact
	for _, l := range ls {
		if l.target == nil {
			continue
		}
		iv := format.Unknown
		if l.mean != nil && l.mean.Lo != nil {
			iv = "[" + format.Duration(seconds(*l.mean.Lo)) + ", " + format.Duration(seconds(*l.mean.Hi)) + "]"
		}
		fs = append(fs, htmlFact{l.who + ", mean " + l.clock, fmt.Sprintf("%s %s against %s: %s", meanDuration(l.mean), iv,
			format.Duration(seconds(l.target.TargetS)), verdictText[l.target.Verdict])})
	}
	return fs
}
