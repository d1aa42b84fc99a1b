package queueing

import (
	"fmt"
	"math"
)

// MMcPriorityWaits returns the mean wait before service of each class of an
// M/M/c queue with non-preemptive priority: classes arrive as Poisson
// processes at arrivalRates[k] (index 0 is served first, first come first
// served within a class), every class has exponential service at
// serviceRate, and a free server always takes the oldest job of the highest
// non-empty class. This is Cobham's formula
//
//	E[W_k] = (C(c, a)/(cμ)) / ((1 - σ_{k-1})(1 - σ_k)),
//
// exact for equal service rates (the formula does not hold when classes
// have different service rates). A class whose cumulative load σ_k reaches
// 1 gets +Inf (C is then taken as 1: all servers are busy for good).
// It returns ErrInvalid for servers < 1, no classes, a negative or
// non-finite rate, or a service rate that is not positive.
func MMcPriorityWaits(servers int, arrivalRates []float64, serviceRate float64) ([]float64, error) {
	q := MMc{Servers: servers, ServiceRate: serviceRate}
	if len(arrivalRates) == 0 {
		return nil, fmt.Errorf("%w: no classes", ErrInvalid)
	}
	for k, l := range arrivalRates {
		if !finiteNonNeg(l) {
			return nil, fmt.Errorf("%w: arrival rate %d is %v", ErrInvalid, k, l)
		}
		q.ArrivalRate += l
	}
	if !q.valid() {
		return nil, fmt.Errorf("%w: %d servers, service rate %v", ErrInvalid, servers, serviceRate)
	}
	capacity := float64(servers) * serviceRate
	w0 := q.ProbWait() / capacity
	return priorityWaits(arrivalRates, capacity, w0), nil
}

// priorityWaits applies w0/((1-σ_{k-1})(1-σ_k)) with ρ_k = rates[k]/capacity.
func priorityWaits(rates []float64, capacity, w0 float64) []float64 {
	w := make([]float64, len(rates))
	var prev float64
	for k, l := range rates {
		sigma := prev + l/capacity
		if sigma >= 1 {
			w[k] = math.Inf(1)
		} else {
			w[k] = w0 / ((1 - prev) * (1 - sigma))
		}
		prev = sigma
	}
	return w
}

// Class is one priority class of a single-server queue: Poisson arrivals at
// Rate, and service times with the given Mean and coefficient of variation
// CV (standard deviation over mean: 1 for exponential, 0 for deterministic).
type Class struct {
	Rate, Mean, CV float64
}

// secondMoment is E[S²] = E[S]²(1 + cv²).
func (c Class) secondMoment() float64 { return c.Mean * c.Mean * (1 + c.CV*c.CV) }

func checkClasses(classes []Class) error {
	if len(classes) == 0 {
		return fmt.Errorf("%w: no classes", ErrInvalid)
	}
	for k, c := range classes {
		if !finiteNonNeg(c.Rate) || !(c.Mean > 0) || math.IsInf(c.Mean, 1) || !finiteNonNeg(c.CV) {
			return fmt.Errorf("%w: class %d is %+v", ErrInvalid, k, c)
		}
	}
	return nil
}

// MG1PriorityWaits returns the mean wait before service of each class of an
// M/G/1 queue with non-preemptive priority (index 0 served first, first come
// first served within a class): Cobham's E[W_k] = W0/((1-σ_{k-1})(1-σ_k))
// with W0 = Σ λ_i E[S_i²]/2 over all classes. Classes with σ_k >= 1 get
// +Inf; invalid classes give ErrInvalid.
func MG1PriorityWaits(classes []Class) ([]float64, error) {
	if err := checkClasses(classes); err != nil {
		return nil, err
	}
	rates := make([]float64, len(classes))
	var w0 float64
	for k, c := range classes {
		// Express each class's load against a unit capacity: ρ_k = λ_k E[S_k].
		rates[k] = c.Rate * c.Mean
		w0 += c.Rate * c.secondMoment() / 2
	}
	return priorityWaits(rates, 1, w0), nil
}

// MG1PreemptiveSojourns returns the mean time in system (wait plus service,
// including interruptions) of each class of an M/G/1 queue with
// preemptive-resume priority (index 0 highest; an arrival interrupts the
// service of any lower class, which later resumes where it stopped):
//
//	E[T_k] = E[S_k]/(1-σ_{k-1}) + (Σ_{i<=k} λ_i E[S_i²]/2) / ((1-σ_{k-1})(1-σ_k)).
//
// For exponential service at one rate μ the numerator of the second term is
// Σ_{i<=k} λ_i/μ². Classes with σ_k >= 1 get +Inf; invalid classes give
// ErrInvalid.
func MG1PreemptiveSojourns(classes []Class) ([]float64, error) {
	t, err := MG1PreemptiveWaits(classes)
	if err != nil {
		return nil, err
	}
	// E[T_k] = E[W_k] + E[S_k]/(1-σ_{k-1}); an unstable class stays +Inf.
	var prev float64
	for k, c := range classes {
		t[k] += c.Mean / (1 - prev)
		prev += c.Rate * c.Mean
	}
	return t, nil
}

// MG1PreemptiveWaits returns, for the same M/G/1 preemptive-resume queue
// as MG1PreemptiveSojourns, each class's mean wait before its service first
// starts (the SLA response clock; later interruptions do not count):
//
//	E[W_k] = R_k / ((1-σ_{k-1})(1-σ_k)),  R_k = Σ_{i<=k} λ_i E[S_i²]/2.
//
// The work of classes 1..k found on arrival (mean R_k/(1-σ_k), by
// Pollaczek–Khinchine for those classes alone) must be done first, stretched
// by the higher-priority work arriving meanwhile (1/(1-σ_{k-1})). So
// E[T_k] = E[W_k] + E[S_k]/(1-σ_{k-1}). Classes with σ_k >= 1 get +Inf;
// invalid classes give ErrInvalid.
func MG1PreemptiveWaits(classes []Class) ([]float64, error) {
	if err := checkClasses(classes); err != nil {
		return nil, err
	}
	w := make([]float64, len(classes))
	var prev, r float64
	for k, c := range classes {
		sigma := prev + c.Rate*c.Mean
		r += c.Rate * c.secondMoment() / 2
		if sigma >= 1 {
			w[k] = math.Inf(1)
		} else {
			w[k] = r / ((1 - prev) * (1 - sigma))
		}
		prev = sigma
	}
	return w, nil
}

// MG1MeanWait is the Pollaczek–Khinchine mean wait before service in the
// M/G/1 FCFS queue with Poisson arrivals at arrivalRate and service times of
// the given mean and coefficient of variation: λE[S²]/(2(1-ρ)), ρ = λE[S].
// It is +Inf when ρ >= 1 and NaN for invalid parameters.
func MG1MeanWait(arrivalRate, meanService, cv float64) float64 {
	c := Class{Rate: arrivalRate, Mean: meanService, CV: cv}
	if checkClasses([]Class{c}) != nil {
		return math.NaN()
	}
	rho := arrivalRate * meanService
	if rho >= 1 {
		return math.Inf(1)
	}
	return arrivalRate * c.secondMoment() / (2 * (1 - rho))
}
