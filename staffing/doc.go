// Package staffing describes who works when: business calendars (weekly
// working hours in a time zone, with holidays) and teams' shifts, given by
// weekday and time of day or per 15- or 30-minute interval. It turns these
// wall-clock definitions into the engine's timelines over simulation time,
// so daylight-saving changes and holidays fall where they do on a real
// calendar.
//
// It also sizes staffing: Size finds the cheapest head count per shift that
// meets a requirement on attainment with confidence, starting from Erlang C
// hour by hour (Problem.Analytic) and searching by simulation with common
// random numbers; an Assessor adds a contract's credits and checks. See
// docs/sizing.md for the method and its guarantees.
package staffing

// The time-zone database is embedded so that scenario time zones resolve
// the same way on every machine.
import _ "time/tzdata"
