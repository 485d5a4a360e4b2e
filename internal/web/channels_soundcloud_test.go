package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/relais/relais/internal/network/soundcloud"
	"github.com/relais/relais/internal/network/soundcloud/soundcloudtest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectSoundCloud signs in with SoundCloud on the fake (PKCE)
// through the channel page: the card says what a track needs in the
// reader's language, the channel is saved, and the composer offers the
// track options and audio uploads.
func TestChannelsConnectSoundCloud(t *testing.T) {
	fake := soundcloudtest.New(t, soundcloudtest.Options{})
	soundcloud.Configure(soundcloud.App{ClientID: fake.ClientID(), ClientSecret: "fake-secret", APIURL: fake.URL})
	t.Cleanup(func() { soundcloud.Configure(soundcloud.App{}) })
	_, br, list := oauthConnect(t, "soundcloud", "/channels/connect/soundcloud/start?workspace=brand", fake.URL+"/authorize?",
		map[string]string{"en": "attach one audio file", "fr": "joignez un fichier audio", "de": "Hängen Sie eine Audiodatei an"})
	require.Equal(t, "relaisfake", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /oauth/token"))
	for _, r := range fake.Requests() {
		if r.Route == "/authorize" {
			require.Equal(t, "S256", r.Query.Get("code_challenge_method"))
		}
	}

	br.lang = "de"
	res := br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="v.`+strconv.FormatInt(list[0].ID, 10)+`.opt.license"`)
	require.Contains(t, res.Body, "Alle Rechte vorbehalten")
	require.True(t, strings.Contains(res.Body, "audio/mpeg"), "the upload accepts audio")
}
