package network

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Names of the OAuth secrets a channel stores.
const (
	SecretAccessToken  = "access_token"
	SecretRefreshToken = "refresh_token"
	SecretExpiresAt    = "expires_at"
)

// OAuthTokens holds one account's OAuth 2.0 tokens and renews them one
// renewal at a time: a renewal that another caller, or another instance
// holding the channel's lock (Env.RefreshLocked), already made is adopted
// instead of repeated, and the new tokens are saved before they are used
// (a rotating refresh token stops working once used).
type OAuthTokens struct {
	// Grant trades a refresh token for the next secrets (its access_token,
	// refresh_token when a new one came, expires_at).
	Grant func(ctx context.Context, refreshToken string) (map[string]string, error)
	// Save and RefreshLocked are the host's (Env.SaveSecrets, Env.RefreshLocked).
	Save          func(ctx context.Context, secrets map[string]string) error
	RefreshLocked func(ctx context.Context, fn func(current map[string]string) (map[string]string, error)) error

	mu      sync.Mutex
	access  string
	refresh string
	expires time.Time
	renewMu sync.Mutex
}

// NewOAuthTokens starts from stored secrets, renewing with grant and saving through env.
func NewOAuthTokens(secrets map[string]string, env Env, grant func(ctx context.Context, refreshToken string) (map[string]string, error)) *OAuthTokens {
	t := &OAuthTokens{Grant: grant, Save: env.SaveSecrets, RefreshLocked: env.RefreshLocked}
	t.Adopt(secrets)
	return t
}

// Current returns the access token, its expiry (zero: unknown) and the refresh token.
func (t *OAuthTokens) Current() (access string, expires time.Time, refresh string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.access, t.expires, t.refresh
}

// Secrets returns the tokens as stored secrets.
func (t *OAuthTokens) Secrets() map[string]string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := map[string]string{SecretAccessToken: t.access}
	if t.refresh != "" {
		s[SecretRefreshToken] = t.refresh
	}
	if !t.expires.IsZero() {
		s[SecretExpiresAt] = t.expires.UTC().Format(time.RFC3339)
	}
	return s
}

// Adopt takes secrets as the current tokens.
func (t *OAuthTokens) Adopt(s map[string]string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.access, t.refresh, t.expires = s[SecretAccessToken], s[SecretRefreshToken], time.Time{}
	if e, err := time.Parse(time.RFC3339, s[SecretExpiresAt]); err == nil {
		t.expires = e
	}
}

// Renew trades the refresh token for new tokens unless stale (the access
// token the caller saw refused or expiring) was already replaced.
func (t *OAuthTokens) Renew(ctx context.Context, stale string) error {
	t.renewMu.Lock()
	defer t.renewMu.Unlock()
	if cur, _, _ := t.Current(); cur != stale {
		return nil
	}
	if t.RefreshLocked == nil {
		next, err := t.renewWith(ctx, "")
		if err != nil {
			return err
		}
		if t.Save != nil {
			if err := t.Save(ctx, next); err != nil {
				return fmt.Errorf("network: save renewed tokens: %w", err)
			}
		}
		return nil
	}
	return t.RefreshLocked(ctx, func(current map[string]string) (map[string]string, error) {
		if tok := current[SecretAccessToken]; tok != "" && tok != stale {
			t.Adopt(current)
			return nil, nil
		}
		return t.renewWith(ctx, current[SecretRefreshToken])
	})
}

func (t *OAuthTokens) renewWith(ctx context.Context, rt string) (map[string]string, error) {
	if rt == "" {
		_, _, rt = t.Current()
	}
	next, err := t.Grant(ctx, rt)
	if err != nil {
		return nil, err
	}
	if next[SecretRefreshToken] == "" {
		next[SecretRefreshToken] = rt
	}
	t.Adopt(next)
	return next, nil
}
