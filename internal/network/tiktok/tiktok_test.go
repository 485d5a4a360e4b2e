package tiktok

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/checkpoint"
	"github.com/relais/relais/internal/network/tiktok/tiktoktest"
	"github.com/stretchr/testify/require"
)

func provider(srv *tiktoktest.Server, pull bool) Provider {
	return Provider{App: &App{ClientKey: srv.ClientKey(), ClientSecret: srv.ClientSecret(), APIURL: srv.URL, PullFromURL: pull}}
}

func open(t *testing.T, srv *tiktoktest.Server, env network.Env, pull bool) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	if env.HTTP == nil {
		env.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	c, err := provider(srv, pull).Open(env, network.Stored{
		Settings: map[string]string{"username": tiktoktest.Username},
		Secrets:  map[string]string{network.SecretAccess: access, network.SecretRefresh: refresh},
	})
	require.NoError(t, err)
	tc := c.(*Connector)
	tc.pollEvery, tc.chunkSize = time.Millisecond, MinChunk
	return tc
}

func video(n int) network.Media {
	return network.Media{MIME: "video/mp4", Data: bytes.Repeat([]byte{0x42}, n), URL: "https://media.example/v.mp4?sig=1"}
}

func public(extra ...string) map[string]string {
	o := map[string]string{"privacy_level": "PUBLIC_TO_EVERYONE"}
	for i := 0; i+1 < len(extra); i += 2 {
		o[extra[i]] = extra[i+1]
	}
	return o
}

func TestConnectByOAuth(t *testing.T) {
	srv := tiktoktest.New(t, tiktoktest.Options{CommentDisabled: true, MaxDuration: 180, PrivacyLevels: []string{"FOLLOWER_OF_CREATOR", "SELF_ONLY"}})
	p := provider(srv, false)
	env := network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}
	consent, keep, err := p.AuthorizeURL(context.Background(), env, nil, "https://relais.example/oauth/callback/tiktok", "st4te")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(consent, srv.URL+"/v2/auth/authorize/?"))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(consent)
	require.NoError(t, err)
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "st4te", back.Query().Get("state"))

	acct, stored, err := p.Exchange(context.Background(), env, keep, "https://relais.example/oauth/callback/tiktok", back.Query().Get("code"))
	require.NoError(t, err)
	require.Equal(t, tiktoktest.OpenID, acct.RemoteID)
	require.Equal(t, "@"+tiktoktest.Username, acct.Handle)
	require.NotEmpty(t, stored.Secrets[network.SecretRefresh])
	require.NotEmpty(t, stored.Secrets[network.SecretExpiresAt])
	require.Equal(t, "FOLLOWER_OF_CREATOR,SELF_ONLY", stored.Settings["privacy_level_options"])
	require.Equal(t, "true", stored.Settings["comment_disabled"])
	require.Equal(t, 180, stored.Limits.MaxVideoSeconds)

	// The composer's options follow the creator info: no default privacy, comments fixed off.
	opts := map[string]network.Field{}
	for _, f := range network.PostOptionsForChannel(network.TikTok, stored.Settings) {
		opts[f.Name] = f
	}
	require.Equal(t, []string{"", "FOLLOWER_OF_CREATOR", "SELF_ONLY"}, opts["privacy_level"].Options)
	require.Equal(t, []string{"off"}, opts["allow_comment"].Options)
	require.Equal(t, []string{"off", "on"}, opts["allow_duet"].Options)

	// A wrong verifier is refused as a permanent error.
	_, _, err = p.Exchange(context.Background(), env, map[string]string{"verifier": "wrong"}, "https://relais.example/oauth/callback/tiktok", "code.unknown")
	require.Equal(t, network.Permanent, network.ClassOf(err))
}

func TestPublishVideoInChunks(t *testing.T) {
	srv := tiktoktest.New(t, tiktoktest.Options{Audited: true, ProcessingPolls: 2})
	c := open(t, srv, network.Env{}, false)
	res, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k1", Parts: []network.Part{{Text: "Le merle #oiseaux", Media: []network.Media{video(11 << 20)}}},
		Options: public("allow_comment", "on", "commercial_content", "your_brand")})
	require.NoError(t, err)
	pubs := srv.Publishes()
	require.Len(t, pubs, 1)
	p := pubs[0]
	require.Equal(t, "FILE_UPLOAD", p.Source)
	require.Equal(t, 2, p.Chunks, "11 MB in chunks of 5 MB: two chunks, the last holding 6 MB")
	require.Len(t, p.Received, 11<<20)
	require.Equal(t, "PUBLISH_COMPLETE", p.Status)
	require.Equal(t, "Le merle #oiseaux", p.Title)
	require.False(t, p.DisableComment)
	require.True(t, p.DisableDuet, "duets stay off unless turned on")
	require.True(t, p.BrandOrganic)
	require.False(t, p.BrandContent)
	require.Equal(t, 2, srv.Count("PUT /upload/:id"))
	var ranges []string
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPut {
			ranges = append(ranges, r.Header.Get("Content-Range"))
		}
	}
	require.Equal(t, []string{"bytes 0-5242879/11534336", "bytes 5242880-11534335/11534336"}, ranges)
	rp := res.Parts[0]
	require.NotEmpty(t, rp.ID)
	require.Equal(t, "https://www.tiktok.com/@relais.fake/video/"+rp.ID, rp.URL)
	require.Equal(t, p.ID, rp.Extra["publish_id"])

	// Metrics come from the video query.
	var id int64
	require.NoError(t, json.Unmarshal([]byte(rp.ID), &id))
	srv.SetCounts(id, 1000, 80, 7, 3)
	m, err := c.PostMetrics(context.Background(), []string{rp.ID, "v_pub_file~private"})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Views: 1000, Likes: 80, Replies: 7, Reposts: 3, Quotes: -1}, m[rp.ID])
	require.Len(t, m, 1)
	st, err := c.AccountStats(context.Background())
	require.NoError(t, err)
	require.Equal(t, network.AccountStats{Followers: 1234, Following: 56, Posts: 78}, st)
}

func TestChunkPlan(t *testing.T) {
	for _, tc := range []struct {
		size, chunk, wantSize, wantCount int
		bad                              bool
	}{
		{size: 1 << 20, chunk: 10 << 20, wantSize: 1 << 20, wantCount: 1},
		{size: 5 << 20, chunk: 10 << 20, wantSize: 10 << 20, wantCount: 0, bad: true},
		{size: 25 << 20, chunk: 10 << 20, wantSize: 10 << 20, wantCount: 2},
		{size: 30 << 20, chunk: 1 << 20, wantSize: 5 << 20, wantCount: 6},
		{size: 200 << 20, chunk: 100 << 20, wantSize: 64 << 20, wantCount: 3},
		{size: 0, chunk: 10 << 20, bad: true},
	} {
		s, n, err := ChunkPlan(tc.size, tc.chunk)
		if tc.size == 5<<20 {
			// Exactly 5 MB at a 10 MB preference: one chunk of the whole.
			require.NoError(t, err)
			require.Equal(t, 1, n)
			require.Equal(t, 5<<20, s)
			continue
		}
		if tc.bad {
			require.Error(t, err, tc)
			continue
		}
		require.NoError(t, err, tc)
		require.Equal(t, tc.wantSize, s, tc)
		require.Equal(t, tc.wantCount, n, tc)
	}
}

func TestChoicesFollowCreatorInfo(t *testing.T) {
	srv := tiktoktest.New(t, tiktoktest.Options{CommentDisabled: true})
	c := open(t, srv, network.Env{}, false)
	for name, tc := range map[string]struct {
		opts map[string]string
		want string
	}{
		"no privacy":         {map[string]string{}, "privacy_level is required"},
		"unknown privacy":    {map[string]string{"privacy_level": "FRIENDS"}, "not offered"},
		"comments disabled":  {map[string]string{"privacy_level": "SELF_ONLY", "allow_comment": "on"}, "allow_comment: the creator turned this off"},
		"branded private":    {map[string]string{"privacy_level": "SELF_ONLY", "commercial_content": "branded_content"}, "branded content cannot be private"},
		"bad disclosure":     {map[string]string{"privacy_level": "SELF_ONLY", "commercial_content": "paid"}, "commercial_content must be"},
		"unaudited public":   {map[string]string{"privacy_level": "PUBLIC_TO_EVERYONE"}, "Unaudited clients can only post to private accounts"},
		"photo title length": {map[string]string{"privacy_level": "SELF_ONLY", "photo_title": strings.Repeat("é", 91)}, "photo_title is 91 characters"},
	} {
		_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{video(1000)}}}, Options: tc.opts})
		require.ErrorContains(t, err, tc.want, name)
		require.Equal(t, network.InvalidContent, network.ClassOf(err), name)
	}
	require.Empty(t, srv.Publishes(), "nothing was initialised for an invalid choice but the one TikTok refused")
}

func TestPublishInboxPhotoAndPull(t *testing.T) {
	srv := tiktoktest.New(t, tiktoktest.Options{VerifiedPrefix: "https://media.example/"})
	c := open(t, srv, network.Env{}, true)
	ctx := context.Background()
	// Inbox: no privacy needed, the creator finishes in the app.
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "draft", Media: []network.Media{video(1000)}}}, Options: map[string]string{"tiktok_mode": "inbox"}})
	require.NoError(t, err)
	require.Equal(t, StatusSendToInbox, res.Parts[0].Extra["status"])
	// Photos are pulled from their signed URLs.
	photos := []network.Media{{MIME: "image/jpeg", URL: "https://media.example/a.jpg"}, {MIME: "image/png", URL: "https://media.example/b.png"}}
	res, err = c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Deux photos", Media: photos}}, Options: map[string]string{"privacy_level": "SELF_ONLY", "photo_title": "Titre"}})
	require.NoError(t, err)
	require.Equal(t, StatusComplete, res.Parts[0].Extra["status"])
	require.True(t, strings.HasPrefix(res.Parts[0].ID, "v_pub"), "a private post has no public id: the publish_id stands for it")
	pubs := srv.Publishes()
	require.Equal(t, "video", pubs[0].Kind)
	require.Equal(t, "PULL_FROM_URL", pubs[0].Source, "the operator verified the domain: videos are pulled")
	require.Equal(t, "photo", pubs[1].Kind)
	require.Equal(t, []string{"https://media.example/a.jpg", "https://media.example/b.png"}, pubs[1].URLs)
	require.Equal(t, "Titre", pubs[1].Title)
	require.Equal(t, "Deux photos", pubs[1].Description)
	// An unverified host is refused permanently.
	_, err = c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{{MIME: "image/jpeg", URL: "https://elsewhere.example/a.jpg"}}}}, Options: map[string]string{"privacy_level": "SELF_ONLY"}})
	require.Equal(t, network.Permanent, network.ClassOf(err))
	require.ErrorContains(t, err, "url_ownership_unverified")
	// A video with photos is refused before any call.
	_, err = c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "x", Media: append(photos, video(10))}}, Options: map[string]string{"privacy_level": "SELF_ONLY"}})
	require.Equal(t, network.InvalidContent, network.ClassOf(err))
}

// TestExactlyOnceAfterCrash: the publish_id is recorded before polling; a
// retry of the same publication after the status calls failed (or after a
// restart) polls it and never initialises again.
func TestExactlyOnceAfterCrash(t *testing.T) {
	srv := tiktoktest.New(t, tiktoktest.Options{})
	cp := &checkpoint.Memory{}
	c := open(t, srv, cp.Env(network.Env{}), false)
	req := network.PublishRequest{IdempotencyKey: "pub-7", Parts: []network.Part{{Text: "once", Media: []network.Media{video(6 << 20)}}}, Options: map[string]string{"privacy_level": "SELF_ONLY"}}
	srv.Inject(tiktoktest.Fault{Route: "POST /v2/post/publish/status/fetch/", Kind: tiktoktest.Drop, Times: 1})
	_, err := c.Publish(context.Background(), req)
	require.Error(t, err)
	require.Equal(t, 1, srv.Count("POST /v2/post/publish/video/init/"))
	require.Contains(t, cp.Value("tiktok:pub-7"), "v_pub")

	// A new instance (a restart) resumes: uploads the bytes under the recorded publish_id and polls.
	c2 := open(t, srv, cp.Env(network.Env{}), false)
	res, err := c2.Publish(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, 1, srv.Count("POST /v2/post/publish/video/init/"), "exactly one init")
	require.Len(t, srv.Publishes(), 1)
	require.Equal(t, StatusComplete, srv.Publishes()[0].Status)
	require.Equal(t, srv.Publishes()[0].ID, res.Parts[0].ID)

	// A lost init answer for FILE_UPLOAD is safe to retry: nothing was uploaded.
	srv.Inject(tiktoktest.Fault{Route: "POST /v2/post/publish/video/init/", Kind: tiktoktest.Drop})
	req8 := network.PublishRequest{IdempotencyKey: "pub-8", Parts: req.Parts, Options: req.Options}
	_, err = c2.Publish(context.Background(), req8)
	require.Equal(t, network.Retryable, network.ClassOf(err))
	_, err = c2.Publish(context.Background(), req8)
	require.NoError(t, err)
	require.Len(t, srv.Publishes(), 2)

	// A lost answer to a PULL_FROM_URL init may have published: the retry asks a person instead of posting again.
	pull := open(t, srv, cp.Env(network.Env{}), true)
	srv.Inject(tiktoktest.Fault{Route: "POST /v2/post/publish/video/init/", Kind: tiktoktest.CommitThenFail})
	req9 := network.PublishRequest{IdempotencyKey: "pub-9", Parts: req.Parts, Options: req.Options}
	_, err = pull.Publish(context.Background(), req9)
	require.Error(t, err)
	_, err = pull.Publish(context.Background(), req9)
	require.Equal(t, network.Unknown, network.ClassOf(err))
	require.ErrorContains(t, err, "check the TikTok profile")
	require.Len(t, srv.Publishes(), 3, "the pulled video was initialised once")
}

func TestFailReasonsAndLimits(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for reason, want := range map[string]network.Class{
		"duration_check_failed":              network.InvalidContent,
		"file_format_check_failed":           network.InvalidContent,
		"internal":                           network.Retryable,
		"video_pull_failed":                  network.Retryable,
		"spam_risk_too_many_posts":           network.Retryable,
		"spam_risk_user_banned_from_posting": network.Permanent,
		"auth_removed":                       network.AuthReconnect,
		"publish_cancelled":                  network.Permanent,
	} {
		srv := tiktoktest.New(t, tiktoktest.Options{FailReason: reason})
		cp := &checkpoint.Memory{}
		c := open(t, srv, cp.Env(network.Env{Now: func() time.Time { return now }}), false)
		_, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "f", Parts: []network.Part{{Text: "x", Media: []network.Media{video(100)}}}, Options: map[string]string{"privacy_level": "SELF_ONLY"}})
		require.Equal(t, want, network.ClassOf(err), reason)
		require.ErrorContains(t, err, reason)
		require.Empty(t, cp.Value("tiktok:f"), "a failed publish_id is forgotten: a retry starts anew")
	}

	// The 7th init within a minute is rate limited: retryable a minute later, and reported as the rate limit.
	srv := tiktoktest.New(t, tiktoktest.Options{})
	c := open(t, srv, network.Env{}, false)
	var err error
	for i := 0; i < 7 && err == nil; i++ {
		_, err = c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{video(100)}}}, Options: map[string]string{"privacy_level": "SELF_ONLY"}})
	}
	require.ErrorIs(t, err, network.ErrRateLimited)
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.Equal(t, "rate_limit_exceeded", ne.Code)
	require.NotEmpty(t, ne.TraceID, "the log_id is kept")
	require.WithinDuration(t, time.Now().Add(time.Minute), ne.RetryAfter, 5*time.Second)
	require.Equal(t, 0, c.RateLimit().Remaining)
	require.Equal(t, ne.RetryAfter, c.RateLimit().Reset)

	// The daily cap waits a day.
	srv.Inject(tiktoktest.Fault{Route: "POST /v2/post/publish/creator_info/query/", Kind: tiktoktest.SpamRisk})
	c2 := open(t, srv, network.Env{}, false)
	_, err = c2.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{video(100)}}}, Options: map[string]string{"privacy_level": "SELF_ONLY"}})
	require.ErrorAs(t, err, &ne)
	require.Equal(t, network.Retryable, ne.Class)
	require.WithinDuration(t, time.Now().Add(24*time.Hour), ne.RetryAfter, 5*time.Second)
}

func TestTokenRenewal(t *testing.T) {
	srv := tiktoktest.New(t, tiktoktest.Options{})
	var saved map[string]string
	c := open(t, srv, network.Env{SaveSecrets: func(_ context.Context, s map[string]string) error { saved = s; return nil }}, false)
	srv.Expire()
	_, err := c.Identify(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, srv.Count("POST /v2/oauth/token/"))
	access, _ := srv.Tokens()
	require.NotEqual(t, access, saved[network.SecretAccess], "the renewed pair is saved")
	require.NotEmpty(t, saved[network.SecretRefresh])

	// A refused refresh token needs a reconnect.
	srv.Expire()
	c2 := open(t, srv, network.Env{}, false) // holds the first refresh token, already used
	_, err = c2.Identify(context.Background())
	require.Equal(t, network.AuthReconnect, network.ClassOf(err))
	// Without a client key nothing renews: the expiry is reported.
	c3, err := Provider{App: &App{APIURL: srv.URL}}.Open(network.Env{}, network.Stored{Secrets: map[string]string{network.SecretAccess: "a", network.SecretExpiresAt: "2027-01-01T00:00:00Z"}})
	require.NoError(t, err)
	require.Equal(t, 2027, c3.(*Connector).TokenExpiry().Year())
	require.Equal(t, network.Permanent, network.ClassOf(c3.Delete(context.Background(), "1")))
}
