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

// oauthConnect opens the channel page in each language and finds the
// network's connect card with its note (notes: language → words), then
// signs in through start (the OAuth start URL): the consent page (whose
// address begins with consentPrefix) answers at once with a code and the
// callback saves the channel. It returns the workspace's channels.
func oauthConnect(t *testing.T, kind, start, consentPrefix string, notes map[string]string) (*bundle, *browser, []store.Channel) {
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
	consent := oauthTarget(t, br.get(start))
	require.True(t, strings.HasPrefix(consent, consentPrefix), consent)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/"+kind, cb.Path)
	res := br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	return b, br, list
}
