package link

import (
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

func TestContrast(t *testing.T) {
	t.Parallel()
	require.InDelta(t, 21, Contrast("#000000", "#ffffff"), 0.01)
	require.InDelta(t, 1, Contrast("#777777", "#777777"), 0.01)
	require.InDelta(t, 4.48, Contrast("#777777", "#ffffff"), 0.01, "the classic grey just below AA")
}

func TestCheckBio(t *testing.T) {
	t.Parallel()
	ok := store.DefaultBioPage(1)
	ok.Items = []store.BioItem{{Label: " Shop ", URL: "https://shop.example/"}}
	got, err := CheckBio(ok)
	require.NoError(t, err)
	require.Equal(t, "Shop", got.Items[0].Label)
	require.Equal(t, "link", got.Items[0].Kind)
	with := func(f func(p *store.BioPage)) store.BioPage {
		p := store.DefaultBioPage(1)
		f(&p)
		return p
	}
	for _, tc := range []struct {
		p           store.BioPage
		field, code string
	}{
		{with(func(p *store.BioPage) { p.Foreground = "#777777" }), "foreground", "contrast"},
		{with(func(p *store.BioPage) { p.Accent = "#ffff00" }), "accent", "contrast"},
		{with(func(p *store.BioPage) { p.Background = "white" }), "background", "format"},
		{with(func(p *store.BioPage) { p.Lang = "es" }), "lang", "unknown"},
		{with(func(p *store.BioPage) { p.RecentPosts = 21 }), "recent_posts", "range"},
		{with(func(p *store.BioPage) { p.AvatarURL = "javascript:x" }), "avatar_url", "format"},
		{with(func(p *store.BioPage) { p.Title = strings.Repeat("t", 101) }), "title", "too_long"},
		{with(func(p *store.BioPage) { p.Items = []store.BioItem{{Label: "x", URL: "data:text/html,x"}} }), "items[0].url", "format"},
		{with(func(p *store.BioPage) { p.Items = []store.BioItem{{Label: "", URL: "https://a.example/"}} }), "items[0].label", "required"},
		{with(func(p *store.BioPage) {
			p.Items = []store.BioItem{{Label: "x", URL: "https://a.example/", Kind: "tiktok"}}
		}), "items[0].kind", "unknown"},
	} {
		_, err := CheckBio(tc.p)
		requireInvalid(t, err, tc.field, tc.code)
	}
}

func TestBioTracksEveryLink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ch := store.Channel{WorkspaceID: b.ws.ID, Network: "bluesky", RemoteID: "did:plc:x", Handle: "acme.example", DisplayName: "Acme", URL: "https://bsky.app/profile/acme.example"}
	require.NoError(t, b.st.CreateChannel(ctx, &ch))
	storetest.PublishPosts(t, b.st, b.ws.ID, []store.Post{b.post}, time.Now())
	p := store.DefaultBioPage(b.ws.ID)
	p.Enabled = true
	p.Items = []store.BioItem{{Label: "Shop", URL: "https://shop.example/", Kind: "shop"}}
	require.NoError(t, b.st.SaveBioPage(ctx, p))

	v, err := b.svc.Bio(ctx, b.ws.ID)
	require.NoError(t, err)
	require.Len(t, v.Links, 1)
	require.Len(t, v.Channels, 1, "the channel with a profile URL")
	require.Len(t, v.Posts, 1)
	require.Equal(t, "Acme", v.Channels[0].Label)
	require.Equal(t, "post 0", v.Posts[0].Label)
	for _, l := range append(append(v.Links, v.Channels...), v.Posts...) {
		require.True(t, strings.HasPrefix(l.URL, "https://relais.example/l/"), l.URL)
	}
	again, err := b.svc.Bio(ctx, b.ws.ID)
	require.NoError(t, err)
	require.Equal(t, v, again, "the same short links on every view")
	links, err := b.st.Links(ctx, b.ws.ID, store.ClickFilter{}, 10)
	require.NoError(t, err)
	require.Len(t, links, 3)
	require.Equal(t, "bio", links[0].UTM.Source)
}
