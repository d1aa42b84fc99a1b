// Package fit calibrates a scenario from a ticket export: the CSV an ITSM
// tool (ServiceNow, Jira Service Management, Zendesk) writes of last
// quarter's tickets.
//
// Read loads an export, plain or gzip-compressed, with one row per ticket or
// one row per update of a ticket (the last update wins), mapping its columns
// by a preset (Preset) or by name. Fit then estimates, for each tier
// (priority):
//
//   - the arrival rate in each of the 168 hours of the week, with the count
//     and exposure behind it;
//   - the trend of daily volume (least squares on the day of the week and
//     time) and the overdispersion of daily counts against Poisson, as an
//     index of dispersion and as the coefficient of variation of a gamma
//     day-to-day factor (the negative binomial's 1/size);
//   - resolution (and, where the export has them, response) time
//     distributions: exponential, lognormal, gamma, three-phase
//     hyperexponential and deterministic by maximum likelihood, each with
//     its standard errors and its Kolmogorov–Smirnov distance from the
//     data as the export's clock records times, the closest chosen;
//   - escalation and reopen rates from reassignment and reopen counts, and
//     the observed SLA attainment (made_sla), for comparison.
//
// Scenario writes the result as a scenario file that package scenarios
// parses, each number with a comment saying where it came from; package
// reports writes the same findings as a short text report. Two things
// cannot be read from a ticket export and are written as marked
// placeholders: staffing (agents) and the SLA targets.
//
// A ticket export records when a ticket was opened and resolved, not how
// long someone worked on it: the time in between includes queueing,
// waiting on the customer and nights. By default (HandlingResolution) those
// times are used as handling times, with enough agents that nothing
// queues, so that the scenario reproduces the observed resolution times; it
// is a baseline to edit, not a staffing model. RunBacktest checks a fit
// against held-out weeks of the same export by simulating it.
//
// The package is tested on the ServiceNow incident event log of Amaral,
// Fantinato, Reijers and Peres (2018), UCI Machine Learning Repository,
// doi:10.24432/C57S4H, licensed CC BY 4.0.
package fit
