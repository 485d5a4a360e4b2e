package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunThrottles runs the conformance suite of the channel throttles shared by instances.
func RunThrottles(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"RateLimitHolds", testRateLimitHolds},
		{"DailyCapMarks", testDailyCapMarks},
		{"ConcurrentCappedMarks", testConcurrentCappedMarks},
		{"LockChannelSecrets", testLockChannelSecrets},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func testRateLimitHolds(t *testing.T, s store.Store) {
	u := NewUser(t, s, "throttle@example.com")
	ws := NewWorkspace(t, s, "throttle", u.ID)
	a := NewChannel(t, s, ws.ID, "mastodon", "a")
	b := NewChannel(t, s, ws.ID, "mastodon", "b")
	now := time.Now().UTC().Truncate(time.Millisecond)

	got, err := s.ChannelThrottles(ctx, []int64{a.ID, b.ID}, now)
	require.NoError(t, err)
	require.Empty(t, got)

	require.NoError(t, s.ThrottleChannel(ctx, a.ID, now.Add(time.Minute)))
	require.NoError(t, s.ThrottleChannel(ctx, a.ID, now.Add(time.Second)), "an earlier reset never shortens a hold")
	require.NoError(t, s.ThrottleChannel(ctx, b.ID, now.Add(-time.Second)))
	got, err = s.ChannelThrottles(ctx, []int64{a.ID, b.ID, a.ID}, now)
	require.NoError(t, err)
	require.Equal(t, map[int64]time.Time{a.ID: now.Add(time.Minute)}, got, "only holds beyond now, once each")

	require.NoError(t, s.ThrottleChannel(ctx, a.ID, now.Add(time.Hour)))
	got, err = s.ChannelThrottles(ctx, []int64{a.ID}, now.Add(2*time.Minute))
	require.NoError(t, err)
	require.Equal(t, now.Add(time.Hour), got[a.ID], "a later reset extends it")

	require.NoError(t, s.DeleteChannel(ctx, ws.ID, a.ID))
	got, err = s.ChannelThrottles(ctx, []int64{a.ID}, now)
	require.NoError(t, err)
	require.Empty(t, got, "a removed channel's hold goes with it")
}

// cappedSetup stages n publications of one channel and returns the channel and the claims.
func cappedSetup(t *testing.T, s store.Store, n int) (int64, []store.ClaimRef, time.Time) {
	t.Helper()
	u := NewUser(t, s, "cap@example.com")
	ws := NewWorkspace(t, s, "cap", u.ID)
	ch := NewChannel(t, s, ws.ID, "instagram", "ig")
	other := NewChannel(t, s, ws.ID, "instagram", "other")
	now := time.Now().UTC()
	posts := NewPosts(t, s, ws.ID, n, ch.ID)
	_, err := s.SchedulePosts(ctx, ws.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	// Another channel's publications in flight never count against this one's cap.
	otherPosts := NewPosts(t, s, ws.ID, 2, other.ID)
	_, err = s.SchedulePosts(ctx, ws.ID, postIDs(otherPosts), now, "UTC", now)
	require.NoError(t, err)
	all, err := s.ClaimDue(ctx, "me", now, now.Add(time.Minute), now, 100)
	require.NoError(t, err)
	var jobs, otherJobs []store.PublishJob
	for _, j := range all {
		if j.ChannelID == ch.ID {
			jobs = append(jobs, j)
		} else {
			otherJobs = append(otherJobs, j)
		}
	}
	require.Len(t, jobs, n)
	marked, err := s.MarkPublishing(ctx, refs(otherJobs), now.Add(time.Minute), now)
	require.NoError(t, err)
	require.Len(t, marked, 2)
	return ch.ID, refs(jobs), now
}

func testDailyCapMarks(t *testing.T, s store.Store) {
	ch, rs, now := cappedSetup(t, s, 5)
	since := now.Add(-24 * time.Hour)
	marked, over, err := s.MarkPublishingCapped(ctx, ch, 3, since, rs, now.Add(time.Minute), now)
	require.NoError(t, err)
	require.ElementsMatch(t, []int64{rs[0].ID, rs[1].ID, rs[2].ID}, marked, "the first refs up to the cap")
	require.Equal(t, rs[3:], over)

	// What is publishing counts: nothing more fits today.
	marked, over, err = s.MarkPublishingCapped(ctx, ch, 3, since, rs[3:], now.Add(time.Minute), now)
	require.NoError(t, err)
	require.Empty(t, marked)
	require.Equal(t, rs[3:], over)

	// A higher cap lets the rest through; a stale claim is not marked.
	stale := []store.ClaimRef{rs[3], {ID: rs[4].ID, Claim: rs[4].Claim + 7}}
	marked, over, err = s.MarkPublishingCapped(ctx, ch, 10, since, stale, now.Add(time.Minute), now)
	require.NoError(t, err)
	require.Equal(t, []int64{rs[3].ID}, marked)
	require.Empty(t, over)
}

func testConcurrentCappedMarks(t *testing.T, s store.Store) {
	ch, rs, now := cappedSetup(t, s, 8)
	since := now.Add(-24 * time.Hour)
	var mu sync.Mutex
	var all []int64
	var errs []error
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			marked, _, err := s.MarkPublishingCapped(ctx, ch, 3, since, rs[2*i:2*i+2], now.Add(time.Minute), now)
			mu.Lock()
			defer mu.Unlock()
			all, errs = append(all, marked...), append(errs, err)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, all, 3, "four instances marking at once stay within the cap together")
}

func testLockChannelSecrets(t *testing.T, s store.Store) {
	u := NewUser(t, s, "lock@example.com")
	ws := NewWorkspace(t, s, "lock", u.ID)
	other := NewWorkspace(t, s, "lock-other", u.ID)
	ch := NewChannel(t, s, ws.ID, "bluesky", "did:plc:lock")
	now := time.Now().UTC()
	require.NoError(t, s.UpdateChannelSecrets(ctx, ws.ID, ch.ID, []byte("0"), now))

	// Read-modify-write under the lock from many goroutines loses no update.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.LockChannelSecrets(ctx, ws.ID, ch.ID, func(enc []byte) ([]byte, error) {
				n, err := strconv.Atoi(string(enc))
				if err != nil {
					return nil, err
				}
				return []byte(strconv.Itoa(n + 1)), nil
			}, now)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	got, err := s.Channel(ctx, ws.ID, ch.ID)
	require.NoError(t, err)
	require.Equal(t, "8", string(got.SecretsEnc))

	// nil keeps the secrets; fn's error comes back as is and nothing is saved.
	require.NoError(t, s.LockChannelSecrets(ctx, ws.ID, ch.ID, func([]byte) ([]byte, error) { return nil, nil }, now))
	refused := errors.New("refused")
	err = s.LockChannelSecrets(ctx, ws.ID, ch.ID, func([]byte) ([]byte, error) { return []byte("x"), refused }, now)
	require.ErrorIs(t, err, refused)
	got, err = s.Channel(ctx, ws.ID, ch.ID)
	require.NoError(t, err)
	require.Equal(t, "8", string(got.SecretsEnc))

	// Another workspace's channel is not found, and fn is not called.
	called := false
	err = s.LockChannelSecrets(ctx, other.ID, ch.ID, func([]byte) ([]byte, error) { called = true; return nil, nil }, now)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.False(t, called)
}
