// Package sizing finds the cheapest head count per shift that meets a
// requirement on attainment with confidence. Size starts from Erlang C hour
// by hour (Problem.Analytic) and searches by simulation with common random
// numbers and sequential stopping; an Assessor (ContractAssessor) adds a
// contract's expected credits to the cost and its periods' levels to the
// checks. See docs/sizing.md for the method and its guarantees.
package sizing
