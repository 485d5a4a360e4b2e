package main_test

import (
	"encoding/json"
	"runtime"
	"strings"
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
			out, stderr, err := run(t, env, "", "bench", "publish", "--db", d, "--posts", "300", "--rounds", "2", "--json")
			require.NoError(t, err, stderr)
			var res struct {
				DB             string             `json:"db"`
				Posts          int                `json:"posts"`
				Published      int                `json:"published"`
				Duplicates     int                `json:"duplicates"`
				Lost           int                `json:"lost"`
				ThroughputPerS float64            `json:"throughput_per_s"`
				LatenessMS     map[string]float64 `json:"lateness_ms"`
				CeilingPerS    *float64           `json:"ceiling_per_s"`
				CeilingP99MS   *float64           `json:"ceiling_p99_ms"`
				Ratio          *float64           `json:"ratio"`
				EngineCPUMS    int64              `json:"engine_cpu_ms"`
				BurstCPUMS     *int64             `json:"burst_cpu_ms"`
				CPUPer10kS     *float64           `json:"cpu_s_per_10k"`
				BurstWrites    *int64             `json:"burst_write_syscalls"`
				Rounds         []struct {
					ThroughputPerS float64 `json:"throughput_per_s"`
					P99MS          float64 `json:"p99_ms"`
					CeilingPerS    float64 `json:"ceiling_per_s"`
					Ratio          float64 `json:"ratio"`
					Duplicates     *int    `json:"duplicates"`
					Lost           *int    `json:"lost"`
				} `json:"rounds"`
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
			require.NotNil(t, res.CeilingPerS, "ceiling_per_s")
			require.NotNil(t, res.CeilingP99MS, "ceiling_p99_ms")
			require.NotNil(t, res.Ratio, "ratio")
			require.Positive(t, *res.CeilingPerS)
			require.Positive(t, *res.CeilingP99MS)
			require.InDelta(t, res.ThroughputPerS / *res.CeilingPerS, *res.Ratio, 1e-9)
			// The burst's CPU is part of the whole run's, and it wrote requests.
			require.NotNil(t, res.BurstCPUMS, "burst_cpu_ms")
			require.NotNil(t, res.CPUPer10kS, "cpu_s_per_10k")
			require.NotNil(t, res.BurstWrites, "burst_write_syscalls")
			require.LessOrEqual(t, *res.BurstCPUMS, res.EngineCPUMS)
			require.InDelta(t, float64(*res.BurstCPUMS)/1000*10_000/300, *res.CPUPer10kS, 1e-9)
			if runtime.GOOS == "linux" {
				require.Positive(t, *res.BurstWrites)
			}
			// Two rounds ran; the figures above are the lower-ratio one's (the
			// lower middle of two), and each round's are listed.
			require.Len(t, res.Rounds, 2)
			low := res.Rounds[0]
			if res.Rounds[1].Ratio < low.Ratio {
				low = res.Rounds[1]
			}
			require.Equal(t, low.Ratio, *res.Ratio)
			require.Equal(t, low.ThroughputPerS, res.ThroughputPerS)
			require.Equal(t, low.P99MS, res.LatenessMS["p99"])
			for _, r := range res.Rounds {
				require.Positive(t, r.ThroughputPerS)
				require.Positive(t, r.CeilingPerS)
				require.NotNil(t, r.Duplicates)
				require.Zero(t, *r.Duplicates)
				require.NotNil(t, r.Lost)
				require.Zero(t, *r.Lost)
			}
		})
	}
}

// TestBenchPublishCommandText checks that the text report names the ceiling and the ratio.
func TestBenchPublishCommandText(t *testing.T) {
	t.Parallel()
	out, stderr, err := run(t, nil, "", "bench", "publish", "--db", "sqlite", "--posts", "100", "--rounds", "1")
	require.NoError(t, err, stderr)
	for _, want := range []string{"throughput ", "ceiling ", "ratio ", "CPU of relais over the burst "} {
		require.Contains(t, out, want)
	}
}

// TestBenchIdleCommand runs the idle benchmark briefly through the binary and
// checks that every figure is present and sane; no timing is asserted.
func TestBenchIdleCommand(t *testing.T) {
	t.Parallel()
	out, stderr, err := run(t, nil, "", "bench", "idle", "--window", "1s", "--settle", "0s", "--json")
	require.NoError(t, err, stderr)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	for _, k := range []string{"fresh_start_to_healthy_ms", "start_to_healthy_ms", "idle_cpu_percent", "rss_mb", "window_s"} {
		require.Contains(t, res, k)
	}
	require.Positive(t, res["fresh_start_to_healthy_ms"])
	require.Positive(t, res["start_to_healthy_ms"])
	require.GreaterOrEqual(t, res["idle_cpu_percent"], 0.0)
	require.LessOrEqual(t, res["idle_cpu_percent"], 100.0*2)
	require.Positive(t, res["rss_mb"])
	require.GreaterOrEqual(t, res["window_s"], 1.0)

	out, stderr, err = run(t, nil, "", "bench", "idle", "--window", "1s", "--settle", "0s")
	require.NoError(t, err, stderr)
	require.Contains(t, out, "start to healthy")
	require.Contains(t, out, "of a core")
}

// TestBenchAnalyticsCommand runs the dashboard benchmark small through the
// binary and checks the fields the issue names; no timing is asserted.
func TestBenchAnalyticsCommand(t *testing.T) {
	t.Parallel()
	out, stderr, err := run(t, nil, "", "bench", "analytics", "--db", "sqlite", "--snapshots", "4000", "--workspaces", "2",
		"--channels", "2", "--days", "30", "--iterations", "3", "--json")
	require.NoError(t, err, stderr)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.Equal(t, "sqlite", res["db"])
	require.Equal(t, 4000.0, res["snapshots"])
	require.Positive(t, res["dashboard_p95_ms"])
	require.Positive(t, res["posts_per_dashboard"])

	_, stderr, err = run(t, nil, "", "bench", "analytics", "--snapshots", "2")
	require.Error(t, err)
	require.Contains(t, stderr, "--snapshots must be between 4 and 100,000,000")
}

// TestBenchInboxCommand runs a small inbox benchmark through the binary and
// checks that every message was stored and the report has its fields; no
// timing is asserted.
func TestBenchInboxCommand(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			var env []string
			if d == "postgres" {
				env = append(env, "RELAIS_DATABASE_URL="+storetest.NewPostgresDatabase(t))
			}
			out, stderr, err := run(t, env, "", "bench", "inbox", "--db", d, "--messages", "2500", "--queries", "20", "--json")
			require.NoError(t, err, stderr)
			var res map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &res), out)
			require.Equal(t, d, res["db"])
			require.EqualValues(t, 2500, res["messages"])
			require.EqualValues(t, 2500, res["stored"], "every generated message is stored once")
			require.EqualValues(t, 20, res["rules"], "the ingest runs the 20 moderation rules")
			for _, k := range []string{"ingest_per_s", "list_p50_ms", "list_p95_ms", "search_p50_ms", "search_p95_ms"} {
				require.Positive(t, res[k], k)
			}
			require.GreaterOrEqual(t, res["list_p95_ms"], res["list_p50_ms"])
		})
	}
}

// TestBenchPublishCommandRejectsBadFlags checks that each out-of-range flag is
// refused with its name and limits, before anything runs.
func TestBenchPublishCommandRejectsBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		flag, value, want string
	}{
		{"--rounds", "0", "--rounds must be between 1 and 20; got 0"},
		{"--rounds", "21", "--rounds must be between 1 and 20; got 21"},
		{"--posts", "0", "--posts must be between 1 and 1,000,000; got 0"},
		{"--posts", "1000001", "--posts must be between 1 and 1,000,000; got 1000001"},
		{"--channels", "0", "--channels must be between 1 and 10,000; got 0"},
		{"--concurrency", "-3", "--concurrency must be between 1 and 4,096; got -3"},
		{"--concurrency", "5000", "--concurrency must be between 1 and 4,096; got 5000"},
		{"--batch-size", "0", "--batch-size must be between 1 and 10,000; got 0"},
		{"--lead-time", "10ms", "--lead-time must be between 1s and 1h; got 10ms"},
		{"--lead-time", "2h", "--lead-time must be between 1s and 1h; got 2h0m0s"},
	} {
		t.Run(tc.flag+"="+tc.value, func(t *testing.T) {
			t.Parallel()
			_, stderr, err := run(t, nil, "", "bench", "publish", "--db", "sqlite", tc.flag+"="+tc.value, "--json")
			require.Error(t, err)
			require.Contains(t, stderr, tc.want)
		})
	}
}

// TestBenchCommandsRejectBadFlags checks the other benchmarks the same way.
func TestBenchCommandsRejectBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"idle", "--window=0s"}, "--window must be between 1s and 1h; got 0s"},
		{[]string{"inbox", "--batch=0"}, "--batch must be between 1 and 100,000; got 0"},
		{[]string{"analytics", "--days=0"}, "--days must be between 1 and 3,650; got 0"},
		{[]string{"listen", "--rate=0"}, "--rate must be between 1 and 10,000,000; got 0"},
		{[]string{"links", "--duration=0s"}, "--duration must be between 100ms and 1h; got 0s"},
		{[]string{"votes", "--duplicates=1.5"}, "--duplicates must be between 0 and 1 (a share of the voters); got 1.5"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			_, stderr, err := run(t, nil, "", append([]string{"bench"}, tc.args...)...)
			require.Error(t, err)
			require.Contains(t, stderr, tc.want)
		})
	}
}
