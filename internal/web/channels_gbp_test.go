package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/gbp"
	"github.com/relais/relais/internal/network/gbp/gbptest"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectGoogleBusiness signs in with Google on the fake
// through the channel page, naming the location among several: the card
// is translated, an unnamed location among several is asked for again
// with the list, and the chosen one is saved.
func TestChannelsConnectGoogleBusiness(t *testing.T) {
	fake := gbptest.New(t, gbptest.Options{Locations: []gbptest.Location{{ID: "11", Title: "Café du Port"}, {ID: "12", Title: "Café de la Gare"}}})
	id, secret := fake.App()
	gbp.Configure(gbp.App{ClientID: id, ClientSecret: secret, APIURL: fake.URL})
	t.Cleanup(func() { gbp.Configure(gbp.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "Google Business Profile", "fr": "Fiche d’établissement Google", "de": "Google Unternehmensprofil"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-google_business"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	connect := func(location string) response {
		return signInThroughFake(t, br, "/channels/connect/google_business/start?workspace=brand&location="+url.QueryEscape(location),
			fake.URL+"/o/oauth2/v2/auth?", "/oauth/callback/google_business")
	}
	res := connect("")
	require.NotEqual(t, http.StatusSeeOther, res.StatusCode)
	require.Contains(t, res.Body, "Café du Port, Café de la Gare")
	res = connect("Café de la Gare")
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "locations/12", list[0].RemoteID)
	require.Equal(t, "Café de la Gare", list[0].Handle)
}

// TestComposerLinkedInAndGoogleBusiness: the composer shows both networks'
// post options, translated, and checks a variant against Google's 1,500
// characters in its preview.
func TestComposerLinkedInAndGoogleBusiness(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("local@example.com")
	w := b.workspace(t, u, "Local", "local")
	ctx := context.Background()
	li := store.Channel{WorkspaceID: w.ID, Network: "linkedin", RemoteID: "urn:li:organization:1", Handle: "alpha", Status: store.ChannelOK}
	g := store.Channel{WorkspaceID: w.ID, Network: "google_business", RemoteID: "locations/1", Handle: "Café du Port", Status: store.ChannelOK}
	require.NoError(t, b.st.CreateChannel(ctx, &li))
	require.NoError(t, b.st.CreateChannel(ctx, &g))
	kl, kg := "v."+id(li.ID)+".", "v."+id(g.ID)+"."

	res := br.get("/workspaces/local/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="`+kl+`opt.article_title"`)
	require.Contains(t, res.Body, `name="`+kg+`opt.topic_type"`)
	require.Contains(t, res.Body, `name="`+kg+`opt.cta"`)
	br.lang = "fr"
	res = br.get("/workspaces/local/posts/new")
	require.Contains(t, res.Body, "Type de post")
	require.Contains(t, res.Body, "Événement")
	require.Contains(t, res.Body, "Titre de l’article")
	br.lang = "de"
	res = br.get("/workspaces/local/posts/new")
	require.Contains(t, res.Body, "Beitragsart")
	require.Contains(t, res.Body, "Online bestellen")
	br.lang = ""

	res = br.post("/workspaces/local/posts/validate", form("text", strings.Repeat("a", 1501), "channel", id(g.ID), "channel", id(li.ID)))
	require.Contains(t, res.Body, "1501/1500")
	require.Contains(t, res.Body, "1501/3000")

	res = br.post("/workspaces/local/posts", form("text", "Soirée dégustation", "channel", id(g.ID), kg+"opt.topic_type", "EVENT", kg+"opt.event_title", "Dégustation",
		kg+"opt.event_start", "2026-12-24 18:00", kg+"opt.event_end", "2026-12-24 21:00", "action", "draft"))
	pid := postIDOf(t, res)
	res = br.get("/workspaces/local/posts/" + id(pid) + "/edit")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Regexp(t, `<option value="EVENT" selected>`, res.Body)
}
