package gbp

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/gbp/gbptest"
	"github.com/stretchr/testify/require"
)

const postsRoute = "POST /v4/accounts/:id/locations/:id/localPosts"

func testEnv(save func(context.Context, map[string]string) error) network.Env {
	return network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}, SaveSecrets: save}
}

func testProvider(srv *gbptest.Server) Provider {
	id, secret := srv.App()
	return Provider{App: &App{ClientID: id, ClientSecret: secret, APIURL: srv.URL}}
}

func open(t *testing.T, srv *gbptest.Server, withRefresh bool, save func(context.Context, map[string]string) error) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	secrets := map[string]string{"access_token": access}
	if withRefresh {
		secrets["refresh_token"] = refresh
	}
	c, err := testProvider(srv).Open(testEnv(save), network.Stored{Settings: map[string]string{"account": gbptest.AccountName, "location": "locations/4242"}, Secrets: secrets})
	require.NoError(t, err)
	gc := c.(*Connector)
	gc.lookupEvery = time.Millisecond
	return gc
}

func TestConnectByOAuthPicksTheLocation(t *testing.T) {
	locs := []gbptest.Location{{ID: "1", Title: "Café du Port"}, {ID: "2", Title: "Café de la Gare"}}
	for i := 3; i <= 12; i++ {
		locs = append(locs, gbptest.Location{ID: string(rune('0'+i%10)) + "x", Title: "Branch " + string(rune('A'+i))})
	}
	srv := gbptest.New(t, gbptest.Options{Locations: locs})
	p := testProvider(srv)
	ctx := context.Background()
	for _, tc := range []struct{ want, id, err string }{
		{"Café de la Gare", "locations/2", ""},
		{"1", "locations/1", ""},
		{"locations/2", "locations/2", ""},
		{"", "", "manages 12 locations"},
		{"Nowhere", "", `No location named "Nowhere"`},
	} {
		consent, keep, err := p.AuthorizeURL(ctx, testEnv(nil), map[string]string{"location": tc.want}, "http://relais.test/oauth/callback/google_business", "st")
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(consent, srv.URL+"/o/oauth2/v2/auth?"), consent)
		require.Contains(t, consent, "access_type=offline")
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := noFollow.Get(consent)
		require.NoError(t, err)
		res.Body.Close()
		back, _ := url.Parse(res.Header.Get("Location"))
		acct, stored, err := p.Exchange(ctx, testEnv(nil), keep, "http://relais.test/oauth/callback/google_business", back.Query().Get("code"))
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err)
			continue
		}
		require.NoError(t, err, tc.want)
		require.Equal(t, tc.id, acct.RemoteID)
		require.Equal(t, tc.id, stored.Settings["location"])
		require.Equal(t, gbptest.AccountName, stored.Settings["account"])
		require.NotEmpty(t, stored.Secrets["refresh_token"])
	}
	_, _, err := Provider{App: &App{}}.AuthorizeURL(ctx, testEnv(nil), nil, "http://x", "s")
	require.ErrorContains(t, err, "RELAIS_GOOGLE_CLIENT_ID")
}

func TestPublishTopicTypes(t *testing.T) {
	photo := network.Media{MIME: "image/jpeg", URL: "https://relais.example/m/1.jpg"}
	cases := []struct {
		name  string
		part  network.Part
		opts  map[string]string
		check func(t *testing.T, b map[string]any)
		err   string
	}{
		{"what's new with link", network.Part{Text: "Fresh bread", Link: "https://example.com/bread", Media: []network.Media{photo}}, nil, func(t *testing.T, b map[string]any) {
			require.Equal(t, "STANDARD", b["topicType"])
			require.Equal(t, map[string]any{"actionType": "LEARN_MORE", "url": "https://example.com/bread"}, b["callToAction"])
			require.Equal(t, "https://relais.example/m/1.jpg", b["media"].([]any)[0].(map[string]any)["sourceUrl"])
		}, ""},
		{"call button", network.Part{Text: "Ring us"}, map[string]string{"cta": "CALL"}, func(t *testing.T, b map[string]any) {
			require.Equal(t, map[string]any{"actionType": "CALL"}, b["callToAction"])
		}, ""},
		{"event", network.Part{Text: "Tasting"}, map[string]string{"topic_type": "EVENT", "event_title": "Wine tasting", "event_start": "2026-12-24 18:00", "event_end": "2026-12-24 21:30", "cta": "BOOK", "cta_url": "https://example.com/book"}, func(t *testing.T, b map[string]any) {
			ev := b["event"].(map[string]any)
			require.Equal(t, "Wine tasting", ev["title"])
			sc := ev["schedule"].(map[string]any)
			require.Equal(t, float64(24), sc["startDate"].(map[string]any)["day"])
			require.Equal(t, float64(21), sc["endTime"].(map[string]any)["hours"])
			require.Equal(t, "BOOK", b["callToAction"].(map[string]any)["actionType"])
		}, ""},
		{"offer", network.Part{Text: "-20%"}, map[string]string{"topic_type": "OFFER", "event_title": "Winter sale", "event_start": "2026-12-01", "event_end": "2026-12-31", "offer_coupon": "WINTER20", "offer_terms": "One per visit", "offer_redeem_url": "https://example.com/shop", "cta": "SHOP", "cta_url": "https://example.com"}, func(t *testing.T, b map[string]any) {
			require.Equal(t, "OFFER", b["topicType"])
			require.Equal(t, map[string]any{"couponCode": "WINTER20", "termsConditions": "One per visit", "redeemOnlineUrl": "https://example.com/shop"}, b["offer"])
			require.Nil(t, b["callToAction"], "offers take no button")
		}, ""},
		{"event without title", network.Part{Text: "x"}, map[string]string{"topic_type": "EVENT", "event_start": "2026-12-01", "event_end": "2026-12-02"}, nil, "needs event_title"},
		{"event ends before it starts", network.Part{Text: "x"}, map[string]string{"topic_type": "EVENT", "event_title": "T", "event_start": "2026-12-02", "event_end": "2026-12-01"}, nil, "is before event_start"},
		{"bad date", network.Part{Text: "x"}, map[string]string{"topic_type": "EVENT", "event_title": "T", "event_start": "24/12/2026", "event_end": "2026-12-25"}, nil, "event_start must be YYYY-MM-DD"},
		{"button without URL", network.Part{Text: "x"}, map[string]string{"cta": "ORDER"}, nil, "the ORDER button needs cta_url"},
		{"too long", network.Part{Text: strings.Repeat("é", 1501)}, nil, nil, "allows 1500 characters; this post has 1501"},
		{"photo without public URL", network.Part{Text: "x", Media: []network.Media{{MIME: "image/png", Data: []byte("png")}}}, nil, nil, "public address"},
		{"video", network.Part{Text: "x", Media: []network.Media{{MIME: "video/mp4", URL: "https://e.example/v.mp4"}}}, nil, nil, "takes a photo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := gbptest.New(t, gbptest.Options{})
			c := open(t, srv, false, nil)
			res, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{tc.part}, Options: tc.opts, Language: "fr"})
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				require.Equal(t, network.InvalidContent, network.ClassOf(err))
				require.Zero(t, srv.Count(postsRoute), "nothing sent")
				return
			}
			require.NoError(t, err)
			posts := srv.Posts()
			require.Len(t, posts, 1)
			require.Equal(t, posts[0].Name, res.Parts[0].ID)
			require.Contains(t, res.Parts[0].URL, "use=posts")
			require.Equal(t, "fr", posts[0].Body["languageCode"])
			tc.check(t, posts[0].Body)
			require.NoError(t, c.Delete(context.Background(), res.Parts[0].ID))
			require.NoError(t, c.Delete(context.Background(), res.Parts[0].ID))
			require.Empty(t, srv.Posts())
		})
	}
}

func TestExactlyOnceAndErrors(t *testing.T) {
	ctx := context.Background()
	req := network.PublishRequest{Parts: []network.Part{{Text: "Open on Sunday"}}}
	for _, tc := range []struct {
		fault      gbptest.FaultKind
		posts      int
		reconciled bool
		class      network.Class
	}{
		{gbptest.CommitThenFail, 1, true, ""},
		{gbptest.CommitThenDrop, 1, true, ""},
		{gbptest.ServerError, 0, false, network.Retryable},
		{gbptest.Drop, 0, false, network.Retryable},
		{gbptest.RateLimited, 0, false, network.Retryable},
		{gbptest.Forbidden, 0, false, network.Permanent},
		{gbptest.Invalid, 0, false, network.InvalidContent},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			srv := gbptest.New(t, gbptest.Options{})
			c := open(t, srv, false, nil)
			srv.Inject(gbptest.Fault{Route: postsRoute, Kind: tc.fault})
			res, err := c.Publish(ctx, req)
			require.Len(t, srv.Posts(), tc.posts)
			if tc.reconciled {
				require.NoError(t, err)
				require.Equal(t, "true", res.Parts[0].Extra["reconciled"])
				require.Equal(t, 1, srv.Count(postsRoute))
				return
			}
			require.Equal(t, tc.class, network.ClassOf(err), "%v", err)
			if tc.fault == gbptest.RateLimited {
				require.ErrorIs(t, err, network.ErrRateLimited)
			}
		})
	}
	t.Run("expired token renewed once and saved", func(t *testing.T) {
		srv := gbptest.New(t, gbptest.Options{})
		var saved map[string]string
		c := open(t, srv, true, func(_ context.Context, m map[string]string) error { saved = m; return nil })
		srv.Expire()
		_, err := c.Publish(ctx, req)
		require.NoError(t, err)
		_, rt := srv.Tokens()
		require.Equal(t, rt, saved["refresh_token"], "Google keeps the refresh token")
		require.NotEmpty(t, saved["expires_at"])
		require.Equal(t, 1, srv.Count("POST /token"))
	})
	t.Run("expired token without refresh needs a reconnect", func(t *testing.T) {
		srv := gbptest.New(t, gbptest.Options{})
		c := open(t, srv, false, nil)
		srv.Expire()
		_, err := c.Publish(ctx, req)
		require.Equal(t, network.AuthReconnect, network.ClassOf(err))
	})
}

func TestReviewsIntoTheInboxAndReply(t *testing.T) {
	ctx := context.Background()
	srv := gbptest.New(t, gbptest.Options{})
	c := open(t, srv, false, nil)
	r1 := srv.AddReview("4242", "Marie", "FIVE", "Le meilleur pain du quartier")
	srv.AddReview("4242", "Paul", "TWO", "")
	srv.AddReview("9999", "Elsewhere", "ONE", "other location")
	got, cursor, err := c.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "★★☆☆☆ 2/5", got[0].Text, "newest first, a rating without words")
	require.Equal(t, "★★★★★ 5/5\nLe meilleur pain du quartier", got[1].Text)
	require.Equal(t, "Marie", got[1].AuthorName)
	require.Equal(t, r1, got[1].RemoteID)
	again, next, err := c.Mentions(ctx, cursor)
	require.NoError(t, err)
	require.Empty(t, again)
	require.Equal(t, cursor, next)
	r3 := srv.AddReview("4242", "Lea", "FOUR", "Bon")
	newer, _, err := c.Mentions(ctx, cursor)
	require.NoError(t, err)
	require.Len(t, newer, 1)
	require.Equal(t, r3, newer[0].RemoteID)

	_, found, err := c.FindReply(ctx, r1, "Merci Marie")
	require.NoError(t, err)
	require.False(t, found)
	rp, err := c.Reply(ctx, r1, "Merci Marie !")
	require.NoError(t, err)
	require.Equal(t, r1+"/reply", rp.ID)
	// Sent twice (an answer lost), it is still one reply.
	_, err = c.Reply(ctx, r1, "Merci Marie !")
	require.NoError(t, err)
	rv, _ := srv.Review(r1)
	require.Equal(t, "Merci Marie !", rv.Reply)
	_, found, err = c.FindReply(ctx, r1, "Merci Marie")
	require.NoError(t, err)
	require.True(t, found)
	_, err = c.Reply(ctx, "accounts/1/locations/2/localPosts/3", "hi")
	require.Equal(t, network.InvalidContent, network.ClassOf(err))
}

func TestInsights(t *testing.T) {
	srv := gbptest.New(t, gbptest.Options{})
	c := open(t, srv, false, nil)
	srv.SetMetric("4242", "CALL_CLICKS", 3)
	srv.SetMetric("4242", "WEBSITE_CLICKS", 7)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	got, err := c.Insights(context.Background(), from, from.AddDate(0, 0, 6))
	require.NoError(t, err)
	sum := map[string]int64{}
	for _, d := range got {
		sum[d.Metric] += d.Value
	}
	require.Equal(t, map[string]int64{"CALL_CLICKS": 21, "WEBSITE_CLICKS": 49}, sum, "days without values left out")
	var ins network.InsightsReader = c
	_ = ins
}

// TestRetryAfterACrashLooksFirst: a retry of the same publication by
// another process finds the local post the first one made through the
// recorded attempt (the channel's checkpoints) instead of posting twice.
func TestRetryAfterACrashLooksFirst(t *testing.T) {
	srv := gbptest.New(t, gbptest.Options{})
	access, _ := srv.Tokens()
	saved := map[string]string{}
	env := testEnv(nil)
	env.Checkpoint = func(_ context.Context, k string) (string, error) { return saved[k], nil }
	env.SetCheckpoint = func(_ context.Context, k, v string) error { saved[k] = v; return nil }
	openProcess := func() network.Connector {
		c, err := testProvider(srv).Open(env, network.Stored{Settings: map[string]string{"account": gbptest.AccountName, "location": "locations/4242"}, Secrets: map[string]string{"access_token": access}})
		require.NoError(t, err)
		c.(*Connector).lookupEvery = time.Millisecond
		return c
	}
	req := network.PublishRequest{IdempotencyKey: "pub-7", Parts: []network.Part{{Text: "Ouvert dimanche"}}}
	srv.Inject(gbptest.Fault{Route: postsRoute, Kind: gbptest.CommitThenDrop})
	srv.Inject(gbptest.Fault{Route: "GET /v4/accounts/:id/locations/:id/localPosts", Kind: gbptest.ServerError})
	_, err := openProcess().Publish(context.Background(), req)
	require.Equal(t, network.Unknown, network.ClassOf(err), "%v", err)
	res, err := openProcess().Publish(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, srv.Posts(), 1)
	require.Equal(t, "true", res.Parts[0].Extra["reconciled"])
}
