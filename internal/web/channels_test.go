package web

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

const (
	fakeKind  network.Kind = "webfake"
	fakeOAuth network.Kind = "webfakeoauth"
)

// fakeProvider accepts the token "good" for any handle.
type fakeProvider struct{}

func (fakeProvider) Kind() network.Kind { return fakeKind }
func (fakeProvider) Fields() []network.Field {
	return []network.Field{
		{Name: "handle", Label: "Handle", Required: true, Help: "Your handle"},
		{Name: "token", Label: "Token", Secret: true, Required: true},
	}
}
func (fakeProvider) Connect(_ context.Context, _ network.Env, in map[string]string) (network.Account, network.Stored, error) {
	if in["token"] != "good" {
		return network.Account{}, network.Stored{}, &network.Error{Class: network.AuthReconnect, Network: fakeKind, Status: 401, Message: "token refused"}
	}
	return network.Account{RemoteID: "id-" + in["handle"], Handle: "@" + in["handle"]},
		network.Stored{Settings: map[string]string{"handle": in["handle"]}, Secrets: map[string]string{"token": in["token"]}}, nil
}
func (fakeProvider) Open(_ network.Env, st network.Stored) (network.Connector, error) {
	return fakeConn{token: st.Secrets["token"]}, nil
}

type fakeConn struct{ token string }

func (fakeConn) Kind() network.Kind { return fakeKind }
func (c fakeConn) Identify(context.Context) (network.Account, error) {
	if c.token != "good" {
		return network.Account{}, &network.Error{Class: network.AuthReconnect, Network: fakeKind, Status: 401, Message: "token revoked"}
	}
	return network.Account{RemoteID: "x"}, nil
}
func (fakeConn) Publish(context.Context, network.PublishRequest) (network.PublishResult, error) {
	return network.PublishResult{}, errors.New("web test: not used")
}
func (fakeConn) Delete(context.Context, string) error { return nil }

// fakeOAuthProvider redirects to a pretend consent page and exchanges the code "c0de".
type fakeOAuthProvider struct{ fakeProvider }

func (fakeOAuthProvider) Kind() network.Kind { return fakeOAuth }
func (fakeOAuthProvider) Fields() []network.Field {
	return []network.Field{{Name: "instance", Label: "Instance", Required: true}}
}
func (fakeOAuthProvider) AuthorizeURL(_ context.Context, _ network.Env, in map[string]string, redirectURI, state string) (string, map[string]string, error) {
	if in["instance"] == "" {
		return "", nil, errRequired("instance")
	}
	return "https://" + in["instance"] + "/oauth/authorize?state=" + url.QueryEscape(state) + "&redirect_uri=" + url.QueryEscape(redirectURI),
		map[string]string{"verifier": "pkce-secret", "instance": in["instance"]}, nil
}
func (fakeOAuthProvider) Exchange(_ context.Context, _ network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	if code != "c0de" || keep["verifier"] != "pkce-secret" || !strings.HasSuffix(redirectURI, "/oauth/callback/webfakeoauth") {
		return network.Account{}, network.Stored{}, errors.New("web test: bad exchange")
	}
	return network.Account{RemoteID: "oauth-1", Handle: "@me@" + keep["instance"]},
		network.Stored{Settings: map[string]string{"instance": keep["instance"]}, Secrets: map[string]string{"token": "good"}}, nil
}

// fakeHookProvider generates a signing secret that is shown once, like the
// webhook channel (whose real receiver would need private hosts allowed).
type fakeHookProvider struct{ fakeProvider }

const fakeHook network.Kind = "webfakehook"

func (fakeHookProvider) Kind() network.Kind { return fakeHook }
func (fakeHookProvider) Fields() []network.Field {
	return []network.Field{{Name: "url", Label: "URL", Required: true}, {Name: "secret", Label: "Fake hook secret", Secret: true, ShowOnce: true}}
}
func (fakeHookProvider) Connect(_ context.Context, _ network.Env, in map[string]string) (network.Account, network.Stored, error) {
	return network.Account{RemoteID: "hook-" + in["url"], Handle: in["url"]},
		network.Stored{Secrets: map[string]string{"token": "good", "secret": "whsec_" + strings.Repeat("A+/=", 8)}}, nil
}

func init() {
	network.Register(fakeHookProvider{})
	network.Register(fakeProvider{})
	network.Register(fakeOAuthProvider{})
}

func TestChannelsConnectCheckRemove(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")
	ctx := context.Background()

	res := br.get("/workspaces/brand/channels")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `id="connect-webfake"`)
	require.Contains(t, res.Body, `name="token" type="password"`)
	require.Contains(t, res.Body, "Connect with webfakeoauth")

	// Missing field and refused token: error at the field or form, typed handle kept, nothing saved.
	res = br.post("/workspaces/brand/channels/webfake/connect", form("handle", "", "token", "good"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Handle is required")
	res = br.post("/workspaces/brand/channels/webfake/connect", form("handle", "brandy", "token", "bad"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "token refused")
	require.Contains(t, res.Body, `value="brandy"`)
	require.NotContains(t, res.Body, `value="bad"`, "secrets are never echoed")
	list, err := b.st.Channels(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, list)

	res = br.post("/workspaces/brand/channels/webfake/connect", form("handle", "brandy", "token", "good"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	list, err = b.st.Channels(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	id := strconv.FormatInt(list[0].ID, 10)
	res = br.get("/workspaces/brand/channels")
	require.Contains(t, res.Body, "Channel connected.")
	require.Contains(t, res.Body, "@brandy")
	require.Contains(t, res.Body, "status-ok")

	// A check that fails marks the channel for reconnection and shows why.
	require.NoError(t, b.st.UpdateChannelSecrets(ctx, w.ID, list[0].ID, mustSeal(t, b, w.ID, list[0].ID, "revoked"), list[0].UpdatedAt))
	res = br.post("/workspaces/brand/channels/"+id+"/check", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.get("/workspaces/brand/channels")
	require.Contains(t, res.Body, "Needs reconnect")
	require.Contains(t, res.Body, "token revoked")
	require.Contains(t, res.Body, "?reconnect="+id)
	res = br.get("/workspaces/brand/channels?reconnect=" + id)
	require.Contains(t, res.Body, `id="connect-webfake" open`)
	require.Contains(t, res.Body, `value="brandy"`)

	res = br.post("/workspaces/brand/channels/"+id+"/remove", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	list, err = b.st.Channels(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, list)
	res = br.post("/workspaces/brand/channels/"+id+"/remove", nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

func TestChannelConnectShowsSigningSecretOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	b.workspace(t, u, "Brand", "brand")
	secret := "whsec_" + strings.Repeat("A+/=", 8)

	res := br.post("/workspaces/brand/channels/webfakehook/connect", form("url", "https://hooks.example/in"))
	require.Equal(t, http.StatusOK, res.StatusCode, "answered in place, not redirected, so the secret is not in a URL or a later page")
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	require.Contains(t, res.Body, "Channel connected.")
	require.Contains(t, res.Body, "It is shown only once")
	m := regexp.MustCompile(`id="shown-secret-secret" readonly value="([^"]+)"`).FindStringSubmatch(res.Body)
	require.NotNil(t, m)
	require.Equal(t, secret, html.UnescapeString(m[1]))
	require.Contains(t, res.Body, `data-copy="shown-secret-secret"`)

	res = br.get("/workspaces/brand/channels")
	require.Contains(t, res.Body, "https://hooks.example/in")
	require.NotContains(t, res.Body, "shown-secret", "shown once only")

	// Networks without such a secret keep the redirect.
	res = br.post("/workspaces/brand/channels/webfake/connect", form("handle", "brandy", "token", "good"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)

	br.lang = "de"
	res = br.post("/workspaces/brand/channels/webfakehook/connect", form("url", "https://hooks.example/other"))
	require.Contains(t, res.Body, "Es wird nur einmal angezeigt")
}

func mustSeal(t *testing.T, b *bundle, ws, id int64, token string) []byte {
	t.Helper()
	enc, err := b.chans.Keyring.SealJSON(map[string]string{"token": token}, []byte("channel:"+strconv.FormatInt(ws, 10)+":"+strconv.FormatInt(id, 10)))
	require.NoError(t, err)
	return enc
}

// oauthTarget is where the OAuth start page sends the browser: its Refresh
// header, which the page's link repeats.
func oauthTarget(t *testing.T, res response) string {
	t.Helper()
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	target, ok := strings.CutPrefix(res.Header.Get("Refresh"), "0; url=")
	require.True(t, ok, "Refresh: %q", res.Header.Get("Refresh"))
	// The template may escape more than html.EscapeString does (+ as &#43;).
	require.Contains(t, html.UnescapeString(res.Body), `href="`+target+`"`)
	return target
}

func TestChannelsOAuthRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")
	ctx := context.Background()

	res := br.get("/channels/connect/webfakeoauth/start?workspace=brand&instance=")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Instance is required")

	res = br.get("/channels/connect/webfakeoauth/start?workspace=brand&instance=social.example")
	consent, err := url.Parse(oauthTarget(t, res))
	require.NoError(t, err)
	require.Equal(t, "social.example", consent.Host)
	state := consent.Query().Get("state")
	require.NotEmpty(t, state)
	require.Equal(t, b.srv.URL+"/oauth/callback/webfakeoauth", consent.Query().Get("redirect_uri"))
	var sealed string
	for _, c := range res.Cookies() {
		if c.Name == oauthCookie {
			sealed = c.Value
			require.True(t, c.HttpOnly)
		}
	}
	require.NotEmpty(t, sealed)
	require.NotContains(t, sealed, "pkce-secret")

	// A forged state is refused and the cookie is spent.
	res = br.get("/oauth/callback/webfakeoauth?code=c0de&state=forged")
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	list, err := b.st.Channels(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, list)

	res = br.get("/channels/connect/webfakeoauth/start?workspace=brand&instance=social.example")
	consent, _ = url.Parse(oauthTarget(t, res))
	res = br.get("/oauth/callback/webfakeoauth?code=c0de&state=" + url.QueryEscape(consent.Query().Get("state")))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/brand/channels", res.Header.Get("Location"))
	list, err = b.st.Channels(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "@me@social.example", list[0].Handle)

	// Another site cannot start the flow in the victim's browser.
	req, err := http.NewRequest(http.MethodGet, b.srv.URL+"/channels/connect/webfakeoauth/start?workspace=brand&instance=evil.example", nil)
	require.NoError(t, err)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res = br.do(req)
	require.Equal(t, http.StatusForbidden, res.StatusCode)

	// Someone else's workspace cannot be the target.
	other := b.workspace(t, u, "Other", "other")
	require.NoError(t, b.st.RemoveMember(ctx, other.ID, u.ID))
	res = br.get("/channels/connect/webfakeoauth/start?workspace=other&instance=social.example")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

func TestChannelsOfAnotherWorkspaceAreNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.browser(t)
	ou := owner.signIn("owner@example.com")
	theirs := b.workspace(t, ou, "Theirs", "theirs")
	c := store.Channel{WorkspaceID: theirs.ID, Network: string(fakeKind), RemoteID: "r1", Handle: "@secret"}
	require.NoError(t, b.st.CreateChannel(context.Background(), &c))
	id := strconv.FormatInt(c.ID, 10)

	intruder := b.browser(t)
	iu := intruder.signIn("intruder@example.com")
	b.workspace(t, iu, "Mine", "mine")
	for _, tc := range []struct{ method, path string }{
		{"GET", "/workspaces/theirs/channels"},
		{"GET", "/workspaces/theirs/"},
		{"GET", "/workspaces/mine/channels?reconnect=" + id},
		{"POST", "/workspaces/mine/channels/" + id + "/check"},
		{"POST", "/workspaces/mine/channels/" + id + "/remove"},
		{"POST", "/workspaces/theirs/channels/" + id + "/remove"},
		{"GET", "/workspaces/nope/channels"},
	} {
		var res response
		if tc.method == "GET" {
			res = intruder.get(tc.path)
		} else {
			res = intruder.post(tc.path, nil)
		}
		require.Equal(t, http.StatusNotFound, res.StatusCode, tc.path)
		require.NotContains(t, res.Body, "@secret", tc.path)
	}
	list, err := b.st.Channels(context.Background(), theirs.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
}

// TestChannelsWebsiteCardShowsFeedURLs: a website channel's card shows its
// RSS, Atom and JSON Feed addresses, each with a copy button; other cards show none.
func TestChannelsWebsiteCardShowsFeedURLs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")
	res := br.post("/workspaces/brand/channels/website/connect", form("title", "Brand news", "site_url", "https://brand.example", "description", "", "language", "fr"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = br.post("/workspaces/brand/channels/webfake/connect", form("handle", "brandy", "token", "good"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	var site, other store.Channel
	for _, c := range list {
		if c.Network == "website" {
			site = c
		} else {
			other = c
		}
	}
	base := b.srv.URL + "/feeds/" + site.Settings["key"]
	res = br.get("/workspaces/brand/channels")
	for _, f := range []struct{ suffix, url string }{{"rss", base + "/rss.xml"}, {"atom", base + "/atom.xml"}, {"json", base + "/feed.json"}} {
		id := "feed-" + strconv.FormatInt(site.ID, 10) + "-" + f.suffix
		require.Contains(t, res.Body, `id="`+id+`" type="url" value="`+f.url+`" readonly`, f.suffix)
		require.Contains(t, res.Body, `data-copy="`+id+`"`, f.suffix)
	}
	require.NotContains(t, res.Body, `id="feed-`+strconv.FormatInt(other.ID, 10)+`-rss"`)
	br.lang = "fr"
	res = br.get("/workspaces/brand/channels")
	require.Contains(t, res.Body, "Flux RSS")
}
