package fit

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/slasim/slasim/sim"
)

// A synthTier is one tier of a synthetic export: its share of the volume
// and its resolution-time distribution.
type synthTier struct {
	name     string
	share    float64
	handling sim.Distribution
}

// A synth describes a synthetic export with known parameters.
type synth struct {
	start time.Time // a Monday 00:00
	weeks int
	// rate is the total arrival rate (tickets per hour) in each hour of the
	// week.
	rate [HoursPerWeek]float64
	// dailyCV multiplies each day's rates by a gamma factor with mean 1 and
	// this coefficient of variation; growth multiplies the rates of week w
	// by 1 + growth·(days since start)/7.
	dailyCV, growth float64
	// response is the mean time to the first response (exponential); the
	// resolution time is drawn from the tier's distribution after it, so
	// that opened → resolved is the handling time when response is 0.
	response time.Duration
	tiers    []synthTier
	seed     uint64
}

// weeklyRate is an office-hours profile with a Monday peak: 8/h at the
// weekday peak, under 1/h at night and on weekends. Its mean is about 3
// tickets an hour.
func weeklyRate() [HoursPerWeek]float64 {
	var r [HoursPerWeek]float64
	for h := range r {
		day, hour := h/24, h%24
		switch {
		case day >= 5:
			r[h] = 0.6
		case hour >= 9 && hour < 12:
			r[h] = 8
		case hour >= 13 && hour < 18:
			r[h] = 6
		case hour >= 7 && hour < 20:
			r[h] = 2.5
		default:
			r[h] = 0.4
		}
		if day == 0 && hour >= 9 && hour < 18 {
			r[h] *= 1.25
		}
	}
	return r
}

// ticket is one synthetic ticket.
type synthTicket struct {
	tier                       int
	opened, response, resolved time.Time
}

// generate draws the tickets: an exact Poisson process per tier, whose rate
// is constant within each hour (a Poisson count per hour, placed uniformly
// in it), with resolution times drawn from the tier's distribution.
func (s *synth) generate() []synthTicket {
	r := rand.New(rand.NewPCG(s.seed, 7))
	var out []synthTicket
	factor := 1.0
	gammaDay := distuv.Gamma{Alpha: 1, Beta: 1, Src: r}
	if s.dailyCV > 0 {
		gammaDay.Alpha = 1 / (s.dailyCV * s.dailyCV)
		gammaDay.Beta = gammaDay.Alpha
	}
	for h := range s.weeks * HoursPerWeek {
		if h%24 == 0 && s.dailyCV > 0 {
			factor = gammaDay.Rand()
		}
		growth := 1 + s.growth*float64(h/24)/7
		for i, t := range s.tiers {
			mean := s.rate[h%HoursPerWeek] * t.share * factor * growth
			n := int(distuv.Poisson{Lambda: mean, Src: r}.Rand())
			for range n {
				opened := s.start.Add(time.Duration(h)*time.Hour + time.Duration(r.Float64()*float64(time.Hour))).Truncate(time.Second)
				response := opened.Add(time.Duration(r.ExpFloat64() * float64(s.response))).Truncate(time.Second)
				out = append(out, synthTicket{
					tier:     i,
					opened:   opened,
					response: response,
					resolved: response.Add(t.handling.Sample(r)).Truncate(time.Second),
				})
			}
		}
	}
	return out
}

// csv writes the tickets as a generic export, one row per ticket.
func (s *synth) csv(ts []synthTicket) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "opened_at", "priority", "first_response_at", "resolved_at", "channel"})
	const layout = "2006-01-02 15:04:05"
	for i, t := range ts {
		w.Write([]string{fmt.Sprintf("T%06d", i), t.opened.Format(layout), s.tiers[t.tier].name,
			t.response.Format(layout), t.resolved.Format(layout), "portal"})
	}
	w.Flush()
	return b.Bytes()
}

// export generates, writes and reads back a synthetic export.
func (s *synth) export(t *testing.T) *Export {
	t.Helper()
	data := s.csv(s.generate())
	ex, err := Read(context.Background(), bytes.NewReader(data), "synthetic.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func monday() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }

func threeTiers() []synthTier {
	return []synthTier{
		{"P1", 0.2, sim.NewLogNormal(4*time.Hour, 1.5)},
		{"P2", 0.3, sim.NewGamma(10*time.Hour, 0.7)},
		{"P3", 0.5, sim.Exponential{Mu: 24 * time.Hour}},
	}
}

// within fails unless got is within k standard errors of want.
func within(t *testing.T, what string, got, want, se, k float64) {
	t.Helper()
	if !(math.Abs(got-want) <= k*se) {
		t.Errorf("%s = %.5g, want %.5g ± %g·%.3g (off by %.1f SE)", what, got, want, k, se, math.Abs(got-want)/se)
	} else {
		t.Logf("%s = %.5g, want %.5g (%.1f SE)", what, got, want, (got-want)/se)
	}
}

// The tolerance of every check below is four standard errors of the
// estimate, so a correct estimator fails a single check with probability
// 6e-5; the 168 hourly rates, checked together, get 4.5 (168 × 7e-6 ≈
// 0.1%). The seeds are fixed, so the outcome is too.

func TestRecoversWeeklyRates(t *testing.T) {
	s := &synth{start: monday(), weeks: 12, rate: weeklyRate(), tiers: threeTiers(), seed: 1}
	res, err := Fit(context.Background(), s.export(t), FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The window runs from the first ticket's hour to the last's.
	if w := &res.Window; w.Start.Before(s.start) || w.End.After(s.start.AddDate(0, 0, 7*s.weeks)) || w.Weeks() < float64(s.weeks)-1.0/7 {
		t.Errorf("window %v to %v, want within the %d weeks from %v", w.Start, w.End, s.weeks, s.start)
	}
	worst := 0.0
	for h := range HoursPerWeek {
		exposure := res.Window.Exposure[h]
		se := math.Sqrt(s.rate[h] / exposure)
		z := (res.Total.Rate[h] - s.rate[h]) / se
		worst = max(worst, math.Abs(z))
		if math.Abs(z) > 4.5 {
			t.Errorf("%s: rate %.3f, want %.3f ± 4.5·%.3f (%d tickets over %.0f hours)", hourName(h), res.Total.Rate[h], s.rate[h], se, res.Total.Count[h], exposure)
		}
	}
	t.Logf("largest hourly deviation %.2f SE", worst)
	var mean float64
	for _, r := range s.rate {
		mean += r / HoursPerWeek
	}
	// Over the whole window: N is Poisson with mean rate·hours.
	hoursObs := res.Window.Hours()
	within(t, "tickets a day", res.Total.PerDay(), 24*mean, 24*math.Sqrt(mean/hoursObs), 4)
	for i, tier := range res.Tiers {
		want := s.tiers[i]
		if tier.Name != want.name {
			t.Fatalf("tier %d is %q, want %q", i, tier.Name, want.name)
		}
		n := float64(res.Total.Tickets)
		share := float64(tier.Arrivals.Tickets) / n
		within(t, tier.Name+" share", share, want.share, math.Sqrt(want.share*(1-want.share)/n), 4)
	}
}

func TestRecoversDistributions(t *testing.T) {
	s := &synth{start: monday(), weeks: 12, rate: weeklyRate(), tiers: threeTiers(), seed: 2}
	res, err := Fit(context.Background(), s.export(t), FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// P1 is lognormal(mean 4h, cv 1.5): mu = ln 4 − σ²/2, σ² = ln(1 + cv²).
	sigma2 := math.Log1p(1.5 * 1.5)
	ln := &res.Tiers[0].Handling.Fits[LogNormal]
	within(t, "P1 lognormal mu", ln.Params[0], math.Log(4)-sigma2/2, ln.SE[0], 4)
	within(t, "P1 lognormal sigma", ln.Params[1], math.Sqrt(sigma2), ln.SE[1], 4)
	if got := res.Tiers[0].Handling.Chosen().Family; got != LogNormal {
		t.Errorf("P1: chose %v, want lognormal", got)
	}
	// P2 is gamma(mean 10h, cv 0.7): shape 1/0.49.
	g := &res.Tiers[1].Handling.Fits[Gamma]
	within(t, "P2 gamma shape", g.Params[0], 1/0.49, g.SE[0], 4)
	within(t, "P2 gamma mean", g.Params[1], 10, g.SE[1], 4)
	if got := res.Tiers[1].Handling.Chosen().Family; got != Gamma {
		t.Errorf("P2: chose %v, want gamma", got)
	}
	// P3 is exponential(mean 24h). Gamma and hyperexponential contain it,
	// so any of the three may come closest; the exponential fit must be
	// right and the chosen one close.
	e := &res.Tiers[2].Handling.Fits[Exponential]
	within(t, "P3 exponential mean", e.Params[0], 24, e.SE[0], 4)
	g3 := &res.Tiers[2].Handling.Fits[Gamma]
	within(t, "P3 gamma shape", g3.Params[0], 1, g3.SE[0], 4)
	for _, tier := range res.Tiers {
		c := tier.Handling.Chosen()
		// The KS distance of a right fit is of order 1/√n.
		if limit := 1.63 / math.Sqrt(float64(len(tier.Handling.Hours))); c.KS > limit {
			t.Errorf("%s: KS %.4f of the chosen %v, beyond the 1%% critical value %.4f", tier.Name, c.KS, c.Family, limit)
		}
	}
}

func TestRecoversHyperExponential(t *testing.T) {
	probs := []float64{0.3, 0.5, 0.2}
	means := []time.Duration{20 * time.Minute, 10 * time.Hour, 200 * time.Hour}
	tiers := []synthTier{{"all", 1, sim.HyperExponential{Probs: probs, Means: means}}}
	s := &synth{start: monday(), weeks: 12, rate: weeklyRate(), tiers: tiers, seed: 3}
	res, err := Fit(context.Background(), s.export(t), FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := &res.Tiers[0].Handling.Fits[HyperExponential]
	for j := range probs {
		within(t, fmt.Sprintf("phase %d probability", j), c.Params[j], probs[j], c.SE[j], 4)
		within(t, fmt.Sprintf("phase %d mean", j), c.Params[3+j], means[j].Hours(), c.SE[3+j], 4)
	}
	if got := res.Tiers[0].Handling.Chosen().Family; got != HyperExponential {
		t.Errorf("chose %v, want hyperexponential", got)
	}
}

// fitSynthArrivals fits the arrivals of a synthetic export directly,
// without writing it: the day-to-day statistics need many weeks, and the
// CSV path is tested above.
func fitSynthArrivals(s *synth) Arrivals {
	start, end := s.start, s.start.AddDate(0, 0, 7*s.weeks)
	w := newWindow(start, end, nil)
	tl := newTimeline(start, end)
	tl.indexDays(&w)
	c := newArrivalCount(&w)
	for _, tk := range s.generate() {
		c.add(tl, tl.hour(tk.opened.UnixNano()))
	}
	return c.fit(&w)
}

func TestDispersionAndTrend(t *testing.T) {
	tiers := []synthTier{{"all", 1, sim.Deterministic{Value: time.Hour}}}
	t.Run("poisson", func(t *testing.T) {
		a := fitSynthArrivals(&synth{start: monday(), weeks: 26, rate: weeklyRate(), tiers: tiers, seed: 4})
		d := &a.Dispersion
		if d.Overdispersed() {
			t.Errorf("Poisson counts found overdispersed: index %.3f, p %.3g", d.Index, d.P)
		}
		within(t, "daily cv²", d.C2, 0, d.C2SE, 4)
		within(t, "trend", a.Trend.Slope, 0, a.Trend.SE, 4)
	})
	t.Run("overdispersed", func(t *testing.T) {
		a := fitSynthArrivals(&synth{start: monday(), weeks: 26, rate: weeklyRate(), tiers: tiers, dailyCV: 0.3, seed: 5})
		d := &a.Dispersion
		if !d.Overdispersed() {
			t.Errorf("counts with daily cv 0.3 not found overdispersed: index %.3f, p %.3g", d.Index, d.P)
		}
		within(t, "daily cv", d.CV, 0.3, d.CVSE, 4)
	})
	t.Run("growth", func(t *testing.T) {
		// 2% more a week: the daily volume (57 a day on average) grows by
		// 57 × 0.02 / 7 a day.
		s := &synth{start: monday(), weeks: 26, rate: weeklyRate(), tiers: tiers, growth: 0.02, seed: 6}
		a := fitSynthArrivals(s)
		var mean float64
		for _, r := range s.rate {
			mean += r / HoursPerWeek * 24
		}
		within(t, "trend (tickets a day per day)", a.Trend.Slope, mean*0.02/7, a.Trend.SE, 4)
	})
}
