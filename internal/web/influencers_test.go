package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// walkInfluencer gives the walk an influencer with two weeks of history
// (a follower jump on day 10, so one signal is flagged), posts with
// comments, and a deal with a deliverable in the campaign.
func walkInfluencer(t *testing.T, b *bundle, ws, campaignID int64) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	in := store.Influencer{WorkspaceID: ws, Name: "Léa Martin", Tags: []string{"mode"}, Notes: "Rencontrée au salon"}
	require.NoError(t, b.st.CreateInfluencer(ctx, &in))
	acc := store.InfluencerAccount{WorkspaceID: ws, InfluencerID: in.ID, Network: "mastodon", Handle: "lea@mastodon.social", Followers: -1, Following: -1, Posts: -1}
	require.NoError(t, b.st.AddInfluencerAccount(ctx, &acc))
	now := time.Now().UTC()
	acc.Followers, acc.Following, acc.Posts, acc.CollectedAt = 28_000, 400, 120, &now
	require.NoError(t, b.st.SaveInfluencerProfile(ctx, acc))
	for d := 14; d >= 0; d-- {
		f := int64(20_000 + 50*(14-d))
		if d <= 4 {
			f += 8_000
		}
		require.NoError(t, b.st.SaveInfluencerSnapshot(ctx, ws, acc.ID, store.InfluencerSnapshot{At: now.AddDate(0, 0, -d), Followers: f, Following: 400, Posts: 120}))
	}
	var posts []store.InfluencerPost
	for i := range 8 {
		posts = append(posts, store.InfluencerPost{AccountID: acc.ID, RemoteID: fmt.Sprint(i), At: now.AddDate(0, 0, -i), Likes: int64(400 + 31*i), Comments: int64(15 + i),
			Shares: int64(i), Views: -1, Text: "Nouvelle tenue", Sample: []store.InfluencerComment{{Author: "@ami", Text: "Où as-tu trouvé ce manteau ?"}}})
	}
	require.NoError(t, b.st.SaveInfluencerPosts(ctx, ws, posts))
	deal := store.InfluencerDeal{WorkspaceID: ws, CampaignID: campaignID, InfluencerID: in.ID, Stage: "negotiating", RateCents: 50_000, Currency: "EUR", Conversions: -1}
	require.NoError(t, b.st.AddInfluencerDeal(ctx, &deal))
	v := store.InfluencerDeliverable{WorkspaceID: ws, DealID: deal.ID, Kind: "post", Network: "mastodon", Status: "published",
		URL: "https://mastodon.social/@lea/1", Counts: `{"impressions":-1,"views":-1,"reach":-1,"likes":300,"comments":20,"shares":5,"saves":-1,"clicks":-1,"conversions":-1}`}
	require.NoError(t, b.st.CreateInfluencerDeliverable(ctx, &v))
	require.NoError(t, b.st.AddInfluencerEvent(ctx, &store.InfluencerEvent{WorkspaceID: ws, DealID: deal.ID, Kind: "message", Body: "Brief envoyé"}))
	return in.ID, deal.ID
}

// influencerPaths are the influencer pages the FR/DE walk opens.
func (s *walkSite) influencerPaths() map[string][]string {
	return map[string][]string{
		"GET /workspaces/{slug}/influencers":                {"/workspaces/lune/influencers", "/workspaces/lune/influencers?q=nothing-matches"},
		"GET /workspaces/{slug}/influencers/{id}":           {"/workspaces/lune/influencers/" + id(s.influencer)},
		"GET /workspaces/{slug}/campaigns/{id}/influencers": {"/workspaces/lune/campaigns/" + id(s.campaign) + "/influencers"},
		"GET /workspaces/{slug}/influencer-deals/{id}":      {"/workspaces/lune/influencer-deals/" + id(s.influencerDeal)},
	}
}

// TestDealPageFormsAndConversionsImport: from the deal page a member sets
// the deal's owner (members only), attaches a contract from the media
// library, and updates a deliverable's status and URL; from the pipeline
// page a shop's CSV sets conversions and revenue by discount code, and a
// row whose code no deal holds is reported by line.
func TestDealPageFormsAndConversionsImport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "deals")
	ctx := context.Background()
	camp := store.Campaign{WorkspaceID: s.ws.ID, Name: "Printemps", Currency: "EUR"}
	require.NoError(t, b.st.CreateCampaign(ctx, &camp))
	_, dealID := walkInfluencer(t, b, s.ws.ID, camp.ID)
	base := fmt.Sprintf("/workspaces/deals/influencer-deals/%d", dealID)

	res := s.owner.post(base+"/owner", form("owner", fmt.Sprint(s.user.ID)))
	require.Equal(t, 303, res.StatusCode, res.Body)
	d, err := b.st.InfluencerDeal(ctx, s.ws.ID, dealID)
	require.NoError(t, err)
	require.Equal(t, s.user.ID, d.OwnerID)
	res = s.owner.post(base+"/owner", form("owner", "999999"))
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "user 999999 is not a member of this workspace")

	m := store.Media{WorkspaceID: s.ws.ID, SHA256: "contract", MIME: "image/png", Kind: store.MediaImage, Bytes: 10, Filename: "contrat-lea.png", Path: "x/contract.png"}
	require.NoError(t, b.st.CreateMedia(ctx, &m))
	page := s.owner.get(base)
	require.Contains(t, page.Body, "contrat-lea.png", "the library's files are offered as the contract")
	res = s.owner.post(base+"/contracts", form("media_id", fmt.Sprint(m.ID), "note", "signé"))
	require.Equal(t, 303, res.StatusCode, res.Body)
	evs, err := b.st.InfluencerEvents(ctx, s.ws.ID, dealID)
	require.NoError(t, err)
	found := false
	for _, e := range evs {
		found = found || (e.Kind == "contract" && e.MediaID == m.ID && e.Body == "signé")
	}
	require.True(t, found, "the contract is in the deal's log")
	res = s.owner.post(base+"/contracts", form("media_id", ""))
	require.Equal(t, 422, res.StatusCode)

	dls, err := b.st.InfluencerDeliverables(ctx, s.ws.ID, 0, dealID)
	require.NoError(t, err)
	require.NotEmpty(t, dls)
	res = s.owner.post(fmt.Sprintf("%s/deliverables/%d", base, dls[0].ID), form("status", "approved", "url", ""))
	require.Equal(t, 303, res.StatusCode, res.Body)
	got, err := b.st.InfluencerDeliverable(ctx, s.ws.ID, dls[0].ID)
	require.NoError(t, err)
	require.Equal(t, "approved", got.Status)
	require.Empty(t, got.URL)
	// A published URL makes it published.
	res = s.owner.post(fmt.Sprintf("%s/deliverables/%d", base, dls[0].ID), form("status", "approved", "url", "https://mastodon.social/@lea/2"))
	require.Equal(t, 303, res.StatusCode, res.Body)
	got, err = b.st.InfluencerDeliverable(ctx, s.ws.ID, dls[0].ID)
	require.NoError(t, err)
	require.Equal(t, "published", got.Status)
	require.Equal(t, "https://mastodon.social/@lea/2", got.URL)
	res = s.owner.post(fmt.Sprintf("%s/deliverables/%d", base, dls[0].ID), form("status", "lost"))
	require.Equal(t, 422, res.StatusCode)

	// Conversions by discount code from the pipeline page.
	code := "LEA10"
	d.DiscountCode = code
	require.NoError(t, b.st.UpdateInfluencerDeal(ctx, d))
	pipe := fmt.Sprintf("/workspaces/deals/campaigns/%d/influencers", camp.ID)
	res = s.owner.upload(pipe+"/conversions", "file", "orders.csv", []byte("code;conversions;revenue\nLEA10;12;840,50\n"))
	require.Equal(t, 303, res.StatusCode, res.Body)
	d, err = b.st.InfluencerDeal(ctx, s.ws.ID, dealID)
	require.NoError(t, err)
	require.EqualValues(t, 12, d.Conversions)
	require.EqualValues(t, 84_050, d.RevenueCents)
	res = s.owner.upload(pipe+"/conversions", "file", "orders.csv", []byte("code;conversions;revenue\nNOPE;3;10\n"))
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "NOPE")
}
