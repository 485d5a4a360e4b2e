package tumblr

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/tumblr/tumblrtest"
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

func testProvider(srv *tumblrtest.Server) Provider {
	return Provider{App: &App{ClientID: srv.ClientID(), ClientSecret: "fake-secret", APIURL: srv.URL}}
}

func open(t *testing.T, srv *tumblrtest.Server, sv *saved) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	c, err := testProvider(srv).Open(testEnv(sv), network.Stored{
		Settings: map[string]string{"blog": "relaisfake", "blog_uuid": "t:relaisFakeUUID01"},
		Secrets:  map[string]string{network.SecretAccess: access, network.SecretRefresh: refresh},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.(*Connector)
}

func TestConnectPicksBlog(t *testing.T) {
	srv := tumblrtest.New(t, tumblrtest.Options{})
	access, _ := srv.Tokens()
	for _, tc := range []struct{ blog, want, errHas string }{
		{"", "relaisfake", ""},
		{"relaisart", "relaisart", ""},
		{"relaisart.tumblr.com", "relaisart", ""},
		{"someoneelse", "", "no blog \"someoneelse\"; its blogs: relaisfake, relaisart"},
	} {
		acct, st, err := testProvider(srv).Connect(context.Background(), testEnv(nil), map[string]string{"access_token": access, "blog": tc.blog})
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("blog %q: error %v, want %q", tc.blog, err, tc.errHas)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if acct.Handle != tc.want || st.Settings["blog"] != tc.want || !strings.HasPrefix(acct.RemoteID, "t:") || acct.URL != "https://"+tc.want+".tumblr.com/" {
			t.Fatalf("blog %q: account %+v, stored %+v", tc.blog, acct, st.Settings)
		}
	}
	if _, _, err := testProvider(srv).Connect(context.Background(), testEnv(nil), map[string]string{}); err == nil {
		t.Fatal("no token accepted")
	}
}

func TestOAuthExchange(t *testing.T) {
	srv := tumblrtest.New(t, tumblrtest.Options{})
	p := testProvider(srv)
	target, keep, err := p.AuthorizeURL(context.Background(), testEnv(nil), map[string]string{"blog": "relaisart"}, "http://relais.test/oauth/callback/tumblr", "st4te")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(target)
	if u.Path != "/oauth2/authorize" || u.Query().Get("scope") != Scopes || keep["blog"] != "relaisart" {
		t.Fatalf("authorize %s keep %v", target, keep)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cb, _ := url.Parse(res.Header.Get("Location"))
	if cb.Query().Get("state") != "st4te" {
		t.Fatalf("callback %s", cb)
	}
	acct, st, err := p.Exchange(context.Background(), testEnv(nil), keep, "http://relais.test/oauth/callback/tumblr", cb.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if acct.Handle != "relaisart" || st.Secrets[network.SecretRefresh] == "" || st.Secrets[network.SecretExpiresAt] == "" {
		t.Fatalf("account %+v secrets %v", acct, st.Secrets)
	}
	// A code works once.
	if _, _, err := p.Exchange(context.Background(), testEnv(nil), keep, "http://relais.test/oauth/callback/tumblr", cb.Query().Get("code")); network.ClassOf(err) != network.Permanent {
		t.Fatalf("second exchange: %v", err)
	}
	if _, _, err := (Provider{App: &App{}}).AuthorizeURL(context.Background(), testEnv(nil), nil, "x", "y"); err == nil {
		t.Fatal("no app, yet an authorize URL")
	}
	if _, _, err := p.AuthorizeURL(context.Background(), testEnv(nil), map[string]string{"blog": "bad name!"}, "x", "y"); err == nil {
		t.Fatal("a bad blog name was accepted")
	}
}

func TestPublish(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0fake-jpeg")
	tests := []struct {
		name   string
		req    network.PublishRequest
		class  network.Class
		errHas string
		check  func(t *testing.T, srv *tumblrtest.Server, p tumblrtest.Post)
	}{
		{name: "text with link and mention", req: network.PublishRequest{Parts: []network.Part{{Text: "Bonjour @friend, voilà https://example.com/é ok\n\nsecond line"}}},
			check: func(t *testing.T, srv *tumblrtest.Server, p tumblrtest.Post) {
				if len(p.Content) != 2 || p.State != "published" {
					t.Fatalf("content %+v", p.Content)
				}
				f := p.Content[0].Formatting
				if len(f) != 2 || f[0]["type"] != "link" || f[0]["start"] != float64(23) || f[0]["end"] != float64(44) || f[1]["type"] != "mention" || f[1]["start"] != float64(8) {
					t.Fatalf("formatting %+v", f)
				}
			}},
		{name: "unknown mention stays text", req: network.PublishRequest{Parts: []network.Part{{Text: "hi @nobody-here"}}},
			check: func(t *testing.T, srv *tumblrtest.Server, p tumblrtest.Post) {
				if len(p.Content[0].Formatting) != 0 {
					t.Fatalf("formatting %+v", p.Content[0].Formatting)
				}
			}},
		{name: "images, video and link block with tags", req: network.PublishRequest{
			Parts:   []network.Part{{Text: "pics", Link: "https://example.com/a", Media: []network.Media{{MIME: "image/jpeg", Data: jpeg, AltText: "a red door", Width: 4, Height: 3}, {MIME: "image/png", Data: jpeg}, {MIME: "video/mp4", Data: make([]byte, 1000)}}}},
			Options: map[string]string{"tags": "#art, photo,, Art", "state": "queue"}},
			check: func(t *testing.T, srv *tumblrtest.Server, p tumblrtest.Post) {
				var types []string
				for _, b := range p.Content {
					types = append(types, b.Type)
				}
				if strings.Join(types, ",") != "text,image,image,video,link" || p.Content[1].AltText != "a red door" {
					t.Fatalf("blocks %v %+v", types, p.Content)
				}
				if len(p.Uploads) != 3 || p.Uploads[2].MIME != "video/mp4" || p.Uploads[2].Size != 1000 {
					t.Fatalf("uploads %+v", p.Uploads)
				}
				if strings.Join(p.Tags, "|") != "art|photo" || p.State != "queue" {
					t.Fatalf("tags %v state %s", p.Tags, p.State)
				}
			}},
		{name: "draft", req: network.PublishRequest{Parts: []network.Part{{Text: "later"}}, Options: map[string]string{"state": "draft"}},
			check: func(t *testing.T, srv *tumblrtest.Server, p tumblrtest.Post) {
				if p.State != "draft" {
					t.Fatal(p.State)
				}
			}},
		{name: "reblog", req: network.PublishRequest{Parts: []network.Part{{Text: "so true"}}, Options: map[string]string{"reblog": "REBLOG"}},
			check: func(t *testing.T, srv *tumblrtest.Server, p tumblrtest.Post) {
				if p.ParentPostID == "" || p.ParentBlogUUID != "t:friendUUID000003" || p.ReblogKey != "rk-"+p.ParentPostID {
					t.Fatalf("reblog %+v", p)
				}
			}},
		{name: "bad state", req: network.PublishRequest{Parts: []network.Part{{Text: "x"}}, Options: map[string]string{"state": "later"}}, class: network.InvalidContent, errHas: "state must be"},
		{name: "bad reblog address", req: network.PublishRequest{Parts: []network.Part{{Text: "x"}}, Options: map[string]string{"reblog": "https://example.com/post/1"}}, class: network.InvalidContent, errHas: "not the address"},
		{name: "two videos", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{{MIME: "video/mp4", Data: jpeg}, {MIME: "video/mp4", Data: jpeg}}}}}, class: network.InvalidContent, errHas: "one uploaded video"},
		{name: "audio refused", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{{MIME: "audio/mpeg", Data: jpeg}}}}}, class: network.InvalidContent, errHas: "images and video"},
		{name: "paragraph too long", req: network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("é", 4097)}}}, class: network.InvalidContent, errHas: "4096"},
		{name: "thread refused", req: network.PublishRequest{Parts: []network.Part{{Text: "a"}, {Text: "b"}}}, class: network.InvalidContent, errHas: "no threads"},
		{name: "first comment refused", req: network.PublishRequest{Parts: []network.Part{{Text: "a"}}, FirstComment: "b"}, class: network.InvalidContent, errHas: "first comment"},
		{name: "too many tags", req: network.PublishRequest{Parts: []network.Part{{Text: "a"}}, Options: map[string]string{"tags": manyTags(31)}}, class: network.InvalidContent, errHas: "31 tags"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := tumblrtest.New(t, tumblrtest.Options{})
			c := open(t, srv, nil)
			req := tc.req
			if req.Options["reblog"] == "REBLOG" {
				req.Options = map[string]string{"reblog": "https://www.tumblr.com/friend/" + srv.AddPost("friend", "a thought")}
			}
			before := len(srv.Posts())
			res, err := c.Publish(context.Background(), req)
			if got := network.ClassOf(err); err != nil && got != tc.class || err == nil && tc.class != "" {
				t.Fatalf("error %v (class %q), want %q", err, got, tc.class)
			}
			if tc.errHas != "" && !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("error %q does not say %q", err, tc.errHas)
			}
			if tc.class != "" {
				if len(srv.Posts()) != before {
					t.Fatal("a refused post is on Tumblr")
				}
				return
			}
			p, ok := srv.Post(res.Parts[0].ID)
			if !ok || p.Blog != "relaisfake" || res.Parts[0].URL != "https://www.tumblr.com/relaisfake/"+p.ID {
				t.Fatalf("result %+v", res)
			}
			if tc.check != nil {
				tc.check(t, srv, p)
			}
		})
	}
}

func TestTags(t *testing.T) {
	if _, err := Tags(manyTags(30)); err != nil {
		t.Fatal(err)
	}
	if _, err := Tags(manyTags(31)); err == nil {
		t.Fatal("31 tags accepted")
	}
	if _, err := Tags(strings.Repeat("é", 141)); err == nil {
		t.Fatal("a 141-character tag accepted")
	}
	got, err := Tags(" #one , two,#one,, three ")
	if err != nil || strings.Join(got, ",") != "one,two,three" {
		t.Fatalf("%v %v", got, err)
	}
}

func TestErrors(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name       string
		fault      tumblrtest.Fault
		class      network.Class
		code       string
		status     int
		retryAfter time.Duration
	}{
		{"validation", tumblrtest.Fault{Kind: tumblrtest.Invalid}, network.InvalidContent, "8001", 400, 0},
		{"hourly limit", tumblrtest.Fault{Kind: tumblrtest.RateLimited}, network.Retryable, "", 429, 29 * time.Minute},
		{"daily post cap", tumblrtest.Fault{Kind: tumblrtest.DailyPostCap}, network.Retryable, "8023", 403, time.Second},
		{"forbidden", tumblrtest.Fault{Kind: tumblrtest.Forbidden}, network.Permanent, "", 403, 0},
		{"server error", tumblrtest.Fault{Kind: tumblrtest.ServerError}, network.Retryable, "", 503, 0},
		{"refused twice after refresh", tumblrtest.Fault{Kind: tumblrtest.Unauthorized, Times: 2}, network.AuthReconnect, "", 401, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := tumblrtest.New(t, tumblrtest.Options{})
			c := open(t, srv, &saved{})
			tc.fault.Route = "POST /v2/blog/:blog/posts"
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
			if len(srv.Posts()) != 0 {
				t.Fatalf("a failed post is on Tumblr: %+v", srv.Posts())
			}
		})
	}
}

func TestDailyCap(t *testing.T) {
	srv := tumblrtest.New(t, tumblrtest.Options{DailyPosts: 2})
	c := open(t, srv, nil)
	for i := range 3 {
		_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "post " + string(rune('a'+i))}}})
		if i < 2 && err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			var ne *network.Error
			if !errors.As(err, &ne) || ne.Class != network.Retryable || ne.Code != "8023" || !ne.RetryAfter.After(time.Now()) {
				t.Fatalf("third post: %v", err)
			}
		}
	}
	// Drafts do not count toward the cap.
	if _, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "draft"}}, Options: map[string]string{"state": "draft"}}); err != nil {
		t.Fatal(err)
	}
}

func TestRateLimitNormalised(t *testing.T) {
	srv := tumblrtest.New(t, tumblrtest.Options{HourlyCalls: 10})
	c := open(t, srv, nil)
	if _, err := c.Identify(context.Background()); err != nil {
		t.Fatal(err)
	}
	rl := c.RateLimit()
	if rl.Limit != 10 || rl.Remaining != 9 || rl.Reset.Before(time.Now().Add(59*time.Minute)) {
		t.Fatalf("rate limit %+v: the hourly window has fewer calls left and must be the one reported", rl)
	}
}

// TestExactlyOnce: a create that took effect but whose answer was lost is
// found on the blog (no second post); one that did not take effect is
// safe to retry; a private post that cannot be looked for stays unknown.
func TestExactlyOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		kind       tumblrtest.Fault
		state      string
		class      network.Class
		posts      int
		reconciled bool
	}{
		{"committed then 500", tumblrtest.Fault{Kind: tumblrtest.CommitThenFail}, "", "", 1, true},
		{"committed then dropped, queued", tumblrtest.Fault{Kind: tumblrtest.CommitThenDrop}, "queue", "", 1, true},
		{"committed then dropped, draft", tumblrtest.Fault{Kind: tumblrtest.CommitThenDrop}, "draft", "", 1, true},
		{"dropped before", tumblrtest.Fault{Kind: tumblrtest.Drop}, "", network.Retryable, 0, false},
		{"private committed then dropped", tumblrtest.Fault{Kind: tumblrtest.CommitThenDrop}, "private", network.Unknown, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tumblrtest.New(t, tumblrtest.Options{})
			c := open(t, srv, nil)
			// An older post with the same text is not taken for this one.
			srv.AddPost("relaisfake", "older")
			tc.kind.Route = "POST /v2/blog/:blog/posts"
			srv.Inject(tc.kind)
			res, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "once only"}}, Options: map[string]string{"state": tc.state}})
			if network.ClassOf(err) != tc.class && !(err == nil && tc.class == "") {
				t.Fatalf("error %v, want class %q", err, tc.class)
			}
			n := 0
			for _, p := range srv.Posts() {
				if p.Content[0].Text == "once only" {
					n++
				}
			}
			if n != tc.posts {
				t.Fatalf("%d posts, want %d", n, tc.posts)
			}
			if tc.reconciled && (len(res.Parts) != 1 || res.Parts[0].Extra["reconciled"] != "true") {
				t.Fatalf("result %+v", res)
			}
		})
	}
}

func TestRenewsExpiredToken(t *testing.T) {
	srv := tumblrtest.New(t, tumblrtest.Options{})
	sv := &saved{}
	c := open(t, srv, sv)
	srv.Expire()
	if _, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "after expiry"}}}); err != nil {
		t.Fatal(err)
	}
	if sv.n != 1 || sv.last[network.SecretRefresh] == "" || srv.Count("POST /v2/oauth2/token") != 1 {
		t.Fatalf("saved %d %v, token calls %d", sv.n, sv.last, srv.Count("POST /v2/oauth2/token"))
	}
	srv.Expire()
	srv.RevokeRefresh()
	_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "revoked"}}})
	if network.ClassOf(err) != network.AuthReconnect {
		t.Fatalf("revoked: %v", err)
	}
}

func TestReadNotesFollowersEditDelete(t *testing.T) {
	srv := tumblrtest.New(t, tumblrtest.Options{})
	c := open(t, srv, nil)
	ctx := context.Background()
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "notes please"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Parts[0].ID
	srv.AddNote(id, "like", "friend", "")
	srv.AddNote(id, "reblog", "friend", "")
	srv.AddNote(id, "reply", "friend", "lovely")
	srv.AddNote(id, "reblog", "other", "adding my take")
	srv.AddNote(id, "reply", "other", "agreed")
	srv.AddNote(id, "like", "other", "")
	cm, err := c.Comments(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(cm) != 3 || cm[0].Text != "lovely" || cm[0].Kind != "comment" || cm[1].Kind != "quote" || cm[1].RemoteID == "" || cm[2].AuthorName != "other" {
		t.Fatalf("comments %+v", cm)
	}
	m, err := c.PostMetrics(ctx, []string{id, "1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := m[id]; got != (network.PostMetrics{Likes: 2, Reposts: 2, Replies: 2, Quotes: 1, Views: -1}) {
		t.Fatalf("metrics %+v", got)
	}
	if _, ok := m["1"]; ok {
		t.Fatal("a missing post has metrics")
	}
	srv.SetFollowers("relaisfake", 4321)
	st, err := c.AccountStats(ctx)
	if err != nil || st.Followers != 4321 || st.Posts != 1 || st.Following != -1 {
		t.Fatalf("stats %+v %v", st, err)
	}
	if err := c.Edit(ctx, id, network.Part{Text: "notes, please"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := srv.Post(id); p.Content[0].Text != "notes, please" || p.Edited != 1 {
		t.Fatalf("edited %+v", p)
	}
	if err := c.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, id); err != nil {
		t.Fatalf("deleting again: %v", err)
	}
	if len(srv.Posts()) != 0 {
		t.Fatal("not deleted")
	}
}

func TestMultipartJSONFirst(t *testing.T) {
	srv := tumblrtest.New(t, tumblrtest.Options{})
	c := open(t, srv, nil)
	if _, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "p", Media: []network.Media{{MIME: "image/gif", Data: []byte("GIF89a")}}}}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if r.Method == "POST" && r.Route == "/v2/blog/:blog/posts" {
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") || !strings.Contains(string(r.Body), `name="json"`) || r.Header.Get("Authorization") == "" {
				t.Fatalf("request %v", r.Header)
			}
			var js map[string]any
			_ = json.Unmarshal([]byte("{}"), &js)
		}
	}
}

func manyTags(n int) string {
	var out []string
	for i := range n {
		out = append(out, "tag"+strconv.Itoa(i))
	}
	return strings.Join(out, ",")
}
