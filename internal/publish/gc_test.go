package publish

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// gcPercent reads the collector's target.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The burst GC tests change a process-wide setting: they do not run in
// parallel (Go runs them before any parallel test of the package starts).

func TestBurstGC(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))

	// Two engines in one process: the target rises with the first and
	// returns with the last.
	require.True(t, enterBurstGC(400))
	require.Equal(t, 400, gcPercent())
	require.True(t, enterBurstGC(300))
	require.Equal(t, 400, gcPercent(), "the second engine keeps the raised target")
	leaveBurstGC()
	require.Equal(t, 400, gcPercent(), "one engine is still in its burst")
	leaveBurstGC()
	require.Equal(t, 100, gcPercent())

	for _, tc := range []struct {
		name    string
		current int
		percent int
		gogc    string
	}{
		{"not above 100", 100, 100, ""},
		{"switched off", 100, -1, ""},
		{"already higher", 800, 400, ""},
		{"collector off", -1, 400, ""},
		{"GOGC in the environment", 100, 400, "150"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			debug.SetGCPercent(tc.current)
			require.False(t, enterBurstGC(tc.percent))
			require.Equal(t, tc.current, gcPercent())
			debug.SetGCPercent(100)
		})
	}
}

func TestBurstGCBoundedByHeapBudget(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC() // the live heap is known after a collection
	live := liveHeap()
	require.Positive(t, live)
	require.True(t, enterBurstGC(1_000_000))
	defer leaveBurstGC()
	require.Equal(t, 100+int(burstHeapBudget*100/live), gcPercent(), "at most the budget's worth of extra heap")
}

// TestEngineRaisesGCInBurst: an engine with more due than workers raises the
// target while it sends them and gives it back; with BurstGCPercent -1 it
// leaves it alone.
func TestEngineRaisesGCInBurst(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		percent int
		raises  bool
	}{{0, true}, {-1, false}} {
		st := storetest.OpenSQLite(t)
		f := setup(t, st, kindIdem)
		ids := f.posts(t, 60, nil)
		e, stop := f.instance(t, st, "", func(c *Config) { c.Workers, c.BurstGCPercent = 2, tc.percent })
		before := burstGC.raised
		_, err := e.Schedule(context.Background(), f.ws.ID, ids, time.Now(), "UTC")
		require.NoError(t, err)
		f.settle(t, ids, store.PubPublished)
		stop()
		require.Equal(t, tc.raises, burstGC.raised > before, "percent %d", tc.percent)
		require.Zero(t, burstGC.engines)
		require.Equal(t, 100, gcPercent(), "the target is given back")
	}
}
