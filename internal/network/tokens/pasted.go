package tokens

import (
	"strings"
	"sync"

	"github.com/relais/relais/internal/valid"
)

// Pasted reads a connect form's pasted access_token and optional
// refresh_token. A refresh token is refused when the operator's app, named
// by flag, is not configured (renewable false): nothing could use it.
func Pasted(input map[string]string, network string, renewable bool, flag string) (map[string]string, error) {
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return nil, valid.Errorf("access_token", "required", "Access token is required when not signing in with %s", network)
	}
	secrets := map[string]string{Access: tok}
	if rt := strings.TrimSpace(input["refresh_token"]); rt != "" {
		if !renewable {
			return nil, valid.Errorf("refresh_token", "unusable", "A refresh token needs the operator's %s app (%s)", network, flag)
		}
		secrets[Refresh] = rt
	}
	return secrets, nil
}

// Slot holds the operator's app of a provider, set at start-up (Configure)
// and read by every connect and open.
type Slot[T any] struct {
	mu sync.RWMutex
	v  T
}

// Set replaces the app.
func (s *Slot[T]) Set(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.v = v
}

// Get returns the app, or own when it is not nil (a provider built with its own app).
func (s *Slot[T]) Get(own *T) T {
	if own != nil {
		return *own
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.v
}
