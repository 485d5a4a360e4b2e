package sqlstore

import (
	"context"
	"database/sql"

	"github.com/relais/relais/internal/store"
)

// ChannelFeed lists a channel's published entries, newest first.
func (db *DB) ChannelFeed(ctx context.Context, workspaceID, channelID int64, limit int) ([]store.FeedEntry, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("ChannelFeed"), workspaceID, channelID, limit)
	if err != nil {
		return nil, db.Err("channel feed", err)
	}
	defer rows.Close()
	var out []store.FeedEntry
	for rows.Next() {
		var e store.FeedEntry
		var postText, postLink, varText, varLink, media string
		var published sql.NullInt64
		var updated int64
		if err := rows.Scan(&e.PublicationID, &e.PostID, &postText, &postLink, &varText, &varLink, &media, &e.RemoteID, &e.URL, &published, &updated); err != nil {
			return nil, db.Err("channel feed", err)
		}
		e.Text, e.Link = varText, varLink
		if e.Text == "" {
			e.Text = postText
		}
		if e.Link == "" {
			e.Link = postLink
		}
		e.Media = []byte(media)
		if published.Valid {
			e.PublishedAt = Time(published.Int64)
		}
		e.UpdatedAt = Time(updated)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, db.Err("channel feed", err)
	}
	for i := range out {
		labels, err := db.postLabels(ctx, out[i].PostID)
		if err != nil {
			return nil, err
		}
		out[i].Labels = labels
	}
	return out, nil
}

func (db *DB) postLabels(ctx context.Context, postID int64) ([]store.Label, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("FeedPostLabels"), postID)
	if err != nil {
		return nil, db.Err("post labels", err)
	}
	defer rows.Close()
	var out []store.Label
	for rows.Next() {
		var l store.Label
		if err := rows.Scan(&l.Key, &l.Value); err != nil {
			return nil, db.Err("post labels", err)
		}
		out = append(out, l)
	}
	return out, db.Err("post labels", rows.Err())
}
