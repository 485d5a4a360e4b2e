// Package network owns the connector contract: the small interfaces every
// network connector implements, the optional capabilities detected at run
// time, the declarative limits the composer validates against, and the typed
// errors the publishing engine acts on.
package network

import (
	"context"
	"time"
)

// Kind names a network ("bluesky", "mastodon", "telegram", "website", "webhook", …).
type Kind string

// The network kinds relais knows.
const (
	Bluesky   Kind = "bluesky"
	Mastodon  Kind = "mastodon"
	X         Kind = "x"
	Facebook  Kind = "facebook"
	Instagram Kind = "instagram"
	Threads   Kind = "threads"
	LinkedIn  Kind = "linkedin"
	YouTube   Kind = "youtube"
	Telegram  Kind = "telegram"
	Pinterest Kind = "pinterest"
	TikTok    Kind = "tiktok"
	Tumblr    Kind = "tumblr"
	Website   Kind = "website"
	Webhook   Kind = "webhook"
	Vimeo     Kind = "vimeo"
)

// SoundCloud and Snapchat are kept apart so their longer names leave the
// alignment of the block above alone.
const (
	SoundCloud Kind = "soundcloud"
	Snapchat   Kind = "snapchat"
	// GoogleBusiness is a Google Business Profile location.
	GoogleBusiness Kind = "google_business"
)

// Account identifies the remote account behind a channel.
type Account struct {
	// RemoteID is the network's stable id (a DID, an account id, a chat id).
	RemoteID string
	// Handle is the human-readable name (@user@host, alice.bsky.social, @channel).
	Handle string
	// DisplayName is the account's display name, when the network has one.
	DisplayName string
	// URL is the account's public profile URL, when there is one.
	URL string
	// AvatarURL is the account's avatar, when there is one.
	AvatarURL string
}

// Media is one attachment handed to a connector at publish time.
type Media struct {
	// MIME is the sniffed content type ("image/jpeg", "video/mp4").
	MIME string
	// Data is the bytes to upload (already resized to fit the network's limits).
	Data []byte
	// URL is a public (signed) URL for networks that fetch media themselves.
	URL string
	// AltText describes the media for people who cannot see it.
	AltText string
	// Width and Height are the pixel dimensions, 0 when unknown.
	Width, Height int
}

// Part is one post of a thread (a single post is a thread of one part).
type Part struct {
	Text  string
	Media []Media
	// Link is an optional link for a link card.
	Link string
}

// PublishRequest is everything a connector needs to make one remote post or thread.
type PublishRequest struct {
	// IdempotencyKey is stable across retries of the same publication; connectors
	// that can make the remote call idempotent derive their key from it.
	IdempotencyKey string
	// CreatedAt is the publication's creation time (Bluesky derives its record key from it).
	CreatedAt time.Time
	// Parts holds the post and, for threads, the following parts in order.
	Parts []Part
	// FirstComment is posted as a reply to the first part after it is out.
	FirstComment string
	// Language is a BCP 47 tag ("en", "fr", "de"), empty when unknown.
	Language string
	// Options carries network-specific options (visibility, spoiler text, board id …).
	Options map[string]string
	// Done lists the remote ids of parts already published by an earlier, partly
	// failed attempt, in order; the connector continues after them.
	Done []RemotePost
}

// RemotePost is what the network answered for one published part.
type RemotePost struct {
	// ID is the network's id of the post (a status id, an at:// URI, a message id).
	ID string
	// URL is the public URL of the post, when there is one.
	URL string
	// CID and other network data needed later (Bluesky reply refs) go here.
	Extra map[string]string
}

// PublishResult is the outcome of a successful publish: one RemotePost per part,
// plus the first comment when there was one.
type PublishResult struct {
	Parts        []RemotePost
	FirstComment *RemotePost
}

// Connector is what every network connector implements.
type Connector interface {
	// Kind names the network.
	Kind() Kind
	// Identify returns the account the credentials belong to (and so checks them).
	Identify(ctx context.Context) (Account, error)
	// Publish makes the post (or thread). On a partial failure it returns the parts
	// already out in PublishResult together with the error.
	Publish(ctx context.Context, req PublishRequest) (PublishResult, error)
	// Delete removes a post by its remote id.
	Delete(ctx context.Context, remoteID string) error
}

// Editor is implemented by connectors that can edit a published post.
type Editor interface {
	Edit(ctx context.Context, remoteID string, part Part) error
}

// PostMetrics are the public counts of one post; -1 means the network does not report it.
type PostMetrics struct {
	Likes, Reposts, Replies, Quotes, Views int64
}

// MetricsReader is implemented by connectors that read counts of posts and accounts.
type MetricsReader interface {
	PostMetrics(ctx context.Context, remoteIDs []string) (map[string]PostMetrics, error)
	Followers(ctx context.Context) (int64, error)
}

// AccountStats are an account's own counts; -1 means the network does not report it.
type AccountStats struct {
	Followers, Following, Posts int64
}

// AccountStatsReader is implemented by connectors that read the account's
// followers, following and posts counts in one call (the daily channel
// snapshot); others give followers only, through MetricsReader.
type AccountStatsReader interface {
	AccountStats(ctx context.Context) (AccountStats, error)
}

// Comment is a reply, comment or mention read from a network for the inbox.
type Comment struct {
	RemoteID   string
	ParentID   string
	RootID     string
	AuthorID   string
	AuthorName string
	// AuthorHandle is the author's handle (@user@host, alice.bsky.social), when the network has one.
	AuthorHandle string
	// AuthorFollowers is the author's follower count when the network gave it (0: unknown).
	AuthorFollowers int64
	// Kind is "reply", "mention", "quote", "comment" or "dm" when the
	// connector knows; empty lets the inbox infer it (a parent: reply).
	Kind      string
	Text      string
	Language  string
	URL       string
	CreatedAt time.Time
}

// CommentReader is implemented by connectors that read the replies under a post.
type CommentReader interface {
	Comments(ctx context.Context, remoteID string) ([]Comment, error)
}

// Replier is implemented by connectors that can answer a comment.
type Replier interface {
	Reply(ctx context.Context, parentRemoteID string, text string) (RemotePost, error)
}

// ReplyFinder is implemented by connectors that can look for a reply the
// account already made to a post: after a crash between recording a reply
// and hearing the network's answer, the inbox checks before sending again.
type ReplyFinder interface {
	// FindReply returns the account's reply to parentRemoteID whose text
	// contains text, and false when there is none.
	FindReply(ctx context.Context, parentRemoteID, text string) (RemotePost, bool, error)
}

// MentionReader is implemented by connectors that read mentions of the account.
type MentionReader interface {
	// Mentions returns mentions newer than the cursor and the cursor to use next time.
	Mentions(ctx context.Context, cursor string) ([]Comment, string, error)
}

// Searcher is implemented by connectors that search public posts (listening).
type Searcher interface {
	Search(ctx context.Context, query string, cursor string) ([]Comment, string, error)
}

// DailyInsight is one day's count of one account-level metric (Google
// Business Profile's impressions, calls, direction requests, website clicks).
type DailyInsight struct {
	Day    time.Time
	Metric string
	Value  int64
}

// InsightsReader is implemented by connectors that report an account's
// performance per day between two dates (inclusive).
type InsightsReader interface {
	Insights(ctx context.Context, from, to time.Time) ([]DailyInsight, error)
}

// CommentHider is implemented by connectors that can hide a comment.
type CommentHider interface {
	HideComment(ctx context.Context, remoteID string) error
}

// Capabilities lists what a connector can do beyond the required interface.
type Capabilities struct {
	Threads, FirstComment, Edit, Metrics, Comments, Reply, Mentions, Search, HideComment, Stream bool
}

// CapabilitiesOf detects a connector's optional capabilities at run time.
func CapabilitiesOf(c Connector, l Limits) Capabilities {
	_, edit := c.(Editor)
	_, metrics := c.(MetricsReader)
	_, comments := c.(CommentReader)
	_, reply := c.(Replier)
	_, mentions := c.(MentionReader)
	_, search := c.(Searcher)
	_, hide := c.(CommentHider)
	_, stream := c.(Streamer)
	return Capabilities{
		Threads: l.Threads, FirstComment: l.FirstComment && reply,
		Edit: edit, Metrics: metrics, Comments: comments, Reply: reply,
		Mentions: mentions, Search: search, HideComment: hide, Stream: stream,
	}
}
