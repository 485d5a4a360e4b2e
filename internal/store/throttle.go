package store

import (
	"context"
	"time"
)

// ThrottleStore keeps what every instance sharing the database must know of a
// channel's network limits, so that N instances together stay within one
// account's allowance: rate-limit holds and the daily-cap check.
type ThrottleStore interface {
	// ThrottleChannel holds the channel until the time (a rate limit's reset);
	// an earlier time never shortens a hold already recorded.
	ThrottleChannel(ctx context.Context, channelID int64, until time.Time) error
	// ChannelThrottles returns the holds of the channels that last beyond now.
	ChannelThrottles(ctx context.Context, channelIDs []int64, now time.Time) (map[int64]time.Time, error)
	// MarkPublishingCapped is MarkPublishing for publications of one channel
	// with a daily cap: holding the channel's lock, it counts what was
	// published or is publishing since the time and moves to publishing only
	// as many refs, in their order, as the cap still allows. It returns the
	// ids moved and the refs left staged because the cap was reached.
	MarkPublishingCapped(ctx context.Context, channelID int64, dailyCap int, since time.Time, refs []ClaimRef, leaseUntil, now time.Time) (marked []int64, over []ClaimRef, err error)
}

// ChannelLockStore serialises changes to a channel's secrets across instances.
type ChannelLockStore interface {
	// LockChannelSecrets runs fn with the channel's sealed secrets as stored
	// now, holding the channel's row lock (PostgreSQL: SELECT … FOR UPDATE;
	// SQLite: the write transaction), and saves what fn returns (nil: keep
	// them) before releasing it. Another instance calling it for the same
	// channel waits, then reads what fn saved: a single-use refresh token is
	// used once. fn must not write to the store itself; its error is returned as is.
	LockChannelSecrets(ctx context.Context, workspaceID, id int64, fn func(enc []byte) ([]byte, error), now time.Time) error
}
