package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunCheckpoints runs the conformance suite of the publication checkpoints.
func RunCheckpoints(t *testing.T, open func(t testing.TB) store.Store) {
	t.Run("Checkpoints", func(t *testing.T) {
		t.Parallel()
		testCheckpoints(t, open(t))
	})
}

func testCheckpoints(t *testing.T, s store.Store) {
	u := NewUser(t, s, "checkpoints@meta.example")
	wa := NewWorkspace(t, s, "checkpoints-a", u.ID)
	wb := NewWorkspace(t, s, "checkpoints-b", u.ID)
	ca := store.Channel{WorkspaceID: wa.ID, Network: "instagram", RemoteID: "ig-1", Handle: "@a", Status: store.ChannelOK}
	cb := store.Channel{WorkspaceID: wb.ID, Network: "instagram", RemoteID: "ig-2", Handle: "@b", Status: store.ChannelOK}
	require.NoError(t, s.CreateChannel(ctx, &ca))
	require.NoError(t, s.CreateChannel(ctx, &cb))
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

	_, err := s.Checkpoint(ctx, wa.ID, ca.ID, "pub-1-0")
	require.ErrorIs(t, err, store.ErrNotFound)
	require.NoError(t, s.SetCheckpoint(ctx, wa.ID, ca.ID, "pub-1-0", "container=17", t0))
	v, err := s.Checkpoint(ctx, wa.ID, ca.ID, "pub-1-0")
	require.NoError(t, err)
	require.Equal(t, "container=17", v)
	require.NoError(t, s.SetCheckpoint(ctx, wa.ID, ca.ID, "pub-1-0", "container=17 media=18", t0.Add(time.Minute)))
	v, err = s.Checkpoint(ctx, wa.ID, ca.ID, "pub-1-0")
	require.NoError(t, err)
	require.Equal(t, "container=17 media=18", v, "a later value replaces the earlier")

	// Another workspace's channel is out of reach, for writing and reading.
	require.ErrorIs(t, s.SetCheckpoint(ctx, wb.ID, ca.ID, "pub-1-0", "forged", t0), store.ErrNotFound)
	_, err = s.Checkpoint(ctx, wb.ID, ca.ID, "pub-1-0")
	require.ErrorIs(t, err, store.ErrNotFound)
	v, _ = s.Checkpoint(ctx, wa.ID, ca.ID, "pub-1-0")
	require.Equal(t, "container=17 media=18", v)

	require.NoError(t, s.SetCheckpoint(ctx, wb.ID, cb.ID, "pub-2-0", "container=99", t0.Add(48*time.Hour)))
	n, err := s.DeleteCheckpointsBefore(ctx, t0.Add(24*time.Hour))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	_, err = s.Checkpoint(ctx, wa.ID, ca.ID, "pub-1-0")
	require.ErrorIs(t, err, store.ErrNotFound)
	v, err = s.Checkpoint(ctx, wb.ID, cb.ID, "pub-2-0")
	require.NoError(t, err)
	require.Equal(t, "container=99", v)
}
