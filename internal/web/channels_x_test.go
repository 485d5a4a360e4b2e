package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/x"
	"github.com/relais/relais/internal/network/x/xtest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectX signs in with X on the fake through the channel page:
// the form names the access tiers in the reader's language, the consent page
// sends the browser back with a code, the channel is saved with the account
// behind the token, and its card names the tier reading needs.
func TestChannelsConnectX(t *testing.T) {
	fake := xtest.New(t, xtest.Options{})
	x.Configure(x.App{ClientID: fake.ClientID(), APIURL: fake.URL})
	t.Cleanup(func() { x.Configure(x.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "needs the Basic tier", "fr": "demande le niveau Basic", "de": "braucht die Basic-Stufe"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-x"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	res := br.get("/channels/connect/x/start?workspace=brand")
	consent := oauthTarget(t, res)
	require.True(t, strings.HasPrefix(consent, fake.URL+"/i/oauth2/authorize?"), consent)
	// The consent page sends the browser back with a code.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/x", cb.Path)
	res = br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "@relaisfake", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /2/oauth2/token"))

	// The connected channel's card says which tier reading needs, in the reader's language.
	br.lang = "de"
	res = br.get("/workspaces/brand/channels")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "@relaisfake")
	require.Equal(t, 2, strings.Count(res.Body, "braucht die Basic-Stufe oder höher"), "on the channel card and the connect card")
}
