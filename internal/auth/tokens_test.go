package auth_test

import (
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

// TestRevocation covers what ends a credential: leaving a workspace ends its
// tokens for good, revoking a token ends the tokens minted with it, and a
// password change ends every session.
func TestRevocation(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			st := storetest.Open(t, d)
			svc, _ := throttleSetup(t, st)
			owner, err := st.UserByEmail(ctx, "owner@example.com")
			require.NoError(t, err)
			w, err := svc.CreateWorkspace(ctx, owner, "Lune", "", "")
			require.NoError(t, err)
			op, err := svc.Principal(ctx, owner, w.ID)
			require.NoError(t, err)
			guest := store.User{Email: "guest@example.com", PasswordHash: auth.CheapHash(rightPassword)}
			require.NoError(t, st.CreateUser(ctx, &guest))
			join := func() {
				link, _, err := svc.Invite(ctx, op, "", store.RoleEditor)
				require.NoError(t, err)
				_, err = svc.AcceptInvitation(ctx, link, guest)
				require.NoError(t, err)
			}

			// A removed member's token stays dead after a rejoin.
			join()
			gp, err := svc.Principal(ctx, guest, w.ID)
			require.NoError(t, err)
			old, _, err := svc.CreateToken(ctx, gp, "laptop")
			require.NoError(t, err)
			require.NoError(t, svc.RemoveMember(ctx, op, guest.ID))
			join()
			_, err = svc.TokenPrincipal(ctx, old)
			require.ErrorIs(t, err, auth.ErrUnauthenticated)

			// A token minted with a token goes with it.
			parent, pt, err := svc.CreateToken(ctx, op, "ci")
			require.NoError(t, err)
			tp, err := svc.TokenPrincipal(ctx, parent)
			require.NoError(t, err)
			child, _, err := svc.CreateToken(ctx, tp, "minted by ci")
			require.NoError(t, err)
			_, err = svc.TokenPrincipal(ctx, child)
			require.NoError(t, err)
			require.NoError(t, st.DeleteToken(ctx, w.ID, owner.ID, pt.ID))
			_, err = svc.TokenPrincipal(ctx, child)
			require.ErrorIs(t, err, auth.ErrUnauthenticated)

			// A password change ends every session; a wrong current password changes nothing.
			s1, _, err := svc.Login(ctx, "owner@example.com", rightPassword, "203.0.113.1", "")
			require.NoError(t, err)
			s2, _, err := svc.Login(ctx, "owner@example.com", rightPassword, "203.0.113.2", "")
			require.NoError(t, err)
			err = svc.ChangePassword(ctx, owner, "203.0.113.1", "not the password", "a brand new passphrase")
			e, ok := valid.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, "current_password", e.Field)
			_, _, err = svc.Session(ctx, s2)
			require.NoError(t, err)
			require.NoError(t, svc.ChangePassword(ctx, owner, "203.0.113.1", rightPassword, "a brand new passphrase"))
			for _, s := range []string{s1, s2} {
				_, _, err = svc.Session(ctx, s)
				require.ErrorIs(t, err, auth.ErrUnauthenticated)
			}
		})
	}
}
