// Package reports turns a simulation result into what people and scripts
// read: a plain-text table with a verdict per target, and a versioned JSON
// document. Files are written atomically, so an interrupted run never
// leaves a half-written report.
package reports
