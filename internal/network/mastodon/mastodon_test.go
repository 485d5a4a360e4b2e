package mastodon

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/mastodontest"
)

var allowPrivate = true

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

type bundle struct {
	srv  *mastodontest.Server
	env  network.Env
	conn *Connector
	clk  *clock
}

func setup(t *testing.T, o mastodontest.Options) bundle {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)}
	o.Now = clk.Now
	srv := mastodontest.New(t, o)
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate, Timeout: 5 * time.Second}), Now: clk.Now}
	_, stored, err := Provider{}.Connect(context.Background(), env, map[string]string{"instance": srv.URL, "access_token": srv.Token()})
	require.NoError(t, err)
	c, err := Provider{}.Open(env, stored)
	require.NoError(t, err)
	conn := c.(*Connector)
	conn.pollEvery = time.Millisecond
	return bundle{srv: srv, env: env, conn: conn, clk: clk}
}

func pngMedia(t *testing.T, alt string) network.Media {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 3, 2))))
	return network.Media{MIME: "image/png", Data: buf.Bytes(), AltText: alt}
}

func requireClass(t *testing.T, err error, class network.Class) *network.Error {
	t.Helper()
	require.Error(t, err)
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.Equal(t, class, ne.Class, err.Error())
	return ne
}

func TestProviderRegistered(t *testing.T) {
	t.Parallel()
	p, err := network.ProviderFor(network.Mastodon)
	require.NoError(t, err)
	_, ok := p.(network.OAuthProvider)
	require.True(t, ok)
}

func TestConnectReadsInstanceLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                      string
		opts                      mastodontest.Options
		maxText, maxMedia, urlLen int
		unit                      network.TextUnit
	}{
		{"mastodon v2", mastodontest.Options{Flavour: mastodontest.Mastodon}, 500, 4, 23, network.Graphemes},
		{"gotosocial v2 counts as written", mastodontest.Options{Flavour: mastodontest.GoToSocial}, 5000, 6, 0, network.Runes},
		{"mastodon v1 fallback", mastodontest.Options{Flavour: mastodontest.Mastodon, LegacyInstance: true}, 500, 4, 23, network.Graphemes},
		{"pleroma max_toot_chars", mastodontest.Options{MaxTootChars: 5000}, 5000, 4, 23, network.Graphemes},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := mastodontest.New(t, tc.opts)
			env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate})}
			acct, stored, err := Provider{}.Connect(context.Background(), env, map[string]string{"instance": srv.URL + "/", "access_token": srv.Token()})
			require.NoError(t, err)
			require.Equal(t, "@alice@"+srv.Host(), acct.Handle)
			require.Equal(t, srv.AccountID(), acct.RemoteID)
			require.Equal(t, srv.URL, stored.Settings["instance"])
			require.Equal(t, srv.Token(), stored.Secrets["access_token"])
			require.NotNil(t, stored.Limits)
			require.Equal(t, tc.maxText, stored.Limits.MaxText)
			require.Equal(t, tc.maxMedia, stored.Limits.MaxMedia)
			require.Equal(t, tc.urlLen, stored.Limits.URLLength)
			require.Equal(t, network.Mastodon, stored.Limits.Network)
			require.Equal(t, tc.unit, stored.Limits.TextUnit)
			require.Equal(t, tc.unit == network.Graphemes, stored.Limits.MentionDomainFree)
			require.Equal(t, 500, network.DefaultLimits[network.Mastodon].MaxText, "the shipped defaults are not modified")

			c, err := Provider{}.Open(env, stored)
			require.NoError(t, err)
			l, err := c.(network.LimitsRefresher).RefreshLimits(context.Background())
			require.NoError(t, err)
			require.Equal(t, *stored.Limits, l)
		})
	}
}

func TestConnectRejects(t *testing.T) {
	t.Parallel()
	srv := mastodontest.New(t, mastodontest.Options{})
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate})}
	ctx := context.Background()
	_, _, err := Provider{}.Connect(ctx, env, map[string]string{"access_token": "x"})
	require.ErrorContains(t, err, "Instance is required")
	_, _, err = Provider{}.Connect(ctx, env, map[string]string{"instance": srv.URL})
	require.ErrorContains(t, err, "access_token is required")
	_, _, err = Provider{}.Connect(ctx, env, map[string]string{"instance": srv.URL, "access_token": "wrong"})
	ne := requireClass(t, err, network.AuthReconnect)
	require.Equal(t, "The access token is invalid", ne.Message)
	require.ErrorIs(t, err, network.ErrAuth)

	// The default client refuses loopback addresses: a user cannot point relais at internal services.
	_, _, err = Provider{}.Connect(ctx, network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: new(bool)})}, map[string]string{"instance": srv.URL, "access_token": srv.Token()})
	require.ErrorIs(t, err, network.ErrPrivateHost)
}

func TestOAuthFlow(t *testing.T) {
	t.Parallel()
	srv := mastodontest.New(t, mastodontest.Options{Flavour: mastodontest.GoToSocial})
	hc := network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate})
	env := network.Env{HTTP: hc}
	ctx := context.Background()
	const redirect = "https://relais.example/oauth/mastodon/callback"

	authURL, keep, err := Provider{}.AuthorizeURL(ctx, env, map[string]string{"instance": srv.URL}, redirect, "st4te")
	require.NoError(t, err)
	apps := srv.Requests()[0]
	require.Equal(t, "POST /api/v1/apps", apps.Route)
	require.Equal(t, redirect, apps.Form.Get("redirect_uris"))
	require.Equal(t, "read write", apps.Form.Get("scopes"))
	require.Equal(t, srv.URL, keep["instance"])
	require.NotEmpty(t, keep["client_id"])
	require.NotEmpty(t, keep["client_secret"])
	require.GreaterOrEqual(t, len(keep["verifier"]), 43)

	u, err := url.Parse(authURL)
	require.NoError(t, err)
	require.Equal(t, "/oauth/authorize", u.Path)
	require.Equal(t, "S256", u.Query().Get("code_challenge_method"))
	require.Equal(t, keep["client_id"], u.Query().Get("client_id"))

	// The user approves on the instance, which redirects back with the code and state.
	noFollow := *hc
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Get(authURL)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "st4te", back.Query().Get("state"))
	code := back.Query().Get("code")

	bad := map[string]string{}
	for k, v := range keep {
		bad[k] = v
	}
	bad["verifier"] = strings.Repeat("x", 64)
	_, _, err = Provider{}.Exchange(ctx, env, bad, redirect, code)
	ne := requireClass(t, err, network.Permanent)
	require.Contains(t, ne.Message, "invalid_grant")

	acct, stored, err := Provider{}.Exchange(ctx, env, keep, redirect, code)
	require.NoError(t, err)
	require.Equal(t, "@alice@"+srv.Host(), acct.Handle)
	require.Equal(t, 5000, stored.Limits.MaxText)
	require.Equal(t, keep["client_id"], stored.Secrets["client_id"])
	c, err := Provider{}.Open(env, stored)
	require.NoError(t, err)
	_, err = c.Identify(ctx)
	require.NoError(t, err)

	_, _, err = Provider{}.Exchange(ctx, env, keep, redirect, code)
	require.Error(t, err, "a code is used once")
}

func TestPublishThread(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	res, err := b.conn.Publish(context.Background(), network.PublishRequest{
		IdempotencyKey: "pub-1",
		Parts: []network.Part{
			{Text: "one", Link: "https://example.com/a"},
			{Text: "two", Media: []network.Media{pngMedia(t, "first image"), pngMedia(t, "second image")}},
			{Text: "three"},
		},
		FirstComment: "more at https://example.com",
		Language:     "fr",
		Options:      map[string]string{"visibility": "unlisted", "content_warning": "spoilers"},
	})
	require.NoError(t, err)
	require.Len(t, res.Parts, 3)
	require.NotNil(t, res.FirstComment)

	sts := b.srv.Statuses()
	require.Len(t, sts, 4)
	require.Equal(t, "one\n\nhttps://example.com/a", sts[0].Text)
	require.Empty(t, sts[0].InReplyToID)
	require.Equal(t, sts[0].ID, sts[1].InReplyToID)
	require.Equal(t, sts[1].ID, sts[2].InReplyToID)
	require.Equal(t, sts[0].ID, sts[3].InReplyToID, "the first comment answers the first part")
	require.Equal(t, []string{"first image", "second image"}, b.srv.MediaOf(sts[1].ID))
	for i, st := range sts[:3] {
		require.Equal(t, res.Parts[i].ID, st.ID)
		require.Equal(t, "unlisted", st.Visibility)
		require.Equal(t, "spoilers", st.SpoilerText)
		require.Equal(t, "fr", st.Language)
		require.Equal(t, "pub-1-"+strconv.Itoa(i), st.IdempotencyKey)
	}
	require.Empty(t, sts[3].SpoilerText)
	require.Equal(t, "pub-1-comment", sts[3].IdempotencyKey)
	require.Contains(t, res.Parts[0].URL, "/@alice/"+sts[0].ID)
}

func TestPublishPartialFailureThenResume(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	ctx := context.Background()
	req := network.PublishRequest{IdempotencyKey: "thr", Parts: []network.Part{{Text: "a"}, {Text: "b"}, {Text: "c"}}}
	b.srv.Inject(mastodontest.Fault{Route: "POST /api/v1/statuses", Skip: 1, Kind: mastodontest.ServerError})

	res, err := b.conn.Publish(ctx, req)
	requireClass(t, err, network.Retryable)
	require.ErrorContains(t, err, "part 2 of 3")
	require.Len(t, res.Parts, 1)

	req.Done = res.Parts
	before := b.srv.Count("POST /api/v1/statuses")
	res, err = b.conn.Publish(ctx, req)
	require.NoError(t, err)
	require.Len(t, res.Parts, 3)
	require.Equal(t, 2, b.srv.Count("POST /api/v1/statuses")-before, "the done part is not posted again")

	sts := b.srv.Statuses()
	require.Len(t, sts, 3)
	require.Equal(t, []string{"a", "b", "c"}, []string{sts[0].Text, sts[1].Text, sts[2].Text})
	require.Equal(t, sts[0].ID, sts[1].InReplyToID)
	require.Equal(t, sts[1].ID, sts[2].InReplyToID)
}

func TestCommittedThenFailedRetryIsIdempotent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		kind  mastodontest.FaultKind
		class network.Class
	}{
		{"500 after commit", mastodontest.CommitThen500, network.Retryable},
		{"dropped after commit", mastodontest.CommitThenDrop, network.Unknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, mastodontest.Options{})
			// A fresh client: the dropped request is on a new connection, which
			// the transport does not replay by itself.
			b.conn.api.env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate})
			b.srv.Inject(mastodontest.Fault{Route: "POST /api/v1/statuses", Kind: tc.kind})
			req := network.PublishRequest{IdempotencyKey: "once", Parts: []network.Part{{Text: "exactly once"}}}

			res, err := b.conn.Publish(context.Background(), req)
			requireClass(t, err, tc.class)
			require.Empty(t, res.Parts)
			require.Len(t, b.srv.Statuses(), 1, "the fault committed the status")

			res, err = b.conn.Publish(context.Background(), req)
			require.NoError(t, err)
			sts := b.srv.Statuses()
			require.Len(t, sts, 1)
			require.Equal(t, sts[0].ID, res.Parts[0].ID)
		})
	}
}

func TestErrorClasses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		flavour  mastodontest.Flavour
		kind     mastodontest.FaultKind
		text     string
		class    network.Class
		status   int
		message  string
		sentinel error
	}{
		{"injected 422", mastodontest.Mastodon, mastodontest.Invalid, "x", network.InvalidContent, 422, "Validation failed: injected failure", network.ErrInvalidContent},
		{"too long", mastodontest.Mastodon, 0, strings.Repeat("x", 501), network.InvalidContent, 422, "Validation failed: Text character limit of 500 exceeded", network.ErrInvalidContent},
		{"gotosocial too long", mastodontest.GoToSocial, 0, strings.Repeat("x", 5001), network.InvalidContent, 400, "Bad Request: status too long, 5001 characters provided (including spoiler/content warning) but limit is 5000", network.ErrInvalidContent},
		{"401", mastodontest.Mastodon, mastodontest.Unauthorized, "x", network.AuthReconnect, 401, "The access token is invalid", network.ErrAuth},
		{"429", mastodontest.Mastodon, mastodontest.RateLimited, "x", network.Retryable, 429, "Too many requests", network.ErrRateLimited},
		{"500", mastodontest.Mastodon, mastodontest.ServerError, "x", network.Retryable, 500, "We're sorry, but something went wrong on our end.", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, mastodontest.Options{Flavour: tc.flavour})
			if tc.kind != 0 {
				b.srv.Inject(mastodontest.Fault{Route: "POST /api/v1/statuses", Kind: tc.kind})
			}
			_, err := b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: tc.text}}})
			ne := requireClass(t, err, tc.class)
			require.Equal(t, tc.status, ne.Status)
			require.Equal(t, tc.message, ne.Message)
			require.Equal(t, network.Mastodon, ne.Network)
			if tc.sentinel != nil {
				require.ErrorIs(t, err, tc.sentinel)
			}
			if tc.status == 429 {
				// The fake's window resets at the next 5-minute boundary after 10:01.
				require.Equal(t, time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC), ne.RetryAfter.UTC())
			}
			require.Empty(t, b.srv.Statuses())
		})
	}
}

func TestTimeoutIsUnknown(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	b.srv.Inject(mastodontest.Fault{Route: "POST /api/v1/statuses", Kind: mastodontest.Timeout})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "slow"}}})
	requireClass(t, err, network.Unknown)
}

func TestRevokedTokenNeedsReconnect(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	b.srv.Revoke(b.srv.Token())
	_, err := b.conn.Identify(context.Background())
	ne := requireClass(t, err, network.AuthReconnect)
	require.Equal(t, "The access token was revoked", ne.Message)
}

func TestMediaProcessing(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{MediaPolls: 3})
	res, err := b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "pic", Media: []network.Media{pngMedia(t, "alt")}}}})
	require.NoError(t, err)
	require.Equal(t, 4, b.srv.Count("GET /api/v1/media/{id}"), "three 206 answers, then 200")
	require.Equal(t, []string{"alt"}, b.srv.MediaOf(res.Parts[0].ID))

	b.conn.maxPolls = 2
	_, err = b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "pic", Media: []network.Media{pngMedia(t, "alt")}}}})
	requireClass(t, err, network.Retryable)
	require.ErrorContains(t, err, "still processing")

	_, err = b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "pic", Media: []network.Media{{MIME: "image/png", URL: "https://x"}}}}})
	requireClass(t, err, network.Permanent)

	_, err = b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "pdf", Media: []network.Media{{MIME: "application/pdf", Data: []byte("%PDF-1.4")}}}}})
	ne := requireClass(t, err, network.InvalidContent)
	require.Equal(t, "Validation failed: File content type is invalid, File is invalid", ne.Message)
}

func TestEditDelete(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	ctx := context.Background()
	res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "v1", Media: []network.Media{pngMedia(t, "kept")}}}, Language: "de", Options: map[string]string{"spoiler_text": "cw"}})
	require.NoError(t, err)
	id := res.Parts[0].ID

	require.NoError(t, b.conn.Edit(ctx, id, network.Part{Text: "v2"}))
	st, _ := b.srv.Status(id)
	require.Equal(t, "v2", st.Text)
	require.Equal(t, "cw", st.SpoilerText)
	require.Equal(t, "de", st.Language)
	require.False(t, st.EditedAt.IsZero())
	require.Equal(t, []string{"kept"}, b.srv.MediaOf(id), "an edit without media keeps the attachments")

	require.NoError(t, b.conn.Edit(ctx, id, network.Part{Text: "v3", Media: []network.Media{pngMedia(t, "new")}}))
	require.Equal(t, []string{"new"}, b.srv.MediaOf(id))

	err = b.conn.Edit(ctx, id, network.Part{Text: strings.Repeat("x", 600)})
	requireClass(t, err, network.InvalidContent)

	require.NoError(t, b.conn.Delete(ctx, id))
	st, _ = b.srv.Status(id)
	require.True(t, st.Deleted)
	require.NoError(t, b.conn.Delete(ctx, id), "deleting a deleted status succeeds")
	err = b.conn.Edit(ctx, id, network.Part{Text: "gone"})
	require.ErrorIs(t, err, network.ErrNotFound)
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{Followers: 41})
	ctx := context.Background()
	res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "a"}, {Text: "b"}}})
	require.NoError(t, err)
	a, c := res.Parts[0].ID, res.Parts[1].ID
	b.srv.SetCounts(a, 3, 5, 8)
	require.NoError(t, b.conn.Delete(ctx, c))

	m, err := b.conn.PostMetrics(ctx, []string{a, c})
	require.NoError(t, err)
	require.Equal(t, map[string]network.PostMetrics{a: {Likes: 8, Reposts: 5, Replies: 3, Quotes: 0, Views: -1}}, m)

	n, err := b.conn.Followers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 41, n)
	b.srv.SetFollowers(42)
	n, err = b.conn.Followers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 42, n)
}

func TestCommentsAndReply(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	ctx := context.Background()
	res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "root"}, {Text: "own part"}}})
	require.NoError(t, err)
	root := res.Parts[0].ID
	r1 := b.srv.AddReply(root, "bob@remote.example", "I <3 this\n\nreally & truly")
	r2 := b.srv.AddReply(r1, "carol@other.example", "me too")

	cs, err := b.conn.Comments(ctx, root)
	require.NoError(t, err)
	require.Len(t, cs, 2, "the account's own thread part is not a comment")
	require.Equal(t, r1, cs[0].RemoteID)
	require.Equal(t, root, cs[0].ParentID)
	require.Equal(t, root, cs[0].RootID)
	require.Equal(t, "I <3 this\n\nreally & truly", cs[0].Text)
	require.Equal(t, "en", cs[0].Language)
	require.Equal(t, r2, cs[1].RemoteID)
	require.Equal(t, r1, cs[1].ParentID)

	rp, err := b.conn.Reply(ctx, r1, "thanks!")
	require.NoError(t, err)
	st, _ := b.srv.Status(rp.ID)
	require.Equal(t, "@bob@remote.example thanks!", st.Text)
	require.Equal(t, r1, st.InReplyToID)
	again, err := b.conn.Reply(ctx, r1, "thanks!")
	require.NoError(t, err)
	require.Equal(t, rp.ID, again.ID, "a retried reply is not posted twice")

	_, err = b.conn.Comments(ctx, "999")
	require.ErrorIs(t, err, network.ErrNotFound)
}

func TestMentionsCursor(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	ctx := context.Background()
	first := b.srv.AddMention("bob@remote.example", "hi @alice")
	got, cursor, err := b.conn.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, first, got[0].RemoteID)
	require.NotEmpty(t, cursor)

	got, cursor2, err := b.conn.Mentions(ctx, cursor)
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, cursor, cursor2)

	b.srv.AddFavourite("dan@remote.example", first)
	var want []string
	for i := range 45 {
		want = append(want, b.srv.AddMention("eve@remote.example", "ping "+strconv.Itoa(i)))
	}
	got, cursor3, err := b.conn.Mentions(ctx, cursor)
	require.NoError(t, err)
	var ids []string
	for _, c := range got {
		ids = append(ids, c.RemoteID)
	}
	require.Equal(t, want, ids, "all new mentions across pages, oldest first, no favourites")
	require.True(t, newerID(cursor3, cursor))

	got, _, err = b.conn.Mentions(ctx, cursor3)
	require.NoError(t, err)
	require.Empty(t, got)
}

func TestSearch(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	for i := range 45 {
		b.srv.AddMention("bob@remote.example", "relais rocks "+strconv.Itoa(i))
	}
	b.srv.AddMention("bob@remote.example", "unrelated")
	got, next, err := b.conn.Search(context.Background(), "relais", "")
	require.NoError(t, err)
	require.Len(t, got, 40)
	require.Equal(t, "40", next)
	got, next, err = b.conn.Search(context.Background(), "relais", next)
	require.NoError(t, err)
	require.Len(t, got, 5)
	require.Empty(t, next)
	require.Equal(t, "relais rocks 0", got[4].Text)
}

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"<p>hello</p>":            "hello",
		"<p>a<br />b</p><p>c</p>": "a\nb\n\nc",
		`<p><a href="https://x">@bob</a> hi &amp; bye</p>`: "@bob hi & bye",
		"no tags &lt;3":  "no tags <3",
		"<>broken < tag": "broken < tag",
	}
	for in, want := range cases {
		require.Equal(t, want, HTMLToText(in), in)
	}
}

func TestNormalizeInstance(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want, err string }{
		{"mastodon.social", "https://mastodon.social", ""},
		{"https://mastodon.social/", "https://mastodon.social", ""},
		{"@alice@fosstodon.org", "https://fosstodon.org", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"", "", "Instance is required"},
		{"ftp://x", "", "is not a server address"},
	}
	for _, tc := range cases {
		got, err := NormalizeInstance(tc.in)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, got)
	}
}

func TestPublishRejectsEmptyAndInconsistentRequests(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	_, err := b.conn.Publish(context.Background(), network.PublishRequest{})
	requireClass(t, err, network.InvalidContent)
	_, err = b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "a"}}, Done: []network.RemotePost{{ID: "1"}, {ID: "2"}}})
	requireClass(t, err, network.Permanent)
	require.False(t, errors.Is(err, network.ErrNotFound))
}

func TestDeleteAndMediaThrottles(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{DeleteRateLimit: 2, MediaRateLimit: 1})
	ctx := context.Background()
	res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "a", Media: []network.Media{pngMedia(t, "one")}}, {Text: "b"}, {Text: "c"}}})
	require.NoError(t, err)
	for _, p := range res.Parts[:2] {
		require.NoError(t, b.conn.Delete(ctx, p.ID))
	}
	err = b.conn.Delete(ctx, res.Parts[2].ID)
	ne := requireClass(t, err, network.Retryable)
	require.ErrorIs(t, err, network.ErrRateLimited)
	require.Equal(t, time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC), ne.RetryAfter.UTC(), "deletes are throttled per 30 minutes")

	_, err = b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "d", Media: []network.Media{pngMedia(t, "two")}}}})
	requireClass(t, err, network.Retryable)
	require.Len(t, b.srv.Statuses(), 1, "nothing is posted when the upload is throttled")
}

func TestFieldsAndCapabilities(t *testing.T) {
	t.Parallel()
	f := Provider{}.Fields()
	require.Equal(t, "instance", f[0].Name)
	require.True(t, f[0].Required)
	require.Equal(t, "access_token", f[1].Name)
	require.True(t, f[1].Secret)

	b := setup(t, mastodontest.Options{})
	require.Equal(t, network.Mastodon, b.conn.Kind())
	require.NoError(t, b.conn.Check(context.Background()))
	caps := network.CapabilitiesOf(b.conn, b.conn.limits)
	require.Equal(t, network.Capabilities{Threads: true, FirstComment: true, Edit: true, Metrics: true, Comments: true, Reply: true, Mentions: true, Search: true, Stream: true}, caps)
}
