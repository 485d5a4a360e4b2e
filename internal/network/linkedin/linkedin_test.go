package linkedin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/linkedin/linkedintest"
	"github.com/stretchr/testify/require"
)

type saved struct {
	mu   sync.Mutex
	last map[string]string
	n    int
}

func (s *saved) save(_ context.Context, m map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last, s.n = m, s.n+1
	return nil
}

func testEnv(sv *saved) network.Env {
	env := network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}
	if sv != nil {
		env.SaveSecrets = sv.save
	}
	return env
}

func testProvider(srv *linkedintest.Server, version string) Provider {
	id, secret := srv.App()
	return Provider{App: &App{ClientID: id, ClientSecret: secret, APIURL: srv.URL, Version: version}}
}

// open connects to the fake as the member or the organization, polling fast.
func open(t *testing.T, srv *linkedintest.Server, as string, sv *saved, withRefresh bool) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	secrets := map[string]string{"access_token": access}
	if withRefresh {
		secrets["refresh_token"] = refresh
	}
	author := "urn:li:person:" + linkedintest.MemberID
	if as == AsOrganization {
		author = "urn:li:organization:2414183"
	}
	c, err := testProvider(srv, "").Open(testEnv(sv), network.Stored{Settings: map[string]string{"as": as, "author": author}, Secrets: secrets})
	require.NoError(t, err)
	lc := c.(*Connector)
	lc.pollEvery, lc.lookupEvery = time.Millisecond, time.Millisecond
	return lc
}

// signIn follows the consent page of the fake and returns the code.
func signIn(t *testing.T, consent string) string {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(consent)
	require.NoError(t, err)
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	return back.Query().Get("code")
}

func TestConnectByOAuthPicksTheAuthor(t *testing.T) {
	srv := linkedintest.New(t, linkedintest.Options{Organizations: []linkedintest.Organization{
		{ID: 1, Name: "Alpha Bakery", Vanity: "alpha"}, {ID: 2, Name: "Beta Books", Vanity: "beta", Followers: 77},
	}})
	p := testProvider(srv, "")
	ctx := context.Background()
	cases := []struct {
		name, as, org, wantID, wantErr string
	}{
		{"member", AsMember, "", "urn:li:person:" + linkedintest.MemberID, ""},
		{"organization by vanity name", AsOrganization, "beta", "urn:li:organization:2", ""},
		{"organization by name", AsOrganization, "alpha bakery", "urn:li:organization:1", ""},
		{"several organizations, none chosen", AsOrganization, "", "", "administers 2 organization pages (Alpha Bakery, Beta Books)"},
		{"unknown organization", AsOrganization, "gamma", "", `No organization page named "gamma"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			consent, keep, err := p.AuthorizeURL(ctx, testEnv(nil), map[string]string{"as": tc.as, "organization": tc.org}, "http://relais.test/oauth/callback/linkedin", "st")
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(consent, srv.URL+"/oauth/v2/authorization?"), consent)
			require.Contains(t, consent, "w_organization_social")
			acct, stored, err := p.Exchange(ctx, testEnv(nil), keep, "http://relais.test/oauth/callback/linkedin", signIn(t, consent))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantID, acct.RemoteID)
			require.Equal(t, tc.wantID, stored.Settings["author"])
			require.NotEmpty(t, stored.Secrets["refresh_token"])
			require.NotEmpty(t, stored.Secrets["expires_at"])
		})
	}
	_, _, err := Provider{App: &App{}}.AuthorizeURL(ctx, testEnv(nil), nil, "http://x", "s")
	require.ErrorContains(t, err, "RELAIS_LINKEDIN_CLIENT_ID")
}

func TestPublishTextSendsVersionHeadersAndEscapes(t *testing.T) {
	srv := linkedintest.New(t, linkedintest.Options{})
	c := open(t, srv, AsOrganization, nil, false)
	text := "Nouveautés (enfin) : 50% off *today* — write to [us] @ the shop #bakery"
	res, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: text}}, FirstComment: "Details below"})
	require.NoError(t, err)
	require.Len(t, res.Parts, 1)
	require.True(t, strings.HasPrefix(res.Parts[0].ID, "urn:li:share:"))
	require.Equal(t, "https://www.linkedin.com/feed/update/"+res.Parts[0].ID+"/", res.Parts[0].URL)
	posts := srv.Posts()
	require.Len(t, posts, 1)
	require.Equal(t, text, UnescapeText(posts[0].Commentary))
	require.Contains(t, posts[0].Commentary, `#bakery`)
	require.Contains(t, posts[0].Commentary, `\(enfin\)`)
	require.NotNil(t, res.FirstComment)
	require.Equal(t, "Details below", srv.Comments()[0].Text)
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/rest/") {
			require.Equal(t, DefaultVersion, r.Header.Get("LinkedIn-Version"), r.Path)
			require.Equal(t, "2.0.0", r.Header.Get("X-Restli-Protocol-Version"), r.Path)
		}
	}
}

func TestSunsetVersionIsATypedErrorNamingTheSetting(t *testing.T) {
	srv := linkedintest.New(t, linkedintest.Options{})
	access, _ := srv.Tokens()
	for _, v := range []string{"202401", "209912"} {
		conn, err := testProvider(srv, v).Open(testEnv(nil), network.Stored{Settings: map[string]string{"as": AsMember, "author": "urn:li:person:" + linkedintest.MemberID}, Secrets: map[string]string{"access_token": access}})
		require.NoError(t, err)
		_, err = conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "hello"}}})
		require.ErrorIs(t, err, ErrVersion)
		var ve *VersionError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, v, ve.Version)
		require.Equal(t, network.Permanent, network.ClassOf(err))
		require.Contains(t, err.Error(), "--linkedin-version")
		require.Contains(t, err.Error(), "RELAIS_LINKEDIN_VERSION")
		require.Contains(t, network.UserMessage(err), "--linkedin-version", "what the attempt log shows names the setting")
		require.Contains(t, network.UserMessage(err), v)
	}
	require.Empty(t, srv.Posts())
	require.True(t, ValidVersion("202607"))
	require.True(t, ValidVersion("202508.02"))
	require.False(t, ValidVersion("2026-07"))
	require.False(t, ValidVersion("202613"))
}

func TestPublishMedia(t *testing.T) {
	img := func(alt string) network.Media {
		return network.Media{MIME: "image/jpeg", Data: []byte("jpeg bytes " + alt), AltText: alt}
	}
	cases := []struct {
		name  string
		part  network.Part
		opts  map[string]string
		check func(t *testing.T, content map[string]any)
	}{
		{"one image", network.Part{Text: "one", Media: []network.Media{img("a cat")}}, nil, func(t *testing.T, c map[string]any) {
			m := c["media"].(map[string]any)
			require.True(t, strings.HasPrefix(m["id"].(string), "urn:li:image:"))
			require.Equal(t, "a cat", m["altText"])
		}},
		{"multi image", network.Part{Text: "three", Media: []network.Media{img("1"), img("2"), img("3")}}, nil, func(t *testing.T, c map[string]any) {
			require.Len(t, c["multiImage"].(map[string]any)["images"], 3)
		}},
		{"article with thumbnail", network.Part{Text: "read", Link: "https://example.com/a", Media: []network.Media{img("thumb")}},
			map[string]string{"article_title": "A title", "article_description": "Why"}, func(t *testing.T, c map[string]any) {
				a := c["article"].(map[string]any)
				require.Equal(t, "https://example.com/a", a["source"])
				require.Equal(t, "A title", a["title"])
				require.Equal(t, "Why", a["description"])
				require.True(t, strings.HasPrefix(a["thumbnail"].(string), "urn:li:image:"))
			}},
		{"document", network.Part{Text: "deck", Media: []network.Media{{MIME: "application/pdf", Data: []byte("%PDF-1.7")}}},
			map[string]string{"document_title": "Deck"}, func(t *testing.T, c map[string]any) {
				m := c["media"].(map[string]any)
				require.True(t, strings.HasPrefix(m["id"].(string), "urn:li:document:"))
				require.Equal(t, "Deck", m["title"])
			}},
		{"video in parts", network.Part{Text: "film", Media: []network.Media{{MIME: "video/mp4", Data: []byte(strings.Repeat("v", 25))}}}, nil, func(t *testing.T, c map[string]any) {
			require.True(t, strings.HasPrefix(c["media"].(map[string]any)["id"].(string), "urn:li:video:"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := linkedintest.New(t, linkedintest.Options{PartSize: 10, VideoPolls: 2})
			c := open(t, srv, AsMember, nil, false)
			_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{tc.part}, Options: tc.opts})
			require.NoError(t, err)
			posts := srv.Posts()
			require.Len(t, posts, 1)
			tc.check(t, posts[0].Content)
		})
	}
	srv := linkedintest.New(t, linkedintest.Options{PartSize: 10})
	c := open(t, srv, AsMember, nil, false)
	_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{{MIME: "video/mp4", Data: []byte("v")}, img("a")}}}})
	require.Equal(t, network.InvalidContent, network.ClassOf(err))
	require.Zero(t, srv.Count("POST /rest/videos?action=initializeUpload"), "nothing uploaded for a refused post")

	// 25 bytes in parts of 10: three PUTs, finalised with their ETags in order.
	_, err = c.uploadVideo(context.Background(), network.Media{Data: []byte(strings.Repeat("v", 25))})
	require.NoError(t, err)
	require.Equal(t, 3, srv.Count("PUT /upload/:id/part/:id"))
	require.Equal(t, 1, srv.Count("POST /rest/videos?action=finalizeUpload"))
}

func TestExactlyOnce(t *testing.T) {
	for _, tc := range []struct {
		fault      linkedintest.FaultKind
		posts      int
		reconciled bool
		class      network.Class
	}{
		{linkedintest.CommitThenFail, 1, true, ""},
		{linkedintest.CommitThenDrop, 1, true, ""},
		{linkedintest.ServerError, 0, false, network.Retryable},
		{linkedintest.Drop, 0, false, network.Retryable},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			srv := linkedintest.New(t, linkedintest.Options{})
			c := open(t, srv, AsMember, nil, false)
			srv.Inject(linkedintest.Fault{Route: "POST /rest/posts", Kind: tc.fault})
			res, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "Once (only)"}}})
			require.Len(t, srv.Posts(), tc.posts)
			if tc.reconciled {
				require.NoError(t, err)
				require.Equal(t, srv.Posts()[0].ID, res.Parts[0].ID)
				require.Equal(t, "true", res.Parts[0].Extra["reconciled"])
				return
			}
			require.Equal(t, tc.class, network.ClassOf(err))
			require.Contains(t, err.Error(), "safe to retry")
			// The retry the engine makes publishes once.
			_, err = c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "Once (only)"}}})
			require.NoError(t, err)
			require.Len(t, srv.Posts(), 1)
		})
	}
}

func TestErrorsAndRateLimits(t *testing.T) {
	ctx := context.Background()
	req := network.PublishRequest{Parts: []network.Part{{Text: "hi"}}}
	t.Run("401 without refresh token needs a reconnect", func(t *testing.T) {
		srv := linkedintest.New(t, linkedintest.Options{})
		c := open(t, srv, AsMember, nil, false)
		srv.Expire()
		_, err := c.Publish(ctx, req)
		require.Equal(t, network.AuthReconnect, network.ClassOf(err))
		require.ErrorIs(t, err, network.ErrAuth)
	})
	t.Run("401 with refresh token renews and saves", func(t *testing.T) {
		srv := linkedintest.New(t, linkedintest.Options{})
		sv := &saved{}
		c := open(t, srv, AsMember, sv, true)
		srv.Expire()
		_, err := c.Publish(ctx, req)
		require.NoError(t, err)
		require.Equal(t, 1, sv.n)
		access, _ := srv.Tokens()
		require.NotEqual(t, access, sv.last["access_token"])
		require.Len(t, srv.Posts(), 1)
	})
	t.Run("429 without headers", func(t *testing.T) {
		srv := linkedintest.New(t, linkedintest.Options{})
		c := open(t, srv, AsMember, nil, false)
		srv.Inject(linkedintest.Fault{Route: "POST /rest/posts", Kind: linkedintest.RateLimited})
		_, err := c.Publish(ctx, req)
		require.ErrorIs(t, err, network.ErrRateLimited)
		var ne *network.Error
		require.ErrorAs(t, err, &ne)
		require.True(t, ne.RetryAfter.IsZero(), "no reset known: the engine's backoff")
		require.NotEmpty(t, ne.TraceID)
		require.Equal(t, 0, c.RateLimit().Remaining)
	})
	t.Run("422 and too long", func(t *testing.T) {
		srv := linkedintest.New(t, linkedintest.Options{})
		c := open(t, srv, AsMember, nil, false)
		_, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("a", 3001)}}})
		require.Equal(t, network.InvalidContent, network.ClassOf(err))
		require.Contains(t, err.Error(), "3000")
		srv.Inject(linkedintest.Fault{Route: "POST /rest/posts", Kind: linkedintest.Forbidden})
		_, err = c.Publish(ctx, req)
		require.Equal(t, network.Permanent, network.ClassOf(err))
		_, err = c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "a"}}, Options: map[string]string{"visibility": "FRIENDS"}})
		require.ErrorContains(t, err, "visibility must be PUBLIC or CONNECTIONS")
	})
}

func TestCommentsRepliesAndMetrics(t *testing.T) {
	ctx := context.Background()
	srv := linkedintest.New(t, linkedintest.Options{})
	c := open(t, srv, AsOrganization, nil, false)
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Open day"}}})
	require.NoError(t, err)
	post := res.Parts[0].ID
	first := srv.AddComment("urn:li:person:someone", post, "Is it free?")
	srv.AddComment("urn:li:person:other", first, "I think so")
	list, err := c.Comments(ctx, post)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, "Is it free?", list[0].Text)
	require.Equal(t, post, list[0].ParentID)
	require.Equal(t, first, list[1].ParentID)
	require.Equal(t, post, list[1].RootID)

	rp, err := c.Reply(ctx, first, "Yes, free")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(rp.ID, "urn:li:comment:("), rp.ID)
	got, ok, err := c.FindReply(ctx, first, "Yes, free")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, rp.ID, got.ID)
	_, ok, err = c.FindReply(ctx, post, "never said")
	require.NoError(t, err)
	require.False(t, ok)

	srv.React(post, "LIKE", 4)
	srv.React(post, "PRAISE", 2)
	m, err := c.PostMetrics(ctx, []string{post})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Likes: 6, Replies: 1, Reposts: 3, Quotes: -1, Views: 900}, m[post])
	st, err := c.AccountStats(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(1234), st.Followers)
	require.NoError(t, c.Delete(ctx, post))
	require.NoError(t, c.Delete(ctx, post), "already gone counts as deleted")
	require.Empty(t, srv.Posts())

	member := open(t, srv, AsMember, nil, false)
	f, err := member.Followers(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(-1), f)
}

func TestPostOptionsAreRegistered(t *testing.T) {
	fields := network.PostOptionsFor(network.LinkedIn)
	require.NotEmpty(t, fields)
	b, err := json.Marshal(fields)
	require.NoError(t, err)
	require.Contains(t, string(b), "article_title")
	require.True(t, errors.Is(versionError("202401", &network.Error{}), ErrVersion))
}

// checkpoints is the host's durable checkpoint store, shared by two
// connectors as by two processes.
type checkpoints struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *checkpoints) env(env network.Env) network.Env {
	env.Checkpoint = func(_ context.Context, k string) (string, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.m[k], nil
	}
	env.SetCheckpoint = func(_ context.Context, k, v string) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.m[k] = v
		return nil
	}
	return env
}

// TestRetryAfterACrashLooksFirst: the first process's create went out but
// neither its answer nor its lookup came back (as if it died); the next
// process, retrying the same publication, finds the post through the
// recorded attempt instead of posting twice. A recorded attempt whose post
// never reached LinkedIn is created once.
func TestRetryAfterACrashLooksFirst(t *testing.T) {
	for _, committed := range []bool{true, false} {
		srv := linkedintest.New(t, linkedintest.Options{})
		cp := &checkpoints{m: map[string]string{}}
		access, _ := srv.Tokens()
		stored := network.Stored{Settings: map[string]string{"as": AsMember, "author": "urn:li:person:" + linkedintest.MemberID}, Secrets: map[string]string{"access_token": access}}
		openProcess := func() *Connector {
			c, err := testProvider(srv, "").Open(cp.env(testEnv(nil)), stored)
			require.NoError(t, err)
			lc := c.(*Connector)
			lc.lookupEvery = time.Millisecond
			return lc
		}
		req := network.PublishRequest{IdempotencyKey: "pub-42", Parts: []network.Part{{Text: "Une fois (seulement)"}}}
		first := openProcess()
		kind := linkedintest.CommitThenDrop
		if !committed {
			kind = linkedintest.Drop
		}
		srv.Inject(linkedintest.Fault{Route: "POST /rest/posts", Kind: kind})
		srv.Inject(linkedintest.Fault{Route: "GET /rest/posts", Kind: linkedintest.ServerError})
		_, err := first.Publish(context.Background(), req)
		require.Equal(t, network.Unknown, network.ClassOf(err), "%v", err)

		res, err := openProcess().Publish(context.Background(), req)
		require.NoError(t, err)
		require.Len(t, srv.Posts(), 1, "committed=%v: exactly one post", committed)
		require.Equal(t, srv.Posts()[0].ID, res.Parts[0].ID)
		require.Equal(t, committed, res.Parts[0].Extra["reconciled"] == "true")
	}
}
