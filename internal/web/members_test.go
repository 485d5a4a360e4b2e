package web

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

var inviteLink = regexp.MustCompile(`id="invite-link" readonly value="([^"]+)"`)

func TestMembersInvitationsAndRoles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.browser(t)
	ou := owner.signIn("owner@example.com")
	ws := b.workspace(t, ou, "Brand", "brand")
	ctx := context.Background()

	res := owner.post("/workspaces/brand/invitations", form("email", "nope", "role", "editor"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "is not a valid address")
	require.Contains(t, res.Body, `value="nope"`)
	res = owner.post("/workspaces/brand/invitations", form("email", "", "role", "emperor"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Role must be one of")
	invs, err := b.st.Invitations(ctx, ws.ID)
	require.NoError(t, err)
	require.Empty(t, invs)

	// A link for a given address: shown once, not on the next visit.
	res = owner.post("/workspaces/brand/invitations", form("email", "new@example.com", "role", "editor"))
	require.Equal(t, http.StatusOK, res.StatusCode)
	m := inviteLink.FindStringSubmatch(res.Body)
	require.NotNil(t, m)
	link := m[1]
	require.True(t, strings.HasPrefix(link, b.srv.URL+"/invite/ri_"), link)
	res = owner.get("/workspaces/brand/members")
	require.NotContains(t, res.Body, link)
	require.Contains(t, res.Body, "new@example.com")
	path := strings.TrimPrefix(link, b.srv.URL)

	// A new person joins in one step; the wrong address or a short password changes nothing.
	guest := b.browser(t)
	res = guest.get(path)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Brand")
	require.Contains(t, res.Body, `value="new@example.com"`)
	res = guest.post(path+"/join", form("email", "other@example.com", "name", "Nia", "password", "long enough password"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "This invitation is for new@example.com")
	res = guest.post(path+"/join", form("email", "new@example.com", "name", "Nia", "password", "short"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Password needs at least")
	require.Contains(t, res.Body, `value="Nia"`)
	_, err = b.st.UserByEmail(ctx, "new@example.com")
	require.ErrorIs(t, err, store.ErrNotFound)
	res = guest.post(path+"/join", form("email", "new@example.com", "name", "Nia", "password", "long enough password"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/brand/", res.Header.Get("Location"))
	nia, err := b.st.UserByEmail(ctx, "new@example.com")
	require.NoError(t, err)
	role, err := b.st.Membership(ctx, ws.ID, nia.ID)
	require.NoError(t, err)
	require.Equal(t, store.RoleEditor, role)
	res = guest.get(path)
	require.Equal(t, http.StatusNotFound, res.StatusCode, "a used link is gone")

	// An editor cannot manage members: no controls, and the actions are 404.
	res = guest.get("/workspaces/brand/members")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, res.Body, "/invitations")
	ouID := strconv.FormatInt(ou.ID, 10)
	res = guest.post("/workspaces/brand/members/"+ouID+"/remove", nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode)

	// An existing user accepts a link while signed in.
	res = owner.post("/workspaces/brand/invitations", form("email", "", "role", "viewer"))
	path = strings.TrimPrefix(inviteLink.FindStringSubmatch(res.Body)[1], b.srv.URL)
	viewer := b.browser(t)
	vu := viewer.signIn("viewer@example.com")
	res = viewer.get(path)
	require.Contains(t, res.Body, path+"/accept")
	res = viewer.post(path+"/accept", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	role, err = b.st.Membership(ctx, ws.ID, vu.ID)
	require.NoError(t, err)
	require.Equal(t, store.RoleViewer, role)

	// Revoke a pending invitation.
	owner.post("/workspaces/brand/invitations", form("email", "later@example.com", "role", "editor"))
	invs, err = b.st.Invitations(ctx, ws.ID)
	require.NoError(t, err)
	var pending store.Invitation
	for _, inv := range invs {
		if inv.Email == "later@example.com" {
			pending = inv
		}
	}
	res = owner.post("/workspaces/brand/invitations/"+strconv.FormatInt(pending.ID, 10)+"/revoke", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = owner.get("/workspaces/brand/members")
	require.NotContains(t, res.Body, "later@example.com")

	// Roles: the last owner stays; others change and leave.
	res = owner.post("/workspaces/brand/members/"+ouID+"/role", form("role", "viewer"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "at least one owner")
	res = owner.post("/workspaces/brand/members/"+strconv.FormatInt(nia.ID, 10)+"/role", form("role", "admin"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	role, err = b.st.Membership(ctx, ws.ID, nia.ID)
	require.NoError(t, err)
	require.Equal(t, store.RoleAdmin, role)
	res = owner.post("/workspaces/brand/members/"+strconv.FormatInt(vu.ID, 10)+"/remove", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	_, err = b.st.Membership(ctx, ws.ID, vu.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	res = viewer.get("/workspaces/brand/members")
	require.Equal(t, http.StatusNotFound, res.StatusCode)

	// A user of another workspace is not found here.
	res = owner.post("/workspaces/brand/members/999999/role", form("role", "viewer"))
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res = b.browser(t).get("/invite/ri_nonsense")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}
