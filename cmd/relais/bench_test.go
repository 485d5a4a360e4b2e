package main_test

import (
	"encoding/json"
	"testing"

	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestBenchPublishCommand runs a small publishing benchmark through the binary
// (the fake network runs as a second relais process) and checks the report's
// shape and its correctness figures; no timing is asserted.
func TestBenchPublishCommand(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			var env []string
			if d == "postgres" {
				env = append(env, "RELAIS_DATABASE_URL="+storetest.NewPostgresDatabase(t))
			}
			out, stderr, err := run(t, env, "", "bench", "publish", "--db", d, "--posts", "300", "--json")
			require.NoError(t, err, stderr)
			var res struct {
				DB             string             `json:"db"`
				Posts          int                `json:"posts"`
				Published      int                `json:"published"`
				Duplicates     int                `json:"duplicates"`
				Lost           int                `json:"lost"`
				ThroughputPerS float64            `json:"throughput_per_s"`
				LatenessMS     map[string]float64 `json:"lateness_ms"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &res), out)
			require.Equal(t, d, res.DB)
			require.Equal(t, 300, res.Posts)
			require.Equal(t, 300, res.Published)
			require.Zero(t, res.Duplicates)
			require.Zero(t, res.Lost)
			require.Positive(t, res.ThroughputPerS)
			for _, k := range []string{"p50", "p95", "p99"} {
				require.Contains(t, res.LatenessMS, k)
			}
		})
	}
}
