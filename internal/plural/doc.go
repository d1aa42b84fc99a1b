// Package plural writes a figure for reading, without an exponent, and
// with its noun singular when the figure reads 1: "1 agent", "0.952
// agents", "2006 Erlangs". The engine's messages, the scenarios' warnings
// and the reports use it alike.
package plural
