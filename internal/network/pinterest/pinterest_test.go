package pinterest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/checkpoint"
	"github.com/relais/relais/internal/network/pinterest/pinteresttest"
	"github.com/stretchr/testify/require"
)

func provider(srv *pinteresttest.Server) Provider {
	return Provider{App: &App{AppID: srv.AppID(), AppSecret: srv.AppSecret(), APIURL: srv.URL}}
}

func open(t *testing.T, srv *pinteresttest.Server, env network.Env) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	if env.HTTP == nil {
		env.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	c, err := provider(srv).Open(env, network.Stored{Settings: map[string]string{"username": pinteresttest.Username},
		Secrets: map[string]string{network.SecretAccess: access, network.SecretRefresh: refresh}})
	require.NoError(t, err)
	pc := c.(*Connector)
	pc.pollEvery, pc.lookupEvery = time.Millisecond, time.Millisecond
	return pc
}

const recettes = "549755885175"

func image(u string) network.Media {
	return network.Media{MIME: "image/jpeg", URL: u, AltText: "Une tarte aux pommes"}
}

func TestConnectByOAuthListsBoards(t *testing.T) {
	srv := pinteresttest.New(t, pinteresttest.Options{})
	p := provider(srv)
	env := network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}
	consent, keep, err := p.AuthorizeURL(context.Background(), env, nil, "https://relais.example/oauth/callback/pinterest", "st")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(consent, srv.URL+"/oauth/?"))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(consent)
	require.NoError(t, err)
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	acct, stored, err := p.Exchange(context.Background(), env, keep, "https://relais.example/oauth/callback/pinterest", back.Query().Get("code"))
	require.NoError(t, err)
	require.Equal(t, "@"+pinteresttest.Username, acct.Handle)
	require.NotEmpty(t, stored.Secrets[network.SecretRefresh])
	var boards []Board
	require.NoError(t, json.Unmarshal([]byte(stored.Settings["boards"]), &boards))
	require.Len(t, boards, 2)
	require.Equal(t, "Recettes", boards[0].Name)
	require.Len(t, boards[0].Sections, 2)

	var board network.Field
	for _, f := range network.PostOptionsForChannel(network.Pinterest, stored.Settings) {
		if f.Name == "board" {
			board = f
		}
	}
	require.Equal(t, network.FieldChoice, board.Type)
	require.Equal(t, []string{"", recettes, recettes + "/5027629787972154693", recettes + "/5027629787972154694", "549755885176"}, board.Options)
	require.Equal(t, []string{"—", "Recettes", "Recettes › Desserts", "Recettes › Plats", "Voyages"}, board.OptionLabels)

	// A refused code is permanent; wrong app credentials too.
	_, _, err = p.Exchange(context.Background(), env, keep, "https://relais.example/oauth/callback/pinterest", "nope")
	require.Equal(t, network.Permanent, network.ClassOf(err))
	tok := srv.Requests()
	require.Equal(t, "Basic", strings.Fields(tok[1].Header.Get("Authorization"))[0], "the token endpoint takes Basic auth")
}

func TestPublishPins(t *testing.T) {
	srv := pinteresttest.New(t, pinteresttest.Options{MediaPolls: 2})
	c := open(t, srv, network.Env{})
	ctx := context.Background()
	pub := func(media []network.Media, opts map[string]string) (network.RemotePost, error) {
		res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "La meilleure tarte", Link: "https://relais.example/tarte", Media: media}}, Options: opts})
		if err != nil {
			return network.RemotePost{}, err
		}
		return res.Parts[0], nil
	}
	// An image by URL into a section.
	rp, err := pub([]network.Media{image("https://media.example/t.jpg")}, map[string]string{"board": recettes + "/5027629787972154693", "title": "Tarte"})
	require.NoError(t, err)
	require.Equal(t, "https://www.pinterest.com/pin/"+rp.ID+"/", rp.URL)
	// An image without a URL goes as base64.
	_, err = pub([]network.Media{{MIME: "image/png", Data: []byte("\x89PNG....")}}, map[string]string{"board": recettes})
	require.NoError(t, err)
	// A carousel.
	_, err = pub([]network.Media{image("https://media.example/1.jpg"), image("https://media.example/2.jpg"), image("https://media.example/3.jpg")}, map[string]string{"board": "549755885176"})
	require.NoError(t, err)
	// A video with an image as its cover.
	_, err = pub([]network.Media{{MIME: "video/mp4", Data: []byte("mp4 bytes"), AltText: "Une vidéo"}, image("https://media.example/cover.jpg")}, map[string]string{"board": recettes})
	require.NoError(t, err)
	pins := srv.Pins()
	require.Len(t, pins, 4)
	require.Equal(t, "image_url", pins[0].SourceType)
	require.Equal(t, "5027629787972154693", pins[0].SectionID)
	require.Equal(t, "Tarte", pins[0].Title)
	require.Equal(t, "La meilleure tarte", pins[0].Description)
	require.Equal(t, "https://relais.example/tarte", pins[0].Link)
	require.Equal(t, "Une tarte aux pommes", pins[0].Alt)
	require.Equal(t, "image_base64", pins[1].SourceType)
	require.Equal(t, 8, pins[1].ImageBytes)
	require.Equal(t, "multiple_image_urls", pins[2].SourceType)
	require.Len(t, pins[2].ImageURLs, 3)
	require.Equal(t, "video_id", pins[3].SourceType)
	require.Equal(t, "https://media.example/cover.jpg", pins[3].CoverURL)
	m, ok := srv.Media(pins[3].MediaID)
	require.True(t, ok)
	require.Equal(t, "succeeded", m.Status)
	require.Equal(t, 9, m.Bytes)
	require.Equal(t, 3, srv.Count("GET /v5/media/:id"), "processing polled until succeeded")

	// Limits and choices are checked before any call.
	for name, tc := range map[string]struct {
		media []network.Media
		opts  map[string]string
		want  string
	}{
		"no board":       {[]network.Media{image("https://m.example/a.jpg")}, map[string]string{}, "board is required"},
		"long title":     {[]network.Media{image("https://m.example/a.jpg")}, map[string]string{"board": recettes, "title": strings.Repeat("t", 101)}, "title is 101 characters"},
		"six images":     {[]network.Media{image("https://m/1"), image("https://m/2"), image("https://m/3"), image("https://m/4"), image("https://m/5"), image("https://m/6")}, map[string]string{"board": recettes}, "2 to 5 images"},
		"two videos":     {[]network.Media{{MIME: "video/mp4", Data: []byte("a")}, {MIME: "video/mp4", Data: []byte("b")}}, map[string]string{"board": recettes}, "one video"},
		"no media":       {nil, map[string]string{"board": recettes}, "needs an image"},
		"bad cover time": {[]network.Media{{MIME: "video/mp4", Data: []byte("a")}}, map[string]string{"board": recettes, "cover_frame_seconds": "-3"}, "cover_frame_seconds"},
	} {
		_, err := pub(tc.media, tc.opts)
		require.ErrorContains(t, err, tc.want, name)
		require.Equal(t, network.InvalidContent, network.ClassOf(err), name)
	}
	// An unknown board is Pinterest's 404.
	_, err = pub([]network.Media{image("https://m.example/a.jpg")}, map[string]string{"board": "42"})
	require.ErrorContains(t, err, "Board not found")
	require.Equal(t, network.Permanent, network.ClassOf(err))

	// A failed video processing is invalid content.
	srv2 := pinteresttest.New(t, pinteresttest.Options{MediaFails: true})
	_, err = open(t, srv2, network.Env{}).Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "v", Media: []network.Media{{MIME: "video/mp4", Data: []byte("x")}}}}, Options: map[string]string{"board": recettes}})
	require.Equal(t, network.InvalidContent, network.ClassOf(err))

	// Delete, twice.
	require.NoError(t, c.Delete(ctx, rp.ID))
	require.NoError(t, c.Delete(ctx, rp.ID), "a pin already gone counts as deleted")
	require.Len(t, srv.Pins(), 3)
}

// TestExactlyOnce: a create whose answer is lost is found on the board, not
// sent again; a retry after a crash between sending and recording looks
// first; a create that did not take effect is retried safely.
func TestExactlyOnce(t *testing.T) {
	srv := pinteresttest.New(t, pinteresttest.Options{})
	cp := &checkpoint.Memory{}
	c := open(t, srv, cp.Env(network.Env{}))
	ctx := context.Background()
	req := network.PublishRequest{IdempotencyKey: "p1", Parts: []network.Part{{Text: "Une fois", Media: []network.Media{image("https://m.example/a.jpg")}}}, Options: map[string]string{"board": recettes}}

	srv.Inject(pinteresttest.Fault{Route: "POST /v5/pins", Kind: pinteresttest.CommitThenDrop})
	res, err := c.Publish(ctx, req)
	require.NoError(t, err)
	require.Equal(t, "true", res.Parts[0].Extra["reconciled"])
	require.Len(t, srv.Pins(), 1)
	require.Equal(t, srv.Pins()[0].ID, res.Parts[0].ID)

	// Published and recorded: a retry answers the recorded pin without any call.
	before := len(srv.Requests())
	again, err := open(t, srv, cp.Env(network.Env{})).Publish(ctx, req)
	require.NoError(t, err)
	require.Equal(t, res.Parts[0].ID, again.Parts[0].ID)
	require.Equal(t, before, len(srv.Requests()))

	// A crash after the create was sent (recorded "create") looks on the board first.
	cp.Put("pinterest:p2", record{since: time.Now().Add(-time.Minute)}.String())
	srv.Inject(pinteresttest.Fault{Route: "POST /v5/pins", Kind: pinteresttest.CommitThenFail})
	req2 := req
	req2.IdempotencyKey, req2.Parts = "p2", []network.Part{{Text: "Deux fois ?", Media: req.Parts[0].Media}}
	_, err = c.Publish(ctx, req2)
	require.NoError(t, err, "the create committed then failed: found on the board")
	res3, err := open(t, srv, cp.Env(network.Env{})).Publish(ctx, req2)
	require.NoError(t, err)
	require.Len(t, srv.Pins(), 2, "each pin exactly once")
	require.Equal(t, srv.Pins()[1].ID, res3.Parts[0].ID)

	// A create dropped before it took effect: not on the board, safe to retry.
	srv.Inject(pinteresttest.Fault{Route: "POST /v5/pins", Kind: pinteresttest.Drop})
	req3 := req
	req3.IdempotencyKey, req3.Parts = "p3", []network.Part{{Text: "Trois", Media: req.Parts[0].Media}}
	_, err = c.Publish(ctx, req3)
	require.Equal(t, network.Retryable, network.ClassOf(err))
	require.ErrorContains(t, err, "safe to retry")
	_, err = c.Publish(ctx, req3)
	require.NoError(t, err)
	require.Len(t, srv.Pins(), 3)
}

func TestAnalyticsErrorsAndTokens(t *testing.T) {
	srv := pinteresttest.New(t, pinteresttest.Options{})
	var saved map[string]string
	c := open(t, srv, network.Env{SaveSecrets: func(_ context.Context, s map[string]string) error { saved = s; return nil }})
	ctx := context.Background()
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "stats", Media: []network.Media{image("https://m.example/a.jpg")}}}, Options: map[string]string{"board": recettes}})
	require.NoError(t, err)
	id := res.Parts[0].ID
	srv.SetAnalytics(id, 900, 40, 25, 7)
	m, err := c.PostMetrics(ctx, []string{id, "999"})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Views: 900, Reposts: 40, Likes: -1, Replies: -1, Quotes: -1}, m[id])
	require.Len(t, m, 1, "a pin gone is left out")
	pa, err := c.PinAnalytics(ctx, id, time.Now().Add(-7*24*time.Hour), time.Now())
	require.NoError(t, err)
	require.Equal(t, map[string]int64{"IMPRESSION": 900, "SAVE": 40, "PIN_CLICK": 25, "OUTBOUND_CLICK": 7, "VIDEO_MRC_VIEW": 0}, pa)
	aa, err := c.AccountAnalytics(ctx, time.Now().Add(-30*24*time.Hour), time.Now())
	require.NoError(t, err)
	require.Equal(t, int64(72), aa["ENGAGEMENT"])
	_, err = c.PinAnalytics(ctx, id, time.Now().Add(-100*24*time.Hour), time.Now())
	require.Equal(t, network.InvalidContent, network.ClassOf(err), "Pinterest looks 90 days back at most")
	st, err := c.AccountStats(ctx)
	require.NoError(t, err)
	require.Equal(t, network.AccountStats{Followers: 321, Following: 12, Posts: 45}, st)

	// 429 without headers: retryable, the engine backs off.
	srv.Inject(pinteresttest.Fault{Route: "GET /v5/user_account", Kind: pinteresttest.RateLimited})
	_, err = c.Identify(ctx)
	require.ErrorIs(t, err, network.ErrRateLimited)
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.Equal(t, "8", ne.Code)
	require.True(t, ne.RetryAfter.IsZero())
	require.NotEmpty(t, ne.TraceID)
	srv.Inject(pinteresttest.Fault{Route: "POST /v5/pins", Kind: pinteresttest.Forbidden})
	_, err = c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{image("https://m.example/a.jpg")}}}, Options: map[string]string{"board": recettes}})
	require.Equal(t, network.Permanent, network.ClassOf(err))

	// An expired token is renewed once with the refresh token (kept by Pinterest) and saved.
	srv.Expire()
	_, err = c.Identify(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, srv.Count("POST /v5/oauth/token"))
	_, refresh := srv.Tokens()
	require.Equal(t, refresh, saved[network.SecretRefresh], "the refresh token is kept")
	require.NotEmpty(t, saved[network.SecretExpiresAt])
	// Without an app, an expired token needs a reconnect.
	srv.Expire()
	bare, err := Provider{App: &App{APIURL: srv.URL}}.Open(network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}, network.Stored{Secrets: map[string]string{network.SecretAccess: saved[network.SecretAccess]}})
	require.NoError(t, err)
	_, err = bare.Identify(ctx)
	require.Equal(t, network.AuthReconnect, network.ClassOf(err))
}
