package storetest

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunListen runs the conformance suite of listening queries, mentions,
// cursors and competitor panels.
func RunListen(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"ListenQueries", testListenQueries},
		{"Mentions", testMentions},
		{"ListenCursor", testListenCursor},
		{"ListenFeeds", testListenFeeds},
		{"HashtagUses", testHashtagUses},
		{"CompetitorPanels", testCompetitorPanels},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func testListenQueries(t *testing.T, s store.Store) {
	u := NewUser(t, s, "listen@q.example")
	w := NewWorkspace(t, s, "listen-q", u.ID)
	other := NewWorkspace(t, s, "listen-q-other", u.ID)
	created := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	q := store.ListenQuery{WorkspaceID: w.ID, Name: "Brand", Spec: `{"keywords":"acme"}`, CreatedBy: u.ID, CreatedAt: created}
	require.NoError(t, s.CreateListenQuery(ctx, &q))
	require.NotZero(t, q.ID)
	got, err := s.ListenQuery(ctx, w.ID, q.ID)
	require.NoError(t, err)
	require.Equal(t, q, got)
	dup := store.ListenQuery{WorkspaceID: w.ID, Name: "Brand", Spec: "{}"}
	require.ErrorIs(t, s.CreateListenQuery(ctx, &dup), store.ErrConflict)

	_, err = s.ListenQuery(ctx, other.ID, q.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "another workspace's query is not found")
	require.ErrorIs(t, s.DeleteListenQuery(ctx, other.ID, q.ID), store.ErrNotFound)
	require.ErrorIs(t, s.UpdateListenQuery(ctx, store.ListenQuery{ID: q.ID, WorkspaceID: other.ID, Name: "x", Spec: "{}"}), store.ErrNotFound)

	q.Paused, q.Spec = true, `{"keywords":"acme OR acmecorp"}`
	require.NoError(t, s.UpdateListenQuery(ctx, q))
	got, err = s.ListenQuery(ctx, w.ID, q.ID)
	require.NoError(t, err)
	require.Equal(t, q, got)

	q2 := store.ListenQuery{WorkspaceID: other.ID, Name: "Other", Spec: `{"keywords":"x"}`}
	require.NoError(t, s.CreateListenQuery(ctx, &q2))
	active, err := s.ActiveListenQueries(ctx)
	require.NoError(t, err)
	ids := map[int64]bool{}
	for _, a := range active {
		ids[a.ID] = true
	}
	require.False(t, ids[q.ID], "a paused query is not active")
	require.True(t, ids[q2.ID])

	list, err := s.ListenQueries(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.NoError(t, s.DeleteListenQuery(ctx, w.ID, q.ID))
	list, err = s.ListenQueries(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, list)
}

func testMentions(t *testing.T, s store.Store) {
	u := NewUser(t, s, "listen@m.example")
	w := NewWorkspace(t, s, "listen-m", u.ID)
	other := NewWorkspace(t, s, "listen-m-other", u.ID)
	qa := store.ListenQuery{WorkspaceID: w.ID, Name: "A", Spec: "{}"}
	qb := store.ListenQuery{WorkspaceID: w.ID, Name: "B", Spec: "{}"}
	qo := store.ListenQuery{WorkspaceID: other.ID, Name: "O", Spec: "{}"}
	for _, q := range []*store.ListenQuery{&qa, &qb, &qo} {
		require.NoError(t, s.CreateListenQuery(ctx, q))
	}
	day := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	m := store.Mention{WorkspaceID: w.ID, Network: "bluesky", RemoteID: "at://did:plc:a/app.bsky.feed.post/1", URL: "https://bsky.app/profile/a/post/1",
		Author: "a.bsky.social", AuthorName: "A", AuthorFollowers: 120, Text: "I love acme", Lang: "en", Sentiment: "positive", Compound: 0.6,
		Themes: []string{"product", "service"}, PostedAt: day, ReceivedAt: day.Add(time.Second), QueryIDs: []int64{qa.ID, qo.ID}}
	created, err := s.SaveMention(ctx, &m)
	require.NoError(t, err)
	require.True(t, created)
	got, err := s.Mention(ctx, w.ID, m.ID)
	require.NoError(t, err)
	want := m
	want.QueryIDs = []int64{qa.ID} // another workspace's query is never linked
	require.Equal(t, want, got)

	again := m
	again.ID, again.QueryIDs = 0, []int64{qb.ID}
	created, err = s.SaveMention(ctx, &again)
	require.NoError(t, err)
	require.False(t, created, "the same post is stored once")
	require.Equal(t, m.ID, again.ID)
	got, err = s.Mention(ctx, w.ID, m.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{qa.ID, qb.ID}, got.QueryIDs)

	neg := store.Mention{WorkspaceID: w.ID, Network: "mastodon", RemoteID: "https://social.example/s/2", Author: "b@social.example",
		Text: "acme is bad", Sentiment: "negative", AuthorFollowers: 5, PostedAt: day.Add(25 * time.Hour), QueryIDs: []int64{qa.ID}}
	_, err = s.SaveMention(ctx, &neg)
	require.NoError(t, err)
	_, err = s.Mention(ctx, other.ID, neg.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	list, err := s.Mentions(ctx, w.ID, store.MentionFilter{})
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, neg.ID, list[0].ID, "newest first")
	list, err = s.Mentions(ctx, w.ID, store.MentionFilter{QueryID: qb.ID})
	require.NoError(t, err)
	require.Len(t, list, 1)
	list, err = s.Mentions(ctx, w.ID, store.MentionFilter{BeforeID: neg.ID, Limit: 5})
	require.NoError(t, err)
	require.Len(t, list, 1)
	list, err = s.Mentions(ctx, w.ID, store.MentionFilter{Since: day.Add(time.Hour)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	list, err = s.Mentions(ctx, other.ID, store.MentionFilter{})
	require.NoError(t, err)
	require.Empty(t, list)

	vol, err := s.MentionVolume(ctx, w.ID, day.Add(-48*time.Hour), day.Add(48*time.Hour))
	require.NoError(t, err)
	d0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	require.Equal(t, []store.MentionBucket{
		{QueryID: qa.ID, Day: d0, Mentions: 1, Positive: 1, Reach: 120},
		{QueryID: qb.ID, Day: d0, Mentions: 1, Positive: 1, Reach: 120},
		{QueryID: qa.ID, Day: d0.AddDate(0, 0, 1), Mentions: 1, Negative: 1, Reach: 5},
	}, vol)

	require.ErrorIs(t, s.SetMentionConversation(ctx, other.ID, m.ID, 9), store.ErrNotFound)
	require.NoError(t, s.SetMentionConversation(ctx, w.ID, m.ID, 9))
	got, err = s.Mention(ctx, w.ID, m.ID)
	require.NoError(t, err)
	require.EqualValues(t, 9, got.ConversationID)
}

func testListenCursor(t *testing.T, s store.Store) {
	c, err := s.ListenCursor(ctx, "jetstream:test")
	require.NoError(t, err)
	require.Empty(t, c)
	require.NoError(t, s.SetListenCursor(ctx, "jetstream:test", "100"))
	require.NoError(t, s.SetListenCursor(ctx, "jetstream:test", "200"))
	c, err = s.ListenCursor(ctx, "jetstream:test")
	require.NoError(t, err)
	require.Equal(t, "200", c)
}

func testCompetitorPanels(t *testing.T, s store.Store) {
	u := NewUser(t, s, "listen@c.example")
	w := NewWorkspace(t, s, "listen-c", u.ID)
	other := NewWorkspace(t, s, "listen-c-other", u.ID)
	p := store.CompetitorPanel{WorkspaceID: w.ID, Name: "Fashion"}
	require.NoError(t, s.CreateCompetitorPanel(ctx, &p))
	a := store.CompetitorAccount{WorkspaceID: w.ID, PanelID: p.ID, Brand: "Acme", Network: "bluesky", Handle: "acme.bsky.social"}
	require.NoError(t, s.AddCompetitorAccount(ctx, &a))
	bad := store.CompetitorAccount{WorkspaceID: other.ID, PanelID: p.ID, Brand: "X", Network: "bluesky", Handle: "x"}
	require.ErrorIs(t, s.AddCompetitorAccount(ctx, &bad), store.ErrNotFound, "not into another workspace's panel")
	dup := a
	require.ErrorIs(t, s.AddCompetitorAccount(ctx, &dup), store.ErrConflict)

	got, err := s.CompetitorPanel(ctx, w.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, []store.CompetitorAccount{a}, got.Accounts)
	_, err = s.CompetitorPanel(ctx, other.ID, p.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	day := time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)
	d := store.CompetitorDay{AccountID: a.ID, WorkspaceID: w.ID, Day: day, Followers: 1000, Posts: 50, PostsWeek: 7, EngagementPost: 12.5,
		TopPostURL: "https://bsky.app/x", TopPostEng: 40, Formats: map[string]int{"text": 5, "image": 2}, Hashtags: []string{"sale", "new"},
		TakenAt: day.Add(time.Hour)}
	require.NoError(t, s.SaveCompetitorDay(ctx, d))
	d.Followers = 1010
	require.NoError(t, s.SaveCompetitorDay(ctx, d), "the day's metrics are replaced")
	other1 := d
	other1.WorkspaceID = other.ID
	require.ErrorIs(t, s.SaveCompetitorDay(ctx, other1), store.ErrNotFound)
	days, err := s.CompetitorDays(ctx, w.ID, p.ID, day.AddDate(0, 0, -1))
	require.NoError(t, err)
	require.Equal(t, []store.CompetitorDay{d}, days)
	days, err = s.CompetitorDays(ctx, other.ID, p.ID, day.AddDate(0, 0, -1))
	require.NoError(t, err)
	require.Empty(t, days)

	all, err := s.AllCompetitorAccounts(ctx)
	require.NoError(t, err)
	require.Contains(t, all, a)
	panels, err := s.CompetitorPanels(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, panels, 1)
	require.ErrorIs(t, s.DeleteCompetitorAccount(ctx, other.ID, a.ID), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteCompetitorPanel(ctx, other.ID, p.ID), store.ErrNotFound)
	require.NoError(t, s.DeleteCompetitorPanel(ctx, w.ID, p.ID))
	panels, err = s.CompetitorPanels(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, panels)
}

func testListenFeeds(t *testing.T, s store.Store) {
	u := NewUser(t, s, "listen@f.example")
	w := NewWorkspace(t, s, "listen-f", u.ID)
	other := NewWorkspace(t, s, "listen-f-other", u.ID)
	f := store.ListenFeed{WorkspaceID: w.ID, URL: "https://blog.example/feed.xml", CreatedAt: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	require.NoError(t, s.CreateListenFeed(ctx, &f))
	require.NotZero(t, f.ID)
	dup := store.ListenFeed{WorkspaceID: w.ID, URL: f.URL}
	require.ErrorIs(t, s.CreateListenFeed(ctx, &dup), store.ErrConflict)
	same := store.ListenFeed{WorkspaceID: other.ID, URL: f.URL}
	require.NoError(t, s.CreateListenFeed(ctx, &same), "another workspace may list the same feed")

	checked := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.Title, f.ETag, f.LastModified, f.CheckedAt = "Blog", `"v1"`, "Fri, 01 May 2026 08:00:00 GMT", checked
	require.NoError(t, s.SaveListenFeedCheck(ctx, f, 3))
	f.LastError = "timeout"
	require.NoError(t, s.SaveListenFeedCheck(ctx, f, 2))
	wrong := f
	wrong.WorkspaceID = other.ID
	require.ErrorIs(t, s.SaveListenFeedCheck(ctx, wrong, 1), store.ErrNotFound, "not another workspace's feed")

	list, err := s.ListenFeeds(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	got := list[0]
	require.Equal(t, "Blog", got.Title)
	require.Equal(t, `"v1"`, got.ETag)
	require.Equal(t, "Fri, 01 May 2026 08:00:00 GMT", got.LastModified)
	require.Equal(t, checked, got.CheckedAt)
	require.Equal(t, "timeout", got.LastError)
	require.EqualValues(t, 5, got.Items)
	all, err := s.AllListenFeeds(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 2)

	require.ErrorIs(t, s.DeleteListenFeed(ctx, other.ID, f.ID), store.ErrNotFound)
	require.NoError(t, s.DeleteListenFeed(ctx, w.ID, f.ID))
	list, err = s.ListenFeeds(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, list)
}

func testHashtagUses(t *testing.T, s store.Store) {
	u := NewUser(t, s, "listen@h.example")
	w := NewWorkspace(t, s, "listen-h", u.ID)
	ch := NewChannel(t, s, w.ID, "instagram", "ig-hashtags")
	day := func(d int) time.Time { return time.Date(2026, 5, d, 12, 0, 0, 0, time.UTC) }
	require.NoError(t, s.UseHashtag(ctx, ch.ID, "acme", day(1), day(1).AddDate(0, 0, -7)))
	require.NoError(t, s.UseHashtag(ctx, ch.ID, "shoes", day(3), day(3).AddDate(0, 0, -7)))
	require.NoError(t, s.UseHashtag(ctx, ch.ID, "acme", day(4), day(4).AddDate(0, 0, -7)), "used again within the window: still first used on day 1")
	used, err := s.HashtagsUsed(ctx, ch.ID, day(8).Add(time.Minute).AddDate(0, 0, -7))
	require.NoError(t, err)
	require.Equal(t, []string{"shoes"}, used, "acme's window (day 1) has passed on day 8")
	require.NoError(t, s.UseHashtag(ctx, ch.ID, "acme", day(9), day(9).AddDate(0, 0, -7)), "renewed after its window")
	used, err = s.HashtagsUsed(ctx, ch.ID, day(9).AddDate(0, 0, -7))
	require.NoError(t, err)
	require.Equal(t, []string{"acme", "shoes"}, used)
}
