package tokens

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/stretchr/testify/require"
)

// shared is a channel's stored secrets with the lock every instance takes to renew.
type shared struct {
	mu      sync.Mutex
	secrets map[string]string
}

func (s *shared) locked(ctx context.Context, fn func(map[string]string) (map[string]string, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := map[string]string{}
	for k, v := range s.secrets {
		cur[k] = v
	}
	next, err := fn(cur)
	if err == nil && next != nil {
		s.secrets = next
	}
	return err
}

// TestRenewOnceAcrossInstances: two instances whose token is refused at the
// same time renew once; the second adopts the pair the first stored.
func TestRenewOnceAcrossInstances(t *testing.T) {
	st := &shared{secrets: map[string]string{Access: "a1", Refresh: "r1"}}
	var grants atomic.Int32
	grant := func(_ context.Context, rt string) (map[string]string, error) {
		grants.Add(1)
		if rt != "r1" {
			return nil, &network.Error{Class: network.AuthReconnect, Message: "refresh token already used"}
		}
		return map[string]string{Access: "a2", Refresh: "r2"}, nil
	}
	env := network.Env{RefreshLocked: st.locked}
	call := func(access string) error {
		if access != "a2" {
			return &network.Error{Class: network.AuthRefresh, Status: 401}
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		k := New(network.TikTok, env, map[string]string{Access: "a1", Refresh: "r1"}, grant)
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = k.Do(context.Background(), call) }()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	require.Equal(t, int32(1), grants.Load())
	require.Equal(t, "a2", st.secrets[Access])
}

func TestAheadOfExpiryAndReconnect(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var saved map[string]string
	env := network.Env{Now: func() time.Time { return now }, SaveSecrets: func(_ context.Context, s map[string]string) error { saved = s; return nil }}
	k := New(network.Pinterest, env, map[string]string{Access: "old", Refresh: "r", ExpiresAt: Lifetime(now, 60)}, func(context.Context, string) (map[string]string, error) {
		return map[string]string{Access: "new", ExpiresAt: Lifetime(now, 3600)}, nil
	})
	var used string
	require.NoError(t, k.Do(context.Background(), func(a string) error { used = a; return nil }))
	require.Equal(t, "new", used, "renewed before expiry")
	require.Equal(t, "r", saved[Refresh], "a refresh token not given back is kept")
	require.Equal(t, Lifetime(now, 3600), saved[ExpiresAt])

	// Nothing to renew with: a refused token needs a reconnect.
	bare := New(network.Pinterest, env, map[string]string{Access: "x"}, nil)
	err := bare.Do(context.Background(), func(string) error { return &network.Error{Class: network.AuthRefresh} })
	require.Equal(t, network.AuthReconnect, network.ClassOf(err))
	// Other errors pass through untouched.
	boom := errors.New("boom")
	require.ErrorIs(t, bare.Do(context.Background(), func(string) error { return boom }), boom)
	require.Equal(t, Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "RFC 7636 appendix B")
	require.Len(t, Verifier(), 64)
}

func TestPasted(t *testing.T) {
	_, err := Pasted(map[string]string{"access_token": " "}, "TikTok", true, "--tiktok-client-key")
	require.ErrorContains(t, err, "Access token is required when not signing in with TikTok")
	_, err = Pasted(map[string]string{"access_token": "a", "refresh_token": "r"}, "Pinterest", false, "--pinterest-app-id")
	require.ErrorContains(t, err, "A refresh token needs the operator's Pinterest app (--pinterest-app-id)")
	s, err := Pasted(map[string]string{"access_token": " a ", "refresh_token": "r"}, "Pinterest", true, "--pinterest-app-id")
	require.NoError(t, err)
	require.Equal(t, map[string]string{Access: "a", Refresh: "r"}, s)
}
