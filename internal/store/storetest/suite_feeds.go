package storetest

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunFeeds runs the conformance tests of FeedStore.
func RunFeeds(t *testing.T, open func(t testing.TB) store.Store) {
	t.Run("ChannelFeed", func(t *testing.T) {
		t.Parallel()
		testChannelFeed(t, open(t))
	})
}

func testChannelFeed(t *testing.T, s store.Store) {
	u := NewUser(t, s, "feed@example.com")
	w := NewWorkspace(t, s, "feed", u.ID)
	other := NewWorkspace(t, s, "feed-other", u.ID)
	site := NewChannel(t, s, w.ID, "website", "key1")
	posts := NewPosts(t, s, w.ID, 3, site.ID)
	// The second post overrides its text for the website and carries labels.
	p := posts[1]
	p.Labels = []store.Label{{Key: "theme", Value: "launch"}}
	require.NoError(t, s.UpdatePost(ctx, p))
	vs, err := s.Variants(ctx, w.ID, p.ID)
	require.NoError(t, err)
	vs[0].Text = "website text"
	require.NoError(t, s.SaveVariant(ctx, &vs[0]))

	now := time.Now().UTC().Truncate(time.Millisecond)
	_, err = s.SchedulePosts(ctx, w.ID, []int64{posts[0].ID, posts[1].ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := s.ClaimDue(ctx, "w", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	refs := make([]store.ClaimRef, len(jobs))
	for i, j := range jobs {
		refs[i] = store.ClaimRef{ID: j.ID, Claim: j.Claim}
	}
	_, err = s.MarkPublishing(ctx, refs, now.Add(time.Minute), now)
	require.NoError(t, err)
	var results []store.PublishResult
	for i, j := range jobs {
		results = append(results, store.PublishResult{ID: j.ID, Claim: j.Claim, From: store.PubPublishing, State: store.PubPublished,
			RemoteID: j.IdempotencyKey, URL: "https://relais.test/feeds/key1/items/" + j.IdempotencyKey})
		now = now.Add(time.Duration(i) * time.Second)
	}
	applied, err := s.SaveResults(ctx, results, now)
	require.NoError(t, err)
	require.Len(t, applied, 2)

	entries, err := s.ChannelFeed(ctx, w.ID, site.ID, 50)
	require.NoError(t, err)
	require.Len(t, entries, 2, "only published publications appear")
	var texts []string
	for _, e := range entries {
		texts = append(texts, e.Text)
		require.NotEmpty(t, e.URL)
		require.False(t, e.PublishedAt.IsZero())
		if e.PostID == p.ID {
			require.Equal(t, []store.Label{{Key: "theme", Value: "launch"}}, e.Labels)
		}
	}
	require.ElementsMatch(t, []string{"post 0", "website text"}, texts)

	// Another workspace sees nothing of it.
	entries, err = s.ChannelFeed(ctx, other.ID, site.ID, 50)
	require.NoError(t, err)
	require.Empty(t, entries)
}
