// Package checkpoint keeps a connector's small facts about a publication
// (TikTok's publish_id, the moment a Pinterest pin was sent) through the
// host's durable checkpoints (network.Env.Checkpoint), so that a retry after
// a crash resumes what the last attempt started; without them, in memory.
package checkpoint

import (
	"context"
	"sync"

	"github.com/relais/relais/internal/network"
)

// Log reads and writes one connector's checkpoints.
type Log struct {
	env  network.Env
	kind network.Kind
	mu   sync.Mutex
	mem  map[string]string
}

// New keeps checkpoints of network k through env.
func New(k network.Kind, env network.Env) *Log { return &Log{env: env, kind: k} }

// Get reads the value under key ("" when none); a failed read is retryable.
func (l *Log) Get(ctx context.Context, key string) (string, error) {
	if l.env.Checkpoint == nil {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.mem[key], nil
	}
	v, err := l.env.Checkpoint(ctx, key)
	if err != nil {
		return "", &network.Error{Class: network.Retryable, Network: l.kind, Message: "could not read the publication's checkpoint", Err: err}
	}
	return v, nil
}

// Set records value under key; a failed write is retryable (what is not
// recorded would not be resumed).
func (l *Log) Set(ctx context.Context, key, value string) error {
	if l.env.SetCheckpoint == nil {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.mem == nil {
			l.mem = map[string]string{}
		}
		l.mem[key] = value
		return nil
	}
	if err := l.env.SetCheckpoint(ctx, key, value); err != nil {
		return &network.Error{Class: network.Retryable, Network: l.kind, Message: "could not record the publication's checkpoint", Err: err}
	}
	return nil
}

// Memory is a host's checkpoint store in memory, shared by the connectors
// a test opens one after the other (a restart).
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

// Env returns e with its checkpoints kept in m.
func (m *Memory) Env(e network.Env) network.Env {
	e.Checkpoint = func(_ context.Context, k string) (string, error) { return m.Value(k), nil }
	e.SetCheckpoint = func(_ context.Context, k, v string) error {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.m == nil {
			m.m = map[string]string{}
		}
		m.m[k] = v
		return nil
	}
	return e
}

// Value reads what is recorded under k.
func (m *Memory) Value(k string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[k]
}

// Put records v under k, as an earlier attempt would have.
func (m *Memory) Put(k, v string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]string{}
	}
	m.m[k] = v
}
