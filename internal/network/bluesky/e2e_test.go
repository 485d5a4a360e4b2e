package bluesky

// End-to-end tests against a real PDS (tools/atproto-pds). They run when
// ATPROTO_PDS_URL is set (and the PLC path when ATPROTO_PLC_URL is too); each
// test creates its own random *.test account, so they run in parallel.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

// e2eAccount is a fresh account on the local PDS.
type e2eAccount struct {
	pds, handle, did, password, appPassword string
}

func e2ePDS(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ATPROTO_PDS_URL")
	if u == "" {
		t.Skip("ATPROTO_PDS_URL is unset: start tools/atproto-pds/run.sh to run the end-to-end tests")
	}
	return strings.TrimRight(u, "/")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// rawXRPC makes an XRPC call outside the connector, to set up and inspect.
func rawXRPC(t *testing.T, pds, method, nsid, token string, query url.Values, body any, out any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	u := pds + "/xrpc/" + nsid
	if query != nil {
		u += "?" + query.Encode()
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, u, rd)
		req.Header.Set("Content-Type", "application/json")
	} else {
		req, err = http.NewRequest(method, u, nil)
	}
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var raw json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", nsid, raw)
	if out != nil {
		require.NoError(t, json.Unmarshal(raw, out))
	}
}

func newE2EAccount(t *testing.T) e2eAccount {
	t.Helper()
	pds := e2ePDS(t)
	handle := "r" + randomHex(6) + ".test"
	password := randomHex(12)
	var acct struct {
		AccessJwt string `json:"accessJwt"`
		DID       string `json:"did"`
	}
	rawXRPC(t, pds, http.MethodPost, "com.atproto.server.createAccount", "", nil,
		map[string]string{"handle": handle, "email": handle + "@example.com", "password": password}, &acct)
	var ap struct {
		Password string `json:"password"`
	}
	rawXRPC(t, pds, http.MethodPost, "com.atproto.server.createAppPassword", acct.AccessJwt, nil, map[string]string{"name": "relais"}, &ap)
	return e2eAccount{pds: pds, handle: handle, did: acct.DID, password: password, appPassword: ap.Password}
}

// e2eEnv is a host environment whose SaveSecrets records what was saved.
type e2eEnv struct {
	network.Env
	mu    sync.Mutex
	saved []map[string]string
}

func newE2EEnv() *e2eEnv {
	yes := true
	e := &e2eEnv{}
	e.Env = network.Env{
		HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes, Timeout: 20 * time.Second}),
		SaveSecrets: func(_ context.Context, s map[string]string) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.saved = append(e.saved, s)
			return nil
		},
	}
	return e
}

func (e *e2eEnv) lastSaved() map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.saved) == 0 {
		return nil
	}
	return e.saved[len(e.saved)-1]
}

// connectE2E connects a with an explicit PDS URL and opens its connector.
func connectE2E(t *testing.T, a e2eAccount, env *e2eEnv) (*Connector, network.Stored) {
	t.Helper()
	p := NewProvider(Options{})
	_, stored, err := p.Connect(context.Background(), env.Env, map[string]string{
		"handle": "@" + strings.ToUpper(a.handle), "app_password": a.appPassword, "pds_url": a.pds + "/",
	})
	require.NoError(t, err)
	conn, err := p.Open(env.Env, stored)
	require.NoError(t, err)
	return conn.(*Connector), stored
}

// storedRecord reads a post record back from the PDS.
func storedRecord(t *testing.T, a e2eAccount, uri string) (postRecord, string) {
	t.Helper()
	repo, coll, rkey, err := parseATURI(uri)
	require.NoError(t, err)
	var out struct {
		CID   string     `json:"cid"`
		Value postRecord `json:"value"`
	}
	rawXRPC(t, a.pds, http.MethodGet, "com.atproto.repo.getRecord", "", url.Values{"repo": {repo}, "collection": {coll}, "rkey": {rkey}}, nil, &out)
	return out.Value, out.CID
}

func countPosts(t *testing.T, a e2eAccount) int {
	t.Helper()
	var out struct {
		Records []json.RawMessage `json:"records"`
	}
	rawXRPC(t, a.pds, http.MethodGet, "com.atproto.repo.listRecords", "", url.Values{"repo": {a.did}, "collection": {collectionPost}, "limit": {"100"}}, nil, &out)
	return len(out.Records)
}

func TestE2EConnectWithPDSURL(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	env := newE2EEnv()
	p := NewProvider(Options{})
	acct, stored, err := p.Connect(context.Background(), env.Env, map[string]string{"handle": a.handle, "app_password": a.appPassword, "pds_url": a.pds})
	require.NoError(t, err)
	require.Equal(t, a.did, acct.RemoteID)
	require.Equal(t, a.handle, acct.Handle)
	require.Equal(t, map[string]string{settingDID: a.did, settingHandle: a.handle, settingPDS: a.pds}, stored.Settings)
	require.NotEmpty(t, stored.Secrets[secretAccess])
	require.NotEmpty(t, stored.Secrets[secretRefresh])
	require.Equal(t, a.appPassword, stored.Secrets[secretAppPassword])

	conn, err := p.Open(env.Env, stored)
	require.NoError(t, err)
	got, err := conn.Identify(context.Background())
	require.NoError(t, err)
	require.Equal(t, a.did, got.RemoteID)

	_, _, err = p.Connect(context.Background(), env.Env, map[string]string{"handle": a.handle, "app_password": "wrong-pass-word-1234", "pds_url": a.pds})
	require.Equal(t, network.AuthReconnect, network.ClassOf(err), "%v", err)
}

func TestE2EConnectThroughPLC(t *testing.T) {
	t.Parallel()
	plc := os.Getenv("ATPROTO_PLC_URL")
	if plc == "" {
		t.Skip("ATPROTO_PLC_URL is unset")
	}
	a := newE2EAccount(t)
	env := newE2EEnv()
	// No pds_url: the handle resolves to a DID (through the PDS as resolver
	// service, as .test has no DNS), the DID document comes from the PLC
	// directory, and its #atproto_pds service names the PDS.
	p := NewProvider(Options{PLCURL: plc, HandleResolverURL: a.pds})
	acct, stored, err := p.Connect(context.Background(), env.Env, map[string]string{"handle": a.handle, "app_password": a.appPassword})
	require.NoError(t, err)
	require.Equal(t, a.did, acct.RemoteID)
	pdsFromDoc, err := url.Parse(stored.Settings[settingPDS])
	require.NoError(t, err)
	require.Equal(t, strings.TrimPrefix(a.pds, "http://127.0.0.1"), strings.TrimPrefix(pdsFromDoc.String(), "http://localhost"),
		"the DID document names the PDS by its public hostname and the same port")
}

func TestE2ERefresh(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	env := newE2EEnv()
	conn, stored := connectE2E(t, a, env)
	ctx := context.Background()

	// A rejected access token is refreshed once, and the new pair saved.
	conn.cl.sess.AccessJwt = "not-a-valid-token"
	_, err := conn.Identify(ctx)
	require.NoError(t, err)
	saved := env.lastSaved()
	require.NotNil(t, saved)
	// Access tokens issued in the same second are identical; refresh tokens carry a random id.
	require.NotEqual(t, stored.Secrets[secretRefresh], saved[secretRefresh])
	require.Equal(t, conn.cl.sess.AccessJwt, saved[secretAccess])
	require.Equal(t, a.appPassword, saved[secretAppPassword])

	// The old refresh token was rotated away; the refresh fails and the app
	// password makes a new session.
	conn.cl.sess.AccessJwt, conn.cl.sess.RefreshJwt = "not-a-valid-token", stored.Secrets[secretRefresh]
	_, err = conn.Identify(ctx)
	require.NoError(t, err)
	require.Len(t, env.saved, 2)

	// A token about to expire is refreshed before use.
	beforeRefresh := conn.cl.sess.RefreshJwt
	exp, ok := jwtExpiry(conn.cl.sess.AccessJwt)
	require.True(t, ok)
	require.Greater(t, time.Until(exp), time.Hour, "the PDS issues access tokens for 2 h")
	conn.cl.now = func() time.Time { return exp.Add(-time.Minute) }
	require.NoError(t, conn.Check(ctx))
	require.Len(t, env.saved, 3)
	require.NotEqual(t, beforeRefresh, conn.cl.sess.RefreshJwt)

	// With the app password revoked too, the channel needs reconnecting.
	conn.cl.now = nil
	conn.cl.sess.AccessJwt, conn.cl.sess.RefreshJwt, conn.cl.appPassword = "x", "y", "wrong-pass-word-1234"
	_, err = conn.Identify(ctx)
	require.Equal(t, network.AuthReconnect, network.ClassOf(err), "%v", err)
}

func TestE2EPublishTextWithFacetsAndLinkCard(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	friend := newE2EAccount(t)
	conn, _ := connectE2E(t, a, newE2EEnv())

	// A local page with OpenGraph tags and a thumbnail, for the link card.
	thumb := pngBytes(t, 40, 20, false)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/thumb.png" {
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(thumb)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><head><meta property="og:title" content="A page"><meta property="og:description" content="About it"><meta property="og:image" content="/thumb.png"></head></html>`))
	}))
	t.Cleanup(page.Close)
	link := page.URL + "/article"

	text := "Ça marche 🎉 @" + friend.handle + " @nobody-" + randomHex(3) + ".test #relais " + link + " fin"
	res, err := conn.Publish(context.Background(), network.PublishRequest{
		IdempotencyKey: randomHex(8), CreatedAt: time.Now(), Language: "fr", Parts: []network.Part{{Text: text}},
	})
	require.NoError(t, err)
	require.Len(t, res.Parts, 1)
	rp := res.Parts[0]
	require.True(t, strings.HasPrefix(rp.ID, "at://"+a.did+"/app.bsky.feed.post/"))
	_, _, rkey, _ := parseATURI(rp.ID)
	require.Equal(t, "https://bsky.app/profile/"+a.handle+"/post/"+rkey, rp.URL)

	rec, cid := storedRecord(t, a, rp.ID)
	require.Equal(t, cid, rp.Extra["cid"])
	require.Equal(t, text, rec.Text)
	require.Equal(t, []string{"fr"}, rec.Langs)
	at := func(s string) ByteSlice {
		i := strings.Index(text, s)
		require.GreaterOrEqual(t, i, 0, s)
		return ByteSlice{ByteStart: i, ByteEnd: i + len(s)}
	}
	require.Equal(t, []Facet{
		{Index: at("@" + friend.handle), Features: []FacetFeature{{Type: featureMention, DID: friend.did}}},
		{Index: at("#relais"), Features: []FacetFeature{{Type: featureTag, Tag: "relais"}}},
		{Index: at(link), Features: []FacetFeature{{Type: featureLink, URI: link}}},
	}, rec.Facets, "the unresolvable mention has no facet; offsets are UTF-8 bytes")

	require.NotNil(t, rec.Embed)
	require.Equal(t, "app.bsky.embed.external", rec.Embed.Type)
	require.Equal(t, link, rec.Embed.External.URI)
	require.Equal(t, "A page", rec.Embed.External.Title)
	require.Equal(t, "About it", rec.Embed.External.Description)
	require.NotNil(t, rec.Embed.External.Thumb)
	require.Equal(t, "image/png", rec.Embed.External.Thumb.MimeType)
	require.Equal(t, int64(len(thumb)), rec.Embed.External.Thumb.Size)
}

// pngBytes draws a w×h PNG; noisy ones do not compress, to make large files.
func pngBytes(t *testing.T, w, h int, noisy bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	noise := make([]byte, w*h*3)
	if noisy {
		_, _ = rand.Read(noise)
	}
	for y := range h {
		for x := range w {
			i := (y*w + x) * 3
			img.Set(x, y, color.NRGBA{R: noise[i] | uint8(x), G: noise[i+1] | uint8(y), B: noise[i+2], A: 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func TestE2EPublishImagesWithAltText(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	conn, _ := connectE2E(t, a, newE2EEnv())
	small := pngBytes(t, 64, 48, false)
	large := pngBytes(t, 1200, 900, true)
	require.Greater(t, len(large), maxImageBytes, "the large image must exceed the blob limit")

	res, err := conn.Publish(context.Background(), network.PublishRequest{
		IdempotencyKey: randomHex(8), CreatedAt: time.Now(),
		Parts: []network.Part{{Text: "two images https://example.invalid/ignored", Media: []network.Media{
			{MIME: "image/png", Data: small, AltText: "a small gradient"},
			{MIME: "image/png", Data: large, AltText: "noise, shrunk to fit"},
		}}},
	})
	require.NoError(t, err)
	rec, _ := storedRecord(t, a, res.Parts[0].ID)
	require.NotNil(t, rec.Embed)
	require.Equal(t, "app.bsky.embed.images", rec.Embed.Type, "images win over a link card")
	require.Len(t, rec.Embed.Images, 2)
	require.Equal(t, "a small gradient", rec.Embed.Images[0].Alt)
	require.Equal(t, "image/png", rec.Embed.Images[0].Image.MimeType)
	require.Equal(t, int64(len(small)), rec.Embed.Images[0].Image.Size)
	require.Equal(t, &aspectRatio{Width: 64, Height: 48}, rec.Embed.Images[0].AspectRatio)
	require.Equal(t, "noise, shrunk to fit", rec.Embed.Images[1].Alt)
	require.Equal(t, "image/jpeg", rec.Embed.Images[1].Image.MimeType)
	require.LessOrEqual(t, rec.Embed.Images[1].Image.Size, int64(maxImageBytes))
}

func TestE2EThreadRetryAndResume(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	conn, _ := connectE2E(t, a, newE2EEnv())
	ctx := context.Background()
	req := network.PublishRequest{
		IdempotencyKey: randomHex(8), CreatedAt: time.Now(),
		Parts: []network.Part{{Text: "1/3 start"}, {Text: "2/3 middle"}, {Text: "3/3 end"}},
	}
	res, err := conn.Publish(ctx, req)
	require.NoError(t, err)
	require.Len(t, res.Parts, 3)
	root := strongRef{URI: res.Parts[0].ID, CID: res.Parts[0].Extra["cid"]}
	first, _ := storedRecord(t, a, res.Parts[0].ID)
	require.Nil(t, first.Reply)
	for i := 1; i < 3; i++ {
		rec, _ := storedRecord(t, a, res.Parts[i].ID)
		require.NotNil(t, rec.Reply, "part %d", i+1)
		require.Equal(t, root, rec.Reply.Root, "part %d", i+1)
		require.Equal(t, strongRef{URI: res.Parts[i-1].ID, CID: res.Parts[i-1].Extra["cid"]}, rec.Reply.Parent, "part %d", i+1)
	}
	require.Equal(t, 3, countPosts(t, a))

	// The same publication again (a retry after a lost answer) writes nothing new.
	again, err := conn.Publish(ctx, req)
	require.NoError(t, err)
	require.Equal(t, res.Parts, again.Parts)
	require.Equal(t, 3, countPosts(t, a))

	// A partly failed attempt resumes after the parts already out.
	req2 := req
	req2.IdempotencyKey, req2.CreatedAt = randomHex(8), time.Now().Add(time.Second)
	one, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: req2.IdempotencyKey, CreatedAt: req2.CreatedAt, Parts: req2.Parts[:1]})
	require.NoError(t, err)
	req2.Done = one.Parts
	rest, err := conn.Publish(ctx, req2)
	require.NoError(t, err)
	require.Len(t, rest.Parts, 3)
	require.Equal(t, one.Parts[0], rest.Parts[0])
	last, _ := storedRecord(t, a, rest.Parts[2].ID)
	require.Equal(t, rest.Parts[0].ID, last.Reply.Root.URI)
	require.Equal(t, rest.Parts[1].ID, last.Reply.Parent.URI)
	require.Equal(t, 6, countPosts(t, a))
}

func TestE2ERejectsTooLongAndDeletes(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	conn, _ := connectE2E(t, a, newE2EEnv())
	ctx := context.Background()

	_, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: randomHex(8), CreatedAt: time.Now(),
		Parts: []network.Part{{Text: strings.Repeat("é", 301)}}})
	require.ErrorIs(t, err, network.ErrInvalidContent)
	require.Contains(t, err.Error(), "300")
	require.Equal(t, 0, countPosts(t, a))

	res, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: randomHex(8), CreatedAt: time.Now(),
		Parts: []network.Part{{Text: "short-lived"}}, FirstComment: "and a first comment"})
	require.NoError(t, err)
	require.NotNil(t, res.FirstComment)
	fc, _ := storedRecord(t, a, res.FirstComment.ID)
	require.Equal(t, res.Parts[0].ID, fc.Reply.Root.URI)
	require.Equal(t, 2, countPosts(t, a))

	// A reply to the first comment keeps the thread's root.
	reply, err := conn.Reply(ctx, res.FirstComment.ID, "a reply")
	require.NoError(t, err)
	rr, _ := storedRecord(t, a, reply.ID)
	require.Equal(t, res.Parts[0].ID, rr.Reply.Root.URI)
	require.Equal(t, strongRef{URI: res.FirstComment.ID, CID: res.FirstComment.Extra["cid"]}, rr.Reply.Parent)
	require.Equal(t, 3, countPosts(t, a))

	for _, id := range []string{res.Parts[0].ID, res.FirstComment.ID, reply.ID} {
		require.NoError(t, conn.Delete(ctx, id))
	}
	require.Equal(t, 0, countPosts(t, a))
	err = conn.Delete(ctx, "at://did:plc:someoneelse/app.bsky.feed.post/3l22222222222")
	require.Equal(t, network.Permanent, network.ClassOf(err))
}

func TestE2EOAuth(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	env := newE2EEnv()
	ctx := context.Background()
	// A development install on a loopback address uses atproto's loopback
	// client, which the PDS accepts without fetching a metadata document.
	env.BaseURL = "http://127.0.0.1:8080"
	redirect := "http://127.0.0.1:8080/channels/oauth/callback"
	p := NewProvider(Options{})
	to, keep, err := p.AuthorizeURL(ctx, env.Env, map[string]string{"handle": a.handle, "pds_url": a.pds}, redirect, "state-1")
	require.NoError(t, err, "discovery, then PAR with PKCE and a DPoP proof (after the server's nonce)")
	u, err := url.Parse(to)
	require.NoError(t, err)
	require.Equal(t, "/oauth/authorize", u.Path)
	require.True(t, strings.HasPrefix(u.Query().Get("request_uri"), "urn:ietf:params:oauth:request_uri:"), to)
	require.Equal(t, a.did, keep[settingDID])

	back := signInAndConsent(t, to, a)
	require.Equal(t, "state-1", back.Query().Get("state"))
	require.Equal(t, keep[settingIssuer], back.Query().Get("iss"))

	acct, stored, err := p.Exchange(ctx, env.Env, keep, redirect, back.Query().Get("code"))
	require.NoError(t, err, "token request with PKCE verifier and DPoP proof")
	require.Equal(t, a.did, acct.RemoteID)
	c, err := p.Open(env.Env, stored)
	require.NoError(t, err)
	conn := c.(*Connector)
	require.NoError(t, conn.Check(ctx), "a DPoP-bound call to the PDS")

	res, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: randomHex(8), CreatedAt: time.Now(),
		Parts: []network.Part{{Text: "posted with OAuth #dpop", Media: []network.Media{{MIME: "image/png", Data: pngBytes(t, 8, 8, false), AltText: "dot"}}}}})
	require.NoError(t, err)
	rec, _ := storedRecord(t, a, res.Parts[0].ID)
	require.Equal(t, "posted with OAuth #dpop", rec.Text)

	// Refresh at the token endpoint, with the same DPoP key; the new pair is saved.
	conn.cl.mu.Lock()
	conn.cl.oauth.expiresAt = time.Now().Add(time.Minute)
	conn.cl.mu.Unlock()
	require.NoError(t, conn.Check(ctx))
	saved := env.lastSaved()
	require.NotNil(t, saved)
	require.NotEqual(t, stored.Secrets[secretRefresh], saved[secretRefresh])
	require.NoError(t, conn.Delete(ctx, res.Parts[0].ID))
}

// signInAndConsent does what a person does in the PDS's authorization page:
// sign in and approve; it returns the redirect back to relais.
func signInAndConsent(t *testing.T, authorizeURL string, a e2eAccount) *url.URL {
	t.Helper()
	u, err := url.Parse(authorizeURL)
	require.NoError(t, err)
	origin := u.Scheme + "://" + u.Host
	cookies := map[string]string{}
	keepCookies := func(resp *http.Response) {
		for _, c := range resp.Cookies() {
			cookies[c.Name] = c.Value
		}
	}
	cookieHeader := func() string {
		var parts []string
		for k, v := range cookies {
			parts = append(parts, k+"="+v)
		}
		return strings.Join(parts, "; ")
	}
	req, err := http.NewRequest(http.MethodGet, authorizeURL, nil)
	require.NoError(t, err)
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	req.Header.Set("Sec-Fetch-Dest", "document")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	keepCookies(resp)

	api := func(endpoint string, body any, out any) {
		t.Helper()
		b, err := json.Marshal(body)
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, origin+"/@atproto/oauth-provider/~api"+endpoint, bytes.NewReader(b))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		req.Header.Set("Referer", authorizeURL)
		req.Header.Set("Sec-Fetch-Mode", "same-origin")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Sec-Fetch-Dest", "empty")
		req.Header.Set("x-csrf-token", cookies["csrf-token"])
		req.Header.Set("Cookie", cookieHeader())
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		keepCookies(resp)
		var raw json.RawMessage
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", endpoint, raw)
		require.NoError(t, json.Unmarshal(raw, out))
	}
	var signedIn struct {
		Account struct {
			Sub string `json:"sub"`
		} `json:"account"`
	}
	api("/sign-in", map[string]any{"locale": "en", "username": a.handle, "password": a.password, "remember": true}, &signedIn)
	require.Equal(t, a.did, signedIn.Account.Sub)
	var consent struct {
		URL string `json:"url"`
	}
	api("/consent", map[string]any{"sub": a.did}, &consent)
	back, err := url.Parse(consent.URL)
	require.NoError(t, err)
	require.NotEmpty(t, back.Query().Get("code"), consent.URL)
	return back
}

// TestE2ECommittedThenDropped puts a proxy before the PDS that lets the first
// createRecord through and then drops the connection without an answer: the
// post exists, the client cannot know. Publish must find it, not write twice.
func TestE2ECommittedThenDropped(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	target, err := url.Parse(a.pds)
	require.NoError(t, err)
	var mu sync.Mutex
	dropped := 0
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out := r.Clone(r.Context())
		out.URL.Scheme, out.URL.Host, out.RequestURI, out.Host = target.Scheme, target.Host, "", target.Host
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		mu.Lock()
		drop := r.URL.Path == "/xrpc/com.atproto.repo.createRecord" && dropped == 0
		if drop {
			dropped++
		}
		mu.Unlock()
		if drop {
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			conn.Close()
			return
		}
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(proxy.Close)

	a.pds = proxy.URL
	conn, _ := connectE2E(t, a, newE2EEnv())
	a.pds = target.String()
	res, err := conn.Publish(context.Background(), network.PublishRequest{IdempotencyKey: randomHex(8), CreatedAt: time.Now(),
		Parts: []network.Part{{Text: "the answer to this one is lost"}}})
	require.NoError(t, err)
	require.Equal(t, 1, dropped)
	require.Equal(t, 1, countPosts(t, a))
	rec, cid := storedRecord(t, a, res.Parts[0].ID)
	require.Equal(t, "the answer to this one is lost", rec.Text)
	require.Equal(t, cid, res.Parts[0].Extra["cid"])
}
