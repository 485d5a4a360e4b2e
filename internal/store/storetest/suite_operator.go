package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunOperatorSettings checks the instance's operator settings: set, replace,
// list by key, delete, and the bytes kept exactly.
func RunOperatorSettings(t *testing.T, open func(testing.TB) store.Store) {
	t.Run("operator settings", func(t *testing.T) {
		t.Parallel()
		st := open(t)
		ctx := context.Background()
		u := store.User{Email: "op@example.com", Name: "Op", PasswordHash: "h", IsAdmin: true}
		require.NoError(t, st.CreateUser(ctx, &u))
		list, err := st.OperatorSettings(ctx)
		require.NoError(t, err)
		require.Empty(t, list)

		at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
		require.NoError(t, st.SetOperatorSetting(ctx, store.OperatorSetting{Key: "RELAIS_META_APP_SECRET", Value: []byte{0, 1, 2, 255}, UpdatedBy: u.ID, UpdatedAt: at}))
		require.NoError(t, st.SetOperatorSetting(ctx, store.OperatorSetting{Key: "RELAIS_META_APP_ID", Value: []byte("v1"), UpdatedAt: at}))
		require.NoError(t, st.SetOperatorSetting(ctx, store.OperatorSetting{Key: "RELAIS_META_APP_ID", Value: []byte("v2"), UpdatedBy: u.ID, UpdatedAt: at.Add(time.Minute)}))
		list, err = st.OperatorSettings(ctx)
		require.NoError(t, err)
		require.Len(t, list, 2)
		require.Equal(t, "RELAIS_META_APP_ID", list[0].Key)
		require.Equal(t, []byte("v2"), list[0].Value)
		require.Equal(t, u.ID, list[0].UpdatedBy)
		require.True(t, list[0].UpdatedAt.Equal(at.Add(time.Minute)))
		require.Equal(t, []byte{0, 1, 2, 255}, list[1].Value)

		require.NoError(t, st.DeleteOperatorSetting(ctx, "RELAIS_META_APP_ID"))
		require.NoError(t, st.DeleteOperatorSetting(ctx, "RELAIS_META_APP_ID"), "deleting a missing key is not an error")
		list, err = st.OperatorSettings(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		require.Equal(t, "RELAIS_META_APP_SECRET", list[0].Key)
	})
}
