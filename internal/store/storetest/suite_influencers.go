package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunInfluencers runs the conformance suite of the influencer directory,
// metric history, campaign deals, their log and deliverables.
func RunInfluencers(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"InfluencerDirectory", testInfluencerDirectory},
		{"InfluencerHistory", testInfluencerHistory},
		{"InfluencerDeals", testInfluencerDeals},
		{"InfluencerScoping", testInfluencerScoping},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func newInfluencer(t testing.TB, s store.Store, ws int64, name string, tags ...string) store.Influencer {
	in := store.Influencer{WorkspaceID: ws, Name: name, Tags: tags}
	require.NoError(t, s.CreateInfluencer(context.Background(), &in))
	return in
}

func testInfluencerDirectory(t *testing.T, s store.Store) {
	ctx := context.Background()
	u := NewUser(t, s, "infl@dir.example")
	w := NewWorkspace(t, s, "infl-dir", u.ID)
	consent := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	alice := store.Influencer{WorkspaceID: w.ID, Name: "Alice Martin", Email: "alice@example.com", Consent: true, ConsentAt: &consent,
		Country: "FR", Language: "fr", Tags: []string{"mode", "lyon"}, Notes: "met at a fair", CreatedBy: u.ID}
	require.NoError(t, s.CreateInfluencer(ctx, &alice))
	bob := newInfluencer(t, s, w.ID, "bob", "diy")
	got, err := s.Influencer(ctx, w.ID, alice.ID)
	require.NoError(t, err)
	require.Equal(t, "alice@example.com", got.Email)
	require.True(t, got.Consent)
	require.Equal(t, consent, *got.ConsentAt)
	require.Equal(t, []string{"mode", "lyon"}, got.Tags)

	acc := store.InfluencerAccount{WorkspaceID: w.ID, InfluencerID: bob.ID, Network: "mastodon", Handle: "bob@social.example", Followers: -1, Following: -1, Posts: -1}
	require.NoError(t, s.AddInfluencerAccount(ctx, &acc))
	dup := acc
	require.ErrorIs(t, s.AddInfluencerAccount(ctx, &dup), store.ErrConflict)

	for _, tc := range []struct {
		f    store.InfluencerFilter
		want []int64
	}{
		{store.InfluencerFilter{}, []int64{alice.ID, bob.ID}},
		{store.InfluencerFilter{Query: "MARTIN"}, []int64{alice.ID}},
		{store.InfluencerFilter{Query: "social.example"}, []int64{bob.ID}},
		{store.InfluencerFilter{Query: "fair"}, []int64{alice.ID}},
		{store.InfluencerFilter{Tag: "lyon"}, []int64{alice.ID}},
		{store.InfluencerFilter{Tag: "ly"}, nil},
		{store.InfluencerFilter{Query: "%"}, []int64{alice.ID, bob.ID}},
	} {
		list, err := s.Influencers(ctx, w.ID, tc.f)
		require.NoError(t, err)
		var ids []int64
		for _, in := range list {
			ids = append(ids, in.ID)
		}
		require.Equal(t, tc.want, ids, "%+v", tc.f)
	}

	got.Notes, got.Tags, got.Email, got.Consent, got.ConsentAt = "updated", nil, "", false, nil
	require.NoError(t, s.UpdateInfluencer(ctx, got))
	got, err = s.Influencer(ctx, w.ID, alice.ID)
	require.NoError(t, err)
	require.Equal(t, "updated", got.Notes)
	require.Empty(t, got.Tags)
	require.Nil(t, got.ConsentAt)

	require.NoError(t, s.DeleteInfluencer(ctx, w.ID, bob.ID))
	_, err = s.InfluencerAccount(ctx, w.ID, acc.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.DeleteInfluencer(ctx, w.ID, bob.ID), store.ErrNotFound)
}

func testInfluencerHistory(t *testing.T, s store.Store) {
	ctx := context.Background()
	u := NewUser(t, s, "infl@hist.example")
	w := NewWorkspace(t, s, "infl-hist", u.ID)
	in := newInfluencer(t, s, w.ID, "carla")
	acc := store.InfluencerAccount{WorkspaceID: w.ID, InfluencerID: in.ID, Network: "instagram", Handle: "carla", Followers: -1, Following: -1, Posts: -1}
	require.NoError(t, s.AddInfluencerAccount(ctx, &acc))
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)

	// Never collected: due for any cut-off.
	due, err := s.AllInfluencerAccounts(ctx, day, 10)
	require.NoError(t, err)
	require.Contains(t, accountIDs(due), acc.ID)

	at := day.Add(30 * time.Hour)
	acc.Followers, acc.Following, acc.Posts, acc.Bio, acc.CollectedAt = 1200, 300, 40, "bio", &at
	require.NoError(t, s.SaveInfluencerProfile(ctx, acc))
	due, err = s.AllInfluencerAccounts(ctx, day, 10)
	require.NoError(t, err)
	require.NotContains(t, accountIDs(due), acc.ID)
	got, err := s.InfluencerAccount(ctx, w.ID, acc.ID)
	require.NoError(t, err)
	require.Equal(t, int64(1200), got.Followers)
	require.Equal(t, at, *got.CollectedAt)

	// Two collections on one day keep the last; another day adds a row.
	require.NoError(t, s.SaveInfluencerSnapshot(ctx, w.ID, acc.ID, store.InfluencerSnapshot{At: day.Add(2 * time.Hour), Followers: 1000, Following: 300, Posts: 39}))
	require.NoError(t, s.SaveInfluencerSnapshot(ctx, w.ID, acc.ID, store.InfluencerSnapshot{At: day.Add(20 * time.Hour), Followers: 1010, Following: 300, Posts: 40}))
	require.NoError(t, s.SaveInfluencerSnapshot(ctx, w.ID, acc.ID, store.InfluencerSnapshot{At: at, Followers: 1200, Following: 301, Posts: 40}))
	snaps, err := s.InfluencerSnapshots(ctx, w.ID, acc.ID, day)
	require.NoError(t, err)
	require.Len(t, snaps, 2)
	require.Equal(t, int64(1010), snaps[0].Followers)
	require.Equal(t, day, snaps[0].Day)
	snaps, err = s.InfluencerSnapshots(ctx, w.ID, acc.ID, day.AddDate(0, 0, 1))
	require.NoError(t, err)
	require.Len(t, snaps, 1)

	posts := []store.InfluencerPost{
		{AccountID: acc.ID, RemoteID: "p1", At: day, Likes: 10, Comments: 2, Shares: -1, Views: -1, Text: "one",
			Sample: []store.InfluencerComment{{Author: "x", Text: "🔥", At: day}}},
		{AccountID: acc.ID, RemoteID: "p2", At: day.Add(time.Hour), Likes: 20, Comments: 3, Shares: 1, Views: -1},
	}
	require.NoError(t, s.SaveInfluencerPosts(ctx, w.ID, posts))
	posts[0].Likes = 15
	require.NoError(t, s.SaveInfluencerPosts(ctx, w.ID, posts[:1]))
	list, err := s.InfluencerPosts(ctx, w.ID, acc.ID, 10)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, "p2", list[0].RemoteID)
	require.Equal(t, int64(15), list[1].Likes)
	require.Equal(t, "🔥", list[1].Sample[0].Text)
	require.Empty(t, list[0].Sample)
}

func accountIDs(as []store.InfluencerAccount) []int64 {
	var ids []int64
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}

func testInfluencerDeals(t *testing.T, s store.Store) {
	ctx := context.Background()
	u := NewUser(t, s, "infl@deals.example")
	w := NewWorkspace(t, s, "infl-deals", u.ID)
	in := newInfluencer(t, s, w.ID, "dora")
	camp := store.Campaign{WorkspaceID: w.ID, Name: "Spring", Currency: "EUR"}
	require.NoError(t, s.CreateCampaign(ctx, &camp))
	d := store.InfluencerDeal{WorkspaceID: w.ID, CampaignID: camp.ID, InfluencerID: in.ID, Stage: "shortlisted", Conversions: -1}
	require.NoError(t, s.AddInfluencerDeal(ctx, &d))
	again := d
	require.ErrorIs(t, s.AddInfluencerDeal(ctx, &again), store.ErrConflict)

	link := store.Link{WorkspaceID: w.ID, Code: "dora1", TargetURL: "https://shop.example", CampaignID: camp.ID}
	require.NoError(t, s.CreateLink(ctx, &link))
	d.Stage, d.OwnerID, d.RateCents, d.Currency, d.DiscountCode, d.LinkID, d.Conversions, d.RevenueCents = "contracted", u.ID, 50000, "EUR", "DORA10", link.ID, 12, 90000
	d.StageAt = time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC)
	require.NoError(t, s.UpdateInfluencerDeal(ctx, d))
	got, err := s.InfluencerDeal(ctx, w.ID, d.ID)
	require.NoError(t, err)
	require.Equal(t, d.StageAt, got.StageAt)
	require.Equal(t, link.ID, got.LinkID)
	require.Equal(t, "DORA10", got.DiscountCode)

	e := store.InfluencerEvent{WorkspaceID: w.ID, DealID: d.ID, Kind: "move", FromStage: "shortlisted", ToStage: "contracted", AuthorID: u.ID}
	require.NoError(t, s.AddInfluencerEvent(ctx, &e))
	m := NewMedia(t, s, w.ID, store.MediaImage, "contract-sha")
	require.NoError(t, s.AddInfluencerEvent(ctx, &store.InfluencerEvent{WorkspaceID: w.ID, DealID: d.ID, Kind: "contract", MediaID: m.ID, Body: "signed"}))
	evs, err := s.InfluencerEvents(ctx, w.ID, d.ID)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	require.Equal(t, "contracted", evs[0].ToStage)
	require.Equal(t, m.ID, evs[1].MediaID)

	due := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	v := store.InfluencerDeliverable{WorkspaceID: w.ID, DealID: d.ID, Kind: "post", Network: "instagram", DueAt: &due, Brief: "show the bag", Status: "planned"}
	require.NoError(t, s.CreateInfluencerDeliverable(ctx, &v))
	v.Status, v.URL, v.Counts = "published", "https://instagram.example/p/1", `{"likes":10}`
	v.PublishedAt = &due
	require.NoError(t, s.UpdateInfluencerDeliverable(ctx, v))
	list, err := s.InfluencerDeliverables(ctx, w.ID, camp.ID, 0)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, `{"likes":10}`, list[0].Counts)
	require.Equal(t, due, *list[0].PublishedAt)

	deals, err := s.InfluencerDeals(ctx, w.ID, camp.ID, 0)
	require.NoError(t, err)
	require.Len(t, deals, 1)
	deals, err = s.InfluencerDeals(ctx, w.ID, 0, in.ID)
	require.NoError(t, err)
	require.Len(t, deals, 1)

	set, err := s.InfluencerSettings(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, set.TargetLanguages)
	set.EMV, set.TargetLanguages, set.BrandSafety = `[{"network":"*","action":"likes","value":0.1}]`, []string{"fr"}, []string{"casino"}
	require.NoError(t, s.SaveInfluencerSettings(ctx, set))
	set, err = s.InfluencerSettings(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"fr"}, set.TargetLanguages)
	require.Contains(t, set.EMV, "likes")

	// Deleting the campaign removes its deals, their log and deliverables.
	require.NoError(t, s.DeleteCampaign(ctx, w.ID, camp.ID))
	_, err = s.InfluencerDeal(ctx, w.ID, d.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.InfluencerDeliverable(ctx, w.ID, v.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testInfluencerScoping(t *testing.T, s store.Store) {
	ctx := context.Background()
	u := NewUser(t, s, "infl@scope.example")
	a := NewWorkspace(t, s, "infl-a", u.ID)
	b := NewWorkspace(t, s, "infl-b", u.ID)
	in := newInfluencer(t, s, a.ID, "eve")
	acc := store.InfluencerAccount{WorkspaceID: a.ID, InfluencerID: in.ID, Network: "bluesky", Handle: "eve.bsky.social"}
	require.NoError(t, s.AddInfluencerAccount(ctx, &acc))
	camp := store.Campaign{WorkspaceID: a.ID, Name: "A"}
	require.NoError(t, s.CreateCampaign(ctx, &camp))
	campB := store.Campaign{WorkspaceID: b.ID, Name: "B"}
	require.NoError(t, s.CreateCampaign(ctx, &campB))
	d := store.InfluencerDeal{WorkspaceID: a.ID, CampaignID: camp.ID, InfluencerID: in.ID, Stage: "shortlisted"}
	require.NoError(t, s.AddInfluencerDeal(ctx, &d))

	_, err := s.Influencer(ctx, b.ID, in.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	list, err := s.Influencers(ctx, b.ID, store.InfluencerFilter{})
	require.NoError(t, err)
	require.Empty(t, list)
	// Another workspace cannot attach accounts, history, deals or log lines
	// to a's records, nor put a's influencer into its own campaign.
	require.ErrorIs(t, s.AddInfluencerAccount(ctx, &store.InfluencerAccount{WorkspaceID: b.ID, InfluencerID: in.ID, Network: "mastodon", Handle: "x@y.z"}), store.ErrNotFound)
	require.ErrorIs(t, s.SaveInfluencerSnapshot(ctx, b.ID, acc.ID, store.InfluencerSnapshot{At: time.Now()}), store.ErrNotFound)
	require.ErrorIs(t, s.AddInfluencerDeal(ctx, &store.InfluencerDeal{WorkspaceID: b.ID, CampaignID: campB.ID, InfluencerID: in.ID, Stage: "shortlisted"}), store.ErrNotFound)
	require.ErrorIs(t, s.AddInfluencerEvent(ctx, &store.InfluencerEvent{WorkspaceID: b.ID, DealID: d.ID, Kind: "message"}), store.ErrNotFound)
	require.ErrorIs(t, s.CreateInfluencerDeliverable(ctx, &store.InfluencerDeliverable{WorkspaceID: b.ID, DealID: d.ID, Kind: "post", Status: "planned"}), store.ErrNotFound)
	require.ErrorIs(t, s.UpdateInfluencerDeal(ctx, store.InfluencerDeal{WorkspaceID: b.ID, ID: d.ID, Stage: "paid"}), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteInfluencerAccount(ctx, b.ID, acc.ID), store.ErrNotFound)
	require.NoError(t, s.SaveInfluencerPosts(ctx, b.ID, []store.InfluencerPost{{AccountID: acc.ID, RemoteID: "x"}}))
	posts, err := s.InfluencerPosts(ctx, a.ID, acc.ID, 10)
	require.NoError(t, err)
	require.Empty(t, posts, "a post saved by another workspace landed on a's account")
	deals, err := s.InfluencerDeals(ctx, b.ID, 0, 0)
	require.NoError(t, err)
	require.Empty(t, deals)
}
