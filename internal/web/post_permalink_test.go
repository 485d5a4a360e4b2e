package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestPostPermalink: the link in notifications, e-mails, the iCal feed and
// webhooks (/posts/{id}) lands on the post's page in its workspace for a
// member, asks the signed-out to sign in and come back, and is a 404 for a
// member of another workspace.
func TestPostPermalink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	acme := newStudio(t, b, "acme")
	other := newStudio(t, b, "other")
	editor := b.browser(t)
	eu := editor.signIn("editor@example.com")
	require.NoError(t, b.st.AddMember(ctx, acme.ws.ID, eu.ID, store.RoleEditor))

	// The owner of acme is told when the editor submits a post; the
	// notification carries the permalink.
	_, err := b.auth.UpdateWorkspace(ctx, principalOf(t, b, acme.user, acme.ws), auth.WorkspaceSettings{Name: acme.ws.Name, Slug: acme.ws.Slug, Timezone: acme.ws.Timezone, ApprovalRequired: true})
	require.NoError(t, err)
	res := editor.post("/workspaces/acme/posts", form("text", "Launch day", "channel", acme.webID, "action", "submit"))
	pid := postIDOf(t, res)
	list, err := b.st.Notifications(ctx, acme.ws.ID, acme.user.ID, 10)
	require.NoError(t, err)
	require.NotEmpty(t, list)
	link := list[0].Link
	require.Equal(t, "/posts/"+id(pid), link)
	require.Contains(t, acme.owner.get("/workspaces/acme/notifications").Body, `href="`+link+`"`)

	cases := []struct {
		name     string
		br       *browser
		status   int
		location string
	}{
		{"owner", acme.owner, http.StatusSeeOther, "/workspaces/acme/posts/" + id(pid)},
		{"editor", editor, http.StatusSeeOther, "/workspaces/acme/posts/" + id(pid)},
		{"member of another workspace", other.owner, http.StatusNotFound, ""},
		{"signed out", b.browser(t), http.StatusSeeOther, "/login?next=" + url.QueryEscape(link)},
	}
	for _, c := range cases {
		res := c.br.get(link)
		require.Equal(t, c.status, res.StatusCode, c.name)
		require.Equal(t, c.location, res.Header.Get("Location"), c.name)
		require.NotContains(t, res.Body, "Launch day", c.name)
	}
	require.Equal(t, http.StatusNotFound, acme.owner.get("/posts/abc").StatusCode)
	require.Equal(t, http.StatusNotFound, acme.owner.get("/posts/999999").StatusCode)

	// The iCal feed's event URL is the same permalink.
	at := tomorrow(9)
	res = acme.owner.post("/workspaces/acme/posts/"+id(pid)+"/approve", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = acme.owner.post("/workspaces/acme/posts/"+id(pid)+"/reschedule", form("at", at, "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	secret, err := b.compose.RotateFeedSecret(ctx, principalOf(t, b, acme.user, acme.ws))
	require.NoError(t, err)
	feed, err := b.compose.ICal(ctx, secret)
	require.NoError(t, err)
	require.Contains(t, string(feed), "URL:"+b.srv.URL+link)
}

// TestChannelPermalink: the link of a channel notification (/channels/{id})
// leads a member to the channel list of its workspace and is a 404 for others.
func TestChannelPermalink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := newStudio(t, b, "acme")
	other := newStudio(t, b, "other")
	link := "/channels/" + acme.webID
	res := acme.owner.get(link)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/acme/channels", res.Header.Get("Location"))
	res = other.owner.get(link)
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.NotContains(t, res.Body, "acme.example")
	require.Equal(t, http.StatusNotFound, acme.owner.get("/channels/0").StatusCode)
}
