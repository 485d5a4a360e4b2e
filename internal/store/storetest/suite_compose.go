package storetest

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunCompose runs the conformance suite of the composer's records.
func RunCompose(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PostRecords", testPostRecords},
		{"Snippets", testSnippets},
		{"SlotsAndTimes", testSlotsAndTimes},
		{"FeedSecret", testFeedSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func testPostRecords(t *testing.T, s store.Store) {
	u := NewUser(t, s, "rec@compose.example")
	wa := NewWorkspace(t, s, "rec-a", u.ID)
	wb := NewWorkspace(t, s, "rec-b", u.ID)
	ch := NewChannel(t, s, wa.ID, "mastodon", "rec")
	p := NewPosts(t, s, wa.ID, 1, ch.ID)[0]
	at := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)

	c1 := store.Comment{WorkspaceID: wa.ID, PostID: p.ID, UserID: u.ID, Body: "first", CreatedAt: at}
	c2 := store.Comment{WorkspaceID: wa.ID, PostID: p.ID, UserID: u.ID, Body: "second", CreatedAt: at.Add(time.Minute)}
	require.NoError(t, s.AddComment(ctx, &c1))
	require.NoError(t, s.AddComment(ctx, &c2))
	got, err := s.Comments(ctx, wa.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, []store.Comment{c1, c2}, got)

	h := store.HistoryEntry{WorkspaceID: wa.ID, PostID: p.ID, UserID: u.ID, Action: "edited", Detail: "text", CreatedAt: at}
	require.NoError(t, s.AddHistory(ctx, &h))
	hist, err := s.History(ctx, wa.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, []store.HistoryEntry{h}, hist)

	a := store.Approval{WorkspaceID: wa.ID, PostID: p.ID, UserID: u.ID, Decision: store.ApprovalRejected, Note: "tone", CreatedAt: at}
	require.NoError(t, s.AddApproval(ctx, &a))
	aps, err := s.Approvals(ctx, wa.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, []store.Approval{a}, aps)

	// Another workspace can neither read nor write on the post.
	require.ErrorIs(t, s.AddComment(ctx, &store.Comment{WorkspaceID: wb.ID, PostID: p.ID, Body: "x"}), store.ErrNotFound)
	require.ErrorIs(t, s.AddHistory(ctx, &store.HistoryEntry{WorkspaceID: wb.ID, PostID: p.ID, Action: "x"}), store.ErrNotFound)
	require.ErrorIs(t, s.AddApproval(ctx, &store.Approval{WorkspaceID: wb.ID, PostID: p.ID, UserID: u.ID, Decision: store.ApprovalApproved}), store.ErrNotFound)
	for _, list := range []func() (int, error){
		func() (int, error) { l, err := s.Comments(ctx, wb.ID, p.ID); return len(l), err },
		func() (int, error) { l, err := s.History(ctx, wb.ID, p.ID); return len(l), err },
		func() (int, error) { l, err := s.Approvals(ctx, wb.ID, p.ID); return len(l), err },
	} {
		n, err := list()
		require.NoError(t, err)
		require.Zero(t, n)
	}
	owner, err := s.PostWorkspace(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, wa.ID, owner)
	_, err = s.PostWorkspace(ctx, p.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)
	m, err := s.PostChannels(ctx, wb.ID, []int64{p.ID})
	require.NoError(t, err)
	require.Empty(t, m)
	m, err = s.PostChannels(ctx, wa.ID, []int64{p.ID})
	require.NoError(t, err)
	require.Equal(t, map[int64][]int64{p.ID: {ch.ID}}, m)

	// Records go with their post.
	require.NoError(t, s.DeletePost(ctx, wa.ID, p.ID))
	got, err = s.Comments(ctx, wa.ID, p.ID)
	require.NoError(t, err)
	require.Empty(t, got)
}

func testSnippets(t *testing.T, s store.Store) {
	u := NewUser(t, s, "snip@compose.example")
	wa := NewWorkspace(t, s, "snip-a", u.ID)
	wb := NewWorkspace(t, s, "snip-b", u.ID)
	a := store.Snippet{WorkspaceID: wa.ID, Name: "launch tags", Kind: "hashtags", Body: "#launch #new", CreatedAt: time.UnixMilli(1_700_000_000_000).UTC()}
	require.NoError(t, s.CreateSnippet(ctx, &a))
	dup := store.Snippet{WorkspaceID: wa.ID, Name: "launch tags", Body: "x"}
	require.ErrorIs(t, s.CreateSnippet(ctx, &dup), store.ErrConflict)
	same := store.Snippet{WorkspaceID: wb.ID, Name: "launch tags", Body: "y"}
	require.NoError(t, s.CreateSnippet(ctx, &same))
	list, err := s.Snippets(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, []store.Snippet{a}, list)
	require.ErrorIs(t, s.DeleteSnippet(ctx, wb.ID, a.ID), store.ErrNotFound)
	require.NoError(t, s.DeleteSnippet(ctx, wa.ID, a.ID))
	list, err = s.Snippets(ctx, wa.ID)
	require.NoError(t, err)
	require.Empty(t, list)
}

func testSlotsAndTimes(t *testing.T, s store.Store) {
	u := NewUser(t, s, "slots@compose.example")
	wa := NewWorkspace(t, s, "slots-a", u.ID)
	wb := NewWorkspace(t, s, "slots-b", u.ID)
	ch := NewChannel(t, s, wa.ID, "mastodon", "slots")
	other := NewChannel(t, s, wa.ID, "bluesky", "slots2")

	_, err := s.ChannelSlots(ctx, wa.ID, ch.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	cs := store.ChannelSlots{WorkspaceID: wa.ID, ChannelID: ch.ID, Spec: "Mon-Fri 09:00", Timezone: "Europe/Paris", UpdatedAt: time.UnixMilli(1_700_000_000_000).UTC()}
	require.NoError(t, s.SetChannelSlots(ctx, cs))
	cs.Spec = "daily 10:00"
	require.NoError(t, s.SetChannelSlots(ctx, cs))
	got, err := s.ChannelSlots(ctx, wa.ID, ch.ID)
	require.NoError(t, err)
	require.Equal(t, cs, got)
	require.ErrorIs(t, s.SetChannelSlots(ctx, store.ChannelSlots{WorkspaceID: wb.ID, ChannelID: ch.ID, Spec: "daily 01:00", Timezone: "UTC"}), store.ErrNotFound)
	_, err = s.ChannelSlots(ctx, wb.ID, ch.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	// Scheduled posts take their channels' times; drafts do not.
	posts := NewPosts(t, s, wa.ID, 3, ch.ID)
	NewPosts(t, s, wa.ID, 1, other.ID)
	t1 := time.Date(2026, 10, 25, 8, 0, 0, 0, time.UTC)
	t2 := t1.Add(24 * time.Hour)
	now := t1.Add(-48 * time.Hour)
	_, err = s.SchedulePosts(ctx, wa.ID, []int64{posts[0].ID}, t1, "Europe/Paris", now)
	require.NoError(t, err)
	_, err = s.SchedulePosts(ctx, wa.ID, []int64{posts[1].ID}, t2, "Europe/Paris", now)
	require.NoError(t, err)
	times, err := s.ChannelTimes(ctx, wa.ID, ch.ID, t1, t2.Add(time.Second))
	require.NoError(t, err)
	require.Equal(t, []time.Time{t1, t2}, times)
	times, err = s.ChannelTimes(ctx, wa.ID, ch.ID, t1.Add(time.Second), t2)
	require.NoError(t, err)
	require.Empty(t, times)
	times, err = s.ChannelTimes(ctx, wa.ID, other.ID, t1, t2.Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, times)
	times, err = s.ChannelTimes(ctx, wb.ID, ch.ID, t1, t2.Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, times)
}

func testFeedSecret(t *testing.T, s store.Store) {
	u := NewUser(t, s, "feed@compose.example")
	wa := NewWorkspace(t, s, "feed-a", u.ID)
	_, err := s.WorkspaceByFeedSecret(ctx, "h1")
	require.ErrorIs(t, err, store.ErrNotFound)
	require.NoError(t, s.SetFeedSecret(ctx, wa.ID, "h1", time.Now()))
	id, err := s.WorkspaceByFeedSecret(ctx, "h1")
	require.NoError(t, err)
	require.Equal(t, wa.ID, id)
	// Rotating replaces the old secret.
	require.NoError(t, s.SetFeedSecret(ctx, wa.ID, "h2", time.Now()))
	_, err = s.WorkspaceByFeedSecret(ctx, "h1")
	require.ErrorIs(t, err, store.ErrNotFound)
	id, err = s.WorkspaceByFeedSecret(ctx, "h2")
	require.NoError(t, err)
	require.Equal(t, wa.ID, id)
	require.NoError(t, s.SetFeedSecret(ctx, wa.ID, "", time.Now()))
	_, err = s.WorkspaceByFeedSecret(ctx, "h2")
	require.ErrorIs(t, err, store.ErrNotFound)
}
