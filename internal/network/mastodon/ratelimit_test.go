package mastodon

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/mastodontest"
)

// The publishing engine finds the report through this method set.
var _ interface{ RateLimit() network.RateLimit } = (*Connector)(nil)

// TestRateLimitFollowsLatestAnswer checks RateLimit against the fake's
// X-RateLimit-* headers (ISO 8601 reset): it counts down within a window,
// reports the 429's 0 remaining, and moves to the next window.
func TestRateLimitFollowsLatestAnswer(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{RateLimit: 4})
	ctx := context.Background()
	require.Equal(t, network.RateLimit{}, b.conn.RateLimit(), "nothing reported before the first call")

	// The clock starts at 10:01; Mastodon's 5-minute window ends at 10:05.
	reset := time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC)
	require.NoError(t, b.conn.Check(ctx))
	first := b.conn.RateLimit()
	require.Equal(t, 4, first.Limit)
	require.Positive(t, first.Remaining)
	require.True(t, first.Reset.Equal(reset), "reset %s", first.Reset)

	var err error
	for want := first.Remaining - 1; want >= 0; want-- {
		require.NoError(t, b.conn.Check(ctx))
		rl := b.conn.RateLimit()
		require.Equal(t, network.RateLimit{Limit: 4, Remaining: want, Reset: rl.Reset}, rl)
		require.True(t, rl.Reset.Equal(reset))
	}
	err = b.conn.Check(ctx)
	ne := requireClass(t, err, network.Retryable)
	require.Equal(t, http.StatusTooManyRequests, ne.Status)
	rl := b.conn.RateLimit()
	require.Equal(t, 4, rl.Limit)
	require.Zero(t, rl.Remaining)
	require.True(t, rl.Reset.Equal(reset), "the 429 reports the same reset")

	// The next window starts afresh and the report follows it.
	b.clk.mu.Lock()
	b.clk.t = reset.Add(time.Second)
	b.clk.mu.Unlock()
	require.NoError(t, b.conn.Check(ctx))
	rl = b.conn.RateLimit()
	require.Equal(t, 3, rl.Remaining)
	require.True(t, rl.Reset.Equal(reset.Add(5*time.Minute)), "reset %s", rl.Reset)
}

func TestRateStateKeepsLastKnown(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)
	iso := http.Header{"X-Ratelimit-Limit": {"300"}, "X-Ratelimit-Remaining": {"12"}, "X-Ratelimit-Reset": {"2026-03-02T10:05:00.000000Z"}}
	unix := http.Header{"X-Ratelimit-Limit": {"300"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1772445900"}}
	tests := []struct {
		name    string
		answers []http.Header
		want    network.RateLimit
	}{
		{"none", nil, network.RateLimit{}},
		{"headerless answer", []http.Header{{}}, network.RateLimit{}},
		{"iso reset", []http.Header{iso}, network.RateLimit{Limit: 300, Remaining: 12, Reset: time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC)}},
		{"latest wins", []http.Header{iso, unix}, network.RateLimit{Limit: 300, Remaining: 0, Reset: time.Unix(1772445900, 0)}},
		{"headerless answer keeps the last report", []http.Header{iso, {}}, network.RateLimit{Limit: 300, Remaining: 12, Reset: time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &Connector{api: api{rate: &rateState{}}}
			for _, h := range tt.answers {
				c.api.rate.record(h, now)
			}
			got := c.RateLimit()
			require.Equal(t, tt.want.Limit, got.Limit)
			require.Equal(t, tt.want.Remaining, got.Remaining)
			require.True(t, tt.want.Reset.Equal(got.Reset), "reset %s, want %s", got.Reset, tt.want.Reset)
		})
	}
	// Calls made without a channel (instance discovery) record nothing.
	var nilState *rateState
	nilState.record(iso, now)
	require.Equal(t, network.RateLimit{}, nilState.get())
}

func TestRateLimitConcurrentCalls(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	require.NoError(t, b.conn.Check(context.Background()))
	before := b.conn.RateLimit().Remaining
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			require.NoError(t, b.conn.Check(context.Background()))
			require.Equal(t, 300, b.conn.RateLimit().Limit)
		}()
	}
	wg.Wait()
	// Answers may arrive in any order; the report is one of theirs.
	after := b.conn.RateLimit().Remaining
	require.GreaterOrEqual(t, after, before-8)
	require.LessOrEqual(t, after, before-1)
}
