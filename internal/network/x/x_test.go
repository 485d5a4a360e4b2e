package x

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/x/xtest"
)

func TestIdentify(t *testing.T) {
	srv := xtest.New(t, xtest.Options{})
	c := open(t, srv, nil)
	acct, err := c.Identify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if acct.RemoteID != srv.UserID() || acct.Handle != "@relaisfake" || acct.URL != "https://x.com/relaisfake" || acct.DisplayName != "Relais Fake" {
		t.Fatalf("account = %+v", acct)
	}
	if rl := c.RateLimit(); rl.Limit != 300 || rl.Remaining != 299 || rl.Reset.IsZero() {
		t.Fatalf("rate limit = %+v", rl)
	}
}

func TestPublish(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0fake-jpeg")
	tests := []struct {
		name   string
		req    network.PublishRequest
		polls  int
		class  network.Class
		errHas string
		check  func(t *testing.T, srv *xtest.Server, res network.PublishResult)
	}{
		{name: "single post with link", req: network.PublishRequest{Parts: []network.Part{{Text: "hello amber", Link: "https://example.com/a"}}},
			check: func(t *testing.T, srv *xtest.Server, res network.PublishResult) {
				tw := one(t, srv, res.Parts[0].ID)
				if tw.Text != "hello amber\n\nhttps://example.com/a" {
					t.Fatalf("text = %q", tw.Text)
				}
				if res.Parts[0].URL != "https://x.com/relaisfake/status/"+tw.ID {
					t.Fatalf("url = %q", res.Parts[0].URL)
				}
			}},
		{name: "thread is a reply chain", req: network.PublishRequest{Parts: []network.Part{{Text: "one"}, {Text: "two"}, {Text: "three"}}, FirstComment: "more below"},
			check: func(t *testing.T, srv *xtest.Server, res network.PublishResult) {
				if len(res.Parts) != 3 || res.FirstComment == nil {
					t.Fatalf("result = %+v", res)
				}
				for i := 1; i < 3; i++ {
					if got := one(t, srv, res.Parts[i].ID).ReplyTo; got != res.Parts[i-1].ID {
						t.Fatalf("part %d replies to %q, want %q", i, got, res.Parts[i-1].ID)
					}
				}
				if got := one(t, srv, res.FirstComment.ID).ReplyTo; got != res.Parts[0].ID {
					t.Fatalf("first comment replies to %q", got)
				}
			}},
		{name: "continues after done parts", req: network.PublishRequest{Parts: []network.Part{{Text: "done already"}, {Text: "second"}}}},
		{name: "quote by URL", req: network.PublishRequest{Parts: []network.Part{{Text: "look"}}, Options: map[string]string{"quote_tweet_id": "QUOTED"}},
			check: func(t *testing.T, srv *xtest.Server, res network.PublishResult) {
				if q := one(t, srv, res.Parts[0].ID).QuoteID; q == "" {
					t.Fatal("no quote")
				}
			}},
		{name: "poll", req: network.PublishRequest{Parts: []network.Part{{Text: "which?"}}, Options: map[string]string{"poll_options": "red\n blue |\ngreen", "poll_duration_minutes": "60", "reply_settings": "following"}},
			check: func(t *testing.T, srv *xtest.Server, res network.PublishResult) {
				tw := one(t, srv, res.Parts[0].ID)
				if strings.Join(tw.PollOptions, ",") != "red,blue,green" || tw.PollMinutes != 60 || tw.ReplySettings != "following" {
					t.Fatalf("tweet = %+v", tw)
				}
			}},
		{name: "poll with one option", req: network.PublishRequest{Parts: []network.Part{{Text: "q"}}, Options: map[string]string{"poll_options": "only"}}, class: network.InvalidContent, errHas: "2 to 4 options"},
		{name: "poll duration too long", req: network.PublishRequest{Parts: []network.Part{{Text: "q"}}, Options: map[string]string{"poll_options": "a\nb", "poll_duration_minutes": "20000"}}, class: network.InvalidContent, errHas: "poll_duration_minutes"},
		{name: "poll and media", req: network.PublishRequest{Parts: []network.Part{{Text: "q", Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}}}}, Options: map[string]string{"poll_options": "a\nb"}}, class: network.InvalidContent, errHas: "poll or media"},
		{name: "bad reply settings", req: network.PublishRequest{Parts: []network.Part{{Text: "q"}}, Options: map[string]string{"reply_settings": "friends"}}, class: network.InvalidContent, errHas: "reply_settings"},
		{name: "bad quote", req: network.PublishRequest{Parts: []network.Part{{Text: "q"}}, Options: map[string]string{"quote_tweet_id": "https://example.com/nope"}}, class: network.InvalidContent, errHas: "quote_tweet_id"},
		{name: "too long for X", req: network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("é", 281)}}}, class: network.InvalidContent, errHas: "too long"},
		{name: "CJK counts double", req: network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("漢", 141)}}}, class: network.InvalidContent, errHas: "too long"},
		{name: "image with alt text", req: network.PublishRequest{Parts: []network.Part{{Text: "pic", Media: []network.Media{{MIME: "image/jpeg", Data: jpeg, AltText: "a red door"}}}}},
			check: func(t *testing.T, srv *xtest.Server, res network.PublishResult) {
				tw := one(t, srv, res.Parts[0].ID)
				m, _ := srv.Media(tw.MediaIDs[0])
				if m.AltText != "a red door" || m.Category != "tweet_image" || m.Segments != 1 {
					t.Fatalf("media = %+v", m)
				}
			}},
		{name: "video in chunks with processing", polls: 3, req: network.PublishRequest{Parts: []network.Part{{Text: "clip", Media: []network.Media{{MIME: "video/mp4", Data: make([]byte, 9<<20)}}}}},
			check: func(t *testing.T, srv *xtest.Server, res network.PublishResult) {
				m, _ := srv.Media(one(t, srv, res.Parts[0].ID).MediaIDs[0])
				if m.Segments != 3 || m.Category != "tweet_video" || m.State != "succeeded" {
					t.Fatalf("media = %+v", m)
				}
				if n := srv.Count("GET /2/media/upload"); n != 4 {
					t.Fatalf("STATUS checks = %d, want 4", n)
				}
			}},
		{name: "video processing fails", req: network.PublishRequest{Parts: []network.Part{{Text: "clip", Media: []network.Media{{MIME: "video/webm", Data: []byte("webm")}}}}}, class: network.InvalidContent, errHas: "Unsupported video format"},
		{name: "alt text too long", req: network.PublishRequest{Parts: []network.Part{{Text: "pic", Media: []network.Media{{MIME: "image/png", Data: jpeg, AltText: strings.Repeat("a", 1001)}}}}}, class: network.InvalidContent, errHas: "alt text"},
		{name: "no parts", req: network.PublishRequest{}, class: network.InvalidContent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := xtest.New(t, xtest.Options{MediaPolls: tc.polls})
			c := open(t, srv, nil)
			req := tc.req
			if req.Options["quote_tweet_id"] == "QUOTED" {
				req.Options = map[string]string{"quote_tweet_id": "https://x.com/someone/status/" + srv.AddPost("someone", "quoted words", "") + "?s=20"}
			}
			if tc.name == "continues after done parts" {
				req.Done = []network.RemotePost{{ID: srv.AddPost("relaisfake", "done already", "")}}
			}
			res, err := c.Publish(context.Background(), req)
			if got := classOf(t, err); got != tc.class {
				t.Fatalf("class = %q (%v), want %q", got, err, tc.class)
			}
			if tc.errHas != "" && !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("error %q does not say %q", err, tc.errHas)
			}
			if tc.class != "" {
				return
			}
			if tc.name == "continues after done parts" {
				if len(res.Parts) != 2 || one(t, srv, res.Parts[1].ID).ReplyTo != req.Done[0].ID {
					t.Fatalf("result = %+v", res)
				}
				return
			}
			if tc.check != nil {
				tc.check(t, srv, res)
			}
		})
	}
}

func one(t *testing.T, srv *xtest.Server, id string) xtest.Tweet {
	t.Helper()
	tw, ok := srv.Tweet(id)
	if !ok {
		t.Fatalf("post %s is not on the fake", id)
	}
	return tw
}

func TestErrors(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name   string
		fault  xtest.Fault
		class  network.Class
		code   string
		status int
		// retryAfter is the minimum wait the error must carry.
		retryAfter time.Duration
	}{
		{"validation", xtest.Fault{Route: "POST /2/tweets", Kind: xtest.Invalid}, network.InvalidContent, "invalid-request", 400, 0},
		{"rate limited", xtest.Fault{Route: "POST /2/tweets", Kind: xtest.RateLimited}, network.Retryable, "", 429, 14 * time.Minute},
		{"daily cap", xtest.Fault{Route: "POST /2/tweets", Kind: xtest.DailyLimited}, network.Retryable, "", 429, 19 * time.Hour},
		{"legacy 429", xtest.Fault{Route: "POST /2/tweets", Kind: xtest.LegacyRateLimited}, network.Retryable, "88", 429, 14 * time.Minute},
		{"tier lacks endpoint", xtest.Fault{Route: "POST /2/tweets", Kind: xtest.Forbidden}, network.Permanent, "client-forbidden", 403, 0},
		{"server error before posting", xtest.Fault{Route: "POST /2/tweets", Kind: xtest.ServerError}, network.Retryable, "", 503, 0},
		{"refused twice after refresh", xtest.Fault{Route: "POST /2/tweets", Kind: xtest.Unauthorized, Times: 2}, network.AuthReconnect, "", 401, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := xtest.New(t, xtest.Options{})
			c := open(t, srv, &saved{})
			srv.Inject(tc.fault)
			_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "errors " + tc.name}}})
			var ne *network.Error
			if !errors.As(err, &ne) {
				t.Fatalf("error %v is not typed", err)
			}
			if ne.Class != tc.class || ne.Code != tc.code || ne.Status != tc.status {
				t.Fatalf("error = class %q code %q status %d (%v), want %q %q %d", ne.Class, ne.Code, ne.Status, err, tc.class, tc.code, tc.status)
			}
			if tc.retryAfter > 0 && ne.RetryAfter.Before(now.Add(tc.retryAfter)) {
				t.Fatalf("retry after %v, want at least %v from now", ne.RetryAfter, tc.retryAfter)
			}
			if ne.Status == 429 && !errors.Is(err, network.ErrRateLimited) {
				t.Fatal("a 429 is not ErrRateLimited")
			}
			if ne.TraceID == "" {
				t.Fatal("no x-transaction-id kept")
			}
			if len(srv.Tweets()) != 0 {
				t.Fatalf("a failed post is on X: %+v", srv.Tweets())
			}
		})
	}
}

func TestDuplicateIsInvalid(t *testing.T) {
	srv := xtest.New(t, xtest.Options{})
	c := open(t, srv, nil)
	req := network.PublishRequest{Parts: []network.Part{{Text: "same words twice"}}}
	if _, err := c.Publish(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	_, err := c.Publish(context.Background(), req)
	if classOf(t, err) != network.InvalidContent || !strings.Contains(err.Error(), "duplicate") {
		t.Fatalf("second post: %v", err)
	}
}

func TestRefresh(t *testing.T) {
	t.Run("expired token is renewed and rotated", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		sv := &saved{}
		c := open(t, srv, sv)
		_, oldRefresh := srv.Tokens()
		srv.Expire()
		if _, err := c.Identify(context.Background()); err != nil {
			t.Fatal(err)
		}
		got, n := sv.get()
		if n != 1 || got[secretRefresh] == "" || got[secretRefresh] == oldRefresh || got[secretExpiresAt] == "" {
			t.Fatalf("saved %d times: %v", n, got)
		}
		// A second connector still holding the old refresh token is refused: X rotated it.
		stale := open(t, srv, nil)
		srv.Expire()
		_, err := stale.Identify(context.Background())
		if classOf(t, err) != network.AuthReconnect {
			t.Fatalf("stale refresh: %v", err)
		}
		// The first connector keeps working with its new pair.
		if _, err := c.Identify(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("renewed before expiry", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		sv := &saved{}
		access, refresh := srv.Tokens()
		c, err := testProvider(srv).Open(testEnv(sv), network.Stored{Secrets: map[string]string{
			secretAccess: access, secretRefresh: refresh, secretExpiresAt: time.Now().Add(time.Minute).UTC().Format(time.RFC3339),
		}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Identify(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, n := sv.get(); n != 1 || srv.Count("POST /2/oauth2/token") != 1 || srv.Count("GET /2/users/me") != 1 {
			t.Fatalf("saves %d, token calls %d, me calls %d", n, srv.Count("POST /2/oauth2/token"), srv.Count("GET /2/users/me"))
		}
	})
	t.Run("concurrent calls renew once", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		sv := &saved{}
		c := open(t, srv, sv)
		srv.Expire()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.Identify(context.Background())
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := srv.Count("POST /2/oauth2/token"); n != 1 {
			t.Fatalf("token calls = %d, want 1: a refresh token works once", n)
		}
	})
	t.Run("no refresh token needs reconnect", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		access, _ := srv.Tokens()
		c, _ := testProvider(srv).Open(testEnv(nil), network.Stored{Secrets: map[string]string{secretAccess: access}})
		srv.Expire()
		if _, err := c.Identify(context.Background()); classOf(t, err) != network.AuthReconnect {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("revoked app needs reconnect", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		c := open(t, srv, nil)
		srv.RevokeRefresh()
		srv.Expire()
		if _, err := c.Identify(context.Background()); classOf(t, err) != network.AuthReconnect {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("another instance refreshed first", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		first := open(t, srv, nil)
		srv.Expire()
		if _, err := first.Identify(context.Background()); err != nil {
			t.Fatal(err)
		}
		shared := first.api.secrets()
		access, refresh := srv.Tokens()
		env := testEnv(nil)
		env.RefreshLocked = func(ctx context.Context, fn func(map[string]string) (map[string]string, error)) error {
			next, err := fn(shared)
			if next != nil {
				shared = next
			}
			return err
		}
		c, _ := testProvider(srv).Open(env, network.Stored{Secrets: map[string]string{secretAccess: access, secretRefresh: refresh}})
		if _, err := c.Identify(context.Background()); err != nil {
			t.Fatalf("adopting the other instance's tokens: %v", err)
		}
		if n := srv.Count("POST /2/oauth2/token"); n != 1 {
			t.Fatalf("token calls = %d, want 1 (the second instance adopts)", n)
		}
	})
}

func TestExactlyOnce(t *testing.T) {
	tests := []struct {
		name       string
		fault      xtest.FaultKind
		wantPosted int
		wantErr    network.Class
	}{
		{"committed then 500", xtest.CommitThenFail, 1, ""},
		{"committed then dropped", xtest.CommitThenDrop, 1, ""},
		{"dropped before posting", xtest.Drop, 0, network.Retryable},
		{"503 before posting", xtest.ServerError, 0, network.Retryable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := xtest.New(t, xtest.Options{})
			c := open(t, srv, nil)
			parent := srv.AddPost("someone", "a question for you https://example.com/q?x=1", "")
			srv.Inject(xtest.Fault{Route: "POST /2/tweets", Kind: tc.fault})
			text := "thanks & see https://example.com/answer"
			rp, err := c.Reply(context.Background(), parent, text)
			if classOf(t, err) != tc.wantErr {
				t.Fatalf("err = %v, want class %q", err, tc.wantErr)
			}
			mine := 0
			for _, tw := range srv.Tweets() {
				if tw.AuthorID == srv.UserID() {
					mine++
				}
			}
			if mine != tc.wantPosted || srv.Count("POST /2/tweets") != 1 {
				t.Fatalf("posted %d, create calls %d", mine, srv.Count("POST /2/tweets"))
			}
			if tc.wantPosted == 1 && (rp.ID == "" || rp.Extra["reconciled"] != "true" || one(t, srv, rp.ID).ReplyTo != parent) {
				t.Fatalf("reply = %+v", rp)
			}
			if tc.wantErr != "" {
				// Safe to retry: the retry posts once.
				if _, err := c.Reply(context.Background(), parent, text); err != nil {
					t.Fatal(err)
				}
				if n := len(srv.Tweets()); n != 2 {
					t.Fatalf("after retry %d posts, want 2", n)
				}
			}
		})
	}
	t.Run("thread part with media committed then failed", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		c := open(t, srv, nil)
		srv.Inject(xtest.Fault{Route: "POST /2/tweets", Kind: xtest.CommitThenFail})
		res, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{
			{Text: "first", Media: []network.Media{{MIME: "image/png", Data: []byte("png")}}}, {Text: "second"},
		}})
		if err != nil || len(res.Parts) != 2 || len(srv.Tweets()) != 2 {
			t.Fatalf("res %+v err %v posts %d", res, err, len(srv.Tweets()))
		}
	})
	t.Run("lookup fails too", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		c := open(t, srv, nil)
		srv.Inject(xtest.Fault{Route: "POST /2/tweets", Kind: xtest.CommitThenDrop})
		srv.Inject(xtest.Fault{Route: "GET /2/users/:id/tweets", Kind: xtest.ServerError})
		_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "unknown fate"}}})
		if classOf(t, err) != network.Unknown {
			t.Fatalf("err = %v, want unknown (needs review)", err)
		}
	})
}

func TestOAuth(t *testing.T) {
	for _, secret := range []string{"", "s3cret"} {
		t.Run("secret="+secret, func(t *testing.T) {
			srv := xtest.New(t, xtest.Options{ClientSecret: secret})
			p := Provider{App: &App{ClientID: srv.ClientID(), ClientSecret: secret, APIURL: srv.URL}}
			redirect := "https://relais.example/oauth/callback"
			u, keep, err := p.AuthorizeURL(context.Background(), testEnv(nil), nil, redirect, "st4te")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(u, "scope=tweet.read+tweet.write+users.read+media.write+offline.access") {
				t.Fatalf("authorize URL %s", u)
			}
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := hc.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if loc.Query().Get("state") != "st4te" {
				t.Fatalf("redirect %s", loc)
			}
			if _, _, err := p.Exchange(context.Background(), testEnv(nil), map[string]string{"verifier": "wrong"}, redirect, loc.Query().Get("code")); classOf(t, err) != network.Permanent {
				t.Fatalf("wrong verifier: %v", err)
			}
			resp, _ = hc.Get(u)
			resp.Body.Close()
			loc, _ = url.Parse(resp.Header.Get("Location"))
			acct, st, err := p.Exchange(context.Background(), testEnv(nil), keep, redirect, loc.Query().Get("code"))
			if err != nil {
				t.Fatal(err)
			}
			if acct.Handle != "@relaisfake" || st.Settings["user_id"] != srv.UserID() || st.Secrets[secretRefresh] == "" || st.Secrets[secretExpiresAt] == "" {
				t.Fatalf("account %+v stored %+v", acct, st)
			}
			c, err := p.Open(testEnv(nil), st)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "signed in " + secret}}}); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("no client id", func(t *testing.T) {
		if _, _, err := (Provider{App: &App{}}).AuthorizeURL(context.Background(), network.Env{}, nil, "https://r/cb", "s"); err == nil || !strings.Contains(err.Error(), "RELAIS_X_CLIENT_ID") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("pasted token", func(t *testing.T) {
		srv := xtest.New(t, xtest.Options{})
		access, _ := srv.Tokens()
		acct, st, err := testProvider(srv).Connect(context.Background(), testEnv(nil), map[string]string{"access_token": access})
		if err != nil || acct.RemoteID != srv.UserID() || st.Secrets[secretAccess] != access {
			t.Fatalf("acct %+v stored %+v err %v", acct, st, err)
		}
		if _, _, err := testProvider(srv).Connect(context.Background(), testEnv(nil), map[string]string{}); err == nil || !strings.Contains(err.Error(), "Access token") {
			t.Fatalf("empty: %v", err)
		}
	})
}

func TestRead(t *testing.T) {
	srv := xtest.New(t, xtest.Options{})
	c := open(t, srv, nil)
	ctx := context.Background()
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "post to read"}, {Text: "own thread part"}}})
	if err != nil {
		t.Fatal(err)
	}
	root := res.Parts[0].ID
	r1 := srv.AddPost("alice", "@relaisfake nice &amp; true", root)
	r2 := srv.AddPost("bob", "agreed", r1)
	srv.SetMetrics(root, 5, 2, 2, 1, 900)

	t.Run("comments leave out own parts", func(t *testing.T) {
		cs, err := c.Comments(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 2 {
			t.Fatalf("comments = %+v", cs)
		}
		byID := map[string]network.Comment{}
		for _, cm := range cs {
			byID[cm.RemoteID] = cm
		}
		if byID[r2].ParentID != r1 || byID[r2].RootID != root || byID[r1].AuthorName != "Alice" || byID[r1].URL != "https://x.com/alice/status/"+r1 {
			t.Fatalf("comments = %+v", byID)
		}
	})
	t.Run("mentions with since_id cursor", func(t *testing.T) {
		ms, cur, err := c.Mentions(ctx, "")
		if err != nil || len(ms) != 1 || ms[0].RemoteID != r1 || cur != r1 {
			t.Fatalf("mentions %+v cursor %q err %v", ms, cur, err)
		}
		ms, cur2, err := c.Mentions(ctx, cur)
		if err != nil || len(ms) != 0 || cur2 != cur {
			t.Fatalf("again: %+v %q %v", ms, cur2, err)
		}
		m2 := srv.AddPost("dave", "hey @RelaisFake", "")
		m3 := srv.AddPost("erin", "@relaisfake hello", "")
		ms, cur3, err := c.Mentions(ctx, cur)
		if err != nil || len(ms) != 2 || ms[0].RemoteID != m2 || ms[1].RemoteID != m3 || cur3 != m3 {
			t.Fatalf("new: %+v %q %v", ms, cur3, err)
		}
	})
	t.Run("search", func(t *testing.T) {
		hits, next, err := c.Search(ctx, "agreed", "")
		if err != nil || len(hits) != 1 || hits[0].RemoteID != r2 || next != "" {
			t.Fatalf("hits %+v next %q err %v", hits, next, err)
		}
	})
	t.Run("metrics with a deleted post", func(t *testing.T) {
		if err := c.Delete(ctx, res.Parts[1].ID); err != nil {
			t.Fatal(err)
		}
		m, err := c.PostMetrics(ctx, []string{root, res.Parts[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		want := network.PostMetrics{Likes: 5, Reposts: 2, Replies: 2, Quotes: 1, Views: 900}
		if len(m) != 1 || m[root] != want {
			t.Fatalf("metrics = %+v", m)
		}
		srv.SetFollowers(1234)
		if n, err := c.Followers(ctx); err != nil || n != 1234 {
			t.Fatalf("followers %d %v", n, err)
		}
	})
	t.Run("delete twice", func(t *testing.T) {
		if err := c.Delete(ctx, res.Parts[1].ID); err != nil {
			t.Fatalf("deleting a deleted post: %v", err)
		}
		if err := c.Delete(ctx, r1); classOf(t, err) != network.Permanent {
			t.Fatalf("deleting someone else's post: %v", err)
		}
	})
	t.Run("hide a reply", func(t *testing.T) {
		if err := c.HideComment(ctx, r2); err != nil {
			t.Fatal(err)
		}
		if tw, _ := srv.Tweet(r2); !tw.Hidden {
			t.Fatal("reply not hidden")
		}
		other := srv.AddPost("carol", "not yours", "")
		reply := srv.AddPost("dave", "under carol", other)
		if err := c.HideComment(ctx, reply); classOf(t, err) != network.Permanent {
			t.Fatalf("hiding in someone else's conversation: %v", err)
		}
	})
	t.Run("search needs a higher tier", func(t *testing.T) {
		srv.Inject(xtest.Fault{Route: "GET /2/tweets/search/recent", Kind: xtest.Forbidden})
		if _, _, err := c.Search(ctx, "x", ""); classOf(t, err) != network.Permanent {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLongPostsForPremium(t *testing.T) {
	long := strings.Repeat("word ", 1000)
	for _, tc := range []struct {
		sub     string
		max     int
		longErr network.Class
	}{
		{"None", 280, network.InvalidContent},
		{"Basic", 280, network.InvalidContent},
		{"Premium", LongPostLimit, ""},
		{"PremiumPlus", LongPostLimit, ""},
	} {
		t.Run(tc.sub, func(t *testing.T) {
			srv := xtest.New(t, xtest.Options{SubscriptionType: tc.sub})
			access, _ := srv.Tokens()
			_, st, err := testProvider(srv).Connect(context.Background(), testEnv(nil), map[string]string{"access_token": access})
			if err != nil {
				t.Fatal(err)
			}
			if st.Limits == nil || st.Limits.MaxText != tc.max || st.EffectiveLimits(network.X).Name != "X" {
				t.Fatalf("limits = %+v", st.Limits)
			}
			c := open(t, srv, nil)
			_, err = c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: long}}})
			if classOf(t, err) != tc.longErr {
				t.Fatalf("a 5,000-character post: %v", err)
			}
		})
	}
}

func TestTokenExpiry(t *testing.T) {
	srv := xtest.New(t, xtest.Options{})
	access, refresh := srv.Tokens()
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name     string
		clientID string
		secrets  map[string]string
		want     time.Time
	}{
		{"renewable", srv.ClientID(), map[string]string{secretAccess: access, secretRefresh: refresh, secretExpiresAt: exp.Format(time.RFC3339)}, time.Time{}},
		{"no refresh token", srv.ClientID(), map[string]string{secretAccess: access, secretExpiresAt: exp.Format(time.RFC3339)}, exp},
		{"no client id", "", map[string]string{secretAccess: access, secretRefresh: refresh, secretExpiresAt: exp.Format(time.RFC3339)}, exp},
		{"unknown expiry", "", map[string]string{secretAccess: access}, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Provider{App: &App{ClientID: tc.clientID, APIURL: srv.URL}}.Open(testEnv(nil), network.Stored{Secrets: tc.secrets})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.(*Connector).TokenExpiry(); !got.Equal(tc.want) {
				t.Fatalf("expiry = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPostOptionsArePublished(t *testing.T) {
	// Every declared option is one Publish reads: its default value is accepted.
	o := map[string]string{}
	for _, f := range PostOptions() {
		if len(f.Options) > 0 {
			o[f.Name] = f.Options[0]
		}
	}
	o["poll_options"] = "yes|no"
	b, err := firstPartOptions(o)
	if err != nil || b.Poll == nil || b.Poll.DurationMinutes != 1440 || b.ReplySettings != "" {
		t.Fatalf("defaults: %+v %v", b, err)
	}
}

func TestCapabilities(t *testing.T) {
	srv := xtest.New(t, xtest.Options{})
	caps := network.CapabilitiesOf(open(t, srv, nil), network.DefaultLimits[network.X])
	want := network.Capabilities{Threads: true, FirstComment: true, Metrics: true, Comments: true, Reply: true, Mentions: true, Search: true, HideComment: true}
	if caps != want {
		t.Fatalf("caps = %+v", caps)
	}
	if p, err := network.ProviderFor(network.X); err != nil || p.Kind() != network.X {
		t.Fatalf("provider: %v", err)
	}
}
