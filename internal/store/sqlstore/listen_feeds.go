package sqlstore

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

// CreateListenFeed stores a website feed and sets its ID.
func (db *DB) CreateListenFeed(ctx context.Context, f *store.ListenFeed) error {
	if f.CreatedAt.IsZero() {
		f.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateListenFeed"), f.WorkspaceID, f.URL, MS(f.CreatedAt)).Scan(&f.ID)
	return db.Err("create listen feed", err)
}

func (db *DB) listenFeeds(ctx context.Context, query string, args ...any) ([]store.ListenFeed, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err("listen feeds", err)
	}
	defer rows.Close()
	var out []store.ListenFeed
	for rows.Next() {
		var f store.ListenFeed
		var checked, created int64
		if err := rows.Scan(&f.ID, &f.WorkspaceID, &f.URL, &f.Title, &f.ETag, &f.LastModified, &checked, &f.LastError, &f.Items, &created); err != nil {
			return nil, db.Err("listen feeds", err)
		}
		if checked != 0 {
			f.CheckedAt = Time(checked)
		}
		f.CreatedAt = Time(created)
		out = append(out, f)
	}
	return out, db.Err("listen feeds", rows.Err())
}

// ListenFeeds lists a workspace's feeds.
func (db *DB) ListenFeeds(ctx context.Context, workspaceID int64) ([]store.ListenFeed, error) {
	return db.listenFeeds(ctx, "ListenFeeds", workspaceID)
}

// AllListenFeeds lists every workspace's feeds.
func (db *DB) AllListenFeeds(ctx context.Context) ([]store.ListenFeed, error) {
	return db.listenFeeds(ctx, "AllListenFeeds")
}

// DeleteListenFeed deletes a feed (its mentions stay).
func (db *DB) DeleteListenFeed(ctx context.Context, workspaceID, id int64) error {
	return db.execOne(ctx, "delete listen feed", "DeleteListenFeed", workspaceID, id)
}

// SaveListenFeedCheck records a poll of a feed.
func (db *DB) SaveListenFeedCheck(ctx context.Context, f store.ListenFeed, newItems int64) error {
	var checked int64
	if !f.CheckedAt.IsZero() {
		checked = MS(f.CheckedAt)
	}
	return db.execOne(ctx, "save listen feed check", "SaveListenFeedCheck", f.WorkspaceID, f.ID, f.Title, f.ETag, f.LastModified,
		checked, f.LastError, newItems)
}

// UseHashtag records a hashtag lookup of a channel.
func (db *DB) UseHashtag(ctx context.Context, channelID int64, hashtag string, at, since time.Time) error {
	_, err := db.W.ExecContext(ctx, db.Q("UseHashtag"), channelID, hashtag, MS(at), MS(since))
	return db.Err("use hashtag", err)
}

// HashtagsUsed lists the hashtags a channel first looked up at or after since.
func (db *DB) HashtagsUsed(ctx context.Context, channelID int64, since time.Time) ([]string, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("HashtagsUsed"), channelID, MS(since))
	if err != nil {
		return nil, db.Err("hashtags used", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, db.Err("hashtags used", err)
		}
		out = append(out, h)
	}
	return out, db.Err("hashtags used", rows.Err())
}
