package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// local runs the periodic jobs in this process on timers. It is the SQLite
// runner: a SQLite data directory is locked by one `relais serve` (see
// internal/app), so there is no other instance to elect a leader among, and a
// sleeping timer costs nothing while River's upkeep (leader election,
// producer, scheduler) queried the database every few seconds, which was
// most of an idle server's CPU. See docs/decisions.md.
type local struct {
	periodic []Periodic
	log      *slog.Logger
	timeout  time.Duration

	mu      sync.Mutex
	ran     map[string]int
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	started bool
}

// NewLocal runs the periodic jobs in this process: each at start, then every
// interval after the end of its previous run; a failed run is retried after a
// growing wait (1 s, 16 s, 81 s, … as River does), never later than its interval.
func NewLocal(periodic []Periodic, log *slog.Logger) (Runner, error) {
	if err := checkPeriodic(periodic); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	return &local{periodic: periodic, log: log.With("component", "jobs"), timeout: 5 * time.Minute, ran: map[string]int{}}, nil
}

func checkPeriodic(periodic []Periodic) error {
	seen := map[string]bool{}
	for _, p := range periodic {
		if p.Name == "" || p.Every <= 0 || p.Run == nil {
			return errors.New("jobs: a periodic job needs a name, an interval and a function")
		}
		if seen[p.Name] {
			return fmt.Errorf("jobs: two periodic jobs are named %q", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

func (l *local) Start(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		return errors.New("jobs: already started")
	}
	l.started = true
	ctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	for _, p := range l.periodic {
		l.wg.Add(1)
		go l.loop(ctx, p)
	}
	return nil
}

func (l *local) loop(ctx context.Context, p Periodic) {
	defer l.wg.Done()
	failures := 0
	for {
		wait := p.Every
		if err := l.runOnce(ctx, p); err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			wait = min(retryWait(failures), p.Every)
			l.log.Warn("periodic job failed", "job", p.Name, "err", err, "retry_in", wait)
		} else {
			failures = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// retryWait is River's default backoff: attempt⁴ seconds.
func retryWait(attempt int) time.Duration {
	a := time.Duration(min(attempt, 20))
	return a * a * a * a * time.Second
}

func (l *local) runOnce(ctx context.Context, p Periodic) (err error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jobs: %s panicked: %v", p.Name, r)
		}
	}()
	if err := p.Run(ctx); err != nil {
		return err
	}
	l.mu.Lock()
	l.ran[p.Name]++
	l.mu.Unlock()
	return nil
}

// Stop cancels running jobs and waits for them to return, or for ctx to end.
func (l *local) Stop(ctx context.Context) error {
	l.mu.Lock()
	cancel := l.cancel
	l.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jobs: stop: %w", ctx.Err())
	}
}

func (l *local) Ran(name string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ran[name]
}
