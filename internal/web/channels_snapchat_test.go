package web

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/network/snapchat"
	"github.com/relais/relais/internal/network/snapchat/snapchattest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectSnapchat signs in with Snapchat on the fake through
// the channel page: the card says in the reader's language that only
// allowlisted partners can use the API, the Public Profile is saved as the
// channel, and the composer offers Story, Saved Story and Spotlight.
func TestChannelsConnectSnapchat(t *testing.T) {
	fake := snapchattest.New(t, snapchattest.Options{})
	snapchat.Configure(snapchat.App{ClientID: fake.ClientID(), ClientSecret: "fake-secret", APIURL: fake.URL})
	t.Cleanup(func() { snapchat.Configure(snapchat.App{}) })
	_, br, list := oauthConnect(t, "snapchat", "/channels/connect/snapchat/start?workspace=brand", fake.URL+"/login/oauth2/authorize?",
		map[string]string{"en": "partners Snap has allowlisted only", "fr": "ouverte qu&#39;aux partenaires autorisés par Snap", "de": "nur Partnern offen, die Snap freigeschaltet hat"})
	require.Equal(t, "relaisfake", list[0].Handle)
	require.Equal(t, snapchattest.ProfileID, list[0].RemoteID)

	br.lang = "fr"
	res := br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="v.`+strconv.FormatInt(list[0].ID, 10)+`.opt.placement"`)
	require.Contains(t, res.Body, "Story enregistrée")
}
