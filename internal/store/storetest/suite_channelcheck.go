package storetest

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// testChannelCheckClaim lets one manual check through per interval: the
// first claim wins, a second before notBefore loses, one after it wins; a
// channel of another workspace or a missing one is never claimed.
func testChannelCheckClaim(t *testing.T, s store.Store) {
	u := NewUser(t, s, "claim@example.com")
	w := NewWorkspace(t, s, "claim", u.ID)
	other := NewWorkspace(t, s, "claim-other", u.ID)
	c := NewChannel(t, s, w.ID, "mastodon", "claim-1")
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	const interval = 30 * time.Second

	ok, err := s.ClaimChannelCheck(ctx, w.ID, c.ID, t0, t0.Add(-interval))
	require.NoError(t, err)
	require.True(t, ok, "never checked")
	got, err := s.Channel(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.NotNil(t, got.CheckedAt)
	require.True(t, got.CheckedAt.Equal(t0), "%v", got.CheckedAt)

	t1 := t0.Add(10 * time.Second)
	ok, err = s.ClaimChannelCheck(ctx, w.ID, c.ID, t1, t1.Add(-interval))
	require.NoError(t, err)
	require.False(t, ok, "checked 10 s ago")

	t2 := t0.Add(interval)
	ok, err = s.ClaimChannelCheck(ctx, w.ID, c.ID, t2, t2.Add(-interval))
	require.NoError(t, err)
	require.True(t, ok, "checked 30 s ago")

	ok, err = s.ClaimChannelCheck(ctx, other.ID, c.ID, t2.Add(time.Hour), t2)
	require.NoError(t, err)
	require.False(t, ok, "another workspace's channel")
	ok, err = s.ClaimChannelCheck(ctx, w.ID, c.ID+1000, t2.Add(time.Hour), t2)
	require.NoError(t, err)
	require.False(t, ok, "no such channel")
}
