package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	// The Meta connectors declare their post options.
	_ "github.com/relais/relais/internal/network/meta"
)

// TestComposerPostOptions: the composer shows a network's post options
// (Threads's reply control, Instagram's story) per variant, translated,
// saves the choices with the variant and shows them again on edit.
func TestComposerPostOptions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("meta@example.com")
	w := b.workspace(t, u, "Meta", "meta")
	ctx := context.Background()
	th := store.Channel{WorkspaceID: w.ID, Network: "threads", RemoteID: "t-1", Handle: "@brand", Status: store.ChannelOK}
	require.NoError(t, b.st.CreateChannel(ctx, &th))
	k := "v." + id(th.ID) + "."

	res := br.get("/workspaces/meta/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `name="`+k+`opt.reply_control"`)
	require.Contains(t, res.Body, "Who can reply")
	br.lang = "de"
	res = br.get("/workspaces/meta/posts/new")
	require.Contains(t, res.Body, "Wer antworten darf")
	require.Contains(t, res.Body, "Nur erwähnte Konten")
	br.lang = ""

	res = br.post("/workspaces/meta/posts", form("text", "Hello Threads", "channel", id(th.ID), k+"opt.reply_control", "mentioned_only", k+"opt.topic_tag", " ", "action", "draft"))
	pid := postIDOf(t, res)
	res = br.get("/workspaces/meta/posts/" + id(pid) + "/edit")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Regexp(t, `<option value="mentioned_only" selected>`, res.Body)
}
