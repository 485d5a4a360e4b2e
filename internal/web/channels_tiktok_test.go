package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/tiktok"
	"github.com/relais/relais/internal/network/tiktok/tiktoktest"
	"github.com/stretchr/testify/require"
)

// TestChannelsConnectTikTok signs in with TikTok on the fake through the
// channel page, then opens the composer: the channel's post options follow
// the creator info read at connect (no default privacy level, only the
// creator's privacy levels, comments fixed off when the creator turned them
// off), with the consent line, in the reader's language.
func TestChannelsConnectTikTok(t *testing.T) {
	fake := tiktoktest.New(t, tiktoktest.Options{CommentDisabled: true, PrivacyLevels: []string{"FOLLOWER_OF_CREATOR", "SELF_ONLY"}})
	tiktok.Configure(tiktok.App{ClientKey: fake.ClientKey(), ClientSecret: fake.ClientSecret(), APIURL: fake.URL})
	t.Cleanup(func() { tiktok.Configure(tiktok.App{}) })
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")

	for lang, want := range map[string]string{"en": "posts can only be private", "fr": "ne peuvent être que privées", "de": "nur privat sein"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-tiktok"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""

	list := connectByOAuth(t, b, br, w.ID, "tiktok", fake.URL+"/v2/auth/authorize/?")
	require.Len(t, list, 1)
	require.Equal(t, "@"+tiktoktest.Username, list[0].Handle)
	require.Equal(t, "FOLLOWER_OF_CREATOR,SELF_ONLY", list[0].Settings["privacy_level_options"])
	require.Equal(t, 1, fake.Count("POST /v2/oauth/token/"))

	k := "v." + id(list[0].ID) + "."
	br.lang = "fr"
	res := br.get("/workspaces/brand/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="`+k+`opt.privacy_level"`)
	require.Contains(t, res.Body, `<option value="" selected>Choisissez…</option>`, "no privacy level is chosen for the user")
	require.Contains(t, res.Body, "Moi uniquement")
	require.NotContains(t, res.Body, `value="PUBLIC_TO_EVERYONE"`, "only the creator's privacy levels")
	require.Contains(t, res.Body, "confirmation d’utilisation de la musique")
	require.Contains(t, res.Body, "Désactivé dans les réglages TikTok du créateur")
	sel := res.Body[strings.Index(res.Body, `name="`+k+`opt.allow_comment"`):]
	sel = sel[:strings.Index(sel, "</select>")]
	require.NotContains(t, sel, `value="on"`, "comments stay off: the creator turned them off")

}
