//go:build !unix

package publish

import (
	"os"
	"time"
)

func processCPU() time.Duration { return 0 }

func childCPU(ps *os.ProcessState) time.Duration {
	if ps == nil {
		return 0
	}
	return ps.UserTime() + ps.SystemTime()
}
