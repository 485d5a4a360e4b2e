package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/soundcloud"
	"github.com/relais/relais/internal/network/soundcloud/soundcloudtest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectSoundCloud signs in with SoundCloud on the fake (PKCE)
// through the channel page: the connect card says what a track needs in
// the reader's language, the consent page sends the browser back with a
// code, the channel is saved, and the composer offers the track options.
func TestChannelsConnectSoundCloud(t *testing.T) {
	fake := soundcloudtest.New(t, soundcloudtest.Options{})
	soundcloud.Configure(soundcloud.App{ClientID: fake.ClientID(), ClientSecret: "fake-secret", APIURL: fake.URL})
	t.Cleanup(func() { soundcloud.Configure(soundcloud.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Label", "label")

	for lang, want := range map[string]string{"en": "attach one audio file", "fr": "joignez un fichier audio", "de": "Hängen Sie eine Audiodatei an"} {
		br.lang = lang
		res := br.get("/workspaces/label/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-soundcloud"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	res := br.get("/channels/connect/soundcloud/start?workspace=label")
	consent := oauthTarget(t, res)
	require.True(t, strings.HasPrefix(consent, fake.URL+"/authorize?"), consent)
	require.Contains(t, consent, "code_challenge_method=S256")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/soundcloud", cb.Path)
	res = br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "relaisfake", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /oauth/token"))

	br.lang = "de"
	res = br.get("/workspaces/label/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="v.`+strconv.FormatInt(list[0].ID, 10)+`.opt.license"`)
	require.Contains(t, res.Body, "Alle Rechte vorbehalten")
	require.Contains(t, res.Body, "audio/mpeg", "the upload accepts audio")
}
