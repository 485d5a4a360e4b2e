// Package tokens keeps one channel's OAuth 2.0 access and refresh tokens for
// the connectors whose networks renew them with a refresh grant (TikTok,
// Pinterest): renewing ahead of expiry, renewing once after a refused token,
// serialising renewals across instances through network.Env.RefreshLocked
// and saving the new pair before it is used.
package tokens

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Names of the stored secrets.
const (
	Access    = "access_token"
	Refresh   = "refresh_token"
	ExpiresAt = "expires_at"
	// RefreshExpiresAt is when the refresh token itself stops working (TikTok: 365 days).
	RefreshExpiresAt = "refresh_expires_at"
)

// Ahead is how long before its expiry an access token is renewed.
const Ahead = 5 * time.Minute

// Grant trades a refresh token for new secrets (Access, and Refresh and
// ExpiresAt when the network gives them).
type Grant func(ctx context.Context, refreshToken string) (map[string]string, error)

// Keeper holds the current tokens of one channel.
type Keeper struct {
	kind          network.Kind
	now           func() time.Time
	grant         Grant
	save          func(ctx context.Context, secrets map[string]string) error
	refreshLocked func(ctx context.Context, fn func(current map[string]string) (map[string]string, error)) error

	mu      sync.Mutex
	secrets map[string]string
	// renewMu serialises renewals in this process.
	renewMu sync.Mutex
}

// New keeps the stored secrets of a channel of network k; grant renews them
// (nil: they cannot be renewed).
func New(k network.Kind, env network.Env, secrets map[string]string, grant Grant) *Keeper {
	s := make(map[string]string, len(secrets))
	for key, v := range secrets {
		s[key] = v
	}
	return &Keeper{kind: k, now: env.Clock, grant: grant, save: env.SaveSecrets, refreshLocked: env.RefreshLocked, secrets: s}
}

// Secrets returns a copy of the current secrets (what to store).
func (k *Keeper) Secrets() map[string]string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make(map[string]string, len(k.secrets))
	for key, v := range k.secrets {
		if v != "" {
			out[key] = v
		}
	}
	return out
}

// Token returns the current access token.
func (k *Keeper) Token() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.secrets[Access]
}

// Expiry is when the access token expires (zero: unknown).
func (k *Keeper) Expiry() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	t, _ := time.Parse(time.RFC3339, k.secrets[ExpiresAt])
	return t
}

// Renewable reports whether a refresh token and a grant are at hand.
func (k *Keeper) Renewable() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.grant != nil && k.secrets[Refresh] != ""
}

// Do runs call with a valid access token: an expiring token is renewed
// first; a call refused with AuthRefresh renews once and runs again; a
// second refusal, or a refusal with nothing to renew with, is AuthReconnect.
func (k *Keeper) Do(ctx context.Context, call func(access string) error) error {
	access := k.Token()
	if exp := k.Expiry(); k.Renewable() && !exp.IsZero() && k.now().Add(Ahead).After(exp) {
		if err := k.renew(ctx, access); err != nil {
			return err
		}
		access = k.Token()
	}
	err := call(access)
	if network.ClassOf(err) != network.AuthRefresh {
		return err
	}
	if !k.Renewable() {
		return Reconnect(err)
	}
	if err := k.renew(ctx, access); err != nil {
		return err
	}
	if err := call(k.Token()); network.ClassOf(err) == network.AuthRefresh {
		return Reconnect(err)
	} else {
		return err
	}
}

// Reconnect turns an auth error into AuthReconnect: the user must sign in again.
func Reconnect(err error) error {
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.AuthReconnect
	}
	return err
}

// renew trades the refresh token unless another caller (or instance)
// already replaced stale.
func (k *Keeper) renew(ctx context.Context, stale string) error {
	k.renewMu.Lock()
	defer k.renewMu.Unlock()
	if k.Token() != stale {
		return nil
	}
	if k.refreshLocked == nil {
		next, err := k.renewWith(ctx, nil)
		if err != nil {
			return err
		}
		if k.save != nil {
			if err := k.save(ctx, next); err != nil {
				return fmt.Errorf("%s: save renewed tokens: %w", k.kind, err)
			}
		}
		return nil
	}
	return k.refreshLocked(ctx, func(current map[string]string) (map[string]string, error) {
		if tok := current[Access]; tok != "" && tok != stale {
			k.adopt(current)
			return nil, nil
		}
		return k.renewWith(ctx, current)
	})
}

func (k *Keeper) adopt(s map[string]string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.secrets = make(map[string]string, len(s))
	for key, v := range s {
		k.secrets[key] = v
	}
}

func (k *Keeper) renewWith(ctx context.Context, current map[string]string) (map[string]string, error) {
	if current == nil || current[Refresh] == "" {
		current = k.Secrets()
	}
	next, err := k.grant(ctx, current[Refresh])
	if err != nil {
		return nil, fmt.Errorf("%s: renew token: %w", k.kind, err)
	}
	merged := map[string]string{}
	for key, v := range current {
		merged[key] = v
	}
	for key, v := range next {
		merged[key] = v
	}
	k.adopt(merged)
	return merged, nil
}

// Lifetime turns an expires_in answer into a stored RFC 3339 time ("" when unknown).
func Lifetime(now time.Time, seconds int64) string {
	if seconds <= 0 {
		return ""
	}
	return now.Add(time.Duration(seconds) * time.Second).UTC().Format(time.RFC3339)
}

// Verifier returns a fresh PKCE code verifier (RFC 7636, 64 characters).
func Verifier() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Challenge is the S256 code challenge of a verifier.
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
