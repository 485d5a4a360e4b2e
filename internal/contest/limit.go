package contest

import (
	"context"
	"sync"
	"time"
)

// Limiter is a token bucket per network block (IPv4 /24, IPv6 /64): Rate
// requests per minute with bursts of Burst.
type Limiter struct {
	Rate  float64
	Burst float64
	// Shared, when set, keeps the buckets in the database so every instance
	// draws from the same ones; nil keeps them in this process.
	Shared Buckets

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// Buckets are rate buckets shared by every instance.
type Buckets interface {
	TakeRateToken(ctx context.Context, bucket string, perMinute, burst float64, now time.Time) (bool, error)
}

// AllowContext takes a token for block at now from the shared buckets (or
// this process's); false means over the limit.
func (l *Limiter) AllowContext(ctx context.Context, block string, now time.Time) (bool, error) {
	if l.Shared != nil {
		return l.Shared.TakeRateToken(ctx, block, l.Rate, l.Burst, now)
	}
	return l.Allow(block, now), nil
}

// Allow takes a token for block at now from this process's buckets; false means over the limit.
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
