package postgres

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// PublishChannel is the notification channel on which the publications
// table announces new publishing work (migration 00021).
const PublishChannel = "relais_publish"

// Listen holds a connection LISTENing on channel and calls fn for each
// notification, and once after every (re)connection so that nothing sent
// while the connection was down is missed. It reconnects with growing waits
// (up to 30 s) and returns when ctx ends.
func Listen(ctx context.Context, url, channel string, fn func(), log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	wait := time.Second
	for ctx.Err() == nil {
		err := listenOnce(ctx, url, channel, fn, func() { wait = time.Second })
		if ctx.Err() != nil {
			return
		}
		log.Warn("postgres: listen connection lost; reconnecting", "channel", channel, "err", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func listenOnce(ctx context.Context, url, channel string, fn, connected func()) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	connected()
	fn()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return ctx.Err()
			}
			return err
		}
		fn()
	}
}
