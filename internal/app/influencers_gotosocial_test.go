package app_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/relais/relais/internal/influencer"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/stretchr/testify/require"
)

// TestInfluencerCollectJobOnGoToSocial runs relais serve's periodic job
// collect_influencers against the real GoToSocial server: an influencer's
// Mastodon account is read through the workspace's Mastodon channel, its day
// is stored, and a second run the same day reads nothing.
func TestInfluencerCollectJobOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	a, _ := serveApp(t)
	ctx := context.Background()
	u, ws, _, _ := zorkWorkspace(t, a, gts, "influencers")
	host, err := url.Parse(gts)
	require.NoError(t, err)
	in, err := a.Influencers.Add(ctx, ws.ID, u.ID, influencer.Input{Name: "Media Mogul",
		Accounts: []influencer.Account{{Network: "mastodon", Handle: gotosocialtest.Mogul.Username + "@" + host.Host}}})
	require.NoError(t, err)

	var job func(context.Context) error
	for _, j := range a.Periodic() {
		if j.Name == "collect_influencers" {
			job = j.Run
		}
	}
	require.NotNil(t, job, "relais serve registers collect_influencers")
	require.NoError(t, job(ctx))
	accs, err := a.Store.InfluencerAccounts(ctx, ws.ID, in.ID)
	require.NoError(t, err)
	require.Len(t, accs, 1)
	require.Empty(t, accs[0].CollectError)
	require.Equal(t, gotosocialtest.Mogul.ID, accs[0].ExternalID)
	require.GreaterOrEqual(t, accs[0].Followers, int64(0))
	first := *accs[0].CollectedAt
	snaps, err := a.Store.InfluencerSnapshots(ctx, ws.ID, accs[0].ID, time.Now().AddDate(0, 0, -1))
	require.NoError(t, err)
	require.Len(t, snaps, 1)

	require.NoError(t, job(ctx))
	again, err := a.Store.InfluencerAccount(ctx, ws.ID, accs[0].ID)
	require.NoError(t, err)
	require.Equal(t, first, *again.CollectedAt, "collected once a day")
}
