package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
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
	u, err := a.Auth.CreateUser(ctx, "gts-links@example.com", "Zork", "correct horse battery", false)
	require.NoError(t, err)
	ws, err := a.Auth.CreateWorkspace(ctx, u, "Zork links", "zork-links", "UTC")
	require.NoError(t, err)
	p, err := a.Auth.Principal(ctx, u, ws.ID)
	require.NoError(t, err)
	ch, err := a.Channels.Connect(ctx, p, network.Mastodon, map[string]string{"instance": gts, "access_token": gotosocialtest.Zork.Token})
	require.NoError(t, err)
	require.NoError(t, a.Store.SaveLinkSettings(ctx, store.LinkSettings{WorkspaceID: ws.ID, AutoShorten: true}))

	word := gotosocialtest.Unique("relaislink")
	target := "https://shop.example/" + word
	post := &store.Post{WorkspaceID: ws.ID, State: store.PostApproved, Text: "Autumn collection " + word + ": " + target}
	require.NoError(t, a.Store.CreatePosts(ctx, []store.NewPost{{Post: post, Variants: []store.Variant{{ChannelID: ch.ID}}}}))
	now := time.Now().UTC()
	_, err = a.Store.SchedulePosts(ctx, ws.ID, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	a.Compose.Wake()

	var pub store.Publication
	require.Eventually(t, func() bool {
		pubs, err := a.Store.Publications(ctx, ws.ID, post.ID)
		if err != nil || len(pubs) != 1 {
			return false
		}
		pub = pubs[0]
		return pub.State == store.PubPublished
	}, 60*time.Second, 100*time.Millisecond, "published on GoToSocial")
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
