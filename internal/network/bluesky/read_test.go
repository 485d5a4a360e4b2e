package bluesky

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/bluesky/blueskytest"
)

// fakeBundle is what a test against the fake needs.
type fakeBundle struct {
	srv   *blueskytest.Server
	conn  *Connector
	clock *fakeClock
	saved *savedSecrets
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type savedSecrets struct {
	mu  sync.Mutex
	all []map[string]string
}

func (s *savedSecrets) save(_ context.Context, m map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, m)
	return nil
}

func (s *savedSecrets) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.all)
}

func setupFake(t *testing.T, opts Options) fakeBundle {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	srv := blueskytest.New(t)
	srv.Now = clock.Now
	saved := &savedSecrets{}
	yes := true
	env := network.Env{
		HTTP:        network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes, Timeout: 5 * time.Second}),
		Now:         clock.Now,
		SaveSecrets: saved.save,
	}
	p := NewProvider(opts)
	acct, stored, err := p.Connect(context.Background(), env, map[string]string{"handle": srv.Handle, "app_password": srv.Password, "pds_url": srv.URL})
	require.NoError(t, err)
	require.Equal(t, network.Account{RemoteID: srv.DID, Handle: srv.Handle, DisplayName: "Alice", URL: "https://bsky.app/profile/alice.test",
		AvatarURL: srv.URL + "/xrpc/com.atproto.sync.getBlob?cid=bafkreiavatar&did=did%3Aplc%3Aalice0000000000000000000"}, acct)
	c, err := p.Open(env, stored)
	require.NoError(t, err)
	return fakeBundle{srv: srv, conn: c.(*Connector), clock: clock, saved: saved}
}

func postURI(n int) string {
	return fmt.Sprintf("at://did:plc:alice0000000000000000000/app.bsky.feed.post/3l%011d", n)
}

func TestPostMetricsBatchesBy25(t *testing.T) {
	t.Parallel()
	b := setupFake(t, Options{AppViewProxy: "did:web:api.bsky.app#bsky_appview"})
	var uris []string
	for i := range 30 {
		uris = append(uris, postURI(i))
		if i != 7 { // one post was deleted: the AppView leaves it out
			b.srv.AddPost(blueskytest.Post{URI: postURI(i), AuthorDID: b.srv.DID, AuthorHandle: b.srv.Handle, Text: "p",
				Likes: int64(i), Reposts: 2, Replies: 3, Quotes: 4})
		}
	}
	got, err := b.conn.PostMetrics(context.Background(), uris)
	require.NoError(t, err)
	require.Len(t, got, 29)
	require.Equal(t, network.PostMetrics{Likes: 12, Reposts: 2, Replies: 3, Quotes: 4, Views: -1}, got[postURI(12)])
	_, ok := got[postURI(7)]
	require.False(t, ok)
	var batches []int
	for _, r := range b.srv.Requests() {
		if r.NSID == "app.bsky.feed.getPosts" {
			batches = append(batches, len(r.Query["uris"]))
			require.Equal(t, "did:web:api.bsky.app#bsky_appview", r.Header.Get("atproto-proxy"))
			require.Contains(t, r.Header.Get("Authorization"), "Bearer ")
		}
	}
	require.Equal(t, []int{25, 5}, batches)
}

func TestFollowersAndComments(t *testing.T) {
	t.Parallel()
	b := setupFake(t, Options{})
	b.srv.SetFollowers(1234)
	n, err := b.conn.Followers(context.Background())
	require.NoError(t, err)
	require.Equal(t, int64(1234), n)
	require.Empty(t, b.srv.Requests()[len(b.srv.Requests())-1].Header.Get("atproto-proxy"), "no proxy header unless configured")

	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	root := blueskytest.Post{URI: postURI(1), AuthorDID: b.srv.DID, AuthorHandle: b.srv.Handle, Text: "root", CreatedAt: at}
	a := blueskytest.Post{URI: "at://did:plc:bob/app.bsky.feed.post/3laaaaaaaaaa2", AuthorDID: "did:plc:bob", AuthorHandle: "bob.test", AuthorName: "Bob",
		Text: "first reply", Langs: []string{"de"}, CreatedAt: at.Add(time.Minute), ReplyRoot: root.URI, ReplyParent: root.URI}
	c := blueskytest.Post{URI: "at://did:plc:carol/app.bsky.feed.post/3laaaaaaaaaa3", AuthorDID: "did:plc:carol", AuthorHandle: "carol.test",
		Text: "reply to the reply", CreatedAt: at.Add(2 * time.Minute), ReplyRoot: root.URI, ReplyParent: a.URI}
	d := blueskytest.Post{URI: "at://did:plc:dan/app.bsky.feed.post/3laaaaaaaaaa4", AuthorDID: "did:plc:dan", AuthorHandle: "dan.test",
		Text: "second reply", CreatedAt: at.Add(3 * time.Minute), ReplyRoot: root.URI, ReplyParent: root.URI}
	for _, p := range []blueskytest.Post{root, a, c, d} {
		b.srv.AddPost(p)
	}
	got, err := b.conn.Comments(context.Background(), root.URI)
	require.NoError(t, err)
	require.Equal(t, []network.Comment{
		{RemoteID: a.URI, ParentID: root.URI, RootID: root.URI, AuthorID: "did:plc:bob", AuthorName: "Bob (@bob.test)", AuthorHandle: "bob.test", Text: "first reply",
			Language: "de", URL: "https://bsky.app/profile/bob.test/post/3laaaaaaaaaa2", CreatedAt: a.CreatedAt},
		{RemoteID: c.URI, ParentID: a.URI, RootID: root.URI, AuthorID: "did:plc:carol", AuthorName: "carol.test", AuthorHandle: "carol.test", Text: "reply to the reply",
			URL: "https://bsky.app/profile/carol.test/post/3laaaaaaaaaa3", CreatedAt: c.CreatedAt},
		{RemoteID: d.URI, ParentID: root.URI, RootID: root.URI, AuthorID: "did:plc:dan", AuthorName: "dan.test", AuthorHandle: "dan.test", Text: "second reply",
			URL: "https://bsky.app/profile/dan.test/post/3laaaaaaaaaa4", CreatedAt: d.CreatedAt},
	}, got)
}

func TestMentionsPollsNewerThanTheCursor(t *testing.T) {
	t.Parallel()
	b := setupFake(t, Options{})
	ctx := context.Background()
	base := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	add := func(i int, reason string) {
		p := blueskytest.Post{URI: fmt.Sprintf("at://did:plc:x/app.bsky.feed.post/3lm%010d", i), AuthorDID: "did:plc:x", AuthorHandle: "x.test",
			Text: fmt.Sprintf("@alice.test hello %d", i), CreatedAt: base.Add(time.Duration(i) * time.Minute)}
		b.srv.AddPost(p)
		b.srv.AddNotification(reason, p.URI, p.CreatedAt.Add(time.Second))
	}
	add(1, "mention")
	add(2, "like")
	add(3, "reply")

	got, cursor, err := b.conn.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "@alice.test hello 3", got[0].Text)
	require.Equal(t, "@alice.test hello 1", got[1].Text)
	require.Equal(t, base.Add(3*time.Minute+time.Second).Format(time.RFC3339Nano), cursor)

	// Nothing new: nothing returned, the cursor stays.
	got, again, err := b.conn.Mentions(ctx, cursor)
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, cursor, again)

	// 120 new mentions span three pages of 50; all are returned once.
	for i := 10; i < 130; i++ {
		add(i, "mention")
	}
	got, next, err := b.conn.Mentions(ctx, cursor)
	require.NoError(t, err)
	require.Len(t, got, 120)
	require.Equal(t, base.Add(129*time.Minute+time.Second).Format(time.RFC3339Nano), next)
	for _, r := range b.srv.Requests() {
		if r.NSID == "app.bsky.notification.listNotifications" {
			require.ElementsMatch(t, []string{"mention", "reply"}, r.Query["reasons"])
		}
	}
}

func TestSearchPages(t *testing.T) {
	t.Parallel()
	b := setupFake(t, Options{})
	base := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for i := range 60 {
		b.srv.AddPost(blueskytest.Post{URI: fmt.Sprintf("at://did:plc:y/app.bsky.feed.post/3ls%010d", i), AuthorDID: "did:plc:y", AuthorHandle: "y.test",
			Text: fmt.Sprintf("I love Relais %d", i), CreatedAt: base.Add(time.Duration(i) * time.Minute)})
	}
	b.srv.AddPost(blueskytest.Post{URI: "at://did:plc:y/app.bsky.feed.post/3lsother", Text: "unrelated", CreatedAt: base})
	page1, cursor, err := b.conn.Search(context.Background(), "relais", "")
	require.NoError(t, err)
	require.Len(t, page1, 50)
	require.Equal(t, "I love Relais 59", page1[0].Text, "newest first")
	require.NotEmpty(t, cursor)
	page2, cursor, err := b.conn.Search(context.Background(), "relais", cursor)
	require.NoError(t, err)
	require.Len(t, page2, 10)
	require.Empty(t, cursor)
}

func TestErrorsAndRefresh(t *testing.T) {
	t.Parallel()
	reset := time.Date(2026, 11, 26, 12, 5, 0, 0, time.UTC)
	tests := []struct {
		name      string
		failures  []blueskytest.Failure
		wantClass network.Class // "" means success
		wantCalls int           // getProfile calls
		refreshes int
	}{
		{name: "expired token is refreshed once", failures: []blueskytest.Failure{blueskytest.ExpiredToken}, wantCalls: 2, refreshes: 1},
		{name: "expired again after refresh needs reconnect", failures: []blueskytest.Failure{blueskytest.ExpiredToken, blueskytest.ExpiredToken}, wantClass: network.AuthReconnect, wantCalls: 2, refreshes: 1},
		{name: "auth required needs reconnect", failures: []blueskytest.Failure{blueskytest.AuthRequired}, wantClass: network.AuthReconnect, wantCalls: 1},
		{name: "rate limited", failures: []blueskytest.Failure{blueskytest.RateLimited}, wantClass: network.Retryable, wantCalls: 1},
		{name: "server error", failures: []blueskytest.Failure{blueskytest.ServerError}, wantClass: network.Retryable, wantCalls: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setupFake(t, Options{})
			b.srv.RateLimitReset = reset
			for _, f := range tc.failures {
				b.srv.FailNext("app.bsky.actor.getProfile", f)
			}
			_, err := b.conn.Followers(context.Background())
			require.Equal(t, tc.wantCalls, b.srv.Calls("app.bsky.actor.getProfile"))
			require.Equal(t, tc.refreshes, b.srv.Calls("com.atproto.server.refreshSession"))
			require.Equal(t, tc.refreshes, b.saved.count(), "every refreshed pair is saved")
			if tc.wantClass == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, tc.wantClass, network.ClassOf(err), "%v", err)
			if tc.failures[0] == blueskytest.RateLimited {
				require.ErrorIs(t, err, network.ErrRateLimited)
				var ne *network.Error
				require.ErrorAs(t, err, &ne)
				require.Equal(t, reset, ne.RetryAfter.UTC())
				require.Equal(t, "RateLimitExceeded", ne.Code)
			}
		})
	}
}

func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	b := setupFake(t, Options{})
	ctx := context.Background()

	// Close to the access token's expiry, the session is refreshed before the call.
	b.clock.Advance(blueskytest.AccessTTL - time.Minute)
	require.NoError(t, b.conn.Check(ctx))
	require.Equal(t, 1, b.srv.Calls("com.atproto.server.refreshSession"))
	require.Equal(t, 1, b.saved.count())
	require.Equal(t, b.conn.cl.sess.AccessJwt, b.saved.all[0][secretAccess])

	// After the refresh token expired too, the app password makes a new session.
	b.clock.Advance(blueskytest.RefreshTTL + time.Hour)
	require.NoError(t, b.conn.Check(ctx))
	require.Equal(t, 2, b.srv.Calls("com.atproto.server.refreshSession"))
	require.Equal(t, 2, b.srv.Calls("com.atproto.server.createSession"), "Connect, then the fallback")
	require.Equal(t, 2, b.saved.count())

	// With the app password revoked, the channel needs reconnecting.
	b.clock.Advance(blueskytest.RefreshTTL + time.Hour)
	b.srv.Password = "revoked"
	err := b.conn.Check(ctx)
	require.Equal(t, network.AuthReconnect, network.ClassOf(err), "%v", err)
}

func TestDirectAppViewGetsNoToken(t *testing.T) {
	t.Parallel()
	appView := blueskytest.New(t)
	appView.PublicReads = true
	b := setupFake(t, Options{AppViewURL: appView.URL})
	appView.AddPost(blueskytest.Post{URI: postURI(1), Likes: 5})
	got, err := b.conn.PostMetrics(context.Background(), []string{postURI(1)})
	require.NoError(t, err)
	require.Equal(t, int64(5), got[postURI(1)].Likes)
	reqs := appView.Requests()
	require.Len(t, reqs, 1)
	require.Empty(t, reqs[0].Header.Get("Authorization"), "the account's token never goes to a third party")
	require.Zero(t, b.srv.Calls("app.bsky.feed.getPosts"))

	_, _, err = b.conn.Mentions(context.Background(), "")
	require.NoError(t, err)
	require.Equal(t, 1, b.srv.Calls("app.bsky.notification.listNotifications"), "notifications need the account: through the PDS")
}

func TestTransportFailureIsTyped(t *testing.T) {
	t.Parallel()
	b := setupFake(t, Options{})
	b.srv.Close()
	_, err := b.conn.Followers(context.Background())
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.Equal(t, network.Retryable, ne.Class, "a refused connection never reached the server")
}
