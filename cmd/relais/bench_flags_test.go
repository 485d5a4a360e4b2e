package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 4096: "4,096", 100_000: "100,000",
		1_000_000: "1,000,000", 100_000_000: "100,000,000", -1234: "-1,234", -12: "-12"} {
		require.Equal(t, want, thousands(n), n)
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0s", 100 * time.Millisecond: "100ms", time.Second: "1s", 10 * time.Second: "10s",
		time.Minute: "1m", 10 * time.Minute: "10m", time.Hour: "1h", 90 * time.Minute: "1h30m", 36 * time.Hour: "36h"} {
		require.Equal(t, want, shortDuration(d), d)
	}
}

func TestCheckRanges(t *testing.T) {
	require.NoError(t, checkRanges(flagRange{"--a", 1, 1, 10}, flagRange{"--b", 10, 1, 10}))
	require.EqualError(t, checkRanges(flagRange{"--a", 5, 1, 10}, flagRange{"--b", 0, 1, 10_000}, flagRange{"--c", -1, 0, 1}),
		"--b must be between 1 and 10,000; got 0")
	require.EqualError(t, checkDuration("--window", 0, time.Second, time.Hour), "--window must be between 1s and 1h; got 0s")
}
