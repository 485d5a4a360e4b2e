package network

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Stream names a live stream of a network's events. Name is the network's
// stream ("user", "user:notification", "public", "public:local", "hashtag",
// "list", "direct" on Mastodon); Tag is the hashtag of a hashtag stream and
// List the list id of a list stream.
type Stream struct {
	Name, Tag, List string
}

// StreamEvent is one event read from a stream.
type StreamEvent struct {
	// Type is the network's event name ("notification", "update", "delete",
	// "status.update" on Mastodon).
	Type string
	// Notification is a notification event's type ("mention", "favourite", …).
	Notification string
	// ID is the notification's id, or the status id of a status event.
	ID string
	// Comment is the status the event carries, when it carries one.
	Comment *Comment
	// Data holds what the network's own package reads from the event beyond
	// Comment (Mastodon: a public status of an "update" as a
	// mastodon.PublicPost, for listening); nil otherwise.
	Data any
}

// Streamer is implemented by connectors that push events over a long-lived
// connection (Mastodon's streaming API). Polling stays the fallback: a caller
// keeps polling channels whose stream is not connected.
type Streamer interface {
	// Stream opens the stream, calls connected once it is open, then handle
	// for each event (one at a time) until ctx ends or the connection drops.
	// It returns why it ended: ctx's error when ctx ended, else the failure.
	Stream(ctx context.Context, s Stream, connected func(), handle func(StreamEvent)) error
}

// Backoff spaces reconnections: the wait doubles from Min to Max after each
// failure, with jitter (a random half of it), and starts again from Min once a
// connection stayed up for Reset.
type Backoff struct {
	Min, Max, Reset time.Duration
}

// DefaultStreamBackoff is how streams reconnect: from 1 s up to 2 min, reset
// after a minute connected.
var DefaultStreamBackoff = Backoff{Min: time.Second, Max: 2 * time.Minute, Reset: time.Minute}

// wait is the n-th wait (n from 0): Min·2ⁿ capped at Max, between half of it
// and all of it.
func (b Backoff) wait(n int) time.Duration {
	d := b.Min
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// KeepStreaming runs a stream until ctx ends, reconnecting after each drop or
// failed attempt with b's backoff and jitter. connected is called after each
// successful (re)connection, so the caller can poll once to catch up on what
// it missed while disconnected; down is called (with the error) each time the
// stream ends. Either may be nil.
func KeepStreaming(ctx context.Context, st Streamer, s Stream, b Backoff, connected func(), down func(error), handle func(StreamEvent)) {
	if b.Min <= 0 {
		b = DefaultStreamBackoff
	}
	failures := 0
	for ctx.Err() == nil {
		var since time.Time
		err := st.Stream(ctx, s, func() {
			since = time.Now()
			if connected != nil {
				connected()
			}
		}, handle)
		if ctx.Err() != nil {
			return
		}
		if down != nil {
			down(err)
		}
		if !since.IsZero() && time.Since(since) >= b.Reset {
			failures = 0
		}
		var ne *Error
		if errors.As(err, &ne) && (ne.Class == AuthReconnect || ne.Class == Permanent || ne.Class == InvalidContent) {
			// The token or the stream was refused: trying again soon would
			// be refused again, so wait the longest.
			failures = max(failures, 30)
		}
		t := time.NewTimer(b.wait(failures))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		failures++
	}
}
