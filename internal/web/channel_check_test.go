package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestChannelCheckNeedsManagerAndIsRateLimited: viewers and approvers see no
// Check button and their POST changes nothing (404, as for anything they may
// not do); the owner's check runs, and a second right after answers 429 with
// Retry-After and a message in the reader's language.
func TestChannelCheckNeedsManagerAndIsRateLimited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	owner := b.browser(t)
	ou := owner.signIn("owner@example.com")
	w := b.workspace(t, ou, "Brand", "brand")
	c := store.Channel{WorkspaceID: w.ID, Network: string(fakeKind), RemoteID: "r1", Handle: "@brandy"}
	require.NoError(t, b.st.CreateChannel(ctx, &c))
	require.NoError(t, b.st.UpdateChannelSecrets(ctx, w.ID, c.ID, mustSeal(t, b, w.ID, c.ID, "good"), c.UpdatedAt))
	id := strconv.FormatInt(c.ID, 10)
	check := "/workspaces/brand/channels/" + id + "/check"

	for _, role := range []store.Role{store.RoleViewer, store.RoleApprover} {
		br := b.browser(t)
		u := br.signIn(string(role) + "@example.com")
		require.NoError(t, b.st.AddMember(ctx, w.ID, u.ID, role))
		page := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusOK, page.StatusCode, role)
		require.Contains(t, page.Body, "@brandy", role)
		require.NotContains(t, page.Body, `action="`+check+`"`, role)
		require.Equal(t, http.StatusNotFound, br.post(check, nil).StatusCode, role)
	}
	got, err := b.st.Channel(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Nil(t, got.CheckedAt, "no check ran")

	require.Contains(t, owner.get("/workspaces/brand/channels").Body, `action="`+check+`"`)
	res := owner.post(check, nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	owner.lang = "fr"
	res = owner.post(check, nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode, res.Body)
	secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.True(t, secs >= 1 && secs <= 30, secs)
	require.Contains(t, res.Body, "Ce canal a été vérifié il y a moins de 30 secondes. Réessayez dans "+strconv.Itoa(secs)+" secondes.")
}
