package snapchat

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/snapchat/snapchattest"
)

func testEnv() network.Env { return network.Env{HTTP: &http.Client{Timeout: 20 * time.Second}} }

func testProvider(srv *snapchattest.Server) Provider {
	return Provider{App: &App{ClientID: srv.ClientID(), ClientSecret: "fake-secret", APIURL: srv.URL}}
}

func open(t *testing.T, srv *snapchattest.Server) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	c, err := testProvider(srv).Open(testEnv(), network.Stored{Settings: map[string]string{"profile_id": snapchattest.ProfileID, "username": "relaisfake"},
		Secrets: map[string]string{network.SecretAccess: access, network.SecretRefresh: refresh}})
	if err != nil {
		t.Fatal(err)
	}
	sc := c.(*Connector)
	sc.pollEvery = time.Millisecond
	return sc
}

var (
	jpeg = append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte("jpeg"), 100)...)
	mp4  = append([]byte("\x00\x00\x00\x18ftypisom"), bytes.Repeat([]byte{7}, 1000)...)
)

func TestEncryptRoundTrip(t *testing.T) {
	key, iv := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 16)
	for _, n := range []int{0, 1, 15, 16, 17, 1000} {
		data := bytes.Repeat([]byte{9}, n)
		enc, err := Encrypt(data, key, iv)
		if err != nil || len(enc)%16 != 0 || len(enc) <= n {
			t.Fatalf("%d: %d bytes %v", n, len(enc), err)
		}
		dec, err := Decrypt(enc, key, iv)
		if err != nil || !bytes.Equal(dec, data) {
			t.Fatalf("%d: round trip %v", n, err)
		}
	}
}

func TestConnect(t *testing.T) {
	srv := snapchattest.New(t, snapchattest.Options{})
	p := testProvider(srv)
	target, keep, err := p.AuthorizeURL(context.Background(), testEnv(), nil, "http://relais.test/oauth/callback/snapchat", "st")
	if err != nil || !strings.Contains(target, "scope=snapchat-profile-api") {
		t.Fatalf("%s %v", target, err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cb, _ := url.Parse(res.Header.Get("Location"))
	acct, st, err := p.Exchange(context.Background(), testEnv(), keep, "http://relais.test/oauth/callback/snapchat", cb.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if acct.RemoteID != snapchattest.ProfileID || acct.Handle != "relaisfake" || st.Settings["profile_id"] != snapchattest.ProfileID {
		t.Fatalf("%+v %+v", acct, st.Settings)
	}
	none := snapchattest.New(t, snapchattest.Options{NoProfile: true})
	access, _ := none.Tokens()
	if _, _, err := testProvider(none).Connect(context.Background(), testEnv(), map[string]string{"access_token": access}); err == nil || !strings.Contains(err.Error(), "no Public Profile") {
		t.Fatalf("no profile: %v", err)
	}
}

func TestPublish(t *testing.T) {
	big := append([]byte("\x00\x00\x00\x18ftypisom"), make([]byte, 70<<20)...)
	tests := []struct {
		name   string
		req    network.PublishRequest
		class  network.Class
		errHas string
		parts  int
		check  func(t *testing.T, p snapchattest.Post)
	}{
		{name: "story image", req: network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}}}}}, parts: 1,
			check: func(t *testing.T, p snapchattest.Post) {
				if p.Placement != "story" {
					t.Fatal(p)
				}
			}},
		{name: "saved story titled by the text", req: network.PublishRequest{Parts: []network.Part{{Text: "Behind the scenes\nmore", Media: []network.Media{{MIME: "video/mp4", Data: mp4}}}}, Options: map[string]string{"placement": "saved_story"}}, parts: 1,
			check: func(t *testing.T, p snapchattest.Post) {
				if p.Placement != "saved_story" || p.Title != "Behind the scenes" {
					t.Fatal(p)
				}
			}},
		{name: "spotlight in three chunks", req: network.PublishRequest{Language: "fr", Parts: []network.Part{{Text: "Le tournage #coulisses", Media: []network.Media{{MIME: "video/mp4", Data: big}}}}, Options: map[string]string{"placement": "spotlight"}}, parts: 3,
			check: func(t *testing.T, p snapchattest.Post) {
				if p.Placement != "spotlight" || p.Description != "Le tournage #coulisses" || p.Locale != "fr" {
					t.Fatal(p)
				}
			}},
		{name: "two media", req: network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}, {MIME: "image/jpeg", Data: jpeg}}}}}, class: network.InvalidContent, errHas: "exactly one"},
		{name: "no media", req: network.PublishRequest{Parts: []network.Part{{Text: "hello"}}}, class: network.InvalidContent, errHas: "exactly one"},
		{name: "gif refused", req: network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "image/gif", Data: []byte("GIF89a")}}}}}, class: network.InvalidContent, errHas: "JPEG or PNG"},
		{name: "spotlight image refused", req: network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}}}}, Options: map[string]string{"placement": "spotlight"}}, class: network.InvalidContent, errHas: "videos only"},
		{name: "saved story title too long", req: network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}}}}, Options: map[string]string{"placement": "saved_story", "title": strings.Repeat("t", 46)}}, class: network.InvalidContent, errHas: "45"},
		{name: "bad placement", req: network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}}}}, Options: map[string]string{"placement": "feed"}}, class: network.InvalidContent, errHas: "placement"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := snapchattest.New(t, snapchattest.Options{ProcessingPolls: 2})
			c := open(t, srv)
			res, err := c.Publish(context.Background(), tc.req)
			if err != nil && network.ClassOf(err) != tc.class || err == nil && tc.class != "" {
				t.Fatalf("error %v, want %q", err, tc.class)
			}
			if tc.class != "" {
				if !strings.Contains(err.Error(), tc.errHas) || len(srv.Posts()) != 0 {
					t.Fatalf("error %q does not say %q, or a post was made", err, tc.errHas)
				}
				return
			}
			posts := srv.Posts()
			if len(posts) != 1 || res.Parts[0].ID != posts[0].Placement+":"+posts[0].ID {
				t.Fatalf("posts %+v result %+v", posts, res)
			}
			m, _ := srv.Media(posts[0].MediaID)
			// The fake decrypted the upload with the key and IV sent at creation.
			if !bytes.Equal(m.Plain, tc.req.Parts[0].Media[0].Data) || len(m.Parts) != tc.parts || m.Status != "READY" {
				t.Fatalf("media: %d plain bytes, %d parts, %s", len(m.Plain), len(m.Parts), m.Status)
			}
			if n := srv.Count("GET /v1/public_profiles/:id/media/:id"); n != 3 {
				t.Fatalf("status polls = %d, want 3", n)
			}
			tc.check(t, posts[0])
		})
	}
}

func TestEncryptionChecked(t *testing.T) {
	// A part encrypted under another key fails to decrypt on the fake.
	srv := snapchattest.New(t, snapchattest.Options{})
	c := open(t, srv)
	_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "video/mp4", Data: jpeg}}}}})
	if network.ClassOf(err) != network.InvalidContent || !strings.Contains(err.Error(), "not a VIDEO") {
		t.Fatalf("a JPEG sent as a video: %v", err)
	}
}

func TestErrorsAndUnknownOutcome(t *testing.T) {
	for _, tc := range []struct {
		name  string
		route string
		kind  snapchattest.Fault
		class network.Class
		posts int
	}{
		{"not allowlisted", "POST /v1/public_profiles/:id/media", snapchattest.Fault{Kind: snapchattest.Forbidden}, network.Permanent, 0},
		{"rate limited", "POST /v1/public_profiles/:id/stories", snapchattest.Fault{Kind: snapchattest.RateLimited}, network.Retryable, 0},
		{"refused after refresh", "POST /v1/public_profiles/:id/media", snapchattest.Fault{Kind: snapchattest.Unauthorized, Times: 2}, network.AuthReconnect, 0},
		{"upload dropped: retry is safe", "POST /v1/public_profiles/:id/media", snapchattest.Fault{Kind: snapchattest.Drop}, network.Retryable, 0},
		{"story posted, answer lost: a person checks", "POST /v1/public_profiles/:id/stories", snapchattest.Fault{Kind: snapchattest.CommitThenDrop}, network.Unknown, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := snapchattest.New(t, snapchattest.Options{})
			c := open(t, srv)
			tc.kind.Route = tc.route
			srv.Inject(tc.kind)
			_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}}}}})
			var ne *network.Error
			if !errors.As(err, &ne) || ne.Class != tc.class {
				t.Fatalf("error %v, want %q", err, tc.class)
			}
			if ne.Status == 429 && ne.RetryAfter.Before(time.Now().Add(80*time.Second)) {
				t.Fatalf("retry after %v", ne.RetryAfter)
			}
			if ne.Status >= 400 && ne.TraceID == "" {
				t.Fatal("request_id not kept")
			}
			if n := len(srv.Posts()); n != tc.posts {
				t.Fatalf("%d posts, want %d", n, tc.posts)
			}
		})
	}
}

func TestStatsAndDelete(t *testing.T) {
	srv := snapchattest.New(t, snapchattest.Options{})
	c := open(t, srv)
	ctx := context.Background()
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Keep", Media: []network.Media{{MIME: "image/jpeg", Data: jpeg}}}}, Options: map[string]string{"placement": "saved_story"}})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Parts[0].ID
	srv.SetViews(strings.TrimPrefix(id, "saved_story:"), 321)
	m, err := c.PostMetrics(ctx, []string{id})
	if err != nil || m[id].Views != 321 || m[id].Reposts != 2 || m[id].Likes != -1 {
		t.Fatalf("metrics %+v %v", m, err)
	}
	st, err := c.AccountStats(ctx)
	if err != nil || st.Followers != 1234 {
		t.Fatalf("stats %+v %v", st, err)
	}
	if err := c.Delete(ctx, id); err != nil || len(srv.Posts()) != 0 {
		t.Fatalf("delete %v", err)
	}
	if err := c.Delete(ctx, "story:abc"); network.ClassOf(err) != network.Permanent || !strings.Contains(err.Error(), "cannot delete a Story") {
		t.Fatalf("story delete: %v", err)
	}
}
