package vimeo

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/vimeo/vimeotest"
	"github.com/stretchr/testify/require"
)

type checkpoints struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *checkpoints) env() network.Env {
	return network.Env{
		HTTP: &http.Client{Timeout: 10 * time.Second},
		Checkpoint: func(_ context.Context, key string) (string, error) {
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.m[key], nil
		},
		SetCheckpoint: func(_ context.Context, key, value string) error {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.m == nil {
				c.m = map[string]string{}
			}
			c.m[key] = value
			return nil
		},
	}
}

func plainEnv() network.Env { return network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}} }

func provider(srv *vimeotest.Server) Provider {
	return Provider{App: &App{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), APIURL: srv.URL}}
}

func open(t *testing.T, srv *vimeotest.Server, env network.Env) *Connector {
	t.Helper()
	c, err := provider(srv).Open(env, network.Stored{Settings: map[string]string{"user_uri": vimeotest.UserURI}, Secrets: map[string]string{secretAccess: srv.Token()}})
	require.NoError(t, err)
	vc := c.(*Connector)
	vc.chunkSize = 100_000
	return vc
}

func video(n int) network.Media {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 13)
	}
	return network.Media{MIME: "video/mp4", Data: b}
}

func TestConnect(t *testing.T) {
	srv := vimeotest.New(t, vimeotest.Options{})
	ctx := context.Background()
	p := provider(srv)
	acct, st, err := p.Connect(ctx, plainEnv(), map[string]string{"access_token": srv.Token()})
	require.NoError(t, err)
	require.Equal(t, "4242", acct.RemoteID)
	require.Equal(t, "relaisfake", acct.Handle)
	require.Equal(t, vimeotest.UserURI, st.Settings["user_uri"])

	u, keep, err := p.AuthorizeURL(ctx, plainEnv(), nil, "http://relais.test/oauth/callback/vimeo", "s")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(u, srv.URL+"/oauth/authorize?"), u)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(u)
	require.NoError(t, err)
	res.Body.Close()
	back, _ := url.Parse(res.Header.Get("Location"))
	acct, st, err = p.Exchange(ctx, plainEnv(), keep, "http://relais.test/oauth/callback/vimeo", back.Query().Get("code"))
	require.NoError(t, err)
	require.Equal(t, "4242", acct.RemoteID)
	require.Equal(t, srv.Token(), st.Secrets[secretAccess])
	_, _, err = p.Exchange(ctx, plainEnv(), keep, "http://relais.test/oauth/callback/vimeo", back.Query().Get("code"))
	require.Equal(t, network.Permanent, network.ClassOf(err), "a code works once")

	// A revoked token needs a reconnect: Vimeo tokens have no refresh.
	c := open(t, srv, plainEnv())
	srv.Inject(vimeotest.Fault{Route: "GET /me", Kind: vimeotest.Unauthorized})
	_, err = c.Identify(ctx)
	require.Equal(t, network.AuthReconnect, network.ClassOf(err))
}

// TestPublishTusExactlyOnce: the video is made once and its bytes sent with
// PATCH from the offset HEAD reports, across an interrupted chunk, an
// attempt that gave up, a new process, and a lost create answer.
func TestPublishTusExactlyOnce(t *testing.T) {
	srv := vimeotest.New(t, vimeotest.Options{})
	var cp checkpoints
	ctx := context.Background()
	req := network.PublishRequest{IdempotencyKey: "v-1", Parts: []network.Part{{Text: "Le merle\nchante", Media: []network.Media{video(250_000)}}},
		FirstComment: "Merci", Options: map[string]string{"privacy_view": "password", "password": "s3cret", "privacy_embed": "private"}}
	srv.Inject(vimeotest.Fault{Route: "PATCH /tus/:id", Kind: vimeotest.Interrupt})
	res, err := open(t, srv, cp.env()).Publish(ctx, req)
	require.NoError(t, err)
	vs := srv.Videos()
	require.Len(t, vs, 1)
	v := vs[0]
	require.Equal(t, v.ID, res.Parts[0].ID)
	require.Equal(t, "https://vimeo.com/"+v.ID, res.Parts[0].URL)
	require.Equal(t, "Le merle", v.Name)
	require.Equal(t, "Le merle\nchante", v.Description)
	require.Equal(t, "password", v.View)
	require.Equal(t, "s3cret", v.Password)
	require.Equal(t, "private", v.Embed)
	require.Equal(t, req.Parts[0].Media[0].Data, v.Received, "every byte, in order")
	require.NotNil(t, res.FirstComment)
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPatch {
			require.Equal(t, "1.0.0", r.Header.Get("Tus-Resumable"))
			require.Equal(t, "application/offset+octet-stream", r.Header.Get("Content-Type"))
			require.Empty(t, r.Header.Get("Authorization"), "the upload link is the credential")
		}
	}

	// An attempt that gives up keeps the upload; the next process resumes it.
	req2 := req
	req2.IdempotencyKey, req2.FirstComment = "v-2", ""
	srv.Inject(vimeotest.Fault{Route: "PATCH /tus/:id", Kind: vimeotest.Drop, Times: 100})
	_, err = open(t, srv, cp.env()).Publish(ctx, req2)
	require.Equal(t, network.Retryable, network.ClassOf(err), "%v", err)
	srv.Clear()
	res, err = open(t, srv, cp.env()).Publish(ctx, req2)
	require.NoError(t, err)
	require.Len(t, srv.Videos(), 2)
	require.Equal(t, 2, srv.Count("POST /me/videos"))

	// The create call's answer is lost: the next attempt finds the video it made.
	req3 := req2
	req3.IdempotencyKey = "v-3"
	req3.Options = map[string]string{"title": "Troisième"}
	srv.Inject(vimeotest.Fault{Route: "POST /me/videos", Kind: vimeotest.CommitThenDrop})
	_, err = open(t, srv, cp.env()).Publish(ctx, req3)
	require.Error(t, err)
	res, err = open(t, srv, cp.env()).Publish(ctx, req3)
	require.NoError(t, err)
	require.Len(t, srv.Videos(), 3, "no second video")
	require.Equal(t, srv.Videos()[2].ID, res.Parts[0].ID)
	require.Len(t, srv.Videos()[2].Received, 250_000)

	// A retry after success does nothing.
	again, err := open(t, srv, cp.env()).Publish(ctx, req3)
	require.NoError(t, err)
	require.Equal(t, res.Parts, again.Parts)
	require.Len(t, srv.Videos(), 3)
}

func TestOptionsAndLimits(t *testing.T) {
	srv := vimeotest.New(t, vimeotest.Options{})
	c := open(t, srv, plainEnv())
	ctx := context.Background()
	for opts, want := range map[string]map[string]string{
		"privacy_view must be one of":                   {"privacy_view": "friends"},
		"needs the password option":                     {"privacy_view": "password"},
		"privacy_embed must be one of":                  {"privacy_embed": "anywhere"},
		"128 characters in the title; this one has 129": {"title": strings.Repeat("a", 129)},
	} {
		_, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{video(10)}}}, Options: want})
		require.ErrorContains(t, err, opts)
		require.Equal(t, network.InvalidContent, network.ClassOf(err))
	}
	require.Empty(t, srv.Requests())
	l := network.DefaultLimits[network.Vimeo]
	ps := compose.Validate(compose.Draft{Text: "x", Media: []compose.MediaInfo{{Kind: compose.MediaVideo}}, Options: map[string]string{"title": strings.Repeat("a", 130)}}, l)
	require.Len(t, ps, 1)
	require.Equal(t, `Vimeo allows 128 characters in the option "title"; this variant has 130`, ps[0].Message)
	require.Equal(t, compose.CodeVideoRequired, compose.Validate(compose.Draft{Text: "x"}, l)[0].Code)
}

func TestCommentsMetricsRateLimits(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	srv := vimeotest.New(t, vimeotest.Options{Now: func() time.Time { return now }, RateLimit: 30})
	env := plainEnv()
	env.Now = func() time.Time { return now }
	c := open(t, srv, env)
	ctx := context.Background()
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Vidéo", Media: []network.Media{video(1000)}}}})
	require.NoError(t, err)
	vid := res.Parts[0].ID
	top := srv.AddComment(vid, "", "alice", "Superbe")
	srv.AddComment(vid, top, "bob", "Oui")

	got, err := c.Comments(ctx, vid)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "Superbe", got[0].Text)
	require.Equal(t, vid, got[0].ParentID)
	require.Equal(t, "reply", got[1].Kind)
	require.Equal(t, got[0].RemoteID, got[1].ParentID)

	// Answering the reply answers its thread (replies are one level deep).
	rp, err := c.Reply(ctx, got[1].RemoteID, "Merci")
	require.NoError(t, err)
	cm, ok := srv.Comment(rp.ID[strings.LastIndexByte(rp.ID, '/')+1:])
	require.True(t, ok)
	require.Equal(t, top, cm.ParentID)
	got, err = c.Comments(ctx, vid)
	require.NoError(t, err)
	require.Len(t, got, 2, "the account's own reply is left out")

	srv.SetStats(vid, 77, 5)
	pm, err := c.PostMetrics(ctx, []string{vid, "1"})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Views: 77, Likes: 5, Replies: 3, Reposts: -1, Quotes: -1}, pm[vid])
	st, err := c.AccountStats(ctx)
	require.NoError(t, err)
	require.Equal(t, network.AccountStats{Followers: 321, Following: 12, Posts: 1}, st)

	rl := c.RateLimit()
	require.Equal(t, 30, rl.Limit)
	require.Positive(t, rl.Remaining)
	require.True(t, now.Add(15*time.Minute).Equal(rl.Reset), "%v", rl.Reset)
	var err429 error
	for i := 0; i < 40 && err429 == nil; i++ {
		_, err429 = c.Followers(ctx)
	}
	var ne *network.Error
	require.ErrorAs(t, err429, &ne)
	require.ErrorIs(t, err429, network.ErrRateLimited)
	require.True(t, now.Add(15*time.Minute).Equal(ne.RetryAfter), "%v", ne.RetryAfter)
	require.Equal(t, 0, c.RateLimit().Remaining)

	// On the Basic plan Vimeo does not report plays: -1.
	basic := vimeotest.New(t, vimeotest.Options{Plan: "basic"})
	bc := open(t, basic, plainEnv())
	r2, err := bc.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "b", Media: []network.Media{video(10)}}}})
	require.NoError(t, err)
	pm, err = bc.PostMetrics(ctx, []string{r2.Parts[0].ID})
	require.NoError(t, err)
	require.Equal(t, int64(-1), pm[r2.Parts[0].ID].Views)

	now = now.Add(16 * time.Minute) // a new window
	require.NoError(t, c.Delete(ctx, vid))
	require.NoError(t, c.Delete(ctx, vid), "already gone counts as deleted")
}
