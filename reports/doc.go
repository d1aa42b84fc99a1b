// Package reports turns a simulation result into what people and scripts
// read: a plain-text table with a verdict per target, and a versioned JSON
// document. Package reports/output writes them to files.
package reports
