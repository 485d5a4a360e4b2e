package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/relais/relais/internal/store"
)

// InboxWorkspaces lists the workspaces that received inbox messages since the time.
func (db *DB) InboxWorkspaces(ctx context.Context, since time.Time) ([]int64, error) {
	return collect(ctx, db, "inbox workspaces", "InboxWorkspaces", func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, MS(since))
}

// HourlyMessageCounts counts a workspace's messages per UTC hour.
func (db *DB) HourlyMessageCounts(ctx context.Context, workspaceID int64, sentiment string, from, to time.Time) ([]store.HourCount, error) {
	return collect(ctx, db, "hourly inbox counts", "HourlyMessageCounts", func(r scanner) (store.HourCount, error) {
		var hour int64
		var c store.HourCount
		err := r.Scan(&hour, &c.Count)
		c.Hour = time.Unix(hour*3600, 0).UTC()
		return c, err
	}, workspaceID, sentiment, MS(from), MS(to))
}

// ResponseRecords lists the messages received in [from, to) with their first sent reply.
func (db *DB) ResponseRecords(ctx context.Context, workspaceID int64, from, to time.Time) ([]store.ResponseRecord, error) {
	return collect(ctx, db, "inbox response records", "ResponseRecords", func(r scanner) (store.ResponseRecord, error) {
		var rec store.ResponseRecord
		var received int64
		var first sql.NullInt64
		err := r.Scan(&rec.MessageID, &rec.ChannelID, &received, &first, &rec.Responder)
		rec.ReceivedAt, rec.FirstReplyAt = Time(received), TimePtr(first)
		return rec, err
	}, workspaceID, MS(from), MS(to))
}

// AuthorWroteBefore reports whether the author has an earlier message in the workspace.
func (db *DB) AuthorWroteBefore(ctx context.Context, workspaceID int64, network, handle string, beforeID int64) (bool, error) {
	var found bool
	err := db.R.QueryRowContext(ctx, db.Q("AuthorWroteBefore"), workspaceID, network, handle, beforeID).Scan(&found)
	return found, db.Err("author wrote before", err)
}

// sinceMS is a lower bound in milliseconds (zero time: 0, everything).
func sinceMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return MS(t)
}

// UnansweredCriticism lists negative messages without a reply, oldest first.
func (db *DB) UnansweredCriticism(ctx context.Context, workspaceID, channelID int64, since time.Time, limit int) ([]store.Message, error) {
	if limit <= 0 {
		limit = 100
	}
	return db.messages(ctx, "unanswered criticism", "UnansweredCriticism", workspaceID, channelID, sinceMS(since), limit)
}

// UnansweredCriticismCounts counts negative messages without a reply per channel.
func (db *DB) UnansweredCriticismCounts(ctx context.Context, workspaceID int64, since time.Time) ([]store.CriticismCount, error) {
	return collect(ctx, db, "unanswered criticism counts", "UnansweredCriticismCounts", func(r scanner) (store.CriticismCount, error) {
		var c store.CriticismCount
		var oldest int64
		err := r.Scan(&c.ChannelID, &c.Count, &oldest)
		c.Oldest = Time(oldest)
		return c, err
	}, workspaceID, sinceMS(since))
}

// MessageByRemoteID reads the channel's message with the remote id.
func (db *DB) MessageByRemoteID(ctx context.Context, workspaceID, channelID int64, remoteID string) (store.Message, error) {
	m, err := scanMessage(db.R.QueryRowContext(ctx, db.Q("MessageByRemoteID"), workspaceID, channelID, remoteID))
	return m, db.Err("read inbox message by remote id", err)
}
