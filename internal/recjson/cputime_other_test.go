//go:build !unix

package recjson_test

import "time"

// cpuTime is not measured here: the benchmarks report the time on the
// clock only.
func cpuTime() (time.Duration, bool) { return 0, false }
