//go:build !unix

package sentiment

import "time"

// processCPU is unavailable here; benchmarks then report wall-clock figures only.
func processCPU() time.Duration { return 0 }
