package network

import (
	"context"
	"sync"
	"time"
)

// AttemptLog remembers when the create call of a publication (by its
// idempotency key) was first sent: in memory, and durably through the
// host's checkpoints when it keeps them (Env.Checkpoint). A network without
// an idempotency key can then make a retry safe — after an unknown outcome
// or a crash, the connector looks for the post made since that time before
// it creates another.
type AttemptLog struct {
	env  Env
	kind Kind
	mu   sync.Mutex
	m    map[string]time.Time
}

// NewAttemptLog keeps the attempts of network k's publications for env's channel.
func NewAttemptLog(k Kind, env Env) *AttemptLog {
	return &AttemptLog{env: env, kind: k, m: map[string]time.Time{}}
}

func attemptKey(key string) string { return "attempt:" + key }

// Started returns when an earlier attempt under key began (zero: none, or no key).
func (l *AttemptLog) Started(ctx context.Context, key string) (time.Time, error) {
	if key == "" {
		return time.Time{}, nil
	}
	l.mu.Lock()
	t, ok := l.m[key]
	l.mu.Unlock()
	if ok || l.env.Checkpoint == nil {
		return t, nil
	}
	v, err := l.env.Checkpoint(ctx, attemptKey(key))
	if err != nil {
		return time.Time{}, &Error{Class: Retryable, Network: l.kind, Message: "could not read the publication's checkpoint", Err: err}
	}
	t, _ = time.Parse(time.RFC3339Nano, v)
	return t, nil
}

// Start records at under key before the create call; a failure to record
// stops the publish (a crash after it could not be checked).
func (l *AttemptLog) Start(ctx context.Context, key string, at time.Time) error {
	if key == "" {
		return nil
	}
	l.mu.Lock()
	l.m[key] = at
	l.mu.Unlock()
	if l.env.SetCheckpoint == nil {
		return nil
	}
	if err := l.env.SetCheckpoint(ctx, attemptKey(key), at.UTC().Format(time.RFC3339Nano)); err != nil {
		return &Error{Class: Retryable, Network: l.kind, Message: "could not record the publish attempt", Err: err}
	}
	return nil
}
