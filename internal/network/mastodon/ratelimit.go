package mastodon

import (
	"net/http"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// rateState remembers the X-RateLimit-* headers of the instance's latest
// answer that carried them, so the publishing engine can hold the channel
// before the instance starts answering 429.
type rateState struct {
	mu   sync.Mutex
	last network.RateLimit
}

// record keeps the rate limit reported by h. Answers without rate-limit
// headers (some endpoints and proxies omit them) do not erase what an earlier
// answer said. A nil state records nothing (calls made before a channel exists).
func (s *rateState) record(h http.Header, now time.Time) {
	if s == nil {
		return
	}
	rl := network.ParseRateLimit(h, now)
	if !rl.Known() {
		return
	}
	s.mu.Lock()
	s.last = rl
	s.mu.Unlock()
}

func (s *rateState) get() network.RateLimit {
	if s == nil {
		return network.RateLimit{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// RateLimit returns the rate limit the instance reported in its latest answer
// (zero until one carried X-RateLimit-* headers); the publishing engine holds
// the channel until Reset when nothing remains.
func (c *Connector) RateLimit() network.RateLimit { return c.api.rate.get() }
