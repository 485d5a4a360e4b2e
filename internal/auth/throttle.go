package auth

import (
	"sync"
	"time"
)

// Throttle limits failed logins per key (an IP or an account) with a sliding
// budget: Max failures per Window, after which the key is locked until the
// oldest failure leaves the window. It is per process: on PostgreSQL with
// several instances each enforces its own budget, which still bounds guessing.
type Throttle struct {
	Max    int
	Window time.Duration
	mu     sync.Mutex
	fails  map[string][]time.Time
}

// NewThrottle makes a throttle allowing max failures per window.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{Max: max, Window: window, fails: map[string][]time.Time{}}
}

// Allowed reports whether key may try now, and if not, when it may.
func (t *Throttle) Allowed(key string, now time.Time) (bool, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.prune(key, now)
	if len(f) >= t.Max {
		return false, f[0].Add(t.Window)
	}
	return true, time.Time{}
}

// Fail records a failed attempt.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fails[key] = append(t.prune(key, now), now)
	if len(t.fails) > 100_000 {
		// Bound memory under a spray of distinct keys: forget the oldest half.
		for k, v := range t.fails {
			if len(v) == 0 || now.Sub(v[len(v)-1]) > t.Window/2 {
				delete(t.fails, k)
			}
		}
	}
}

// Reset forgets a key's failures (after a successful login).
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

func (t *Throttle) prune(key string, now time.Time) []time.Time {
	f := t.fails[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= t.Window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(t.fails, key)
	} else {
		t.fails[key] = f
	}
	return f
}
