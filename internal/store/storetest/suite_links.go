package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunLinks runs the conformance suite of short links, clicks, campaigns and bio pages.
func RunLinks(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"LinkCRUD", testLinkCRUD},
		{"EnsureLinkIdempotent", testEnsureLink},
		{"Clicks", testClicks},
		{"Campaigns", testCampaigns},
		{"LinkSettingsAndBio", testLinkSettingsAndBio},
		{"LinkScoping", testLinkScoping},
		{"RecentPublished", testRecentPublished},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func testLinkCRUD(t *testing.T, s store.Store) {
	u := NewUser(t, s, "link@crud.example")
	w := NewWorkspace(t, s, "link-crud", u.ID)
	ch := NewChannel(t, s, w.ID, "mastodon", "lc1")
	post := NewPosts(t, s, w.ID, 1, ch.ID)[0]
	created := time.Date(2026, 5, 1, 8, 0, 0, 125e6, time.UTC)
	l := store.Link{WorkspaceID: w.ID, Code: "abc123", TargetURL: "https://shop.example/a?x=1", Title: "Shop", PostID: post.ID,
		Network: "mastodon", UTM: store.UTM{Source: "mastodon", Medium: "social", Campaign: "spring", Content: "p1", Term: "t"},
		CreatedBy: u.ID, CreatedAt: created}
	require.NoError(t, s.CreateLink(ctx, &l))
	require.NotZero(t, l.ID)
	got, err := s.Link(ctx, w.ID, l.ID)
	require.NoError(t, err)
	require.Equal(t, l, got)
	got, err = s.LinkByCode(ctx, "abc123")
	require.NoError(t, err)
	require.Equal(t, l, got)
	_, err = s.LinkByCode(ctx, "ABC123")
	require.ErrorIs(t, err, store.ErrNotFound, "codes are case-sensitive")

	dup := store.Link{WorkspaceID: w.ID, Code: "abc123", TargetURL: "https://x.example/"}
	require.ErrorIs(t, s.CreateLink(ctx, &dup), store.ErrConflict)

	plain := store.Link{WorkspaceID: w.ID, Code: "zz9", TargetURL: "https://site.example/"}
	require.NoError(t, s.CreateLink(ctx, &plain))
	list, err := s.Links(ctx, w.ID, store.ClickFilter{}, 10)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, plain.ID, list[0].ID, "newest first")
	require.Zero(t, list[0].Clicks)
	list, err = s.Links(ctx, w.ID, store.ClickFilter{PostID: post.ID}, 10)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, l.ID, list[0].ID)

	require.NoError(t, s.DeleteLink(ctx, w.ID, plain.ID))
	require.ErrorIs(t, s.DeleteLink(ctx, w.ID, plain.ID), store.ErrNotFound)
}

func testEnsureLink(t *testing.T, s store.Store) {
	u := NewUser(t, s, "link@ensure.example")
	w := NewWorkspace(t, s, "link-ensure", u.ID)
	a := store.Link{WorkspaceID: w.ID, Code: "first1", TargetURL: "https://a.example/", SourceKey: "post:1:bluesky:abc"}
	require.NoError(t, s.EnsureLink(ctx, &a))
	require.NotZero(t, a.ID)
	b := store.Link{WorkspaceID: w.ID, Code: "second", TargetURL: "https://a.example/", SourceKey: "post:1:bluesky:abc"}
	require.NoError(t, s.EnsureLink(ctx, &b))
	require.Equal(t, a.ID, b.ID, "the same source key answers the same link")
	require.Equal(t, "first1", b.Code)
	c := store.Link{WorkspaceID: w.ID, Code: "third3", TargetURL: "https://a.example/", SourceKey: "post:1:mastodon:abc"}
	require.NoError(t, s.EnsureLink(ctx, &c))
	require.NotEqual(t, a.ID, c.ID)
}

func testClicks(t *testing.T, s store.Store) {
	u := NewUser(t, s, "link@clicks.example")
	w := NewWorkspace(t, s, "link-clicks", u.ID)
	ch := NewChannel(t, s, w.ID, "bluesky", "cl1")
	posts := NewPosts(t, s, w.ID, 2, ch.ID)
	camp := store.Campaign{WorkspaceID: w.ID, Name: "Spring"}
	require.NoError(t, s.CreateCampaign(ctx, &camp))
	require.NoError(t, s.AttachCampaignPost(ctx, w.ID, camp.ID, posts[0].ID))
	l1 := store.Link{WorkspaceID: w.ID, Code: "c1", TargetURL: "https://a.example/", PostID: posts[0].ID}
	l2 := store.Link{WorkspaceID: w.ID, Code: "c2", TargetURL: "https://b.example/", PostID: posts[1].ID}
	l3 := store.Link{WorkspaceID: w.ID, Code: "c3", TargetURL: "https://c.example/", CampaignID: camp.ID}
	for _, l := range []*store.Link{&l1, &l2, &l3} {
		require.NoError(t, s.CreateLink(ctx, l))
	}
	day1 := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	day2 := day1.Add(2 * time.Minute)
	click := func(l store.Link, at time.Time, visitor, ref, device, bot string) store.Click {
		return store.Click{LinkID: l.ID, WorkspaceID: w.ID, At: at, Visitor: visitor, ReferrerHost: ref, Device: device, Bot: bot}
	}
	require.NoError(t, s.RecordClicks(ctx, []store.Click{
		click(l1, day1, "v1", "mastodon.social", "mobile", ""),
		click(l1, day1, "v1", "mastodon.social", "mobile", ""),
		click(l1, day2, "v2", "", "desktop", ""),
		click(l1, day2, "b1", "", "desktop", "Slackbot"),
		click(l2, day2, "v3", "bsky.app", "tablet", ""),
		click(l3, day2, "v4", "", "desktop", ""),
	}))
	require.NoError(t, s.RecordClicks(ctx, nil))
	all := time.Time{}
	end := day2.Add(time.Hour)

	for _, tc := range []struct {
		name string
		f    store.ClickFilter
		from time.Time
		want store.ClickCount
	}{
		{"workspace", store.ClickFilter{}, all, store.ClickCount{Clicks: 5, Unique: 4, Bots: 1}},
		{"link", store.ClickFilter{LinkID: l1.ID}, all, store.ClickCount{Clicks: 3, Unique: 2, Bots: 1}},
		{"post", store.ClickFilter{PostID: posts[1].ID}, all, store.ClickCount{Clicks: 1, Unique: 1}},
		{"campaign: its links and its posts' links", store.ClickFilter{CampaignID: camp.ID}, all, store.ClickCount{Clicks: 4, Unique: 3, Bots: 1}},
		{"period", store.ClickFilter{LinkID: l1.ID}, day2, store.ClickCount{Clicks: 1, Unique: 1, Bots: 1}},
	} {
		got, err := s.CountClicks(ctx, w.ID, tc.f, tc.from, end)
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}

	byDay, err := s.ClickBreakdown(ctx, w.ID, store.ClickFilter{LinkID: l1.ID}, store.ClicksByDay, all, end)
	require.NoError(t, err)
	require.Equal(t, []store.ClickCount{{Key: "2026-06-01", Clicks: 2, Unique: 1}, {Key: "2026-06-02", Clicks: 1, Unique: 1, Bots: 1}}, byDay)
	byDevice, err := s.ClickBreakdown(ctx, w.ID, store.ClickFilter{}, store.ClicksByDevice, all, end)
	require.NoError(t, err)
	require.Equal(t, []store.ClickCount{{Key: "desktop", Clicks: 2, Unique: 2, Bots: 1}, {Key: "mobile", Clicks: 2, Unique: 1}, {Key: "tablet", Clicks: 1, Unique: 1}}, byDevice)
	byBot, err := s.ClickBreakdown(ctx, w.ID, store.ClickFilter{}, store.ClicksByBot, all, end)
	require.NoError(t, err)
	require.Equal(t, []store.ClickCount{{Key: "", Clicks: 5, Unique: 4}, {Key: "Slackbot", Bots: 1}}, byBot)
	byRef, err := s.ClickBreakdown(ctx, w.ID, store.ClickFilter{}, store.ClicksByReferrer, all, end)
	require.NoError(t, err)
	require.Len(t, byRef, 3)
	byLink, err := s.ClickBreakdown(ctx, w.ID, store.ClickFilter{}, store.ClicksByLink, all, end)
	require.NoError(t, err)
	require.Len(t, byLink, 3)
	byPost, err := s.ClickBreakdown(ctx, w.ID, store.ClickFilter{}, store.ClicksByPost, all, end)
	require.NoError(t, err)
	require.ElementsMatch(t, []store.ClickCount{{Key: "", Clicks: 1, Unique: 1}, {Key: fmt.Sprint(posts[0].ID), Clicks: 3, Unique: 2, Bots: 1},
		{Key: fmt.Sprint(posts[1].ID), Clicks: 1, Unique: 1}}, byPost)
	_, err = s.ClickBreakdown(ctx, w.ID, store.ClickFilter{}, "ip", all, end)
	require.Error(t, err)

	list, err := s.Links(ctx, w.ID, store.ClickFilter{CampaignID: camp.ID}, 10)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, l3.ID, list[0].ID)
	require.Equal(t, store.ClickCount{Clicks: 3, Unique: 2, Bots: 1}, list[1].ClickCount)
}

func testCampaigns(t *testing.T, s store.Store) {
	u := NewUser(t, s, "camp@crud.example")
	w := NewWorkspace(t, s, "camp-crud", u.ID)
	ch := NewChannel(t, s, w.ID, "bluesky", "cp1")
	posts := NewPosts(t, s, w.ID, 2, ch.ID)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c := store.Campaign{WorkspaceID: w.ID, Name: "Launch", Description: "Spring launch", StartsAt: &start,
		Goals: []store.CampaignGoal{{Metric: "clicks", Target: 500}}, BudgetCents: 120050, Currency: "EUR", CreatedBy: u.ID,
		CreatedAt: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)}
	require.NoError(t, s.CreateCampaign(ctx, &c))
	got, err := s.Campaign(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)

	end := start.AddDate(0, 1, 0)
	c.Name, c.EndsAt, c.Goals = "Launch 2", &end, nil
	require.NoError(t, s.UpdateCampaign(ctx, c))
	got, err = s.Campaign(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, "Launch 2", got.Name)
	require.True(t, end.Equal(*got.EndsAt))
	require.Empty(t, got.Goals)

	require.NoError(t, s.AttachCampaignPost(ctx, w.ID, c.ID, posts[1].ID))
	require.NoError(t, s.AttachCampaignPost(ctx, w.ID, c.ID, posts[0].ID))
	require.NoError(t, s.AttachCampaignPost(ctx, w.ID, c.ID, posts[0].ID), "attaching twice changes nothing")
	ids, err := s.CampaignPostIDs(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{posts[0].ID, posts[1].ID}, ids)
	camps, err := s.PostCampaignIDs(ctx, w.ID, posts[0].ID)
	require.NoError(t, err)
	require.Equal(t, []int64{c.ID}, camps)
	require.NoError(t, s.DetachCampaignPost(ctx, w.ID, c.ID, posts[0].ID))
	require.ErrorIs(t, s.DetachCampaignPost(ctx, w.ID, c.ID, posts[0].ID), store.ErrNotFound)
	require.ErrorIs(t, s.AttachCampaignPost(ctx, w.ID, c.ID, posts[1].ID+1000), store.ErrNotFound)

	second := store.Campaign{WorkspaceID: w.ID, Name: "Autumn"}
	require.NoError(t, s.CreateCampaign(ctx, &second))
	list, err := s.Campaigns(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{second.ID, c.ID}, []int64{list[0].ID, list[1].ID})
	require.NoError(t, s.DeleteCampaign(ctx, w.ID, c.ID))
	_, err = s.Campaign(ctx, w.ID, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testLinkSettingsAndBio(t *testing.T, s store.Store) {
	u := NewUser(t, s, "bio@settings.example")
	w := NewWorkspace(t, s, "bio-settings", u.ID)
	ls, err := s.LinkSettings(ctx, w.ID)
	require.NoError(t, err)
	require.False(t, ls.AutoShorten)
	require.Empty(t, ls.UTMTemplates)
	at := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	ls = store.LinkSettings{WorkspaceID: w.ID, AutoShorten: true, UTMTemplates: map[string]string{"utm_source": "{network}"}, UpdatedAt: at}
	require.NoError(t, s.SaveLinkSettings(ctx, ls))
	ls.UTMTemplates["utm_medium"] = "social"
	require.NoError(t, s.SaveLinkSettings(ctx, ls))
	got, err := s.LinkSettings(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, ls, got)

	bio, err := s.BioPage(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, store.DefaultBioPage(w.ID), bio)
	bio.Enabled, bio.Title, bio.Lang, bio.RecentPosts, bio.ShowChannels, bio.UpdatedAt = true, "Acme", "fr", 3, false, at
	bio.AvatarMediaID = 42
	bio.Items = []store.BioItem{{Label: "Shop", URL: "https://shop.example/", Kind: "shop"}}
	require.NoError(t, s.SaveBioPage(ctx, bio))
	got2, err := s.BioPage(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, bio, got2)
}

func testLinkScoping(t *testing.T, s store.Store) {
	u := NewUser(t, s, "link@scope.example")
	a := NewWorkspace(t, s, "link-scope-a", u.ID)
	b := NewWorkspace(t, s, "link-scope-b", u.ID)
	chB := NewChannel(t, s, b.ID, "bluesky", "sb")
	postB := NewPosts(t, s, b.ID, 1, chB.ID)[0]
	l := store.Link{WorkspaceID: a.ID, Code: "scoped", TargetURL: "https://a.example/"}
	require.NoError(t, s.CreateLink(ctx, &l))
	c := store.Campaign{WorkspaceID: a.ID, Name: "A only"}
	require.NoError(t, s.CreateCampaign(ctx, &c))
	require.NoError(t, s.RecordClicks(ctx, []store.Click{{LinkID: l.ID, WorkspaceID: a.ID, At: time.Now(), Visitor: "v"}}))

	_, err := s.Link(ctx, b.ID, l.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.DeleteLink(ctx, b.ID, l.ID), store.ErrNotFound)
	_, err = s.Campaign(ctx, b.ID, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.UpdateCampaign(ctx, store.Campaign{ID: c.ID, WorkspaceID: b.ID, Name: "x"}), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteCampaign(ctx, b.ID, c.ID), store.ErrNotFound)
	require.ErrorIs(t, s.AttachCampaignPost(ctx, a.ID, c.ID, postB.ID), store.ErrNotFound, "another workspace's post")
	require.ErrorIs(t, s.AttachCampaignPost(ctx, b.ID, c.ID, postB.ID), store.ErrNotFound, "another workspace's campaign")
	list, err := s.Links(ctx, b.ID, store.ClickFilter{}, 10)
	require.NoError(t, err)
	require.Empty(t, list)
	n, err := s.CountClicks(ctx, b.ID, store.ClickFilter{LinkID: l.ID}, time.Time{}, time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.Zero(t, n.Clicks)
}

// PublishPosts schedules, claims and marks the posts' publications
// published at now, each with the URL https://net.example/{publication id}.
func PublishPosts(t testing.TB, s store.Store, workspaceID int64, posts []store.Post, now time.Time) {
	t.Helper()
	_, err := s.SchedulePosts(ctx, workspaceID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	jobs, err := s.ClaimDue(ctx, "storetest", now, now.Add(time.Minute), now, 1000)
	require.NoError(t, err)
	var res []store.PublishResult
	for _, j := range jobs {
		res = append(res, store.PublishResult{ID: j.ID, Claim: j.Claim, From: store.PubStaged, State: store.PubPublished,
			RemoteID: fmt.Sprint(j.ID), URL: fmt.Sprintf("https://net.example/%d", j.ID)})
	}
	_, err = s.SaveResults(ctx, res, now)
	require.NoError(t, err)
}

func testRecentPublished(t *testing.T, s store.Store) {
	u := NewUser(t, s, "bio@recent.example")
	w := NewWorkspace(t, s, "bio-recent", u.ID)
	other := NewWorkspace(t, s, "bio-recent-other", u.ID)
	ch := NewChannel(t, s, w.ID, "mastodon", "br1")
	posts := NewPosts(t, s, w.ID, 3, ch.ID)
	NewPosts(t, s, other.ID, 1, NewChannel(t, s, other.ID, "mastodon", "br2").ID)
	now := time.Now().UTC().Truncate(time.Millisecond)
	PublishPosts(t, s, w.ID, posts[:2], now)
	got, err := s.RecentPublished(ctx, w.ID, 10)
	require.NoError(t, err)
	require.Len(t, got, 2, "only published publications with a URL, only this workspace's")
	require.Contains(t, got[0].URL, "https://net.example/")
	require.Equal(t, "mastodon", got[0].Network)
	require.Contains(t, []string{"post 0", "post 1"}, got[0].Text)
	got, err = s.RecentPublished(ctx, w.ID, 1)
	require.NoError(t, err)
	require.Len(t, got, 1)
}
