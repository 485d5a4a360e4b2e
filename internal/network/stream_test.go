package network

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBackoffWaitDoublesWithJitterUpToMax(t *testing.T) {
	t.Parallel()
	b := Backoff{Min: time.Second, Max: 8 * time.Second}
	for n, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second} {
		for range 50 {
			w := b.wait(n)
			require.GreaterOrEqual(t, w, want/2, "attempt %d", n)
			require.LessOrEqual(t, w, want, "attempt %d", n)
		}
	}
}

// scripted is a Streamer whose connections fail, then connect and drop.
type scripted struct {
	mu       sync.Mutex
	attempts int
	refuse   int
}

func (s *scripted) Stream(ctx context.Context, _ Stream, connected func(), handle func(StreamEvent)) error {
	s.mu.Lock()
	s.attempts++
	n := s.attempts
	s.mu.Unlock()
	if n <= s.refuse {
		return &Error{Class: Retryable, Message: "refused"}
	}
	connected()
	handle(StreamEvent{Type: "notification", ID: "n"})
	return errors.New("dropped")
}

func TestKeepStreamingReconnectsAndReportsEachConnection(t *testing.T) {
	t.Parallel()
	st := &scripted{refuse: 2}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var connects, downs, events int
	done := make(chan struct{})
	go func() {
		defer close(done)
		KeepStreaming(ctx, st, Stream{Name: "user"}, Backoff{Min: time.Millisecond, Max: 4 * time.Millisecond, Reset: time.Hour},
			func() { mu.Lock(); connects++; mu.Unlock() },
			func(error) { mu.Lock(); downs++; mu.Unlock() },
			func(StreamEvent) {
				mu.Lock()
				events++
				if events == 3 {
					cancel()
				}
				mu.Unlock()
			})
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("KeepStreaming did not stop when its context ended")
	}
	require.Equal(t, 3, connects, "connected once per successful connection")
	require.Equal(t, 5, st.attempts, "two refusals, three connections")
	require.GreaterOrEqual(t, downs, 4)
}
