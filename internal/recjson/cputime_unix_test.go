//go:build unix

package recjson_test

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used, on all its
// threads: the garbage collector's work included. On a machine shared
// with other work it varies far less than the time on the clock.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
