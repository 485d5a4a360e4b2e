package auth

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy says every password-hashing slot stayed taken for the whole wait:
// the server answers 503 rather than queue without bound.
var ErrBusy = errors.New("auth: too many sign-ins at once; try again in a few seconds")

// HashGate bounds how many argon2id computations run at once. Each takes
// argonMemory (64 MiB): without a bound, parallel sign-ins with wrong
// passwords exhaust the server's memory, no account needed.
type HashGate struct {
	slots  chan struct{}
	wait   time.Duration
	inUse  atomic.Int64
	peak   atomic.Int64
	served atomic.Int64
}

// DefaultHashWait is how long a sign-in queues for a hashing slot.
const DefaultHashWait = 10 * time.Second

// NewHashGate allows n hashes at once (the core count when n < 1); a caller
// waits at most wait for a slot.
func NewHashGate(n int, wait time.Duration) *HashGate {
	if n < 1 {
		n = runtime.NumCPU()
	}
	return &HashGate{slots: make(chan struct{}, n), wait: wait}
}

// Do runs fn in a slot, or returns ErrBusy when none frees up in time.
func (g *HashGate) Do(ctx context.Context, fn func()) error {
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		return ErrBusy
	case <-ctx.Done():
		return ErrBusy
	}
	defer func() { <-g.slots }()
	n := g.inUse.Add(1)
	defer g.inUse.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	g.served.Add(1)
	fn()
	return nil
}

// Peak is the largest number of hashes that ran at once.
func (g *HashGate) Peak() int { return int(g.peak.Load()) }

// Served counts the hashes computed.
func (g *HashGate) Served() int { return int(g.served.Load()) }

// Slots is the number of hashes allowed at once.
func (g *HashGate) Slots() int { return cap(g.slots) }

func (g *HashGate) hash(ctx context.Context, password string) (h string, err error) {
	if gerr := g.Do(ctx, func() { h, err = HashPassword(password) }); gerr != nil {
		return "", gerr
	}
	return h, err
}

func (g *HashGate) check(ctx context.Context, hash, password string) (ok bool, err error) {
	if gerr := g.Do(ctx, func() { ok, err = CheckPassword(hash, password) }); gerr != nil {
		return false, gerr
	}
	return ok, err
}
