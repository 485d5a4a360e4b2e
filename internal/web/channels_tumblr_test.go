package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/tumblr"
	"github.com/relais/relais/internal/network/tumblr/tumblrtest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectTumblr signs in with Tumblr on the fake through the
// channel page, naming the second blog of the account: the form says in the
// reader's language that replies cannot be answered, the consent page sends
// the browser back with a code, and the channel is saved for that blog.
func TestChannelsConnectTumblr(t *testing.T) {
	fake := tumblrtest.New(t, tumblrtest.Options{})
	tumblr.Configure(tumblr.App{ClientID: fake.ClientID(), ClientSecret: "fake-secret", APIURL: fake.URL})
	t.Cleanup(func() { tumblr.Configure(tumblr.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "reply on Tumblr itself", "fr": "répondez sur Tumblr", "de": "Antworten Sie direkt auf Tumblr"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-tumblr"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	res := br.get("/channels/connect/tumblr/start?workspace=brand&blog=relaisart")
	consent := oauthTarget(t, res)
	require.True(t, strings.HasPrefix(consent, fake.URL+"/oauth2/authorize?"), consent)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/tumblr", cb.Path)
	res = br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "relaisart", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /v2/oauth2/token"))

	// The composer offers Tumblr's post options in the reader's language.
	br.lang = "fr"
	res = br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Enregistrer comme brouillon")
	require.Contains(t, res.Body, "Rebloguer")
	require.Contains(t, res.Body, `name="v.`+strconv.FormatInt(list[0].ID, 10)+`.opt.state"`)
}
