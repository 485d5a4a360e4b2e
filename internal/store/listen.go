package store

import (
	"context"
	"time"
)

// ListenQuery is a workspace's listening query; Spec is the JSON of
// listen.Spec (keywords, hashtags, mentions, authors, languages, networks).
type ListenQuery struct {
	ID          int64
	WorkspaceID int64
	Name        string
	Spec        string
	Paused      bool
	CreatedBy   int64
	CreatedAt   time.Time
}

// Mention is a public post a listening query matched, stored once per
// workspace whatever the number of queries it matched.
type Mention struct {
	ID          int64
	WorkspaceID int64
	Network     string
	// RemoteID is the post's id on its network (an at:// URI, a status URI, a feed item's GUID).
	RemoteID        string
	URL             string
	Author          string
	AuthorName      string
	AuthorFollowers int64
	Text            string
	Lang            string
	// Sentiment is "positive", "neutral" or "negative"; Compound its score in [-1, 1].
	Sentiment string
	Compound  float64
	Themes    []string
	PostedAt  time.Time
	// ReceivedAt is when relais read it.
	ReceivedAt time.Time
	// ConversationID is the inbox conversation made from it (0: none).
	ConversationID int64
	// QueryIDs are the workspace's queries it matched.
	QueryIDs []int64
}

// MentionFilter selects mentions; zero fields select everything.
type MentionFilter struct {
	QueryID int64
	Since   time.Time
	Until   time.Time
	// BeforeID pages backwards (newest first).
	BeforeID int64
	Limit    int
}

// MentionBucket counts a query's mentions over one day.
type MentionBucket struct {
	QueryID  int64
	Day      time.Time
	Mentions int64
	Positive int64
	Negative int64
	// Reach sums the authors' followers.
	Reach int64
}

// ListenStore keeps listening queries, mentions and source cursors.
type ListenStore interface {
	CreateListenQuery(ctx context.Context, q *ListenQuery) error
	UpdateListenQuery(ctx context.Context, q ListenQuery) error
	ListenQuery(ctx context.Context, workspaceID, id int64) (ListenQuery, error)
	ListenQueries(ctx context.Context, workspaceID int64) ([]ListenQuery, error)
	DeleteListenQuery(ctx context.Context, workspaceID, id int64) error
	// ActiveListenQueries lists the queries of every workspace that are not
	// paused: the matcher of the shared sources serves them all.
	ActiveListenQueries(ctx context.Context) ([]ListenQuery, error)

	// SaveMention stores m once per (workspace, network, remote id) and links
	// it to m.QueryIDs; created is false when it was stored already (its ID
	// is then the stored one and the new query links are added).
	SaveMention(ctx context.Context, m *Mention) (created bool, err error)
	Mention(ctx context.Context, workspaceID, id int64) (Mention, error)
	Mentions(ctx context.Context, workspaceID int64, f MentionFilter) ([]Mention, error)
	// MentionVolume counts mentions per query and UTC day of posting.
	MentionVolume(ctx context.Context, workspaceID int64, since, until time.Time) ([]MentionBucket, error)
	SetMentionConversation(ctx context.Context, workspaceID, id, conversationID int64) error

	// ListenCursor is a source's saved position ("" when none).
	ListenCursor(ctx context.Context, source string) (string, error)
	SetListenCursor(ctx context.Context, source, cursor string) error

	// CreateListenFeed stores a website feed (ErrConflict: its URL is listed already).
	CreateListenFeed(ctx context.Context, f *ListenFeed) error
	ListenFeeds(ctx context.Context, workspaceID int64) ([]ListenFeed, error)
	// AllListenFeeds lists every workspace's feeds (the poller).
	AllListenFeeds(ctx context.Context) ([]ListenFeed, error)
	DeleteListenFeed(ctx context.Context, workspaceID, id int64) error
	// SaveListenFeedCheck records a poll of f: its title, validators, time
	// and error, and adds newItems to its count of mentions found.
	SaveListenFeedCheck(ctx context.Context, f ListenFeed, newItems int64) error

	// UseHashtag records that a channel looked hashtag up at, renewing an
	// entry first used before since; HashtagsUsed lists those first used
	// at or after since.
	UseHashtag(ctx context.Context, channelID int64, hashtag string, at, since time.Time) error
	HashtagsUsed(ctx context.Context, channelID int64, since time.Time) ([]string, error)
}

// ListenFeed is a website feed (RSS, Atom or JSON Feed) a workspace listens to.
type ListenFeed struct {
	ID          int64
	WorkspaceID int64
	URL         string
	// Title is the feed's own title, read at the last successful poll.
	Title string
	// ETag and LastModified are the validators of the last answer, sent back
	// so an unchanged feed answers 304.
	ETag         string
	LastModified string
	CheckedAt    time.Time
	// LastError is the last poll's failure ("" when it succeeded).
	LastError string
	// Items counts the mentions found in it.
	Items     int64
	CreatedAt time.Time
}
