package link

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relais/relais/internal/store"
)

// ClickWriter stores batches of clicks (store.LinkStore does).
type ClickWriter interface {
	RecordClicks(ctx context.Context, clicks []store.Click) error
}

// Recorder buffers clicks in memory and writes them in batches, one
// transaction each: every Interval, or at once when MaxBatch clicks wait.
// A redirect never waits for the database. What a crash can lose is what
// waits in the buffer: at most Interval's worth of clicks (plus, while the
// database is unreachable, what waits for it to come back). Close writes
// what is left.
type Recorder struct {
	w   ClickWriter
	log *slog.Logger
	// Interval is the longest a click waits before it is written.
	interval time.Duration
	maxBatch int
	// maxBuffered bounds the clicks held while the database fails; more are dropped and counted.
	maxBuffered int

	mu      sync.Mutex
	buf     []store.Click
	kick    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	closed  bool
	written atomic.Int64
	dropped atomic.Int64
}

// RecorderOptions tune a Recorder; zero values take the defaults.
type RecorderOptions struct {
	// Interval is how often the buffer is written (100 ms).
	Interval time.Duration
	// MaxBatch writes at once when this many clicks wait (1,000).
	MaxBatch int
	// MaxBuffered bounds the clicks held in memory while the database fails (100,000).
	MaxBuffered int
	Log         *slog.Logger
}

// NewRecorder starts a recorder writing to w; Close stops it.
func NewRecorder(w ClickWriter, o RecorderOptions) *Recorder {
	if o.Interval <= 0 {
		o.Interval = 100 * time.Millisecond
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 1000
	}
	if o.MaxBuffered <= 0 {
		o.MaxBuffered = 100_000
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	r := &Recorder{w: w, log: o.Log, interval: o.Interval, maxBatch: o.MaxBatch, maxBuffered: o.MaxBuffered,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

// Record queues a click; it never blocks on the database.
func (r *Recorder) Record(c store.Click) {
	r.mu.Lock()
	if r.closed || len(r.buf) >= r.maxBuffered {
		r.mu.Unlock()
		r.dropped.Add(1)
		return
	}
	r.buf = append(r.buf, c)
	full := len(r.buf) >= r.maxBatch
	r.mu.Unlock()
	if full {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

// Written is how many clicks were stored; Dropped how many were not (buffer
// full while the database failed, or recorded after Close).
func (r *Recorder) Written() int64 { return r.written.Load() }

// Dropped is how many clicks were refused.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

func (r *Recorder) run() {
	defer close(r.done)
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-r.kick:
		case <-r.stop:
			r.flush(context.Background())
			return
		}
		r.flush(context.Background())
	}
}

// flush writes the buffer in batches of at most maxBatch; a failed batch
// goes back to the front of the buffer for the next turn.
func (r *Recorder) flush(ctx context.Context) {
	for {
		r.mu.Lock()
		if len(r.buf) == 0 {
			r.mu.Unlock()
			return
		}
		n := min(len(r.buf), r.maxBatch)
		batch := r.buf[:n:n]
		r.buf = append([]store.Click(nil), r.buf[n:]...)
		r.mu.Unlock()
		if err := r.w.RecordClicks(ctx, batch); err != nil {
			r.log.Warn("links: clicks not written yet; retrying", "clicks", len(batch), "err", err)
			r.mu.Lock()
			r.buf = append(batch, r.buf...)
			r.mu.Unlock()
			return
		}
		r.written.Add(int64(len(batch)))
	}
}

// Close stops the recorder after writing what waits (until ctx ends).
func (r *Recorder) Close(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	close(r.stop)
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
