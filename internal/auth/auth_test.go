package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := auth.HashPassword("correct horse battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$"))
	ok, err := auth.CheckPassword(h, "correct horse battery")
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = auth.CheckPassword(h, "correct horse battery!")
	require.NoError(t, err)
	require.False(t, ok)
	h2, _ := auth.HashPassword("correct horse battery")
	require.NotEqual(t, h, h2, "salted")
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=0,t=1,p=1$AA$AA", "$bcrypt$x$y$z$w"} {
		_, err := auth.CheckPassword(bad, "x")
		require.ErrorIs(t, err, auth.ErrBadHash, bad)
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		role    store.Role
		act     auth.Action
		allowed bool
	}{
		{store.RoleOwner, auth.ActManageMembers, true},
		{store.RoleAdmin, auth.ActManageChannels, true},
		{store.RoleEditor, auth.ActCompose, true},
		{store.RoleEditor, auth.ActApprove, false},
		{store.RoleEditor, auth.ActManageChannels, false},
		{store.RoleApprover, auth.ActApprove, true},
		{store.RoleApprover, auth.ActCompose, false},
		{store.RoleViewer, auth.ActView, true},
		{store.RoleViewer, auth.ActPublish, false},
		{"bogus", auth.ActView, false},
	} {
		require.Equal(t, tc.allowed, auth.Can(tc.role, tc.act), "%s %s", tc.role, tc.act)
	}
}

func TestServiceFlows(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			st := storetest.Open(t, d)
			svc := auth.NewService(st)

			need, err := svc.SetupNeeded(ctx)
			require.NoError(t, err)
			require.True(t, need)
			_, err = svc.Setup(ctx, "owner@example.com", "Owner", "short")
			e, ok := valid.As(err)
			require.True(t, ok)
			require.Equal(t, "password", e.Field)
			owner, err := svc.Setup(ctx, "Owner@Example.com", "Owner", "a long enough password")
			require.NoError(t, err)
			require.True(t, owner.IsAdmin)
			_, err = svc.Setup(ctx, "x@example.com", "", "a long enough password")
			require.ErrorIs(t, err, auth.ErrSetupDone)

			_, _, err = svc.Login(ctx, "owner@example.com", "wrong password!", "1.2.3.4", "ua")
			require.ErrorIs(t, err, auth.ErrInvalidCredentials)
			_, _, err = svc.Login(ctx, "nobody@example.com", "whatever12345", "1.2.3.4", "ua")
			require.ErrorIs(t, err, auth.ErrInvalidCredentials)
			tok, _, err := svc.Login(ctx, "OWNER@example.com", "a long enough password", "1.2.3.4", "ua")
			require.NoError(t, err)
			u, sess, err := svc.Session(ctx, tok)
			require.NoError(t, err)
			require.Equal(t, owner.ID, u.ID)
			require.Zero(t, sess.WorkspaceID)

			_, err = svc.CreateWorkspace(ctx, owner, "  ", "", "")
			e, _ = valid.As(err)
			require.Equal(t, "name", e.Field)
			_, err = svc.CreateWorkspace(ctx, owner, "Maison", "", "Mars/Olympus")
			e, _ = valid.As(err)
			require.Equal(t, "timezone", e.Field)
			w, err := svc.CreateWorkspace(ctx, owner, "Maison Lune", "", "Europe/Paris")
			require.NoError(t, err)
			require.Equal(t, "maison-lune", w.Slug)
			_, err = svc.CreateWorkspace(ctx, owner, "Other", "maison-lune", "")
			e, _ = valid.As(err)
			require.Equal(t, "taken", e.Code)

			require.NoError(t, svc.SwitchWorkspace(ctx, tok, owner, w.ID))
			p, err := svc.Principal(ctx, owner, w.ID)
			require.NoError(t, err)
			require.Equal(t, store.RoleOwner, p.Role)

			// Invitation by link, accepted by a new user.
			link, _, err := svc.Invite(ctx, p, "", store.RoleEditor)
			require.NoError(t, err)
			guest, err := svc.CreateUser(ctx, "guest@example.com", "Guest", "another long password", false)
			require.NoError(t, err)
			got, err := svc.AcceptInvitation(ctx, link, guest)
			require.NoError(t, err)
			require.Equal(t, w.ID, got.ID)
			_, err = svc.AcceptInvitation(ctx, link, guest)
			require.ErrorIs(t, err, store.ErrNotFound)
			gp, err := svc.Principal(ctx, guest, w.ID)
			require.NoError(t, err)
			require.Equal(t, store.RoleEditor, gp.Role)
			_, _, err = svc.Invite(ctx, gp, "", store.RoleViewer)
			require.ErrorIs(t, err, auth.ErrForbidden)

			// The last owner stays.
			err = svc.SetMemberRole(ctx, p, owner.ID, store.RoleAdmin)
			e, _ = valid.As(err)
			require.Equal(t, "last_owner", e.Code)

			// API tokens authenticate in their workspace only.
			apiTok, _, err := svc.CreateToken(ctx, p, "ci")
			require.NoError(t, err)
			tp, err := svc.TokenPrincipal(ctx, apiTok)
			require.NoError(t, err)
			require.Equal(t, w.ID, tp.Workspace.ID)
			_, err = svc.TokenPrincipal(ctx, apiTok+"x")
			require.ErrorIs(t, err, auth.ErrUnauthenticated)

			require.NoError(t, svc.Logout(ctx, tok))
			_, _, err = svc.Session(ctx, tok)
			require.ErrorIs(t, err, auth.ErrUnauthenticated)
		})
	}
}
