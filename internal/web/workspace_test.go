package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

func TestWorkspacesCreateSwitchAndSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	ctx := context.Background()
	b.workspace(t, u, "Taken", "taken")

	res := br.post("/workspaces", form("name", "New Brand", "slug", "taken", "timezone", "UTC"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, `The slug &#34;taken&#34; is already taken`)
	require.Contains(t, res.Body, `value="New Brand"`)
	list, err := b.st.WorkspacesOf(ctx, u.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)

	res = br.post("/workspaces", form("name", "New Brand", "slug", "Bad Slug!", "timezone", "UTC"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Slug may contain only lowercase letters")

	res = br.post("/workspaces", form("name", "New Brand", "slug", "", "timezone", "America/New_York"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/new-brand/", res.Header.Get("Location"))

	res = br.get("/workspaces")
	require.Contains(t, res.Body, "New Brand")
	require.Contains(t, res.Body, "Taken")

	res = br.post("/workspaces/switch", form("slug", "taken"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.get("/")
	require.Equal(t, "/workspaces/taken/", res.Header.Get("Location"))
	res = br.post("/workspaces/switch", form("slug", "nobody-has-this"))
	require.Equal(t, http.StatusNotFound, res.StatusCode)

	// Settings: bad input keeps the typed values and saves nothing.
	res = br.get("/workspaces/taken/settings")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `<option value="Europe/Paris" selected>`)
	res = br.post("/workspaces/taken/settings", form("name", "", "slug", "taken", "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Name is required")
	res = br.post("/workspaces/taken/settings", form("name", "Renamed", "slug", "new-brand", "timezone", "Europe/Paris", "approval", "everyone"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "already taken")
	require.Contains(t, res.Body, `value="Renamed"`)
	require.Contains(t, res.Body, `<option value="everyone" selected>`)
	ws, err := b.st.WorkspaceBySlug(ctx, "taken")
	require.NoError(t, err)
	require.Equal(t, "Taken", ws.Name)
	require.False(t, ws.ApprovalRequired)

	res = br.post("/workspaces/taken/settings", form("name", "Renamed", "slug", "renamed", "timezone", "Asia/Tokyo", "approval", "on"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/renamed/settings", res.Header.Get("Location"))
	ws, err = b.st.WorkspaceByID(ctx, ws.ID)
	require.NoError(t, err)
	require.Equal(t, store.Workspace{ID: ws.ID, Name: "Renamed", Slug: "renamed", Timezone: "Asia/Tokyo", ApprovalRequired: true, ApprovalFor: store.ApprovalEveryone, MaxPublishAttempts: 5, CreatedAt: ws.CreatedAt}, ws)

	// The retry maximum: a bad value names the field and changes nothing; a good one is saved.
	res = br.post("/workspaces/renamed/settings", form("name", "Renamed", "slug", "renamed", "timezone", "Asia/Tokyo", "max_publish_attempts", "50"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "between 1 and 20; got 50")
	res = br.post("/workspaces/renamed/settings", form("name", "Renamed", "slug", "renamed", "timezone", "Asia/Tokyo", "approval", "on", "max_publish_attempts", "9"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	ws, err = b.st.WorkspaceByID(ctx, ws.ID)
	require.NoError(t, err)
	require.Equal(t, 9, ws.MaxPublishAttempts)

	// The approval policy: who needs approval, and whether authors approve their own posts.
	for _, c := range []struct {
		approval, self string
		status         int
		required       bool
		scope          store.ApprovalScope
	}{
		{"editors", "on", http.StatusSeeOther, true, store.ApprovalEditors},
		{"nobody", "", http.StatusSeeOther, false, store.ApprovalEveryone},
		{"everyone", "", http.StatusSeeOther, true, store.ApprovalEveryone},
		{"some", "", http.StatusUnprocessableEntity, true, store.ApprovalEveryone},
	} {
		res = br.post("/workspaces/renamed/settings", form("name", "Renamed", "slug", "renamed", "timezone", "Asia/Tokyo", "approval", c.approval, "self_approval", c.self))
		require.Equal(t, c.status, res.StatusCode, c.approval)
		ws, err = b.st.WorkspaceByID(ctx, ws.ID)
		require.NoError(t, err)
		require.Equal(t, c.required, ws.ApprovalRequired, c.approval)
		require.Equal(t, c.scope, ws.ApprovalFor, c.approval)
		require.Equal(t, c.self == "on", ws.SelfApproval, c.approval)
		if c.status == http.StatusUnprocessableEntity {
			require.Contains(t, res.Body, "Choose who needs approval")
		}
	}
	res = br.post("/workspaces/renamed/settings", form("name", "Renamed", "slug", "renamed", "timezone", "Asia/Tokyo", "approval", "editors", "self_approval", "on"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.get("/workspaces/renamed/settings")
	require.Contains(t, res.Body, `<option value="editors" selected>`)
	require.Contains(t, res.Body, `name="self_approval" checked`)

	// An editor sees no settings: 404, like a workspace that does not exist.
	editor := b.browser(t)
	eu := editor.signIn("editor@example.com")
	require.NoError(t, b.st.AddMember(ctx, ws.ID, eu.ID, store.RoleEditor))
	res = editor.get("/workspaces/renamed/settings")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res = editor.post("/workspaces/renamed/settings", form("name", "Hijack", "slug", "renamed", "timezone", "UTC"))
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res = editor.get("/workspaces/renamed/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, res.Body, `/workspaces/renamed/settings"`)
}

func TestTimeZonesAllLoad(t *testing.T) {
	t.Parallel()
	require.Greater(t, len(timeZones), 250)
	for _, z := range timeZones {
		_, err := time.LoadLocation(z)
		require.NoError(t, err, z)
	}
}
