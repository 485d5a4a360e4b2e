package analytics_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
	"github.com/relais/relais/internal/store/storetest"
)

// TestBenchLoads runs the dashboard benchmark small on both databases: the
// bulk load's SQL is valid, every publication has its four snapshots and
// the dashboards read them.
func TestBenchLoads(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			st := storetest.Open(t, d)
			var db *sql.DB
			switch s := st.(type) {
			case *sqlite.Store:
				db = s.W
			case *postgres.Store:
				db = s.W
			}
			res, err := analytics.Bench(context.Background(), analytics.BenchOptions{Store: st, DB: db, Dialect: d, Snapshots: 4000,
				Workspaces: 3, Channels: 2, Days: 60, Iterations: 5})
			require.NoError(t, err)
			require.Equal(t, 1000, res.Publications)
			require.Equal(t, 3*2*60, res.ChannelDays)
			var n int
			require.NoError(t, db.QueryRow("SELECT count(*) FROM metric_snapshots").Scan(&n))
			require.Equal(t, 4000, n)
			require.Greater(t, res.PostsPerDashboard, 10.0, "a 28-day dashboard of 60 days of 1,000 posts in 3 workspaces")
			require.Positive(t, res.DashboardP95MS)
		})
	}
}
