package sim

import (
	"fmt"
	"time"
)

// MeanTargets are targets on a clock's mean time, such as MTTR ≤ 4 h or
// an average response ≤ 45 min; 0 sets none. They change nothing in a
// run: reports judge the simulated mean against them.
type MeanTargets struct {
	Response, Resolution time.Duration
}

// OverallStats are the clocks of every tier's tickets together.
type OverallStats struct {
	// ResponseMeanHours and ResolutionMeanHours are each replication's
	// mean clock time in hours over the tickets of every tier with a time
	// (not those that left unanswered); a replication without such a
	// ticket adds nothing.
	ResponseMeanHours   Tally `json:"response_mean_hours"`
	ResolutionMeanHours Tally `json:"resolution_mean_hours"`
	// ResponsePooledHours and ResolutionPooledHours are, per replication
	// (with such tickets or not), the clock time in hours summed over
	// those tickets and their number: the mean over all the replications'
	// tickets, as MetricStats.PooledHours is a tier's.
	ResponsePooledHours   Ratio `json:"response_pooled_hours"`
	ResolutionPooledHours Ratio `json:"resolution_pooled_hours"`
}

func (o *OverallStats) merge(p *OverallStats) {
	o.ResponseMeanHours.Merge(&p.ResponseMeanHours)
	o.ResolutionMeanHours.Merge(&p.ResolutionMeanHours)
	o.ResponsePooledHours.Merge(&p.ResponsePooledHours)
	o.ResolutionPooledHours.Merge(&p.ResolutionPooledHours)
}

// foldOverall adds the replication's mean clock times over all tiers, and
// their sums and counts, to o, before the tiers' clocks are folded and
// emptied.
func (ms *measure) foldOverall(o *OverallStats) {
	var resp, resol integral
	var nResp, nResol int64
	for i := range ms.tiers {
		tm := &ms.tiers[i]
		resp.merge(tm.resp.sum)
		nResp += tm.resp.n - tm.resp.unanswered
		resol.merge(tm.resol.sum)
		nResol += tm.resol.n - tm.resol.unanswered
	}
	o.ResponsePooledHours.Add(resp.per(int64(time.Hour)), float64(nResp))
	o.ResolutionPooledHours.Add(resol.per(int64(time.Hour)), float64(nResol))
	if nResp > 0 {
		o.ResponseMeanHours.Add(resp.per(nResp, int64(time.Hour)))
	}
	if nResol > 0 {
		o.ResolutionMeanHours.Add(resol.per(nResol, int64(time.Hour)))
	}
}

func (t MeanTargets) validate() error {
	if t.Response < 0 || t.Resolution < 0 {
		return fmt.Errorf("mean targets must be >= 0, got response %v, resolution %v", t.Response, t.Resolution)
	}
	return nil
}
