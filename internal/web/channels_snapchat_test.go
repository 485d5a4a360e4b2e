package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/snapchat"
	"github.com/relais/relais/internal/network/snapchat/snapchattest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectSnapchat signs in with Snapchat on the fake through
// the channel page: the card says in the reader's language that only
// allowlisted partners can use the API, the consent page sends the browser
// back with a code, the Public Profile is saved as the channel, and the
// composer offers Story, Saved Story and Spotlight.
func TestChannelsConnectSnapchat(t *testing.T) {
	fake := snapchattest.New(t, snapchattest.Options{})
	snapchat.Configure(snapchat.App{ClientID: fake.ClientID(), ClientSecret: "fake-secret", APIURL: fake.URL})
	t.Cleanup(func() { snapchat.Configure(snapchat.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "partners Snap has allowlisted only", "fr": "ouverte qu&#39;aux partenaires autorisés par Snap", "de": "nur Partnern offen, die Snap freigeschaltet hat"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-snapchat"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	res := br.get("/channels/connect/snapchat/start?workspace=brand")
	consent := oauthTarget(t, res)
	require.True(t, strings.HasPrefix(consent, fake.URL+"/login/oauth2/authorize?"), consent)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/snapchat", cb.Path)
	res = br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "relaisfake", list[0].Handle)
	require.Equal(t, snapchattest.ProfileID, list[0].RemoteID)

	br.lang = "fr"
	res = br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="v.`+strconv.FormatInt(list[0].ID, 10)+`.opt.placement"`)
	require.Contains(t, res.Body, "Story enregistrée")
}
