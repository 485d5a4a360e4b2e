package publish

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// While more publications are due than workers are free, the engine raises
// the garbage collector's target (Config.BurstGCPercent): a burst allocates
// about 8 KB per call (most of it the HTTP client's) while its staged
// publications are live, and the collector's work grows with what is
// allocated divided by the target. At 400 instead of 100 a burst of 10,000
// runs one collection instead of four to eight and spends up to a tenth less
// CPU (docs/benchmarks.md). The raise is bounded by
// burstHeapBudget of extra heap, so a huge backlog does not multiply memory
// by five; the target returns to what it was when the backlog is sent. GOGC
// set in the environment is the operator's choice and is left alone.

// burstHeapBudget bounds the extra heap a raised target may allow.
const burstHeapBudget = 256 << 20

var burstGC struct {
	sync.Mutex
	engines int // engines in a burst (several may run in one process)
	prev    int // the target before the first of them raised it
	raised  int // how many times the target was raised (for tests)
}

// enterBurstGC raises the collector's target to at most percent for the
// caller's burst and reports whether the caller must call leaveBurstGC.
func enterBurstGC(percent int) bool {
	if percent <= 100 || os.Getenv("GOGC") != "" {
		return false
	}
	burstGC.Lock()
	defer burstGC.Unlock()
	if burstGC.engines == 0 {
		if live := liveHeap(); live > 0 {
			percent = min(percent, 100+int(burstHeapBudget*100/live))
		}
		prev := debug.SetGCPercent(percent)
		if prev < 0 || prev >= percent {
			debug.SetGCPercent(prev) // already higher, or off: keep it
			return false
		}
		burstGC.prev = prev
		burstGC.raised++
	}
	burstGC.engines++
	return true
}

// leaveBurstGC ends the caller's burst; the last one out restores the target.
func leaveBurstGC() {
	burstGC.Lock()
	defer burstGC.Unlock()
	burstGC.engines--
	if burstGC.engines == 0 {
		debug.SetGCPercent(burstGC.prev)
	}
}

// liveHeap is the heap the last collection found live, in bytes (0 when unknown).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
