// Package output writes the files slasim produces so that nothing is lost,
// half-written or clobbered.
//
// A regular file is replaced atomically: the new content fills a temporary
// file beside it, which is renamed over the old one only once complete,
// with the old file's permissions. A device or a named pipe (/dev/null, a
// FIFO a script reads from) is written to in place, never replaced. A
// symbolic link is followed and its target replaced, so the link stays.
//
// Temporary files are named after their target and the process writing
// them, .NAME.slasim-PID-RANDOM.tmp: the next write to the same target
// removes those left by a process that no longer runs (killed with
// SIGKILL, or by the machine's end), and Abandon removes the current
// process's own on a forced exit.
package output
