package web

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestAltTextChangeSendsApprovedPostBackToReview: the alt text is part of
// what the approver approved, so changing it on a library item sends the
// approved and scheduled posts that show it back to review, and the post's
// history says why.
func TestAltTextChangeSendsApprovedPostBackToReview(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	s := newStudio(t, b, "acme")
	_, err := b.auth.UpdateWorkspace(ctx, principalOf(t, b, s.user, s.ws), auth.WorkspaceSettings{Name: s.ws.Name, Slug: s.ws.Slug, Timezone: s.ws.Timezone, ApprovalRequired: true})
	require.NoError(t, err)
	editor := b.browser(t)
	eu := editor.signIn("editor@example.com")
	require.NoError(t, b.st.AddMember(ctx, s.ws.ID, eu.ID, store.RoleEditor))
	m, err := b.media.Upload(ctx, s.ws.ID, eu.ID, "shop.png", bytes.NewReader(pngBytes(t)), 0)
	require.NoError(t, err)
	_, err = b.media.SetAlt(ctx, s.ws.ID, m.ID, "Our shop front")
	require.NoError(t, err)

	mk := func(text string, schedule bool) int64 {
		pid := postIDOf(t, editor.post("/workspaces/acme/posts", form("text", text, "channel", s.mastodonID, "media", id(m.ID), "at", tomorrow(9), "action", "submit")))
		approve := form()
		if schedule {
			approve = form("schedule", "1")
		}
		res := s.owner.post("/workspaces/acme/posts/"+id(pid)+"/approve", approve)
		require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
		return pid
	}
	approved, scheduled := mk("Approved with the photo", false), mk("Scheduled with the photo", true)
	other := mk("Approved without it", false)
	res := editor.post("/workspaces/acme/posts/"+id(other), form("text", "Approved without it", "channel", s.mastodonID, "at", tomorrow(9), "action", "draft"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = s.owner.post("/workspaces/acme/posts/"+id(other)+"/approve", form())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)

	res = editor.post("/workspaces/acme/media/"+id(m.ID)+"/alt", form("alt_text", "Our new shop front at night"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	for _, c := range []struct {
		id    int64
		state store.PostState
	}{{approved, store.PostInReview}, {scheduled, store.PostInReview}, {other, store.PostApproved}} {
		post, err := b.st.Post(ctx, s.ws.ID, c.id)
		require.NoError(t, err)
		require.Equal(t, c.state, post.State, "post %d", c.id)
	}
	page := editor.get("/workspaces/acme/posts/" + id(scheduled))
	require.Contains(t, page.Body, "Back to review")
	require.Contains(t, page.Body, "changed after approval: alt text of media "+id(m.ID))
}
