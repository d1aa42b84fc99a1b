// Package scenarios reads scenario files: the YAML a capacity planner
// writes to describe ticket tiers and their SLA targets (around the clock
// or in business hours), the arrival volume and its weekly shape,
// handling times, escalation and the automated channel, who works when
// (a number of agents, or teams with shifts in their time zones), and how
// long and how often to simulate. A parsed Scenario converts to the
// engine's sim.Model, its local times made simulation times by package
// staffing, and to sim.Options.
//
// Parsing is strict, because a misspelled field silently falling back to
// its default would give a plausible but wrong answer. Every problem in a
// file is reported at once, each with its line and field path:
//
//	default.yaml:14: tiers[1].targets.response: must be > 0, got -5m
//
// Durations are written as planners say them (15m, 4h, 1h30m, 1d, 2w),
// volumes per period (150/day, 2/h), shares as numbers or percentages
// (0.05 or 5%). The reference of every field, with its default, is
// docs/scenarios.md; the examples built into the package (see Names)
// are complete files to copy.
//
// The package is where the parts meet: a Scenario runs itself with settings
// given besides the file, by flags or a form (Run, Prepare), changes a
// field as a file would (With, Set), poses its sizing problem
// (SizingProblem) and writes the sized head counts back (Sized). Package
// scenarios/sweep runs a scenario over a grid of settings, and
// scenarios/fit writes a scenario from a ticket export.
package scenarios
