package network

import (
	"context"
	"encoding/json"
	"sync"
)

// Progress keeps what one publication has done so far on a network (an
// upload session, the remote video, the follow-up steps) as JSON under
// "<prefix>:<idempotency key>": in memory, and durably through the host's
// checkpoints (Env.Checkpoint) when it has them, so that a retry after a
// crash resumes instead of starting again. An empty key keeps nothing.
type Progress[T any] struct {
	Env    Env
	Kind   Kind
	Prefix string
	mem    sync.Map
}

// Load returns what is recorded under key (the zero T: nothing).
func (p *Progress[T]) Load(ctx context.Context, key string) (T, error) {
	var v T
	if key == "" {
		return v, nil
	}
	if m, ok := p.mem.Load(key); ok {
		return m.(T), nil
	}
	if p.Env.Checkpoint == nil {
		return v, nil
	}
	s, err := p.Env.Checkpoint(ctx, p.Prefix+":"+key)
	if err != nil {
		return v, &Error{Class: Retryable, Network: p.Kind, Message: "could not read the publication's checkpoint", Err: err}
	}
	if s != "" {
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return v, &Error{Class: Permanent, Network: p.Kind, Message: "the publication's checkpoint is unreadable", Err: err}
		}
	}
	return v, nil
}

// Save records v under key before the step it enables; a failure stops
// the publish, since what is not recorded could not be resumed.
func (p *Progress[T]) Save(ctx context.Context, key string, v T) error {
	if key == "" {
		return nil
	}
	p.mem.Store(key, v)
	if p.Env.SetCheckpoint == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return &Error{Class: Permanent, Network: p.Kind, Message: "could not encode the publication's progress", Err: err}
	}
	if err := p.Env.SetCheckpoint(ctx, p.Prefix+":"+key, string(b)); err != nil {
		return &Error{Class: Retryable, Network: p.Kind, Message: "could not record the publication's progress", Err: err}
	}
	return nil
}
