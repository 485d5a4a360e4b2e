package competitor_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/network/meta/metatest"
	"github.com/relais/relais/internal/network/x"
	"github.com/relais/relais/internal/network/x/xtest"
	"github.com/relais/relais/internal/network/youtube"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
	"github.com/relais/relais/internal/store/storetest"
)

type connectors map[int64]network.Connector

func (c connectors) Connector(_ context.Context, _, channelID int64) (network.Connector, network.Limits, error) {
	return c[channelID], network.Limits{}, nil
}

// TestCollectThroughProfileReaders measures Instagram (business discovery),
// YouTube (channels.list and the uploads) and X (user lookup and timeline)
// competitors through the workspace's connected channels of those networks,
// on their fakes; without such a channel the error says what to connect.
func TestCollectThroughProfileReaders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Now().UTC()
	allow := true
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 10 * time.Second})}

	ms := metatest.New(t, metatest.Options{})
	app := meta.App{ID: metatest.AppID, Secret: metatest.AppSecret, Endpoints: meta.SameHost(ms.URL)}
	ig, err := meta.InstagramProvider{App: &app}.Open(env, network.Stored{
		Settings: map[string]string{"login": meta.LoginFacebook, "ig_user_id": ms.IGUserID, "username": "relais.boutique"},
		Secrets:  map[string]string{"access_token": ms.IssueToken("page", ms.PageID, 0)}})
	require.NoError(t, err)

	ys := youtubetest.New(t, youtubetest.Options{})
	var vids []youtubetest.OtherVideo
	for i := range 3 {
		vids = append(vids, youtubetest.OtherVideo{ID: fmt.Sprintf("lea%d", i), Title: "Look", Description: "#mode #lyon",
			PublishedAt: now.AddDate(0, 0, -2*i), Views: 1000, Likes: int64(100 * (i + 1)), Comments: 10})
	}
	ys.AddChannel(youtubetest.OtherChannel{ID: "UCleaMartinChannel000001", Handle: "LeaMartin", Title: "Léa Martin", Subscribers: 52000, Videos: vids})
	ya, yr := ys.Tokens()
	q := youtube.DefaultQuota()
	q.Costs["test:"+t.Name()] = 1
	yc, err := youtube.Provider{App: &youtube.App{ClientID: ys.ClientID(), ClientSecret: ys.ClientSecret(), APIURL: ys.URL, Quota: q}}.Open(
		network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}, network.Stored{Settings: map[string]string{"channel_id": youtubetest.ChannelID},
			Secrets: map[string]string{network.SecretAccess: ya, network.SecretRefresh: yr}})
	require.NoError(t, err)

	xs := xtest.New(t, xtest.Options{})
	xs.AddPost("globex", "Spring drop #sneakers", "")
	hit := xs.AddPost("globex", "1k followers!", "")
	xs.SetMetrics(hit, 50, 5, 4, 1, 700)
	xs.SetUserFollowers("globex", 4200)
	xa, xr := xs.Tokens()
	xc, err := x.Provider{App: &x.App{ClientID: xs.ClientID(), APIURL: xs.URL}}.Open(network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}},
		network.Stored{Settings: map[string]string{"user_id": xs.UserID()}, Secrets: map[string]string{network.SecretAccess: xa, network.SecretRefresh: xr}})
	require.NoError(t, err)

	st := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, st, "p@competitor.example")
	w := storetest.NewWorkspace(t, st, "profiles", u.ID)
	other := storetest.NewWorkspace(t, st, "no-channels", u.ID)
	igCh := storetest.NewChannel(t, st, w.ID, "instagram", "ig")
	ytCh := storetest.NewChannel(t, st, w.ID, "youtube", "yt")
	xCh := storetest.NewChannel(t, st, w.ID, "x", "x")
	svc := &competitor.Service{Store: st, Connectors: connectors{igCh.ID: ig, ytCh.ID: yc, xCh.ID: xc}, Now: func() time.Time { return now }}
	accounts := []competitor.AccountInput{{Brand: "Rivale", Network: "instagram", Handle: "maison.rivale"},
		{Brand: "Léa", Network: "youtube", Handle: "@LeaMartin"}, {Brand: "Globex", Network: "x", Handle: "@globex"}}
	p, err := svc.CreatePanel(ctx, w.ID, "Mode", accounts)
	require.NoError(t, err)
	_, err = svc.CreatePanel(ctx, other.ID, "Mode", accounts[:1])
	require.NoError(t, err)

	res, err := svc.Collect(ctx, 0)
	require.NoError(t, err)
	require.Equal(t, 3, res.Accounts)
	require.Len(t, res.Errors, 1)
	require.Contains(t, res.Errors[0], "connect an Instagram channel through Facebook Login")

	r, err := svc.Report(ctx, w.ID, p.ID, 30)
	require.NoError(t, err)
	by := map[string]competitor.PanelRow{}
	for _, row := range r.Rows {
		require.True(t, row.Measured, row.Brand)
		by[row.Network] = row
	}
	require.EqualValues(t, 98000, by["instagram"].Followers)
	require.Equal(t, 1, by["instagram"].Rank)
	require.EqualValues(t, 52000, by["youtube"].Followers)
	require.EqualValues(t, 3, by["youtube"].PostsWeek, "videos of the last 7 days")
	require.InDelta(t, (110+210+310)/3.0, by["youtube"].EngagementPost, 1e-9, "likes + comments per video")
	require.Equal(t, "https://www.youtube.com/watch?v=lea2", by["youtube"].TopPostURL)
	require.Equal(t, []string{"lyon", "mode"}, by["youtube"].Hashtags)
	require.EqualValues(t, 4200, by["x"].Followers)
	require.EqualValues(t, 50+4+5+1, by["x"].TopPostEng, "likes, replies, reposts and quotes")
	require.Equal(t, map[string]int{"post": 2}, by["x"].Formats)
	require.NotNil(t, by["x"].DailyFollowers[len(r.Days)-1])
	require.EqualValues(t, 4200, *by["x"].DailyFollowers[len(r.Days)-1])
}
