package publish

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestBench runs the publishing benchmark small, on every dialect, and checks
// its accounting (no timing is asserted). RELAIS_BENCH_POSTS runs it at another size.
func TestBench(t *testing.T) {
	t.Parallel()
	posts := 300
	if v := os.Getenv("RELAIS_BENCH_POSTS"); v != "" {
		posts, _ = strconv.Atoi(v)
	}
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			res, err := Bench(context.Background(), BenchOptions{DB: d, DatabaseURL: os.Getenv(storetest.PostgresURLEnv), Posts: posts,
				Channels: 20, FakeNetworkCommand: testFakeNetworkCommand, Concurrency: benchConcurrency()})
			require.NoError(t, err)
			t.Logf("%+v", res)
			require.Equal(t, d, res.DB)
			require.Equal(t, posts, res.Posts)
			require.Equal(t, posts, res.Published)
			require.Zero(t, res.Duplicates)
			require.Zero(t, res.Lost)
			require.Positive(t, res.ThroughputPerS)
			require.LessOrEqual(t, res.LatenessMS.P50, res.LatenessMS.P99)
			require.GreaterOrEqual(t, res.LatenessMS.P50, 0.0, "nothing reaches the network before its due time")
			// The ceiling ran against the same network in the same run (its own
			// accounting is checked inside: no request lost or made twice).
			require.Positive(t, res.CeilingPerS)
			require.Positive(t, res.CeilingP99MS)
			require.InDelta(t, res.ThroughputPerS/res.CeilingPerS, res.Ratio, 1e-9)
		})
	}
}

func benchConcurrency() int {
	n, _ := strconv.Atoi(os.Getenv("RELAIS_BENCH_CONCURRENCY"))
	return n
}
