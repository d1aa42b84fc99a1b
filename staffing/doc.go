// Package staffing describes who works when: business calendars (weekly
// working hours in a time zone, with holidays) and teams' shifts, given by
// weekday and time of day or per 15- or 30-minute interval. It turns these
// wall-clock definitions into the engine's timelines over simulation time,
// so daylight-saving changes and holidays fall where they do on a real
// calendar.
//
// Sizing the head counts of those shifts is package staffing/sizing.
package staffing

// The time-zone database is embedded so that scenario time zones resolve
// the same way on every machine.
import _ "time/tzdata"
