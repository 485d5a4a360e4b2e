package contest

import (
	"context"
	"time"
)

// Limiter is a token bucket per network block (IPv4 /24, IPv6 /64): Rate
// requests per minute with bursts of Burst, kept in the database so every
// instance draws from the same buckets.
type Limiter struct {
	Rate   float64
	Burst  float64
	Shared Buckets
}

// Buckets are rate buckets shared by every instance.
type Buckets interface {
	TakeRateToken(ctx context.Context, bucket string, perMinute, burst float64, now time.Time) (bool, error)
}

// AllowContext takes a token for block at now; false means over the limit.
func (l *Limiter) AllowContext(ctx context.Context, block string, now time.Time) (bool, error) {
	return l.Shared.TakeRateToken(ctx, block, l.Rate, l.Burst, now)
}
