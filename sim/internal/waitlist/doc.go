// Package waitlist keeps the waiting lines of a server pool: first-come
// lists of small non-negative integers (the engine's ticket indexes), each
// item in at most one line at a time, with constant-time push at either
// end, pop at the front and removal from anywhere in a line (for a customer
// who hangs up, or a ticket that moves to another line).
//
// Items are linked through an array indexed by item, so a line holds
// nothing but its two ends: lines never grow or copy, and the array grows
// only with the number of items, to the model's size.
package waitlist
