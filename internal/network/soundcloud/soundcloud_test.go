package soundcloud

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/soundcloud/soundcloudtest"
)

func testEnv() network.Env { return network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}} }

func testProvider(srv *soundcloudtest.Server) Provider {
	return Provider{App: &App{ClientID: srv.ClientID(), ClientSecret: "fake-secret", APIURL: srv.URL}}
}

func open(t *testing.T, srv *soundcloudtest.Server) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	c, err := testProvider(srv).Open(testEnv(), network.Stored{Settings: map[string]string{"user_id": "1001"},
		Secrets: map[string]string{network.SecretAccess: access, network.SecretRefresh: refresh}})
	if err != nil {
		t.Fatal(err)
	}
	return c.(*Connector)
}

var mp3 = network.Media{MIME: "audio/mpeg", Data: []byte("ID3\x04fake-mp3-frames")}

func TestOAuthPKCE(t *testing.T) {
	srv := soundcloudtest.New(t, soundcloudtest.Options{})
	p := testProvider(srv)
	target, keep, err := p.AuthorizeURL(context.Background(), testEnv(), nil, "http://relais.test/oauth/callback/soundcloud", "st")
	if err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cb, _ := url.Parse(res.Header.Get("Location"))
	if _, _, err := p.Exchange(context.Background(), testEnv(), map[string]string{"verifier": "wrong"}, "http://relais.test/oauth/callback/soundcloud", cb.Query().Get("code")); err == nil {
		t.Fatal("a wrong verifier was accepted")
	}
	res, _ = noFollow.Get(target)
	res.Body.Close()
	cb, _ = url.Parse(res.Header.Get("Location"))
	acct, st, err := p.Exchange(context.Background(), testEnv(), keep, "http://relais.test/oauth/callback/soundcloud", cb.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if acct.RemoteID != "1001" || acct.Handle != "relaisfake" || st.Secrets[network.SecretRefresh] == "" {
		t.Fatalf("%+v %v", acct, st.Secrets)
	}
}

func TestPublish(t *testing.T) {
	png := network.Media{MIME: "image/png", Data: []byte("\x89PNG fake")}
	tests := []struct {
		name   string
		req    network.PublishRequest
		class  network.Class
		errHas string
		check  func(t *testing.T, tr soundcloudtest.Track, res network.PublishResult, srv *soundcloudtest.Server)
	}{
		{name: "track with artwork, options and first comment", req: network.PublishRequest{
			Parts:        []network.Part{{Text: "Morning session\nRecorded live.", Link: "https://example.com/liner", Media: []network.Media{mp3, png}}},
			Options:      map[string]string{"tags": "ambient, field recording,#live", "sharing": "private", "downloadable": "true", "license": "cc-by"},
			FirstComment: "Thanks for listening"},
			check: func(t *testing.T, tr soundcloudtest.Track, res network.PublishResult, srv *soundcloudtest.Server) {
				if tr.Title != "Morning session" || tr.Description != "Morning session\nRecorded live.\n\nhttps://example.com/liner" || tr.TagList != `ambient "field recording" live` ||
					tr.Sharing != "private" || !tr.Downloadable || tr.License != "cc-by" || tr.AudioMIME != "audio/mpeg" || tr.ArtworkMIME != "image/png" {
					t.Fatalf("track %+v", tr)
				}
				if res.FirstComment == nil || len(tr.Comments) != 1 || tr.Comments[0].Body != "Thanks for listening" {
					t.Fatalf("first comment %+v %+v", res.FirstComment, tr.Comments)
				}
			}},
		{name: "title option", req: network.PublishRequest{Parts: []network.Part{{Text: "about it", Media: []network.Media{mp3}}}, Options: map[string]string{"title": "Nocturne"}},
			check: func(t *testing.T, tr soundcloudtest.Track, _ network.PublishResult, _ *soundcloudtest.Server) {
				if tr.Title != "Nocturne" || tr.Sharing != "public" {
					t.Fatalf("track %+v", tr)
				}
			}},
		{name: "no audio", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{png}}}}, class: network.InvalidContent, errHas: "exactly one audio"},
		{name: "two audio files", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{mp3, mp3}}}}, class: network.InvalidContent, errHas: "has 2"},
		{name: "video refused", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{mp3, {MIME: "video/mp4", Data: []byte("v")}}}}}, class: network.InvalidContent, errHas: "video/mp4"},
		{name: "title too long", req: network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("é", 101), Media: []network.Media{mp3}}}}, class: network.InvalidContent, errHas: "100"},
		{name: "no title", req: network.PublishRequest{Parts: []network.Part{{Media: []network.Media{mp3}}}}, class: network.InvalidContent, errHas: "needs a title"},
		{name: "bad license", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{mp3}}}, Options: map[string]string{"license": "gpl"}}, class: network.InvalidContent, errHas: "license"},
		{name: "bad sharing", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{mp3}}}, Options: map[string]string{"sharing": "friends"}}, class: network.InvalidContent, errHas: "sharing"},
		{name: "thread refused", req: network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{mp3}}, {Text: "y"}}}, class: network.InvalidContent, errHas: "no threads"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := soundcloudtest.New(t, soundcloudtest.Options{})
			c := open(t, srv)
			res, err := c.Publish(context.Background(), tc.req)
			if err != nil && network.ClassOf(err) != tc.class || err == nil && tc.class != "" {
				t.Fatalf("error %v, want class %q", err, tc.class)
			}
			if tc.class != "" {
				if !strings.Contains(err.Error(), tc.errHas) || len(srv.Tracks()) != 0 {
					t.Fatalf("error %q does not say %q, or a track was made", err, tc.errHas)
				}
				return
			}
			tr, ok := srv.Track(res.Parts[0].ID)
			if !ok || !strings.HasPrefix(res.Parts[0].URL, "https://soundcloud.com/relaisfake/") {
				t.Fatalf("result %+v", res)
			}
			tc.check(t, tr, res, srv)
		})
	}
}

func TestErrorsAndExactlyOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  soundcloudtest.Fault
		class  network.Class
		status int
		tracks int
	}{
		{"invalid", soundcloudtest.Fault{Kind: soundcloudtest.Invalid}, network.InvalidContent, 422, 0},
		{"rate limited", soundcloudtest.Fault{Kind: soundcloudtest.RateLimited}, network.Retryable, 429, 0},
		{"forbidden", soundcloudtest.Fault{Kind: soundcloudtest.Forbidden}, network.Permanent, 403, 0},
		{"refused after refresh", soundcloudtest.Fault{Kind: soundcloudtest.Unauthorized, Times: 2}, network.AuthReconnect, 401, 0},
		{"committed then 500", soundcloudtest.Fault{Kind: soundcloudtest.CommitThenFail}, "", 0, 1},
		{"committed then dropped", soundcloudtest.Fault{Kind: soundcloudtest.CommitThenDrop}, "", 0, 1},
		{"dropped before", soundcloudtest.Fault{Kind: soundcloudtest.Drop}, network.Retryable, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := soundcloudtest.New(t, soundcloudtest.Options{})
			c := open(t, srv)
			tc.fault.Route = "POST /tracks"
			srv.Inject(tc.fault)
			res, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "Once", Media: []network.Media{mp3}}}})
			if tc.class == "" {
				if err != nil || res.Parts[0].Extra["reconciled"] != "true" {
					t.Fatalf("%v %+v", err, res)
				}
			} else {
				var ne *network.Error
				if !errors.As(err, &ne) || ne.Class != tc.class || ne.Status != tc.status {
					t.Fatalf("error %v, want %q %d", err, tc.class, tc.status)
				}
				if ne.Status == 429 && ne.RetryAfter.Before(time.Now().Add(9*time.Minute)) {
					t.Fatalf("retry after %v", ne.RetryAfter)
				}
			}
			if n := len(srv.Tracks()); n != tc.tracks {
				t.Fatalf("%d tracks, want %d", n, tc.tracks)
			}
		})
	}
}

func TestCommentsReplyMetrics(t *testing.T) {
	srv := soundcloudtest.New(t, soundcloudtest.Options{})
	c := open(t, srv)
	ctx := context.Background()
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Dusk", Media: []network.Media{mp3}}}})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Parts[0].ID
	srv.AddComment(id, "Ana", "that drop at 1:05", 65000)
	srv.AddComment(id, "Bo", "lovely", 1000)
	srv.AddComment(id, "Cy", "more please", 2000)
	cm, err := c.Comments(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(cm) != 3 || cm[0].Text != "that drop at 1:05" || cm[0].AuthorName != "Ana" || !strings.HasSuffix(cm[0].RemoteID, ":65000") {
		t.Fatalf("comments %+v", cm)
	}
	rp, err := c.Reply(ctx, cm[0].RemoteID, "thank you!")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := srv.Track(id)
	last := tr.Comments[len(tr.Comments)-1]
	if last.Body != "thank you!" || last.Position != 65000 || !strings.HasPrefix(rp.ID, id+":") {
		t.Fatalf("reply %+v as %s", last, rp.ID)
	}
	if got, ok, err := c.FindReply(ctx, cm[0].RemoteID, "thank you!"); err != nil || !ok || got.ID != rp.ID {
		t.Fatalf("find reply %v %v %v", got, ok, err)
	}
	if again, _ := c.Comments(ctx, id); len(again) != 3 {
		t.Fatalf("own reply read as a comment: %+v", again)
	}
	srv.SetCounts(id, 120, 9, 2)
	m, err := c.PostMetrics(ctx, []string{id, "42"})
	if err != nil || m[id] != (network.PostMetrics{Likes: 9, Reposts: 2, Replies: 4, Quotes: -1, Views: 120}) {
		t.Fatalf("metrics %+v %v", m, err)
	}
	srv.SetFollowers(777)
	st, err := c.AccountStats(ctx)
	if err != nil || st.Followers != 777 || st.Following != 5 || st.Posts != 1 {
		t.Fatalf("stats %+v %v", st, err)
	}
	if err := c.Delete(ctx, id); err != nil || len(srv.Tracks()) != 0 {
		t.Fatalf("delete %v", err)
	}
	if err := c.Delete(ctx, id); err != nil {
		t.Fatalf("delete again %v", err)
	}
}

func TestRenewsExpiredToken(t *testing.T) {
	srv := soundcloudtest.New(t, soundcloudtest.Options{})
	c := open(t, srv)
	srv.Expire()
	if _, err := c.Identify(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv.Count("POST /oauth/token") != 1 {
		t.Fatal("no renewal")
	}
	for _, r := range srv.Requests() {
		if r.Route == "/me" && !strings.HasPrefix(r.Header.Get("Authorization"), "OAuth ") {
			t.Fatalf("Authorization %q", r.Header.Get("Authorization"))
		}
	}
}
