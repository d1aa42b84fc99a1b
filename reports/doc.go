// Package reports renders what every slasim command prints or writes:
// the report of a run (Report), of a sweep (Sweep), of a sizing (Sizing)
// and of a fit with its back-test (Fit), as plain text, as JSON documents
// that all open with the same Envelope (schema, slasim version, scenario,
// file, seed), as CSV for spreadsheets, as a self-contained HTML page, and
// as plots (Figure, PNG or SVG).
//
// It reads result types only (package sim's results, sim/contract's,
// staffing/sizing's, scenarios/fit's, and sweep axes), never a scenario
// file. Numbers are written by package reports/format, the same way in
// every output; package reports/output writes files so that none is left
// half-written.
package reports
