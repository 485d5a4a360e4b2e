package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/relais/relais/internal/store"
)

// ThrottleChannel records a rate-limit hold every instance sees.
func (db *DB) ThrottleChannel(ctx context.Context, channelID int64, until time.Time) error {
	_, err := db.W.ExecContext(ctx, db.Q("ThrottleChannel"), channelID, MS(until))
	return db.Err("throttle channel", err)
}

// ChannelThrottles reads the holds of the channels that last beyond now.
func (db *DB) ChannelThrottles(ctx context.Context, channelIDs []int64, now time.Time) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(channelIDs) == 0 {
		return out, nil
	}
	var rows *sql.Rows
	st, err := db.Prepared(ctx, db.R, "ChannelThrottles")
	if err == nil && st != nil {
		rows, err = st.QueryContext(ctx, idList(uniq(channelIDs)), MS(now))
	} else if err == nil {
		rows, err = db.R.QueryContext(ctx, db.Q("ChannelThrottles"), idList(uniq(channelIDs)), MS(now))
	}
	if err != nil {
		return nil, db.Err("read channel throttles", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch, until int64
		if err := rows.Scan(&ch, &until); err != nil {
			return nil, db.Err("read channel throttles", err)
		}
		out[ch] = Time(until)
	}
	return out, db.Err("read channel throttles", rows.Err())
}

// MarkPublishingCapped marks a channel's publications within its daily cap,
// holding the channel's throttle row so that instances take turns.
func (db *DB) MarkPublishingCapped(ctx context.Context, channelID int64, dailyCap int, since time.Time, refs []store.ClaimRef,
	leaseUntil, now time.Time) (marked []int64, over []store.ClaimRef, err error) {
	if len(refs) == 0 {
		return nil, nil, nil
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		marked, over = nil, nil
		if _, err := tx.ExecContext(ctx, db.Q("LockChannelThrottle"), channelID); err != nil {
			return db.Err("lock channel throttle", err)
		}
		used := 0
		err := tx.QueryRowContext(ctx, db.Q("PublishedSince"), idList([]int64{channelID}), MS(since)).Scan(new(int64), &used)
		if err != nil && err != sql.ErrNoRows {
			return db.Err("count published", err)
		}
		room := max(dailyCap-used, 0)
		take := refs[:min(room, len(refs))]
		over = refs[len(take):]
		if len(take) == 0 {
			return nil
		}
		marked, err = db.markPublishing(ctx, tx, take, leaseUntil, now)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return marked, over, nil
}

// LockChannelSecrets runs fn on the channel's secrets under its row lock and saves what fn returns.
func (db *DB) LockChannelSecrets(ctx context.Context, workspaceID, id int64, fn func(enc []byte) ([]byte, error), now time.Time) error {
	var fnErr error
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var enc []byte
		if err := tx.QueryRowContext(ctx, db.Q("ChannelSecretsLocked"), workspaceID, id).Scan(&enc); err != nil {
			return db.Err("lock channel secrets", err)
		}
		next, err := fn(enc)
		if err != nil {
			fnErr = err
			return err
		}
		if next == nil {
			return nil
		}
		return db.Err("update channel secrets", Affected(tx.ExecContext(ctx, db.Q("UpdateChannelSecrets"), next, MS(now), workspaceID, id)))
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}
