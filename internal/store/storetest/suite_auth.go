package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunAuth runs the conformance tests of the sign-in budgets and of token
// revocation (member removal, tokens minted by tokens).
func RunAuth(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"LoginBudget", testLoginBudget},
		{"LoginBudgetConcurrent", testLoginBudgetConcurrent},
		{"RemovedMemberTokens", testRemovedMemberTokens},
		{"ChildTokens", testChildTokens},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func testLoginBudget(t *testing.T, s store.Store) {
	now := time.UnixMilli(1_700_000_000_000).UTC()
	inc := func(b store.LoginBudget) store.LoginBudget {
		b.Attempts++
		b.LastAt = now
		b.Until = now.Add(time.Duration(b.Attempts) * time.Second)
		return b
	}
	b, err := s.UpdateLoginBudget(ctx, "k1", func(b store.LoginBudget) store.LoginBudget {
		require.Equal(t, store.LoginBudget{Key: "k1"}, b, "a new key starts empty")
		return inc(b)
	})
	require.NoError(t, err)
	require.Equal(t, 1, b.Attempts)
	b, err = s.UpdateLoginBudget(ctx, "k1", func(b store.LoginBudget) store.LoginBudget {
		require.Equal(t, 1, b.Attempts)
		require.True(t, now.Equal(b.LastAt))
		require.True(t, now.Add(time.Second).Equal(b.Until))
		return inc(b)
	})
	require.NoError(t, err)
	require.Equal(t, 2, b.Attempts)
	_, err = s.UpdateLoginBudget(ctx, "k2", inc)
	require.NoError(t, err)

	require.NoError(t, s.DeleteLoginBudgets(ctx, "k2"))
	_, err = s.UpdateLoginBudget(ctx, "k2", func(b store.LoginBudget) store.LoginBudget {
		require.Zero(t, b.Attempts, "deleted")
		return b
	})
	require.NoError(t, err)

	// k1 waits until now+2s: not stale before that; k2 (empty) is.
	n, err := s.DeleteStaleLoginBudgets(ctx, now.Add(time.Second))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = s.DeleteStaleLoginBudgets(ctx, now.Add(3*time.Second))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

// testLoginBudgetConcurrent: concurrent updates of one key never lose one,
// which is what makes a budget shared by several instances hold.
func testLoginBudgetConcurrent(t *testing.T, s store.Store) {
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateLoginBudget(ctx, "shared", func(b store.LoginBudget) store.LoginBudget {
				b.Attempts++
				return b
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	b, err := s.UpdateLoginBudget(ctx, "shared", func(b store.LoginBudget) store.LoginBudget { return b })
	require.NoError(t, err)
	require.Equal(t, n, b.Attempts)
}

func testRemovedMemberTokens(t *testing.T, s store.Store) {
	owner := NewUser(t, s, "o@example.com")
	m := NewUser(t, s, "m@example.com")
	w := NewWorkspace(t, s, "rm", owner.ID)
	other := NewWorkspace(t, s, "rm-other", owner.ID)
	require.NoError(t, s.AddMember(ctx, w.ID, m.ID, store.RoleEditor))
	require.NoError(t, s.AddMember(ctx, other.ID, m.ID, store.RoleEditor))
	here := store.APIToken{WorkspaceID: w.ID, UserID: m.ID, Name: "here", Prefix: "rl_here", TokenHash: "rm-here"}
	there := store.APIToken{WorkspaceID: other.ID, UserID: m.ID, Name: "there", Prefix: "rl_ther", TokenHash: "rm-there"}
	require.NoError(t, s.CreateToken(ctx, &here))
	require.NoError(t, s.CreateToken(ctx, &there))

	require.NoError(t, s.RemoveMember(ctx, w.ID, m.ID))
	require.NoError(t, s.AddMember(ctx, w.ID, m.ID, store.RoleEditor))
	_, err := s.TokenByHash(ctx, "rm-here")
	require.ErrorIs(t, err, store.ErrNotFound, "a rejoin does not revive the token")
	_, err = s.TokenByHash(ctx, "rm-there")
	require.NoError(t, err, "tokens of other workspaces stay")
}

func testChildTokens(t *testing.T, s store.Store) {
	u := NewUser(t, s, "c@example.com")
	w := NewWorkspace(t, s, "child", u.ID)
	parent := store.APIToken{WorkspaceID: w.ID, UserID: u.ID, Name: "parent", Prefix: "rl_par", TokenHash: "parent"}
	require.NoError(t, s.CreateToken(ctx, &parent))
	child := store.APIToken{WorkspaceID: w.ID, UserID: u.ID, Name: "child", Prefix: "rl_chi", TokenHash: "child", ParentID: parent.ID}
	require.NoError(t, s.CreateToken(ctx, &child))
	grandchild := store.APIToken{WorkspaceID: w.ID, UserID: u.ID, Name: "grandchild", Prefix: "rl_gra", TokenHash: "grandchild", ParentID: child.ID}
	require.NoError(t, s.CreateToken(ctx, &grandchild))

	require.NoError(t, s.DeleteToken(ctx, w.ID, u.ID, parent.ID))
	for _, h := range []string{"child", "grandchild"} {
		_, err := s.TokenByHash(ctx, h)
		require.ErrorIs(t, err, store.ErrNotFound, h)
	}
}
