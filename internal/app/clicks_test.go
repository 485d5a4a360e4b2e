package app

import (
	"context"
	"testing"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// Analytics reads a publication's clicks from the short links of its post
// on its network: people only, and unknown (absent) without a short link.
func TestPublicationClicks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	u := storetest.NewUser(t, st, "clicks@example.com")
	w := storetest.NewWorkspace(t, st, "clicks", u.ID)
	masto := storetest.NewChannel(t, st, w.ID, "mastodon", "m-1")
	sky := storetest.NewChannel(t, st, w.ID, "bluesky", "b-1")
	posts := storetest.NewPosts(t, st, w.ID, 2, masto.ID, sky.ID)
	now := time.Now()
	_, err := st.SchedulePosts(ctx, w.ID, []int64{posts[0].ID, posts[1].ID}, now.Add(time.Hour), "UTC", now)
	require.NoError(t, err)

	link := store.Link{WorkspaceID: w.ID, Code: "clk1", TargetURL: "https://shop.example/", PostID: posts[0].ID, Network: "mastodon"}
	require.NoError(t, st.CreateLink(ctx, &link))
	require.NoError(t, st.RecordClicks(ctx, []store.Click{
		{LinkID: link.ID, WorkspaceID: w.ID, At: now, Visitor: "a", Device: "mobile"},
		{LinkID: link.ID, WorkspaceID: w.ID, At: now, Visitor: "b", Device: "desktop"},
		{LinkID: link.ID, WorkspaceID: w.ID, At: now, Visitor: "c", Bot: "facebookexternalhit"},
	}))

	var ids []int64
	pubNet := map[int64]string{}
	pubPost := map[int64]int64{}
	for _, p := range posts {
		pubs, err := st.Publications(ctx, w.ID, p.ID)
		require.NoError(t, err)
		for _, pub := range pubs {
			ids = append(ids, pub.ID)
			pubNet[pub.ID], pubPost[pub.ID] = pub.Network, pub.PostID
		}
	}
	require.Len(t, ids, 4)
	got, err := publicationClicks{st}.PublicationClicks(ctx, w.ID, ids)
	require.NoError(t, err)
	for _, id := range ids {
		n, ok := got[id]
		if pubPost[id] == posts[0].ID && pubNet[id] == "mastodon" {
			require.True(t, ok)
			require.Equal(t, int64(2), n, "two people; the preview fetcher apart")
		} else {
			require.False(t, ok, "publication %d (%s) has no short link: unknown", id, pubNet[id])
		}
	}
	// Another workspace cannot read them.
	other := storetest.NewWorkspace(t, st, "other", u.ID)
	_, err = publicationClicks{st}.PublicationClicks(ctx, other.ID, ids)
	require.ErrorIs(t, err, store.ErrNotFound)
}

// A campaign's likes goal is measured over its posts' latest readings; a
// metric the networks did not report, or a campaign without posts, is unknown.
func TestCampaignMetric(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	u := storetest.NewUser(t, st, "camp@example.com")
	w := storetest.NewWorkspace(t, st, "camp", u.ID)
	c := storetest.NewChannel(t, st, w.ID, "mastodon", "m-2")
	posts := storetest.NewPosts(t, st, w.ID, 2, c.ID)
	now := time.Now().UTC()
	pubs := storetest.PublishAt(t, st, w.ID, posts, now.Add(-2*time.Hour))
	require.Len(t, pubs, 2)
	var snaps []store.MetricSnapshot
	for i, p := range posts {
		likes := int64(10 * (i + 1))
		snaps = append(snaps, store.MetricSnapshot{PublicationID: pubs[i].ID, HorizonHours: 1, WorkspaceID: w.ID, PostID: p.ID, ChannelID: c.ID,
			Network: "mastodon", PublishedAt: now.Add(-2 * time.Hour), TakenAt: now.Add(-time.Hour), Counts: store.Counts{Likes: &likes}})
	}
	require.NoError(t, st.SaveMetricSnapshots(ctx, snaps))
	measure := campaignMetric(&analytics.Service{Store: st})
	from, to := now.Add(-24*time.Hour), now.Add(time.Hour)

	v, ok, err := measure(ctx, w.ID, []int64{posts[1].ID}, "likes", from, to)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 20.0, v, "only the campaign's post")
	v, ok, err = measure(ctx, w.ID, []int64{posts[0].ID, posts[1].ID}, "likes", from, to)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 30.0, v)
	_, ok, err = measure(ctx, w.ID, []int64{posts[0].ID}, "reach", from, to)
	require.NoError(t, err)
	require.False(t, ok, "Mastodon reports no reach")
	_, ok, err = measure(ctx, w.ID, nil, "likes", from, to)
	require.NoError(t, err)
	require.False(t, ok, "no posts: unknown, not the whole workspace")
}
