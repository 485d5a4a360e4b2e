package influencer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/influencer"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// fakeReader is a connector whose public profiles come from a function of
// the day, so a test can write a history with a known anomaly.
type fakeReader struct {
	network.Connector
	profile func(handle string) (network.PublicProfile, error)
}

func (f fakeReader) PublicProfile(_ context.Context, handle string, _ int) (network.PublicProfile, error) {
	return f.profile(handle)
}

type fakeConnectors struct{ r fakeReader }

func (f fakeConnectors) Connector(context.Context, int64, int64) (network.Connector, network.Limits, error) {
	return f.r, network.Limits{}, nil
}

func setup(t *testing.T) (*influencer.Service, store.Store, store.Workspace, store.User, *time.Time) {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, st, "infl@svc.example")
	w := storetest.NewWorkspace(t, st, "infl-svc", u.ID)
	storetest.NewChannel(t, st, w.ID, "mastodon", "brand")
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	svc := &influencer.Service{Store: st, NowFunc: func() time.Time { return now }}
	return svc, st, w, u, &now
}

func TestCollectHistoryAndScore(t *testing.T) {
	svc, st, w, u, now := setup(t)
	ctx := context.Background()
	day := 0
	svc.Connectors = fakeConnectors{fakeReader{profile: func(handle string) (network.PublicProfile, error) {
		if handle != "lea@masto.example" {
			return network.PublicProfile{}, network.ErrNotFound
		}
		followers := int64(20_000 + 50*day)
		if day >= 10 {
			followers += 8_000 // bought on day 10
		}
		p := network.PublicProfile{ID: "9", Handle: handle, Name: "Léa", Bio: "Travel", Followers: followers, Following: 400, Posts: 200}
		for i := range 12 {
			pp := network.PublicPost{ID: fmt.Sprint(i), URL: fmt.Sprintf("https://masto.example/@lea/%d", i), At: now.Add(-time.Duration(i) * 48 * time.Hour),
				Likes: int64(300 + 37*i%200), Comments: int64(12 + i%7), Shares: int64(i % 5), Views: -1, Text: "Trip notes"}
			pp.Replies = []network.Comment{{AuthorHandle: fmt.Sprintf("@fan%d", i), Text: fmt.Sprintf("Which hotel was it on day %d?", i)}}
			p.Recent = append(p.Recent, pp)
		}
		return p, nil
	}}}
	in, err := svc.Add(ctx, w.ID, u.ID, influencer.Input{Name: "Léa", Tags: []string{"Travel"},
		Accounts: []influencer.Account{{Network: "mastodon", Handle: "@lea@masto.example"}}})
	require.NoError(t, err)
	accs, err := st.InfluencerAccounts(ctx, w.ID, in.ID)
	require.NoError(t, err)
	require.Len(t, accs, 1)

	for day = 0; day < 14; day++ {
		done, failed, err := svc.CollectDue(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, 1, done, "day %d", day)
		require.Zero(t, failed)
		// Collected today: not due again the same day.
		done, _, err = svc.CollectDue(ctx, 10)
		require.NoError(t, err)
		require.Zero(t, done)
		*now = now.Add(24 * time.Hour)
	}
	snaps, err := st.InfluencerSnapshots(ctx, w.ID, accs[0].ID, time.Time{})
	require.NoError(t, err)
	require.Len(t, snaps, 14)

	scores, err := svc.Score(ctx, w.ID, in.ID)
	require.NoError(t, err)
	require.Len(t, scores, 1)
	s := scores[0]
	require.True(t, s.Known)
	require.True(t, s.Partial, "comment sample too small and no settings: partial")
	var growth influencer.Component
	for _, c := range s.Components {
		if c.Key == "growth_anomaly" {
			growth = c
		}
	}
	require.Equal(t, influencer.StatusFlag, growth.Status, growth.Reason)
	require.Contains(t, growth.Reason, "+8050")
	require.Less(t, s.Score.Score, 100)

	// A failed collection is kept on the account.
	_, err = svc.AddAccount(ctx, w.ID, in.ID, influencer.Account{Network: "mastodon", Handle: "ghost@masto.example"})
	require.NoError(t, err)
	_, failed, err := svc.CollectDue(ctx, 10)
	require.NoError(t, err)
	require.Equal(t, 1, failed)
	accs, err = st.InfluencerAccounts(ctx, w.ID, in.ID)
	require.NoError(t, err)
	for _, a := range accs {
		if a.Handle == "ghost@masto.example" {
			require.Contains(t, a.CollectError, "not found")
		}
	}
	// No channel of the network: a clear error.
	b, err := svc.AddAccount(ctx, w.ID, in.ID, influencer.Account{Network: "instagram", Handle: "lea.travels"})
	require.NoError(t, err)
	_, err = svc.Collect(ctx, w.ID, b.ID)
	require.ErrorContains(t, err, "no connected instagram channel")
}

func TestImportAndValidation(t *testing.T) {
	svc, st, w, u, _ := setup(t)
	ctx := context.Background()
	_, err := svc.Add(ctx, w.ID, u.ID, influencer.Input{Name: "Existing", Accounts: []influencer.Account{{Network: "instagram", Handle: "taken"}}})
	require.NoError(t, err)
	res, err := svc.Import(ctx, w.ID, u.ID, strings.NewReader("name,instagram,email,consent\nA,a_one,a@example.com,yes\nB,taken,,\nC,c,c@example.com,no\n"))
	require.NoError(t, err)
	require.Len(t, res.Created, 1)
	require.Len(t, res.Errors, 2)
	require.Equal(t, 3, res.Errors[0].Line)
	require.Equal(t, "handle", res.Errors[0].Column)
	require.Contains(t, res.Errors[0].Reason, "already in the directory")
	require.Equal(t, 4, res.Errors[1].Line)
	a, err := st.Influencer(ctx, w.ID, res.Created[0])
	require.NoError(t, err)
	require.NotNil(t, a.ConsentAt)

	_, err = svc.Add(ctx, w.ID, u.ID, influencer.Input{Name: "X", Email: "x@example.com"})
	require.ErrorContains(t, err, "consent")
	_, err = svc.Add(ctx, w.ID, u.ID, influencer.Input{Name: ""})
	require.Error(t, err)
	require.Error(t, svc.SaveSettings(ctx, w.ID, influencer.Settings{EMV: []influencer.EMVRule{{Network: "*", Action: "hugs", Value: 1}}}))
}

func TestPipelineDetectionAndResults(t *testing.T) {
	svc, st, w, u, now := setup(t)
	ctx := context.Background()
	camp := store.Campaign{WorkspaceID: w.ID, Name: "Spring Drop", Currency: "EUR"}
	require.NoError(t, st.CreateCampaign(ctx, &camp))
	in, err := svc.Add(ctx, w.ID, u.ID, influencer.Input{Name: "Noé", Accounts: []influencer.Account{{Network: "mastodon", Handle: "noe@masto.example"}}})
	require.NoError(t, err)
	d, err := svc.Shortlist(ctx, w.ID, u.ID, camp.ID, in.ID, influencer.DealInput{})
	require.NoError(t, err)
	_, err = svc.Shortlist(ctx, w.ID, u.ID, camp.ID, in.ID, influencer.DealInput{})
	require.ErrorContains(t, err, "already in the campaign")

	rate, code, rev, conv := int64(50_000), "NOE10", int64(120_000), int64(30)
	link := store.Link{WorkspaceID: w.ID, Code: "noe-spring", TargetURL: "https://shop.example", CampaignID: camp.ID}
	require.NoError(t, st.CreateLink(ctx, &link))
	d, err = svc.UpdateDeal(ctx, w.ID, d.ID, influencer.DealInput{RateCents: &rate, DiscountCode: &code, LinkID: &link.ID})
	require.NoError(t, err)
	for _, stage := range []string{"contacted", "negotiating", "contracted"} {
		d, err = svc.Move(ctx, w.ID, u.ID, d.ID, stage, "")
		require.NoError(t, err)
	}
	_, err = svc.Move(ctx, w.ID, u.ID, d.ID, "shortlisted", "")
	require.ErrorContains(t, err, "one stage back")
	_, err = svc.Message(ctx, w.ID, u.ID, d.ID, "Sent the brief by e-mail")
	require.NoError(t, err)
	evs, err := st.InfluencerEvents(ctx, w.ID, d.ID)
	require.NoError(t, err)
	require.Len(t, evs, 5)

	kind := "post"
	v, err := svc.AddDeliverable(ctx, w.ID, d.ID, influencer.DeliverableInput{Kind: &kind})
	require.NoError(t, err)
	require.Equal(t, "planned", v.Status)
	// A draft through the approval flow: the deliverable follows the post's state.
	draft := storetest.NewPosts(t, st, w.ID, 1)[0]
	story := "story"
	v2, err := svc.AddDeliverable(ctx, w.ID, d.ID, influencer.DeliverableInput{Kind: &story, DraftPostID: &draft.ID})
	require.NoError(t, err)
	detail, err := svc.Deal(ctx, w.ID, d.ID)
	require.NoError(t, err)
	require.Equal(t, "approved", detail.Deliverables[1].Status, "the draft post is approved")
	require.NoError(t, st.SetPostState(ctx, w.ID, draft.ID, []store.PostState{store.PostApproved}, store.PostInReview, *now))
	detail, err = svc.Deal(ctx, w.ID, d.ID)
	require.NoError(t, err)
	require.Equal(t, "draft", detail.Deliverables[1].Status)
	require.NoError(t, st.DeleteInfluencerDeliverable(ctx, w.ID, v2.ID))

	// The influencer posts with the code; a collection finds it, detection attaches it.
	*now = now.Add(48 * time.Hour)
	svc.Connectors = fakeConnectors{fakeReader{profile: func(string) (network.PublicProfile, error) {
		return network.PublicProfile{ID: "1", Followers: 5000, Following: 10, Posts: 3, Recent: []network.PublicPost{
			{ID: "old", URL: "https://masto.example/@noe/1", At: now.Add(-30 * 24 * time.Hour), Text: "NOE10 old", Likes: 1, Comments: 0, Shares: 0, Views: -1},
			{ID: "new", URL: "https://masto.example/@noe/2", At: now.Add(-time.Hour), Text: "Loving the #SpringDrop, code noe10", Likes: 900, Comments: 80, Shares: 20, Views: -1},
			{ID: "other", URL: "https://masto.example/@noe/3", At: now.Add(-time.Hour), Text: "Lunch", Likes: 5, Comments: 1, Shares: 0, Views: -1},
		}}, nil
	}}}
	accs, err := st.InfluencerAccounts(ctx, w.ID, in.ID)
	require.NoError(t, err)
	_, err = svc.Collect(ctx, w.ID, accs[0].ID)
	require.NoError(t, err)
	found, err := svc.Detect(ctx, w.ID, d.ID)
	require.NoError(t, err)
	require.Len(t, found, 1)
	require.Equal(t, "https://masto.example/@noe/2", found[0].URL)
	require.Equal(t, "published", found[0].Status)

	// Clicks on the deal's link, conversions entered by hand.
	require.NoError(t, st.RecordClicks(ctx, []store.Click{
		{LinkID: link.ID, WorkspaceID: w.ID, At: *now, Visitor: "a", Device: "mobile"},
		{LinkID: link.ID, WorkspaceID: w.ID, At: *now, Visitor: "b", Device: "mobile"},
		{LinkID: link.ID, WorkspaceID: w.ID, At: *now, Visitor: "c", Device: "desktop", Bot: "Slackbot"},
	}))
	_, err = svc.UpdateDeal(ctx, w.ID, d.ID, influencer.DealInput{RevenueCents: &rev, Conversions: &conv})
	require.NoError(t, err)
	r, err := svc.Results(ctx, w.ID, camp.ID)
	require.NoError(t, err)
	require.Len(t, r.Rows, 1)
	row := r.Rows[0]
	require.EqualValues(t, 1000, row.Interactions)
	require.EqualValues(t, 2, row.Clicks)
	require.EqualValues(t, 30, row.Conversions)
	require.InDelta(t, 0.5, *row.CPE, 1e-9)
	require.InDelta(t, 250, *row.CPC, 1e-9)
	require.InDelta(t, 1.4, *row.ROI, 1e-9)
	// Default EMV: 900 likes × 0.05 + 80 comments × 0.5 + 20 shares × 1 + 2 clicks × 0.8.
	require.InDelta(t, 45+40+20+1.6, row.EMV, 1e-9)
	require.Equal(t, row.EMV, r.Total.EMV)
}

func TestImportConversions(t *testing.T) {
	svc, st, w, u, _ := setup(t)
	ctx := context.Background()
	camp := store.Campaign{WorkspaceID: w.ID, Name: "Été", Currency: "EUR"}
	require.NoError(t, st.CreateCampaign(ctx, &camp))
	in, err := svc.Add(ctx, w.ID, u.ID, influencer.Input{Name: "Zoé"})
	require.NoError(t, err)
	d, err := svc.Shortlist(ctx, w.ID, u.ID, camp.ID, in.ID, influencer.DealInput{})
	require.NoError(t, err)
	code := "ZOE15"
	_, err = svc.UpdateDeal(ctx, w.ID, d.ID, influencer.DealInput{DiscountCode: &code})
	require.NoError(t, err)
	n, bad, err := svc.ImportConversions(ctx, w.ID, camp.ID, strings.NewReader("\xef\xbb\xbfCode promo;Commandes;Chiffre d'affaires\nzoe15;12;1 234,5\nzoe15;12;1234,50\nNOPE;1;10\nZOE15;x;1\n"))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, bad, 3)
	require.Equal(t, "Chiffre d'affaires", bad[0].Column)
	require.Equal(t, "code", bad[1].Column)
	require.Equal(t, "Commandes", bad[2].Column)
	got, err := st.InfluencerDeal(ctx, w.ID, d.ID)
	require.NoError(t, err)
	require.EqualValues(t, 12, got.Conversions)
	require.EqualValues(t, 123450, got.RevenueCents)
	_, _, err = svc.ImportConversions(ctx, w.ID, camp.ID, strings.NewReader("orders\n1\n"))
	require.ErrorContains(t, err, "code")
}
