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

// TestMedianRound checks which round a repeated run reports.
func TestMedianRound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		ratios []float64
		want   float64
	}{
		{"one", []float64{0.7}, 0.7},
		{"two takes the lower", []float64{0.8, 0.6}, 0.6},
		{"three takes the middle", []float64{0.9, 0.5, 0.7}, 0.7},
		{"four takes the lower middle", []float64{0.4, 0.9, 0.6, 0.8}, 0.6},
		{"ties", []float64{0.7, 0.7, 0.2}, 0.7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rounds []BenchResult
			for _, r := range tc.ratios {
				rounds = append(rounds, BenchResult{Ratio: r})
			}
			got := medianRound(rounds)
			require.Equal(t, tc.want, got.Ratio)
			require.Equal(t, tc.ratios, ratiosOf(rounds), "the rounds keep their order")
		})
	}
}

func ratiosOf(rounds []BenchResult) []float64 {
	var out []float64
	for _, r := range rounds {
		out = append(out, r.Ratio)
	}
	return out
}

func benchConcurrency() int {
	n, _ := strconv.Atoi(os.Getenv("RELAIS_BENCH_CONCURRENCY"))
	return n
}
