package network

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Names of the stored secrets of an OAuth 2.0 token pair (SecretExpiresAt
// is declared with OAuthTokens).
const (
	SecretAccess  = "access_token"
	SecretRefresh = "refresh_token"
)

// Tokens holds a connector's OAuth 2.0 access token and, when the network
// gives one, its refresh token; it renews the pair ahead of expiry or after
// a 401, once per stale token (a refresh token may work only once), saves
// the new pair before it is used, and under Env.RefreshLocked lets another
// instance's renewal win.
type Tokens struct {
	// Kind names the network in errors.
	Kind Kind
	// RenewWith trades a refresh token for new secrets (SecretAccess, and
	// SecretRefresh and SecretExpiresAt when the network sends them).
	RenewWith func(ctx context.Context, refresh string) (map[string]string, error)
	// Ahead renews the access token this long before it expires.
	Ahead time.Duration

	env       Env
	mu        sync.Mutex
	secrets   map[string]string
	refreshMu sync.Mutex
}

// NewTokens holds the stored secrets for env's channel.
func NewTokens(k Kind, env Env, secrets map[string]string, renew func(context.Context, string) (map[string]string, error)) *Tokens {
	s := map[string]string{}
	for k, v := range secrets {
		s[k] = v
	}
	return &Tokens{Kind: k, RenewWith: renew, Ahead: 2 * time.Minute, env: env, secrets: s}
}

// Secrets returns a copy of the current secrets.
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
		return asReconnect(err)
	}
	if err := t.Renew(ctx, access); err != nil {
		return err
	}
	access, _, _ = t.Current()
	if err := send(access); ClassOf(err) == AuthRefresh {
		return asReconnect(err)
	} else {
		return err
	}
}

func asReconnect(err error) error {
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
			t.adopt(current)
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
	t.adopt(next)
	return next, nil
}

func (t *Tokens) adopt(s map[string]string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.secrets = map[string]string{}
	for k, v := range s {
		t.secrets[k] = v
	}
}

// ExpiresAt turns an expires_in answer into a stored RFC 3339 time ("" when unknown).
func ExpiresAt(now time.Time, seconds int64) string {
	if seconds <= 0 {
		return ""
	}
	return now.Add(time.Duration(seconds) * time.Second).UTC().Format(time.RFC3339)
}
