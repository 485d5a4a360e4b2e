package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	_ "github.com/relais/relais/internal/network/tiktok"
	"github.com/relais/relais/internal/store"
)

// TestComposerTikTokPrivacyRequired: scheduling a TikTok variant without a
// privacy level is refused with the reason in the reader's language; with
// one, the choices are saved with the variant and shown again on edit.
func TestComposerTikTokPrivacyRequired(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("tiktok@example.com")
	w := b.workspace(t, u, "Tk", "tk")
	ctx := context.Background()
	ch := store.Channel{WorkspaceID: w.ID, Network: "tiktok", RemoteID: "open-1", Handle: "@brand", Status: store.ChannelOK,
		Settings: map[string]string{"privacy_level_options": "FOLLOWER_OF_CREATOR,SELF_ONLY", "duet_disabled": "true"}}
	require.NoError(t, b.st.CreateChannel(ctx, &ch))
	k := "v." + id(ch.ID) + "."

	br.lang = "fr"
	res := br.post("/workspaces/tk/posts", form("text", "Bonjour TikTok", "channel", id(ch.ID), "at", "2031-05-04T09:00", "timezone", "UTC", "action", "schedule"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "option « privacy_level » ; cette variante ne la définit pas")

	br.lang = ""
	res = br.post("/workspaces/tk/posts", form("text", "Bonjour TikTok", "channel", id(ch.ID), k+"opt.privacy_level", "SELF_ONLY", k+"opt.allow_comment", "on", "action", "draft"))
	pid := postIDOf(t, res)
	res = br.get("/workspaces/tk/posts/" + id(pid) + "/edit")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Regexp(t, `<option value="SELF_ONLY" selected>Only me</option>`, res.Body)
	require.Regexp(t, `<option value="on" selected>On</option>`, res.Body)
}
