package web

import (
	"net/http"
	"testing"

	"github.com/relais/relais/internal/network/vimeo"
	"github.com/relais/relais/internal/network/vimeo/vimeotest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectVimeo signs in with Vimeo on the fake through the
// channel page: the form says play counts need a paid plan in the reader's
// language, the authorize page sends the browser back with a code, the
// channel is saved, and the composer offers Vimeo's privacy options.
func TestChannelsConnectVimeo(t *testing.T) {
	fake := vimeotest.New(t, vimeotest.Options{})
	vimeo.Configure(vimeo.App{ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(), APIURL: fake.URL})
	t.Cleanup(func() { vimeo.Configure(vimeo.App{}) })
	br, list := videoConnect(t, "vimeo", fake.URL+"/oauth/authorize?",
		map[string]string{"en": "a paid plan", "fr": "une offre payante", "de": "ein bezahlter Tarif"})
	require.Len(t, list, 1)
	require.Equal(t, "relaisfake", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /oauth/access_token"))

	br.lang = "fr"
	res := br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, want := range []string{"Qui peut regarder", "Toute personne ayant le lien", "Seulement sur les domaines autorisés"} {
		require.Contains(t, res.Body, want)
	}
}
