package oauthtok

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"

	"github.com/relais/relais/internal/valid"
)

// Configured holds the operator's app of one network, set once at start
// (Configure) and read by its provider.
type Configured[T any] struct {
	mu sync.RWMutex
	v  T
}

// Set replaces the app.
func (c *Configured[T]) Set(v T) {
	c.mu.Lock()
	c.v = v
	c.mu.Unlock()
}

// Get returns the app.
func (c *Configured[T]) Get() T {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.v
}

// Pasted reads the access token (required) and refresh token (optional,
// usable only with the operator's client id) of a connect form; network
// and flag name them in the errors ("SoundCloud", "--soundcloud-client-id").
func Pasted(input map[string]string, clientID, network, flag string) (map[string]string, error) {
	tok := strings.TrimSpace(input[SecretAccess])
	if tok == "" {
		return nil, valid.Errorf(SecretAccess, "required", "Access token is required when not signing in on %s", network)
	}
	secrets := map[string]string{SecretAccess: tok}
	if rt := strings.TrimSpace(input[SecretRefresh]); rt != "" {
		if clientID == "" {
			return nil, valid.Errorf(SecretRefresh, "unusable", "A refresh token needs the operator's %s app (%s)", network, flag)
		}
		secrets[SecretRefresh] = rt
	}
	return secrets, nil
}

// PKCE returns a fresh verifier and its S256 challenge.
func PKCE() (verifier, challenge string) {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}
