package network

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/valid"
)

// tokenServer hands out access tokens and counts renewals.
type tokenServer struct {
	mu      sync.Mutex
	valid   map[string]bool
	renewed atomic.Int32
}

func (s *tokenServer) renew(_ context.Context, rt string) (map[string]string, error) {
	if rt != "rt" {
		return nil, &Error{Class: AuthReconnect, Network: LinkedIn, Status: 400, Message: "invalid refresh token"}
	}
	n := s.renewed.Add(1)
	tok := "at-" + string(rune('0'+n))
	s.mu.Lock()
	s.valid[tok] = true
	s.mu.Unlock()
	return map[string]string{SecretAccess: tok, SecretExpiresAt: time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, nil
}

func (s *tokenServer) send(access string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.valid[access] {
		return &Error{Class: AuthRefresh, Network: LinkedIn, Status: 401, Message: "expired"}
	}
	return nil
}

func TestTokensRenewOnceAndSave(t *testing.T) {
	srv := &tokenServer{valid: map[string]bool{}}
	var saves atomic.Int32
	var last map[string]string
	var mu sync.Mutex
	env := Env{SaveSecrets: func(_ context.Context, m map[string]string) error {
		saves.Add(1)
		mu.Lock()
		last = m
		mu.Unlock()
		return nil
	}}
	tk := NewTokens(LinkedIn, env, map[string]string{SecretAccess: "stale", SecretRefresh: "rt", "other": "kept"}, srv.renew)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			require.NoError(t, tk.Do(context.Background(), srv.send))
		}()
	}
	wg.Wait()
	require.Equal(t, int32(1), srv.renewed.Load(), "eight callers with the same stale token renew once")
	require.Equal(t, int32(1), saves.Load())
	mu.Lock()
	require.Equal(t, "rt", last[SecretRefresh], "a refresh token not sent again is kept")
	require.Equal(t, "kept", last["other"])
	mu.Unlock()
}

func TestTokensRenewAheadOfExpiry(t *testing.T) {
	srv := &tokenServer{valid: map[string]bool{"old": true}}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tk := NewTokens(LinkedIn, Env{Now: func() time.Time { return now }}, map[string]string{SecretAccess: "old", SecretRefresh: "rt", SecretExpiresAt: now.Add(time.Minute).Format(time.RFC3339)}, srv.renew)
	var used string
	require.NoError(t, tk.Do(context.Background(), func(a string) error { used = a; return srv.send(a) }))
	require.Equal(t, "at-1", used, "renewed before it expired")
}

func TestTokensWithoutRefreshOrRefused(t *testing.T) {
	srv := &tokenServer{valid: map[string]bool{}}
	tk := NewTokens(LinkedIn, Env{}, map[string]string{SecretAccess: "stale"}, srv.renew)
	err := tk.Do(context.Background(), srv.send)
	require.Equal(t, AuthReconnect, ClassOf(err))
	require.Zero(t, srv.renewed.Load())

	tk = NewTokens(LinkedIn, Env{}, map[string]string{SecretAccess: "stale", SecretRefresh: "revoked"}, srv.renew)
	err = tk.Do(context.Background(), srv.send)
	require.Equal(t, AuthReconnect, ClassOf(err))
	require.ErrorContains(t, err, "renew token")

	// A fresh token refused again: reconnect, not a loop.
	always := func(string) error { return &Error{Class: AuthRefresh, Network: LinkedIn, Status: 401} }
	tk = NewTokens(LinkedIn, Env{}, map[string]string{SecretAccess: "stale", SecretRefresh: "rt"}, srv.renew)
	require.Equal(t, AuthReconnect, ClassOf(tk.Do(context.Background(), always)))
}

func TestTokensAdoptAnotherInstancesRenewal(t *testing.T) {
	srv := &tokenServer{valid: map[string]bool{"theirs": true}}
	stored := map[string]string{SecretAccess: "theirs", SecretRefresh: "rt"}
	env := Env{RefreshLocked: func(ctx context.Context, fn func(map[string]string) (map[string]string, error)) error {
		next, err := fn(stored)
		if next != nil {
			return errors.New("nothing should be saved")
		}
		return err
	}}
	tk := NewTokens(LinkedIn, env, map[string]string{SecretAccess: "mine-stale", SecretRefresh: "rt"}, srv.renew)
	var used string
	require.NoError(t, tk.Do(context.Background(), func(a string) error { used = a; return srv.send(a) }))
	require.Equal(t, "theirs", used)
	require.Zero(t, srv.renewed.Load())
}

func TestPastedTokens(t *testing.T) {
	for _, tc := range []struct {
		name      string
		input     map[string]string
		renewable bool
		field     string
		want      map[string]string
	}{
		{name: "no token", input: map[string]string{}, renewable: true, field: SecretAccess},
		{name: "blank token", input: map[string]string{SecretAccess: "  "}, renewable: true, field: SecretAccess},
		{name: "refresh without the app", input: map[string]string{SecretAccess: "a", SecretRefresh: "r"}, field: SecretRefresh},
		{name: "access only", input: map[string]string{SecretAccess: " a "}, want: map[string]string{SecretAccess: "a"}},
		{name: "pair", input: map[string]string{SecretAccess: " a ", SecretRefresh: "r"}, renewable: true, want: map[string]string{SecretAccess: "a", SecretRefresh: "r"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PastedTokens(tc.input, "Tumblr", tc.renewable, "--tumblr-client-id")
			if tc.field != "" {
				ve, ok := valid.As(err)
				require.True(t, ok, "%v", err)
				require.Equal(t, tc.field, ve.Field)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestTokensDeadline(t *testing.T) {
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	stored := map[string]string{SecretAccess: "a", SecretExpiresAt: exp.Format(time.RFC3339)}
	require.Equal(t, exp, NewTokens(LinkedIn, Env{}, stored, nil).Deadline(), "nothing renews: reconnect by the expiry")
	stored[SecretRefresh] = "rt"
	require.Equal(t, exp, NewTokens(LinkedIn, Env{}, stored, nil).Deadline(), "a refresh token without a grant renews nothing")
	renew := func(context.Context, string) (map[string]string, error) { return nil, nil }
	require.True(t, NewTokens(LinkedIn, Env{}, stored, renew).Deadline().IsZero(), "renewable: no deadline")
}
