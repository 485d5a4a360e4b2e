package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/youtube"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectYouTube signs in with Google on the fake through the
// channel page: the form explains videos, quota and Shorts in the reader's
// language, the consent page sends the browser back with a code, the
// channel is saved with the YouTube channel behind the token, and the
// composer offers the YouTube options in the reader's language.
func TestChannelsConnectYouTube(t *testing.T) {
	fake := youtubetest.New(t, youtubetest.Options{})
	youtube.Configure(youtube.App{ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(), APIURL: fake.URL})
	t.Cleanup(func() { youtube.Configure(youtube.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "10,000 quota units a day", "fr": "10 000 unités de quota par jour", "de": "10.000 Kontingenteinheiten"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-youtube"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	res := br.get("/channels/connect/youtube/start?workspace=brand")
	consent := oauthTarget(t, res)
	require.True(t, strings.HasPrefix(consent, fake.URL+"/o/oauth2/v2/auth?"), consent)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/youtube", cb.Path)
	res = br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "@relaisfake", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /token"))

	// The composer shows the YouTube options, translated.
	br.lang = "de"
	res = br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, want := range []string{"Sichtbarkeit", "Nicht gelistet", "Speziell für Kinder", "Wissenschaft &amp; Technik", "Zur Playlist hinzufügen"} {
		require.Contains(t, res.Body, want)
	}
}
