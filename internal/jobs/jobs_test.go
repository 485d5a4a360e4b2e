package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/relais/relais/internal/jobs"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

func TestPeriodicRunsOnStart(t *testing.T) {
	t.Parallel()
	open := map[string]func(t *testing.T, p []jobs.Periodic) jobs.Runner{
		"sqlite": func(t *testing.T, p []jobs.Periodic) jobs.Runner {
			r, err := jobs.NewLocal(p, nil)
			require.NoError(t, err)
			return r
		},
		"postgres": func(t *testing.T, p []jobs.Periodic) jobs.Runner {
			url := storetest.NewPostgresDatabase(t)
			pool, err := pgxpool.New(context.Background(), url)
			require.NoError(t, err)
			t.Cleanup(pool.Close)
			r, err := jobs.NewPostgres(context.Background(), pool, p, nil)
			require.NoError(t, err)
			return r
		},
	}
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			r := open[d](t, []jobs.Periodic{{Name: "count", Every: time.Hour, Run: func(context.Context) error { n.Add(1); return nil }}})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			require.NoError(t, r.Start(ctx))
			require.Eventually(t, func() bool { return r.Ran("count") >= 1 }, 20*time.Second, 50*time.Millisecond)
			require.NoError(t, r.Stop(context.Background()))
			require.GreaterOrEqual(t, n.Load(), int32(1))
		})
	}
}

func TestPeriodicNeedsName(t *testing.T) {
	t.Parallel()
	_, err := jobs.NewLocal([]jobs.Periodic{{Every: time.Minute}}, nil)
	require.ErrorContains(t, err, "needs a name")
	run := func(context.Context) error { return nil }
	_, err = jobs.NewLocal([]jobs.Periodic{{Name: "a", Every: time.Minute, Run: run}, {Name: "a", Every: time.Hour, Run: run}}, nil)
	require.ErrorContains(t, err, "two periodic jobs")
}

func TestLocalRetriesAFailedRunAndStops(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	r, err := jobs.NewLocal([]jobs.Periodic{{Name: "flaky", Every: time.Hour, Run: func(context.Context) error {
		if calls.Add(1) == 1 {
			return errors.New("first run fails")
		}
		return nil
	}}, {Name: "slow", Every: time.Hour, Run: func(ctx context.Context) error {
		<-ctx.Done() // a run in progress sees the cancellation at Stop
		return ctx.Err()
	}}}, nil)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background()))
	require.Error(t, r.Start(context.Background()), "a second start")
	// The failed first run is retried after 1 s, not after the hour.
	require.Eventually(t, func() bool { return r.Ran("flaky") == 1 }, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, int32(2), calls.Load())
	require.NoError(t, r.Stop(context.Background()))
	require.Zero(t, r.Ran("slow"))
}
