package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/network/meta/metatest"
)

// TestChannelsConnectMetaNetworks connects Facebook, Instagram (both logins)
// and Threads through the channels page's sign-in buttons, against the fake
// Graph API standing in for Meta's consent pages and token endpoints.
func TestChannelsConnectMetaNetworks(t *testing.T) {
	// Not parallel: the Meta app is process-wide configuration.
	b := setup(t)
	allow := true
	b.chans.Env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 5 * time.Second})
	fake := metatest.New(t, metatest.Options{})
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	// Without the operator's app, the form says what to configure, in the user's language.
	meta.Configure(meta.App{})
	t.Cleanup(func() { meta.Configure(meta.App{}) })
	res := br.get("/channels/connect/facebook/start?workspace=brand")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "RELAIS_META_APP_ID")
	br.lang = "fr"
	res = br.get("/channels/connect/threads/start?workspace=brand")
	require.Contains(t, res.Body, "L&#39;administrateur n&#39;a pas configuré l&#39;application Threads")
	br.lang = ""

	meta.Configure(meta.App{ID: metatest.AppID, Secret: metatest.AppSecret, InstagramID: metatest.InstagramAppID, InstagramSecret: metatest.InstagramAppSecret,
		ThreadsID: metatest.ThreadsAppID, ThreadsSecret: metatest.ThreadsAppSecret, Endpoints: meta.SameHost(fake.URL)})
	res = br.get("/workspaces/brand/channels")
	for _, k := range []string{"facebook", "instagram", "threads"} {
		require.Contains(t, res.Body, `action="/channels/connect/`+k+`/start"`)
	}
	for _, tc := range []struct{ start, handle string }{
		{"facebook/start?workspace=brand", "Relais Boutique"},
		{"instagram/start?workspace=brand&login=facebook", "@relais.boutique"},
		{"threads/start?workspace=brand", "@relais.boutique"},
	} {
		res := br.get("/channels/connect/" + tc.start)
		consent := oauthTarget(t, res)
		require.True(t, strings.HasPrefix(consent, fake.URL), consent)
		// The fake's consent page answers at once with the code.
		req, err := http.NewRequest(http.MethodGet, consent, nil)
		require.NoError(t, err)
		back := br.do(req)
		require.Equal(t, http.StatusFound, back.StatusCode)
		cb, err := url.Parse(back.Header.Get("Location"))
		require.NoError(t, err)
		require.Equal(t, b.srv.URL, cb.Scheme+"://"+cb.Host)
		res = br.get(cb.RequestURI())
		require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
		require.Equal(t, "/workspaces/brand/channels", res.Header.Get("Location"))
	}
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 3)
	got := map[string]string{}
	for _, c := range list {
		got[c.Network] = c.Handle
	}
	require.Equal(t, map[string]string{"facebook": "Relais Boutique", "instagram": "@relais.boutique", "threads": "@relais.boutique"}, got)
	res = br.get("/workspaces/brand/channels")
	require.Contains(t, res.Body, "Relais Boutique")
}
