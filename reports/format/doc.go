// Package format writes numbers for people, the one way every slasim
// command and report writes them: shares as percentages, intervals, money,
// durations, and a dash for a value that is not known.
package format
