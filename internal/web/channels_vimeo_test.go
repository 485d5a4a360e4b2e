package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/vimeo"
	"github.com/relais/relais/internal/network/vimeo/vimeotest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectVimeo signs in with Vimeo on the fake through the
// channel page: the form says what the plan allows in the reader's
// language, the authorize page sends the browser back with a code, the
// channel is saved, and the composer offers Vimeo's privacy options.
func TestChannelsConnectVimeo(t *testing.T) {
	fake := vimeotest.New(t, vimeotest.Options{})
	vimeo.Configure(vimeo.App{ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(), APIURL: fake.URL})
	t.Cleanup(func() { vimeo.Configure(vimeo.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "a paid plan", "fr": "une offre payante", "de": "ein bezahlter Tarif"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-vimeo"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	res := br.get("/channels/connect/vimeo/start?workspace=brand")
	target := oauthTarget(t, res)
	require.True(t, strings.HasPrefix(target, fake.URL+"/oauth/authorize?"), target)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(target)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/vimeo", cb.Path)
	res = br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "relaisfake", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /oauth/access_token"))

	br.lang = "fr"
	res = br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, want := range []string{"Qui peut regarder", "Toute personne ayant le lien", "Seulement sur les domaines autorisés"} {
		require.Contains(t, res.Body, want)
	}
}
