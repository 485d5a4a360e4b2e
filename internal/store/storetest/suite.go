package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// Run runs the conformance suite against stores made by open.
func Run(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Users", testUsers},
		{"Workspaces", testWorkspaces},
		{"Invitations", testInvitations},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"Channels", testChannels},
		{"ChannelCheckClaim", testChannelCheckClaim},
		{"Notifications", testNotifications},
		{"WorkspaceScoping", testWorkspaceScoping},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var ctx = context.Background()

// NewUser creates a user with a unique e-mail for tests.
func NewUser(t testing.TB, s store.Store, email string) store.User {
	t.Helper()
	u := store.User{Email: email, Name: "Test", PasswordHash: "x"}
	require.NoError(t, s.CreateUser(ctx, &u))
	return u
}

// NewWorkspace creates a workspace owned by owner.
func NewWorkspace(t testing.TB, s store.Store, slug string, owner int64) store.Workspace {
	t.Helper()
	w := store.Workspace{Name: "WS " + slug, Slug: slug, Timezone: "Europe/Paris"}
	require.NoError(t, s.CreateWorkspace(ctx, &w, owner))
	return w
}

func testUsers(t *testing.T, s store.Store) {
	n, err := s.CountUsers(ctx)
	require.NoError(t, err)
	require.Zero(t, n)

	u := store.User{Email: " Alice@Example.COM ", Name: "Alice", PasswordHash: "h1", IsAdmin: true}
	require.NoError(t, s.CreateUser(ctx, &u))
	require.NotZero(t, u.ID)

	got, err := s.UserByEmail(ctx, "alice@example.com")
	require.NoError(t, err)
	require.Equal(t, u.ID, got.ID)
	require.Equal(t, "alice@example.com", got.Email)
	require.True(t, got.IsAdmin)
	require.WithinDuration(t, u.CreatedAt, got.CreatedAt, time.Millisecond)

	dup := store.User{Email: "ALICE@example.com", PasswordHash: "h"}
	require.ErrorIs(t, s.CreateUser(ctx, &dup), store.ErrConflict)

	require.NoError(t, s.UpdateUserPassword(ctx, u.ID, "h2"))
	require.NoError(t, s.UpdateUserLang(ctx, u.ID, "fr"))
	got, err = s.UserByID(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, "h2", got.PasswordHash)
	require.Equal(t, "fr", got.Lang)

	_, err = s.UserByID(ctx, u.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.UpdateUserLang(ctx, u.ID+1000, "de"), store.ErrNotFound)
	n, err = s.CountUsers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

func testWorkspaces(t *testing.T, s store.Store) {
	a := NewUser(t, s, "a@example.com")
	b := NewUser(t, s, "b@example.com")
	w := NewWorkspace(t, s, "acme", a.ID)
	require.NotZero(t, w.ID)

	role, err := s.Membership(ctx, w.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, store.RoleOwner, role)
	_, err = s.Membership(ctx, w.ID, b.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	dup := store.Workspace{Name: "Other", Slug: "acme"}
	require.ErrorIs(t, s.CreateWorkspace(ctx, &dup, a.ID), store.ErrConflict)

	require.NoError(t, s.AddMember(ctx, w.ID, b.ID, store.RoleEditor))
	require.ErrorIs(t, s.AddMember(ctx, w.ID, b.ID, store.RoleViewer), store.ErrConflict)
	members, err := s.Members(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, members, 2)
	require.Equal(t, "a@example.com", members[0].Email)
	require.Equal(t, store.RoleEditor, members[1].Role)

	require.NoError(t, s.UpdateMemberRole(ctx, w.ID, b.ID, store.RoleApprover))
	role, err = s.Membership(ctx, w.ID, b.ID)
	require.NoError(t, err)
	require.Equal(t, store.RoleApprover, role)

	w2 := NewWorkspace(t, s, "beta", b.ID)
	list, err := s.WorkspacesOf(ctx, b.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, "beta", list[1].Slug)
	require.Equal(t, store.RoleOwner, list[1].Role)

	created, err := s.WorkspaceBySlug(ctx, "beta")
	require.NoError(t, err)
	require.Equal(t, 5, created.MaxPublishAttempts, "new workspaces retry up to 5 times")
	require.Equal(t, store.ApprovalEveryone, created.ApprovalFor, "approval, when on, is for everyone by default")
	require.False(t, created.SelfApproval, "authors do not approve their own posts by default")
	w2.Name, w2.ApprovalRequired, w2.Timezone, w2.MaxPublishAttempts = "Beta Brand", true, "America/New_York", 9
	w2.ApprovalFor, w2.SelfApproval = store.ApprovalEditors, true
	require.NoError(t, s.UpdateWorkspace(ctx, w2))
	got, err := s.WorkspaceBySlug(ctx, "beta")
	require.NoError(t, err)
	require.Equal(t, "Beta Brand", got.Name)
	require.True(t, got.ApprovalRequired)
	require.Equal(t, "America/New_York", got.Timezone)
	require.Equal(t, 9, got.MaxPublishAttempts)
	require.Equal(t, store.ApprovalEditors, got.ApprovalFor)
	require.True(t, got.SelfApproval)
	mine, err := s.WorkspacesOf(ctx, b.ID)
	require.NoError(t, err)
	for _, m := range mine {
		if m.ID == got.ID {
			require.Equal(t, store.ApprovalEditors, m.ApprovalFor)
			require.True(t, m.SelfApproval)
		}
	}

	require.NoError(t, s.RemoveMember(ctx, w.ID, b.ID))
	require.ErrorIs(t, s.RemoveMember(ctx, w.ID, b.ID), store.ErrNotFound)
}

func testInvitations(t *testing.T, s store.Store) {
	a := NewUser(t, s, "owner@example.com")
	b := NewUser(t, s, "guest@example.com")
	w := NewWorkspace(t, s, "inv", a.ID)
	now := time.Now().UTC()
	inv := store.Invitation{WorkspaceID: w.ID, Email: "guest@example.com", Role: store.RoleEditor, TokenHash: "hash-1", CreatedBy: a.ID, ExpiresAt: now.Add(time.Hour)}
	require.NoError(t, s.CreateInvitation(ctx, &inv))
	old := store.Invitation{WorkspaceID: w.ID, Role: store.RoleViewer, TokenHash: "hash-2", CreatedBy: a.ID, ExpiresAt: now.Add(-time.Hour)}
	require.NoError(t, s.CreateInvitation(ctx, &old))

	list, err := s.Invitations(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)

	// An expired invitation cannot be accepted.
	require.ErrorIs(t, s.AcceptInvitation(ctx, old.ID, b.ID, now), store.ErrNotFound)
	got, err := s.InvitationByTokenHash(ctx, "hash-1")
	require.NoError(t, err)
	require.NoError(t, s.AcceptInvitation(ctx, got.ID, b.ID, now))
	role, err := s.Membership(ctx, w.ID, b.ID)
	require.NoError(t, err)
	require.Equal(t, store.RoleEditor, role)
	// Accepting twice fails and changes nothing.
	require.ErrorIs(t, s.AcceptInvitation(ctx, got.ID, b.ID, now), store.ErrNotFound)

	n, err := s.DeleteExpiredInvitations(ctx, now)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	list, err = s.Invitations(ctx, w.ID)
	require.NoError(t, err)
	require.Empty(t, list)
}

func testSessions(t *testing.T, s store.Store) {
	u := NewUser(t, s, "s@example.com")
	w := NewWorkspace(t, s, "sess", u.ID)
	now := time.Now().UTC()
	require.NoError(t, s.CreateSession(ctx, store.Session{IDHash: "h1", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour), IP: "127.0.0.1", UserAgent: "test"}))
	require.NoError(t, s.CreateSession(ctx, store.Session{IDHash: "h2", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(-time.Minute)}))
	require.NoError(t, s.SetSessionWorkspace(ctx, "h1", w.ID))
	got, err := s.SessionByHash(ctx, "h1")
	require.NoError(t, err)
	require.Equal(t, w.ID, got.WorkspaceID)
	require.Equal(t, "test", got.UserAgent)
	n, err := s.DeleteExpiredSessions(ctx, now)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.NoError(t, s.DeleteSession(ctx, "h1"))
	_, err = s.SessionByHash(ctx, "h1")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testTokens(t *testing.T, s store.Store) {
	u := NewUser(t, s, "t@example.com")
	w := NewWorkspace(t, s, "tok", u.ID)
	tok := store.APIToken{WorkspaceID: w.ID, UserID: u.ID, Name: "ci", Prefix: "rl_abc", TokenHash: "th"}
	require.NoError(t, s.CreateToken(ctx, &tok))
	got, err := s.TokenByHash(ctx, "th")
	require.NoError(t, err)
	require.Equal(t, tok.ID, got.ID)
	require.Nil(t, got.LastUsedAt)
	require.NoError(t, s.TouchToken(ctx, tok.ID, time.Now()))
	list, err := s.Tokens(ctx, w.ID, u.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.NotNil(t, list[0].LastUsedAt)
	require.ErrorIs(t, s.DeleteToken(ctx, w.ID+1, u.ID, tok.ID), store.ErrNotFound)
	require.NoError(t, s.DeleteToken(ctx, w.ID, u.ID, tok.ID))
	_, err = s.TokenByHash(ctx, "th")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testChannels(t *testing.T, s store.Store) {
	u := NewUser(t, s, "c@example.com")
	w := NewWorkspace(t, s, "chan", u.ID)
	c := store.Channel{WorkspaceID: w.ID, Network: "mastodon", RemoteID: "42", Handle: "@brand@example.social",
		Settings: map[string]string{"instance": "https://example.social"}, SecretsEnc: []byte{1, 2, 3}, LimitsJSON: []byte(`{"max_text":500}`)}
	require.NoError(t, s.CreateChannel(ctx, &c))
	dup := c
	require.ErrorIs(t, s.CreateChannel(ctx, &dup), store.ErrConflict)

	got, err := s.Channel(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, "https://example.social", got.Settings["instance"])
	require.Equal(t, []byte{1, 2, 3}, got.SecretsEnc)
	require.JSONEq(t, `{"max_text":500}`, string(got.LimitsJSON))
	require.Equal(t, store.ChannelOK, got.Status)

	require.NoError(t, s.UpdateChannelSecrets(ctx, w.ID, c.ID, []byte{9}, time.Now()))
	require.NoError(t, s.SetChannelStatus(ctx, w.ID, c.ID, store.ChannelNeedsReconnect, "token revoked", time.Now()))
	got, err = s.Channel(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []byte{9}, got.SecretsEnc)
	require.Equal(t, store.ChannelNeedsReconnect, got.Status)
	require.Equal(t, "token revoked", got.StatusReason)
	require.NotNil(t, got.CheckedAt)

	feed := store.Channel{WorkspaceID: w.ID, Network: "website", RemoteID: "k1", Settings: map[string]string{"key": "k1"}}
	require.NoError(t, s.CreateChannel(ctx, &feed))
	found, err := s.ChannelByRemoteID(ctx, "website", "k1")
	require.NoError(t, err)
	require.Equal(t, feed.ID, found.ID)
	_, err = s.ChannelByRemoteID(ctx, "website", "nope")
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.ChannelByRemoteID(ctx, "bluesky", "k1")
	require.ErrorIs(t, err, store.ErrNotFound, "the network is part of the key")

	list, err := s.Channels(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.NoError(t, s.DeleteChannel(ctx, w.ID, c.ID))
	_, err = s.Channel(ctx, w.ID, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testNotifications(t *testing.T, s store.Store) {
	u := NewUser(t, s, "n@example.com")
	w := NewWorkspace(t, s, "notif", u.ID)
	for i := range 3 {
		n := store.Notification{WorkspaceID: w.ID, Kind: "publish_failed", Message: fmt.Sprint("failed ", i), Args: []string{fmt.Sprint("reason ", i)},
			CreatedAt: time.Now().Add(time.Duration(i) * time.Second)}
		require.NoError(t, s.CreateNotification(ctx, &n))
	}
	other := store.Notification{WorkspaceID: w.ID, UserID: u.ID + 99, Kind: "x", Message: "not yours"}
	require.NoError(t, s.CreateNotification(ctx, &other))
	list, err := s.Notifications(ctx, w.ID, u.ID, 2)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, "failed 2", list[0].Message)
	require.Equal(t, []string{"reason 2"}, list[0].Args, "a notification keeps the values its message shows")
	require.NoError(t, s.MarkNotificationRead(ctx, w.ID, list[0].ID, time.Now()))
	list, err = s.Notifications(ctx, w.ID, u.ID, 10)
	require.NoError(t, err)
	require.Len(t, list, 3)
	require.NotNil(t, list[0].ReadAt)
	for _, n := range list {
		require.Len(t, n.Args, 1, "each keeps its args: %v", n)
	}
}

// testWorkspaceScoping proves that ids of one workspace do not reach another's rows.
func testWorkspaceScoping(t *testing.T, s store.Store) {
	a := NewUser(t, s, "a@scope.example")
	b := NewUser(t, s, "b@scope.example")
	wa := NewWorkspace(t, s, "scope-a", a.ID)
	wb := NewWorkspace(t, s, "scope-b", b.ID)
	c := store.Channel{WorkspaceID: wa.ID, Network: "bluesky", RemoteID: "did:plc:a"}
	require.NoError(t, s.CreateChannel(ctx, &c))
	inv := store.Invitation{WorkspaceID: wa.ID, Role: store.RoleViewer, TokenHash: "sc", CreatedBy: a.ID, ExpiresAt: time.Now().Add(time.Hour)}
	require.NoError(t, s.CreateInvitation(ctx, &inv))
	n := store.Notification{WorkspaceID: wa.ID, Kind: "k", Message: "m"}
	require.NoError(t, s.CreateNotification(ctx, &n))

	for name, err := range map[string]error{
		"channel":           errOf(s.Channel(ctx, wb.ID, c.ID)),
		"channel secrets":   s.UpdateChannelSecrets(ctx, wb.ID, c.ID, nil, time.Now()),
		"channel status":    s.SetChannelStatus(ctx, wb.ID, c.ID, store.ChannelOK, "", time.Now()),
		"delete channel":    s.DeleteChannel(ctx, wb.ID, c.ID),
		"delete invitation": s.DeleteInvitation(ctx, wb.ID, inv.ID),
		"read notification": s.MarkNotificationRead(ctx, wb.ID, n.ID, time.Now()),
		"member role":       s.UpdateMemberRole(ctx, wb.ID, a.ID, store.RoleViewer),
		"remove member":     s.RemoveMember(ctx, wb.ID, a.ID),
		"membership":        errOf(s.Membership(ctx, wb.ID, a.ID)),
	} {
		require.True(t, errors.Is(err, store.ErrNotFound), "%s: want ErrNotFound, got %v", name, err)
	}
	list, err := s.Channels(ctx, wb.ID)
	require.NoError(t, err)
	require.Empty(t, list)
	invs, err := s.Invitations(ctx, wb.ID)
	require.NoError(t, err)
	require.Empty(t, invs)
	// The rows of workspace a are untouched.
	_, err = s.Channel(ctx, wa.ID, c.ID)
	require.NoError(t, err)
}

func errOf[T any](_ T, err error) error { return err }
