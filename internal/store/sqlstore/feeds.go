package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

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
		var postText, postLink, varText, varLink, media, labels string
		var published sql.NullInt64
		var updated int64
		if err := rows.Scan(&e.PublicationID, &e.PostID, &postText, &postLink, &varText, &varLink, &media, &e.RemoteID, &e.URL, &published, &updated, &labels); err != nil {
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
		if err := json.Unmarshal([]byte(labels), &e.Labels); err != nil {
			return nil, db.Err("channel feed labels", err)
		}
		if len(e.Labels) == 0 {
			e.Labels = nil
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, db.Err("channel feed", err)
	}
	return out, nil
}
