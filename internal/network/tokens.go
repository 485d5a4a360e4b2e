package network

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/valid"
)

// Names of the stored secrets of an OAuth 2.0 token pair.
const (
	SecretAccess    = "access_token"
	SecretRefresh   = "refresh_token"
	SecretExpiresAt = "expires_at"
	// SecretRefreshExpiresAt is when the refresh token itself stops working
	// (TikTok: 365 days), for the networks that say.
	SecretRefreshExpiresAt = "refresh_expires_at"
)

// Tokens holds a connector's OAuth 2.0 access token and, when the network
// gives one, its refresh token; it renews the pair ahead of expiry or after
// a 401, once per stale token (a refresh token may work only once), saves
// the new pair before it is used, and under Env.RefreshLocked lets another
// instance's renewal win. Every connector whose network renews tokens with
// a refresh grant keeps its tokens in one.
type Tokens struct {
	// Kind names the network in errors.
	Kind Kind
	// RenewWith trades a refresh token for new secrets (SecretAccess, and
	// SecretRefresh and SecretExpiresAt when the network sends them); nil:
	// the tokens cannot be renewed.
	RenewWith func(ctx context.Context, refresh string) (map[string]string, error)
	// Ahead renews the access token this long before it expires.
	Ahead time.Duration

	env       Env
	mu        sync.Mutex
	secrets   map[string]string
	refreshMu sync.Mutex
}

// NewTokens holds the stored secrets for env's channel; renew may be nil.
func NewTokens(k Kind, env Env, secrets map[string]string, renew func(context.Context, string) (map[string]string, error)) *Tokens {
	t := &Tokens{Kind: k, RenewWith: renew, Ahead: 2 * time.Minute, env: env}
	t.Adopt(secrets)
	return t
}

// Secrets returns a copy of the current secrets (what the channel stores).
func (t *Tokens) Secrets() map[string]string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]string{}
	for k, v := range t.secrets {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// Adopt takes s as the current secrets (after another instance renewed them).
func (t *Tokens) Adopt(s map[string]string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.secrets = make(map[string]string, len(s))
	for k, v := range s {
		t.secrets[k] = v
	}
}

// Current returns the access token, its expiry (zero: unknown) and the refresh token.
func (t *Tokens) Current() (string, time.Time, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	exp, _ := time.Parse(time.RFC3339, t.secrets[SecretExpiresAt])
	return t.secrets[SecretAccess], exp, t.secrets[SecretRefresh]
}

// CanRenew reports whether a refresh token and a way to use it are at hand.
func (t *Tokens) CanRenew() bool {
	_, _, rt := t.Current()
	return rt != "" && t.RenewWith != nil
}

// Deadline is when the channel must be reconnected: the access token's
// expiry when nothing can renew it, zero otherwise (or when unknown).
func (t *Tokens) Deadline() time.Time {
	if t.CanRenew() {
		return time.Time{}
	}
	_, exp, _ := t.Current()
	return exp
}

// Do runs send with the access token, renewing it first when it is about to
// expire, and once more after send answers AuthRefresh; a token refused
// right after renewal, or without a way to renew, is AuthReconnect.
func (t *Tokens) Do(ctx context.Context, send func(access string) error) error {
	access, exp, _ := t.Current()
	if t.CanRenew() && !exp.IsZero() && t.env.Clock().Add(t.Ahead).After(exp) {
		if err := t.Renew(ctx, access); err != nil {
			return err
		}
		access, _, _ = t.Current()
	}
	err := send(access)
	if ClassOf(err) != AuthRefresh {
		return err
	}
	if !t.CanRenew() {
		return AsReconnect(err)
	}
	if err := t.Renew(ctx, access); err != nil {
		return err
	}
	access, _, _ = t.Current()
	if err := send(access); ClassOf(err) == AuthRefresh {
		return AsReconnect(err)
	} else {
		return err
	}
}

// AsReconnect turns an auth error into AuthReconnect: the user must sign in again.
func AsReconnect(err error) error {
	var ne *Error
	if errors.As(err, &ne) {
		ne.Class = AuthReconnect
	}
	return err
}

// Renew replaces the stale access token unless someone already did.
func (t *Tokens) Renew(ctx context.Context, stale string) error {
	t.refreshMu.Lock()
	defer t.refreshMu.Unlock()
	if cur, _, _ := t.Current(); cur != stale {
		return nil
	}
	if t.RenewWith == nil {
		return fmt.Errorf("%s: the token cannot be renewed", t.Kind)
	}
	if t.env.RefreshLocked == nil {
		next, err := t.renewFrom(ctx, t.Secrets())
		if err != nil {
			return err
		}
		if t.env.SaveSecrets != nil {
			if err := t.env.SaveSecrets(ctx, next); err != nil {
				return fmt.Errorf("%s: save renewed tokens: %w", t.Kind, err)
			}
		}
		return nil
	}
	return t.env.RefreshLocked(ctx, func(current map[string]string) (map[string]string, error) {
		if tok := current[SecretAccess]; tok != "" && tok != stale {
			t.Adopt(current)
			return nil, nil
		}
		return t.renewFrom(ctx, current)
	})
}

func (t *Tokens) renewFrom(ctx context.Context, current map[string]string) (map[string]string, error) {
	rt := current[SecretRefresh]
	if rt == "" {
		_, _, rt = t.Current()
	}
	got, err := t.RenewWith(ctx, rt)
	if err != nil {
		return nil, fmt.Errorf("%s: renew token: %w", t.Kind, err)
	}
	next := map[string]string{}
	for k, v := range current {
		next[k] = v
	}
	for k, v := range got {
		next[k] = v
	}
	if next[SecretRefresh] == "" {
		next[SecretRefresh] = rt
	}
	if got[SecretExpiresAt] == "" {
		delete(next, SecretExpiresAt)
	}
	t.Adopt(next)
	return next, nil
}

// ExpiresAt turns an expires_in answer into a stored RFC 3339 time ("" when unknown).
func ExpiresAt(now time.Time, seconds int64) string {
	if seconds <= 0 {
		return ""
	}
	return now.Add(time.Duration(seconds) * time.Second).UTC().Format(time.RFC3339)
}

// PKCE returns a fresh code verifier (RFC 7636, 64 characters) and its S256 challenge.
func PKCE() (verifier, challenge string) {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// PastedTokens reads a connect form's pasted access token (required) and
// refresh token (optional). A refresh token is refused when the operator's
// app, named by flag, is not configured (renewable false): nothing could
// use it. network names the network in the errors ("SoundCloud").
func PastedTokens(input map[string]string, network string, renewable bool, flag string) (map[string]string, error) {
	tok := strings.TrimSpace(input[SecretAccess])
	if tok == "" {
		return nil, valid.Errorf(SecretAccess, "required", "Access token is required when not signing in with %s", network)
	}
	secrets := map[string]string{SecretAccess: tok}
	if rt := strings.TrimSpace(input[SecretRefresh]); rt != "" {
		if !renewable {
			return nil, valid.Errorf(SecretRefresh, "unusable", "A refresh token needs the operator's %s app (%s)", network, flag)
		}
		secrets[SecretRefresh] = rt
	}
	return secrets, nil
}

// AppSlot holds the operator's app of one network, set at start-up and when
// an administrator changes it (Configure), and read by every connect and open.
type AppSlot[T any] struct {
	mu sync.RWMutex
	v  T
}

// Set replaces the app.
func (s *AppSlot[T]) Set(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.v = v
}

// Get returns the app.
func (s *AppSlot[T]) Get() T {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.v
}
