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
