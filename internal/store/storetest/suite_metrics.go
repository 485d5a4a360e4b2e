package storetest

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunMetrics runs the conformance tests of MetricsStore.
func RunMetrics(t *testing.T, open func(t testing.TB) store.Store) {
	t.Run("PublicationCounts", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		u := NewUser(t, s, "metrics@example.com")
		w := NewWorkspace(t, s, "metrics", u.ID)
		c := NewChannel(t, s, w.ID, "website", "m1")
		posts := NewPosts(t, s, w.ID, 3, c.ID)
		now := time.Now().UTC().Truncate(time.Millisecond)
		// Two due ten minutes ago (late), one due in an hour.
		_, err := s.SchedulePosts(ctx, w.ID, []int64{posts[0].ID, posts[1].ID}, now.Add(-10*time.Minute), "UTC", now)
		require.NoError(t, err)
		_, err = s.SchedulePosts(ctx, w.ID, []int64{posts[2].ID}, now.Add(time.Hour), "UTC", now)
		require.NoError(t, err)
		counts, err := s.PublicationCounts(ctx, now, 5*time.Minute)
		require.NoError(t, err)
		require.Equal(t, []store.PublicationCount{{State: store.PubScheduled, Count: 3, Late: 2}}, counts)
	})
}
