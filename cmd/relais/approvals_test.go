package main

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestPostListAwaitingApproval: `relais post list --awaiting-approval`
// prints the member's approval queue: an approver sees the post in review,
// its author (self-approval off) and a viewer do not.
func TestPostListAwaitingApproval(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	flags := []string{"--data-dir", dir}
	if u := os.Getenv(storetest.PostgresURLEnv); u != "" {
		flags = append(flags, "--database-url", storetest.NewPostgresDatabase(t))
	}
	ctx := context.Background()
	a, err := DataFlags{DataDir: dir, DatabaseURL: flagValue(flags, "--database-url")}.open(ctx)
	require.NoError(t, err)
	owner := storetest.NewUser(t, a.Store, "owner@example.com")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "Europe/Paris", ApprovalRequired: true}
	require.NoError(t, a.Store.CreateWorkspace(ctx, &ws, owner.ID))
	for email, role := range map[string]store.Role{"ap@example.com": store.RoleApprover, "v@example.com": store.RoleViewer} {
		u := storetest.NewUser(t, a.Store, email)
		require.NoError(t, a.Store.AddMember(ctx, ws.ID, u.ID, role))
	}
	masto := storetest.NewChannel(t, a.Store, ws.ID, "mastodon", "masto")
	require.NoError(t, a.Close())

	out, err := runCompose(t, flags, "post", "create", "--workspace", "brand", "--channels", strconv.FormatInt(masto.ID, 10), "--text", "Waiting for review")
	require.NoError(t, err)
	a, err = DataFlags{DataDir: dir, DatabaseURL: flagValue(flags, "--database-url")}.open(ctx)
	require.NoError(t, err)
	p, err := principalFor(ctx, a.Store, a.Auth, "", "brand")
	require.NoError(t, err)
	id, err := strconv.ParseInt(out[:len(out)-1], 10, 64)
	require.NoError(t, err)
	_, err = composer(a).Submit(ctx, p, id)
	require.NoError(t, err)
	require.NoError(t, a.Close())

	out, err = runCompose(t, flags, "post", "list", "--workspace", "brand", "--awaiting-approval", "--email", "ap@example.com")
	require.NoError(t, err)
	require.Contains(t, out, "Waiting for review")
	require.Contains(t, out, "in_review")
	out, err = runCompose(t, flags, "post", "list", "--workspace", "brand", "--awaiting-approval")
	require.NoError(t, err)
	require.NotContains(t, out, "Waiting for review", "the owner wrote it and may not approve it")
	_, err = runCompose(t, flags, "post", "list", "--workspace", "brand", "--awaiting-approval", "--email", "v@example.com")
	require.Error(t, err, "a viewer approves nothing")
}
