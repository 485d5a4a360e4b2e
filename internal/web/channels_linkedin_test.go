package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/linkedin"
	"github.com/relais/relais/internal/network/linkedin/linkedintest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectLinkedIn signs in with LinkedIn on the fake through the
// channel page, choosing an organization page: the form offers member or
// organization in the reader's language, the consent page sends the
// browser back with a code, and the channel is saved as the page.
func TestChannelsConnectLinkedIn(t *testing.T) {
	fake := linkedintest.New(t, linkedintest.Options{Organizations: []linkedintest.Organization{{ID: 11, Name: "Alpha Bakery", Vanity: "alpha"}, {ID: 12, Name: "Beta Books", Vanity: "beta"}}})
	id, secret := fake.App()
	linkedin.Configure(linkedin.App{ClientID: id, ClientSecret: secret, APIURL: fake.URL})
	t.Cleanup(func() { linkedin.Configure(linkedin.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "An organization page", "fr": "Une page d’organisation", "de": "Eine Organisationsseite"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-linkedin"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	res := signInThroughFake(t, br, "/channels/connect/linkedin/start?workspace=brand&as=organization&organization=beta", fake.URL+"/oauth/v2/authorization?", "/oauth/callback/linkedin")
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "urn:li:organization:12", list[0].RemoteID)
	require.Equal(t, "beta", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /oauth/v2/accessToken"))
}

// signInThroughFake starts a channel's OAuth flow at start, checks the
// consent page is the fake's (consentPrefix), lets the fake send the
// browser back with a code to callbackPath, and returns the callback's answer.
func signInThroughFake(t *testing.T, br *browser, start, consentPrefix, callbackPath string) response {
	t.Helper()
	consent := oauthTarget(t, br.get(start))
	require.True(t, strings.HasPrefix(consent, consentPrefix), consent)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, callbackPath, cb.Path)
	return br.get(cb.RequestURI())
}
