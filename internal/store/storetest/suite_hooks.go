package storetest

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunHooks runs the conformance suite of notification webhooks.
func RunHooks(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"HookCRUD", testHookCRUD},
		{"HookScoping", testHookScoping},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func testHookCRUD(t *testing.T, s store.Store) {
	u := NewUser(t, s, "hook@crud.example")
	w := NewWorkspace(t, s, "hook-crud", u.ID)
	created := time.Date(2026, 4, 2, 9, 15, 30, 250e6, time.UTC)
	h := store.Hook{WorkspaceID: w.ID, URL: "https://hooks.example/relais", Description: "Ops channel",
		Events: []string{store.HookPublishFailed, store.HookChannelNeedsReconnect}, Enabled: true, CreatedBy: u.ID, CreatedAt: created}
	require.NoError(t, s.CreateHook(ctx, &h))
	require.NotZero(t, h.ID)
	got, err := s.Hook(ctx, w.ID, h.ID)
	require.NoError(t, err)
	require.Equal(t, h, got)
	require.True(t, got.Subscribed(store.HookPublishFailed))
	require.False(t, got.Subscribed(store.HookPublishNeedsReview))

	require.NoError(t, s.SetHookSecret(ctx, w.ID, h.ID, []byte{0, 1, 2, 255}))
	require.NoError(t, s.SetHookEnabled(ctx, w.ID, h.ID, false))
	at := created.Add(time.Hour)
	require.NoError(t, s.RecordHookDelivery(ctx, w.ID, h.ID, "failed", at, "503: try later"))
	got, err = s.Hook(ctx, w.ID, h.ID)
	require.NoError(t, err)
	require.Equal(t, []byte{0, 1, 2, 255}, got.SecretEnc)
	require.False(t, got.Enabled)
	require.Equal(t, "failed", got.LastStatus)
	require.Equal(t, "503: try later", got.LastError)
	require.NotNil(t, got.LastAt)
	require.True(t, at.Equal(*got.LastAt), "last_at %v, want %v", got.LastAt, at)

	second := store.Hook{WorkspaceID: w.ID, URL: "http://other.example/x", Events: store.HookEvents, Enabled: true}
	require.NoError(t, s.CreateHook(ctx, &second))
	require.False(t, second.CreatedAt.IsZero())
	list, err := s.Hooks(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, []int64{h.ID, second.ID}, []int64{list[0].ID, list[1].ID})
	require.Equal(t, store.HookEvents, list[1].Events)
	require.Nil(t, list[1].LastAt)

	require.NoError(t, s.DeleteHook(ctx, w.ID, h.ID))
	_, err = s.Hook(ctx, w.ID, h.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.DeleteHook(ctx, w.ID, h.ID), store.ErrNotFound)
}

func testHookScoping(t *testing.T, s store.Store) {
	u := NewUser(t, s, "hook@scope.example")
	a := NewWorkspace(t, s, "hook-scope-a", u.ID)
	b := NewWorkspace(t, s, "hook-scope-b", u.ID)
	h := store.Hook{WorkspaceID: a.ID, URL: "https://a.example/hook", Events: store.HookEvents, Enabled: true}
	require.NoError(t, s.CreateHook(ctx, &h))

	_, err := s.Hook(ctx, b.ID, h.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	list, err := s.Hooks(ctx, b.ID)
	require.NoError(t, err)
	require.Empty(t, list)
	require.ErrorIs(t, s.SetHookSecret(ctx, b.ID, h.ID, []byte("x")), store.ErrNotFound)
	require.ErrorIs(t, s.SetHookEnabled(ctx, b.ID, h.ID, false), store.ErrNotFound)
	require.ErrorIs(t, s.RecordHookDelivery(ctx, b.ID, h.ID, "ok", time.Now(), ""), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteHook(ctx, b.ID, h.ID), store.ErrNotFound)

	got, err := s.Hook(ctx, a.ID, h.ID)
	require.NoError(t, err)
	require.True(t, got.Enabled)
	require.Equal(t, "", got.LastStatus)
	require.Nil(t, got.SecretEnc)
}
