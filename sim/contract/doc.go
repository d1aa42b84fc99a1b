// Package contract turns simulated breaches into money and contract risk:
// the service credits and costs a commitment letter's rules charge per
// reporting period, the chance that a period meets its contractual
// attainment levels, the chance that the client gains the right to
// terminate, and whether a continuity fund covers a year's credits.
//
// A Contract is laid over the reporting periods of a run's measured window
// (CalendarPeriods: calendar months or quarters in the scenario's time
// zone) to make a Plan, whose collectors (sim.Options.Collector =
// Plan.NewCollector) see every measured ticket. Only full periods inside
// the measured window count; a ticket belongs to the period it arrives in,
// and it is judged when both its clocks have stopped, even after the
// window (tickets still open when the simulation stops count as breached).
//
// # Money
//
// A period's revenue R is the monthly fee times the period's months plus
// the per-ticket fee times the tickets arriving in it. "The fee" of a
// ticket, f, is the per-ticket fee when the contract has one, else the
// period's fixed fee divided by the number of tickets that arrived in the
// period (the price of a ticket, as invoiced that period). The fee rate is
// R divided by the period's length in hours. A ticket breaches a clock
// when the clock's time exceeds its target; Either reads both clocks (a
// breach of either, the larger lateness and clock time).
//
// # Rules
//
// Each credit rule is a type of its own, in a file of its own, that
// implements Credit: it checks itself, says what each ticket adds to its
// tier's sum for the period, turns that sum into money when the period
// ends, and describes its terms. A Contract lists the rules it has
// (Contract.Credits); the escalation ladder, the cap and the reserve are
// the contract's own.
//
// Per-breach: each ticket of tier i breached on the rule's clock is
// credited Credit[i] × f.
//
// Lateness: a ticket of tier i late by d > 0 on the rule's clock is
// credited min(⌈d / Step⌉ × Credit[i], Cap[i]) × f (no minimum when Cap[i]
// is 0): 5% per started 30 minutes, for instance.
//
// Outage: each ticket of tier i is credited hours × (R / period hours) ×
// c, where hours is the clock's time beyond the target (or its whole time
// with Whole) and c is drawn uniformly from Coefficient[i] for each ticket,
// from the collector's own random stream (sim.StreamCollector).
// With Outages, each outage of a service counting as tier i that begins
// in the period is credited its downtime outside planned maintenance, in
// hours, × (R / period hours) × c, c drawn for each outage from a stream
// of the service's own (sim.StreamCollector, 1 + the service's index),
// so that staffing changes neither the outages nor their price.
//
// Attainment: for each tier i and clock with a level L whose attainment a
// in the period (tickets meeting the target / tickets) is below L, the
// period is credited Credit[i] × R, or with a Step, ⌈(L − a) / Step⌉ ×
// Credit[i] × R; either capped at Max[i] × R when Max[i] > 0. A period
// without tickets of a tier has no attainment for it: it is neither met
// nor missed.
//
// Escalation: a ladder of steps; the n-th breach takes step n (breaches
// beyond the ladder take its last step again): its action's Cost, a Credit
// of the period's revenue, and a termination right. A breach is, as
// configured, a period in which any counted tier misses any level, each
// counted tier and clock missing its level, or each breached ticket of the
// counted tiers. The count starts afresh each period or each contract
// term. A termination right arising in the first term is what the
// probability of termination counts.
//
// Cap: when a period's credits (all rules', the ladder's credits included,
// its costs not) exceed Cap × R, they are scaled down to it, every rule
// and tier alike.
//
// Reserve: a continuity fund of Reserve × the year's revenue, compared
// with the year's cost (credits after the cap plus ladder costs) for each
// whole contract year (12 months or 4 quarters from the first full
// period) in the measured window.
//
// # Statistics
//
// The cost of a period is its credits after the cap plus the ladder's
// costs. Its mean comes with a Student t interval over replications (each
// contributing the mean of its periods), its quantiles from the
// distribution of every period's cost: exact to the cent up to 4,096
// distinct amounts (a few hundred replications of a year), within 0.05%
// beyond, so that memory stays bounded. Probabilities (a period meeting a level,
// termination, a year over the fund) are proportions with Wilson score
// intervals: periods and years of one replication are taken as
// independent, which holds well when queues clear within a day or two, far
// shorter than a month. Results merge exactly and in any order, so they
// do not depend on the number of workers.
package contract
