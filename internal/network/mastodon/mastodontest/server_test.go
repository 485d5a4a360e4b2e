package mastodontest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomastodon "github.com/mattn/go-mastodon"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/mastodontest"
)

var allowPrivate = true

func httpClient() *http.Client {
	return network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate, Timeout: 5 * time.Second})
}

// goMastodon returns a go-mastodon client for the fake, the cross-check that
// every fake response decodes in a real-world client library.
func goMastodon(s *mastodontest.Server, token string) *gomastodon.Client {
	c := gomastodon.NewClient(&gomastodon.Config{Server: s.URL, AccessToken: token})
	c.Client = *httpClient()
	return c
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))))
	return buf.Bytes()
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)} }

func TestGoMastodonDecodesEveryEndpoint(t *testing.T) {
	t.Parallel()
	for _, flavour := range []mastodontest.Flavour{mastodontest.Mastodon, mastodontest.GoToSocial} {
		t.Run(string(flavour), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := mastodontest.New(t, mastodontest.Options{Flavour: flavour, Followers: 12})
			c := goMastodon(s, s.Token())

			inst, err := c.GetInstance(ctx)
			require.NoError(t, err)
			require.Equal(t, s.Host(), inst.URI)
			require.EqualValues(t, s.MaxCharacters(), (*inst.Configuration.Statuses)["max_characters"])

			me, err := c.GetAccountCurrentUser(ctx)
			require.NoError(t, err)
			require.Equal(t, "alice", me.Username)
			require.EqualValues(t, 12, me.FollowersCount)
			require.NotNil(t, me.Source)

			path := filepath.Join(t.TempDir(), "square.png")
			require.NoError(t, os.WriteFile(path, pngBytes(t, 4, 3), 0o600))
			fromFile, err := c.UploadMedia(ctx, path)
			require.NoError(t, err)
			require.Equal(t, "image", fromFile.Type)
			require.NotEmpty(t, fromFile.URL)

			att, err := c.UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(pngBytes(t, 4, 3)), Description: "a grey square"})
			require.NoError(t, err)
			require.Equal(t, "image", att.Type)
			require.Equal(t, "a grey square", att.Description)
			require.EqualValues(t, 4, att.Meta.Original.Width)
			require.Equal(t, "4x3", att.Meta.Original.Size)

			root, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "hello <world>", MediaIDs: []gomastodon.ID{att.ID}, Visibility: "unlisted", Language: "en", SpoilerText: "cw"})
			require.NoError(t, err)
			require.Equal(t, "<p>hello &lt;world&gt;</p>", root.Content)
			require.Equal(t, "unlisted", root.Visibility)
			require.True(t, root.Sensitive)
			require.Len(t, root.MediaAttachments, 1)
			require.Equal(t, me.ID, root.Account.ID)

			reply, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "second", InReplyToID: root.ID})
			require.NoError(t, err)
			require.Equal(t, string(root.ID), reply.InReplyToID)
			s.AddReply(string(root.ID), "bob@remote.example", "nice one @alice@"+s.Host())

			got, err := c.GetStatus(ctx, root.ID)
			require.NoError(t, err)
			require.EqualValues(t, 2, got.RepliesCount)

			edited, err := c.UpdateStatus(ctx, &gomastodon.Toot{Status: "hello again"}, root.ID)
			require.NoError(t, err)
			require.False(t, edited.EditedAt.IsZero())
			require.Empty(t, edited.MediaAttachments, "an edit without media_ids drops the attachments")

			thread, err := c.GetStatusContext(ctx, root.ID)
			require.NoError(t, err)
			require.Empty(t, thread.Ancestors)
			require.Len(t, thread.Descendants, 2)
			require.Equal(t, "bob@remote.example", thread.Descendants[1].Account.Acct)

			var pg gomastodon.Pagination
			notes, err := c.GetNotifications(ctx, &pg)
			require.NoError(t, err)
			require.Len(t, notes, 1)
			require.Equal(t, "mention", notes[0].Type)
			require.NotNil(t, notes[0].Status)
			require.Equal(t, notes[0].ID, pg.MaxID, "the Link header's next page starts below the oldest notification")

			res, err := c.Search(ctx, "again", false)
			require.NoError(t, err)
			require.Len(t, res.Statuses, 1)
			require.Equal(t, root.ID, res.Statuses[0].ID)

			sched := time.Now().Add(time.Hour)
			future, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "later", ScheduledAt: &sched})
			require.NoError(t, err)
			require.Equal(t, "later", future.ScheduledParams.Text)

			require.NoError(t, c.DeleteStatus(ctx, reply.ID))
			_, err = c.GetStatus(ctx, reply.ID)
			var apiErr *gomastodon.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, http.StatusNotFound, apiErr.StatusCode)
			require.Equal(t, "Record not found", apiErr.Message)

			app, err := gomastodon.RegisterApp(ctx, &gomastodon.AppConfig{Client: *httpClient(), Server: s.URL, ClientName: "x", Scopes: "read write", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob"})
			require.NoError(t, err)
			require.NotEmpty(t, app.ClientID)
			require.NotEmpty(t, app.ClientSecret)
		})
	}
}

// post sends a form to POST /api/v1/statuses and returns the status code and decoded body.
func post(t *testing.T, s *mastodontest.Server, token string, form url.Values, header map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/statuses", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := httpClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	b, _ := io.ReadAll(resp.Body)
	require.NoError(t, json.Unmarshal(b, &body), string(b))
	return resp.StatusCode, body
}

func TestStatusValidation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 500)
	cases := []struct {
		name    string
		flavour mastodontest.Flavour
		form    url.Values
		status  int
		error   string
	}{
		{"500 fits", mastodontest.Mastodon, url.Values{"status": {long}}, 200, ""},
		{"501 is over", mastodontest.Mastodon, url.Values{"status": {long + "b"}}, 422, "Validation failed: Text character limit of 500 exceeded"},
		{"spoiler counts", mastodontest.Mastodon, url.Values{"status": {long}, "spoiler_text": {"x"}}, 422, "Validation failed: Text character limit of 500 exceeded"},
		{"graphemes not bytes", mastodontest.Mastodon, url.Values{"status": {strings.Repeat("👩‍👩‍👧", 500)}}, 200, ""},
		{"URL counts 23", mastodontest.Mastodon, url.Values{"status": {strings.Repeat("a", 476) + " https://example.com/" + strings.Repeat("p", 100)}}, 200, ""},
		{"URL counts 23 over", mastodontest.Mastodon, url.Values{"status": {strings.Repeat("a", 477) + " https://example.com/" + strings.Repeat("p", 100)}}, 422, "Validation failed: Text character limit of 500 exceeded"},
		{"mention domain free", mastodontest.Mastodon, url.Values{"status": {strings.Repeat("a", 494) + "@bob@very.long.example.social"}}, 200, ""},
		{"blank", mastodontest.Mastodon, url.Values{"status": {"  "}}, 422, "Validation failed: Text can't be blank"},
		{"five media", mastodontest.Mastodon, url.Values{"status": {"x"}, "media_ids[]": {"1", "2", "3", "4", "5"}}, 422, "Cannot attach more than 4 files"},
		{"unknown media", mastodontest.Mastodon, url.Values{"status": {"x"}, "media_ids[]": {"42"}}, 422, "Media with IDs 42 not found. Already attached to another post?"},
		{"bad visibility", mastodontest.Mastodon, url.Values{"status": {"x"}, "visibility": {"friends"}}, 422, "Validation failed: Visibility is not included in the list"},
		{"reply to nothing", mastodontest.Mastodon, url.Values{"status": {"x"}, "in_reply_to_id": {"1"}}, 404, "The post you are trying to reply to does not appear to exist."},
		{"scheduled too soon", mastodontest.Mastodon, url.Values{"status": {"x"}, "scheduled_at": {"2026-03-02T10:05:00Z"}}, 422, "Validation failed: Scheduled at The scheduled date must be in the future"},
		{"scheduled in 5 min", mastodontest.Mastodon, url.Values{"status": {"x"}, "scheduled_at": {"2026-03-02T10:06:00Z"}}, 200, ""},
		{"gts 5000 fits", mastodontest.GoToSocial, url.Values{"status": {strings.Repeat("a", 5000)}}, 200, ""},
		{"gts 5001", mastodontest.GoToSocial, url.Values{"status": {strings.Repeat("a", 5000)}, "spoiler_text": {"b"}}, 400, "Bad Request: status too long, 5001 characters provided (including spoiler/content warning) but limit is 5000"},
		{"gts counts code points", mastodontest.GoToSocial, url.Values{"status": {strings.Repeat("👩‍👩‍👧", 1001)}}, 400, "Bad Request: status too long, 5005 characters provided (including spoiler/content warning) but limit is 5000"},
		{"gts URL as written", mastodontest.GoToSocial, url.Values{"status": {strings.Repeat("a", 4980) + " https://example.com/"}}, 400, "Bad Request: status too long, 5001 characters provided (including spoiler/content warning) but limit is 5000"},
		{"gts seven media", mastodontest.GoToSocial, url.Values{"status": {"x"}, "media_ids[]": {"1", "2", "3", "4", "5", "6", "7"}}, 400, "Bad Request: too many media files attached to status, 7 attached but limit is 6"},
		{"gts empty", mastodontest.GoToSocial, url.Values{"status": {""}}, 400, "Bad Request: no status, media, or poll provided"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			s := mastodontest.New(t, mastodontest.Options{Flavour: tc.flavour, Now: clk.Now})
			status, body := post(t, s, s.Token(), tc.form, nil)
			require.Equal(t, tc.status, status, body)
			if tc.error != "" {
				require.Equal(t, tc.error, body["error"])
				require.Empty(t, s.Statuses())
			}
		})
	}
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := mastodontest.New(t, mastodontest.Options{Now: clk.Now})
	_, first := post(t, s, s.Token(), url.Values{"status": {"once"}}, map[string]string{"Idempotency-Key": "k1"})
	_, again := post(t, s, s.Token(), url.Values{"status": {"once"}}, map[string]string{"Idempotency-Key": "k1"})
	require.Equal(t, first["id"], again["id"])
	require.Len(t, s.Statuses(), 1)

	other := s.NewToken("write")
	_, foreign := post(t, s, other, url.Values{"status": {"once"}}, map[string]string{"Idempotency-Key": "k1"})
	require.NotEqual(t, first["id"], foreign["id"], "keys are per token")

	clk.Add(61 * time.Minute)
	_, late := post(t, s, s.Token(), url.Values{"status": {"once"}}, map[string]string{"Idempotency-Key": "k1"})
	require.NotEqual(t, first["id"], late["id"], "keys expire after an hour")
}

func TestAuthAndRateLimit(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := mastodontest.New(t, mastodontest.Options{Now: clk.Now, RateLimit: 2})
	status, body := post(t, s, "nope", url.Values{"status": {"x"}}, nil)
	require.Equal(t, 401, status)
	require.Equal(t, "The access token is invalid", body["error"])

	readOnly := s.NewToken("read")
	status, body = post(t, s, readOnly, url.Values{"status": {"x"}}, nil)
	require.Equal(t, 403, status)
	require.Equal(t, "This action is outside the authorized scopes", body["error"])

	status, _ = post(t, s, s.Token(), url.Values{"status": {"one"}}, nil)
	require.Equal(t, 200, status)
	s.Revoke(s.Token())
	status, body = post(t, s, s.Token(), url.Values{"status": {"two"}}, nil)
	require.Equal(t, 401, status)
	require.Equal(t, "The access token was revoked", body["error"])

	// The third request of the window is over the limit of 2.
	status, body = post(t, s, s.Token(), url.Values{"status": {"three"}}, nil)
	require.Equal(t, 429, status)
	require.Equal(t, "Too many requests", body["error"])
	reqs := s.Requests()
	last := reqs[len(reqs)-1]
	require.Equal(t, 429, last.Status)
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := mastodontest.New(t, mastodontest.Options{Now: clk.Now})
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	resp, err := httpClient().Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	rl := network.ParseRateLimit(resp.Header, clk.Now())
	require.Equal(t, 300, rl.Limit)
	require.Equal(t, 299, rl.Remaining)
	require.Equal(t, time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC), rl.Reset.UTC())
}

func TestMediaProcessingPolls(t *testing.T) {
	t.Parallel()
	s := mastodontest.New(t, mastodontest.Options{MediaPolls: 2})
	c := goMastodon(s, s.Token())
	ctx := context.Background()
	att, err := c.UploadMediaFromBytes(ctx, pngBytes(t, 2, 2))
	require.NoError(t, err)
	require.Empty(t, att.URL, "202: url is null while processing")

	_, err = c.PostStatus(ctx, &gomastodon.Toot{Status: "x", MediaIDs: []gomastodon.ID{att.ID}})
	require.ErrorContains(t, err, "Cannot attach files that have not finished processing")

	// go-mastodon reports the 206 "still processing" answers as errors, then nil once processed.
	var apiErr *gomastodon.APIError
	require.ErrorAs(t, c.GetMediaStatus(ctx, att), &apiErr)
	require.Equal(t, http.StatusPartialContent, apiErr.StatusCode)
	require.ErrorAs(t, c.GetMediaStatus(ctx, att), &apiErr)
	require.NoError(t, c.GetMediaStatus(ctx, att))
	var codes []int
	for _, r := range s.Requests() {
		if r.Route == "GET /api/v1/media/{id}" {
			codes = append(codes, r.Status)
		}
	}
	require.Equal(t, []int{206, 206, 200}, codes)
	_, err = c.PostStatus(ctx, &gomastodon.Toot{Status: "x", MediaIDs: []gomastodon.ID{att.ID}})
	require.NoError(t, err)
	require.Equal(t, 1, s.Count("POST /api/v2/media"))
}

func TestLegacyInstances(t *testing.T) {
	t.Parallel()
	s := mastodontest.New(t, mastodontest.Options{MaxTootChars: 5000})
	resp, err := httpClient().Get(s.URL + "/api/v2/instance")
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, 404, resp.StatusCode)
	inst, err := goMastodon(s, "").GetInstance(context.Background())
	require.NoError(t, err)
	require.Nil(t, inst.Configuration)
}
