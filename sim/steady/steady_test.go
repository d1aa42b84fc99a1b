package steady

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestTruncationStep(t *testing.T) {
	// Without noise, MSER drops exactly the observations before the step.
	x := make([]float64, 200)
	for i := 30; i < len(x); i++ {
		x[i] = 1
	}
	if d, ok := Truncation(x, 5); d != 30 || !ok {
		t.Errorf("step at 30: drop %d, ok %v", d, ok)
	}
	if d, ok := Truncation(x, 1); d != 30 || !ok {
		t.Errorf("step at 30, batches of 1: drop %d, ok %v", d, ok)
	}
}

// ar1 is y_t = φ y_{t−1} + ε_t from y_0 = start: a stationary process
// with mean 0 after a transient that decays as φ^t.
func ar1(rng *rand.Rand, n int, phi, start float64) []float64 {
	x := make([]float64, n)
	y := start
	for i := range x {
		y = phi*y + rng.NormFloat64()
		x[i] = y
	}
	return x
}

func TestTruncationTransient(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	// φ = 0.98: the start of −100 decays below the noise (sd 5) after
	// about log(100/5)/0.02 ≈ 150 steps.
	var drops []int
	for range 50 {
		d, ok := Truncation(ar1(rng, 4000, 0.98, -100), 5)
		if !ok {
			t.Fatalf("a 4000-step series with a 150-step transient was found too short")
		}
		drops = append(drops, d)
		if d < 60 || d > 1000 {
			t.Errorf("drop %d: the transient lasts about 150 steps", d)
		}
	}
	t.Logf("drops: %v", drops)
	// Stationary from the start: little or nothing dropped.
	for range 50 {
		d, ok := Truncation(ar1(rng, 4000, 0.5, 0), 5)
		if !ok || d > 1000 {
			t.Errorf("stationary series: drop %d, ok %v", d, ok)
		}
	}
}

func TestTruncationTooShort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	// Still rising at the end: the minimum is at the end of the first half.
	x := make([]float64, 500)
	for i := range x {
		x[i] = float64(i) + rng.NormFloat64()
	}
	if _, ok := Truncation(x, 5); ok {
		t.Error("a rising series was given a steady state")
	}
	if _, ok := Truncation(make([]float64, 49), 5); ok {
		t.Error("9 batches were enough")
	}
	if d, ok := Truncation(make([]float64, 50), 5); d != 0 || !ok {
		t.Errorf("a constant series: drop %d, ok %v", d, ok)
	}
}

func TestTrend(t *testing.T) {
	slope, se := Trend([]float64{1, 3, 5, 7})
	if slope != 2 || se != 0 {
		t.Errorf("exact line: slope %v ± %v", slope, se)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var beyond int
	for range 1000 {
		y := make([]float64, 12)
		for i := range y {
			y[i] = 50 + 0.5*float64(i) + 3*rng.NormFloat64()
		}
		slope, se := Trend(y)
		// The slope's t statistic has 10 degrees of freedom; |t| > 2.228
		// one time in 20.
		if math.Abs(slope-0.5) > 2.228*se {
			beyond++
		}
	}
	if beyond < 30 || beyond > 72 {
		t.Errorf("the slope's interval missed %d times in 1000, expected about 50", beyond)
	}
	if _, se := Trend([]float64{1, 2}); !math.IsNaN(se) {
		t.Errorf("two points: se %v", se)
	}
}
