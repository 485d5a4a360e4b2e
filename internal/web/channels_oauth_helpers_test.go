package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// connectByOAuth runs a network's sign-in from the channel page against its
// fake: the start page sends the browser to the consent page (under
// consentPrefix), which sends it back with a code; the channel is saved.
// It returns the workspace's channels after.
func connectByOAuth(t *testing.T, b *bundle, br *browser, workspaceID int64, kind, consentPrefix string) []store.Channel {
	t.Helper()
	res := br.get("/channels/connect/" + kind + "/start?workspace=brand")
	consent := oauthTarget(t, res)
	require.True(t, strings.HasPrefix(consent, consentPrefix), consent)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent)
	require.NoError(t, err)
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/oauth/callback/"+kind, cb.Path)
	res = br.get(cb.RequestURI())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	list, err := b.st.Channels(context.Background(), workspaceID)
	require.NoError(t, err)
	return list
}
