package web

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestComposerCoachConnectedNetworksAndInterfaceLanguage: the coach beside
// the composer speaks the interface's language whatever the draft's, and
// its suggestions name only networks the workspace has connected (Bluesky,
// Mastodon and a website here: never Instagram or TikTok).
func TestComposerCoachConnectedNetworksAndInterfaceLanguage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	draft := "New socks are in. Soft, warm and cheap. #cosy"
	res := s.owner.post("/workspaces/acme/posts/validate", form("text", draft, "channel", s.blueskyID))
	coachPart := res.Body[strings.Index(res.Body, `<section class="coach">`):]
	require.Contains(t, coachPart, "Attach an image or a short video: visual posts are shared more.")
	require.Contains(t, coachPart, "Plan it on your other channels too (Mastodon and Website)")
	for _, name := range []string{"Instagram", "TikTok", "YouTube", "Pinterest"} {
		require.NotContains(t, coachPart, name)
	}

	s.owner.lang = "de"
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", draft, "channel", s.blueskyID))
	coachPart = res.Body[strings.Index(res.Body, `<section class="coach">`):]
	require.Contains(t, coachPart, "Hänge ein Bild oder ein kurzes Video an", "an English draft, a German interface: German advice")
	require.Contains(t, coachPart, "Plane ihn auch auf deinen anderen Kanälen (Mastodon und Website)")
	require.NotContains(t, coachPart, "Attach an image")
}
