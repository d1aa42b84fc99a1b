// Package queueing holds the closed-form results of queueing and
// reliability theory that slasim uses to validate its simulation engine
// and to seed staffing estimates before a scenario is simulated.
//
// All rates and times are plain float64 values in one consistent unit of
// time chosen by the caller (slasim uses hours: arrivals per hour, services
// per hour, waits in hours). Loads are in Erlangs: arrival rate times mean
// service time.
//
// Conventions for inputs outside a formula's domain:
//
//   - Invalid parameters (a negative or non-finite rate or load, fewer than
//     one server, a negative coefficient of variation) give NaN from the
//     scalar functions and methods, as the math package does for its domain
//     errors, and an error from those returning one value per priority
//     class; the queue types' Validate methods say what is wrong.
//   - An unstable queue (offered load at or above capacity) is not an
//     error: the functions return the limit the quantity tends to as the
//     load approaches capacity, so that searches over staffing levels stay
//     monotone. The probability of waiting is then 1, the probability of
//     waiting at most t is 0, and mean waits are +Inf. In a priority queue
//     only the classes whose cumulative load σ_k (the load of classes 1..k)
//     reaches capacity are unstable; they get +Inf while higher-priority
//     classes keep their finite values.
//
// The formulas, with a = λ/μ the offered load, c the number of servers,
// ρ = a/c, and for priority classes k = 1..K (1 served first) σ_k the sum of
// the class loads ρ_i over i <= k (σ_0 = 0), ρ_i = λ_i/(cμ) for M/M/c and
// ρ_i = λ_i E[S_i] for M/G/1:
//
//   - Erlang B, the blocking probability of M/M/c/c, by the recursion
//     B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)), which involves no
//     factorials and no cancellation and is stable for any c.
//   - Erlang C, the probability that an arrival to M/M/c must wait:
//     C = B / (1 - ρ(1 - B)) with B = B(c, a).
//   - M/M/c FCFS waiting time: P(W <= t) = 1 - C·exp(-(cμ - λ)t) and
//     E[W] = C / (cμ - λ).
//   - M/M/c non-preemptive priority with one service rate for all classes
//     (Cobham 1954): E[W_k] = (C/(cμ)) / ((1 - σ_{k-1})(1 - σ_k)).
//   - M/G/1 non-preemptive priority (Cobham): E[W_k] = W0 / ((1 -
//     σ_{k-1})(1 - σ_k)) with W0 = Σ_i λ_i E[S_i²] / 2, the mean residual
//     work in service seen by an arrival.
//   - M/G/1 preemptive-resume priority: the mean time in system of class k
//     is E[T_k] = E[S_k]/(1 - σ_{k-1}) + R_k / ((1 - σ_{k-1})(1 - σ_k)) with
//     R_k = Σ_{i<=k} λ_i E[S_i²] / 2. A class-k job sees only classes 1..k:
//     it waits for their work present at its arrival (mean R_k/(1 - σ_k),
//     Pollaczek–Khinchine for the sub-system of classes 1..k) plus its own
//     service, stretched by the higher-priority work arriving meanwhile (a
//     delay busy period, the factor 1/(1 - σ_{k-1})). For exponential
//     service with one rate μ, λ_i E[S_i²]/2 = λ_i/μ². The wait before the
//     first start of service is the second term alone. See Kleinrock,
//     Queueing Systems vol. 2 (1976), ch. 3 (priority queueing); the form
//     here matches S. K. Bose's lecture notes on priority queues (2002),
//     eqs. 4.49–4.51, and the tests check it against the conservation law
//     of M/M/1 and against simulation.
//   - Pollaczek–Khinchine, the M/G/1 FCFS mean wait:
//     E[W] = λE[S²] / (2(1 - ρ)), with E[S²] = E[S]²(1 + cv²).
//   - M/M/c/K, a finite system of K places (MMcK): blocking, waits and the
//     waiting-time distribution of admitted customers, stable at any load;
//     ServersForBlocking sizes an M/M/c/c loss system (Erlang B).
//   - Erlang A, M/M/c+M with exponential patience (MMcM): Palm's model as
//     Mandelbaum and Zeltyn give it, from the regularised incomplete gamma
//     function; stable at any load.
//   - A call-centre calculator (CallCentre) on Erlang C and Erlang A: from
//     calls per interval, handling time, answer target, patience,
//     shrinkage and an occupancy cap, the service level, ASA, P(wait),
//     occupancy and abandonment of a number of agents, and the agents
//     required. Chat with N conversations per agent, each as long as it
//     would be alone, is M/M/(cN): Erlang C with c·N servers.
//   - Availability of a service that fails and is repaired (FailureRepair):
//     MTBF/(MTBF + MTTR) for any distributions; with exponential times the
//     exact mean and variance of the downtime in a period, from up or from
//     the long-run state, and its whole distribution by uniformization
//     (the chance a period meets an availability level); Takács's
//     asymptotic variance for any distributions.
//
// The Erlang A formulas are sums of Poisson probabilities with a real
// argument; they are evaluated in log space with Loader's saddle-point form
// of the Poisson probability and summed from the largest term outwards, so
// that no factorial is formed and nothing overflows or cancels, however
// many servers.
package queueing
