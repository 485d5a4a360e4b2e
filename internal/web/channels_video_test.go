package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// videoConnect is the part the YouTube and Vimeo connect tests share: a
// workspace whose channel page names the network's note in every language
// (notes maps a language to a phrase of it), the sign-in started there, the
// provider's consent page (which must start with consentPrefix) sending the
// browser back with a code, and the channel saved. It returns the channels
// and the browser, still signed in.
func videoConnect(t *testing.T, kind, consentPrefix string, notes map[string]string) (*browser, []store.Channel) {
	t.Helper()
	b := setup(t)
	b.chans.Env.HTTP = &http.Client{Timeout: 10 * time.Second}
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")
	for lang, want := range notes {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, `id="connect-`+kind+`"`)
		require.Contains(t, res.Body, want, lang)
	}
	br.lang = ""
	target := oauthTarget(t, br.get("/channels/connect/"+kind+"/start?workspace=brand"))
	require.True(t, strings.HasPrefix(target, consentPrefix), target)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(target)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/"+kind, cb.Path)
	res := br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	return br, list
}
