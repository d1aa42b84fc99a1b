//go:build unix

package sim

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system, or 0
// where it cannot be read: on a shared machine it counts the work done,
// whatever else runs.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
