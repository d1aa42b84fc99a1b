// Package promise answers the question a vendor asks before signing: with
// the staffing as it is, which targets can be promised? For each tier and
// clock (response, resolution and the tier's named clocks) it finds the
// tightest target of a ladder (5m, 10m, … 1d) that a
// reporting period meets, at the clock's level, in at least a chosen share
// of periods with confidence, and what the contract's credits would cost
// per period if that target were promised.
//
// Everything comes from one simulation run. A Counter (a sim.Collector)
// sorts every measured ticket's clocks into the ladder's rungs by the
// period it arrived in; at the end of each replication each period's
// attainment at each rung is compared with the level. A period meets a
// rung when the share of its tickets within the rung's target reaches the
// level; a period without tickets of the tier neither meets nor misses. A
// rung can be promised when the lower end of the Wilson score interval of
// the share of periods meeting it, at the chosen confidence, reaches the
// chosen share. Periods are pooled over replications and treated as
// independent, as the contract package does for the chance that a period
// meets a level.
//
// A ticket still unresolved when the simulation stops misses every rung of
// its resolution clock; its response clock counts as the engine stopped
// it (at the end of the drain when nobody answered). A ticket that left
// unanswered (its caller hung up) misses every rung of its response
// clock whatever it waited, and one that left (unanswered or turned away
// by a full line) every rung of its resolution clock, as the contract
// counts them. A named clock judges only the tickets it timed (whose
// journey reached both its marks), as the contract does: a period in
// which it timed none neither meets nor misses; a ticket that left while
// it ran, or whose clock the simulation stopped, misses every rung.
// A tier's updates clock judges its updates (sim.Updates), which are not
// tickets: a Counter is also a sim.UpdateCollector, and counts each update
// of a ticket in the period the ticket arrived in, within a rung when done
// within its target of falling due; one still not done as the simulation
// stopped misses every rung. The contract judges tickets only: the
// updates' rungs have no cost.
//
// With a contract, each tier, clock and rung is the contract with that
// one target replaced by the rung: the expected cost of a period (credits
// after the cap, plus the escalation ladder's costs) if that target were
// promised, the others as written. A rung's collector sees only its
// tier's tickets and takes the other tiers' figures from one collector
// shared by all (see credits).
package promise
