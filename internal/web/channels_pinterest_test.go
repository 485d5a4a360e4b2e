package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/pinterest"
	"github.com/relais/relais/internal/network/pinterest/pinteresttest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectPinterest signs in with Pinterest on the fake through
// the channel page; the channel keeps the account's boards and sections,
// which the composer offers by name for the variant, in the reader's
// language around them.
func TestChannelsConnectPinterest(t *testing.T) {
	fake := pinteresttest.New(t, pinteresttest.Options{})
	pinterest.Configure(pinterest.App{AppID: fake.AppID(), AppSecret: fake.AppSecret(), APIURL: fake.URL})
	t.Cleanup(func() { pinterest.Configure(pinterest.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "reconnect to see boards made later", "fr": "reconnectez le canal pour voir ceux créés ensuite", "de": "verbinden Sie neu, um später angelegte zu sehen"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-pinterest"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	list := connectByOAuth(t, b, br, w.ID, "pinterest", fake.URL+"/oauth/?")
	require.Len(t, list, 1)
	require.Equal(t, "@"+pinteresttest.Username, list[0].Handle)
	require.Contains(t, list[0].Settings["boards"], "Desserts")
	require.Equal(t, 1, fake.Count("POST /v5/oauth/token"))

	k := "v." + id(list[0].ID) + "."
	br.lang = "de"
	res := br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="`+k+`opt.board"`)
	require.Contains(t, res.Body, "Pinnwand")
	require.Contains(t, res.Body, `<option value="549755885175/5027629787972154693">Recettes › Desserts</option>`)
	require.Contains(t, res.Body, `<option value="549755885176">Voyages</option>`)
	require.Contains(t, res.Body, "Pin-Titel")
}
