package fit

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/slasim/slasim/sim"
)

// A clockTier is n tickets of a tier, with times from draw.
type clockTier struct {
	name string
	n    int
	draw func(*rand.Rand) time.Duration
}

// clockExport writes the tickets of the tiers as a generic export that
// writes times to the minute, as most do: each opened at a uniform time
// over four weeks, resolved the drawn time later, both truncated to the
// minute by their format. It reads the export back.
func clockExport(t *testing.T, seed uint64, tiers ...clockTier) *Export {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 8))
	var b bytes.Buffer
	b.WriteString("id,opened_at,priority,resolved_at\n")
	const layout = "2006-01-02 15:04"
	for _, tier := range tiers {
		for i := range tier.n {
			opened := monday().Add(time.Duration(r.Float64() * float64(4*sim.Week)))
			fmt.Fprintf(&b, "%s-%d,%s,%s,%s\n", tier.name, i, opened.Format(layout), tier.name, opened.Add(tier.draw(r)).Format(layout))
		}
	}
	ex, err := Read(context.Background(), &b, "clock.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Clock != time.Minute {
		t.Fatalf("clock %v, want a minute", ex.Clock)
	}
	return ex
}

// TestChoosesFamilyOfRecordedTimes fits exports whose times a minute
// clock records: equal times, a fixed time between two ticks (recorded
// as both), a fixed time under the minute (recorded as 0 or 1 minute),
// times that hardly vary, short lognormal times that fall on a
// few ticks, exponential times, and two distinct times. The family that
// made them must be chosen, its KS distance below the 1% critical value
// 1.63/√n (conservative for a distribution on ticks), and the written
// scenario must parse and run, its handling mean the fitted one.
func TestChoosesFamilyOfRecordedTimes(t *testing.T) {
	const n = 500
	critical := 1.63 / math.Sqrt(n)
	cases := []struct {
		name string
		draw func(*rand.Rand) time.Duration
		// want lists the families that may be chosen: a gamma or
		// hyperexponential holds the exponential. No family made two
		// distinct times: any may be chosen but a point mass, and none
		// fits.
		want []Family
		made bool
		// unfit are the families the sample cannot support.
		unfit []Family
		// mean is the time a deterministic fit must find, within four
		// standard errors.
		mean time.Duration
	}{
		{name: "all equal", draw: func(*rand.Rand) time.Duration { return 40 * time.Minute },
			want: []Family{Deterministic}, made: true, mean: 40 * time.Minute, unfit: []Family{LogNormal, Gamma}},
		{name: "two neighbouring ticks", draw: func(*rand.Rand) time.Duration { return 40*time.Minute + 20*time.Second },
			want: []Family{Deterministic}, made: true, mean: 40*time.Minute + 20*time.Second},
		{name: "seconds, mostly recorded as 0", draw: func(*rand.Rand) time.Duration { return 10 * time.Second },
			want: []Family{Deterministic}, made: true, mean: 10 * time.Second},
		{name: "hardly varying", draw: func(r *rand.Rand) time.Duration {
			return 40*time.Minute + time.Duration(r.NormFloat64()*float64(5*time.Second))
		}, want: []Family{Deterministic}, made: true, mean: 40 * time.Minute},
		{name: "short lognormal on a few ticks", draw: func(r *rand.Rand) time.Duration {
			return sim.NewLogNormal(8*time.Minute, 0.4).Sample(r)
		}, want: []Family{LogNormal}, made: true},
		{name: "exponential", draw: func(r *rand.Rand) time.Duration {
			return sim.Exponential{Mu: 2 * time.Hour}.Sample(r)
		}, want: []Family{Exponential, Gamma, HyperExponential}, made: true},
		{name: "two distinct times", draw: func(r *rand.Rand) time.Duration {
			if r.IntN(2) == 0 {
				return 30 * time.Minute
			}
			return 4 * time.Hour
		}, want: []Family{Exponential, LogNormal, Gamma, HyperExponential}},
		// 100 minutes is 99.99999999999999 ticks of a minute in hours.
		{name: "all equal, off the ticks in floating point", draw: func(*rand.Rand) time.Duration { return 100 * time.Minute },
			want: []Family{Deterministic}, made: true, mean: 100 * time.Minute, unfit: []Family{LogNormal, Gamma}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Fit(context.Background(), clockExport(t, uint64(i+1), clockTier{"P1", n, tc.draw}), FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			d := res.Tiers[0].Handling
			for _, c := range d.Fits {
				if c.OK {
					t.Logf("%-16s KS %.4f  %s", c.Family, c.KS, c.Describe())
				}
			}
			c := d.Chosen()
			if !slices.Contains(tc.want, c.Family) {
				t.Errorf("chose %v, want one of %v", c.Family, tc.want)
			}
			if tc.made && c.KS > critical {
				t.Errorf("KS %.4f of the chosen %v, beyond the 1%% critical value %.4f", c.KS, c.Family, critical)
			}
			if tc.mean > 0 {
				det := &d.Fits[Deterministic]
				within(t, "time", det.Params[0], tc.mean.Hours(), max(det.SE[0], 1e-12), 4)
				if det.KS > critical {
					t.Errorf("deterministic KS %.4f, beyond the 1%% critical value %.4f", det.KS, critical)
				}
			}
			for _, f := range tc.unfit {
				if d.Fits[f].OK {
					t.Errorf("%v fitted, cv %g", f, d.Fits[f].CV)
				}
			}
			text, sc, err := Scenario(res, "clock")
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(text, []byte("NaN")) {
				t.Errorf("the scenario writes NaN:\n%s", text)
			}
			// Written to the second, the minute from an hour up, and a
			// hyperexponential's probabilities to four decimals.
			if got, want := sc.Tiers[0].Handling.Mean().Hours(), c.Mean; math.Abs(got-want) > 1.0/60 {
				t.Errorf("scenario's handling mean %.5fh, fitted %.5fh", got, want)
			}
			m := sc.Model()
			m.Horizon = sim.Week
			run, err := sim.Run(context.Background(), m, sim.Options{Seed: 1, Replications: 2})
			if err != nil || run.Unstable != nil {
				t.Fatalf("the written scenario does not run: %v, %v", err, run.Unstable)
			}
			if r := run.Summary.Tiers[0].Resolution; r.Tickets == 0 {
				t.Error("the written scenario resolved no ticket")
			}
		})
	}
}

// TestGapIsTheDistanceOnTicks checks Gap against its definition: the
// largest difference, over every tick from 0 to past the sample's last,
// between the share of the sample at most there and the fitted
// probability of a time recorded at most there, the latter from the
// survival function integrated numerically over the tick.
func TestGapIsTheDistanceOnTicks(t *testing.T) {
	for i, draw := range []func(*rand.Rand) time.Duration{
		func(r *rand.Rand) time.Duration { return sim.NewLogNormal(5*time.Minute, 0.8).Sample(r) },
		func(r *rand.Rand) time.Duration { return sim.NewGamma(12*time.Minute, 0.5).Sample(r) },
		func(r *rand.Rand) time.Duration {
			return sim.HyperExponential{Probs: []float64{0.5, 0.5}, Means: []time.Duration{2 * time.Minute, 30 * time.Minute}}.Sample(r)
		},
		func(*rand.Rand) time.Duration { return 9*time.Minute + 40*time.Second },
	} {
		ex := clockExport(t, uint64(10+i), clockTier{"P1", 200, draw})
		res, err := Fit(context.Background(), ex, FitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d := res.Tiers[0].Handling
		r := d.Clock
		last := int(math.Round(d.Hours[len(d.Hours)-1] / r))
		for _, c := range d.Fits {
			if !c.OK {
				continue
			}
			S := c.Survival
			want := 0.0
			for k := 0; k <= last+1; k++ {
				// A point mass's survival steps inside the tick: split
				// the integral there.
				a, b := float64(k)*r, float64(k+1)*r
				in := quad.Fixed(S, a, b, 64, nil, 0)
				if m := c.Params[0]; c.Family == Deterministic && a < m && m < b {
					in = quad.Fixed(S, a, m, 64, nil, 0) + quad.Fixed(S, m, b, 64, nil, 0)
				}
				model := 1 - in/r
				recorded := 0
				for _, v := range d.Hours {
					if v < b-r/4 { // tick k or below; a zero counts as r/2
						recorded++
					}
				}
				want = max(want, math.Abs(float64(recorded)/float64(len(d.Hours))-model))
			}
			at, lo, hi := d.Gap(&c)
			if math.Abs(hi-lo-want) > 1e-9 || math.Abs(c.KS-want) > 1e-9 || !slices.Contains(d.Hours, at) {
				t.Errorf("sample %d, %v: gap %.6f-%.6f at %v, KS %.6f; want %.6f", i, c.Family, lo, hi, at, c.KS, want)
			}
		}
	}
}

// TestFewTimes fits exports with few resolution times. A shape is not
// chosen from fewer than MinFit times (five exponential times gave a
// lognormal of cv 6.7), a lone tier takes its own fit rather than
// "all tiers'", a small tier beside a large one the pooled fit, and an
// export without two usable times is an error saying where they went.
func TestFewTimes(t *testing.T) {
	wide := func(r *rand.Rand) time.Duration { return sim.NewLogNormal(3*time.Hour, 2).Sample(r) }
	for _, n := range []int{2, 5, 19, MinFit} {
		t.Run(fmt.Sprintf("one tier of %d", n), func(t *testing.T) {
			res, err := Fit(context.Background(), clockExport(t, uint64(n), clockTier{"P1", n, wide}), FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			tier := res.Tiers[0]
			if tier.HandlingPooled || res.Pooled != nil {
				t.Error("a lone tier uses a pooled fit")
			}
			for _, c := range tier.Handling.Fits {
				if shaped := len(c.Params) > 1; c.OK && shaped && n < MinFit || c.Unusable != "" && n >= MinFit {
					t.Errorf("%v usable %v from %d times (%s)", c.Family, c.OK, n, c.Unusable)
				}
			}
			if text, _, err := Scenario(res, "few"); err != nil || bytes.Contains(text, []byte("all tiers'")) {
				t.Errorf("%v\n%s", err, text)
			}
		})
	}
	for _, n := range []int{1, 2, 5} {
		t.Run(fmt.Sprintf("a tier of %d beside one of 300", n), func(t *testing.T) {
			res, err := Fit(context.Background(), clockExport(t, uint64(n), clockTier{"P1", n, wide}, clockTier{"P2", 300, wide}), FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if p1, p2 := res.Tiers[0], res.Tiers[1]; !p1.HandlingPooled || p2.HandlingPooled || len(res.Pooled.Hours) != n+300 {
				t.Errorf("pooled %v and %v, %d times pooled", p1.HandlingPooled, p2.HandlingPooled, len(res.Pooled.Hours))
			}
		})
	}
	for _, tc := range []struct {
		name string
		tier clockTier
		want string
	}{
		{"one ticket", clockTier{"P1", 1, wide}, "clock.csv: 1 of 1 ticket has a resolution time to fit; a fit needs at least 2"},
		{"resolved before opened", clockTier{"P1", 300, func(*rand.Rand) time.Duration { return -time.Hour }},
			"clock.csv: 0 of 300 tickets have a resolution time to fit; a fit needs at least 2; 300 resolved before they opened, or more than ten years after (is the mapping right?)"},
		{"one resolved before opened", clockTier{"P1", 1, func(*rand.Rand) time.Duration { return -time.Hour }},
			"clock.csv: 0 of 1 ticket has a resolution time to fit; a fit needs at least 2; 1 resolved before it opened, or more than ten years after (is the mapping right?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Fit(context.Background(), clockExport(t, 1, tc.tier), FitOptions{}); err == nil || err.Error() != tc.want {
				t.Errorf("error %v\nwant %s", err, tc.want)
			}
		})
	}
}
