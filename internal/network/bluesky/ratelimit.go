package bluesky

import (
	"net/http"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// rateState remembers the ratelimit-* headers of the PDS's latest answer that
// carried them, so the publishing engine can hold the channel before the PDS
// starts answering 429 RateLimitExceeded.
type rateState struct {
	mu   sync.Mutex
	last network.RateLimit
}

// record keeps the rate limit reported by h. Answers without rate-limit
// headers (routes the PDS does not limit) do not erase what an earlier answer said.
func (s *rateState) record(h http.Header, now time.Time) {
	rl := network.ParseRateLimit(h, now)
	if !rl.Known() {
		return
	}
	s.mu.Lock()
	s.last = rl
	s.mu.Unlock()
}

func (s *rateState) get() network.RateLimit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// RateLimit returns the rate limit the PDS reported in its latest answer (zero
// until one carried ratelimit-* headers); the publishing engine holds the
// channel until Reset when nothing remains. Answers of the public AppView,
// which limits by address rather than by account, are not counted.
func (c *Connector) RateLimit() network.RateLimit { return c.cl.rate.get() }
