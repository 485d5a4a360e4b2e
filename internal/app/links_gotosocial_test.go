package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestAutoShortLinksOnGoToSocial publishes a post with a link through the
// running server's engine to the real GoToSocial server with automatic
// shortening on: the status carries the short link, and following it leads
// to the original address with utm_source=mastodon.
func TestAutoShortLinksOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	a, base := serveApp(t)
	ctx := context.Background()
	_, ws, _, ch := zorkWorkspace(t, a, gts, "links")
	require.NoError(t, a.Store.SaveLinkSettings(ctx, store.LinkSettings{WorkspaceID: ws.ID, AutoShorten: true}))

	word := gotosocialtest.Unique("relaislink")
	target := "https://shop.example/" + word
	post, pub := publishNow(t, a, ws.ID, ch.ID, "Autumn collection "+word+": "+target)
	status := gotosocialtest.GetStatus(t, gts, gotosocialtest.Zork, pub.RemoteID)
	short := regexp.MustCompile(regexp.QuoteMeta(base) + `/l/[A-Za-z0-9]{7}`).FindString(status.Content)
	require.NotEmpty(t, short, status.Content)
	require.NotContains(t, status.Content, target)

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(short)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	loc := res.Header.Get("Location")
	require.True(t, strings.HasPrefix(loc, target+"?"), loc)
	require.Contains(t, loc, "utm_source=mastodon")
	require.Contains(t, loc, "utm_content="+itoa(post.ID))
}
