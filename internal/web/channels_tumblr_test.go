package web

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/network/tumblr"
	"github.com/relais/relais/internal/network/tumblr/tumblrtest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectTumblr signs in with Tumblr on the fake through the
// channel page, naming the second blog of the account: the card says in the
// reader's language that replies cannot be answered, the consent page sends
// the browser back with a code, the channel is saved for that blog, and the
// composer offers Tumblr's post options.
func TestChannelsConnectTumblr(t *testing.T) {
	fake := tumblrtest.New(t, tumblrtest.Options{})
	tumblr.Configure(tumblr.App{ClientID: fake.ClientID(), ClientSecret: "fake-secret", APIURL: fake.URL})
	t.Cleanup(func() { tumblr.Configure(tumblr.App{}) })
	_, br, list := oauthConnect(t, "tumblr", "/channels/connect/tumblr/start?workspace=brand&blog=relaisart", fake.URL+"/oauth2/authorize?",
		map[string]string{"en": "reply on Tumblr itself", "fr": "répondez sur Tumblr", "de": "Antworten Sie direkt auf Tumblr"})
	require.Equal(t, "relaisart", list[0].Handle)
	require.Equal(t, 1, fake.Count("POST /v2/oauth2/token"))

	br.lang = "fr"
	res := br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Enregistrer comme brouillon")
	require.Contains(t, res.Body, "Rebloguer")
	require.Contains(t, res.Body, `name="v.`+strconv.FormatInt(list[0].ID, 10)+`.opt.state"`)
}
