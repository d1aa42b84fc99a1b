package sim

import (
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/sim/internal/cacheline"
)

// arrivals generates when tickets arrive: for each tier a Poisson process
// whose rate follows the tier's profile times the day's volume factor, and
// the major incidents (bursts) that bring clusters of tickets of one tier.
// It schedules each arrival as an event; what a ticket is, is drawn when it
// arrives (intake.go).
type arrivals struct {
	tiers  []arrivalStream
	bursts []burstStream
	specs  []Burst
	// The day's volume factors, nil without daily variation, and where in
	// its day simulation time 0 falls.
	volume    *source
	dailyCV   float64
	dayFactor []float64
	dayPhase  time.Duration
	end       time.Duration // the end of the measured window: no arrivals from then on
}

// arrivalStream is one tier's arrival process.
type arrivalStream struct {
	rng       *source
	ratePerNs []float64
	// gapNs is the mean time between arrivals, in ns, of a tier whose
	// rate is constant (0 otherwise).
	gapNs    float64
	interval time.Duration
	idx      int           // current interval of the profile
	bound    time.Duration // end of the current interval
	factor   float64       // the day's volume factor
	last     time.Duration // last arrival
	active   bool          // false once arrivals have ended
}

type burstStream struct {
	rng  *source
	next time.Duration
}

func newArrivals(m *Model, end, drainEnd time.Duration) arrivals {
	a := arrivals{
		tiers:   cacheline.Make[arrivalStream](len(m.Tiers)),
		bursts:  cacheline.Make[burstStream](len(m.Bursts))[:0],
		specs:   m.Bursts,
		volume:  newSource(),
		dailyCV: m.DailyCV,
		end:     end,
	}
	for i, t := range m.Tiers {
		s := &a.tiers[i]
		s.rng = newSource()
		s.interval = t.Arrivals.Interval
		s.ratePerNs = make([]float64, len(t.Arrivals.Rates))
		for j, rate := range t.Arrivals.Rates {
			s.ratePerNs[j] = rate / float64(time.Hour)
		}
		if r := t.Arrivals.Rates; len(r) > 0 && r[0] > 0 && !slices.ContainsFunc(r, func(x float64) bool { return x != r[0] }) {
			s.gapNs = float64(time.Hour) / r[0]
		}
	}
	for range m.Bursts {
		a.bursts = append(a.bursts, burstStream{rng: newSource()})
	}
	if m.DailyCV > 0 {
		a.dayFactor = make([]float64, int(drainEnd/(24*time.Hour))+2)
	}
	return a
}

// reset draws the replication's daily factors and places each tier's
// profile so that the measured window begins at Model.WeekOffset
// (simulation time 0 is the start of the longest warm-up); the first
// arrivals come after begin, when the replication starts.
func (a *arrivals) reset(m *Model, seed uint64, rep int, begin time.Duration) {
	day := 24 * time.Hour
	a.dayPhase = ((m.WeekOffset-m.WarmUp)%day + day) % day
	if a.dayFactor != nil {
		a.volume.seed(seed, rep, StreamVolume, 0)
		shape := 1 / (a.dailyCV * a.dailyCV)
		g := distuv.Gamma{Alpha: shape, Beta: shape, Src: a.volume.Rand}
		for i := range a.dayFactor {
			a.dayFactor[i] = g.Rand()
		}
	}
	for i := range a.bursts {
		b := &a.bursts[i]
		b.rng.seed(seed, rep, StreamBursts, i)
		b.next = begin
	}
	for i := range a.tiers {
		s := &a.tiers[i]
		s.rng.seed(seed, rep, StreamArrivals, i)
		period := s.interval * time.Duration(len(s.ratePerNs))
		phase := ((begin+m.WeekOffset-m.WarmUp)%period + period) % period
		s.idx = int(phase / s.interval)
		s.bound = begin + time.Duration(s.idx+1)*s.interval - phase
		s.factor = a.factorAt(begin)
		s.last = begin
		s.active = m.Tiers[i].Arrivals.MeanRate() > 0
	}
}

// start schedules the first major incident of each burst, then the first
// arrival of each tier.
func (a *arrivals) start(g *agenda) {
	for i := range a.bursts {
		a.scheduleBurst(i, g)
	}
	for i := range a.tiers {
		a.schedule(i, g)
	}
}

// factorAt is the volume factor of the day holding t.
func (a *arrivals) factorAt(t time.Duration) float64 {
	if a.dayFactor == nil {
		return 1
	}
	return a.dayFactor[min(int((t+a.dayPhase)/(24*time.Hour)), len(a.dayFactor)-1)]
}

// schedule draws the tier's next arrival exactly, by inverting the
// cumulative rate: an Exp(1) amount of "rate × time" is spent interval by
// interval, so that short peaks get their full share of arrivals. At a
// constant rate, without daily variation, that is Exp(1) mean gaps. An
// arrival from the end of the measured window on is not scheduled: the
// tier's arrivals have ended.
func (a *arrivals) schedule(tier int, g *agenda) {
	s := &a.tiers[tier]
	if !s.active {
		return
	}
	e := s.rng.exp()
	if s.gapNs > 0 && a.dayFactor == nil {
		if gap := e * s.gapNs; gap < float64(a.end-s.last) {
			s.last += time.Duration(gap)
			g.scheduleArrival(s.last, int32(tier))
			return
		}
	} else if t := a.spend(s, e); t < a.end {
		s.last = t
		g.scheduleArrival(t, int32(tier))
		return
	}
	s.active = false
	g.noArrival()
}

// spend steps tier s's profile on from its last arrival until its
// cumulative rate has grown by e, and returns that time, or a time from
// the end of the measured window on if that is later.
func (a *arrivals) spend(s *arrivalStream, e float64) time.Duration {
	t := s.last
	for {
		end := s.bound
		if a.dayFactor != nil {
			// The day's volume factor changes at midnight, which an
			// interval longer than an hour may straddle.
			end = min(end, t-(t+a.dayPhase)%(24*time.Hour)+24*time.Hour)
		}
		if rate := s.ratePerNs[s.idx] * s.factor; rate > 0 {
			room := float64(float64(end-t) * rate)
			if e < room {
				return t + time.Duration(e/rate)
			}
			e -= room
		}
		t = end
		if t >= a.end {
			return t
		}
		if t == s.bound {
			s.idx++
			if s.idx == len(s.ratePerNs) {
				s.idx = 0
			}
			s.bound += s.interval
		}
		if a.dayFactor != nil {
			s.factor = a.factorAt(t)
		}
	}
}

// scheduleBurst draws the next major incident of burst i.
func (a *arrivals) scheduleBurst(i int, g *agenda) {
	b := &a.bursts[i]
	perNs := a.specs[i].PerWeek / float64(Week)
	if perNs <= 0 {
		return
	}
	b.next += time.Duration(b.rng.exp() / perNs)
	if b.next < a.end {
		g.schedule(b.next, evBurst, int32(i), 0)
	}
}

// burst brings the tickets of a major incident of burst i starting now:
// arrivals of its tier marked as a burst's (they schedule no successor).
func (a *arrivals) burst(i int, now time.Duration, g *agenda) {
	spec := &a.specs[i]
	a.incident(spec.Tier, spec.MeanSize, spec.Spread, now, a.bursts[i].rng, g)
	a.scheduleBurst(i, g)
}

// incident schedules the tickets of a major incident of a tier starting
// now, drawn from rng: 1 + Poisson(meanSize − 1) of them (one when
// meanSize ≤ 1), each after an exponential delay of mean spread, those
// from the end of the measured window on left out. They are marked as an
// incident's arrivals, which schedule no successor.
func (a *arrivals) incident(tier int, meanSize float64, spread, now time.Duration, rng *source, g *agenda) {
	n := 1
	if meanSize > 1 {
		n += int(distuv.Poisson{Lambda: meanSize - 1, Src: rng.Rand}.Rand())
	}
	for range n {
		at := now + time.Duration(rng.exp()*float64(spread))
		if at < a.end {
			g.schedule(at, evArrival, int32(tier), 1)
		}
	}
}
