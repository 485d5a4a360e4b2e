package web

import (
	"net/http"
	"testing"

	"github.com/relais/relais/internal/network/youtube"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectYouTube signs in with Google on the fake through the
// channel page: the form explains videos and the quota in the reader's
// language, the consent page sends the browser back with a code, the
// channel is saved with the YouTube channel behind the token, and the
// composer offers the YouTube options in the reader's language.
func TestChannelsConnectYouTube(t *testing.T) {
	fake := youtubetest.New(t, youtubetest.Options{})
	youtube.Configure(youtube.App{ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(), APIURL: fake.URL})
	t.Cleanup(func() { youtube.Configure(youtube.App{}) })
	br, list := videoConnect(t, "youtube", fake.URL+"/o/oauth2/v2/auth?",
		map[string]string{"en": "10,000 quota units a day", "fr": "10 000 unités de quota par jour", "de": "10.000 Kontingenteinheiten"})
	require.Len(t, list, 1)
	require.Equal(t, "@relaisfake", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /token"))

	br.lang = "de"
	res := br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, want := range []string{"Sichtbarkeit", "Nicht gelistet", "Speziell für Kinder", "Wissenschaft &amp; Technik", "Zur Playlist hinzufügen"} {
		require.Contains(t, res.Body, want)
	}
}
