//go:build !unix

package listen

import "time"

// cpuTime is unknown off Unix: the benchmark reports wall-clock figures only.
func cpuTime() time.Duration { return 0 }
