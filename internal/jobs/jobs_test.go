package jobs_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/relais/relais/internal/jobs"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

func TestPeriodicRunsOnStart(t *testing.T) {
	t.Parallel()
	open := map[string]func(t *testing.T, p []jobs.Periodic) jobs.Runner{
		"sqlite": func(t *testing.T, p []jobs.Periodic) jobs.Runner {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "jobs.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
			require.NoError(t, err)
			db.SetMaxOpenConns(1)
			t.Cleanup(func() { db.Close() })
			r, err := jobs.NewSQLite(context.Background(), db, p, nil)
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
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "j.db"))
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	defer db.Close()
	_, err = jobs.NewSQLite(context.Background(), db, []jobs.Periodic{{Every: time.Minute}}, nil)
	require.ErrorContains(t, err, "needs a name")
}
