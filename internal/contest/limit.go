package contest

import (
	"sync"
	"time"
)

// Limiter is a token bucket per network block (IPv4 /24, IPv6 /64): Rate
// requests per minute with bursts of Burst.
type Limiter struct {
	Rate  float64
	Burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// Allow takes a token for block at now; false means over the limit.
func (l *Limiter) Allow(block string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b := l.buckets[block]
	if b == nil {
		if len(l.buckets) > 100_000 {
			for k, x := range l.buckets {
				if now.Sub(x.at) > time.Hour {
					delete(l.buckets, k)
				}
			}
		}
		b = &bucket{tokens: l.Burst, at: now}
		l.buckets[block] = b
	}
	b.tokens = min(l.Burst, b.tokens+now.Sub(b.at).Minutes()*l.Rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
