package store

import (
	"context"
	"encoding/json"
	"time"
)

// FeedEntry is one published publication of a website channel, with the
// content it was published with, for the channel's public feeds.
type FeedEntry struct {
	PublicationID int64
	PostID        int64
	// Text and Link are the variant's when set, else the post's.
	Text        string
	Link        string
	Media       json.RawMessage
	Labels      []Label
	RemoteID    string
	URL         string
	PublishedAt time.Time
	UpdatedAt   time.Time
}

// FeedStore reads what a website channel has published.
type FeedStore interface {
	// ChannelFeed lists the channel's published entries, newest first.
	ChannelFeed(ctx context.Context, workspaceID, channelID int64, limit int) ([]FeedEntry, error)
}
